/** @type {import('jest').Config} */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.js'],
	// The real n8n installs live in e2e/.n8n (thousands of packages): keep jest from crawling them.
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/e2e/.n8n/'],
	globalSetup: '<rootDir>/e2e/globalSetup.js',
	globalTeardown: '<rootDir>/e2e/globalTeardown.js',
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
	// Each n8n command starts a whole n8n (seconds, more on a busy machine).
	testTimeout: 300000,
};
