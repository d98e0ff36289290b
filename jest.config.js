/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	globalSetup: '<rootDir>/test/harness/globalSetup.ts',
	globalTeardown: '<rootDir>/test/harness/globalTeardown.ts',
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/n8n-runtime', '/test/e2e/'],
	// The pinned n8n apps of the e2e suites (test/n8n-runtime*, GBs of node_modules): never crawled.
	modulePathIgnorePatterns: ['<rootDir>/test/n8n-runtime'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
	},
	testTimeout: 120000,
	maxWorkers: 2,
};
