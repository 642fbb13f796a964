/**
 * The API key and the secrets PilotStatus holds never come out of the node: not in output items
 * (Raw or Flattened), not in errors, whatever the API or a proxy sends back. Run by n8n-core against
 * the sandbox; n8n's logs are checked in secrets-in-logs.test.ts.
 */
import { poll, runNode } from '../harness/n8n';
import { byId, checkStatus, get, list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { everything, expectCleanFailure } from './helpers';

const { sandbox, credentials } = useSandbox();

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
			const detail = await runNode({
				parameters: get(byId('wa_abc'), { options: { output } }),
				credentials,
			});
			const listed = await runNode({
				parameters: list({ returnAll: true, options: { output } }),
				credentials,
			});
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
		const result = await runNode({
			parameters: list({ returnAll: true, options: { maxRetries: 0 } }),
			credentials,
		});
		expectCleanFailure(result, /^PilotStatus/);
		expect(everything(result)).not.toMatch(leakedValues);
	});
});

describe('echoes of the key in successful answers', () => {
	const REDACTED = '[redacted]';

	it.each(['flattened', 'raw'])(
		'Get (%s): removed wherever it occurs, values, nested values, arrays and field names',
		async (output) => {
			injectFault(sandbox, faults.echoKey());
			const result = await runNode({
				parameters: get(byId('wa_abc'), { options: { output } }),
				credentials,
			});
			expect(result.error).toBeUndefined();
			expect(everything(result)).not.toContain(KEYS.acmeTenant);
			const json = result.items[0].json;
			expect(json.webhookUrl).toBe(`https://hooks.example.com/in?apikey=${REDACTED}`);
			expect(json[REDACTED]).toBe('seen');
			expect(json.recentKeys).toEqual([REDACTED, `Bearer ${REDACTED}`]);
			if (output === 'raw') expect(json.request).toEqual({ echo: `got ${REDACTED}` });
			else expect(json.request_echo).toBe(`got ${REDACTED}`);
			// `x-api-key` is a secret-looking name: the field is dropped, not only its value.
			expect(Object.keys(json).filter((column) => /x-api-key/i.test(column))).toEqual([]);
		},
	);

	it.each(['flattened', 'raw'])(
		'Check Status (%s): {"state": "open", "request": {"x-api-key": <key>, "echo": "got <key>"}}',
		async (output) => {
			injectFault(
				sandbox,
				faults.json({
					state: 'open',
					request: { 'x-api-key': KEYS.acmeTenant, echo: `got ${KEYS.acmeTenant}` },
				}),
				{ path: '/v1/numbers/wa_abc/status' },
			);
			const result = await runNode({
				parameters: checkStatus(byId('wa_abc'), { options: { output } }),
				credentials,
			});
			expect(everything(result)).not.toContain(KEYS.acmeTenant);
			expect(result.items[0].json).toEqual(
				output === 'raw'
					? { id: 'wa_abc', state: 'open', request: { echo: `got ${REDACTED}` } }
					: { id: 'wa_abc', state: 'open', request_echo: `got ${REDACTED}` },
			);
		},
	);

	it('List (Raw, Return All): on every number', async () => {
		injectFault(sandbox, faults.echoKey({ places: ['value', 'array'] }));
		const result = await runNode({
			parameters: list({ returnAll: true, options: { output: 'raw' } }),
			credentials,
		});
		expect(result.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
		expect(result.items.every((item) => item.json.webhookUrl?.endsWith(REDACTED))).toBe(true);
	});

	it("the trigger's items, and what it remembers", async () => {
		injectFault(sandbox, faults.echoKey());
		const tick = await poll({
			parameters: {
				events: ['numberAdded'],
				includeHealth: true,
				options: { emitOnFirstPoll: true },
			},
			credentials,
		});
		expect(tick.error).toBeUndefined();
		expect(tick.items?.length).toBeGreaterThan(0);
		expect(JSON.stringify([tick.items, tick.staticData])).not.toContain(KEYS.acmeTenant);
	});

	it('a rejected key echoed in the 401 body is not shown', async () => {
		const badKey = 'ps_wrong_key_9f8e7d6c5b';
		injectFault(sandbox, faults.echoKey({ status: 401 }));
		const result = await runNode({
			parameters: list(),
			credentials: { ...credentials, apiKey: badKey },
		});
		expectCleanFailure(result, 'The PilotStatus API key was rejected (HTTP 401)', badKey);
	});
});

describe('the key in other forms', () => {
	/** A key of the base64 alphabet: percent-encoding changes it. */
	const BASE64_KEY = 'ps_live_Zm9v+YmFy/YmF6==';
	const useBase64Key = () => {
		sandbox.tenants.acme.keys.push({ key: BASE64_KEY, name: 'base64', scope: 'tenant' });
		return { ...credentials, apiKey: BASE64_KEY };
	};

	it('echoed percent-encoded in a URL of a Get answer (upper or lower case hex): redacted', async () => {
		const base64Credentials = useBase64Key();
		injectFault(
			sandbox,
			faults.rewrite((body: Record<string, unknown>, req: { headers: Record<string, unknown> }) => {
				const encoded = encodeURIComponent(String(req.headers['x-api-key']));
				return {
					...body,
					webhookUrl: `https://hooks.example.com/in?apikey=${encoded}`,
					lowerUrl: `https://hooks.example.com/in?k=${encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}`,
				};
			}),
			{ path: '/v1/numbers/wa_abc' },
		);
		const result = await runNode({
			parameters: get(byId('wa_abc')),
			credentials: base64Credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.webhookUrl).toBe('https://hooks.example.com/in?apikey=[redacted]');
		expect(result.items[0].json.lowerUrl).toBe('https://hooks.example.com/in?k=[redacted]');
		expect(everything(result)).not.toContain(encodeURIComponent(BASE64_KEY));
	});

	it('in a redirect Location, as the node writes it in the message: redacted', async () => {
		const base64Credentials = useBase64Key();
		injectFault(sandbox, (req, res) => {
			res.writeHead(302, {
				location: `http://127.0.0.2:9/cb?k=${String(req.headers['x-api-key'])}`,
			});
			res.end();
			return true;
		});
		const result = await runNode({ parameters: list(), credentials: base64Credentials });
		expect(result.error?.message).toBe(
			'PilotStatus answered GET /v1/numbers with a redirect (HTTP 302) to http://127.0.0.2:9/cb?k=[redacted], which the node does not follow',
		);
		expect(everything(result)).not.toContain(BASE64_KEY);
	});

	it.each([
		['a JSON escape', `\\u0070${KEYS.acmeTenant.slice(1)}`],
		['an HTML character reference', `&#112;${KEYS.acmeTenant.slice(1)}`],
		['a hexadecimal HTML character reference', `&#x70;${KEYS.acmeTenant.slice(1)}`],
	])('written with %s in an error body that is not JSON: redacted', async (_, written) => {
		injectFault(sandbox, faults.answer(500, `{"error":"invalid key ${written}"} trailing`));
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toBe('PilotStatus is unavailable (HTTP 500) on GET /v1/numbers');
		expect(result.error?.description).toContain('invalid key [redacted]');
		expect(everything(result)).not.toContain(KEYS.acmeTenant.slice(1));
	});
});
