/**
 * The PilotStatus API credential as the node uses it, run by n8n-core against the sandbox: a
 * rejected key, how often the credential is read, and Base URLs refused before anything is sent.
 */
import { runNode } from '../harness/n8n';
import { byId, get, ID_FROM_INPUT, list } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { everything, expectCleanFailure, inputOf } from './helpers';

const { sandbox, credentials } = useSandbox();

/** The name the sandbox gives the key of the acme tenant's credential. */
const acmeKeyName = () =>
	sandbox.tenants.acme.keys.find((key) => key.key === credentials.apiKey)?.name;

describe('a rejected key', () => {
	it('says the key was rejected, without the key', async () => {
		const badKey = 'ps_wrong_key_0123456789';
		const result = await runNode({
			parameters: list(),
			credentials: { ...credentials, apiKey: badKey },
		});
		expect(result.error?.message).toBe('The PilotStatus API key was rejected (HTTP 401)');
		expect(result.error?.description).toContain('ps_');
		expect(everything(result)).not.toContain(badKey);
	});

	it('401: one request, never sent again', async () => {
		const badKey = 'ps_wrong_key_4e1d9c2b7a';
		const result = await runNode({
			parameters: list({ returnAll: true }),
			credentials: { ...credentials, apiKey: badKey },
		});
		expectCleanFailure(result, 'The PilotStatus API key was rejected (HTTP 401)', badKey);
		// The node reads error answers itself, so n8n-core's re-send after a 401 does not happen either.
		expect(sandbox.requests.length).toBe(1);
	});
});

describe('the credential', () => {
	// In n8n every read is a database query and a decryption, so a run reads it once, not per request.
	it('is read once per node run, however many items, and its key goes on every request', async () => {
		const numberIds = addNumbers(sandbox, 30);
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: inputOf(numberIds),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(30);
		expect(result.credentialReads).toBe(1);
		expect(sandbox.requests).toHaveLength(30);
		expect(new Set(sandbox.requests.map((request) => request.keyName))).toEqual(
			new Set([acmeKeyName()]),
		);
	});

	it('is read once by List with Include Details too, across the list and every detail', async () => {
		addNumbers(sandbox, 12);
		const result = await runNode({
			parameters: list({ returnAll: true, options: { includeDetails: true } }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.length).toBeGreaterThan(12);
		expect(result.credentialReads).toBe(1);
	});
});

describe('the Base URL', () => {
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
		const result = await runNode({
			parameters: list({ returnAll: true }),
			credentials: { ...credentials, baseUrl },
		});
		expectCleanFailure(result, 'The Base URL in the PilotStatus credential is not usable (item 0)');
		expect(result.error?.description).toBe(description);
		expect(sandbox.requests.length).toBe(0);
	});

	it('a Base URL that contains the key does not echo it', async () => {
		const baseUrl = `https://pilotstatus.com.br/?key= ${KEYS.acmeTenant}`;
		const result = await runNode({
			parameters: list({ returnAll: true }),
			credentials: { ...credentials, baseUrl },
		});
		expectCleanFailure(result, 'The Base URL in the PilotStatus credential is not usable (item 0)');
	});
});

describe('a key pasted with spaces around it', () => {
	it.each([
		['a trailing space', `${KEYS.acmeTenant} `],
		['a trailing tab', `${KEYS.acmeTenant}\t`],
		['spaces both sides', `  ${KEYS.acmeTenant}  `],
	])('with %s works: the trimmed key is sent', async (_, apiKey) => {
		const result = await runNode({
			parameters: list({ returnAll: true }),
			credentials: { ...credentials, apiKey },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		expect(sandbox.requests.map((request) => request.keyName)).toEqual([acmeKeyName()]);
	});

	it('and an error body that echoes the trimmed key does not show it', async () => {
		injectFault(
			sandbox,
			faults.status(403, {
				body: (req: { headers: Record<string, unknown> }) => ({
					message: `Key ${String(req.headers['x-api-key'])} is not allowed here`,
				}),
			}),
		);
		const result = await runNode({
			parameters: list(),
			credentials: { ...credentials, apiKey: `${KEYS.acmeTenant}\t` },
		});
		expectCleanFailure(result, 'The PilotStatus API key was rejected (HTTP 403)');
		expect(result.error?.description).toContain(
			'PilotStatus said: "Key [redacted] is not allowed here"',
		);
	});
});

describe('a key that cannot be sent', () => {
	it.each([
		['empty', '', 'The API Key is empty'],
		['only spaces', '   ', 'The API Key is empty'],
		[
			'with a line break inside',
			`${KEYS.acmeTenant}\nX-Forwarded-For: 1.2.3.4`,
			'contains a space, a line break, an accented or another character a PilotStatus key never has',
		],
	])('%s: refused before any request, saying what to do', async (_, apiKey, problem) => {
		const result = await runNode({ parameters: list(), credentials: { ...credentials, apiKey } });
		expectCleanFailure(
			result,
			'The API Key in the PilotStatus credential is not usable (item 0)',
			KEYS.acmeTenant,
		);
		expect(result.error?.description).toContain(problem);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('a key pasted with invisible characters, or one that cannot travel in a header', () => {
	it('a trailing zero-width space is removed like a space: the key works, and its echo is redacted', async () => {
		injectFault(sandbox, faults.echoKey({ places: ['nested'] }), { path: '/v1/numbers/wa_abc' });
		const result = await runNode({
			parameters: get(byId('wa_abc')),
			credentials: { ...credentials, apiKey: `\ufeff${KEYS.acmeTenant}\u200b` },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.request_echo).toBe('got [redacted]');
		expect(sandbox.requests.map((request) => request.keyName)).toEqual([acmeKeyName()]);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
	});

	it.each([
		['letters outside Latin-1', 'ps_live_łódź_9f2a', 'an accented or another character'],
		['a space inside', 'ps_live_two words', 'contains a space'],
		['20,000 characters', `ps_${'x'.repeat(20_000)}`, 'far longer than a PilotStatus key'],
	])('with %s: refused before any request, saying so', async (_, apiKey, problem) => {
		const result = await runNode({ parameters: list(), credentials: { ...credentials, apiKey } });
		expectCleanFailure(
			result,
			'The API Key in the PilotStatus credential is not usable (item 0)',
			apiKey,
		);
		expect(result.error?.description).toContain(problem);
		expect(sandbox.requests).toHaveLength(0);
	});
});
