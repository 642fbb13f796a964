/**
 * Failing items, with and without Settings → On Error: Continue, run by n8n-core against the
 * sandbox: with it, one output item per input item, in order and paired, each error in its place;
 * without it, the first failing item in input order stops the node, as if items ran one by one.
 */
import { runNode } from '../harness/n8n';
import { get, ID_FROM_INPUT } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import {
	everything,
	expectCleanFailure,
	hostOf,
	indexes,
	inputOf,
	pairing,
	rawUrls,
} from './helpers';

const { sandbox, credentials } = useSandbox();

describe('Continue On Fail', () => {
	it('with Continue On Fail, turns each failing item into { error } and goes on, pairing kept', async () => {
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
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
			parameters: get(ID_FROM_INPUT, { options: { concurrency: 1 } }),
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
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: inputOf(['wa_abc', 'missing_early', 'wa_sales', 'missing_late', 'wa_qr_old']),
		});
		expect(result.error?.message).toBe(
			"Number 'missing_early' was not found in this PilotStatus account",
		);
		expect(result.items).toEqual([]);
		// The sandbox held missing_early's answer until missing_late's was sent: the later item failed first.
		expect(rawUrls(sandbox)).toContain('/v1/numbers/missing_late');
	});

	it('with Continue On Fail, gives one item per input, errors in place, pairing kept', async () => {
		answerInOrder('missing_late', 'missing_early');
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
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

describe('Continue On Fail with faults and bad input mixed', () => {
	it('one output item per input item, in order, paired, each error its own', async () => {
		injectFault(sandbox, faults.status(503, { retryAfter: '0' }), { path: '/v1/numbers/wa_sales' });
		injectFault(sandbox, faults.html(200), { path: '/v1/numbers/wa_qr_old' });
		const input = [
			{ id: 'wa_abc' },
			{ id: 'wa_sales' },
			{ id: 42 },
			{ id: 'wa_qr_old' },
			{ id: 'missing' },
			{ id: 'wa_qr_support' },
		];
		const result = await runNode({
			parameters: get(ID_FROM_INPUT, { options: { maxRetries: 1 } }),
			credentials,
			input,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			'wa_abc',
			'PilotStatus is unavailable (HTTP 503) on GET /v1/numbers/{id} (2 attempts)',
			'Number ID must be text (item 2): it is a number (42)',
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers/{id}',
			"Number 'missing' was not found in this PilotStatus account",
			'wa_qr_support',
		]);
		// 1 + 2 (one retry) + 0 (bad id) + 1 + 1 + 1
		expect(sandbox.requests.length).toBe(6);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
	});

	it('without it, the first failing item stops the node with its error', async () => {
		injectFault(sandbox, faults.reset(), { path: '/v1/numbers/wa_sales' });
		const input = [{ id: 'wa_abc' }, { id: 'wa_sales' }, { id: 'wa_qr_old' }];
		// Concurrency 1: strictly sequential, so nothing after the failing item is sent.
		const result = await runNode({
			parameters: get(ID_FROM_INPUT, { options: { maxRetries: 0, concurrency: 1 } }),
			credentials,
			input,
		});
		expectCleanFailure(
			result,
			`Could not reach PilotStatus at ${hostOf(sandbox)} for GET /v1/numbers/{id}: the connection was reset`,
		);
		expect(sandbox.requests.map((request) => request.path)).toEqual([
			'/v1/numbers/wa_abc',
			'/v1/numbers/wa_sales',
		]);
	});
});
