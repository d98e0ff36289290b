// The classic n8n starter's asset step: copy icons (light and dark SVG) and other static assets
// next to the compiled JavaScript, keeping their relative paths, so that `file:x.svg` resolves in dist/.
const { src, dest, parallel } = require('gulp');

function buildNodeIcons() {
	return src(['nodes/**/*.{png,svg}'], { encoding: false }).pipe(dest('dist/nodes'));
}

function buildCredentialIcons() {
	return src(['icons/**/*.{png,svg}'], { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = parallel(buildNodeIcons, buildCredentialIcons);
