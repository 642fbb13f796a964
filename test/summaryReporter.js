'use strict';
/**
 * Appends this jest run's counts to $TEST_SUMMARY_FILE (one JSON line per suite run), so .ci/run
 * can print one `N passed, N failed` line over every suite of the test command.
 */
const fs = require('node:fs');

class SummaryReporter {
	/**
	 * @param {unknown} _contexts
	 * @param {import('@jest/test-result').AggregatedResult} results
	 */
	onRunComplete(_contexts, results) {
		const file = process.env.TEST_SUMMARY_FILE;
		if (!file) return;
		// A suite that fails to load counts as a failure even though none of its tests ran.
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const line = { runner: 'jest', passed: results.numPassedTests, failed };
		fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
	}
}

module.exports = SummaryReporter;
