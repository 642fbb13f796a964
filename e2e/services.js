'use strict';
/**
 * PostgreSQL and Redis for n8n's queue mode, as the queue-mode tests and `npm run dev -- --queue`
 * need them: Debian's `postgresql` and `redis-server`, installed with apt-get when missing, each
 * started on a free loopback port with its files in a new temp folder, and stopped with that folder
 * removed. Nothing is installed into or started from the system's own service set-up.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort, startProcess } = require('./localServer');
const { guard } = require('./watchdog');

/** @import { LocalProcess } from './localServer' */

const POSTGRES_ROOT = '/usr/lib/postgresql';
const REDIS_SERVER = '/usr/bin/redis-server';
const PACKAGES = ['postgresql', 'redis-server'];
// initdb and the first start on 2 busy cores take seconds; apt-get takes a minute or two.
const START_TIMEOUT_MS = 60000;
const APT_TIMEOUT_MS = 15 * 60 * 1000;
const POSTGRES_USER = 'postgres';

/** The bin folder of the newest PostgreSQL Debian installed (`/usr/lib/postgresql/<major>/bin`), or undefined. */
function postgresBin() {
	if (!fs.existsSync(POSTGRES_ROOT)) return undefined;
	const majors = fs
		.readdirSync(POSTGRES_ROOT)
		.filter((major) => fs.existsSync(path.join(POSTGRES_ROOT, major, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(POSTGRES_ROOT, majors[0], 'bin') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Installs Debian's `postgresql` and `redis-server` with apt-get unless both are there. Needs root;
 * otherwise fails saying what to run.
 * @returns {string[]} The packages it installed.
 */
function ensureServices() {
	const missing = PACKAGES.filter((name) =>
		name === 'postgresql' ? !postgresBin() : !fs.existsSync(REDIS_SERVER),
	);
	if (missing.length === 0) return [];
	const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
	if (!isRoot())
		throw new Error(`${missing.join(' and ')} missing: run '${command}' as root, then again`);
	process.stderr.write(
		`[services] installing ${missing.join(', ')} with apt-get (a minute or two)\n`,
	);
	/** @type {import('node:child_process').ExecFileSyncOptions} */
	const options = {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		stdio: ['ignore', 'ignore', 'inherit'],
		timeout: APT_TIMEOUT_MS,
	};
	execFileSync('apt-get', ['update', '-qq'], options);
	execFileSync('apt-get', ['install', '-y', '-qq', ...missing], options);
	return missing;
}

/**
 * uid and gid of a system user (`id`), for running a server as that user.
 * @param {string} name
 */
function userIds(name) {
	/** @param {string} flag */
	const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/**
 * A new PostgreSQL cluster in a temp folder, trust authentication, listening on 127.0.0.1 only, with
 * an empty database `n8n`. As root, initdb and the server run as the `postgres` user (PostgreSQL
 * refuses to run as root). Durability is off (fsync, synchronous_commit): the data is thrown away.
 *
 * @returns `host`, `port`, `user`, `database`; `env`: n8n's `DB_TYPE=postgresdb` and
 *   `DB_POSTGRESDB_*` settings for it; `query(sql)`: psql's output, unaligned and tuples only;
 *   `process`; `stop()`: fast shutdown, folder removed.
 */
async function startPostgres() {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed: see ensureServices()');
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-postgres-'));
	const forgetFolder = guard({ folder });
	/** @type {{ uid?: number, gid?: number }} */
	const asUser = isRoot() ? userIds(POSTGRES_USER) : {};
	if (asUser.uid !== undefined && asUser.gid !== undefined)
		fs.chownSync(folder, asUser.uid, asUser.gid);
	const dataDir = path.join(folder, 'data');
	const port = await freePort();
	/** @type {LocalProcess | undefined} */
	let server;
	const stop = async () => {
		await server?.stop();
		fs.rmSync(folder, { recursive: true, force: true });
		forgetFolder();
	};
	try {
		execFileSync(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--no-sync'],
			{ ...asUser, cwd: folder, stdio: ['ignore', 'ignore', 'pipe'], timeout: START_TIMEOUT_MS },
		);
		const postgres = startProcess({
			name: 'PostgreSQL',
			command: path.join(bin, 'postgres'),
			args: [
				...['-D', dataDir, '-p', String(port), '-k', folder],
				...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
				...['-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			],
			...asUser,
			cwd: folder,
			// PostgreSQL's fast shutdown; SIGTERM would wait for n8n's connections to close.
			stopSignal: 'SIGINT',
			graceMs: 15000,
		});
		server = postgres;
		await postgres.waitForLine(/database system is ready to accept connections/, START_TIMEOUT_MS);
		/**
		 * @param {string} database
		 * @param {string} sql
		 */
		const psql = (database, sql) =>
			execFileSync(
				path.join(bin, 'psql'),
				// No ~/.psqlrc, unaligned, tuples only, stop at the first error.
				['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port)],
				{
					input: sql,
					encoding: 'utf8',
					env: { ...process.env, PGUSER: POSTGRES_USER, PGDATABASE: database },
				},
			);
		psql('postgres', 'CREATE DATABASE n8n;');
		const database = {
			host: '127.0.0.1',
			port,
			user: POSTGRES_USER,
			database: 'n8n',
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(port),
				DB_POSTGRESDB_USER: POSTGRES_USER,
				DB_POSTGRESDB_PASSWORD: '',
				DB_POSTGRESDB_DATABASE: 'n8n',
			},
			/**
			 * Runs SQL in the n8n database; returns psql's output, unaligned and tuples only.
			 * @param {string} sql
			 */
			query: (sql) => psql('n8n', sql),
			process: postgres,
			stop,
		};
		return database;
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * A Redis server on a free loopback port, without persistence (no RDB snapshots, no AOF), its
 * working folder a new temp folder.
 *
 * @returns `host`, `port`, `env` (n8n's `QUEUE_BULL_REDIS_HOST`/`PORT` for it), `process`,
 *   `stop()` (folder removed).
 */
async function startRedis() {
	if (!fs.existsSync(REDIS_SERVER))
		throw new Error('redis-server is not installed: see ensureServices()');
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-redis-'));
	const forgetFolder = guard({ folder });
	const port = await freePort();
	const server = startProcess({
		name: 'Redis',
		command: REDIS_SERVER,
		args: [
			...['--port', String(port), '--bind', '127.0.0.1', '--dir', folder],
			...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		],
		cwd: folder,
		graceMs: 10000,
	});
	const stop = async () => {
		await server.stop();
		fs.rmSync(folder, { recursive: true, force: true });
		forgetFolder();
	};
	try {
		await server.waitForLine(/Ready to accept connections/, START_TIMEOUT_MS);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		process: server,
		stop,
	};
}

/**
 * @typedef {Awaited<ReturnType<typeof startPostgres>>} Postgres
 * @typedef {Awaited<ReturnType<typeof startRedis>>} Redis
 */

module.exports = { ensureServices, startPostgres, startRedis };
