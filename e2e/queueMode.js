'use strict';
/**
 * n8n in queue mode on one machine, for the queue-mode tests and `npm run dev -- --queue`:
 * PostgreSQL and Redis of its own (e2e/services.js), one n8n main and n workers. Each n8n process
 * has its own user folder with the package installed from the tarball, as separate hosts would;
 * they share the encryption key, the database and the queue. The settings are the ones measured to
 * work with n8n 2.41.1 (../shared/TOOLCHAIN.md, issue 16).
 */
const crypto = require('node:crypto');

const { createN8n } = require('./n8n');
const { startN8nServer } = require('./n8nServer');
const { ensureServices, startPostgres, startRedis } = require('./services');

/** @import { N8nFolder } from './n8n' */
/** @import { N8nServer } from './n8nServer' */
/** @import { Postgres, Redis } from './services' */

/**
 * Installs PostgreSQL and Redis if missing, starts them, and makes the n8n folders (package
 * installed in each). n8n itself starts with `startN8n()`, after the caller imported and published
 * its workflows through `main` (createN8n's handle for main's folder, using the database).
 *
 * @param {object} options
 * @param {string} options.version A pinned n8n line.
 * @param {string} options.tarball `npm pack` of the package.
 * @param {number} [options.workers] How many workers startN8n() starts (default 1).
 * @param {number} [options.port] Main's port (default a free one).
 * @param {Record<string, string>} [options.env] Added to every n8n process's environment.
 * @param {(processName: string) => NodeJS.WritableStream} [options.echo] Where each process's
 *   output also goes as it comes; names `main`, `worker-1`...
 * @returns `postgres`, `redis` (services.js handles), `env` (the queue-mode settings every process
 *   gets), `main` (createN8n handle for main's folder), `workerFolders`, `startN8n()` (starts main
 *   and the workers at once, waits until all are ready; returns `{ main, workers }`, n8nServer
 *   handles; after `stopN8n()` starts the same processes again), `startWorker({ withPackage })`
 *   (one more worker), `stopN8n()` (stops every n8n process), `stop()` (everything, folders
 *   removed; safe to call after a failure and twice).
 */
async function createQueueMode({ version, tarball, workers = 1, port, env = {}, echo }) {
	ensureServices();
	/** @type {{ folders: N8nFolder[], servers: N8nServer[], postgres?: Postgres, redis?: Redis }} */
	const started = { folders: [], servers: [] };

	async function stop() {
		const servers = started.servers.splice(0);
		await Promise.allSettled(servers.map((server) => server.stop()));
		await Promise.allSettled([started.postgres?.stop(), started.redis?.stop()]);
		for (const folder of started.folders.splice(0)) folder.remove();
	}

	try {
		const [postgresStart, redisStart] = await Promise.allSettled([startPostgres(), startRedis()]);
		if (postgresStart.status === 'fulfilled') started.postgres = postgresStart.value;
		if (redisStart.status === 'fulfilled') started.redis = redisStart.value;
		if (postgresStart.status === 'rejected') throw postgresStart.reason;
		if (redisStart.status === 'rejected') throw redisStart.reason;
		const postgres = postgresStart.value;
		const redis = redisStart.value;

		const queueEnv = {
			...postgres.env,
			...redis.env,
			EXECUTIONS_MODE: 'queue',
			// One queue per stack: two stacks sharing a Redis would otherwise take each other's jobs.
			QUEUE_BULL_PREFIX: `pilotstatus-${crypto.randomBytes(4).toString('hex')}`,
			...env,
		};
		const makeFolder = async (withPackage = true) => {
			const folder = await createN8n({
				version,
				tarball: withPackage ? tarball : undefined,
				env: queueEnv,
			});
			started.folders.push(folder);
			return folder;
		};
		/**
		 * Starts n8n servers at once; all that started are stopped by stop(), even if one failed.
		 * @param {Array<Promise<N8nServer>>} starting
		 */
		const startServers = async (...starting) => {
			const results = await Promise.allSettled(starting);
			const running = results.flatMap((result) =>
				result.status === 'fulfilled' ? [result.value] : [],
			);
			started.servers.push(...running);
			const failure = results.find((result) => result.status === 'rejected');
			if (failure) throw failure.reason;
			return running;
		};
		const folders = await Promise.all(Array.from({ length: workers + 1 }, () => makeFolder()));
		const [main, ...workerFolders] = folders;
		/** @type {{ main: N8nServer, workers: N8nServer[] } | undefined} */
		let servers;

		return {
			postgres,
			redis,
			env: queueEnv,
			main,
			workerFolders,
			async startN8n() {
				if (servers) {
					await Promise.all([servers.main, ...servers.workers].map((server) => server.start()));
					return servers;
				}
				const [mainServer, ...workerServers] = await startServers(
					startN8nServer(main, { role: 'main', port, echo: echo?.('main') }),
					...workerFolders.map((folder, index) =>
						startN8nServer(folder, { role: 'worker', echo: echo?.(`worker-${index + 1}`) }),
					),
				);
				servers = { main: mainServer, workers: workerServers };
				return servers;
			},
			/**
			 * Starts one more worker, in a folder of its own, with the package installed or not; it is
			 * not restarted by startN8n(). Returns its n8nServer handle and its folder.
			 */
			async startWorker({ withPackage = true } = {}) {
				const folder = await makeFolder(withPackage);
				const name = `worker-${started.servers.length}`;
				const [server] = await startServers(
					startN8nServer(folder, { role: 'worker', echo: echo?.(name) }),
				);
				return { server, folder };
			},
			async stopN8n() {
				await Promise.all(started.servers.map((server) => server.stop()));
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { createQueueMode };
