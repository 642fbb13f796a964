'use strict';
/**
 * `npm run bench` (not part of `npm test`): how fast and how polite the PilotStatus Numbers node is
 * next to n8n's own HTTP Request node (n8n-nodes-base, v4.2). Both run inside n8n-core through the
 * test harness, in this one process, against the sandbox on 127.0.0.1 with injected latency.
 * Prints a table of measured ratios and writes it to docs/benchmarks.md.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { registerTypes, runNode, runWorkflow } = require('../test/harness/n8n');
const { addNumbers } = require('../test/sandbox/bulk');
const { KEYS } = require('../test/sandbox/fixtures');
const { simulateLoad } = require('../test/sandbox/load');
const { startSandbox } = require('../test/sandbox/server');
const { flattenWithShape } = require('../dist/nodes/shared/flatten');
const { detailShape } = require('../dist/nodes/shared/numberShapes');
const { mapInPool } = require('../dist/nodes/shared/pool');
const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');
const { HttpHeaderAuth } = require('n8n-nodes-base/dist/credentials/HttpHeaderAuth.credentials.js');
const { median, watchMachine } = require('./benchMachine');

const N = 1000;
const LATENCY_MS = 50;
const CONCURRENCY = 5;
const RATE_LIMIT = 10;
const RETRY_AFTER_S = 1;
/** The targets: Get at default concurrency vs the floor, and under the rate limit vs the limit's floor. */
const GET_TARGET = 1.25;
const LIMIT_TARGET = 1.5;
/** Flattening 10,000 detail payloads vs `JSON.parse` of their text. */
const FLATTEN_TARGET = 2;
const FLATTEN_PAYLOADS = 10000;
const HTTP_REQUEST_VERSION = 4.2;
const REPORT = path.resolve(__dirname, '../docs/benchmarks.md');

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

/** A fresh account of exactly `count` numbers behind the given load knobs. */
function prepare(sandbox, count, load) {
	sandbox.reset();
	sandbox.tenants.acme.numbers = [];
	const ids = addNumbers(sandbox, count);
	return { ids, load: simulateLoad(sandbox, load) };
}

/** One HTTP Request node as n8n's editor saves it: GET, header auth through an httpHeaderAuth credential. */
function httpRequestNode(name, url, options = {}) {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		position: [400, 0],
		onError: 'continueRegularOutput',
		credentials: { httpHeaderAuth: { id: '2', name: 'PilotStatus key' } },
		parameters: {
			method: 'GET',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			options,
		},
	};
}

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
async function runChain(sandbox, input, chain) {
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
		credentials: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
		otherCredentials: { httpHeaderAuth: { name: 'x-api-key', value: KEYS.acmeTenant } },
	});
	if (result.error) throw result.error;
	return result.output(names[names.length - 1]);
}

async function runPilotStatus(sandbox, parameters, input) {
	const result = await runNode({
		parameters,
		credentials: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
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
async function runBareClient(sandbox, input, concurrency) {
	const options = { headers: { 'x-api-key': KEYS.acmeTenant }, agent: false };
	const get = (id) =>
		new Promise((resolve, reject) => {
			const url = `${sandbox.url}/v1/numbers/${encodeURIComponent(id)}`;
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
async function measure(sandbox, { count = N, load, run }) {
	const prepared = prepare(sandbox, count, load);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const items = await run(prepared.ids.map((id) => ({ id })));
	const seconds = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	return {
		seconds,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		items: items.length,
		failed: items.filter((item) => item.json.error !== undefined).length,
		peak: prepared.load.peak,
		refused: prepared.load.limited,
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
async function flatteningRow(sandbox) {
	sandbox.reset();
	const response = await fetch(`${sandbox.url}/v1/numbers/wa_abc`, {
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

const seconds = (value) => `${value.toFixed(2)} s`;
const ratio = (value) => `${value.toFixed(2)}×`;
/** The targets, checked against what was measured. */
const verdict = (measured, target) =>
	`target ≤ ${ratio(target)}: ${measured <= target ? 'met' : 'missed'}`;
const machine = watchMachine();

async function main() {
	const sandbox = await startSandbox();
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
	const log = (text) => process.stderr.write(`${text}\n`);
	try {
		const latency = { latencyMs: LATENCY_MS };
		const getUrl = `=${sandbox.url}/v1/numbers/{{ encodeURIComponent($json.id) }}`;
		log(`Warming up n8n-core, both nodes and the sandbox…`);
		for (const run of [
			(input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput }, input),
			(input) => runChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
			(input) => runChain(sandbox, input, [engineReferenceNode(CONCURRENCY)]),
		]) {
			await measure(sandbox, { count: 300, load: {}, run });
		}
		const floor = (Math.ceil(N / CONCURRENCY) * LATENCY_MS) / 1000;
		const sequentialFloor = (N * LATENCY_MS) / 1000;
		const limitFloor = (Math.ceil(N / RATE_LIMIT) * LATENCY_MS) / 1000;
		const batch = (batchSize) => ({
			batching: { batch: { batchSize, batchInterval: LATENCY_MS } },
		});
		const getSection = `Get, N = ${N}, L = ${LATENCY_MS} ms`;

		log(`${getSection}: bare http client…`);
		const bare = await measure(sandbox, {
			load: latency,
			run: (input) => runBareClient(sandbox, input, CONCURRENCY),
		});
		add(
			getSection,
			`Reference: Node's http client alone, ${CONCURRENCY} at once, no n8n`,
			bare,
			floor,
			`floor ceil(N/C)·L = ${seconds(floor)}`,
		);

		log(`${getSection}: engine reference…`);
		const engine = await measure(sandbox, {
			load: latency,
			run: (input) => runChain(sandbox, input, [engineReferenceNode(CONCURRENCY)]),
		});
		add(
			getSection,
			`Reference: n8n engine alone (engine reference node), ${CONCURRENCY} at once`,
			engine,
			floor,
			`floor ceil(N/C)·L = ${seconds(floor)}`,
		);

		log(`${getSection}: this node, default concurrency…`);
		const ours = await measure(sandbox, {
			load: latency,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput }, input),
		});
		add(
			getSection,
			`PilotStatus Numbers, concurrency ${CONCURRENCY} (default)`,
			ours,
			floor,
			`floor ceil(N/C)·L = ${seconds(floor)}`,
			GET_TARGET,
			`${ratio(ours.seconds / engine.seconds)} engine reference`,
		);

		log(`${getSection}: this node, concurrency 1 (about ${sequentialFloor} s)…`);
		const sequential = await measure(sandbox, {
			load: latency,
			run: (input) =>
				runPilotStatus(
					sandbox,
					{ operation: 'get', numberId: idFromInput, options: { concurrency: 1 } },
					input,
				),
		});
		add(
			getSection,
			'PilotStatus Numbers, concurrency 1',
			sequential,
			sequentialFloor,
			`N·L = ${seconds(sequentialFloor)}`,
		);

		log(`${getSection}: HTTP Request node, defaults…`);
		const httpDefaults = await measure(sandbox, {
			load: latency,
			run: (input) => runChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
		});
		add(
			getSection,
			`HTTP Request ${HTTP_REQUEST_VERSION}, defaults`,
			httpDefaults,
			ours.seconds,
			'this node',
		);

		log(`${getSection}: HTTP Request node, batching…`);
		const httpBatched = await measure(sandbox, {
			load: latency,
			run: (input) =>
				runChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl, batch(CONCURRENCY))]),
		});
		add(
			getSection,
			`HTTP Request ${HTTP_REQUEST_VERSION}, batch ${CONCURRENCY} every ${LATENCY_MS} ms`,
			httpBatched,
			ours.seconds,
			'this node',
		);

		const limitSection = `Get, N = ${N}, L = ${LATENCY_MS} ms, 429 above ${RATE_LIMIT} in flight (Retry-After: ${RETRY_AFTER_S})`;
		const limited = { ...latency, maxInFlight: RATE_LIMIT, retryAfter: String(RETRY_AFTER_S) };
		const limitLabel = `limit's floor ceil(N/${RATE_LIMIT})·L = ${seconds(limitFloor)}`;
		log(`${limitSection}: engine reference at ${RATE_LIMIT} in flight, without the limit…`);
		const engineAtLimit = await measure(sandbox, {
			load: latency,
			run: (input) => runChain(sandbox, input, [engineReferenceNode(RATE_LIMIT)]),
		});
		add(
			limitSection,
			`Reference: n8n engine alone, ${RATE_LIMIT} at once (all the limit allows), limit off`,
			engineAtLimit,
			limitFloor,
			limitLabel,
		);
		// Honouring the first 429 costs one Retry-After pause, which no run over the limit avoids.
		const engineAtLimitWithPause = engineAtLimit.seconds + RETRY_AFTER_S;
		log(`${limitSection}: this node, concurrency 50 and ${CONCURRENCY}…`);
		const oursEager = await measure(sandbox, {
			load: limited,
			run: (input) =>
				runPilotStatus(
					sandbox,
					{ operation: 'get', numberId: idFromInput, options: { concurrency: 50 } },
					input,
				),
		});
		add(
			limitSection,
			'PilotStatus Numbers, concurrency 50 (above the limit)',
			oursEager,
			limitFloor,
			limitLabel,
			LIMIT_TARGET,
			`${ratio(oursEager.seconds / engineAtLimitWithPause)} engine reference + one ${RETRY_AFTER_S} s pause = ${seconds(engineAtLimitWithPause)}`,
		);
		const oursLimited = await measure(sandbox, {
			load: limited,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput }, input),
		});
		add(
			limitSection,
			`PilotStatus Numbers, concurrency ${CONCURRENCY} (default)`,
			oursLimited,
			limitFloor,
			limitLabel,
		);
		log(`${limitSection}: HTTP Request node…`);
		const httpLimited = await measure(sandbox, {
			load: limited,
			run: (input) => runChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
		});
		add(
			limitSection,
			`HTTP Request ${HTTP_REQUEST_VERSION}, defaults`,
			httpLimited,
			limitFloor,
			limitLabel,
		);
		const httpLimitedBatched = await measure(sandbox, {
			load: limited,
			run: (input) =>
				runChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl, batch(RATE_LIMIT))]),
		});
		add(
			limitSection,
			`HTTP Request ${HTTP_REQUEST_VERSION}, batch ${RATE_LIMIT} every ${LATENCY_MS} ms`,
			httpLimitedBatched,
			limitFloor,
			limitLabel,
		);

		const listSection = `List with details, ${N} numbers, L = ${LATENCY_MS} ms`;
		const listFloor = LATENCY_MS / 1000 + floor;
		const listUrl = `${sandbox.url}/v1/numbers`;
		log(`${listSection}…`);
		const oursList = await measure(sandbox, {
			load: latency,
			run: () =>
				runPilotStatus(
					sandbox,
					{ operation: 'list', returnAll: true, options: { includeDetails: true } },
					[{}],
				),
		});
		add(
			listSection,
			`PilotStatus Numbers, List + Include Details, concurrency ${CONCURRENCY}`,
			oursList,
			listFloor,
			`floor L + ceil(N/C)·L = ${seconds(listFloor)}`,
		);
		const httpList = await measure(sandbox, {
			load: latency,
			run: () =>
				runChain(
					sandbox,
					[{}],
					[httpRequestNode('List', listUrl), httpRequestNode('Detail', getUrl)],
				),
		});
		add(
			listSection,
			`HTTP Request ${HTTP_REQUEST_VERSION} list → HTTP Request detail, defaults`,
			httpList,
			oursList.seconds,
			'this node',
		);
		const httpListBatched = await measure(sandbox, {
			load: latency,
			run: () =>
				runChain(
					sandbox,
					[{}],
					[httpRequestNode('List', listUrl), httpRequestNode('Detail', getUrl, batch(CONCURRENCY))],
				),
		});
		add(
			listSection,
			`HTTP Request ${HTTP_REQUEST_VERSION} list → detail, batch ${CONCURRENCY} every ${LATENCY_MS} ms`,
			httpListBatched,
			oursList.seconds,
			'this node',
		);

		log(`Flattening ${FLATTEN_PAYLOADS} Meta payloads…`);
		const flattening = await flatteningRow(sandbox);

		// What the engine reference allows, next to the targets: no node on n8n's request helper beats it.
		const engineBounds = {
			get: engine.seconds / floor,
			limit: engineAtLimitWithPause / limitFloor,
		};
		const report = renderReport(rows, flattening, engineBounds);
		process.stdout.write(`\n${report.table}\n\n${report.flattening}\n`);
		fs.mkdirSync(path.dirname(REPORT), { recursive: true });
		fs.writeFileSync(REPORT, report.markdown);
		log(`\nWritten to ${path.relative(process.cwd(), REPORT)}`);
	} finally {
		await sandbox.close();
	}
}

function renderReport(rows, flattening, engineBounds) {
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
	const lines = [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map(
			(row) =>
				`| ${[row.section, row.setup, row.wall, row.ratio, row.peak, row.failed, row.refused, row.cpu].join(' | ')} |`,
		),
	];
	const flatRatio = flattening.ratio;
	const flatVerdict = verdict(flatRatio, FLATTEN_TARGET);
	const flatteningText =
		`| Flattening (median of ${FLATTEN_ROUNDS} rounds, each timing both side by side) | CPU time | Measured ratio |\n| --- | --- | --- |\n` +
		`| \`JSON.parse\` of ${FLATTEN_PAYLOADS} Meta detail payload texts | ${flattening.parseMs.toFixed(1)} ms | 1.00× |\n` +
		`| Flattening the same ${FLATTEN_PAYLOADS} payloads to ${flattening.columns} columns (\`flattenWithShape\`) | ${flattening.flattenMs.toFixed(1)} ms | ${ratio(flatRatio)} JSON.parse (${flatVerdict}) |`;
	const markdown = `# Benchmarks

Written by \`npm run bench\` (\`scripts/bench.js\`) on its last run; run it again to refresh. It is not
part of \`npm test\`: it takes a few minutes and its numbers depend on the machine.

How it runs: one Node.js process; the sandbox (\`test/sandbox/\`) on 127.0.0.1 with ${LATENCY_MS} ms added to
every answer (\`test/sandbox/load.js\`); each node run by n8n-core's \`WorkflowExecute\` through the
test harness (\`test/harness/n8n.js\`), the same way for this package's node and for n8n's HTTP
Request node (\`n8n-nodes-base\`, typeVersion ${HTTP_REQUEST_VERSION}, \`GET\` with header auth through an
\`httpHeaderAuth\` credential). Ids come from \`{{ $json.id }}\` over ${N} input items, and both nodes
run with *On Error: Continue* so every failed item is counted. *Peak in flight* and *429s* are
counted by the sandbox. Every row ran in full (nothing extrapolated).

- Run on ${new Date().toISOString().slice(0, 10)}: ${machine.describe()}.

${lines.join('\n')}

${flatteningText}

Reading the table:

- **Floor**: the time the latency alone imposes with C requests at once, ceil(N/C)·L. Nothing
  that makes real requests reaches it: timers fire a little after 50 ms, and each request opens
  a connection and is handled by the sandbox, which shares this one process.
- **References**: *Node's http client alone* is the least this machine and sandbox allow.
  *n8n engine alone* is a node that reads the id and calls \`httpRequestWithAuthentication\` with
  the PilotStatus credential, through the same pool, and does nothing else (\`EngineReference\` in
  \`scripts/bench.js\`): the least any node allows that makes its requests the way n8n asks
  community nodes to. The gap between the two is n8n-core's request path: evaluating the id's
  expression for every item, the credential's header, axios. It
  grows with concurrency because replies that reach the process together are handled one after
  another, so each next request waits for the work of the others before it goes out. PilotStatus
  Numbers' second ratio is against that engine reference: what is above 1.00× is the node's own
  work (checks, the throttle, de-duplication, flattening).
- **Targets**: the issue asks for ≤ ${ratio(GET_TARGET)} the floor for Get and ≤ ${ratio(LIMIT_TARGET)} the limit's floor under the
  rate limit. A node that sends its requests through n8n's request helper does no better than the engine
  reference, which in this run took ${ratio(engineBounds.get)} the floor (${verdict(engineBounds.get, GET_TARGET)}) and, with the one Retry-After pause
  any run over the limit waits, ${ratio(engineBounds.limit)} the limit's floor (${verdict(engineBounds.limit, LIMIT_TARGET)}).
- **CPU time** is what the process used during the row. On a machine whose cores are busy with
  other work (see the load average), the process waits for its share of a core and every wall
  time grows; compare rows of the same run rather than runs on different machines.
- **Rate limit**: the sandbox answers 429 with \`Retry-After: ${RETRY_AFTER_S}\` while more than ${RATE_LIMIT} requests are
  in flight, so nothing can finish faster than ceil(N/${RATE_LIMIT})·L. This node, asked for 50 at once,
  pauses once for the Retry-After, narrows to what the API took and finishes every item; its
  second ratio is against the engine reference at ${RATE_LIMIT} at once (the limit off) plus that one pause.
  The HTTP Request node has no such feedback: every refused item fails (*Failed items*), with or
  without batching, which only sleeps between batches.
- **Batching** of the HTTP Request node sleeps *Interval* after every *Items per Batch* items; it
  is not a pool, so it neither waits for slow answers nor reacts to 429.
`;
	return { markdown, table: lines.join('\n'), flattening: flatteningText };
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
