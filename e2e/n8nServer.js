'use strict';
/**
 * A running n8n for a user folder made by `createN8n` (e2e/n8n.js): `n8n start` (main: editor, REST
 * API, production webhooks, triggers) or, in queue mode, `n8n worker` (runs the executions main
 * enqueues). Each process listens on 127.0.0.1 only, on free ports, with a task broker port of its
 * own (every n8n process starts one, on 5679 unless told). Every line it prints is kept, across
 * restarts, so a test can read n8n's log and check what it revealed.
 */
const { freePort, startProcess, waitFor } = require('./localServer');

/** @import { N8nFolder } from './n8n' */
/** @import { LocalProcess } from './localServer' */

// Measured on 2 shared cores: main ready in 6–47 s, a worker in 7–20 s (first start on an empty
// database longer: migrations).
const READY_TIMEOUT_MS = 240000;
// n8n waits up to N8N_GRACEFUL_SHUTDOWN_TIMEOUT (30 s) for running executions when told to stop.
const STOP_GRACE_MS = 40000;

/**
 * Printed by `n8n start` at the end of its start-up. n8n 2.x activates published workflows in the
 * background after it (see n8nRest's waitUntilPublished); n8n 1.x before it.
 */
const MAIN_STARTED = /^Editor is now accessible via:/;

/**
 * Whether `url` answers 2xx (and JSON, when `json`); the body is read so the connection is freed.
 * @param {string} url
 * @param {{ json?: boolean }} [options]
 */
async function answersOk(url, { json = false } = {}) {
	const response = await fetch(url);
	await response.arrayBuffer();
	const type = response.headers.get('content-type') ?? '';
	return response.ok && (!json || type.includes('application/json'));
}

/**
 * Starts `n8n start` (role `main`) or `n8n worker` (role `worker`) for `n8n`, the handle createN8n
 * returned (its environment: encryption key, database, queue settings), and waits until it is ready:
 * main once `/healthz` answers, then the REST API (rather than the "starting up" page it serves while
 * migrating), then its "Editor is now accessible" line; a worker once its `/healthz/readiness` says
 * database and Redis are connected. Stops it if it never gets ready.
 *
 * @param {N8nFolder} n8n createN8n's handle.
 * @param {object} [options]
 * @param {'main' | 'worker'} [options.role]
 * @param {number} [options.port] Main's HTTP port, a worker's health port; default a free one.
 * @param {Record<string, string>} [options.env] Added to the folder's environment.
 * @param {NodeJS.WritableStream} [options.echo] Also receives the output as it comes (a log file).
 * @returns `url` (main: editor, REST and `/webhook/...`; worker: its health
 *   server), `lines` (every line printed, all runs), `output()`, `isRunning()`, `exited()` (a
 *   promise: the running process ended, with its exit code or signal), `stop()` (SIGTERM,
 *   SIGKILL after 40 s; a no-op when stopped), `start()` (after a stop: start again with the same
 *   folder, database, ports and environment, and wait until ready), `restart()` (stop + start).
 */
async function startN8nServer(n8n, { role = 'main', port: givenPort, env = {}, echo } = {}) {
	if (role !== 'main' && role !== 'worker') throw new Error(`unknown n8n role ${role}`);
	const port = givenPort ?? (await freePort());
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
	/** @type {string[]} */
	const lines = [];
	/** @type {LocalProcess} */
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
			graceMs: STOP_GRACE_MS,
		});
		const options = { timeoutMs: READY_TIMEOUT_MS, failed: current.exitReason };
		try {
			if (role === 'main') {
				await waitFor(`n8n main ${url}/healthz`, options, () => answersOk(`${url}/healthz`));
				await waitFor(`n8n main REST API at ${url}`, options, () =>
					answersOk(`${url}/rest/settings`, { json: true }),
				);
				await current.waitForLine(MAIN_STARTED, READY_TIMEOUT_MS);
			} else {
				await waitFor(`n8n worker ${url}/healthz/readiness`, options, () =>
					answersOk(`${url}/healthz/readiness`),
				);
			}
		} catch (error) {
			await current.stop();
			throw error;
		}
	}

	const stop = () => current.stop();
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

/** @typedef {Awaited<ReturnType<typeof startN8nServer>>} N8nServer */

module.exports = { startN8nServer };
