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

const REPO = path.join(__dirname, '..');
/** Only ever encrypts the throw-away credentials of a temp user folder. */
const ENCRYPTION_KEY = 'pilotstatus-e2e-not-a-secret';
const CLI_TIMEOUT_MS = 180000;

/** `npm pack` of the repository (dist/ must be built): exactly what would be published. */
function packPackage(destination) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO,
		env: withoutNpmScriptEnv(),
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return path.join(destination, JSON.parse(output)[0].filename);
}

/** The environment n8n runs with: isolated folder, no calls home, a log file to inspect. */
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

/** `npm install <tarball>` in n8n's nodes folder, as n8n's own community-package install does. */
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
 */
async function createN8n({ version, tarball = undefined, userFolder = undefined, env = {} }) {
	const install = ensureN8n(version);
	userFolder ??= fs.mkdtempSync(path.join(os.tmpdir(), `pilotstatus-n8n-${version}-`));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(manifest, '{"name":"installed-nodes","private":true}\n');
	if (tarball) installPackage(nodesDir, tarball);
	// Every n8n command starts a task broker, on 5679 unless told: two n8n at once would collide.
	const fullEnv = n8nEnv(install, userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...env,
	});
	/** Every line n8n printed, so a test can check what it revealed. */
	const transcript = [];

	/** Runs `n8n <args>` without blocking this process (the sandbox may live in it). */
	function cli(args) {
		return new Promise((resolve, reject) => {
			const child = spawn(install.node, [install.n8n, ...args], { cwd: userFolder, env: fullEnv });
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

	async function cliOk(args) {
		const result = await cli(args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	/** Imports credentials given with plaintext `data`; n8n encrypts them with the folder's key. */
	async function importCredentials(credentials) {
		const file = path.join(userFolder, 'credentials-import.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		try {
			await cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Imports workflow files as they are; returns their ids by workflow name. */
	async function importWorkflows(files) {
		const dir = fs.mkdtempSync(path.join(userFolder, 'workflows-'));
		files.forEach((file, index) =>
			fs.copyFileSync(file, path.join(dir, `${index}-${path.basename(file)}`)),
		);
		await cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		// The export is a file of JSON, unlike list:workflow's lines, whose look depends on the log settings.
		const exported = path.join(dir, 'exported.json');
		await cliOk(['export:workflow', '--all', `--output=${exported}`]);
		const workflows = JSON.parse(fs.readFileSync(exported, 'utf8'));
		return Object.fromEntries(workflows.map((workflow) => [workflow.name, workflow.id]));
	}

	/**
	 * Publishes (activates) workflows by id: `n8n publish:workflow`, which takes effect when n8n
	 * main starts next (n8n says changes made while it runs do not take effect).
	 */
	async function publishWorkflows(workflowIds) {
		for (const id of workflowIds) await cliOk(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --rawOutput`: the run as n8n printed it, parsed, with the exit code. */
	async function execute(workflowId) {
		const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		return { ...result, run: parseRun(result.stdout) };
	}

	return {
		version,
		install,
		userFolder,
		env: fullEnv,
		transcript,
		cli,
		importCredentials,
		importWorkflows,
		publishWorkflows,
		execute,
		log: () => readIfExists(path.join(userFolder, 'n8n.log')),
		remove: () => fs.rmSync(userFolder, { recursive: true, force: true }),
	};
}

/** The run n8n printed (indented JSON, from a line `{` to a line `}`, among log lines); undefined if none. */
function parseRun(stdout) {
	const match = /^\{\n[\s\S]*?\n\}$/m.exec(stdout);
	if (!match) return undefined;
	try {
		return JSON.parse(match[0]);
	} catch {
		return undefined;
	}
}

function readIfExists(file) {
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

module.exports = { createN8n, packPackage, ENCRYPTION_KEY };
