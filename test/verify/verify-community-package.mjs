// Runs n8n's own verification gate on this package, the way the n8n Creator Portal does, without a
// registry round trip: the lint pass of @n8n/scan-community-package (its rule set, inline
// `eslint-disable` comments ignored) over the source (package.json, nodes/, credentials/) and over
// the packed tarball's compiled JavaScript, plus the package rules the scanner checks elsewhere.
// Usage: npm run verify (after npm run build).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const failures = [];
const check = (ok, label, detail = '') => {
	console.log(`${ok ? '✅' : '❌'} ${label}${detail ? ` — ${detail}` : ''}`);
	if (!ok) failures.push(label);
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
check(Object.keys(pkg.dependencies ?? {}).length === 0, 'no runtime dependencies');
check(JSON.stringify(pkg.peerDependencies) === JSON.stringify({ 'n8n-workflow': '*' }), 'peerDependencies are exactly {"n8n-workflow":"*"}');
check(pkg.keywords?.includes('n8n-community-node-package'), 'keyword n8n-community-node-package');
check(pkg.license === 'MIT', 'MIT license');
check(pkg.n8n?.n8nNodesApiVersion === 1 && pkg.n8n?.strict === true, 'n8n attribute: n8nNodesApiVersion 1, strict');
const forbidden = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preuninstall', 'postuninstall'];
check(!forbidden.some((s) => pkg.scripts?.[s]), 'no lifecycle scripts');
check(/^>=\s*24/.test(pkg.engines?.node ?? ''), 'engines.node >=24');

const built = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
check(built.every((p) => existsSync(join(root, p))), 'every n8n.nodes / n8n.credentials entry is built', built.join(', '));

// Node and credential descriptions, as n8n loads them.
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const { XMedia } = require(join(root, 'dist/nodes/XMedia/XMedia.node.js'));
const node = new XMedia().description;
check(node.usableAsTool !== undefined, 'node declares usableAsTool');
const icon = node.icon;
check(typeof icon === 'object' && icon.light !== icon.dark, 'node has themed icons (light and dark differ)');
for (const variant of ['light', 'dark']) {
	const file = join(root, 'dist/nodes/XMedia', icon[variant].replace(/^file:/, ''));
	check(existsSync(file), `node ${variant} icon is in dist`, file.replace(root + '/', ''));
}
for (const credPath of pkg.n8n.credentials) {
	const mod = require(join(root, credPath));
	const cred = new (Object.values(mod)[0])();
	const isOAuth2 = (cred.extends ?? []).includes('oAuth2Api');
	check(isOAuth2 || cred.test !== undefined, `${cred.name}: has a credential test (OAuth2 is exempt)`);
	check(cred.properties.some((p) => p.name === 'apiBaseUrl'), `${cred.name}: has apiBaseUrl`);
	const ci = cred.icon;
	check(typeof ci === 'object' && ci.light !== ci.dark && [ci.light, ci.dark].every((f) => existsSync(join(root, 'dist/credentials', f.replace(/^file:/, '')))), `${cred.name}: themed icons in dist`);
}

// The scanner's ESLint pass over the source.
const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
check(source.passed, 'scan-community-package lint of the source (inline eslint-disable ignored)', source.message ?? '');
if (!source.passed && source.details) console.log(source.details);

// And over the tarball a user installs.
const packDir = mkdtempSync(join(tmpdir(), 'x-media-pack-'));
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
	execFileSync('tar', ['xzf', join(packDir, tarball), '-C', packDir]);
	const packaged = join(packDir, 'package');
	const files = execFileSync('tar', ['tzf', join(packDir, tarball)], { encoding: 'utf8' }).trim().split('\n');
	check(files.every((f) => f === 'package/package.json' || f.startsWith('package/dist/') || /^package\/(README|LICENSE|CHANGELOG)/i.test(f)), 'tarball holds only dist/, package.json and docs', `${files.length} files`);
	check(!files.some((f) => f.includes('/test/') || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'tarball holds no tests or TypeScript sources');
	const dist = await analyzePackage(packaged, ['**/*.js', 'package.json']);
	check(dist.passed, 'scan-community-package lint of the packed tarball', dist.message ?? '');
	if (!dist.passed && dist.details) console.log(dist.details);
} finally {
	rmSync(packDir, { recursive: true, force: true });
}

if (failures.length) {
	console.error(`\n${failures.length} verification check(s) failed.`);
	process.exit(1);
}
console.log('\nAll community-package verification checks passed.');
