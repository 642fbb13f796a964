'use strict';
/**
 * `npm run dev`: the PilotStatus sandbox and a real n8n editor on localhost with this package
 * installed from `npm pack`, a "PilotStatus sandbox" credential and the example workflows ready.
 * The n8n user folder (e2e/.n8n/dev-user) persists between runs, so the owner account is set up
 * once; the package, the credential and the examples are refreshed on every start.
 *
 * Env: N8N_PORT (default 5678), PILOTSTATUS_SANDBOX_PORT (default: a free port).
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { createN8n, packPackage } = require('../e2e/n8n');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');

const VERSION = '2.41.1';
const USER_FOLDER = path.join(__dirname, '..', 'e2e', '.n8n', 'dev-user');
const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const CREDENTIAL = { id: 'psSandboxDevCred', name: 'PilotStatus sandbox' };
const port = Number(process.env.N8N_PORT) || 5678;

/** An example, pointed at the sandbox credential, with an id fixed per file so a restart replaces it. */
function exampleForDev(file) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	workflow.id = `ps${crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 14)}`;
	for (const node of workflow.nodes) {
		if (node.credentials?.pilotStatusApi) node.credentials.pilotStatusApi = { ...CREDENTIAL };
	}
	return workflow;
}

function isUp(url) {
	return new Promise((resolve) => {
		http
			.get(url, (res) => {
				res.resume();
				resolve(res.statusCode === 200);
			})
			.on('error', () => resolve(false));
	});
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

/** The editor page answers a few seconds after /healthz does. */
async function waitUntilUp(url, child) {
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}`);
		if (await isUp(url)) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

async function main() {
	await assertPortFree(port);
	console.log(
		`Installing n8n ${VERSION} into e2e/.n8n/ if needed (the first time takes several minutes)...`,
	);
	const sandbox = await startSandbox({ port: Number(process.env.PILOTSTATUS_SANDBOX_PORT) || 0 });
	const tarball = packPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-pack-')));
	const n8n = await createN8n({
		version: VERSION,
		tarball,
		userFolder: USER_FOLDER,
		env: {
			N8N_PORT: String(port),
			N8N_HOST: 'localhost',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_LOG_LEVEL: 'info',
		},
	});
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'pilotStatusApi',
			data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
		},
	]);
	const workflowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-examples-'));
	const examples = fs.readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));
	for (const file of examples) {
		fs.writeFileSync(
			path.join(workflowsDir, file),
			JSON.stringify(exampleForDev(path.join(EXAMPLES_DIR, file))),
		);
	}
	await n8n.importWorkflows(examples.map((file) => path.join(workflowsDir, file)));
	fs.rmSync(workflowsDir, { recursive: true, force: true });
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });

	const consoleLog = path.join(USER_FOLDER, 'n8n-console.log');
	const out = fs.openSync(consoleLog, 'w');
	const child = spawn(n8n.install.node, [n8n.install.n8n, 'start'], {
		cwd: USER_FOLDER,
		env: n8n.env,
		stdio: ['ignore', out, out],
	});
	const stop = () => {
		child.kill('SIGTERM');
		sandbox.close();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	child.on('exit', (code) => {
		sandbox.close();
		if (code) console.error(`n8n stopped (exit ${code}); see ${consoleLog}`);
	});

	const url = `http://localhost:${port}`;
	await waitUntilUp(`${url}/`, child);
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

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
