'use strict';
/**
 * `npm run bench` (not part of `npm test`): how fast and how polite the PilotStatus Numbers node is
 * next to n8n's own HTTP Request node (n8n-nodes-base, v4.2). Both run inside n8n-core through the
 * test harness, in this one process, against the sandbox on 127.0.0.1 with injected latency.
 * Prints a table of measured ratios and writes it to docs/benchmarks.md.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { registerTypes, runNode, runWorkflow } = require('../test/harness/n8n');
const { addNumbers } = require('../test/sandbox/bulk');
const { KEYS } = require('../test/sandbox/fixtures');
const { simulateLoad } = require('../test/sandbox/load');
const { startSandbox } = require('../test/sandbox/server');
const { flattenWithShape } = require('../dist/nodes/shared/flatten');
const { detailShape } = require('../dist/nodes/shared/numberShapes');
const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');
const { HttpHeaderAuth } = require('n8n-nodes-base/dist/credentials/HttpHeaderAuth.credentials.js');

const N = 1000;
const LATENCY_MS = 50;
const CONCURRENCY = 5;
const RATE_LIMIT = 10;
const FLATTEN_PAYLOADS = 10000;
const HTTP_REQUEST_VERSION = 4.2;
const REPORT = path.resolve(__dirname, '../docs/benchmarks.md');

registerTypes({ nodes: { 'n8n-nodes-base.httpRequest': new HttpRequest() }, credentials: [new HttpHeaderAuth()] });

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
		parameters: { method: 'GET', url, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', options },
	};
}

/** Runs a chain of HTTP Request nodes after the Input node and returns the last one's items. */
async function runHttpRequestChain(sandbox, input, chain) {
	const nodes = [
		{ id: 'in', name: 'Input', type: 'test.inputItems', typeVersion: 1, position: [0, 0], parameters: { items: input } },
		...chain,
	];
	const names = nodes.map((node) => node.name);
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
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
					resolve({ json: response.statusCode === 200 ? JSON.parse(body) : { error: response.statusCode } }),
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

/** Median CPU time of `runs` passes of `work`, in milliseconds: steadier than wall time on a shared machine. */
function medianCpuMs(runs, work) {
	const times = [];
	for (let run = 0; run < runs; run++) {
		const before = process.cpuUsage();
		work();
		const used = process.cpuUsage(before);
		times.push((used.user + used.system) / 1000);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function flatteningRow(sandbox) {
	sandbox.reset();
	const response = await fetch(`${sandbox.url}/v1/numbers/wa_abc`, { headers: { 'x-api-key': KEYS.acmeTenant } });
	const template = await response.json();
	const texts = Array.from({ length: FLATTEN_PAYLOADS }, (_, index) => JSON.stringify({ ...template, id: `wa_${index}` }));
	const parsed = texts.map((text) => JSON.parse(text));
	let sink = 0;
	const parseMs = medianCpuMs(15, () => {
		for (const text of texts) sink += JSON.parse(text).id.length;
	});
	const flattenMs = medianCpuMs(15, () => {
		for (const payload of parsed) sink += flattenWithShape(payload, detailShape).id.length;
	});
	return { parseMs, flattenMs, columns: Object.keys(flattenWithShape(parsed[0], detailShape)).length, sink };
}

const seconds = (value) => `${value.toFixed(2)} s`;
const ratio = (value) => `${value.toFixed(2)}×`;
/** The issue's targets, checked against what was measured. */
const verdict = (measured, target) => `target ≤ ${ratio(target)}: ${measured <= target ? 'met' : 'missed'}`;
const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(', ');
const loadAtStart = loadAverage();

async function main() {
	const sandbox = await startSandbox();
	const rows = [];
	const add = (section, setup, result, reference, referenceLabel, target) =>
		rows.push({
			section,
			setup,
			wall: seconds(result.seconds),
			cpu: seconds(result.cpuSeconds),
			ratio: `${ratio(result.seconds / reference)} ${referenceLabel}${target ? ` (${verdict(result.seconds / reference, target)})` : ''}`,
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
			(input) => runHttpRequestChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
		]) {
			await measure(sandbox, { count: 300, load: {}, run });
		}
		const floor = Math.ceil(N / CONCURRENCY) * LATENCY_MS / 1000;
		const sequentialFloor = (N * LATENCY_MS) / 1000;
		const limitFloor = Math.ceil(N / RATE_LIMIT) * LATENCY_MS / 1000;
		const batch = (batchSize) => ({ batching: { batch: { batchSize, batchInterval: LATENCY_MS } } });
		const getSection = `Get, N = ${N}, L = ${LATENCY_MS} ms`;

		log(`${getSection}: bare http client…`);
		const bare = await measure(sandbox, { load: latency, run: (input) => runBareClient(sandbox, input, CONCURRENCY) });
		add(getSection, `Reference: Node's http client alone, ${CONCURRENCY} at once, no n8n`, bare, floor, `floor ceil(N/C)·L = ${seconds(floor)}`);

		log(`${getSection}: this node, default concurrency…`);
		const ours = await measure(sandbox, {
			load: latency,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput }, input),
		});
		add(getSection, `PilotStatus Numbers, concurrency ${CONCURRENCY} (default)`, ours, floor, `floor ceil(N/C)·L = ${seconds(floor)}`, 1.25);

		log(`${getSection}: this node, concurrency 1 (about ${sequentialFloor} s)…`);
		const sequential = await measure(sandbox, {
			load: latency,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput, options: { concurrency: 1 } }, input),
		});
		add(getSection, 'PilotStatus Numbers, concurrency 1', sequential, sequentialFloor, `N·L = ${seconds(sequentialFloor)}`);

		log(`${getSection}: HTTP Request node, defaults…`);
		const httpDefaults = await measure(sandbox, {
			load: latency,
			run: (input) => runHttpRequestChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
		});
		add(getSection, `HTTP Request ${HTTP_REQUEST_VERSION}, defaults`, httpDefaults, ours.seconds, 'this node');

		log(`${getSection}: HTTP Request node, batching…`);
		const httpBatched = await measure(sandbox, {
			load: latency,
			run: (input) => runHttpRequestChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl, batch(CONCURRENCY))]),
		});
		add(getSection, `HTTP Request ${HTTP_REQUEST_VERSION}, batch ${CONCURRENCY} every ${LATENCY_MS} ms`, httpBatched, ours.seconds, 'this node');

		const limitSection = `Get, N = ${N}, L = ${LATENCY_MS} ms, 429 above ${RATE_LIMIT} in flight (Retry-After: 1)`;
		const limited = { ...latency, maxInFlight: RATE_LIMIT, retryAfter: '1' };
		const limitLabel = `limit's floor ceil(N/${RATE_LIMIT})·L = ${seconds(limitFloor)}`;
		log(`${limitSection}: this node, concurrency 50 and ${CONCURRENCY}…`);
		const oursEager = await measure(sandbox, {
			load: limited,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput, options: { concurrency: 50 } }, input),
		});
		add(limitSection, 'PilotStatus Numbers, concurrency 50 (above the limit)', oursEager, limitFloor, limitLabel, 1.5);
		const oursLimited = await measure(sandbox, {
			load: limited,
			run: (input) => runPilotStatus(sandbox, { operation: 'get', numberId: idFromInput }, input),
		});
		add(limitSection, `PilotStatus Numbers, concurrency ${CONCURRENCY} (default)`, oursLimited, limitFloor, limitLabel);
		log(`${limitSection}: HTTP Request node…`);
		const httpLimited = await measure(sandbox, {
			load: limited,
			run: (input) => runHttpRequestChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl)]),
		});
		add(limitSection, `HTTP Request ${HTTP_REQUEST_VERSION}, defaults`, httpLimited, limitFloor, limitLabel);
		const httpLimitedBatched = await measure(sandbox, {
			load: limited,
			run: (input) => runHttpRequestChain(sandbox, input, [httpRequestNode('HTTP Request', getUrl, batch(RATE_LIMIT))]),
		});
		add(limitSection, `HTTP Request ${HTTP_REQUEST_VERSION}, batch ${RATE_LIMIT} every ${LATENCY_MS} ms`, httpLimitedBatched, limitFloor, limitLabel);

		const listSection = `List with details, ${N} numbers, L = ${LATENCY_MS} ms`;
		const listFloor = LATENCY_MS / 1000 + floor;
		const listUrl = `${sandbox.url}/v1/numbers`;
		log(`${listSection}…`);
		const oursList = await measure(sandbox, {
			load: latency,
			run: () => runPilotStatus(sandbox, { operation: 'list', returnAll: true, options: { includeDetails: true } }, [{}]),
		});
		add(listSection, `PilotStatus Numbers, List + Include Details, concurrency ${CONCURRENCY}`, oursList, listFloor, `floor L + ceil(N/C)·L = ${seconds(listFloor)}`);
		const httpList = await measure(sandbox, {
			load: latency,
			run: () => runHttpRequestChain(sandbox, [{}], [httpRequestNode('List', listUrl), httpRequestNode('Detail', getUrl)]),
		});
		add(listSection, `HTTP Request ${HTTP_REQUEST_VERSION} list → HTTP Request detail, defaults`, httpList, oursList.seconds, 'this node');
		const httpListBatched = await measure(sandbox, {
			load: latency,
			run: () =>
				runHttpRequestChain(sandbox, [{}], [httpRequestNode('List', listUrl), httpRequestNode('Detail', getUrl, batch(CONCURRENCY))]),
		});
		add(listSection, `HTTP Request ${HTTP_REQUEST_VERSION} list → detail, batch ${CONCURRENCY} every ${LATENCY_MS} ms`, httpListBatched, oursList.seconds, 'this node');

		log(`Flattening ${FLATTEN_PAYLOADS} Meta payloads…`);
		const flattening = await flatteningRow(sandbox);

		const report = renderReport(rows, flattening);
		process.stdout.write(`\n${report.table}\n\n${report.flattening}\n`);
		fs.mkdirSync(path.dirname(REPORT), { recursive: true });
		fs.writeFileSync(REPORT, report.markdown);
		log(`\nWritten to ${path.relative(process.cwd(), REPORT)}`);
	} finally {
		await sandbox.close();
	}
}

function machine() {
	const cpus = os.cpus();
	return {
		cpu: `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}`,
		node: process.version,
		os: `${os.type()} ${os.release()} (${os.arch()})`,
		load: loadAverage(),
	};
}

function renderReport(rows, flattening) {
	const header = ['Scenario', 'Setup', 'Wall time', 'Measured ratio', 'Peak in flight', 'Failed items', '429s', 'CPU time'];
	const lines = [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map((row) => `| ${[row.section, row.setup, row.wall, row.ratio, row.peak, row.failed, row.refused, row.cpu].join(' | ')} |`),
	];
	const flatRatio = flattening.flattenMs / flattening.parseMs;
	const flatVerdict = verdict(flatRatio, 2);
	const flatteningText =
		`| Flattening (median CPU time of 15 passes) | Time | Measured ratio |\n| --- | --- | --- |\n` +
		`| \`JSON.parse\` of ${FLATTEN_PAYLOADS} Meta detail payload texts | ${flattening.parseMs.toFixed(1)} ms | 1.00× |\n` +
		`| Flattening the same ${FLATTEN_PAYLOADS} payloads to ${flattening.columns} columns (\`flattenWithShape\`) | ${flattening.flattenMs.toFixed(1)} ms | ${ratio(flatRatio)} JSON.parse (${flatVerdict}) |`;
	const host = machine();
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

- Run on ${new Date().toISOString().slice(0, 10)}: ${host.cpu}; Node.js ${host.node}; ${host.os}; load average (1, 5, 15 min) ${loadAtStart} at the start, ${host.load} at the end.

${lines.join('\n')}

${flatteningText}

Reading the table:

- **Floor**: the time the latency alone imposes with C requests at once, ceil(N/C)·L. The
  *Reference* row is what a bare client gets on the same machine and sandbox (timers fire a little
  after 50 ms, each request opens a connection). What is above it is the per-item cost of n8n's engine (parameter and expression resolution, the
  credential, axios, a new connection per request) and of the sandbox, which share this one
  process. *CPU time* is what the process used during the row. On a machine whose cores are busy
  with other work (see the load average), the process waits for its share of a core and every
  wall time grows; compare rows of the same run rather than runs on different machines.
- **Rate limit**: the sandbox answers 429 with \`Retry-After: 1\` while more than ${RATE_LIMIT} requests are
  in flight, so nothing can finish faster than ceil(N/${RATE_LIMIT})·L. This node, asked for 50 at once,
  pauses for the Retry-After, narrows to what the API took and finishes every item. The HTTP
  Request node has no such feedback: every refused item fails (*Failed items*), with or without
  batching, which only sleeps between batches.
- **Batching** of the HTTP Request node sleeps *Interval* after every *Items per Batch* items; it
  is not a pool, so it neither waits for slow answers nor reacts to 429.
`;
	return { markdown, table: lines.join('\n'), flattening: flatteningText };
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
