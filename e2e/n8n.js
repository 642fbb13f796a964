'use strict';
/**
 * A real n8n with this package installed the way n8n installs community packages, in a throw-away
 * user folder, driven through n8n's own command line (import:credentials, import:workflow,
 * publish:workflow, execute). Shared by the end-to-end suite, the editor tests and `npm run dev`;
 * e2e/n8nServer.js runs n8n's servers (main, workers) for such a folder.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, withoutNpmScriptEnv } = require('./install-n8n');
const { freePort } = require('./localServer');
const { guard } = require('./watchdog');

/** @import { N8nInstall } from './install-n8n' */

const REPO = path.join(__dirname, '..');
/** Only ever encrypts the throw-away credentials of a temp user folder. */
const ENCRYPTION_KEY = 'pilotstatus-e2e-not-a-secret';
const CLI_TIMEOUT_MS = 180000;

/**
 * `npm pack` of the repository (dist/ must be built): exactly what would be published.
 * @param {string} destination A folder.
 * @returns {string} The tarball's path.
 */
function packPackage(destination) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO,
		env: withoutNpmScriptEnv(),
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return path.join(destination, JSON.parse(output)[0].filename);
}

/**
 * The environment n8n runs with: isolated folder, no calls home, a log file to inspect.
 * @param {N8nInstall} install
 * @param {string} userFolder
 * @param {Record<string, string | undefined>} extra
 * @returns {Record<string, string | undefined>}
 */
function n8nEnv(install, userFolder, extra = {}) {
	// Jest sets NODE_ENV=test, which switches n8n to its own test set-up (e.g. its database).
	const { NODE_ENV, JEST_WORKER_ID, ...inherited } = withoutNpmScriptEnv();
	return {
		...inherited,
		...install.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console,file',
		N8N_LOG_FILE_LOCATION: path.join(userFolder, 'n8n.log'),
		...extra,
	};
}

/**
 * `npm install <tarball>` in n8n's nodes folder, as n8n's own community-package install does.
 * @param {string} nodesDir
 * @param {string} tarball
 */
function installPackage(nodesDir, tarball) {
	execFileSync(
		'npm',
		[
			'install',
			tarball,
			'--ignore-scripts',
			'--legacy-peer-deps',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: nodesDir, env: withoutNpmScriptEnv(), stdio: ['ignore', 'ignore', 'inherit'] },
	);
}

/**
 * Installs the package tarball into the `.n8n/nodes` of a user folder (a new one under the temp dir
 * unless given), as n8n installs community packages (node type
 * `n8n-nodes-pilotstatus.pilotStatusNumbers`), and returns a handle to run n8n in that folder.
 * Without `tarball` the folder has no package: an n8n where it was not installed.
 * @param {object} options
 * @param {string} options.version A pinned n8n line.
 * @param {string} [options.tarball] The packed package.
 * @param {string} [options.userFolder] Default: a new temp folder.
 * @param {Record<string, string | undefined>} [options.env] Added to n8n's environment.
 */
async function createN8n({ version, tarball = undefined, userFolder = undefined, env = {} }) {
	const install = ensureN8n(version);
	const folder =
		userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `pilotstatus-n8n-${version}-`));
	// A temp folder is removed by the watchdog should this process end without remove().
	const forgetFolder = userFolder ? () => {} : guard({ folder });
	const remove = () => {
		fs.rmSync(folder, { recursive: true, force: true });
		forgetFolder();
	};
	const nodesDir = path.join(folder, '.n8n', 'nodes');
	/** @type {Record<string, string | undefined>} */
	let fullEnv;
	try {
		fs.mkdirSync(nodesDir, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest))
			fs.writeFileSync(manifest, '{"name":"installed-nodes","private":true}\n');
		if (tarball) installPackage(nodesDir, tarball);
		// Every n8n command starts a task broker, on 5679 unless told: two n8n at once would collide.
		fullEnv = n8nEnv(install, folder, {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...env,
		});
	} catch (error) {
		// The caller gets no handle to remove it with: a folder made here goes now.
		if (!userFolder) remove();
		throw error;
	}
	/**
	 * Every line n8n printed, so a test can check what it revealed.
	 * @type {string[]}
	 */
	const transcript = [];

	/**
	 * Runs `n8n <args>` without blocking this process (the sandbox may live in it).
	 * @param {string[]} args
	 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>}
	 */
	function cli(args) {
		return new Promise((resolve, reject) => {
			const child = spawn(install.node, [install.n8n, ...args], { cwd: folder, env: fullEnv });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				transcript.push(stdout, stderr);
				resolve({ code, signal, stdout, stderr });
			});
		});
	}

	/** @param {string[]} args */
	async function cliOk(args) {
		const result = await cli(args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	/**
	 * Imports credentials given with plaintext `data`; n8n encrypts them with the folder's key.
	 * @param {Array<{ id: string, name: string, type: string, data: object }>} credentials
	 */
	async function importCredentials(credentials) {
		const file = path.join(folder, 'credentials-import.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		try {
			await cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * Imports workflow files as they are; returns their ids by workflow name.
	 * @param {string[]} files
	 * @returns {Promise<Record<string, string>>}
	 */
	async function importWorkflows(files) {
		const dir = fs.mkdtempSync(path.join(folder, 'workflows-'));
		files.forEach((file, index) =>
			fs.copyFileSync(file, path.join(dir, `${index}-${path.basename(file)}`)),
		);
		await cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		// The export is a file of JSON, unlike list:workflow's lines, whose look depends on the log settings.
		const exported = path.join(dir, 'exported.json');
		await cliOk(['export:workflow', '--all', `--output=${exported}`]);
		/** @type {Array<{ name: string, id: string }>} */
		const workflows = JSON.parse(fs.readFileSync(exported, 'utf8'));
		return Object.fromEntries(workflows.map((workflow) => [workflow.name, workflow.id]));
	}

	/**
	 * Publishes (activates) workflows by id: `n8n publish:workflow`, or on n8n 1.x, which has no
	 * publishing, `n8n update:workflow --active=true`. Either takes effect when n8n main starts next
	 * (n8n says changes made while it runs do not take effect).
	 * @param {string[]} workflowIds
	 */
	async function publishWorkflows(workflowIds) {
		for (const id of workflowIds) {
			await cliOk(
				version.startsWith('1.')
					? ['update:workflow', `--id=${id}`, '--active=true']
					: ['publish:workflow', `--id=${id}`],
			);
		}
	}

	/**
	 * `n8n execute --rawOutput`: the run as n8n printed it, parsed, with the exit code.
	 * @param {string} workflowId
	 */
	async function execute(workflowId) {
		const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		return { ...result, run: parseRun(result.stdout) };
	}

	return {
		version,
		install,
		userFolder: folder,
		env: fullEnv,
		transcript,
		cli,
		importCredentials,
		importWorkflows,
		publishWorkflows,
		execute,
		log: () => readIfExists(path.join(folder, 'n8n.log')),
		remove,
	};
}

/**
 * The run n8n printed (indented JSON, from a line `{` to a line `}`, among log lines); undefined if none.
 * @param {string} stdout
 * @returns {any}
 */
function parseRun(stdout) {
	const match = /^\{\n[\s\S]*?\n\}$/m.exec(stdout);
	if (!match) return undefined;
	try {
		return JSON.parse(match[0]);
	} catch {
		return undefined;
	}
}

/** @param {string} file */
function readIfExists(file) {
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** @typedef {Awaited<ReturnType<typeof createN8n>>} N8nFolder */

module.exports = { createN8n, packPackage, parseRun, ENCRYPTION_KEY };
