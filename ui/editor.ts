/**
 * A real n8n editor (`n8n start`) with this package loaded from its `npm pack` tarball, in a
 * throwaway user folder, on a free loopback port, with an owner account made through n8n's REST API.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureN8n } = require('../e2e/install-n8n') as {
	ensureN8n(version: string): { n8n: string; env: Record<string, string> };
};

/** The n8n line the editor tests run on: the 2.x that matches the n8n-core/n8n-workflow dev dependencies. */
export const N8N_VERSION = '2.41.1';

const ROOT = path.resolve(__dirname, '..');

export const OWNER = {
	email: 'owner@pilotstatus.test',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'PilotStatus-ui-1',
};

export interface Editor {
	url: string;
	/** Everything n8n printed, for a failing test's message. */
	log(): string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The package as it would be published, installed the way n8n loads community packages. */
function installPackage(userFolder: string): void {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-pack-'));
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }),
	) as Array<{ filename: string }>;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	execFileSync(
		'npm',
		['install', path.join(packDir, filename), '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'],
		{ cwd: nodesDir, stdio: 'ignore', timeout: 120000 },
	);
	fs.rmSync(packDir, { recursive: true, force: true });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, failed: () => string | undefined) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const failure = failed();
		if (failure) throw new Error(`${what}: ${failure}`);
		if (await check().catch(() => false)) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
}

function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const kill = setTimeout(() => child.kill('SIGKILL'), 10000);
		child.once('exit', () => {
			clearTimeout(kill);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

export async function startEditor(): Promise<Editor> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-ui-'));
	installPackage(userFolder);
	const n8n = ensureN8n(N8N_VERSION);
	const port = await freePort();
	// n8n's task broker takes a fixed port by default, which another n8n on the machine may hold.
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let output = '';
	const child = spawn(n8n.n8n, ['start'], {
		cwd: userFolder,
		env: {
			...process.env,
			...n8n.env,
			// jest sets NODE_ENV=test, in which n8n start exits at once without a word.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_EDITOR_BASE_URL: url,
			N8N_ENCRYPTION_KEY: 'pilotstatus-ui-tests-only',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = () => (child.exitCode !== null ? `n8n exited with code ${child.exitCode}:\n${output.slice(-3000)}` : undefined);

	const editor: Editor = {
		url,
		log: () => output,
		async stop() {
			await stopProcess(child);
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
	try {
		await waitFor('n8n /healthz', 90000, async () => (await fetch(`${url}/healthz`)).ok, exited);
		// While it migrates its database n8n answers every path with 200 and a "starting up" page.
		const settingsServed = async () => {
			const response = await fetch(`${url}/rest/settings`);
			return response.ok && (response.headers.get('content-type') ?? '').includes('application/json');
		};
		await waitFor('n8n REST API', 120000, settingsServed, exited);
		const setup = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const owner = (await setup.json().catch(() => ({}))) as { data?: { email?: string } };
		if (owner.data?.email !== OWNER.email) throw new Error(`owner set-up failed: HTTP ${setup.status}`);
	} catch (error) {
		await editor.stop();
		throw error;
	}
	return editor;
}
