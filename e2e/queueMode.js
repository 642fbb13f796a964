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

/**
 * Installs PostgreSQL and Redis if missing, starts them, and makes the n8n folders (package
 * installed in each). n8n itself starts with `startN8n()`, after the caller imported and published
 * its workflows through `main.cli...` (createN8n's handle for main's folder, using the database).
 *
 * @param options `version` (a pinned n8n line), `tarball` (`npm pack` of the package), `workers`
 *   (default 1), `port` (main's; default a free one), `env` (added to every n8n process), `echo`
 *   (`(processName) => stream`: where each process's output also goes as it comes; names `main`,
 *   `worker-1`...).
 * @returns {Promise<object>} `postgres`, `redis` (services.js handles), `env` (the queue-mode
 *   settings every process gets), `main` (createN8n handle for main's folder), `workerFolders`,
 *   `startN8n()` (starts main and the workers at once, waits until all are ready; returns
 *   `{ main, workers }`, n8nServer handles; after `stopN8n()` starts the same processes again),
 *   `startWorker({ withPackage })` (one more worker), `stopN8n()` (stops every n8n process),
 *   `stop()` (everything, folders removed; safe to call after a failure and twice).
 */
async function createQueueMode({ version, tarball, workers = 1, port, env = {}, echo } = {}) {
	ensureServices();
	const started = { folders: [], servers: [] };
	let postgres;
	let redis;

	async function stop() {
		const servers = started.servers.splice(0);
		await Promise.allSettled(servers.map((server) => server.stop()));
		await Promise.allSettled([postgres?.stop(), redis?.stop()]);
		for (const folder of started.folders.splice(0)) folder.remove();
	}

	try {
		const services = await Promise.allSettled([startPostgres(), startRedis()]);
		[postgres, redis] = services.map((result) => result.value);
		const failed = services.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;

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
		/** Starts n8n servers at once; all that started are stopped by stop(), even if one failed. */
		const startServers = async (...starting) => {
			const results = await Promise.allSettled(starting);
			const running = results.filter((result) => result.status === 'fulfilled');
			started.servers.push(...running.map((result) => result.value));
			const failure = results.find((result) => result.status === 'rejected');
			if (failure) throw failure.reason;
			return running.map((result) => result.value);
		};
		const folders = await Promise.all(Array.from({ length: workers + 1 }, () => makeFolder()));
		const [main, ...workerFolders] = folders;
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
