/**
 * The editor tests (npm run test:ui): a real n8n and Chromium, so one slow suite of its own, kept
 * out of the unit and integration run.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	roots: ['<rootDir>/ui'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/ui/tsconfig.json' }] },
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
	// Starting n8n takes ~15 s on 2 shared cores; every wait inside the tests has its own bound.
	testTimeout: 120000,
};
