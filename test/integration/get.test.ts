/**
 * Get: the built node run by n8n-core against the sandbox. Every request really crosses loopback
 * HTTP, credentials are resolved and applied by n8n's machinery, nothing of the package is mocked.
 */
import { detailShape } from '../../nodes/shared/numberShapes';
import { runNode } from '../harness/n8n';
import { byId, fromList, get, ID_FROM_INPUT } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';
import { expectCleanFailure, ids } from './helpers';

// A trailing slash in the credential must not break any URL.
const { sandbox, credentials } = useSandbox({ baseUrl: (url) => `${url}/` });

describe('Get', () => {
	it('returns a Meta number flattened, with every documented column', async () => {
		const result = await runNode({ parameters: get(byId('wa_abc')), credentials });
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(Object.keys(item.json)).toEqual(detailShape.columns);
		expect(item.json).toMatchObject({
			id: 'wa_abc',
			health_qualityRating: 'GREEN',
			health_sendable: true,
			meta_phone_displayPhoneNumber: '+55 11 99999-9999',
			meta_waba_id: '1029384756',
			meta_profile_websites: ['https://acme.com'],
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sandbox.requests[0].rawUrl).toBe('/v1/numbers/wa_abc');
	});

	it('gives a non-Meta number the same columns, with the Meta ones empty', async () => {
		const result = await runNode({ parameters: get(byId('wa_qr_old')), credentials });
		const [item] = result.items;
		expect(Object.keys(item.json)).toEqual(detailShape.columns);
		expect(item.json).toMatchObject({
			provider: 'PILOT_STATUS',
			meta_fetchedAt: null,
			meta_waba_id: null,
			health_sendable: false,
		});
		// Secrets the gateway holds never come out.
		expect(JSON.stringify(result.items)).not.toMatch(/access-token|app-secret|qr-session/);
	});

	it('sends ?refresh=1 only when Refresh is on, and the API keeps the fresh snapshot', async () => {
		const cached = await runNode({
			parameters: get(byId('wa_abc'), { refresh: false }),
			credentials,
		});
		expect(cached.items[0].json.meta_fetchedAt).toBe('2026-06-30T09:18:33.000Z');
		const refreshed = await runNode({
			parameters: get(byId('wa_abc'), { refresh: true }),
			credentials,
		});
		const fetchedAt = refreshed.items[0].json.meta_fetchedAt as string;
		expect(Date.parse(fetchedAt)).toBeGreaterThan(Date.parse('2026-06-30T09:18:33.000Z'));
		const after = await runNode({ parameters: get(byId('wa_abc')), credentials });
		expect(after.items[0].json.meta_fetchedAt).toBe(fetchedAt);
		expect(sandbox.requests.map((request) => request.rawUrl)).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_abc?refresh=1',
			'/v1/numbers/wa_abc',
		]);
	});

	it('returns the API JSON unchanged with Output: Raw', async () => {
		const result = await runNode({
			parameters: get(byId('wa_qr_old'), { options: { output: 'raw' } }),
			credentials,
		});
		expect(result.items[0].json).toMatchObject({
			id: 'wa_qr_old',
			meta: null,
			health: { sendable: false },
		});
	});

	it.each(['a/b', '../x', 'x?y=1', 'é ü'])(
		'sends the id %j as one encoded path segment',
		async (id) => {
			const result = await runNode({ parameters: get(byId(id)), credentials });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.id).toBe(id);
			expect(sandbox.requests).toHaveLength(1);
			expect(sandbox.requests[0].rawUrl).toBe(`/v1/numbers/${encodeURIComponent(id)}`);
			expect(sandbox.requests[0].query).toEqual({});
		},
	);

	it('takes ids from an expression over the input items, one result per item', async () => {
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: [{ id: 'wa_sales' }, { id: 'wa_qr_support' }],
		});
		expect(ids(result.items)).toEqual(['wa_sales', 'wa_qr_support']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('picks a number from the list mode like from the id mode', async () => {
		const result = await runNode({
			parameters: get(fromList('wa_sales')),
			credentials,
		});
		expect(ids(result.items)).toEqual(['wa_sales']);
	});
});

describe('a number that is not there', () => {
	it('says a number of another account was not found', async () => {
		const result = await runNode({ parameters: get(byId('wa_globex_1')), credentials });
		expect(result.error?.message).toBe(
			"Number 'wa_globex_1' was not found in this PilotStatus account",
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	it('404: the number is named, one request', async () => {
		const result = await runNode({ parameters: get(byId('wa_nope')), credentials });
		expectCleanFailure(result, "Number 'wa_nope' was not found in this PilotStatus account");
		expect(sandbox.requests.length).toBe(1);
	});

	it("an id that merely contains a system error code's letters keeps its message", async () => {
		const result = await runNode({ parameters: get(byId('team_eperm_econnreset')), credentials });
		expectCleanFailure(
			result,
			"Number 'team_eperm_econnreset' was not found in this PilotStatus account",
		);
	});
});

describe('an answer without the id the API documents', () => {
	it.each([
		['missing', ({ id: _id, ...rest }: Record<string, unknown>) => rest],
		['null', (detail: Record<string, unknown>) => ({ ...detail, id: null })],
		['blank', (detail: Record<string, unknown>) => ({ ...detail, id: ' ' })],
	])('id %s: the item names the number asked for, flattened and simplified', async (_, bend) => {
		injectFault(sandbox, faults.rewrite(bend), { path: '/v1/numbers/wa_qr_old' });
		const full = await runNode({ parameters: get(byId('wa_qr_old')), credentials });
		const simple = await runNode({
			parameters: get(byId('wa_qr_old'), { simplify: true }),
			credentials,
		});
		expect(full.error).toBeUndefined();
		expect(full.items[0].json).toMatchObject({ id: 'wa_qr_old', provider: 'PILOT_STATUS' });
		expect(simple.items[0].json).toMatchObject({ id: 'wa_qr_old' });
	});

	it('an id the answer does carry is kept as PilotStatus wrote it', async () => {
		injectFault(
			sandbox,
			faults.rewrite((detail) => ({ ...detail, id: 'wa_abc' })),
			{
				path: '/v1/numbers/wa_qr_old',
			},
		);
		const result = await runNode({ parameters: get(byId('wa_qr_old')), credentials });
		expect(result.items[0].json.id).toBe('wa_abc');
	});
});
