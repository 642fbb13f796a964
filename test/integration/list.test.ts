/**
 * List (and List with Include Details): the built node run by n8n-core against the sandbox. Every
 * request really crosses loopback HTTP, credentials are resolved and applied by n8n's machinery,
 * nothing of the package is mocked.
 */
import { listedDetailShape, listItemShape } from '../../nodes/shared/numberShapes';
import { runNode } from '../harness/n8n';
import { list } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';
import { acmeIds, everything, ids, pairing, rawUrls } from './helpers';

// A trailing slash in the credential must not break any URL.
const { sandbox, credentials } = useSandbox({ baseUrl: (url) => `${url}/` });

describe('List', () => {
	it('sends the key as x-api-key and returns one flattened item per number, in the API order', async () => {
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(acmeIds(sandbox));
		expect(sandbox.requests).toEqual([
			expect.objectContaining({ rawUrl: '/v1/numbers', keyName: 'n8n automations' }),
		]);
		for (const item of result.items) {
			expect(Object.keys(item.json)).toEqual(listItemShape.columns);
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(result.items[0].json.apiKeys).toEqual([
			{ name: 'n8n automations', keyPrefix: 'ps_test_', keyLast4: KEYS.acmeTenant.slice(-4) },
			{ name: 'support line only', keyPrefix: 'ps_test_', keyLast4: KEYS.acmeNumber.slice(-4) },
		]);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
	});

	it('returns the first Limit numbers unless Return All is on', async () => {
		const limited = await runNode({
			parameters: list({ returnAll: false, limit: 3 }),
			credentials,
		});
		expect(ids(limited.items)).toEqual(acmeIds(sandbox).slice(0, 3));
		const defaults = await runNode({ parameters: list(), credentials });
		expect(defaults.items).toHaveLength(acmeIds(sandbox).length);
	});

	it('a huge limit returns every number; digits as text work as a number', async () => {
		const huge = await runNode({
			parameters: list({ returnAll: false, limit: 1e12 }),
			credentials,
		});
		expect(huge.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		const text = await runNode({
			parameters: list({ returnAll: false, limit: '={{ $json.limit }}' }),
			credentials,
			input: [{ limit: '2' }],
		});
		expect(text.items).toHaveLength(2);
	});

	it('applies filters to the returned list, before the limit', async () => {
		const run = async (filters: Record<string, unknown>, extra = {}) =>
			ids(
				(await runNode({ parameters: list({ returnAll: true, filters, ...extra }), credentials }))
					.items,
			);
		expect(await run({ provider: 'META' })).toEqual(['wa_abc', 'wa_sales']);
		expect(await run({ provider: 'PILOT_STATUS', state: 'close' })).toEqual(['wa_qr_old']);
		expect(await run({ connectedOnly: true })).not.toContain('wa_qr_old');
		expect(await run({ search: 'acme' })).toEqual(['wa_sales']);
		expect(await run({ search: '+55 11 98888-7777' })).toEqual(['wa_sales']);
		expect(await run({ provider: 'PILOT_STATUS' }, { returnAll: false, limit: 1 })).toEqual([
			'wa_qr_support',
		]);
		// The API has no filter parameters: every run was one plain GET /v1/numbers.
		expect(new Set(sandbox.requests.map((request) => request.rawUrl))).toEqual(
			new Set(['/v1/numbers']),
		);
	});

	it('returns the API JSON unchanged with Output: Raw', async () => {
		const result = await runNode({
			parameters: list({ returnAll: true, options: { output: 'raw' } }),
			credentials,
		});
		const direct = await fetch(`${sandbox.url}/v1/numbers`, {
			headers: { 'x-api-key': KEYS.acmeTenant },
		});
		expect(result.items.map((item) => item.json)).toEqual(await direct.json());
	});

	it('runs once per input item, each result paired with its item', async () => {
		const result = await runNode({
			parameters: list({ returnAll: false, limit: 2 }),
			credentials,
			input: [{ n: 1 }, { n: 2 }],
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
	});

	it('shows only its own number to a number-scoped key', async () => {
		const result = await runNode({
			parameters: list({ returnAll: true }),
			credentials: { ...credentials, apiKey: KEYS.acmeNumber },
		});
		expect(ids(result.items)).toEqual(['wa_abc']);
	});
});

describe('List with Include Details', () => {
	it('fetches the detail of each listed number only, after filters and limit', async () => {
		const result = await runNode({
			parameters: list({
				returnAll: false,
				limit: 2,
				filters: { provider: 'PILOT_STATUS' },
				options: { includeDetails: true },
			}),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(['wa_qr_support', 'wa_qr_old']);
		for (const item of result.items)
			expect(Object.keys(item.json)).toEqual(listedDetailShape.columns);
		expect(result.items[1].json).toMatchObject({ health_sendable: false, meta_waba_id: null });
		expect(pairing(result.items)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(rawUrls(sandbox)).toEqual([
			'/v1/numbers',
			'/v1/numbers/wa_qr_support',
			'/v1/numbers/wa_qr_old',
		]);
	});

	it('runs the details through the pool, in list order, and each once across items', async () => {
		const added = addNumbers(sandbox, 50);
		const load = simulateLoad(sandbox, { latencyMs: 5, jitterMs: 20 });
		const result = await runNode({
			parameters: list({ returnAll: true, options: { includeDetails: true, concurrency: 4 } }),
			credentials,
			input: [{}, {}],
		});
		const listed = sandbox.tenants.acme.numbers.map((number) => number.id);
		expect(listed.slice(-50)).toEqual(added);
		expect(ids(result.items)).toEqual([...listed, ...listed]);
		expect(pairing(result.items)).toEqual([
			...listed.map(() => ({ item: 0 })),
			...listed.map(() => ({ item: 1 })),
		]);
		expect(load.peak).toBeLessThanOrEqual(4);
		// One list and one detail per number, shared by both items.
		expect(rawUrls(sandbox).filter((url) => url === '/v1/numbers')).toHaveLength(1);
		expect(
			rawUrls(sandbox)
				.filter((url) => url !== '/v1/numbers')
				.sort(),
		).toEqual(listed.map((id) => `/v1/numbers/${encodeURIComponent(id)}`).sort());
	});

	it('returns the detail JSON unchanged with Output: Raw', async () => {
		const result = await runNode({
			parameters: list({
				returnAll: false,
				limit: 1,
				options: { includeDetails: true, output: 'raw' },
			}),
			credentials,
		});
		expect(result.items[0].json).toMatchObject({
			id: 'wa_abc',
			health: { qualityRating: 'GREEN' },
			meta: { waba: { id: '1029384756' } },
		});
	});

	// A failing detail no longer fails the item: see list-detail-failures.test.ts.
});
