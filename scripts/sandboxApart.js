'use strict';
/**
 * The sandbox in a Node.js process of its own, for `API=apart npm run bench`: a real API does not
 * share n8n's event loop or CPU, and the sandbox in the bench's own process does. Both sides of the
 * IPC are here, so their messages are defined in one place: run as a script (forked by
 * `startSandboxApart`), it starts the sandbox and answers the bench's messages; required, it gives
 * the bench a handle on such a child with the same interface as the sandbox in the bench's process.
 */
const { fork } = require('node:child_process');

const { hasExited, stopChild } = require('../e2e/localServer');
const { startSandbox } = require('../test/sandbox/server');
const { prepare } = require('./benchCompare');

/** The longest the bench waits for any answer of the child: a stuck child stops the bench. */
const IPC_TIMEOUT_MS = 30000;
/** How long the child has to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 5000;

/**
 * The child's side: what each message asks of the sandbox. Every prepare's counters are kept under
 * a token, so reading them later gives what they are in the bench's process: frozen once the next
 * reset removes their handler.
 */
function serve() {
	let sandbox;
	const loads = [];
	const ops = {
		async start() {
			sandbox = await startSandbox();
			return sandbox.url;
		},
		prepare(count, load) {
			const prepared = prepare(sandbox, count, load);
			return { ids: prepared.ids, token: loads.push(prepared.load) - 1 };
		},
		seen: (token) => ({ ...loads[token] }),
		reset: () => sandbox.reset(),
		close: () => sandbox?.close(),
	};
	process.on('message', async ({ id, op, args }) => {
		try {
			if (!Object.hasOwn(ops, op)) throw new Error(`no such message: ${op}`);
			process.send({ id, result: await ops[op](...args) });
		} catch (error) {
			process.send({ id, error: String(error?.stack ?? error) });
		}
	});
	// The bench gone (ended, crashed or killed) closes the channel: nothing is left to serve.
	process.on('disconnect', () => process.exit());
}

let asked = 0;

/**
 * Sends one message to the child and waits for its answer, at most IPC_TIMEOUT_MS; rejects at once
 * if the child exits or the channel is closed, instead of waiting out the timeout.
 */
function ask(child, op, ...args) {
	return new Promise((resolve, reject) => {
		const id = ++asked;
		const done = (settle, value) => {
			clearTimeout(timer);
			child.off('message', onMessage);
			child.off('exit', onExit);
			settle(value);
		};
		const onMessage = (message) => {
			if (message.id !== id) return;
			if (message.error === undefined) done(resolve, message.result);
			else done(reject, new Error(`sandbox apart, ${op}: ${message.error}`));
		};
		const onExit = (code, signal) =>
			done(reject, new Error(`sandbox apart exited (${signal ?? code}) before answering ${op}`));
		const timer = setTimeout(
			() =>
				done(reject, new Error(`sandbox apart: no answer to ${op} in ${IPC_TIMEOUT_MS / 1000} s`)),
			IPC_TIMEOUT_MS,
		);
		child.on('message', onMessage);
		child.on('exit', onExit);
		if (hasExited(child)) return onExit(child.exitCode, child.signalCode);
		child.send(
			{ id, op, args },
			(error) =>
				error && done(reject, new Error(`sandbox apart: ${op} not sent (${error.message})`)),
		);
	});
}

/**
 * Forks this script and starts the sandbox in it. Returns the bench's handle (`url`, `prepare`,
 * `reset`, `close`; see `BenchApi` in bench.js); `close` always ends the child, and so does this
 * process's exit if `close` was never reached. Messages use the `advanced` serialization
 * (structured clone): JSON would turn the engine reference's `maxInFlight: Infinity` into `null`,
 * which the sandbox reads as a limit of 0 and answers every request 429.
 * @returns {Promise<import('./bench').BenchApi>}
 */
async function startSandboxApart() {
	const child = fork(__filename, [], {
		serialization: 'advanced',
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	const end = async () => {
		await stopChild(child, { signal: 'SIGTERM', graceMs: KILL_GRACE_MS });
		process.off('exit', killOnExit);
	};
	try {
		const url = await ask(child, 'start');
		return {
			url,
			async prepare(count, load) {
				const { ids, token } = await ask(child, 'prepare', count, load);
				return { ids, seen: () => ask(child, 'seen', token) };
			},
			reset: () => ask(child, 'reset'),
			async close() {
				// Closing is a courtesy before the child is stopped anyway: its failure (a child that
				// died, a closed channel, no answer) is told, but must not replace the run's own error.
				await ask(child, 'close').catch((error) =>
					process.stderr.write(`${error.message} (stopping it anyway)\n`),
				);
				await end();
			},
		};
	} catch (error) {
		await end();
		throw error;
	}
}

module.exports = { startSandboxApart };

if (require.main === module) serve();
