'use strict';
/**
 * Review of issue 15: the built trigger polled by n8n-core (test/harness) against the sandbox with
 * a large account, under a poll budget as n8n 2.41's durable scheduler gives one. Prints, per poll,
 * its wall time against the budget, how many details it read, and the README's predicted K, so the
 * coverage formula can be compared with what a poll does. Bounded: `POLLS` polls, each ends within
 * its budget or the script reports it did not.
 *
 *   npm run build && node e2e/review15/large-account.js [numbers=2000] [latencyMs=130] [budgetMs=36000] [polls=3] [durable=0]
 */
const { activateTrigger } = require('../../test/harness/n8n');
const { startSandbox } = require('../../test/sandbox/server');
const { addNumbers } = require('../../test/sandbox/bulk');
const { simulateLoad } = require('../../test/sandbox/load');
const { KEYS } = require('../../test/sandbox/fixtures');

const [N = 2000, L = 130, B = 36000, POLLS = 3, DURABLE = 0] = process.argv.slice(2).map(Number);

async function main() {
	const sandbox = await startSandbox();
	try {
		sandbox.tenants.acme.numbers = [];
		addNumbers(sandbox, N);
		const load = simulateLoad(sandbox, { latencyMs: L });
		const credentials = { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url };
		const trigger = activateTrigger({
			parameters: {},
			credentials,
			pollBudgetMs: B,
			durableCursors: Boolean(DURABLE),
		});
		const M = Math.min(2000, Math.floor(B / 10));
		const K = 5 * (Math.floor((B - M) / L) - 1);
		console.log(
			`N=${N} L=${L} ms B=${B} ms: README K=${K}, bound ceil(N/K)=${Math.ceil(N / K)} polls`,
		);
		const readBy = new Map();
		for (let index = 0; index < POLLS; index++) {
			const before = sandbox.requests.length;
			const started = Date.now();
			const tick = await trigger.poll();
			const took = Date.now() - started;
			const urls = sandbox.requests.slice(before).map((request) => request.rawUrl);
			const details = urls.filter((url) => url !== '/v1/numbers');
			for (const url of details) readBy.set(url, index);
			console.log(
				`poll ${index}: ${took} ms (${took <= B ? 'within' : 'OVER'} the budget), ${details.length} detail requests, ` +
					`error: ${tick.error ? tick.error.message : 'none'}, items: ${tick.items ? tick.items.length : 0}, peak in flight ${load.peak}`,
			);
		}
		console.log(`numbers whose detail was ever requested: ${readBy.size} of ${N}`);
	} finally {
		await sandbox.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
