/**
 * The bounded pool, de-duplication and the node-wide 429 handling, end to end: the built node in
 * n8n-core against the sandbox with latency, an in-flight counter and a rate limit. No timings are
 * asserted; the sandbox counts what crossed the wire.
 */
import { detailShape } from '../../nodes/shared/numberShapes';
import type { OutputItem } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { addNumbers } from '../sandbox/bulk';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';

const { sandbox, credentials } = useSandbox();

const idFromInput = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
const get = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	operation: 'get',
	numberId: idFromInput,
	options,
	...extra,
});
const ids = (items: OutputItem[]) => items.map((item) => item.json.id);
const pairing = (items: OutputItem[]) => items.map((item) => item.pairedItem);
const inputOf = (numberIds: string[]) => numberIds.map((id) => ({ id }));
const indexes = (count: number) => Array.from({ length: count }, (_, item) => ({ item }));
const rawUrls = () => sandbox.requests.map((request) => request.rawUrl);
/** The name the sandbox gives the key of the acme tenant's credential. */
const acmeKeyName = () =>
	sandbox.tenants.acme.keys.find((key) => key.key === credentials.apiKey)?.name;

describe('bounded concurrency', () => {
	it('keeps input order and pairing while answers arrive out of order', async () => {
		const numberIds = addNumbers(sandbox, 60);
		const load = simulateLoad(sandbox, { latencyMs: 5, jitterMs: 40 });
		const result = await runNode({
			parameters: get({ concurrency: 10 }),
			credentials,
			input: inputOf(numberIds),
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(numberIds);
		expect(pairing(result.items)).toEqual(indexes(60));
		expect(Object.keys(result.items[1].json)).toEqual(detailShape.columns);
		expect(load.peak).toBeLessThanOrEqual(10);
		expect(load.peak).toBeGreaterThan(1);
	});

	it('never has more requests in flight than Concurrency, 5 by default', async () => {
		const numberIds = addNumbers(sandbox, 40);
		const capped = simulateLoad(sandbox, { latencyMs: 10 });
		await runNode({ parameters: get({ concurrency: 3 }), credentials, input: inputOf(numberIds) });
		expect(capped.peak).toBeLessThanOrEqual(3);
		expect(capped.served).toBe(40);

		sandbox.reset();
		addNumbers(sandbox, 40);
		const byDefault = simulateLoad(sandbox, { latencyMs: 10 });
		const result = await runNode({ parameters: get(), credentials, input: inputOf(numberIds) });
		expect(ids(result.items)).toEqual(numberIds);
		expect(byDefault.peak).toBeLessThanOrEqual(5);
		expect(byDefault.peak).toBeGreaterThan(1);
	});

	it('with Concurrency 1, sends one request at a time, in input order', async () => {
		const numberIds = addNumbers(sandbox, 20);
		const load = simulateLoad(sandbox, { latencyMs: 2, jitterMs: 10 });
		const result = await runNode({
			parameters: get({ concurrency: 1 }),
			credentials,
			input: inputOf(numberIds),
		});
		expect(ids(result.items)).toEqual(numberIds);
		expect(load.peak).toBe(1);
		expect(rawUrls()).toEqual(numberIds.map((id) => `/v1/numbers/${id}`));
	});

	it('rejects a Concurrency outside 1 to 50 before any request', async () => {
		for (const concurrency of [0, 51, 2.5]) {
			const result = await runNode({
				parameters: get({ concurrency }),
				credentials,
				input: [{ id: 'wa_abc' }],
			});
			expect(result.error?.message).toBe(
				`Concurrency must be a whole number from 1 to 50 (item 0): it is ${concurrency}`,
			);
		}
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Continue On Fail and the first failure, as if sequential', () => {
	/** Holds the answer for `slow` until `fast` has been answered, so the later item fails first. */
	function answerInOrder(fast: string, slow: string) {
		let fastAnswered: () => void;
		const fastDone = new Promise<void>((resolve) => (fastAnswered = resolve));
		sandbox.use(async (req, res) => {
			if (req.url === `/v1/numbers/${fast}`) res.once('finish', () => fastAnswered());
			if (req.url === `/v1/numbers/${slow}`) await fastDone;
			return false;
		});
	}

	it('without Continue On Fail, reports the first failing item in input order, not the first to fail', async () => {
		answerInOrder('missing_late', 'missing_early');
		const result = await runNode({
			parameters: get(),
			credentials,
			input: inputOf(['wa_abc', 'missing_early', 'wa_sales', 'missing_late', 'wa_qr_old']),
		});
		expect(result.error?.message).toBe(
			"Number 'missing_early' was not found in this PilotStatus account",
		);
		expect(result.items).toEqual([]);
		// The sandbox held missing_early's answer until missing_late's was sent: the later item failed first.
		expect(rawUrls()).toContain('/v1/numbers/missing_late');
	});

	it('with Continue On Fail, gives one item per input, errors in place, pairing kept', async () => {
		answerInOrder('missing_late', 'missing_early');
		const result = await runNode({
			parameters: get(),
			credentials,
			input: inputOf(['wa_abc', 'missing_early', 'wa_sales', 'missing_late', 'wa_qr_old']),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			'wa_abc',
			"Number 'missing_early' was not found in this PilotStatus account",
			'wa_sales',
			"Number 'missing_late' was not found in this PilotStatus account",
			'wa_qr_old',
		]);
		expect(pairing(result.items)).toEqual(indexes(5));
	});
});

describe('de-duplication', () => {
	it('sends each id once per Refresh flag and gives every item that asked its answer', async () => {
		const input = [
			{ id: 'wa_abc' },
			{ id: 'wa_sales' },
			{ id: 'wa_abc' },
			{ id: 'wa_abc', refresh: true },
			{ id: 'wa_sales' },
			{ id: 'wa_abc', refresh: true },
			{ id: 'wa_abc' },
		];
		const result = await runNode({
			parameters: get({}, { refresh: '={{ $json.refresh === true }}' }),
			credentials,
			input,
		});
		expect(ids(result.items)).toEqual(input.map((item) => item.id));
		expect(pairing(result.items)).toEqual(indexes(input.length));
		expect(rawUrls().sort()).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_abc?refresh=1',
			'/v1/numbers/wa_sales',
		]);
		expect(result.items[0].json).toEqual(result.items[6].json);
	});

	it('shares a failure too: one request, each asking item gets the error', async () => {
		const result = await runNode({
			parameters: get(),
			credentials,
			input: inputOf(['missing', 'wa_abc', 'missing']),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			"Number 'missing' was not found in this PilotStatus account",
			'wa_abc',
			"Number 'missing' was not found in this PilotStatus account",
		]);
		expect(rawUrls().filter((url) => url === '/v1/numbers/missing')).toHaveLength(1);
	});

	it('asks again in the next execution', async () => {
		await runNode({ parameters: get(), credentials, input: inputOf(['wa_abc', 'wa_abc']) });
		await runNode({ parameters: get(), credentials, input: inputOf(['wa_abc', 'wa_abc']) });
		expect(rawUrls()).toEqual(['/v1/numbers/wa_abc', '/v1/numbers/wa_abc']);
	});
});

describe('rate limit (429 above K requests in flight)', () => {
	it('loses no item: the node waits for Retry-After, narrows and finishes every item', async () => {
		const numberIds = addNumbers(sandbox, 80);
		const load = simulateLoad(sandbox, {
			latencyMs: 10,
			jitterMs: 10,
			maxInFlight: 4,
			retryAfter: '1',
		});
		const result = await runNode({
			parameters: get({ concurrency: 20 }),
			credentials,
			input: inputOf(numberIds),
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(numberIds);
		expect(pairing(result.items)).toEqual(indexes(80));
		expect(load.limited).toBeGreaterThan(0);
		expect(load.served).toBe(80);
		// Narrowed after the first burst: far fewer refusals than items.
		expect(load.limited).toBeLessThan(40);
	});

	it('gives up on an item only when the API keeps refusing it, after the retries, with the rate-limit message', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
			res.end('{"error":"Too Many Requests"}');
			return true;
		});
		const result = await runNode({ parameters: get(), credentials, input: [{ id: 'wa_abc' }] });
		expect(result.error?.message).toBe(
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers/{id}: it asked to wait 0 s (4 attempts)',
		);
		// The first attempt and Max Retries (3 by default) more, each through the throttle.
		expect(sandbox.requests).toHaveLength(4);
	});
});

describe('the credential', () => {
	// In n8n every read is a database query and a decryption, so a run reads it once, not per request.
	it('is read once per node run, however many items, and its key goes on every request', async () => {
		const numberIds = addNumbers(sandbox, 30);
		const result = await runNode({ parameters: get(), credentials, input: inputOf(numberIds) });
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
			parameters: { operation: 'list', returnAll: true, options: { includeDetails: true } },
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.length).toBeGreaterThan(12);
		expect(result.credentialReads).toBe(1);
	});
});

describe('List with Include Details', () => {
	const list = (extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => ({
		operation: 'list',
		...extra,
		options: { includeDetails: true, ...options },
	});

	it('fetches the detail of each listed number only, after filters and limit', async () => {
		const result = await runNode({
			parameters: list({ returnAll: false, limit: 2, filters: { provider: 'PILOT_STATUS' } }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(['wa_qr_support', 'wa_qr_old']);
		for (const item of result.items) expect(Object.keys(item.json)).toEqual(detailShape.columns);
		expect(result.items[1].json).toMatchObject({ health_sendable: false, meta_waba_id: null });
		expect(pairing(result.items)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(rawUrls()).toEqual([
			'/v1/numbers',
			'/v1/numbers/wa_qr_support',
			'/v1/numbers/wa_qr_old',
		]);
	});

	it('runs the details through the pool, in list order, and each once across items', async () => {
		const added = addNumbers(sandbox, 50);
		const load = simulateLoad(sandbox, { latencyMs: 5, jitterMs: 20 });
		const result = await runNode({
			parameters: list({ returnAll: true }, { concurrency: 4 }),
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
		expect(rawUrls().filter((url) => url === '/v1/numbers')).toHaveLength(1);
		expect(
			rawUrls()
				.filter((url) => url !== '/v1/numbers')
				.sort(),
		).toEqual(listed.map((id) => `/v1/numbers/${encodeURIComponent(id)}`).sort());
	});

	it('returns the detail JSON unchanged with Output: Raw', async () => {
		const result = await runNode({
			parameters: list({ returnAll: false, limit: 1 }, { output: 'raw' }),
			credentials,
		});
		expect(result.items[0].json).toMatchObject({
			id: 'wa_abc',
			health: { qualityRating: 'GREEN' },
			meta: { waba: { id: '1029384756' } },
		});
	});

	it('fails the item with the first failing detail, or gives { error } with Continue On Fail', async () => {
		sandbox.use((req, res) => {
			// Deleted between the list and its detail.
			if (req.url !== '/v1/numbers/wa_qr_support') return false;
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end('{"error":"Not Found"}');
			return true;
		});
		const message = "Number 'wa_qr_support' was not found in this PilotStatus account";
		const failed = await runNode({ parameters: list({ returnAll: true }), credentials });
		expect(failed.error?.message).toBe(message);
		const continued = await runNode({
			parameters: list({ returnAll: true }),
			credentials,
			continueOnFail: true,
		});
		expect(continued.items).toEqual([{ json: { error: message }, pairedItem: { item: 0 } }]);
	});
});

describe('Check Status', () => {
	const checkStatus = (numberId: unknown = idFromInput, options: Record<string, unknown> = {}) => ({
		operation: 'checkStatus',
		numberId,
		options,
	});

	it("returns the live status flattened, with the number's id", async () => {
		const result = await runNode({
			parameters: checkStatus(),
			credentials,
			input: inputOf(['wa_abc', 'wa_qr_old']),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: 'wa_abc',
				state: 'OPEN',
				isFullyConnected: true,
				session_provider: 'META',
			}),
			expect.objectContaining({
				id: 'wa_qr_old',
				state: 'CLOSE',
				isFullyConnected: false,
				session_phoneOnline: false,
			}),
		]);
		expect(Object.keys(result.items[0].json)[0]).toBe('id');
		expect(typeof result.items[0].json.checkedAt).toBe('string');
		expect(result.items[0].json.checks).toEqual([
			{ name: 'session', ok: true },
			{ name: 'sendable', ok: true },
		]);
		expect(pairing(result.items)).toEqual(indexes(2));
		expect(rawUrls()).toEqual(['/v1/numbers/wa_abc/status', '/v1/numbers/wa_qr_old/status']);
	});

	it('takes any JSON object: unknown fields kept and flattened, id always the number asked for', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				'{"id":"chk_1","ok":true,"deep":{"a":{"b":[{"c":{"d":1}}]}},"empty":{},"nothing":null}',
			);
			return true;
		});
		const flat = await runNode({
			parameters: checkStatus(),
			credentials,
			input: inputOf(['wa_abc']),
		});
		expect(flat.items[0].json).toEqual({
			id: 'wa_abc',
			ok: true,
			deep_a_b: [{ c_d: 1 }],
			empty: null,
			nothing: null,
		});
		const raw = await runNode({
			parameters: checkStatus(idFromInput, { output: 'raw' }),
			credentials,
			input: inputOf(['wa_abc']),
		});
		expect(raw.items[0].json).toEqual({
			id: 'wa_abc',
			ok: true,
			deep: { a: { b: [{ c: { d: 1 } }] } },
			empty: {},
			nothing: null,
		});
	});

	it.each(['a/b', '../x', 'x?y=1', 'é ü'])(
		'sends the id %j as one encoded path segment',
		async (id) => {
			const result = await runNode({
				parameters: checkStatus(),
				credentials,
				input: inputOf([id]),
			});
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.id).toBe(id);
			expect(rawUrls()).toEqual([`/v1/numbers/${encodeURIComponent(id)}/status`]);
		},
	);

	it('says which number was not found, and what a non-object answer was', async () => {
		const missing = await runNode({
			parameters: checkStatus(),
			credentials,
			input: inputOf(['wa_globex_1']),
		});
		expect(missing.error?.message).toBe(
			"Number 'wa_globex_1' was not found in this PilotStatus account",
		);
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('["OPEN"]');
			return true;
		});
		const odd = await runNode({
			parameters: checkStatus(),
			credentials,
			input: inputOf(['wa_abc']),
		});
		expect(odd.error?.message).toBe(
			'PilotStatus returned JSON that is not a status object (HTTP 200) for GET /v1/numbers/{id}/status',
		);
	});

	it('asks for the number before any request, and checks each number once', async () => {
		const empty = await runNode({ parameters: checkStatus(), credentials, input: inputOf(['']) });
		expect(empty.error?.message).toBe('Number is required (item 0): it is empty');
		expect(sandbox.requests).toHaveLength(0);
		const twice = await runNode({
			parameters: checkStatus(),
			credentials,
			input: inputOf(['wa_abc', 'wa_abc']),
		});
		expect(ids(twice.items)).toEqual(['wa_abc', 'wa_abc']);
		expect(rawUrls()).toEqual(['/v1/numbers/wa_abc/status']);
	});
});
