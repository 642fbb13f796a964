'use strict';
/**
 * Long-running local servers for the end-to-end suite, `npm run dev` and the editor tests (n8n main
 * and workers, PostgreSQL, Redis): a free loopback port, a child process whose every output line is
 * kept, bounded waits for it to be ready, and a bounded stop.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');

const { guard } = require('./watchdog');

/**
 * A port free right now on 127.0.0.1.
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (probe.address());
			probe.close(() => resolve(port));
		});
	});
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it resolves truthy (a throw counts as not yet), and returns
 * that value. Fails with `<what>: not ready after N s`, or at once with `<what>: <reason>` when
 * `failed()` returns a reason (the process died, say).
 * @template T
 * @param {string} what
 * @param {{ timeoutMs: number, intervalMs?: number, failed?: () => string | undefined }} options
 * @param {() => T | Promise<T>} check
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(what, { timeoutMs, intervalMs = 500, failed = () => undefined }, check) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const failure = failed();
		if (failure) throw new Error(`${what}: ${failure}`);
		const value = await Promise.resolve()
			.then(check)
			.catch(() => undefined);
		if (value) return /** @type {NonNullable<T>} */ (value);
		if (Date.now() >= deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
		await delay(intervalMs);
	}
}

/**
 * Whether `child` has exited (by itself or by a signal).
 * @param {import('node:child_process').ChildProcess} child
 */
const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/**
 * Stops `child`: `signal`, then SIGKILL if it has not exited after `graceMs`. Resolves once it
 * exited (at once if it already had).
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ signal: NodeJS.Signals, graceMs: number }} how
 */
async function stopChild(child, { signal, graceMs }) {
	if (hasExited(child)) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
	child.kill(signal);
	await exited;
	clearTimeout(kill);
}

/**
 * What startProcess starts: `name` (for messages), `command`, `args`, plus `env`, `cwd`, `uid`,
 * `gid` as for child_process.spawn; `lines`, an array to append the lines to (to keep one record
 * over restarts; default a new one); `echo`, a stream that also receives the output as it comes;
 * `stopSignal` (default SIGTERM) and `graceMs` (default 20 s), how stop() and the watchdog stop it.
 * @typedef {object} ProcessOptions
 * @property {string} name
 * @property {string} command
 * @property {string[]} [args]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {number} [uid]
 * @property {number} [gid]
 * @property {string[]} [lines]
 * @property {NodeJS.WritableStream} [echo]
 * @property {NodeJS.Signals} [stopSignal]
 * @property {number} [graceMs]
 */

/**
 * Starts `command args` and keeps every line it prints on stdout and stderr, in order. It runs in a
 * process group of its own (with what it starts, such as n8n's task runners): a terminal's Ctrl+C or
 * hang-up reaches only this process, and e2e/watchdog.js stops the group if this process ends
 * without stopping it. Once the command ended, what is left of its group is killed.
 *
 * @param {ProcessOptions} options
 * @returns a handle: `lines` (growing), `output()` (all lines joined), `exitReason()` (undefined
 *   while running, else why it ended, with its last lines), `waitForLine(pattern, timeoutMs)` (the
 *   first matching line this process printed), `exited` (a promise of its exit code or signal),
 *   `stop({ signal = stopSignal, graceMs })` (resolves once it exited, SIGKILL after graceMs; a
 *   no-op when it ended).
 */
function startProcess({
	name,
	command,
	args = [],
	env,
	cwd,
	uid,
	gid,
	lines = [],
	echo,
	stopSignal = 'SIGTERM',
	graceMs: defaultGraceMs = 20000,
}) {
	const child = spawn(command, args, {
		env,
		cwd,
		uid,
		gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const { pid } = child;
	if (pid !== undefined) {
		const release = guard({ pid, signal: stopSignal, graceMs: defaultGraceMs });
		child.once('exit', () => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// Nothing was left.
			}
			release();
		});
	}
	const firstLine = lines.length;
	const ownLines = () => lines.slice(firstLine);
	/** @type {Error | undefined} */
	let spawnError;
	child.on('error', (error) => (spawnError = error));
	for (const stream of [child.stdout, child.stderr]) {
		let partial = '';
		stream.setEncoding('utf8');
		stream.on('data', (/** @type {string} */ chunk) => {
			echo?.write(chunk);
			const parts = (partial + chunk).split('\n');
			partial = parts.pop() ?? '';
			lines.push(...parts);
		});
		stream.on('end', () => partial && lines.push(partial));
	}
	/** @type {Promise<number | string | null>} */
	const exited = new Promise((resolve) =>
		child.once('close', (code, signal) => resolve(code ?? signal)),
	);
	const ended = () => spawnError || hasExited(child);

	const handle = {
		name,
		child,
		lines,
		output: () => lines.join('\n'),
		exited,
		/** @returns {string | undefined} */
		exitReason() {
			if (spawnError) return `${name} could not start: ${spawnError.message}`;
			if (!ended()) return undefined;
			const how = child.exitCode ?? child.signalCode;
			return `${name} ended (${how}); its last lines:\n${ownLines().slice(-40).join('\n')}`;
		},
		/**
		 * @param {RegExp} pattern
		 * @param {number} timeoutMs
		 */
		waitForLine(pattern, timeoutMs) {
			return waitFor(
				`${name}: waiting for ${pattern}`,
				{ timeoutMs, failed: handle.exitReason },
				() => ownLines().find((line) => pattern.test(line)),
			);
		},
		/** @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options] */
		async stop({ signal = stopSignal, graceMs = defaultGraceMs } = {}) {
			if (ended()) return;
			await stopChild(child, { signal, graceMs });
			await exited;
		},
	};
	return handle;
}

/** @typedef {ReturnType<typeof startProcess>} LocalProcess */

module.exports = { freePort, waitFor, delay, startProcess, stopChild, hasExited };
