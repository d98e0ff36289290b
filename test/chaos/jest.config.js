/**
 * The chaos soak under jest: `npx jest --config test/chaos/jest.config.js` (after `npm run build`).
 * Reuses the repo's jest settings (ts-jest transform, n8n user folder, secret leak check) but runs
 * only test/chaos/*.chaos.ts, so `npm test` never includes the soak.
 */
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/chaos'],
	testMatch: ['**/*.chaos.ts'],
	// The soak bounds itself (CHAOS_DURATION_MS + CHAOS_RUN_DEADLINE_MS); this is a backstop.
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
};
