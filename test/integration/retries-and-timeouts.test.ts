/**
 * Retries and timeouts: every injected fault run by n8n-core against the sandbox. For each: what is
 * retried and how often (the sandbox counts the requests), and when the retries run out, one of
 * n8n's node errors with the right text (no crash; an unhandled rejection anywhere in the process
 * would fail the running test, as jest does), the API key nowhere in what the run produced.
 */
import net from 'node:net';

import { runNode } from '../harness/n8n';
import { byId, get, ID_FROM_INPUT, list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';
import { acmeIds, expectCleanFailure, hostOf } from './helpers';

const { sandbox, credentials } = useSandbox();

const httpDate = (msFromNow: number) => new Date(Date.now() + msFromNow).toUTCString();

describe('faults: retried, then recovered', () => {
	it.each([
		['503 with Retry-After 0, twice', () => faults.status(503, { retryAfter: '0' }), 2],
		['502 HTML page from a proxy, once', () => faults.html(502), 1],
		['504 without Retry-After, once', () => faults.status(504), 1],
		[
			'429 with Retry-After as an HTTP date',
			() => faults.status(429, { retryAfter: httpDate(800) }),
			1,
		],
		['a connection reset, once', () => faults.reset(), 1],
	])('%s: every number returned, one request per attempt', async (_name, fault, failures) => {
		injectFault(sandbox, fault(), { path: '/v1/numbers', times: failures });
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(acmeIds(sandbox));
		expect(sandbox.requests.length).toBe(failures + 1);
	});

	it('a response slower than the timeout, once: the retry gets the answer', async () => {
		injectFault(sandbox, faults.delay(3000), { calls: [1] });
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 1000 } }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe('wa_abc');
		expect(sandbox.requests.length).toBe(2);
	});

	it('a body dripping slowly but steadily is read in full when it ends within the Timeout', async () => {
		injectFault(sandbox, faults.slowDrip({ chunks: 4, intervalMs: 100 }));
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 2000 } }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.meta_waba_id).toBe('1029384756');
		expect(sandbox.requests.length).toBe(1);
	});
});

describe('faults: retried until Max Retries, then a clear error', () => {
	it.each([
		[
			'503, Retry-After 0',
			() => faults.status(503, { retryAfter: '0' }),
			2,
			'PilotStatus is unavailable (HTTP 503) on GET /v1/numbers (3 attempts)',
		],
		[
			'504, Retry-After 0',
			() => faults.status(504, { retryAfter: '0' }),
			3,
			'PilotStatus is unavailable (HTTP 504) on GET /v1/numbers (4 attempts)',
		],
		[
			'429, Retry-After 1',
			() => faults.status(429, { retryAfter: '1' }),
			1,
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers: it asked to wait 1 s (2 attempts)',
		],
		[
			'429 without Retry-After',
			() => faults.status(429),
			1,
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers (2 attempts)',
		],
		[
			'502 HTML page',
			() => faults.html(502),
			1,
			'PilotStatus is unavailable (HTTP 502) on GET /v1/numbers (2 attempts)',
		],
		[
			'connection reset',
			() => faults.reset(),
			2,
			() =>
				`Could not reach PilotStatus at ${hostOf(sandbox)} for GET /v1/numbers: the connection was reset (3 attempts)`,
		],
	])('%s', async (_name, fault, maxRetries, message) => {
		injectFault(sandbox, fault());
		const result = await runNode({
			parameters: list({ returnAll: true, options: { maxRetries } }),
			credentials,
		});
		expectCleanFailure(result, typeof message === 'function' ? message() : message);
		expect(result.error?.description).toContain(`Tried ${maxRetries + 1} times`);
		expect(sandbox.requests.length).toBe(maxRetries + 1);
	});

	it('an HTML error page: the status and a short excerpt of the page', async () => {
		injectFault(sandbox, faults.html(502));
		const result = await runNode({
			parameters: list({ returnAll: true, options: { maxRetries: 0 } }),
			credentials,
		});
		expectCleanFailure(result, 'PilotStatus is unavailable (HTTP 502) on GET /v1/numbers');
		expect(result.error?.description).toContain(
			'The response was not JSON (often a proxy\'s error page); it began: "<html> <head><title>502 Bad Gateway',
		);
		expect(result.error?.httpCode).toBe('502');
		expect(sandbox.requests.length).toBe(1);
	});

	it('no answer within the timeout', async () => {
		injectFault(sandbox, faults.delay(1500));
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 400, maxRetries: 1 } }),
			credentials,
		});
		expectCleanFailure(
			result,
			'PilotStatus did not answer GET /v1/numbers/{id} within 400 ms (2 attempts)',
		);
		expect(result.error?.description).toContain('raise the Timeout option');
		expect(sandbox.requests.length).toBe(2);
	});

	it('a body that stops arriving for longer than the timeout', async () => {
		injectFault(sandbox, faults.slowDrip({ chunks: 3, intervalMs: 1200 }));
		const result = await runNode({
			parameters: list({ returnAll: true, options: { timeout: 400, maxRetries: 0 } }),
			credentials,
		});
		expectCleanFailure(result, 'PilotStatus did not answer GET /v1/numbers within 400 ms');
		expect(sandbox.requests.length).toBe(1);
	});

	it('connection refused: names the host, never the key', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const server = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(() => resolve(port));
			});
		});
		const result = await runNode({
			parameters: list({ returnAll: true, options: { maxRetries: 1 } }),
			credentials: { ...credentials, baseUrl: `http://127.0.0.1:${closedPort}` },
		});
		expectCleanFailure(
			result,
			`Could not reach PilotStatus at 127.0.0.1:${closedPort} for GET /v1/numbers: the connection was refused (2 attempts)`,
		);
		expect(result.error?.description).toContain('ECONNREFUSED');
	});

	it('gives up on an item only when the API keeps refusing it, after the retries, with the rate-limit message', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
			res.end('{"error":"Too Many Requests"}');
			return true;
		});
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: [{ id: 'wa_abc' }],
		});
		expect(result.error?.message).toBe(
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers/{id}: it asked to wait 0 s (4 attempts)',
		);
		// The first attempt and Max Retries (3 by default) more, each through the throttle.
		expect(sandbox.requests).toHaveLength(4);
	});
});

describe('faults: never retried', () => {
	it('429 asking for longer than the node waits fails at once, saying how long', async () => {
		injectFault(sandbox, faults.status(429, { retryAfter: '120' }));
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expectCleanFailure(
			result,
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers: it asked to wait 2 min',
		);
		expect(result.error?.description).toContain(
			'Not retried: PilotStatus asked to wait 2 min, longer than the 30 s this node waits.',
		);
		expect(sandbox.requests.length).toBe(1);
	});

	it.each([
		[500, 'PilotStatus is unavailable (HTTP 500) on GET /v1/numbers'],
		[403, 'The PilotStatus API key was rejected (HTTP 403)'],
		[400, 'PilotStatus rejected GET /v1/numbers (HTTP 400)'],
		[422, 'PilotStatus rejected GET /v1/numbers (HTTP 422)'],
	])('HTTP %i: one request', async (status, message) => {
		injectFault(sandbox, faults.status(status, { retryAfter: '0' }));
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expectCleanFailure(result, message);
		expect(sandbox.requests.length).toBe(1);
	});
});
