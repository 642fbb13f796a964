/**
 * A real n8n editor (`n8n start`) with this package loaded from its `npm pack` tarball, in a
 * throwaway user folder, on a free loopback port, with an owner account made through n8n's REST API.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

interface N8nFolder {
	install: { node: string; n8n: string };
	userFolder: string;
	env: Record<string, string>;
	remove(): void;
}
// The end-to-end suite's set-up (e2e/n8n.js): pinned n8n, package from `npm pack`, isolated folder.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createN8n, packPackage } = require('../e2e/n8n') as {
	createN8n(options: {
		version: string;
		tarball: string;
		env?: Record<string, string>;
	}): Promise<N8nFolder>;
	packPackage(destination: string): string;
};

/** The n8n line the editor tests run on: the 2.x that matches the n8n-core/n8n-workflow dev dependencies. */
export const N8N_VERSION = '2.41.1';

export const OWNER = {
	email: 'owner@pilotstatus.test',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'PilotStatus-ui-1',
};

export interface Editor {
	url: string;
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

async function waitFor(
	what: string,
	timeoutMs: number,
	check: () => Promise<boolean>,
	failed: () => string | undefined,
) {
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
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-ui-pack-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let n8n: N8nFolder;
	try {
		n8n = await createN8n({
			version: N8N_VERSION,
			tarball: packPackage(packDir),
			env: {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_EDITOR_BASE_URL: url,
				N8N_SECURE_COOKIE: 'false',
			},
		});
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	let output = '';
	const child = spawn(n8n.install.node, [n8n.install.n8n, 'start'], {
		cwd: n8n.userFolder,
		env: n8n.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = () =>
		child.exitCode !== null
			? `n8n exited with code ${child.exitCode}:\n${output.slice(-3000)}`
			: undefined;

	const editor: Editor = {
		url,
		async stop() {
			await stopProcess(child);
			n8n.remove();
		},
	};
	try {
		await waitFor('n8n /healthz', 90000, async () => (await fetch(`${url}/healthz`)).ok, exited);
		// While it migrates its database n8n answers every path with 200 and a "starting up" page.
		const settingsServed = async () => {
			const response = await fetch(`${url}/rest/settings`);
			return (
				response.ok && (response.headers.get('content-type') ?? '').includes('application/json')
			);
		};
		await waitFor('n8n REST API', 120000, settingsServed, exited);
		const setup = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const owner = (await setup.json().catch(() => ({}))) as { data?: { email?: string } };
		if (owner.data?.email !== OWNER.email)
			throw new Error(`owner set-up failed: HTTP ${setup.status}`);
	} catch (error) {
		await editor.stop();
		throw error;
	}
	return editor;
}
