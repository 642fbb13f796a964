/**
 * The built node run by n8n-core against the sandbox: every request really crosses loopback HTTP,
 * credentials are resolved and applied by n8n's machinery, nothing of the package is mocked.
 */
import { detailShape, listItemShape } from '../../nodes/shared/numberShapes';
import type { NodeRun, OutputItem } from '../harness/n8n';
import { listSearch, runNode } from '../harness/n8n';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';

// A trailing slash in the credential must not break any URL.
const { sandbox, credentials } = useSandbox({ baseUrl: (url) => `${url}/` });

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromInput = byId('={{ $json.id }}');
const list = (extra: Record<string, unknown> = {}) => ({ operation: 'list', ...extra });
const get = (numberId: unknown, extra: Record<string, unknown> = {}) => ({
	operation: 'get',
	numberId,
	...extra,
});
const ids = (items: OutputItem[]) => items.map((item) => item.json.id);
const acmeIds = () => sandbox.tenants.acme.numbers.map((number) => number.id);

/** Everything a run produced, as one string: the key must appear nowhere in it. */
const everything = (result: NodeRun) =>
	JSON.stringify([
		result.items,
		result.runData,
		result.error,
		result.error?.message,
		result.error?.stack,
	]);

describe('List', () => {
	it('sends the key as x-api-key and returns one flattened item per number, in the API order', async () => {
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(acmeIds());
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
		expect(ids(limited.items)).toEqual(acmeIds().slice(0, 3));
		const defaults = await runNode({ parameters: list(), credentials });
		expect(defaults.items).toHaveLength(acmeIds().length);
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
			parameters: get(fromInput),
			credentials,
			input: [{ id: 'wa_sales' }, { id: 'wa_qr_support' }],
		});
		expect(ids(result.items)).toEqual(['wa_sales', 'wa_qr_support']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('picks a number from the list mode like from the id mode', async () => {
		const result = await runNode({
			parameters: get({ __rl: true, mode: 'list', value: 'wa_sales' }),
			credentials,
		});
		expect(ids(result.items)).toEqual(['wa_sales']);
	});
});

describe('errors', () => {
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

	it('says a number of another account was not found', async () => {
		const result = await runNode({ parameters: get(byId('wa_globex_1')), credentials });
		expect(result.error?.message).toBe(
			"Number 'wa_globex_1' was not found in this PilotStatus account",
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	it('names the item when the id is empty, before any request', async () => {
		const result = await runNode({
			parameters: get(fromInput),
			credentials,
			input: [{ id: 'wa_abc' }, { id: '  ' }],
		});
		expect(result.error?.message).toBe('Number is required (item 1): it is empty');
		expect(sandbox.requests).toHaveLength(1);
	});

	it('with Continue On Fail, turns each failing item into { error } and goes on, pairing kept', async () => {
		const result = await runNode({
			parameters: get(fromInput),
			credentials,
			input: [{ id: 'wa_abc' }, { id: 'missing' }, { id: '' }, { id: 'wa_qr_old' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			'wa_abc',
			"Number 'missing' was not found in this PilotStatus account",
			'Number is required (item 2): it is empty',
			'wa_qr_old',
		]);
	});

	it('without Continue On Fail, stops at the first failing item with its error', async () => {
		// Concurrency 1 is strictly sequential: nothing after the failing item is sent.
		const result = await runNode({
			parameters: get(fromInput, { options: { concurrency: 1 } }),
			credentials,
			input: [{ id: 'wa_abc' }, { id: 'missing' }, { id: 'wa_sales' }],
		});
		expect(result.error?.message).toBe(
			"Number 'missing' was not found in this PilotStatus account",
		);
		expect(sandbox.requests.map((request) => request.rawUrl)).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/missing',
		]);
	});

	it('names the endpoint when the answer is not JSON', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<html><body>Bad gateway</body></html>');
			return true;
		});
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toBe(
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		);
		expect(result.error?.description).toContain('<html><body>Bad gateway');
	});

	it('names the endpoint when the list is not an array', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"numbers":[]}');
			return true;
		});
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toBe(
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		);
	});
});

describe('Number list search (the editor dropdown)', () => {
	it('lists the account numbers as name and phone, filtered by what the user types', async () => {
		const all = await listSearch({ method: 'searchNumbers', credentials });
		expect(all.results.map((result) => result.value)).toEqual(acmeIds());
		expect(all.results[0]).toEqual({ name: 'My WhatsApp · 5511999999999', value: 'wa_abc' });
		const found = await listSearch({ method: 'searchNumbers', filter: 'support', credentials });
		expect(found.results).toEqual([{ name: 'Support QR · 5521977776666', value: 'wa_qr_support' }]);
	});
});
