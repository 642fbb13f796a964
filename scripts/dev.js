'use strict';
/**
 * `npm run dev`: the PilotStatus sandbox and a real n8n editor on localhost with this package
 * installed from `npm pack`, a "PilotStatus sandbox" credential and the example workflows ready.
 * The n8n user folder (e2e/.n8n/dev-user) persists between runs, so the owner account is set up
 * once; the package, the credential and the examples are refreshed on every start.
 *
 * `npm run dev -- --queue`: the same in n8n's queue mode, as the queue-mode tests run it: a
 * PostgreSQL and a Redis of its own (installed with apt-get when missing, as root), n8n main and one
 * worker, each with the package installed. Everything is new on every start and removed when it
 * stops; the owner account is made for you. The webhook workflow and the alert example are
 * published.
 *
 * Env: N8N_PORT (default 5678), PILOTSTATUS_SANDBOX_PORT (default: a free port).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { createN8n, packPackage } = require('../e2e/n8n');
const { OWNER, setUpOwner } = require('../e2e/n8nRest');
const { startN8nServer } = require('../e2e/n8nServer');
const { createQueueMode } = require('../e2e/queueMode');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');

const VERSION = '2.41.1';
const DEV_FOLDER = path.join(__dirname, '..', 'e2e', '.n8n');
const USER_FOLDER = path.join(DEV_FOLDER, 'dev-user');
const QUEUE_LOGS = path.join(DEV_FOLDER, 'dev-queue-logs');
const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const WEBHOOK_WORKFLOW = path.join(
	__dirname,
	'..',
	'e2e',
	'fixtures',
	'queue',
	'webhook-list-get.json',
);
const PUBLISHED_IN_QUEUE_MODE = ['Queue: webhook, List, Get', 'Alert when a number disconnects'];
const CREDENTIAL = { id: 'psSandboxDevCred', name: 'PilotStatus sandbox' };
const port = Number(process.env.N8N_PORT) || 5678;
const queueMode = process.argv.includes('--queue');

/** A workflow, pointed at the sandbox credential, with an id fixed per file so a restart replaces it. */
function workflowForDev(file) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	workflow.id = `ps${crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 14)}`;
	for (const node of workflow.nodes) {
		if (node.credentials?.pilotStatusApi) node.credentials.pilotStatusApi = { ...CREDENTIAL };
	}
	return workflow;
}

/** Fails early, and says what to do, when something else already serves the port. */
function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () =>
			reject(new Error(`Port ${port} is in use: set N8N_PORT to a free port.`)),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

/** The sandbox credential and the workflows, imported into n8n's folder; returns ids by name. */
async function importForDev(n8n, sandbox, files) {
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'pilotStatusApi',
			data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
		},
	]);
	const workflowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-examples-'));
	try {
		const copies = files.map((file) => {
			const copy = path.join(workflowsDir, path.basename(file));
			fs.writeFileSync(copy, JSON.stringify(workflowForDev(file)));
			return copy;
		});
		return await n8n.importWorkflows(copies);
	} finally {
		fs.rmSync(workflowsDir, { recursive: true, force: true });
	}
}

const examples = () =>
	fs
		.readdirSync(EXAMPLES_DIR)
		.filter((name) => name.endsWith('.json'))
		.map((name) => path.join(EXAMPLES_DIR, name));

/**
 * Stops everything in order on Ctrl+C, SIGTERM or a hang-up (the terminal closed), or when n8n main
 * ends by itself (saying where its output is). Should this process end otherwise (a crash,
 * SIGKILL), e2e/watchdog.js stops what it started.
 */
function stopOnExit(main, stopAll, logFile) {
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await stopAll();
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
	main.exited().then(async (code) => {
		if (stopping) return;
		console.error(`n8n stopped (exit ${code}); see ${logFile}`);
		await stop();
	});
}

async function startDev(sandbox, tarball) {
	const n8n = await createN8n({ version: VERSION, tarball, userFolder: USER_FOLDER });
	await importForDev(n8n, sandbox, examples());
	const consoleLog = path.join(USER_FOLDER, 'n8n-console.log');
	const url = `http://localhost:${port}`;
	const main = await startN8nServer(n8n, {
		role: 'main',
		port,
		env: { N8N_HOST: 'localhost', N8N_EDITOR_BASE_URL: url },
		echo: fs.createWriteStream(consoleLog),
	});
	stopOnExit(main, () => Promise.all([main.stop(), sandbox.close()]), consoleLog);
	console.log(`
n8n ${VERSION} is running at ${url}  (PilotStatus sandbox at ${sandbox.url}; n8n's output: ${consoleLog})

 1. Open ${url}. The first time, n8n asks you to set up an owner account: any email and a password
    (8+ characters with a number and a capital letter) will do; it stays in e2e/.n8n/dev-user.
 2. Overview lists the example workflows: "Numbers to rows", "Health check for every number",
    "Nightly Meta refresh". Open one and click "Execute workflow".
 3. Or start from scratch: add a node, search for "PilotStatus", pick "PilotStatus Numbers" and
    the credential "PilotStatus sandbox" (already set up, pointing at the sandbox).

Ctrl+C stops n8n and the sandbox.`);
}

async function startQueueDev(sandbox, tarball) {
	fs.rmSync(QUEUE_LOGS, { recursive: true, force: true });
	fs.mkdirSync(QUEUE_LOGS, { recursive: true });
	const stack = await createQueueMode({
		version: VERSION,
		tarball,
		port,
		echo: (name) => fs.createWriteStream(path.join(QUEUE_LOGS, `${name}.log`)),
	});
	try {
		const ids = await importForDev(stack.main, sandbox, [WEBHOOK_WORKFLOW, ...examples()]);
		const published = PUBLISHED_IN_QUEUE_MODE.map((name) => ids[name]);
		await stack.main.publishWorkflows(published);
		const { main } = await stack.startN8n();
		await (await setUpOwner(main.url)).waitUntilPublished(published);
		stopOnExit(main, () => Promise.all([stack.stop(), sandbox.close()]), QUEUE_LOGS);
		const webhook = `${main.url}/webhook/pilotstatus-queue-numbers`;
		console.log(`
n8n ${VERSION} in queue mode: main at ${main.url}, one worker, PostgreSQL on port ${stack.postgres.port},
Redis on port ${stack.redis.port}, PilotStatus sandbox at ${sandbox.url}. n8n's output: ${QUEUE_LOGS}/

 1. Open ${main.url} and sign in as ${OWNER.email} / ${OWNER.password}.
 2. Call the published webhook workflow "Queue: webhook, List, Get": curl ${webhook}
    It answers with every sandbox number, flattened. main.log says "Enqueued execution N",
    worker-1.log "Worker started execution N": the worker ran it. Overview → Executions shows it.
 3. "Alert when a number disconnects" is published too: its trigger polls every 5 minutes (on main)
    and each change it reports runs on the worker.
 4. Workflows you run from the editor's "Execute workflow" button run on main (n8n's default for
    manual runs); published ones run on the worker.

Ctrl+C stops n8n, PostgreSQL, Redis and the sandbox, and removes their data.`);
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

async function main() {
	await assertPortFree(port);
	console.log(
		`Installing n8n ${VERSION} into e2e/.n8n/ if needed (the first time takes several minutes)...`,
	);
	const sandbox = await startSandbox({ port: Number(process.env.PILOTSTATUS_SANDBOX_PORT) || 0 });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-pack-'));
	try {
		const tarball = packPackage(packDir);
		await (queueMode ? startQueueDev : startDev)(sandbox, tarball);
	} catch (error) {
		await sandbox.close();
		throw error;
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
