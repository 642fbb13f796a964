'use strict';
/**
 * `node scripts/bench-n8n.js [tarball ...]` (not part of `npm test`): this package's Get next to
 * n8n's HTTP Request node inside a real n8n (`n8n execute`), in the settings of
 * scripts/benchCompare.js (no latency, 50 ms, jittered, a limit of 10 in flight, a PilotStatus that
 * queues), in alternating rounds.
 *
 * With no tarball it packs this repository (dist/ must be built). With tarballs (e.g. one packed
 * from an older commit and one from now) each build's Get with its defaults is a row. Each build
 * gets its own throw-away n8n user folder with the package installed as n8n installs community
 * packages, a PilotStatus credential, an HTTP Header Auth credential (`x-api-key`) and the
 * workflows Manual Trigger → List (Return All) → Get with `{{ $json.id }}` (defaults, and with
 * Concurrency 5), and Manual Trigger → List → HTTP Request GET of every listed id. The time reported
 * is the timed node's `executionTime` from n8n's run data, so n8n's start-up and the List are left
 * out. The sandbox runs in this process on 127.0.0.1 and counts the peak and mean in flight and the
 * 429s.
 * Prints a markdown table; writes no report.
 *
 * Env: N items (default 1000), ROUNDS (default 3), SCENARIOS (default all), N8N_VERSION (default
 * 2.41.1; a line pinned in e2e/install-n8n.js, installed into e2e/.n8n/ on first use).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createN8n, packPackage, parseRun } = require('../e2e/n8n');
const { PINNED } = require('../e2e/install-n8n');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const {
	HTTP_REQUEST_VERSION,
	alternate,
	cannotRun,
	requireBuild,
	chosenScenarios,
	httpRequestNode,
	positiveInt,
	prepare,
	renderComparison,
	roundsText,
} = require('./benchCompare');
const { watchMachine } = require('./benchMachine');

const REPO = path.join(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-pilotstatus.pilotStatusNumbers';
const CREDENTIAL = { id: 'psBenchN8nCred01', name: 'PilotStatus bench' };
const HEADER_CREDENTIAL = { id: 'psBenchN8nHead01', name: 'PilotStatus key (header)' };
/** The node whose time is read from each workflow's run data. */
const TIMED_NODE = 'Timed';
/** One `n8n execute` of a thousand items takes seconds; one that hangs is stopped after this. */
const EXECUTE_TIMEOUT_MS = 600_000;
const WORKFLOWS = {
	auto: 'PilotStatus bench: List → Get (defaults)',
	five: 'PilotStatus bench: List → Get (Concurrency 5)',
	http: 'PilotStatus bench: List → HTTP Request',
};

const log = (text) => process.stderr.write(`${text}\n`);

function settings() {
	const version = process.env.N8N_VERSION || '2.41.1';
	if (!PINNED[version])
		cannotRun(`N8N_VERSION ${version} is not pinned; pinned: ${Object.keys(PINNED).join(', ')}`);
	return {
		count: positiveInt('N', 1000),
		rounds: positiveInt('ROUNDS', 3),
		scenarios: chosenScenarios(),
		version,
	};
}

/** The tarballs named on the command line, checked before any n8n is set up. */
function tarballsFromArgs(args) {
	const tarballs = args.map((arg) => path.resolve(arg));
	for (const tarball of tarballs) {
		if (!fs.statSync(tarball, { throwIfNoEntry: false })?.isFile())
			cannotRun(`No such tarball: ${tarball}`);
	}
	return tarballs;
}

/** `npm pack` of this repository into a temp folder; `npm pack` alone would not say that dist/ is missing. */
function packRepository() {
	requireBuild();
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-pack-'));
	log(`Packing ${REPO}…`);
	return { tarball: packPackage(destination), folder: destination };
}

/** Table labels: the file name, or the path as given when two builds share a file name. */
function labels(tarballs) {
	const names = tarballs.map((tarball) => path.basename(tarball));
	return tarballs.map((tarball, index) =>
		names.indexOf(names[index]) === names.lastIndexOf(names[index])
			? names[index]
			: path.relative(process.cwd(), tarball),
	);
}

/**
 * Manual Trigger → List (Return All) → `timed`, as n8n's editor saves it: the timed node is this
 * package's Get of every listed id, or n8n's HTTP Request node GETting each one.
 */
function benchWorkflow(name, timed) {
	const credentials = { pilotStatusApi: { ...CREDENTIAL } };
	const next = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		name,
		nodes: [
			{
				id: 'Start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'List',
				name: 'List',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'list', returnAll: true },
				credentials,
			},
			{ ...timed, id: TIMED_NODE, name: TIMED_NODE, position: [400, 0] },
		],
		connections: { Start: next('List'), List: next(TIMED_NODE) },
		settings: {},
		active: false,
	};
}

/** This package's Get of `{{ $json.id }}` with the given options. */
const getNode = (options) => ({
	type: NODE_TYPE,
	typeVersion: 1,
	parameters: {
		operation: 'get',
		numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		options,
	},
	credentials: { pilotStatusApi: { ...CREDENTIAL } },
});

/**
 * One build set up in its own n8n user folder. The folder is made here, not by createN8n, and
 * registered in `folders` first, so it is removed even when the install or an import fails.
 */
async function setUpBuild({ tarball, label, version, sandbox, folders }) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `pilotstatus-bench-n8n-${version}-`));
	folders.push(userFolder);
	log(`${label}: installing into n8n ${version} (${userFolder})…`);
	// n8n's task runner passes N8N_VERSION on; this script's knob of that name is not meant for n8n.
	const n8n = await createN8n({ version, tarball, userFolder, env: { N8N_VERSION: undefined } });
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'pilotStatusApi',
			data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
		},
		{
			...HEADER_CREDENTIAL,
			type: 'httpHeaderAuth',
			data: { name: 'x-api-key', value: KEYS.acmeTenant },
		},
	]);
	const http = httpRequestNode({
		name: TIMED_NODE,
		url: `=${sandbox.url}/v1/numbers/{{ encodeURIComponent($json.id) }}`,
		credential: { ...HEADER_CREDENTIAL },
	});
	const workflows = {
		auto: benchWorkflow(WORKFLOWS.auto, getNode({})),
		five: benchWorkflow(WORKFLOWS.five, getNode({ concurrency: 5 })),
		http: benchWorkflow(WORKFLOWS.http, http),
	};
	const files = Object.entries(workflows).map(([key, workflow]) => {
		const file = path.join(userFolder, `bench-${key}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		return file;
	});
	const ids = await n8n.importWorkflows(files);
	for (const name of Object.values(WORKFLOWS))
		if (!ids[name]) throw new Error(`${label}: the workflow "${name}" was not imported`);
	return {
		label,
		n8n,
		ids: Object.fromEntries(Object.entries(WORKFLOWS).map(([key, name]) => [key, ids[name]])),
	};
}

/**
 * `n8n execute --rawOutput` with its output going to a file, not a pipe: n8n prints the run through
 * its logger and exits at once, and from a pipe the end of a run of a few megabytes (a thousand
 * detail items) was seen cut off; writes to a file are synchronous.
 */
async function execute(n8n, workflowId) {
	const file = path.join(n8n.userFolder, 'execute-output.txt');
	const output = fs.openSync(file, 'w');
	try {
		const { code, signal } = await new Promise((resolve, reject) => {
			const child = spawn(
				n8n.install.node,
				[n8n.install.n8n, 'execute', `--id=${workflowId}`, '--rawOutput'],
				{
					cwd: n8n.userFolder,
					env: n8n.env,
					stdio: ['ignore', output, output],
				},
			);
			const timer = setTimeout(() => child.kill('SIGKILL'), EXECUTE_TIMEOUT_MS);
			child.on('error', reject);
			child.on('close', (exitCode, exitSignal) => {
				clearTimeout(timer);
				resolve({ code: exitCode, signal: exitSignal });
			});
		});
		const stdout = fs.readFileSync(file, 'utf8');
		return { code, signal, stdout, stderr: '', run: parseRun(stdout) };
	} finally {
		fs.closeSync(output);
		fs.rmSync(file, { force: true });
	}
}

/** What n8n printed last, to show why a run failed. */
const tail = (text, length = 3000) => (text.length > length ? `…${text.slice(-length)}` : text);

/**
 * Runs one contender's workflow once in a setting and returns its measurement; a run that fails as
 * a whole (no run data, the node missing or stopped, a wrong item count) stops the bench. Items
 * with an error field are counted: the HTTP Request node loses items under the rate limit.
 */
async function timeRun({ build, workflow, label }, sandbox, count, load) {
	const prepared = prepare(sandbox, count, load);
	const result = await execute(build.n8n, build.ids[workflow]);
	const fail = (why) => {
		throw new Error(
			`${label}: ${why} (n8n exit ${result.code ?? result.signal})\n${tail(result.stdout)}\n${tail(result.stderr)}`,
		);
	};
	if (!result.run) fail('n8n printed no run data');
	const runError = result.run.data?.resultData?.error;
	if (runError) fail(`the run failed: ${runError.message ?? JSON.stringify(runError)}`);
	if (result.code !== 0) fail('n8n execute failed');
	const timed = result.run.data.resultData.runData?.[TIMED_NODE]?.[0];
	if (!timed) fail(`the ${TIMED_NODE} node did not run`);
	if (timed.error)
		fail(`the ${TIMED_NODE} node failed: ${timed.error.message ?? JSON.stringify(timed.error)}`);
	const items = timed.data?.main?.[0] ?? [];
	if (items.length !== count)
		fail(`the ${TIMED_NODE} node output ${items.length} items, expected ${count}`);
	if (typeof timed.executionTime !== 'number') fail(`the ${TIMED_NODE} node has no executionTime`);
	return {
		seconds: timed.executionTime / 1000,
		items: items.length,
		failed: items.filter((item) => item.json?.error !== undefined).length,
		peak: prepared.load.peak,
		meanInFlight: prepared.load.meanInFlight,
		refused: prepared.load.limited,
	};
}

/** The Node.js the pinned n8n line runs on. */
function n8nNode(version) {
	const pinnedNode = PINNED[version].node;
	return pinnedNode === 'system' ? process.version : `v${pinnedNode}`;
}

async function main() {
	const machine = watchMachine();
	const { count, rounds, scenarios, version } = settings();
	/** Everything made on disk, removed at the end whatever happens. */
	const folders = [];
	let tarballs = tarballsFromArgs(process.argv.slice(2));
	let sandbox;
	// Ctrl+C skips `finally`: still remove the user folders (n8n, in the same process group, stops too).
	process.once('SIGINT', () => {
		for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
		process.exit(130);
	});
	try {
		if (tarballs.length === 0) {
			const packed = packRepository();
			folders.push(packed.folder);
			tarballs = [packed.tarball];
		}
		sandbox = await startSandbox();
		const names = labels(tarballs);
		const builds = [];
		for (const [index, tarball] of tarballs.entries()) {
			builds.push(await setUpBuild({ tarball, label: names[index], version, sandbox, folders }));
		}
		// Each build's Get with its defaults; Concurrency 5 and the HTTP Request node in the first build's n8n.
		const contenders = [
			...builds.map((build, index) => ({
				key: index === 0 ? 'auto' : `build${index}`,
				label: `PilotStatus Numbers, defaults${builds.length > 1 ? ` (\`${build.label}\`)` : ' (Concurrency Auto)'}`,
				build,
				workflow: 'auto',
			})),
			{
				key: 'five',
				label: 'PilotStatus Numbers, Concurrency 5 (the default before Auto)',
				build: builds[0],
				workflow: 'five',
			},
			{
				key: 'http',
				label: `HTTP Request ${HTTP_REQUEST_VERSION}, defaults`,
				build: builds[0],
				workflow: 'http',
			},
		];
		log('Warming up n8n and the sandbox…');
		for (const contender of contenders) await timeRun(contender, sandbox, Math.min(count, 200), {});
		const results = [];
		for (const scenario of scenarios) {
			log(`${scenario.label}, N = ${count}, ${roundsText(rounds)}:`);
			const measured = await alternate(
				contenders,
				rounds,
				(contender) => timeRun(contender, sandbox, count, scenario.load),
				log,
			);
			results.push({ scenario, contenders, measured });
		}
		const comparison = renderComparison({
			scenarios: results,
			count,
			autoKey: 'auto',
			httpKey: 'http',
			realN8n: true,
		});
		process.stdout.write(
			`\nGet of N = ${count} items in n8n ${version} (\`n8n execute\`), sandbox on 127.0.0.1; ` +
				`the timed node's executionTime, ${roundsText(rounds)}${rounds > 1 ? ' in alternating order' : ''}.\n\n` +
				`${comparison.table}\n\nTargets (issue 18):\n${comparison.verdicts}\n\n` +
				`Machine: ${machine.describe(` (n8n on ${n8nNode(version)})`)}.\n`,
		);
	} finally {
		await sandbox?.close();
		for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
