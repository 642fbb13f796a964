'use strict';
/**
 * Prints the one line CI reads: `N passed, N failed`, summed over every suite that wrote to the
 * summary file. A test command that failed before any suite reported counts as one failure.
 */
const fs = require('node:fs');

const [file, exitCode] = process.argv.slice(2);
const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
let passed = 0;
let failed = 0;
for (const line of lines) {
	const counts = JSON.parse(line);
	passed += counts.passed;
	failed += counts.failed;
}
if (Number(exitCode) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
