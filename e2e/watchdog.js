'use strict';
/**
 * A watchdog for what the e2e suite and `npm run dev` start (PostgreSQL, Redis, n8n and their
 * temp folders): a small process of its own that is told each process group and folder as it is
 * made and, once the process that made them has ended, however it ended (normal exit, Ctrl+C,
 * SIGTERM, SIGHUP, an uncaught exception, SIGKILL), stops those groups and then removes those
 * folders. The normal path stays the owner's own stop(), which tells the watchdog to forget what it
 * stopped.
 *
 * Why a process: code run in the dying process (signal-exit, exit-hook) runs on no SIGKILL and
 * cannot wait for a server to shut down before removing its folder; PR_SET_PDEATHSIG (`setpriv
 * --pdeathsig`) stops a server but leaves its folder. The watchdog learns of the end through the IPC
 * channel Node opens to a forked process: the kernel closes it whatever ends the parent, and the
 * watchdog gets `disconnect`. It runs in a session of its own, so a terminal's Ctrl+C or hang-up
 * does not reach it.
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');

// After the group's leader ended or its grace ran out: SIGKILL to what is left, and this long for it.
const KILL_WAIT_MS = 5000;
const POLL_MS = 200;

/**
 * What the watchdog stops and removes: a process group by its leader's pid, with the signal that
 * stops it in order and how long to wait before SIGKILL to the whole group; or a folder.
 * @typedef {{ pid: number, signal: NodeJS.Signals, graceMs: number } | { folder: string }} Guarded
 */

/** @type {import('node:child_process').ChildProcess | undefined} */
let watchdog;
let lastId = 0;

/** @param {object} message */
function tell(message) {
	if (!watchdog) {
		watchdog = fork(__filename, [], {
			detached: true,
			stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
		});
		// It must not keep this process alive: it is there for when this process ends.
		watchdog.unref();
		watchdog.channel?.unref();
	}
	watchdog.send(message);
}

/**
 * Has the watchdog stop a process group (started with `detached: true`, so its leader's pid is the
 * group's id) or remove a folder if this process ends before it did so itself.
 * @param {Guarded} what
 * @returns {() => void} Call once it is stopped or removed: the watchdog forgets it.
 */
function guard(what) {
	const id = ++lastId;
	tell({ id, what });
	return () => tell({ id, forget: true });
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a process (pid > 0) or any process of a group (-pgid) still runs. A zombie has ended: its
 * parent is gone and init reaps it.
 * @param {number} target
 */
function running(target) {
	try {
		process.kill(target, 0);
	} catch {
		return false;
	}
	if (target < 0) return true;
	try {
		return !/\) Z /.test(fs.readFileSync(`/proc/${target}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

/**
 * @param {number} target
 * @param {NodeJS.Signals} signal
 */
function signalTo(target, signal) {
	try {
		process.kill(target, signal);
	} catch {
		// Already gone.
	}
}

/**
 * @param {number} target
 * @param {number} deadline
 */
async function waitUntilGone(target, deadline) {
	while (running(target) && Date.now() < deadline) await delay(POLL_MS);
}

/** @param {{ pid: number, signal: NodeJS.Signals, graceMs: number }} group */
async function stopGroup({ pid, signal, graceMs }) {
	signalTo(pid, signal);
	await waitUntilGone(pid, Date.now() + graceMs);
	// What the leader left (n8n's task runners), or the leader itself past its grace.
	signalTo(-pid, 'SIGKILL');
	await waitUntilGone(-pid, Date.now() + KILL_WAIT_MS);
}

/** The watchdog itself: keeps what it is told until its parent ends, then cleans up and exits. */
function watch() {
	/** @type {Map<number, Guarded>} */
	const guarded = new Map();
	process.on('message', (/** @type {{ id: number, what?: Guarded, forget?: true }} */ message) => {
		if (message.forget) guarded.delete(message.id);
		else if (message.what) guarded.set(message.id, message.what);
	});
	process.once('disconnect', async () => {
		const all = [...guarded.values()];
		await Promise.all(all.flatMap((what) => ('pid' in what ? [stopGroup(what)] : [])));
		for (const what of all)
			if ('folder' in what) fs.rmSync(what.folder, { recursive: true, force: true });
		process.exit(0);
	});
}

if (require.main === module) watch();

module.exports = { guard };
