/**
 * The node as an AI agent's tools, through n8n-core's own tool machinery (createNodeAsTool, the
 * input schema from `$fromAI()`, the call through the node's execute; see callTools in the
 * harness), and the Simplify option and Limit signal it brings to workflows. The same in a real
 * n8n over MCP: e2e/mcp.e2e.test.js.
 */
import { detailShape, listItemShape } from '../../nodes/shared/numberShapes';
import type { ToolReply } from '../harness/n8n';
import { callTools, runNode } from '../harness/n8n';
import { byId, get, list } from '../harness/parameters';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { addQrNumber } from './helpers';

const { sandbox, credentials } = useSandbox();

const LIST = 'List_numbers_in_PilotStatus_Numbers';
const GET = 'Get_a_number_in_PilotStatus_Numbers';
const CHECK = 'Check_the_live_status_of_a_number_in_PilotStatus_Numbers';

/** The three tools as the editor sets them up, at a version. */
const editorTools = (typeVersion = 1.1, listFields: Record<string, unknown> = {}) => [
	{ typeVersion, parameters: { ...listFields } },
	{ typeVersion, parameters: { operation: 'get' } },
	{ typeVersion, parameters: { operation: 'checkStatus' } },
];
/** What Simplify keeps of a list entry, as the issue lists it. */
const ESSENTIAL = ['id', 'name', 'number', 'provider', 'state', 'isFullyConnected'];
const call = (tool: string, args: Record<string, unknown> = {}) => ({ tool, args });
const addNumber = (id: string, number: string, name = id) => addQrNumber(sandbox, id, number, name);

/** A reply as the model reads it, parsed. */
function parsed(reply: ToolReply): Array<Record<string, unknown>> {
	if (!('reply' in reply)) throw new Error(`the call failed: ${reply.error}`);
	return JSON.parse(reply.reply);
}
const errorOf = (reply: ToolReply) => ('error' in reply ? reply.error : `no error: ${reply.reply}`);

describe('the tools a model is given', () => {
	it('have distinct names and descriptions, and Number is described for the model', async () => {
		const { tools, error } = await callTools({ tools: editorTools(), calls: [], credentials });
		expect(error).toBeUndefined();
		expect(tools.map((tool) => tool.name).sort()).toEqual([CHECK, GET, LIST]);
		expect(new Set(tools.map((tool) => tool.description)).size).toBe(3);
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(byName[LIST].inputs).toEqual({});
		for (const name of [GET, CHECK]) {
			expect(byName[name].inputs).toEqual({
				Number: {
					type: 'ZodString',
					description: expect.stringContaining('its id from the List numbers tool (e.g. wa_abc)'),
				},
			});
		}
		// Telling them apart costs nothing: no request was sent.
		expect(sandbox.requests).toEqual([]);
	});
});

describe('calling the tools', () => {
	it('List returns the essential columns of every number', async () => {
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(LIST)],
			credentials,
		});
		const numbers = parsed(replies[0]);
		expect(numbers.map((number) => number.id)).toEqual(
			sandbox.tenants.acme.numbers.map((number) => number.id),
		);
		for (const number of numbers) {
			expect(Object.keys(number)).toEqual(ESSENTIAL);
		}
		expect(numbers[1]).toEqual({
			id: 'wa_sales',
			name: 'Acme Sales',
			number: '5511988887777',
			provider: 'META',
			state: 'OPEN',
			isFullyConnected: true,
		});
	});

	it('Get takes an id or a phone number, and gives Meta fields only to Meta numbers', async () => {
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [
				call(GET, { Number: 'wa_sales' }),
				call(GET, { Number: '+55 11 98888-7777' }),
				call(GET, { Number: '21 97777-6666' }),
			],
			credentials,
		});
		const [byId, byPhone, qr] = replies.map(parsed);
		expect(byId).toEqual([
			{
				id: 'wa_sales',
				name: 'Acme Sales',
				number: '5511988887777',
				provider: 'META',
				state: 'OPEN',
				isFullyConnected: true,
				health_qualityRating: 'YELLOW',
				health_messagingLimitTier: 'TIER_1K',
				health_metaStatus: 'FLAGGED',
				health_sendable: true,
				meta_phone_verifiedName: 'Acme LTDA',
				meta_phone_displayPhoneNumber: '+55 11 98888-7777',
				meta_waba_id: '1029384756',
				meta_waba_name: 'Acme WABA',
				meta_waba_businessVerificationStatus: 'verified',
				meta_fetchedAt: '2026-06-30T09:18:33.000Z',
			},
		]);
		expect(byPhone).toEqual(byId);
		expect(qr).toEqual([
			{
				id: 'wa_qr_support',
				name: 'Support QR',
				number: '5521977776666',
				provider: 'PILOT_STATUS',
				state: 'OPEN',
				isFullyConnected: true,
				health_qualityRating: null,
				health_messagingLimitTier: null,
				health_metaStatus: null,
				health_sendable: true,
			},
		]);
	});

	it('an id made of digits is still that id, not a phone number', async () => {
		addNumber('123456789', '5547912345678');
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(GET, { Number: '123456789' })],
			credentials,
		});
		expect(parsed(replies[0])[0]).toMatchObject({ id: '123456789', number: '5547912345678' });
	});

	it('Check Status takes an id or a phone number', async () => {
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(CHECK, { Number: 'wa_qr_old' }), call(CHECK, { Number: '5531966665555' })],
			credentials,
		});
		for (const reply of replies) {
			expect(parsed(reply)[0]).toMatchObject({
				id: 'wa_qr_old',
				state: 'CLOSE',
				isFullyConnected: false,
			});
		}
	});

	it('errors read well for a model: what happened, and which tool call to make instead', async () => {
		addNumber('wa_rio', '5521988887777', 'Rio');
		const { replies, runData } = await callTools({
			tools: editorTools(),
			calls: [
				call(GET, { Number: 'wa_nope' }),
				call(GET, { Number: '+55 11 90000-0000' }),
				call(GET, { Number: '98888-7777' }),
				call(GET, { Number: ' ' }),
				call(GET, { Number: 5511988887777 }),
				call(GET, {}),
			],
			credentials,
		});
		expect(replies.map(errorOf)).toEqual([
			"Number 'wa_nope' was not found in this PilotStatus account\n\nDetails: Use an id the List numbers tool returns (e.g. wa_abc), or give the phone number instead. A number-scoped API key only sees its own number.",
			expect.stringMatching(
				/^No number in this PilotStatus account has the phone number '\+55 11 90000-0000'\n\nDetails: The numbers this API key can see: My WhatsApp 5511999999999 \(id wa_abc\), .* Call this tool again with one of these ids, or with the whole phone number including country and area code \(e\.g\. \+55 11 98888-7777\)\.$/,
			),
			"The phone number '98888-7777' matches 2 numbers in this PilotStatus account\n\nDetails: It matches Acme Sales 5511988887777 (id wa_sales), Rio 5521988887777 (id wa_rio). Call this tool again with one of these ids, or with the whole phone number including country and area code (e.g. +55 11 98888-7777).",
			'Number is required: it is empty\n\nDetails: Give the id of a number from the List numbers tool (e.g. wa_abc), or its phone number (e.g. +55 11 98888-7777).',
			// n8n checks the arguments against the input schema before the node runs.
			'Received tool input did not match expected schema\n\n✖ Expected string, received number\n  → at Number',
			'Received tool input did not match expected schema\n\n✖ Required\n  → at Number',
		]);
		for (const reply of replies) {
			expect(errorOf(reply)).not.toMatch(/\(item \d+\)|\{\{|\$json/);
		}
		expect(JSON.stringify([replies, runData])).not.toContain(KEYS.acmeTenant);
	});

	it('settings a model cannot change are still named without an item number', async () => {
		const { replies } = await callTools({
			tools: editorTools(1.1, { returnAll: false, limit: 0 }),
			calls: [call(LIST)],
			credentials,
		});
		expect(errorOf(replies[0])).toBe(
			'Limit must be a whole number 1 or more: it is 0\n\nDetails: Set Limit to a whole number of numbers 1 or more, or fix the expression that gives it.',
		);
	});

	it('the key appears in no reply, no tool run data and no error', async () => {
		const { replies, runData } = await callTools({
			tools: editorTools(),
			calls: [call(LIST), call(GET, { Number: 'wa_abc' }), call(CHECK, { Number: 'wa_abc' })],
			credentials,
		});
		expect(replies.every((reply) => 'reply' in reply)).toBe(true);
		expect(sandbox.requests.every((request) => request.keyName === 'n8n automations')).toBe(true);
		expect(JSON.stringify([replies, runData])).not.toContain(KEYS.acmeTenant);
	});
});

describe('when Limit cuts the list', () => {
	const cut = { returnAll: false, limit: 3 };

	it.each([1, 1.1])(
		'a tool says how many numbers were left out, on the last entry (version %s)',
		async (typeVersion) => {
			const total = sandbox.tenants.acme.numbers.length;
			const { replies } = await callTools({
				tools: editorTools(typeVersion, cut),
				calls: [call(LIST)],
				credentials,
			});
			const numbers = parsed(replies[0]);
			expect(numbers.map((number) => number.id)).toEqual(['wa_abc', 'wa_sales', 'wa_qr_support']);
			expect(numbers.map((number) => number.numbersNotListed)).toEqual([
				undefined,
				undefined,
				total - 3,
			]);
		},
	);

	it('a tool that got every number says nothing more', async () => {
		const { replies } = await callTools({
			tools: editorTools(1.1, { returnAll: false, limit: 8 }),
			calls: [call(LIST)],
			credentials,
		});
		expect(parsed(replies[0]).some((number) => 'numbersNotListed' in number)).toBe(false);
	});

	it('a workflow gets a hint in the editor, and its items are unchanged', async () => {
		const plain = await runNode({
			typeVersion: 1.1,
			parameters: list(cut),
			input: [{}, {}],
			credentials,
		});
		expect(plain.items).toHaveLength(6);
		for (const item of plain.items) expect(Object.keys(item.json)).toEqual(listItemShape.columns);
		// Once per run, however many items listed.
		expect(plain.runData.PilotStatus[0].hints).toEqual([
			{
				message:
					'Limit (3) cut the list: 5 more numbers match. Turn on Return All, or raise Limit, to get them.',
				location: 'outputPane',
			},
		]);
		const all = await runNode({
			typeVersion: 1.1,
			parameters: list({ returnAll: true }),
			credentials,
		});
		expect(all.runData.PilotStatus[0].hints).toEqual([]);
	});
});

describe('Simplify in a workflow', () => {
	it('is off by default and, turned on, keeps the essential columns of List and Get', async () => {
		const full = await runNode({
			typeVersion: 1.1,
			parameters: get(byId('wa_abc')),
			credentials,
		});
		expect(Object.keys(full.items[0].json)).toEqual(detailShape.columns);
		const simple = await runNode({
			typeVersion: 1.1,
			parameters: get(byId('wa_qr_old'), { simplify: true }),
			credentials,
		});
		expect(simple.items[0].json).toEqual({
			id: 'wa_qr_old',
			name: 'Old phone',
			number: '5531966665555',
			provider: 'PILOT_STATUS',
			state: 'CLOSE',
			isFullyConnected: false,
			health_qualityRating: null,
			health_messagingLimitTier: null,
			health_metaStatus: null,
			health_sendable: false,
		});
		const listed = await runNode({
			typeVersion: 1.1,
			parameters: list({ returnAll: true, simplify: true }),
			credentials,
		});
		expect(Object.keys(listed.items[0].json)).toEqual(ESSENTIAL);
	});

	it('gives Include Details the simplified detail columns', async () => {
		const result = await runNode({
			typeVersion: 1.1,
			parameters: list({
				returnAll: false,
				limit: 1,
				simplify: true,
				options: { includeDetails: true },
			}),
			credentials,
		});
		expect(result.items[0].json).toMatchObject({ id: 'wa_abc', health_qualityRating: 'GREEN' });
		expect(result.items[0].json).not.toHaveProperty('apiKeys');
	});

	it('leaves Raw output as the API sent it', async () => {
		const result = await runNode({
			typeVersion: 1.1,
			parameters: get(byId('wa_abc'), { simplify: true, options: { output: 'raw' } }),
			credentials,
		});
		expect(result.items[0].json.meta).toMatchObject({ phone: { verifiedName: 'Acme LTDA' } });
	});
});

describe('version 1 nodes, saved before tools were distinct', () => {
	const getAbc = get(byId('wa_abc'));

	it('give a workflow exactly what version 1.1 gives with its defaults: the full columns', async () => {
		for (const parameters of [list({ returnAll: false, limit: 3 }), getAbc]) {
			const v1 = await runNode({ typeVersion: 1, parameters, credentials });
			const v11 = await runNode({ typeVersion: 1.1, parameters, credentials });
			expect(v1.error).toBeUndefined();
			expect(v11.items).toEqual(v1.items);
		}
	});

	it('as tools, reply with the full columns a version 1 workflow node gives; a cut list says so', async () => {
		const v1 = await runNode({ typeVersion: 1, parameters: list(), credentials });
		const v1Get = await runNode({ typeVersion: 1, parameters: getAbc, credentials });
		const tools = await callTools({
			tools: editorTools(1),
			calls: [call(LIST), call(GET, { Number: 'wa_abc' })],
			credentials,
		});
		expect(parsed(tools.replies[0])).toEqual(v1.items.map((item) => item.json));
		expect(parsed(tools.replies[1])).toEqual(v1Get.items.map((item) => item.json));

		const cut = await callTools({
			tools: editorTools(1, { returnAll: false, limit: 3 }),
			calls: [call(LIST)],
			credentials,
		});
		const expected = v1.items.slice(0, 3).map((item) => item.json);
		expected[2] = { ...expected[2], numbersNotListed: v1.items.length - 3 };
		expect(parsed(cut.replies[0])).toEqual(expected);

		// What Simplify saves a model, in characters of the reply (8 numbers).
		const full = await callTools({ tools: editorTools(1), calls: [call(LIST)], credentials });
		const simple = await callTools({ tools: editorTools(1.1), calls: [call(LIST)], credentials });
		const length = (reply: ToolReply) => ('reply' in reply ? reply.reply.length : Infinity);
		expect(length(simple.replies[0])).toBeLessThan(length(full.replies[0]) / 2);
	});
});
