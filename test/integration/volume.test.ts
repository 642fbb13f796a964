/**
 * Volume: 10,000 input items through n8n-core against the sandbox, 5% of them with failing ids,
 * under Continue On Fail. Nothing may be lost, duplicated, reordered or paired with the wrong item.
 */
import { runNode } from '../harness/n8n';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';

const ITEMS = 10_000;
const FAIL_EVERY = 20; // 5%
const FAILING = ITEMS / FAIL_EVERY;

const { sandbox, credentials } = useSandbox();

it(
	`${ITEMS} items, 5% failing: exactly ${ITEMS - FAILING} results and ${FAILING} errors, in order, each paired with its item`,
	async () => {
		const known = sandbox.tenants.acme.numbers.map((number) => number.id);
		// Failing ids alternate between two causes: unknown to the API (404) and invalid (no request at all).
		const input = Array.from({ length: ITEMS }, (_, index) => {
			if (index % FAIL_EVERY !== FAIL_EVERY - 1) return { id: known[index % known.length] };
			return { id: index % (2 * FAIL_EVERY) === FAIL_EVERY - 1 ? `missing_${index}` : '' };
		});

		const result = await runNode({
			parameters: {
				operation: 'get',
				numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
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
