'use strict';
/**
 * A running n8n for a user folder made by `createN8n` (e2e/n8n.js): `n8n start` (main: editor, REST
 * API, production webhooks, triggers) or, in queue mode, `n8n worker` (runs the executions main
 * enqueues). Each process listens on 127.0.0.1 only, on free ports, with a task broker port of its
 * own (every n8n process starts one, on 5679 unless told). Every line it prints is kept, across
 * restarts, so a test can read n8n's log and check what it revealed.
 */
const { freePort, startProcess, waitFor } = require('./localServer');

// Measured on 2 shared cores: main ready in 6–47 s, a worker in 7–20 s (first start on an empty
// database longer: migrations).
const READY_TIMEOUT_MS = 240000;
// n8n waits up to N8N_GRACEFUL_SHUTDOWN_TIMEOUT (30 s) for running executions when told to stop.
const STOP_GRACE_MS = 40000;

/** Printed by `n8n start` once its server listens and every published workflow is activated. */
const MAIN_STARTED = /^Editor is now accessible via:/;

async function isJsonOk(url) {
	const response = await fetch(url);
	await response.arrayBuffer();
	return response.ok && (response.headers.get('content-type') ?? '').includes('application/json');
}

/**
 * Starts `n8n start` (role `main`) or `n8n worker` (role `worker`) for `n8n`, the handle createN8n
 * returned (its environment: encryption key, database, queue settings), and waits until it is ready:
 * main once `/healthz` answers, then the REST API (rather than the "starting up" page it serves while
 * migrating), then its "Editor is now accessible" line (published workflows activated); a worker
 * once its `/healthz/readiness` says database and Redis are connected. Stops it if it never gets
 * ready.
 *
 * @param n8n createN8n's handle.
 * @param options `role` ('main' | 'worker'), `port` (main's HTTP port, a worker's health port;
 *   default a free one), `env` (added to the folder's environment), `echo` (a stream that also
 *   receives the output as it comes, e.g. a log file).
 * @returns {Promise<object>} `url` (main: editor, REST and `/webhook/...`; worker: its health
 *   server), `lines` (every line printed, all runs), `output()`, `isRunning()`, `exited()` (a
 *   promise: the running process ended, with its exit code or signal), `stop()` (SIGTERM,
 *   SIGKILL after 40 s; a no-op when stopped), `start()` (after a stop: start again with the same
 *   folder, database, ports and environment, and wait until ready), `restart()` (stop + start).
 */
async function startN8nServer(n8n, { role = 'main', port = undefined, env = {}, echo } = {}) {
	if (role !== 'main' && role !== 'worker') throw new Error(`unknown n8n role ${role}`);
	port ??= await freePort();
	const url = `http://127.0.0.1:${port}`;
	const roleEnv =
		role === 'main'
			? {
					N8N_PORT: String(port),
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					N8N_HOST: '127.0.0.1',
					N8N_EDITOR_BASE_URL: url,
					// Plain http on loopback: a Secure cookie would never come back from a browser.
					N8N_SECURE_COOKIE: 'false',
				}
			: {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				};
	const fullEnv = {
		...n8n.env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...roleEnv,
		...env,
	};
	const lines = [];
	let current;

	async function start() {
		current = startProcess({
			name: `n8n ${role}`,
			command: n8n.install.node,
			args: [n8n.install.n8n, role === 'main' ? 'start' : 'worker'],
			env: fullEnv,
			cwd: n8n.userFolder,
			lines,
			echo,
		});
		const options = { timeoutMs: READY_TIMEOUT_MS, failed: current.exitReason };
		try {
			if (role === 'main') {
				await waitFor(
					`n8n main ${url}/healthz`,
					options,
					async () => (await fetch(`${url}/healthz`)).ok,
				);
				await waitFor(`n8n main REST API at ${url}`, options, () =>
					isJsonOk(`${url}/rest/settings`),
				);
				await current.waitForLine(MAIN_STARTED, READY_TIMEOUT_MS);
			} else {
				await waitFor(`n8n worker ${url}/healthz/readiness`, options, async () => {
					const response = await fetch(`${url}/healthz/readiness`);
					await response.arrayBuffer();
					return response.ok;
				});
			}
		} catch (error) {
			await current.stop({ graceMs: STOP_GRACE_MS });
			throw error;
		}
	}

	const stop = () => current.stop({ graceMs: STOP_GRACE_MS });
	await start();
	return {
		role,
		url,
		port,
		env: fullEnv,
		lines,
		output: () => lines.join('\n'),
		isRunning: () => current.exitReason() === undefined,
		/** Resolves when the process running now ends (its exit code or signal). */
		exited: () => current.exited,
		stop,
		async start() {
			if (current.exitReason() === undefined) throw new Error(`n8n ${role} is already running`);
			await start();
		},
		async restart() {
			await stop();
			await start();
		},
	};
}

module.exports = { startN8nServer };
