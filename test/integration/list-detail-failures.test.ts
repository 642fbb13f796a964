/**
 * Issue 15, section 1 for List with Include Details: the same per-number policy as the trigger. A
 * number whose detail cannot be read stays as listed, with `detailError` naming it; the item fails
 * only when no detail at all can be read. The built node run by n8n-core against the sandbox.
 */
import { listedDetailShape } from '../../nodes/shared/numberShapes';
import { runNode } from '../harness/n8n';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';

const { sandbox, credentials } = useSandbox();

const THREE = ['wa_abc', 'wa_sales', 'wa_qr_support'];
const list = (options: Record<string, unknown> = {}) => ({
	operation: 'list',
	returnAll: true,
	options: { includeDetails: true, ...options },
});

beforeEach(() => {
	sandbox.tenants.acme.numbers = sandbox.tenants.acme.numbers.filter((number) =>
		THREE.includes(number.id),
	);
});

describe('List with Include Details, one number whose detail fails', () => {
	it('gives that number as listed, with detailError naming it, and the others in full', async () => {
		injectFault(sandbox, faults.status(500), { path: '/v1/numbers/wa_sales' });
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(THREE);
		for (const item of result.items)
			expect(Object.keys(item.json).slice(0, listedDetailShape.columns.length)).toEqual(
				listedDetailShape.columns,
			);
		const [abc, sales, support] = result.items.map((item) => item.json);
		expect(abc).toMatchObject({ health_qualityRating: 'GREEN', detailError: null });
		expect(support).toMatchObject({ health_sendable: true, detailError: null });
		expect(sales).toMatchObject({
			id: 'wa_sales',
			name: 'Acme Sales',
			state: 'OPEN',
			health_qualityRating: null,
			meta_waba_id: null,
			detailError:
				"Could not read the detail of number 'wa_sales': PilotStatus is unavailable (HTTP 500) on GET /v1/numbers/{id}",
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
		]);
	});

	it('with Output: Raw, gives its list entry plus detailError, and the others as PilotStatus sent them', async () => {
		injectFault(sandbox, faults.status(404), { path: '/v1/numbers/wa_sales' });
		const result = await runNode({ parameters: list({ output: 'raw' }), credentials });
		const [abc, sales] = result.items.map((item) => item.json);
		expect(abc).not.toHaveProperty('detailError');
		expect(abc.health).toMatchObject({ qualityRating: 'GREEN' });
		expect(sales).toMatchObject({
			id: 'wa_sales',
			apiKeys: expect.any(Array),
			detailError:
				"Could not read the detail of number 'wa_sales': Number 'wa_sales' was not found in this PilotStatus account",
		});
		expect(sales).not.toHaveProperty('health');
	});

	it('with Simplify (version 1.1), keeps detailError on that number only', async () => {
		injectFault(sandbox, faults.status(500), { path: '/v1/numbers/wa_sales' });
		const result = await runNode({
			typeVersion: 1.1,
			parameters: { ...list(), simplify: true },
			credentials,
		});
		const [abc, sales] = result.items.map((item) => item.json);
		expect(abc).not.toHaveProperty('detailError');
		expect(abc).toMatchObject({ id: 'wa_abc', health_qualityRating: 'GREEN' });
		expect(sales).toMatchObject({
			id: 'wa_sales',
			detailError: expect.stringMatching(/^Could not read the detail of number 'wa_sales': /),
		});
	});

	it("refuses another number's detail for it", async () => {
		injectFault(
			sandbox,
			faults.rewrite((detail) => ({ ...detail, id: 'wa_abc' })),
			{ path: '/v1/numbers/wa_sales' },
		);
		const result = await runNode({ parameters: list(), credentials });
		expect(result.items.map((item) => item.json.id)).toEqual(THREE);
		expect(result.items[1].json.detailError).toBe(
			"Could not read the detail of number 'wa_sales': PilotStatus answered GET /v1/numbers/{id} for number 'wa_sales' with number 'wa_abc'",
		);
	});

	it('keeps a number listed without a usable id as listed, saying so', async () => {
		injectFault(
			sandbox,
			faults.rewrite((numbers) => [...numbers, { name: 'Nameless' }]),
			{ path: '/v1/numbers' },
		);
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items[3].json).toMatchObject({
			id: null,
			name: 'Nameless',
			detailError:
				'PilotStatus listed this number without a usable id, so its detail was not read (Number is required: it is empty)',
		});
		expect(sandbox.requests).toHaveLength(4);
	});
});

describe('List with Include Details, no detail readable at all', () => {
	it('fails the item naming the first number, or gives { error } with Continue On Fail', async () => {
		injectFault(sandbox, faults.status(500), { path: (path) => path !== '/v1/numbers' });
		const message =
			"No number's detail could be read (3 tried); the first, number 'wa_abc': PilotStatus is unavailable (HTTP 500) on GET /v1/numbers/{id}";
		const failed = await runNode({ parameters: list(), credentials });
		expect(failed.error?.message).toBe(message);
		const continued = await runNode({ parameters: list(), credentials, continueOnFail: true });
		expect(continued.items).toEqual([{ json: { error: message }, pairedItem: { item: 0 } }]);
	});

	it('fails with a rejected key on every detail as a rejected key', async () => {
		injectFault(sandbox, faults.status(401), { path: (path) => path !== '/v1/numbers' });
		const failed = await runNode({ parameters: list(), credentials });
		expect(failed.error?.message).toMatch(
			/^No number's detail could be read \(3 tried\); the first, number 'wa_abc': The PilotStatus API key was rejected \(HTTP 401\)$/,
		);
		expect((failed.error as { description?: string }).description).toMatch(/API key/);
	});
});
