/**
 * What n8n logs while the node fails must not contain the API key either. n8n-core's logger is
 * set to debug (where n8n logs every node error in full) and to a file, and whatever reaches
 * stdout/stderr meanwhile is captured too; then failing runs go through n8n-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Builds parameters only: loads nothing of n8n.
import { list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';

const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-logs-')), 'n8n.log');
// Read by n8n's logger when n8n-core is first loaded, so the harness is required only after this.
const logSettings = {
	N8N_LOG_LEVEL: 'debug',
	N8N_LOG_OUTPUT: 'console,file',
	N8N_LOG_FILE_LOCATION: logFile,
};
const envBefore = Object.fromEntries(
	Object.keys(logSettings).map((name) => [name, process.env[name]]),
);
Object.assign(process.env, logSettings);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runNode } = require('../harness/n8n') as typeof import('../harness/n8n');

const { sandbox, credentials } = useSandbox();
const captured: string[] = [];
const streams = [process.stdout, process.stderr];
const originalWrites = streams.map((stream) => stream.write);

beforeAll(() => {
	streams.forEach((stream, index) => {
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			captured.push(String(chunk));
			return (originalWrites[index] as (...args: unknown[]) => boolean).call(
				stream,
				chunk,
				...rest,
			);
		}) as typeof stream.write;
	});
});
afterAll(() => {
	streams.forEach((stream, index) => (stream.write = originalWrites[index]));
	// Later test files in this worker log as before.
	for (const [name, value] of Object.entries(envBefore)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
});

/** n8n's file logger writes asynchronously: wait (bounded) until it has written `text`, the last run's error. */
async function logFileWith(text: string): Promise<string> {
	for (let tries = 0; tries < 50; tries++) {
		const written = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		if (written.includes(text)) return written;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
}

it('n8n logs every failure, and never the API key', async () => {
	const badKey = 'ps_rejected_key_9f8e7d6c5b';
	await runNode({
		parameters: list({ returnAll: true }),
		credentials: { ...credentials, apiKey: badKey },
	});
	injectFault(
		sandbox,
		faults.status(503, {
			retryAfter: '0',
			body: { message: `upstream saw key ${KEYS.acmeTenant}` },
		}),
	);
	await runNode({ parameters: list({ returnAll: true, options: { maxRetries: 1 } }), credentials });
	sandbox.reset();
	injectFault(sandbox, faults.reset());
	await runNode({ parameters: list({ returnAll: true, options: { maxRetries: 0 } }), credentials });
	sandbox.reset();
	await runNode({
		parameters: list({ returnAll: true }),
		credentials: { ...credentials, baseUrl: `http://example.com/?k=${KEYS.acmeTenant}` },
	});

	const written = await logFileWith('The Base URL in the PilotStatus credential is not usable');
	const everything = `${written}\n${captured.join('')}`;
	// The capture works: n8n logged the failures, with their descriptions (debug level) ...
	expect(written).toContain('The PilotStatus API key was rejected (HTTP 401)');
	expect(written).toContain(
		'PilotStatus is unavailable (HTTP 503) on GET /v1/numbers (2 attempts)',
	);
	expect(written).toContain('[redacted]');
	expect(written).toContain('the connection was reset');
	// ... and neither key anywhere.
	expect(everything).not.toContain(KEYS.acmeTenant);
	expect(everything).not.toContain(badKey);
});
