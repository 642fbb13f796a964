/**
 * Check Status (GET /v1/numbers/{id}/status): the built node run by n8n-core against the sandbox,
 * whose answer is the plausible invention in test/sandbox/status.js (the seed does not document it).
 */
import { runNode } from '../harness/n8n';
import { checkStatus, ID_FROM_INPUT } from '../harness/parameters';
import { useSandbox } from '../sandbox/lifecycle';
import { ids, indexes, inputOf, pairing, rawUrls } from './helpers';

const { sandbox, credentials } = useSandbox();

describe('Check Status', () => {
	it("returns the live status flattened, with the number's id", async () => {
		const result = await runNode({
			parameters: checkStatus(ID_FROM_INPUT),
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
		expect(rawUrls(sandbox)).toEqual(['/v1/numbers/wa_abc/status', '/v1/numbers/wa_qr_old/status']);
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
			parameters: checkStatus(ID_FROM_INPUT),
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
			parameters: checkStatus(ID_FROM_INPUT, { options: { output: 'raw' } }),
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
				parameters: checkStatus(ID_FROM_INPUT),
				credentials,
				input: inputOf([id]),
			});
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.id).toBe(id);
			expect(rawUrls(sandbox)).toEqual([`/v1/numbers/${encodeURIComponent(id)}/status`]);
		},
	);

	it('says which number was not found, and what a non-object answer was', async () => {
		const missing = await runNode({
			parameters: checkStatus(ID_FROM_INPUT),
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
			parameters: checkStatus(ID_FROM_INPUT),
			credentials,
			input: inputOf(['wa_abc']),
		});
		expect(odd.error?.message).toBe(
			'PilotStatus returned JSON that is not a status object (HTTP 200) for GET /v1/numbers/{id}/status',
		);
	});

	it('asks for the number before any request, and checks each number once', async () => {
		const empty = await runNode({
			parameters: checkStatus(ID_FROM_INPUT),
			credentials,
			input: inputOf(['']),
		});
		expect(empty.error?.message).toBe('Number is required (item 0): it is empty');
		expect(sandbox.requests).toHaveLength(0);
		const twice = await runNode({
			parameters: checkStatus(ID_FROM_INPUT),
			credentials,
			input: inputOf(['wa_abc', 'wa_abc']),
		});
		expect(ids(twice.items)).toEqual(['wa_abc', 'wa_abc']);
		expect(rawUrls(sandbox)).toEqual(['/v1/numbers/wa_abc/status']);
	});
});
