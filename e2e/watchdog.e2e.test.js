'use strict';
/**
 * Nothing the suite or `npm run dev` starts outlives the process that started it (issue 16's review:
 * PostgreSQL, Redis, n8n and its task runners stayed up, and their temp folders stayed in /tmp,
 * after SIGTERM to jest or a hang-up of `npm run dev -- --queue`). A child process starts the
 * queue-mode stack (e2e/fixtures/queue/stack.js, through createQueueMode as the tests and dev do) and
 * is ended in each way a user or a machine ends it; within a bounded wait no process it started may
 * remain and no temp folder they used may exist. Processes and folders are read from /proc, not
 * from what the code under test says it started.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { hasExited, waitFor } = require('./localServer');
const versions = require('./versions');
const { guard } = require('./watchdog');

const STACK = path.join(__dirname, 'fixtures', 'queue', 'stack.js');
// PostgreSQL, Redis, two n8n folders with the package, main's migrations: minutes on busy cores.
const START_TIMEOUT_MS = 6 * 60 * 1000;
// n8n gets 40 s to stop before SIGKILL, PostgreSQL 15 s, then 5 s for what is left: all at once.
const GONE_TIMEOUT_MS = 90000;
const TEMP_PREFIX = path.join(os.tmpdir(), 'pilotstatus-');

const describeOnLinux =
	versions.includes('2.41.1') && process.platform === 'linux' ? describe : describe.skip;

/**
 * Every process running now (a zombie has ended: left out), from /proc.
 * @returns {Map<number, { pid: number, ppid: number, pgid: number, args: string, cwd?: string }>}
 */
function processes() {
	const all = new Map();
	for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			// After "pid (command) ": state, ppid, pgid.
			const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state === 'Z') continue;
			const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
			let cwd;
			try {
				cwd = fs.readlinkSync(`/proc/${name}/cwd`);
			} catch {
				cwd = undefined;
			}
			const pid = Number(name);
			all.set(pid, { pid, ppid: Number(ppid), pgid: Number(pgid), args, cwd });
		} catch {
			// It ended while being read.
		}
	}
	return all;
}

/**
 * What `root` started and what they started, down the tree, with their commands: the services (in
 * process groups of their own), their children (PostgreSQL's backends, n8n's task runners) and the
 * watchdog.
 * @param {number} root
 */
function startedBy(root) {
	const all = [...processes().values()];
	const found = [];
	let parents = new Set([root]);
	while (parents.size > 0) {
		const children = all.filter((candidate) => parents.has(candidate.ppid));
		found.push(...children);
		parents = new Set(children.map((child) => child.pid));
	}
	return found;
}

/**
 * The processes of `started` still running (the same pid and command), and any process in one of
 * their process groups.
 * @param {ReturnType<typeof startedBy>} started
 */
function stillRunning(started) {
	const now = processes();
	const groups = new Set(started.map((process) => process.pid));
	return [...now.values()]
		.filter(
			(process) =>
				groups.has(process.pgid) ||
				started.some((old) => old.pid === process.pid && old.args === process.args),
		)
		.map((process) => `${process.pid} ${process.args.slice(0, 120)}`);
}

/** The temp folders `started` work in (/tmp/pilotstatus-*), from each process's working folder. */
const tempFoldersOf = (started) => [
	...new Set(
		started.flatMap((process) =>
			process.cwd?.startsWith(TEMP_PREFIX)
				? [path.join(os.tmpdir(), path.relative(os.tmpdir(), process.cwd).split(path.sep)[0])]
				: [],
		),
	),
];

/**
 * Starts the stack in a child process, in a process group of its own as a terminal would. `ready`
 * resolves once it printed `ready`; `exited`, with its exit code and signal.
 */
function startStack() {
	const child = spawn(process.execPath, [STACK], { detached: true, stdio: 'pipe' });
	// Should jest itself be ended mid-test, the stack's process goes too (and, with it, the stack).
	if (child.pid !== undefined)
		child.once('exit', guard({ pid: child.pid, signal: 'SIGKILL', graceMs: 0 }));
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
	/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	const failed = () => (hasExited(child) ? `the stack's process ended:\n${output}` : undefined);
	const ready = waitFor(
		'the stack',
		{ timeoutMs: START_TIMEOUT_MS, intervalMs: 1000, failed },
		() => /^ready$/m.test(output),
	);
	return { child, exited, ready };
}

const ENDINGS = [
	{
		how: 'SIGTERM to its pid (kill <pid>, an IDE stop button)',
		end: (child) => child.kill('SIGTERM'),
		ended: { code: null, signal: 'SIGTERM' },
	},
	{
		how: 'SIGHUP to its process group (the terminal closed)',
		end: (child) => process.kill(-child.pid, 'SIGHUP'),
		ended: { code: null, signal: 'SIGHUP' },
	},
	{
		how: 'SIGINT to its process group (Ctrl+C)',
		end: (child) => process.kill(-child.pid, 'SIGINT'),
		ended: { code: null, signal: 'SIGINT' },
	},
	{
		how: 'an uncaught exception',
		end: (child) => child.stdin.write('crash\n'),
		ended: { code: 1, signal: null },
	},
	{
		how: 'SIGKILL to its pid',
		end: (child) => child.kill('SIGKILL'),
		ended: { code: null, signal: 'SIGKILL' },
	},
];

describeOnLinux(
	'what the queue-mode stack starts does not outlive the process that started it',
	() => {
		/** What the current test started, to stop and remove even if it fails. */
		let current;

		test.each(ENDINGS)(
			'$how: PostgreSQL, Redis, n8n main, the worker, their task runners and their temp folders are gone',
			async ({ end, ended }) => {
				const { child, exited, ready } = startStack();
				current = { child, started: [], folders: [] };
				await ready;
				const started = startedBy(child.pid);
				const folders = tempFoldersOf(started);
				current = { child, started, folders };
				// What is checked below is really there: every kind of process, each service's folder.
				const commands = started.map((process) => process.args);
				for (const kind of [
					/postgres -D/,
					/redis-server/,
					/n8n start$/,
					/n8n worker$/,
					/task-runner/,
				])
					expect({ kind: String(kind), running: commands.some((args) => kind.test(args)) }).toEqual(
						{
							kind: String(kind),
							running: true,
						},
					);
				// PostgreSQL's, Redis's, main's and the worker's.
				expect(folders).toHaveLength(4);

				end(child);
				expect(await exited).toEqual(ended);
				const left = () => ({
					processes: stillRunning(started),
					folders: folders.filter((folder) => fs.existsSync(folder)),
				});
				await waitFor('the stack gone', { timeoutMs: GONE_TIMEOUT_MS, intervalMs: 1000 }, () => {
					const { processes: running, folders: kept } = left();
					return running.length === 0 && kept.length === 0;
				}).catch(() => undefined);
				expect(left()).toEqual({ processes: [], folders: [] });
			},
			START_TIMEOUT_MS + GONE_TIMEOUT_MS + 60000,
		);

		afterEach(() => {
			if (!current) return;
			const { child, started, folders } = current;
			current = undefined;
			for (const target of [-child.pid, ...started.map((process) => -process.pid)]) {
				try {
					process.kill(target, 'SIGKILL');
				} catch {
					// Already gone.
				}
			}
			for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
		});
	},
);
