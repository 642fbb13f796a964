/**
 * The battery: every injected fault and every bad input, run by n8n-core against the sandbox. For
 * each: the run ends with one of n8n's node errors (no crash; an unhandled rejection anywhere in
 * the process would fail the running test, as jest does), with the right error text, after the
 * right number of requests (counted by the sandbox), and the API key appears nowhere in what the
 * run produced.
 */
import net from 'node:net';
import { inspect } from 'node:util';

import type { NodeRun } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';

const { sandbox, credentials } = useSandbox();

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromInput = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
const list = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	operation: 'list',
	returnAll: true,
	options,
	...extra,
});
const get = (numberId: unknown, options: Record<string, unknown> = {}) => ({
	operation: 'get',
	numberId,
	options,
});

/** Everything a run produced, as one string: items, run data, and the error with all it carries. */
const everything = (result: NodeRun) =>
	[
		JSON.stringify([result.items, result.runData]),
		result.error && inspect(result.error, { depth: 12, showHidden: true }),
		result.error && JSON.stringify(result.error),
		result.error?.message,
		result.error?.description,
		result.error?.stack,
	].join('\n');

/** The run failed cleanly: one of n8n's node errors (never a raw TypeError), the key nowhere. */
function expectCleanFailure(
	result: NodeRun,
	message: string | RegExp,
	apiKey = credentials.apiKey,
) {
	expect(result.error).toBeDefined();
	expect(['NodeApiError', 'NodeOperationError']).toContain(result.error?.name);
	if (typeof message === 'string') expect(result.error?.message).toBe(message);
	else expect(result.error?.message).toMatch(message);
	expect(everything(result)).not.toContain(apiKey);
}

const requestCount = () => sandbox.requests.length;
const host = () => new URL(sandbox.url).host;
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
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(
			sandbox.tenants.acme.numbers.map((number) => number.id),
		);
		expect(requestCount()).toBe(failures + 1);
	});

	it('a response slower than the timeout, once: the retry gets the answer', async () => {
		injectFault(sandbox, faults.delay(3000), { calls: [1] });
		const result = await runNode({
			parameters: get(byId('wa_abc'), { timeout: 1000 }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe('wa_abc');
		expect(requestCount()).toBe(2);
	});

	it('a body dripping slowly but steadily is read in full when it ends within the Timeout', async () => {
		injectFault(sandbox, faults.slowDrip({ chunks: 4, intervalMs: 100 }));
		const result = await runNode({
			parameters: get(byId('wa_abc'), { timeout: 2000 }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.meta_waba_id).toBe('1029384756');
		expect(requestCount()).toBe(1);
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
				`Could not reach PilotStatus at ${host()} for GET /v1/numbers: the connection was reset (3 attempts)`,
		],
	])('%s', async (_name, fault, maxRetries, message) => {
		injectFault(sandbox, fault());
		const result = await runNode({ parameters: list({ maxRetries }), credentials });
		expectCleanFailure(result, typeof message === 'function' ? message() : message);
		expect(result.error?.description).toContain(`Tried ${maxRetries + 1} times`);
		expect(requestCount()).toBe(maxRetries + 1);
	});

	it('an HTML error page: the status and a short excerpt of the page', async () => {
		injectFault(sandbox, faults.html(502));
		const result = await runNode({ parameters: list({ maxRetries: 0 }), credentials });
		expectCleanFailure(result, 'PilotStatus is unavailable (HTTP 502) on GET /v1/numbers');
		expect(result.error?.description).toContain(
			'The response was not JSON (often a proxy\'s error page); it began: "<html> <head><title>502 Bad Gateway',
		);
		expect(result.error?.httpCode).toBe('502');
		expect(requestCount()).toBe(1);
	});

	it('no answer within the timeout', async () => {
		injectFault(sandbox, faults.delay(1500));
		const result = await runNode({
			parameters: get(byId('wa_abc'), { timeout: 400, maxRetries: 1 }),
			credentials,
		});
		expectCleanFailure(
			result,
			'PilotStatus did not answer GET /v1/numbers/{id} within 400 ms (2 attempts)',
		);
		expect(result.error?.description).toContain('raise the Timeout option');
		expect(requestCount()).toBe(2);
	});

	it('a body that stops arriving for longer than the timeout', async () => {
		injectFault(sandbox, faults.slowDrip({ chunks: 3, intervalMs: 1200 }));
		const result = await runNode({
			parameters: list({ timeout: 400, maxRetries: 0 }),
			credentials,
		});
		expectCleanFailure(result, 'PilotStatus did not answer GET /v1/numbers within 400 ms');
		expect(requestCount()).toBe(1);
	});

	it('connection refused: names the host, never the key', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const server = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(() => resolve(port));
			});
		});
		const result = await runNode({
			parameters: list({ maxRetries: 1 }),
			credentials: { ...credentials, baseUrl: `http://127.0.0.1:${closedPort}` },
		});
		expectCleanFailure(
			result,
			`Could not reach PilotStatus at 127.0.0.1:${closedPort} for GET /v1/numbers: the connection was refused (2 attempts)`,
		);
		expect(result.error?.description).toContain('ECONNREFUSED');
	});
});

describe('faults: never retried', () => {
	it('429 asking for longer than the node waits fails at once, saying how long', async () => {
		injectFault(sandbox, faults.status(429, { retryAfter: '120' }));
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(
			result,
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers: it asked to wait 2 min',
		);
		expect(result.error?.description).toContain(
			'Not retried: PilotStatus asked to wait 2 min, longer than the 30 s this node waits.',
		);
		expect(requestCount()).toBe(1);
	});

	it.each([
		[500, 'PilotStatus is unavailable (HTTP 500) on GET /v1/numbers'],
		[403, 'The PilotStatus API key was rejected (HTTP 403)'],
		[400, 'PilotStatus rejected GET /v1/numbers (HTTP 400)'],
		[422, 'PilotStatus rejected GET /v1/numbers (HTTP 422)'],
	])('HTTP %i: one request', async (status, message) => {
		injectFault(sandbox, faults.status(status, { retryAfter: '0' }));
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(result, message);
		expect(requestCount()).toBe(1);
	});

	it('401: one request, never sent again', async () => {
		const badKey = 'ps_wrong_key_4e1d9c2b7a';
		const result = await runNode({
			parameters: list(),
			credentials: { ...credentials, apiKey: badKey },
		});
		expectCleanFailure(result, 'The PilotStatus API key was rejected (HTTP 401)', badKey);
		// The node reads error answers itself, so n8n-core's re-send after a 401 does not happen either.
		expect(requestCount()).toBe(1);
	});

	it('404: the number is named, one request', async () => {
		const result = await runNode({ parameters: get(byId('wa_nope')), credentials });
		expectCleanFailure(result, "Number 'wa_nope' was not found in this PilotStatus account");
		expect(requestCount()).toBe(1);
	});

	it("an id that merely contains a system error code's letters keeps its message", async () => {
		const result = await runNode({ parameters: get(byId('team_eperm_econnreset')), credentials });
		expectCleanFailure(
			result,
			"Number 'team_eperm_econnreset' was not found in this PilotStatus account",
		);
	});

	it.each([
		[
			'an HTML page with status 200',
			() => faults.html(200),
			list(),
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		],
		[
			'truncated JSON',
			() => faults.truncatedJson(),
			list(),
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		],
		[
			'an object where a list is expected',
			() => faults.json({ numbers: [] }),
			list(),
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		],
		[
			'a list where an object is expected',
			() => faults.json([{ id: 'wa_abc' }]),
			get(byId('wa_abc')),
			'PilotStatus returned JSON that is not a number object (HTTP 200) for GET /v1/numbers/{id}',
		],
		[
			'an empty body',
			() => faults.answer(200, ''),
			list(),
			'PilotStatus returned an empty response (HTTP 200) for GET /v1/numbers',
		],
	])('%s', async (_name, fault, parameters, message) => {
		injectFault(sandbox, fault());
		const result = await runNode({ parameters, credentials });
		expectCleanFailure(result, message);
		expect(requestCount()).toBe(1);
	});

	it('truncated JSON: the excerpt shows where it was cut', async () => {
		injectFault(sandbox, faults.truncatedJson(0.3));
		const result = await runNode({ parameters: get(byId('wa_abc')), credentials });
		expect(result.error?.description).toMatch(/The response began: "\{"id":"wa_abc",.*"\./);
	});
});

describe('the API key and secret fields never come out', () => {
	const leaked = {
		accessToken: 'EAAG-leaked-access-token',
		appSecret: 'leaked-app-secret',
		providerConfig: { sessionToken: 'leaked-session' },
		token: 'leaked-token',
		secret: 'leaked-secret',
		password: 'leaked-password',
	};
	const leakedValues = /leaked/;

	it.each(['flattened', 'raw'])(
		'secret-looking fields the API might send are dropped from Get and List output (%s)',
		async (output) => {
			injectFault(
				sandbox,
				faults.rewrite((body) => {
					const add = (number: Record<string, any>) => ({
						...number,
						...leaked,
						...(number.meta
							? { meta: { ...number.meta, waba: { ...number.meta.waba, ...leaked } } }
							: {}),
						apiKeys: number.apiKeys?.map((key: object) => ({ ...key, ...leaked })),
					});
					return Array.isArray(body) ? body.map(add) : add(body);
				}),
			);
			const detail = await runNode({ parameters: get(byId('wa_abc'), { output }), credentials });
			const listed = await runNode({ parameters: list({ output }), credentials });
			for (const result of [detail, listed]) {
				expect(result.error).toBeUndefined();
				expect(everything(result)).not.toMatch(leakedValues);
			}
			// Everything else is still there.
			expect(JSON.stringify(detail.items[0].json)).toContain('1029384756');
			expect(listed.items[0].json.apiKeys).toEqual([
				{ name: 'n8n automations', keyPrefix: 'ps_test_', keyLast4: KEYS.acmeTenant.slice(-4) },
				{ name: 'support line only', keyPrefix: 'ps_test_', keyLast4: KEYS.acmeNumber.slice(-4) },
			]);
		},
	);

	it.each([
		[
			'a JSON error that echoes the key',
			() => faults.status(500, { body: { message: `invalid request for key ${KEYS.acmeTenant}` } }),
		],
		[
			'an HTML page that echoes the key',
			() =>
				faults.answer(502, `<html>key=${KEYS.acmeTenant}</html>`, { 'content-type': 'text/html' }),
		],
		[
			'cut JSON with secret fields',
			() =>
				faults.answer(200, `[{"id":"wa_abc","accessToken":"EAAG-leaked","appSecret":"leaked-sec`),
		],
	])('%s: redacted from the error', async (_name, fault) => {
		injectFault(sandbox, fault());
		const result = await runNode({ parameters: list({ maxRetries: 0 }), credentials });
		expectCleanFailure(result, /^PilotStatus/);
		expect(everything(result)).not.toMatch(leakedValues);
	});
});

describe('bad input', () => {
	it.each([
		['empty', '', 'Number is required (item 0): it is empty'],
		['whitespace only', '   ', 'Number is required (item 0): it is empty'],
		['a number', 123, 'Number ID must be text (item 0): it is a number (123)'],
		['an object', { id: 'wa_abc' }, 'Number ID must be text (item 0): it is an object'],
		['an array', ['wa_abc'], 'Number ID must be text (item 0): it is an array'],
		[
			'10,000 characters',
			'x'.repeat(10_000),
			'Number ID is too long (item 0): 10000 characters, at most 256',
		],
		['..', '..', "Number ID '..' is not a valid PilotStatus number ID (item 0)"],
		[
			'a lone surrogate',
			'wa_\uD800',
			'Number ID contains a broken character (item 0): an unpaired UTF-16 surrogate',
		],
	])('id from an expression that is %s: named, no request', async (_name, id, message) => {
		const result = await runNode({ parameters: get(fromInput), credentials, input: [{ id }] });
		expectCleanFailure(result, message);
		expect(requestCount()).toBe(0);
	});

	it.each([
		[0, 'Limit must be a whole number 1 or more (item 0): it is 0'],
		[-5, 'Limit must be a whole number 1 or more (item 0): it is -5'],
		[2.5, 'Limit must be a whole number 1 or more (item 0): it is 2.5'],
		['ten', "Limit must be a whole number 1 or more (item 0): it is 'ten'"],
		[null, 'Limit must be a whole number 1 or more (item 0): it is empty'],
	])('limit %j from an expression: named, no request', async (limit, message) => {
		const result = await runNode({
			parameters: list({}, { returnAll: false, limit: '={{ $json.limit }}' }),
			credentials,
			input: [{ limit }],
		});
		expectCleanFailure(result, message);
		expect(requestCount()).toBe(0);
	});

	it('a huge limit returns every number; digits as text work as a number', async () => {
		const huge = await runNode({
			parameters: list({}, { returnAll: false, limit: 1e12 }),
			credentials,
		});
		expect(huge.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		const text = await runNode({
			parameters: list({}, { returnAll: false, limit: '={{ $json.limit }}' }),
			credentials,
			input: [{ limit: '2' }],
		});
		expect(text.items).toHaveLength(2);
	});

	it.each([
		[
			{ timeout: '={{ -1 }}' },
			'Timeout must be a whole number from 1 to 600000 (item 0): it is -1',
		],
		[
			{ maxRetries: '={{ 2.5 }}' },
			'Max Retries must be a whole number from 0 to 10 (item 0): it is 2.5',
		],
		[
			{ maxRetries: '={{ 99 }}' },
			'Max Retries must be a whole number from 0 to 10 (item 0): it is 99',
		],
	])('option %j: named, no request', async (options, message) => {
		const result = await runNode({ parameters: list(options), credentials });
		expectCleanFailure(result, message);
		expect(requestCount()).toBe(0);
	});

	it.each([
		[
			'pilotstatus.com.br',
			"'pilotstatus.com.br' has no scheme. Start it with https://, e.g. https://pilotstatus.com.br",
		],
		[
			'ftp://pilotstatus.com.br',
			"'ftp://pilotstatus.com.br' uses ftp: but only https:// works (http:// only for a server on this machine)",
		],
		[
			'https://pilot status.com.br',
			"'https://pilot status.com.br' contains a space. Enter the address alone, e.g. https://pilotstatus.com.br",
		],
		[
			'https://pilotstatus.com.br/v1/',
			"'https://pilotstatus.com.br/v1/' ends with /v1, which the node adds itself. Remove it, e.g. https://pilotstatus.com.br",
		],
		[
			'http://pilotstatus.com.br',
			"'http://pilotstatus.com.br' uses plain http://, which would send the API key unencrypted over the network. Use https:// (http:// is accepted only for localhost / 127.0.0.1)",
		],
	])('credential Base URL %j: refused before anything is sent', async (baseUrl, description) => {
		const result = await runNode({ parameters: list(), credentials: { ...credentials, baseUrl } });
		expectCleanFailure(result, 'The Base URL in the PilotStatus credential is not usable (item 0)');
		expect(result.error?.description).toBe(description);
		expect(requestCount()).toBe(0);
	});

	it('a Base URL that contains the key does not echo it', async () => {
		const baseUrl = `https://pilotstatus.com.br/?key= ${KEYS.acmeTenant}`;
		const result = await runNode({ parameters: list(), credentials: { ...credentials, baseUrl } });
		expectCleanFailure(result, 'The Base URL in the PilotStatus credential is not usable (item 0)');
	});
});

describe('Continue On Fail with faults and bad input mixed', () => {
	it('one output item per input item, in order, paired, each error its own', async () => {
		injectFault(sandbox, faults.status(503, { retryAfter: '0' }), { path: '/v1/numbers/wa_sales' });
		injectFault(sandbox, faults.html(200), { path: '/v1/numbers/wa_qr_old' });
		const input = [
			{ id: 'wa_abc' },
			{ id: 'wa_sales' },
			{ id: 42 },
			{ id: 'wa_qr_old' },
			{ id: 'missing' },
			{ id: 'wa_qr_support' },
		];
		const result = await runNode({
			parameters: get(fromInput, { maxRetries: 1 }),
			credentials,
			input,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			'wa_abc',
			'PilotStatus is unavailable (HTTP 503) on GET /v1/numbers/{id} (2 attempts)',
			'Number ID must be text (item 2): it is a number (42)',
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers/{id}',
			"Number 'missing' was not found in this PilotStatus account",
			'wa_qr_support',
		]);
		// 1 + 2 (one retry) + 0 (bad id) + 1 + 1 + 1
		expect(requestCount()).toBe(6);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
	});

	it('without it, the first failing item stops the node with its error', async () => {
		injectFault(sandbox, faults.reset(), { path: '/v1/numbers/wa_sales' });
		const input = [{ id: 'wa_abc' }, { id: 'wa_sales' }, { id: 'wa_qr_old' }];
		// Concurrency 1: strictly sequential, so nothing after the failing item is sent.
		const result = await runNode({
			parameters: get(fromInput, { maxRetries: 0, concurrency: 1 }),
			credentials,
			input,
		});
		expectCleanFailure(
			result,
			`Could not reach PilotStatus at ${host()} for GET /v1/numbers/{id}: the connection was reset`,
		);
		expect(sandbox.requests.map((request) => request.path)).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_sales',
		]);
	});
});
