/**
 * Many items: the bounded pool, de-duplication, the node-wide 429 handling and 10,000 items, end
 * to end: the built node in n8n-core against the sandbox with latency, an in-flight counter and a
 * rate limit. No timings are asserted; the sandbox counts what crossed the wire.
 */
import { detailShape } from '../../nodes/shared/numberShapes';
import { runNode } from '../harness/n8n';
import { get, ID_FROM_INPUT } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';
import { acmeIds, getsUnderLoad, ids, indexes, inputOf, pairing, rawUrls } from './helpers';

const { sandbox, credentials } = useSandbox();

describe('bounded concurrency', () => {
	it('keeps input order and pairing while answers arrive out of order', async () => {
		const numberIds = addNumbers(sandbox, 60);
		const load = simulateLoad(sandbox, { latencyMs: 5, jitterMs: 40 });
		const result = await runNode({
			parameters: get(ID_FROM_INPUT, { options: { concurrency: 10 } }),
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

	it('never has more requests in flight than a fixed Concurrency', async () => {
		const numberIds = addNumbers(sandbox, 40);
		const capped = simulateLoad(sandbox, { latencyMs: 10 });
		await runNode({
			parameters: get(ID_FROM_INPUT, { options: { concurrency: 3 } }),
			credentials,
			input: inputOf(numberIds),
		});
		expect(capped.peak).toBeLessThanOrEqual(3);
		expect(capped.served).toBe(40);
	});

	it('with Concurrency 1, sends one request at a time, in input order', async () => {
		const numberIds = addNumbers(sandbox, 20);
		const load = simulateLoad(sandbox, { latencyMs: 2, jitterMs: 10 });
		const result = await runNode({
			parameters: get(ID_FROM_INPUT, { options: { concurrency: 1 } }),
			credentials,
			input: inputOf(numberIds),
		});
		expect(ids(result.items)).toEqual(numberIds);
		expect(load.peak).toBe(1);
		expect(rawUrls(sandbox)).toEqual(numberIds.map((id) => `/v1/numbers/${id}`));
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
			parameters: get(ID_FROM_INPUT, { refresh: '={{ $json.refresh === true }}' }),
			credentials,
			input,
		});
		expect(ids(result.items)).toEqual(input.map((item) => item.id));
		expect(pairing(result.items)).toEqual(indexes(input.length));
		expect(rawUrls(sandbox).sort()).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_abc?refresh=1',
			'/v1/numbers/wa_sales',
		]);
		expect(result.items[0].json).toEqual(result.items[6].json);
	});

	it('shares a failure too: one request, each asking item gets the error', async () => {
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: inputOf(['missing', 'wa_abc', 'missing']),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			"Number 'missing' was not found in this PilotStatus account",
			'wa_abc',
			"Number 'missing' was not found in this PilotStatus account",
		]);
		expect(rawUrls(sandbox).filter((url) => url === '/v1/numbers/missing')).toHaveLength(1);
	});

	it('asks again in the next execution', async () => {
		const parameters = get(ID_FROM_INPUT);
		await runNode({ parameters, credentials, input: inputOf(['wa_abc', 'wa_abc']) });
		await runNode({ parameters, credentials, input: inputOf(['wa_abc', 'wa_abc']) });
		expect(rawUrls(sandbox)).toEqual(['/v1/numbers/wa_abc', '/v1/numbers/wa_abc']);
	});
});

describe('rate limit (429 above K requests in flight)', () => {
	it('loses no item: the node waits for Retry-After, narrows and finishes every item', async () => {
		const load = await getsUnderLoad(
			{ sandbox, credentials },
			80,
			{ latencyMs: 10, jitterMs: 10, maxInFlight: 4, retryAfter: '1' },
			{ concurrency: 20 },
		);
		expect(load.limited).toBeGreaterThan(0);
		// Narrowed after the first burst: far fewer refusals than items.
		expect(load.limited).toBeLessThan(40);
	});
});

describe('volume', () => {
	const ITEMS = 10_000;
	const FAIL_EVERY = 20; // 5%
	const FAILING = ITEMS / FAIL_EVERY;

	// Nothing may be lost, duplicated, reordered or paired with the wrong item.
	it(
		`${ITEMS} items, 5% failing: exactly ${ITEMS - FAILING} results and ${FAILING} errors, in order, each paired with its item`,
		async () => {
			const known = acmeIds(sandbox);
			// Failing ids alternate between two causes: unknown to the API (404) and invalid (no request at all).
			const input = Array.from({ length: ITEMS }, (_, index) => {
				if (index % FAIL_EVERY !== FAIL_EVERY - 1) return { id: known[index % known.length] };
				return { id: index % (2 * FAIL_EVERY) === FAIL_EVERY - 1 ? `missing_${index}` : '' };
			});

			const result = await runNode({
				parameters: get(ID_FROM_INPUT),
				credentials,
				input,
				continueOnFail: true,
			});

			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(ITEMS);
			const results = result.items.filter((item) => item.json.error === undefined);
			const errors = result.items.filter((item) => item.json.error !== undefined);
			expect(results).toHaveLength(ITEMS - FAILING);
			expect(errors).toHaveLength(FAILING);

			// In input order, each output item paired with its own input item and answering for it.
			const mismatches = result.items.flatMap((item, index) => {
				const { id } = input[index];
				const expected =
					id === ''
						? { error: `Number is required (item ${index}): it is empty` }
						: id.startsWith('missing_')
							? { error: `Number '${id}' was not found in this PilotStatus account` }
							: { id };
				const actual =
					item.json.error === undefined ? { id: item.json.id } : { error: item.json.error };
				const paired = (item.pairedItem as { item: number } | undefined)?.item === index;
				return paired && JSON.stringify(actual) === JSON.stringify(expected)
					? []
					: [{ index, actual, expected, pairedItem: item.pairedItem }];
			});
			expect(mismatches.slice(0, 5)).toEqual([]);

			// One request per distinct sendable id (identical requests are shared within a run); invalid ids never reach the API.
			const sendable = new Set(input.map((item) => item.id).filter((id) => id !== ''));
			expect(sandbox.requests).toHaveLength(sendable.size);
			expect(new Set(sandbox.requests.map((request) => request.path)).size).toBe(sendable.size);
			expect(JSON.stringify(result.items)).not.toContain(KEYS.acmeTenant);
		},
		10 * 60_000,
	);
});
