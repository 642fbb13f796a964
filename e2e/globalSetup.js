'use strict';
/**
 * Before the suite: install each n8n line (in parallel, each in its own process; a no-op when
 * already installed) and pack the built package once, as it would be published.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { packPackage } = require('./n8n');
const { guard } = require('./watchdog');
const versions = require('./versions');

function install(version) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(__dirname, 'install-n8n.js'), version], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new Error(`installing n8n ${version} failed`)),
		);
	});
}

module.exports = async function globalSetup() {
	if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm run test:e2e does)');
	}
	await Promise.all(versions.map(install));
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-pack-'));
	// globalTeardown removes it; should jest end before, the watchdog does.
	guard({ folder: packDir });
	// Read by the test files: jest starts them after this, from this process's environment.
	process.env.PILOTSTATUS_E2E_TARBALL = packPackage(packDir);
};
