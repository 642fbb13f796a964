/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// tsc writes a copy of package.json into dist/, which would clash in jest's module map.
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
	testTimeout: 30000,
};
