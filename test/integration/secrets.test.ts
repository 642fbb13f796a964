/**
 * The API key and the secrets PilotStatus holds never come out of the node: not in output items
 * (Raw or Flattened), not in errors, whatever the API or a proxy sends back. Run by n8n-core against
 * the sandbox; n8n's logs are checked in secrets-in-logs.test.ts.
 */
import { runNode } from '../harness/n8n';
import { byId, get, list } from '../harness/parameters';
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
