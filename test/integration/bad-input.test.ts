/**
 * Bad input (ids, Limit and options from expressions): run by n8n-core against the sandbox, each is
 * refused before any request with a message naming the item, and the key appears nowhere.
 */
import { runNode } from '../harness/n8n';
import { byId, get, ID_FROM_INPUT, list } from '../harness/parameters';
import { useSandbox } from '../sandbox/lifecycle';
import { expectCleanFailure } from './helpers';

const { sandbox, credentials } = useSandbox();

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
		const result = await runNode({ parameters: get(ID_FROM_INPUT), credentials, input: [{ id }] });
		expectCleanFailure(result, message);
		expect(sandbox.requests.length).toBe(0);
	});

	it('names the item when the id is empty, before any request', async () => {
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: [{ id: 'wa_abc' }, { id: '  ' }],
		});
		expect(result.error?.message).toBe('Number is required (item 1): it is empty');
		expect(sandbox.requests).toHaveLength(1);
	});

	it.each([
		[0, 'Limit must be a whole number 1 or more (item 0): it is 0'],
		[-5, 'Limit must be a whole number 1 or more (item 0): it is -5'],
		[2.5, 'Limit must be a whole number 1 or more (item 0): it is 2.5'],
		['ten', "Limit must be a whole number 1 or more (item 0): it is 'ten'"],
		[null, 'Limit must be a whole number 1 or more (item 0): it is empty'],
	])('limit %j from an expression: named, no request', async (limit, message) => {
		const result = await runNode({
			parameters: list({ returnAll: false, limit: '={{ $json.limit }}' }),
			credentials,
			input: [{ limit }],
		});
		expectCleanFailure(result, message);
		expect(sandbox.requests.length).toBe(0);
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
		const result = await runNode({ parameters: list({ returnAll: true, options }), credentials });
		expectCleanFailure(result, message);
		expect(sandbox.requests.length).toBe(0);
	});

	it('rejects a Concurrency outside 0 (Auto) to 50 before any request', async () => {
		for (const concurrency of [-1, 51, 2.5]) {
			const result = await runNode({
				parameters: get(ID_FROM_INPUT, { options: { concurrency } }),
				credentials,
				input: [{ id: 'wa_abc' }],
			});
			expect(result.error?.message).toBe(
				`Concurrency must be a whole number from 0 to 50 (item 0): it is ${concurrency}`,
			);
		}
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('values an expression gives, read as the parameter means them', () => {
	it.each<[string, Record<string, unknown>, string]>([
		[
			'State is an object',
			{ state: '={{ { a: 1 } }}' },
			'Filters → State must be text (item 0): it is an object',
		],
		[
			'Search is an object',
			{ search: '={{ { a: 1 } }}' },
			'Filters → Search must be text (item 0): it is an object',
		],
		[
			'Provider is an array',
			{ provider: '={{ [1] }}' },
			'Filters → Provider must be text (item 0): it is an array',
		],
		[
			'Connected Only is "maybe"',
			{ connectedOnly: '={{ "maybe" }}' },
			"Filters → Connected Only must be true or false (item 0): it is 'maybe'",
		],
	])(
		'Filters → %s: a message naming the filter, before any request',
		async (_, filters, message) => {
			const result = await runNode({ parameters: list({ filters }), credentials });
			expectCleanFailure(result, message);
			expect(sandbox.requests).toHaveLength(0);
		},
	);

	it('Filters → Search given a number (the start of a phone number) searches its digits', async () => {
		const result = await runNode({
			parameters: list({ returnAll: true, filters: { search: '={{ 5511988 }}' } }),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(['wa_sales']);
	});

	it('Refresh given the text "false" (as a spreadsheet gives it): no live Meta refresh', async () => {
		const result = await runNode({
			parameters: get(ID_FROM_INPUT, { refresh: '={{ $json.refresh }}' }),
			credentials,
			input: [
				{ id: 'wa_abc', refresh: 'false' },
				{ id: 'wa_sales', refresh: 'TRUE' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((request) => request.rawUrl).sort()).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_sales?refresh=1',
		]);
	});

	it('Return All given "false": Limit applies; Include Details given "false": list entries', async () => {
		const result = await runNode({
			parameters: list({
				returnAll: '={{ $json.all }}',
				limit: 1,
				options: { includeDetails: '={{ $json.all }}' },
			}),
			credentials,
			input: [{ all: 'false' }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.apiKeys).toBeDefined();
	});

	it('a yes/no option given anything else is an error naming it', async () => {
		const result = await runNode({
			parameters: get(byId('wa_abc'), { refresh: '={{ "yes please" }}' }),
			credentials,
		});
		expectCleanFailure(result, "Refresh must be true or false (item 0): it is 'yes please'");
		expect(sandbox.requests).toHaveLength(0);
	});

	it.each([1e20, 2 ** 53, '99999999999999999999'])(
		'Limit %p, a huge limit: every number',
		async (limit) => {
			const result = await runNode({ parameters: list({ limit }), credentials });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		},
	);

	it('Output "RAW" from an expression is Raw; "table" is an error', async () => {
		const raw = await runNode({
			parameters: get(byId('wa_abc'), { options: { output: '={{ "RAW" }}' } }),
			credentials,
		});
		expect(raw.items[0].json.health).toEqual(expect.objectContaining({ qualityRating: 'GREEN' }));
		const bad = await runNode({
			parameters: get(byId('wa_abc'), { options: { output: '={{ "table" }}' } }),
			credentials,
		});
		expectCleanFailure(bad, "Output must be Flattened or Raw (item 0): it is 'table'");
	});
});
