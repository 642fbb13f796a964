'use strict';
/**
 * `node scripts/bench-n8n.js [tarball ...]` (not part of `npm test`): times this package's Get
 * operation inside a real n8n (`n8n execute`), for one or more packed builds side by side.
 *
 * With no tarball it packs this repository (dist/ must be built) and times that build alone. With
 * tarballs (e.g. one packed from an older commit and one from now) it times each. Every build gets
 * its own throw-away n8n user folder with the package installed as n8n installs community packages,
 * a PilotStatus credential and one workflow: Manual Trigger → List (Return All) → Get with
 * `{{ $json.id }}`. The time reported is the Get node's `executionTime` from n8n's run data, so
 * n8n's start-up and the List are left out.
 *
 * One sandbox on 127.0.0.1 in this process, with no injected latency: the time is n8n's and the
 * node's own work per item. Rounds alternate between the builds (A, B, A, B, ...) so each round of
 * every build sees the machine in the same state. Prints a markdown table; writes no report.
 *
 * Env: N items (default 2000), ROUNDS (default 3), N8N_VERSION (default 2.41.1; a line pinned in
 * e2e/install-n8n.js, installed into e2e/.n8n/ on first use).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createN8n, packPackage } = require('../e2e/n8n');
const { PINNED } = require('../e2e/install-n8n');
const { addNumbers } = require('../test/sandbox/bulk');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const { median, watchMachine } = require('./benchMachine');

const REPO = path.join(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-pilotstatus.pilotStatusNumbers';
const CREDENTIAL = { id: 'psBenchN8nCred01', name: 'PilotStatus bench' };
const WORKFLOW_NAME = 'PilotStatus bench: List → Get';
/** The node whose time is read from the run data. */
const GET_NODE = 'Get';

const log = (text) => process.stderr.write(`${text}\n`);

/** A positive whole number from the environment, or the default; anything else stops the run. */
function positiveInt(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`${name} must be a positive whole number, got "${raw}"`);
	return value;
}

function settings() {
	const version = process.env.N8N_VERSION || '2.41.1';
	if (!PINNED[version])
		throw new Error(
			`N8N_VERSION ${version} is not pinned; pinned: ${Object.keys(PINNED).join(', ')}`,
		);
	return { count: positiveInt('N', 2000), rounds: positiveInt('ROUNDS', 3), version };
}

/** The tarballs named on the command line, checked before any n8n is set up. */
function tarballsFromArgs(args) {
	const tarballs = args.map((arg) => path.resolve(arg));
	for (const tarball of tarballs) {
		if (!fs.statSync(tarball, { throwIfNoEntry: false })?.isFile())
			throw new Error(`No such tarball: ${tarball}`);
	}
	return tarballs;
}

/** `npm pack` of this repository into a temp folder; `npm pack` alone would not say that dist/ is missing. */
function packRepository() {
	if (!fs.existsSync(path.join(REPO, 'dist')))
		throw new Error(`${path.join(REPO, 'dist')} is missing: run \`npm run build\` first`);
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

/** Manual Trigger → List (Return All) → Get of every listed id, as n8n's editor saves it. */
function benchWorkflow() {
	const credentials = { pilotStatusApi: { ...CREDENTIAL } };
	const node = (name, x, parameters) => ({
		id: name,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials,
	});
	const next = (name) => ({ main: [[{ node: name, type: 'main', index: 0 }]] });
	return {
		name: WORKFLOW_NAME,
		nodes: [
			{
				id: 'Start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			node('List', 200, { operation: 'list', returnAll: true }),
			node(GET_NODE, 400, {
				operation: 'get',
				numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
		],
		connections: { Start: next('List'), List: next(GET_NODE) },
		settings: {},
		active: false,
	};
}

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
	]);
	const file = path.join(userFolder, 'bench-workflow.json');
	fs.writeFileSync(file, JSON.stringify(benchWorkflow()));
	const ids = await n8n.importWorkflows([file]);
	if (!ids[WORKFLOW_NAME]) throw new Error(`${label}: the workflow was not imported`);
	return { label, n8n, workflowId: ids[WORKFLOW_NAME], times: [] };
}

/** What n8n printed last, to show why a run failed. */
const tail = (text, length = 3000) => (text.length > length ? `…${text.slice(-length)}` : text);

/** Runs the workflow once and returns the Get node's time in ms; any sign of a bad run stops the bench. */
async function timeGet(build, sandbox, count) {
	// The sandbox records every request; without clearing, thousands pile up each round.
	sandbox.requests.length = 0;
	const result = await build.n8n.execute(build.workflowId);
	const fail = (why) => {
		throw new Error(
			`${build.label}: ${why} (n8n exit ${result.code ?? result.signal})\n${tail(result.stdout)}\n${tail(result.stderr)}`,
		);
	};
	if (!result.run) fail('n8n printed no run data');
	const runError = result.run.data?.resultData?.error;
	if (runError) fail(`the run failed: ${runError.message ?? JSON.stringify(runError)}`);
	if (result.code !== 0) fail('n8n execute failed');
	const get = result.run.data.resultData.runData?.[GET_NODE]?.[0];
	if (!get) fail(`the ${GET_NODE} node did not run`);
	if (get.error)
		fail(`the ${GET_NODE} node failed: ${get.error.message ?? JSON.stringify(get.error)}`);
	const items = get.data?.main?.[0] ?? [];
	if (items.length !== count)
		fail(`the ${GET_NODE} node output ${items.length} items, expected ${count}`);
	const failed = items.filter((item) => item.json?.error !== undefined).length;
	if (failed > 0) fail(`${failed} of ${count} items have an error field`);
	if (typeof get.executionTime !== 'number') fail(`the ${GET_NODE} node has no executionTime`);
	return get.executionTime;
}

function renderTable(builds, count, rounds) {
	const withRatio = builds.length > 1;
	const header = [
		'Build',
		...Array.from({ length: rounds }, (_, round) => `Round ${round + 1}`),
		'Median',
		'Median per item',
		...(withRatio ? ['vs first'] : []),
	];
	const baseline = median(builds[0].times);
	const rows = builds.map((build) => {
		const middle = median(build.times);
		return [
			`\`${build.label}\``,
			...build.times.map((ms) => `${Math.round(ms)} ms`),
			`${Math.round(middle)} ms`,
			`${(middle / count).toFixed(3)} ms`,
			...(withRatio ? [`${(middle / baseline).toFixed(2)}×`] : []),
		];
	});
	return [header, header.map(() => '---'), ...rows]
		.map((cells) => `| ${cells.join(' | ')} |`)
		.join('\n');
}

/** The Node.js the pinned n8n line runs on. */
function n8nNode(version) {
	const pinnedNode = PINNED[version].node;
	return pinnedNode === 'system' ? process.version : `v${pinnedNode}`;
}

async function main() {
	const machine = watchMachine();
	const { count, rounds, version } = settings();
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
		// Only the bulk numbers, so List returns exactly `count` ids for Get.
		sandbox.tenants.acme.numbers = [];
		addNumbers(sandbox, count);

		const names = labels(tarballs);
		const builds = [];
		for (const [index, tarball] of tarballs.entries()) {
			builds.push(await setUpBuild({ tarball, label: names[index], version, sandbox, folders }));
		}
		for (let round = 1; round <= rounds; round++) {
			for (const build of builds) {
				const ms = await timeGet(build, sandbox, count);
				build.times.push(ms);
				log(`round ${round}/${rounds}, ${build.label}: Get ${ms} ms`);
			}
		}
		process.stdout.write(
			`\nGet of N = ${count} items in n8n ${version} (\`n8n execute\`), sandbox on 127.0.0.1 without latency; ` +
				`Get node's executionTime, ${rounds} alternating rounds.\n\n` +
				`${renderTable(builds, count, rounds)}\n\n` +
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
