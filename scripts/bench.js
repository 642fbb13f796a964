'use strict';
/**
 * `npm run bench` (not part of `npm test`): how fast and how polite the PilotStatus Numbers node is
 * next to n8n's own HTTP Request node (n8n-nodes-base, v4.2). Both run inside n8n-core through the
 * test harness, in this process, against the sandbox on 127.0.0.1 with injected latency (in this
 * process too, or in one of its own: API below).
 * Prints tables of measured ratios and writes them to docs/benchmarks.md (docs/benchmarks-apart.md
 * with API=apart).
 *
 * Env: N items (default 1000), ROUNDS of the side-by-side comparison (default 3), SCENARIOS (a
 * comma-separated subset of the settings in scripts/benchCompare.js; default all; a subset is
 * printed, not written, so the page keeps its full tables; the reference rows and the flattening
 * check run whatever the subset), API: where the sandbox runs, `same`
 * (default: in this process, sharing n8n-core's event loop and CPU) or `apart` (in a child process
 * of its own, scripts/sandboxApart.js, driven over IPC, as a real API is apart from n8n; the CPU
 * column then counts n8n-core's process only). A setting it cannot use stops it with exit code 2.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const benchCompare = require('./benchCompare');

// Before anything loads the built node: without dist/, say so in one line.
benchCompare.requireBuild();

const { registerTypes, runNode, runWorkflow } = require('../test/harness/n8n');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const { startSandboxApart } = require('./sandboxApart');
const { flattenWithShape } = require('../dist/nodes/shared/flatten');
const { detailShape } = require('../dist/nodes/shared/numberShapes');
const { mapInPool } = require('../dist/nodes/shared/pool');
const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');
const { HttpHeaderAuth } = require('n8n-nodes-base/dist/credentials/HttpHeaderAuth.credentials.js');
const {
	HTTP_REQUEST_VERSION,
	LATENCY_MS,
	QUEUE,
	QUEUE_BUSY_AT,
	RATE_LIMIT,
	RETRY_AFTER_S,
	alternate,
	SCENARIOS,
	cannotRun,
	chosenScenarios,
	httpRequestNode,
	limitFloorSeconds,
	positiveInt,
	prepare,
	ratio,
	renderComparison,
	roundsText,
	seconds,
	verdict,
} = benchCompare;
const { median, watchMachine } = require('./benchMachine');

const N = positiveInt('N', 1000);
const ROUNDS = positiveInt('ROUNDS', 3);
/** The settings compared (env SCENARIOS), checked before anything starts. */
const CHOSEN_SCENARIOS = chosenScenarios();
/** The fixed Concurrency of the reference rows: the node's default before Auto. */
const CONCURRENCY = 5;
/** Issue 7's target: Get at Concurrency 5 vs the floor its latency allows. */
const GET_TARGET = 1.25;
/** Flattening 10,000 detail payloads vs `JSON.parse` of their text. */
const FLATTEN_TARGET = 2;
const FLATTEN_PAYLOADS = 10000;
/**
 * The sandbox as the bench drives it, wherever it runs: one interface for both placements, so every
 * measurement, reset and read of the counters goes the same way in both.
 * @typedef {object} BenchApi
 * @property {string} url The sandbox's origin.
 * @property {(count: number, load: object) => Promise<{ ids: string[], seen: () =>
 *   Promise<import('../test/sandbox/load').SandboxLoad> }>} prepare
 *   benchCompare's prepare() (fixtures, `count` numbers, the load knobs); `seen()` reads that
 *   setting's counters (peak in flight, 429s...) as they are when it is called.
 * @property {() => Promise<void>} reset Back to the fixtures, no load knobs.
 * @property {() => Promise<void>} close Stops the sandbox (with API=apart, its process too).
 */

/**
 * The sandbox in this process (API=same): its answers are served by n8n-core's event loop and CPU,
 * which slows a node that sends every item at once (the HTTP Request node) more than one that keeps
 * a few in flight.
 * @returns {Promise<BenchApi>}
 */
async function startSandboxHere() {
	const sandbox = await startSandbox();
	return {
		url: sandbox.url,
		async prepare(count, load) {
			const prepared = prepare(sandbox, count, load);
			return { ids: prepared.ids, seen: async () => ({ ...prepared.load }) };
		},
		async reset() {
			sandbox.reset();
		},
		close: () => sandbox.close(),
	};
}

/**
 * Where the sandbox can run (env API): how to start it, and the page each writes and what it says
 * about the placement, so a run in one never overwrites the other's page or describes it wrongly.
 */
const PLACEMENTS = {
	same: {
		start: startSandboxHere,
		report: 'benchmarks.md',
		command: 'npm run bench',
		process:
			'one Node.js process, whose event loop and CPU n8n-core, the nodes and the sandbox share',
		otherPage:
			'With `API=apart` the sandbox runs in a process of its own, as a real API does: ' +
			'[benchmarks-apart.md](benchmarks-apart.md).',
		cpuBound: "this process's CPU",
		sandboxShares: 'which shares this one process and its CPU',
		cpuColumn: '**CPU time** is what the process used during the row, the sandbox included.',
		ceilingMeasured: ' (50 and 200 measured alike)',
	},
	apart: {
		start: startSandboxApart,
		report: 'benchmarks-apart.md',
		command: 'API=apart npm run bench',
		process:
			'two Node.js processes: n8n-core and the nodes in one, the sandbox in a child ' +
			'process of its own (`scripts/sandboxApart.js`, set up over IPC between runs), as a real ' +
			'API runs apart from n8n, both on this machine',
		otherPage:
			"With `API=same` the sandbox shares n8n-core's process: [benchmarks.md](benchmarks.md).",
		cpuBound: "the CPU of n8n-core's process",
		sandboxShares: 'which runs in a process of its own but on the same cores',
		cpuColumn:
			"**CPU time** is what n8n-core's process used during the row (`process.cpuUsage()`): the " +
			"nodes, n8n-core and the client side of every request. The sandbox's own work, in its " +
			'process, is not counted (with `API=same` it is), so the column reads lower than there.',
		ceilingMeasured: '',
	},
};

/** The placement named by env API (`same` by default); anything else stops the run. */
function chosenPlacement(name = process.env.API || 'same') {
	if (!Object.hasOwn(PLACEMENTS, name))
		cannotRun(`API must be ${Object.keys(PLACEMENTS).join(' or ')}, got "${name}"`);
	return { name, ...PLACEMENTS[name] };
}

const PLACEMENT = chosenPlacement();
const REPORT = path.resolve(__dirname, '../docs', PLACEMENT.report);

/**
 * The engine reference: the least a node can do per item inside n8n. It reads the id parameter (the
 * same `{{ $json.id }}` expression) and makes one request with n8n's `httpRequestWithAuthentication`
 * and the PilotStatus credential, through the package's own pool, and does nothing else: no checks,
 * retries, throttle or flattening. Its time is what n8n-core's request path and this one process
 * allow. What PilotStatus Numbers takes beyond it is the cost of the node's own work.
 */
class EngineReference {
	description = {
		displayName: 'Engine Reference',
		name: 'engineReference',
		group: ['transform'],
		version: 1,
		description: 'One authenticated GET per item, nothing else',
		defaults: { name: 'Engine Reference' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'pilotStatusApi', required: true }],
		properties: [
			{ displayName: 'ID', name: 'id', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 },
		],
	};

	async execute() {
		const items = this.getInputData();
		const { baseUrl } = await this.getCredentials('pilotStatusApi');
		const get = async (index) => {
			const url = `${baseUrl}/v1/numbers/${encodeURIComponent(this.getNodeParameter('id', index))}`;
			return await this.helpers.httpRequestWithAuthentication.call(this, 'pilotStatusApi', {
				method: 'GET',
				url,
				json: true,
			});
		};
		const bodies = await mapInPool(items.length, get, this.getNodeParameter('concurrency', 0));
		return [bodies.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

registerTypes({
	nodes: {
		'n8n-nodes-base.httpRequest': new HttpRequest(),
		'bench.engineReference': new EngineReference(),
	},
	credentials: [new HttpHeaderAuth()],
});

const idFromInput = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

/** The credential the HTTP Request node uses (the harness fills it in as `otherCredentials`). */
const headerAuth = { id: '2', name: 'PilotStatus key' };

/** An HTTP Request node as n8n's editor saves it, on the harness's header-auth credential. */
const httpRequest = (name, url, options) =>
	httpRequestNode({ name, url, credential: headerAuth, options });

/** The engine reference node (see EngineReference), `concurrency` requests at once. */
function engineReferenceNode(concurrency) {
	return {
		id: 'reference',
		name: 'Engine Reference',
		type: 'bench.engineReference',
		typeVersion: 1,
		position: [400, 0],
		credentials: { pilotStatusApi: { id: '1', name: 'PilotStatus account' } },
		parameters: { id: '={{ $json.id }}', concurrency },
	};
}

/** Runs a chain of nodes (HTTP Request or engine reference) after the Input node and returns the last one's items. */
async function runChain(api, input, chain) {
	const nodes = [
		{
			id: 'in',
			name: 'Input',
			type: 'test.inputItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: input },
		},
		...chain,
	];
	const names = nodes.map((node) => node.name);
	const connections = {};
	for (let i = 0; i < names.length - 1; i++)
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	const result = await runWorkflow({
		nodes,
		connections,
		credentials: { apiKey: KEYS.acmeTenant, baseUrl: api.url },
		otherCredentials: { httpHeaderAuth: { name: 'x-api-key', value: KEYS.acmeTenant } },
	});
	if (result.error) throw result.error;
	return result.output(names[names.length - 1]);
}

async function runPilotStatus(api, parameters, input) {
	const result = await runNode({
		parameters,
		credentials: { apiKey: KEYS.acmeTenant, baseUrl: api.url },
		input,
		continueOnFail: true,
	});
	if (result.error) throw result.error;
	return result.items;
}

/**
 * The same GETs without n8n: Node's own http client, `concurrency` at a time, a new connection for
 * each (as n8n's requests make), so the table shows what the machine and the sandbox allow alone.
 */
async function runBareClient(api, input, concurrency) {
	const options = { headers: { 'x-api-key': KEYS.acmeTenant }, agent: false };
	const get = (id) =>
		new Promise((resolve, reject) => {
			const url = `${api.url}/v1/numbers/${encodeURIComponent(id)}`;
			const request = http.get(url, options, (response) => {
				let body = '';
				response.on('data', (chunk) => (body += chunk));
				response.on('end', () =>
					resolve({
						json: response.statusCode === 200 ? JSON.parse(body) : { error: response.statusCode },
					}),
				);
			});
			request.on('error', reject);
		});
	const items = [];
	let next = 0;
	const worker = async () => {
		while (next < input.length) {
			const index = next++;
			items[index] = await get(input[index].id);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return items;
}

/** Times one run and reads what the sandbox saw. */
async function measure(api, { count = N, load, run }) {
	const prepared = await api.prepare(count, load);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const items = await run(prepared.ids.map((id) => ({ id })));
	const seconds = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	const seen = await prepared.seen();
	return {
		seconds,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		items: items.length,
		failed: items.filter((item) => item.json.error !== undefined).length,
		peak: seen.peak,
		meanInFlight: seen.meanInFlight,
		refused: seen.limited,
	};
}

/** CPU time of one pass of `work`, in milliseconds: steadier than wall time on a shared machine. */
function cpuMs(work) {
	const before = process.cpuUsage();
	work();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1000;
}

const FLATTEN_ROUNDS = 21;

/**
 * Each round times one pass of `JSON.parse` and then one pass of flattening over the same
 * payloads, so both see the machine in the same state; the ratio reported is the median of the
 * rounds' ratios.
 */
async function flatteningRow(api) {
	await api.reset();
	const response = await fetch(`${api.url}/v1/numbers/wa_abc`, {
		headers: { 'x-api-key': KEYS.acmeTenant },
	});
	const template = await response.json();
	const texts = Array.from({ length: FLATTEN_PAYLOADS }, (_, index) =>
		JSON.stringify({ ...template, id: `wa_${index}` }),
	);
	const parsed = texts.map((text) => JSON.parse(text));
	let sink = 0;
	const rounds = Array.from({ length: FLATTEN_ROUNDS }, () => {
		const parseMs = cpuMs(() => {
			for (const text of texts) sink += JSON.parse(text).id.length;
		});
		const flattenMs = cpuMs(() => {
			for (const payload of parsed) sink += flattenWithShape(payload, detailShape).id.length;
		});
		return { parseMs, flattenMs };
	});
	return {
		parseMs: median(rounds.map((round) => round.parseMs)),
		flattenMs: median(rounds.map((round) => round.flattenMs)),
		ratio: median(rounds.map((round) => round.flattenMs / round.parseMs)),
		columns: Object.keys(flattenWithShape(parsed[0], detailShape)).length,
		sink,
	};
}

const machine = watchMachine();

/** The comparison of issue 18: this node's defaults (Auto) and Concurrency 5 next to the HTTP Request node, in alternating rounds. */
async function compareSettings(api, log) {
	const getUrl = `=${api.url}/v1/numbers/{{ encodeURIComponent($json.id) }}`;
	const get =
		(options = {}) =>
		(input) =>
			runPilotStatus(api, { operation: 'get', numberId: idFromInput, options }, input);
	const results = [];
	for (const scenario of CHOSEN_SCENARIOS) {
		const contenders = [
			{ key: 'auto', label: 'PilotStatus Numbers, defaults (Concurrency Auto)', run: get() },
			{
				key: 'five',
				label: `PilotStatus Numbers, Concurrency ${CONCURRENCY} (the default before Auto)`,
				run: get({ concurrency: CONCURRENCY }),
			},
			{
				key: 'http',
				label: `HTTP Request ${HTTP_REQUEST_VERSION}, defaults`,
				run: (input) => runChain(api, input, [httpRequest('HTTP Request', getUrl)]),
			},
		];
		if (scenario.load.maxInFlight !== undefined) {
			contenders.push({
				key: 'engine',
				label: `Reference: n8n engine alone, ${RATE_LIMIT} at once (all the limit allows), limit off`,
				run: (input) => runChain(api, input, [engineReferenceNode(RATE_LIMIT)]),
				load: { ...scenario.load, maxInFlight: Infinity },
			});
		}
		log(`${scenario.label}, N = ${N}, ${roundsText(ROUNDS)}:`);
		const measured = await alternate(
			contenders,
			ROUNDS,
			(contender) => measure(api, { load: contender.load ?? scenario.load, run: contender.run }),
			log,
		);
		results.push({ scenario, contenders, measured });
	}
	return renderComparison({
		scenarios: results,
		count: N,
		autoKey: 'auto',
		httpKey: 'http',
		realN8n: false,
		// Under the limit, Auto is also weighed against what the limit allows in this process.
		extraRatio: ({ measured }, contender, middle) => {
			if (contender.key !== 'auto' || !measured.engine) return undefined;
			const allowed = median(measured.engine.map((result) => result.seconds)) + RETRY_AFTER_S;
			return `${ratio(middle / allowed)} engine reference + one ${RETRY_AFTER_S} s pause = ${seconds(allowed)}`;
		},
	});
}

/** Single runs at 50 ms latency: what the machine, n8n-core and a fixed Concurrency allow, and the HTTP Request node's batching. */
async function referenceRows(api, log) {
	const rows = [];
	/** One row; `also` is a second ratio, e.g. against the engine reference. */
	const add = (section, setup, result, reference, referenceLabel, target, also) =>
		rows.push({
			section,
			setup,
			wall: seconds(result.seconds),
			cpu: seconds(result.cpuSeconds),
			ratio:
				`${ratio(result.seconds / reference)} ${referenceLabel}` +
				(target ? ` (${verdict(result.seconds / reference, target)})` : '') +
				(also ? `; ${also}` : ''),
			peak: String(result.peak),
			failed: `${result.failed} / ${result.items}`,
			refused: String(result.refused),
		});
	const latency = { latencyMs: LATENCY_MS };
	const getUrl = `=${api.url}/v1/numbers/{{ encodeURIComponent($json.id) }}`;
	const floor = (Math.ceil(N / CONCURRENCY) * LATENCY_MS) / 1000;
	const floorLabel = `floor ceil(N/C)·L = ${seconds(floor)}`;
	const sequentialFloor = (N * LATENCY_MS) / 1000;
	const batch = (batchSize) => ({ batching: { batch: { batchSize, batchInterval: LATENCY_MS } } });
	const getSection = `Get, N = ${N}, L = ${LATENCY_MS} ms`;

	log(`${getSection}: references, Concurrency ${CONCURRENCY} and 1, batching…`);
	const bare = await measure(api, {
		load: latency,
		run: (input) => runBareClient(api, input, CONCURRENCY),
	});
	add(
		getSection,
		`Reference: Node's http client alone, ${CONCURRENCY} at once, no n8n`,
		bare,
		floor,
		floorLabel,
	);
	const engine = await measure(api, {
		load: latency,
		run: (input) => runChain(api, input, [engineReferenceNode(CONCURRENCY)]),
	});
	add(
		getSection,
		`Reference: n8n engine alone (engine reference node), ${CONCURRENCY} at once`,
		engine,
		floor,
		floorLabel,
	);
	const five = await measure(api, {
		load: latency,
		run: (input) =>
			runPilotStatus(
				api,
				{ operation: 'get', numberId: idFromInput, options: { concurrency: CONCURRENCY } },
				input,
			),
	});
	add(
		getSection,
		`PilotStatus Numbers, Concurrency ${CONCURRENCY}`,
		five,
		floor,
		floorLabel,
		GET_TARGET,
		`${ratio(five.seconds / engine.seconds)} engine reference`,
	);
	const sequential = await measure(api, {
		load: latency,
		run: (input) =>
			runPilotStatus(
				api,
				{ operation: 'get', numberId: idFromInput, options: { concurrency: 1 } },
				input,
			),
	});
	add(
		getSection,
		'PilotStatus Numbers, Concurrency 1',
		sequential,
		sequentialFloor,
		`N·L = ${seconds(sequentialFloor)}`,
	);
	const httpBatched = await measure(api, {
		load: latency,
		run: (input) => runChain(api, input, [httpRequest('HTTP Request', getUrl, batch(CONCURRENCY))]),
	});
	add(
		getSection,
		`HTTP Request ${HTTP_REQUEST_VERSION}, batch ${CONCURRENCY} every ${LATENCY_MS} ms`,
		httpBatched,
		five.seconds,
		`PilotStatus Numbers at ${CONCURRENCY}`,
	);

	const limitSection = `${getSection}, 429 above ${RATE_LIMIT} in flight (Retry-After: ${RETRY_AFTER_S})`;
	const limitFloor = limitFloorSeconds(N);
	const httpLimitedBatched = await measure(api, {
		load: { ...latency, maxInFlight: RATE_LIMIT, retryAfter: String(RETRY_AFTER_S) },
		run: (input) => runChain(api, input, [httpRequest('HTTP Request', getUrl, batch(RATE_LIMIT))]),
	});
	add(
		limitSection,
		`HTTP Request ${HTTP_REQUEST_VERSION}, batch ${RATE_LIMIT} every ${LATENCY_MS} ms`,
		httpLimitedBatched,
		limitFloor,
		`limit's floor ceil(N/${RATE_LIMIT})·L = ${seconds(limitFloor)}`,
	);

	const listSection = `List with details, ${N} numbers, L = ${LATENCY_MS} ms`;
	const listUrl = `${api.url}/v1/numbers`;
	log(`${listSection}…`);
	const oursList = await measure(api, {
		load: latency,
		run: () =>
			runPilotStatus(
				api,
				{ operation: 'list', returnAll: true, options: { includeDetails: true } },
				[{}],
			),
	});
	const httpList = await measure(api, {
		load: latency,
		run: () => runChain(api, [{}], [httpRequest('List', listUrl), httpRequest('Detail', getUrl)]),
	});
	add(
		listSection,
		'PilotStatus Numbers, List + Include Details, defaults (Concurrency Auto)',
		oursList,
		httpList.seconds,
		'HTTP Request list → detail',
	);
	add(
		listSection,
		`HTTP Request ${HTTP_REQUEST_VERSION} list → HTTP Request detail, defaults`,
		httpList,
		httpList.seconds,
		'itself',
	);
	const httpListBatched = await measure(api, {
		load: latency,
		run: () =>
			runChain(
				api,
				[{}],
				[httpRequest('List', listUrl), httpRequest('Detail', getUrl, batch(CONCURRENCY))],
			),
	});
	add(
		listSection,
		`HTTP Request ${HTTP_REQUEST_VERSION} list → detail, batch ${CONCURRENCY} every ${LATENCY_MS} ms`,
		httpListBatched,
		httpList.seconds,
		'HTTP Request list → detail, defaults',
	);
	const header = [
		'Scenario',
		'Setup',
		'Wall time',
		'Measured ratio',
		'Peak in flight',
		'Failed items',
		'429s',
		'CPU time',
	];
	const table = [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map(
			(row) =>
				`| ${[row.section, row.setup, row.wall, row.ratio, row.peak, row.failed, row.refused, row.cpu].join(' | ')} |`,
		),
	].join('\n');
	return { table, engineBound: engine.seconds / floor };
}

async function main() {
	const api = await PLACEMENT.start();
	const log = (text) => process.stderr.write(`${text}\n`);
	try {
		const getUrl = `=${api.url}/v1/numbers/{{ encodeURIComponent($json.id) }}`;
		log(`Warming up n8n-core, the nodes and the sandbox…`);
		for (const run of [
			(input) => runPilotStatus(api, { operation: 'get', numberId: idFromInput }, input),
			(input) => runChain(api, input, [httpRequest('HTTP Request', getUrl)]),
			(input) => runChain(api, input, [engineReferenceNode(CONCURRENCY)]),
		]) {
			await measure(api, { count: 300, load: {}, run });
		}
		const comparison = await compareSettings(api, log);
		const references = await referenceRows(api, log);
		log(`Flattening ${FLATTEN_PAYLOADS} Meta payloads…`);
		const flattening = await flatteningRow(api);
		const report = renderReport(comparison, references, flattening);
		process.stdout.write(`\n${report.text}\n`);
		const page = path.relative(process.cwd(), REPORT);
		// A subset of the settings would replace the page's full tables with part of them.
		if (new Set(CHOSEN_SCENARIOS).size < SCENARIOS.length) {
			log(
				`\nNot written to ${page}: SCENARIOS ran only some settings; the page keeps its last full run.`,
			);
			return;
		}
		fs.mkdirSync(path.dirname(REPORT), { recursive: true });
		fs.writeFileSync(REPORT, report.markdown);
		log(`\nWritten to ${page}`);
	} finally {
		await api.close();
	}
}

function renderReport(comparison, references, flattening) {
	const flatVerdict = verdict(flattening.ratio, FLATTEN_TARGET);
	const flatteningText =
		`| Flattening (median of ${FLATTEN_ROUNDS} rounds, each timing both side by side) | CPU time | Measured ratio |\n| --- | --- | --- |\n` +
		`| \`JSON.parse\` of ${FLATTEN_PAYLOADS} Meta detail payload texts | ${flattening.parseMs.toFixed(1)} ms | 1.00× |\n` +
		`| Flattening the same ${FLATTEN_PAYLOADS} payloads to ${flattening.columns} columns (\`flattenWithShape\`) | ${flattening.flattenMs.toFixed(1)} ms | ${ratio(flattening.ratio)} JSON.parse (${flatVerdict}) |`;
	const text = `${comparison.table}\n\nTargets (issue 18):\n${comparison.verdicts}\n\n${references.table}\n\n${flatteningText}`;
	const markdown = `# Benchmarks

Written by \`${PLACEMENT.command}\` (\`scripts/bench.js\`) on its last run; run it again to refresh. It is not
part of \`npm test\`: it takes several minutes and its numbers depend on the machine. The same
comparison inside a real n8n: [benchmarks-n8n.md](benchmarks-n8n.md).

How it runs (\`API=${PLACEMENT.name}\`): ${PLACEMENT.process}; the sandbox (\`test/sandbox/\`) on 127.0.0.1 with latency added to
every answer (\`test/sandbox/load.js\`); each node run by n8n-core's \`WorkflowExecute\` through the
test harness (\`test/harness/n8n.js\`), the same way for this package's node and for n8n's HTTP
Request node (\`n8n-nodes-base\`, typeVersion ${HTTP_REQUEST_VERSION}, \`GET\` with header auth \`x-api-key\` through an
\`httpHeaderAuth\` credential). Ids come from \`{{ $json.id }}\` over ${N} input items, and both nodes
run with *On Error: Continue* so every failed item is counted. *Peak in flight*, *Mean in flight*
(weighted by time, while anything was) and *429s* are counted by the sandbox. Every row ran in full (nothing extrapolated). ${PLACEMENT.otherPage}

- Run on ${new Date().toISOString().slice(0, 10)}: ${machine.describe()}.

## Concurrency Auto next to the HTTP Request node

Each setting runs every setup ${ROUNDS === 1 ? 'once' : `${ROUNDS} times`} in alternating order (round 1: A B C, round 2: B C A,
...), so all see the machine in the same states; *Rounds* lists each run, the ratio compares
medians. *Failed items*, *Peak in flight*, *Mean in flight* and *429s* are the worst round.

${comparison.table}

The issue's targets for the node's defaults:

${comparison.verdicts}

## References and single runs

${references.table}

${flatteningText}

Reading the tables:

- **Concurrency Auto** (the default) starts at ${CONCURRENCY} requests in flight, doubles each round trip
  while that brings more answers per second, then probes and steps back around the level where
  more in flight only lengthens the answers, up to 50; a 429 or 503 halves it and a 429 caps it
  below the refused level for the rest of the run (\`nodes/shared/concurrencyLimit.ts\`). The HTTP
  Request node sends every item at once.
- **n8n-core and the HTTP Request node**: the harness reads credentials at no cost, so the HTTP
  Request node pays nothing for the credential it reads per item in a real n8n, and with every item
  in flight at once it is bound only by ${PLACEMENT.cpuBound}. This node handles answers that arrive
  together about a millisecond's worth per turn of the event loop
  (\`nodes/shared/answerTurns.ts\`), so the request for the next item leaves while the others
  wait, and its own work overlaps the latency instead of following it. At 50 in flight it is CPU-bound too, on more work per item (its checks, the
  streamed and size-limited answer, secrets removal, flattening): more in flight does not help it
  here${PLACEMENT.ceilingMeasured}. Auto spends its first round trips climbing from ${CONCURRENCY} to 50, which
  the HTTP Request node does not. In a real n8n see benchmarks-n8n.md.
- **Floor**: the time the latency alone imposes with C requests at once, ceil(N/C)·L. Nothing that
  makes real requests reaches it: timers fire a little after their time, and each request opens a
  connection and is handled by the sandbox, ${PLACEMENT.sandboxShares}.
- **References**: *Node's http client alone* is the least this machine and sandbox allow.
  *n8n engine alone* is a node that reads the id and calls \`httpRequestWithAuthentication\` with
  the PilotStatus credential, through the same pool, and does nothing else (\`EngineReference\` in
  \`scripts/bench.js\`): the least any node allows that makes its requests the way n8n asks
  community nodes to. Under the rate limit, Auto's second ratio is against that reference at ${RATE_LIMIT} at
  once with the limit off, plus the one Retry-After pause any run that meets the limit waits. At
  Concurrency ${CONCURRENCY} the engine reference took ${ratio(references.engineBound)} the floor (issue 7's target for Get is ≤ ${ratio(GET_TARGET)}).
- **Rate limit**: the sandbox answers 429 with \`Retry-After: ${RETRY_AFTER_S}\` while more than ${RATE_LIMIT} requests are
  in flight, so nothing can finish faster than ceil(N/${RATE_LIMIT})·L. This node pauses for the Retry-After,
  narrows below the refused level and finishes every item. The HTTP Request node has no such
  feedback: every refused item fails (*Failed items*), with or without batching.
- ${PLACEMENT.cpuColumn} On a machine whose cores are busy with
  other work (see the load average), the process waits for its share of a core and every wall
  time grows; compare rows of the same run rather than runs on different machines.
- **Queue**: the sandbox works on ${QUEUE.servesAtOnce} requests at a time, ${QUEUE.serviceMs} ms each, after the ${LATENCY_MS} ms latency, and
  the others wait their turn instead of being refused, as an API does that queues its work: nothing
  can finish faster than ceil(N/${QUEUE.servesAtOnce})·${QUEUE.serviceMs} ms + L, and any request beyond the ${QUEUE_BUSY_AT.toFixed(1)} in flight that keep
  it busy only waits there, slowing every other client of the API. *Mean in flight* counts the
  latency, the work and the queue: what it has beyond ${QUEUE_BUSY_AT.toFixed(1)} is about how many waited.
- **Batching** of the HTTP Request node sleeps *Interval* after every *Items per Batch* items; it
  is not a pool, so it neither waits for slow answers nor reacts to 429.
`;
	return { markdown, text };
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
