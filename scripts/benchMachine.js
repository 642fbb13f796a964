'use strict';
/** What both benchmark scripts report about a run: medians, and the machine it ran on. */
const os = require('node:os');

/** The middle value; the mean of the two middle ones for an even count. */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const loadAverage = () =>
	os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(', ');

/**
 * Starts watching the machine; `describe()` at the end of the run gives one line: CPU, Node.js
 * (with `nodeNote`, e.g. the Node n8n ran on), OS, and the load average at the start and the end,
 * since a busy machine stretches every time.
 */
function watchMachine() {
	const loadAtStart = loadAverage();
	return {
		describe(nodeNote = '') {
			const cpus = os.cpus();
			return (
				`${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}; Node.js ${process.version}${nodeNote}; ` +
				`${os.type()} ${os.release()} (${os.arch()}); load average (1, 5, 15 min) ${loadAtStart} at the start, ${loadAverage()} at the end`
			);
		},
	};
}

module.exports = { median, watchMachine };
