'use strict';
/**
 * What `npm run bench` (n8n-core) and `npm run bench:n8n` (a real n8n) share to compare this
 * package's Get with n8n's HTTP Request node side by side: the settings of the sandbox, the HTTP
 * Request node as n8n's editor saves it, alternating rounds, and the table of ratios with the
 * targets of issue 18. Each script brings its own way to run a contender once.
 */
const fs = require('node:fs');
const path = require('node:path');

const { addNumbers } = require('../test/sandbox/bulk');
const { simulateLoad } = require('../test/sandbox/load');
const { median } = require('./benchMachine');

const HTTP_REQUEST_VERSION = 4.2;

/**
 * Stops the run over a setting it cannot use (env, arguments, a missing build): says why in one line,
 * without a stack trace (the script is not at fault), and exits with 2. Called before the run has
 * started anything, so nothing is left to stop.
 */
function cannotRun(message) {
	process.stderr.write(`${message}\n`);
	process.exit(2);
}

/** Stops the run when this repository's dist/ is missing (`npm run bench*` build it first). */
function requireBuild() {
	const dist = path.join(__dirname, '..', 'dist');
	if (!fs.existsSync(dist)) cannotRun(`${dist} is missing: run \`npm run build\` first`);
}

/** A positive whole number from the environment, or the default; anything else stops the run. */
function positiveInt(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1)
		cannotRun(`${name} must be a positive whole number, got "${raw}"`);
	return value;
}

const LATENCY_MS = 50;
const RATE_LIMIT = 10;
const RETRY_AFTER_S = 1;
/**
 * A PilotStatus that queues what it cannot work on at once instead of refusing it (no 429): 3 at a
 * time, 20 ms each, behind the network's 50 ms. 150 answers per second at most, which
 * 3 × (50 + 20) / 20 = 10.5 requests in flight keep up; every request beyond that only waits.
 */
const QUEUE = { servesAtOnce: 3, serviceMs: 20 };

/**
 * The sandbox's settings (test/sandbox/load.js's knobs). Jittered latency is uniform from 25 to
 * 75 ms: the same mean as the fixed 50 ms, but answers no longer come back in lockstep.
 */
const SCENARIOS = [
	{ key: '0ms', label: 'no added latency', load: {} },
	{ key: '50ms', label: `${LATENCY_MS} ms latency`, load: { latencyMs: LATENCY_MS } },
	{
		key: 'jitter',
		label: `${LATENCY_MS} ± 25 ms latency (uniform 25–75 ms)`,
		load: { latencyMs: LATENCY_MS - 25, jitterMs: 50 },
	},
	{
		key: 'limit',
		label: `${LATENCY_MS} ms latency, 429 above ${RATE_LIMIT} in flight (Retry-After: ${RETRY_AFTER_S})`,
		load: { latencyMs: LATENCY_MS, maxInFlight: RATE_LIMIT, retryAfter: String(RETRY_AFTER_S) },
	},
	{
		key: 'limit-jitter',
		label: `${LATENCY_MS} ± 25 ms latency, 429 above ${RATE_LIMIT} in flight (Retry-After: ${RETRY_AFTER_S})`,
		load: {
			latencyMs: LATENCY_MS - 25,
			jitterMs: 50,
			maxInFlight: RATE_LIMIT,
			retryAfter: String(RETRY_AFTER_S),
		},
	},
	{
		key: 'queue',
		label: `${LATENCY_MS} ms latency, PilotStatus works on ${QUEUE.servesAtOnce} at a time (${QUEUE.serviceMs} ms each), the rest wait their turn`,
		load: { latencyMs: LATENCY_MS, ...QUEUE },
	},
];

/** The settings named in `SCENARIOS=0ms,limit` (all by default); an unknown name stops the run. */
function chosenScenarios(names = process.env.SCENARIOS) {
	if (!names) return SCENARIOS;
	return names.split(',').map((key) => {
		const scenario = SCENARIOS.find((candidate) => candidate.key === key.trim());
		if (!scenario)
			cannotRun(`SCENARIOS: no setting "${key}"; known: ${SCENARIOS.map((s) => s.key).join(', ')}`);
		return scenario;
	});
}

/**
 * The issue's targets for Concurrency Auto (the node's defaults), by setting. The one without
 * latency is about a real n8n, where the HTTP Request node reads its credential from the database
 * twice per item and this node once per run; the harness's credentials cost nothing to read.
 */
const TARGETS = {
	'0ms': { vsHttpRequest: 0.65, realN8nOnly: true },
	'50ms': { vsHttpRequest: 1.0 },
	jitter: { vsHttpRequest: 1.0 },
	limit: { vsLimitFloor: 1.5 },
	'limit-jitter': { vsLimitFloor: 1.5 },
};

/** The least time a rate-limited setting allows: ceil(N / limit) round trips of the mean latency, in s. */
const limitFloorSeconds = (count) => (Math.ceil(count / RATE_LIMIT) * LATENCY_MS) / 1000;

/** Requests in flight that keep the queue busy: each of its places holds one for latency + work. */
const QUEUE_BUSY_AT = (QUEUE.servesAtOnce * (LATENCY_MS + QUEUE.serviceMs)) / QUEUE.serviceMs;

/** The least time the queue allows: ceil(N / at a time) turns of work after one latency, in s. */
const queueFloorSeconds = (count) =>
	(Math.ceil(count / QUEUE.servesAtOnce) * QUEUE.serviceMs + LATENCY_MS) / 1000;

/**
 * Puts the sandbox in a setting for one run: back to the fixtures, the acme tenant holding exactly
 * `count` bulk numbers, and the load knobs. Returns the ids and the live counters (peak in flight,
 * 429s answered).
 */
function prepare(sandbox, count, load) {
	sandbox.reset();
	sandbox.tenants.acme.numbers = [];
	const ids = addNumbers(sandbox, count);
	return { ids, load: simulateLoad(sandbox, load) };
}

/**
 * n8n's HTTP Request node as its editor saves it: GET `url`, header auth through an `httpHeaderAuth`
 * credential (name `x-api-key`), every other option at its default, and *On Error: Continue* so
 * each refused item is counted instead of stopping the run.
 */
function httpRequestNode({ name, url, credential, position = [400, 0], options = {} }) {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		position,
		onError: 'continueRegularOutput',
		credentials: { httpHeaderAuth: credential },
		parameters: {
			method: 'GET',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			options,
		},
	};
}

/**
 * Runs every contender `rounds` times, in alternating order (round r starts with contender r, then
 * the next...), so each sees the machine in the same states. `run(contender, round)` returns one
 * measurement: `{ seconds, items, failed, peak, meanInFlight, refused }`. Returns the measurements
 * by contender key.
 */
async function alternate(contenders, rounds, run, log = () => {}) {
	const measured = Object.fromEntries(contenders.map((contender) => [contender.key, []]));
	for (let round = 0; round < rounds; round++) {
		for (let turn = 0; turn < contenders.length; turn++) {
			const contender = contenders[(round + turn) % contenders.length];
			const result = await run(contender, round);
			measured[contender.key].push(result);
			log(
				`  round ${round + 1}/${rounds}, ${contender.label}: ${result.seconds.toFixed(2)} s, ` +
					`${result.failed} failed, peak ${result.peak}, mean ${result.meanInFlight.toFixed(1)} in flight, ` +
					`${result.refused} × 429`,
			);
		}
	}
	return measured;
}

const seconds = (value) => `${value.toFixed(2)} s`;
const roundsText = (rounds) => (rounds === 1 ? '1 round' : `${rounds} rounds`);
const ratio = (value) => `${value.toFixed(2)}×`;
const verdict = (measured, target) =>
	`target ≤ ${ratio(target)}: ${measured <= target ? 'met' : 'missed'}`;

/**
 * The markdown table of one comparison: per setting, each contender's median time, time per item,
 * ratio to the HTTP Request node's median in the same setting, and what the sandbox counted (worst
 * round). The Auto row carries the issue's target for its setting (`realN8n`: the bench runs a real
 * n8n). `autoKey` and `httpKey` name the contenders the targets compare; `extraRatio({ scenario, measured }, contender, median)` may
 * add a ratio to a row.
 */
function renderComparison({
	scenarios,
	count,
	autoKey,
	httpKey,
	realN8n,
	extraRatio = () => undefined,
}) {
	const header = [
		'Setting',
		'Setup',
		'Rounds',
		'Median',
		'Per item',
		'vs HTTP Request',
		'Failed items',
		'Peak in flight',
		'Mean in flight',
		'429s',
	];
	const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
	const verdicts = [];
	for (const { scenario, contenders, measured } of scenarios) {
		const medianOf = (key) => median(measured[key].map((result) => result.seconds));
		const http = medianOf(httpKey);
		for (const contender of contenders) {
			const results = measured[contender.key];
			const middle = medianOf(contender.key);
			const ratios = [`${ratio(middle / http)}`];
			const extra = extraRatio({ scenario, measured }, contender, middle);
			if (extra) ratios.push(extra);
			if (scenario.key === 'queue') {
				const floor = queueFloorSeconds(count);
				ratios.push(`${ratio(middle / floor)} the least time the queue allows (${seconds(floor)})`);
			}
			const target = TARGETS[scenario.key];
			if (contender.key === autoKey && target && (realN8n || !target.realN8nOnly)) {
				const checks = [];
				if (target.vsHttpRequest !== undefined) {
					checks.push(
						`${ratio(middle / http)} HTTP Request (${verdict(middle / http, target.vsHttpRequest)})`,
					);
				}
				if (target.vsLimitFloor !== undefined) {
					const floor = limitFloorSeconds(count);
					const lost = Math.max(...results.map((result) => result.failed));
					checks.push(
						`${ratio(middle / floor)} the limit's floor ${seconds(floor)} (${verdict(middle / floor, target.vsLimitFloor)})`,
						`${lost} items lost (target 0: ${lost === 0 ? 'met' : 'missed'})`,
					);
				}
				verdicts.push(`- ${scenario.label}: ${checks.join('; ')}.`);
			}
			lines.push(
				`| ${[
					scenario.label,
					contender.label,
					results.map((result) => seconds(result.seconds)).join(', '),
					seconds(middle),
					`${((middle * 1000) / count).toFixed(2)} ms`,
					ratios.join('; '),
					`${Math.max(...results.map((result) => result.failed))} / ${count}`,
					String(Math.max(...results.map((result) => result.peak))),
					Math.max(...results.map((result) => result.meanInFlight)).toFixed(1),
					String(Math.max(...results.map((result) => result.refused))),
				].join(' | ')} |`,
			);
		}
	}
	return {
		table: lines.join('\n'),
		verdicts:
			verdicts.length > 0
				? verdicts.join('\n')
				: '- none for the settings run here (the one without latency is judged in a real n8n only).',
	};
}

module.exports = {
	HTTP_REQUEST_VERSION,
	LATENCY_MS,
	QUEUE,
	QUEUE_BUSY_AT,
	RATE_LIMIT,
	RETRY_AFTER_S,
	SCENARIOS,
	cannotRun,
	requireBuild,
	positiveInt,
	chosenScenarios,
	limitFloorSeconds,
	queueFloorSeconds,
	prepare,
	httpRequestNode,
	alternate,
	renderComparison,
	seconds,
	roundsText,
	ratio,
	verdict,
};
