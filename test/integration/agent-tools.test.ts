/**
 * The node as an AI agent's tools, through n8n-core's own tool machinery (createNodeAsTool, the
 * input schema from `$fromAI()`, the call through the node's execute; see callTools in the
 * harness), and the Simplify option and Limit signal it brings to workflows. The same in a real
 * n8n over MCP: e2e/mcp.e2e.test.js.
 */
import { detailShape, listItemShape } from '../../nodes/shared/numberShapes';
import type { ToolReply } from '../harness/n8n';
import { callTools, PACKAGE, runNode, runWorkflow } from '../harness/n8n';
import { byId, fromList, get, list } from '../harness/parameters';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { faults, injectFault } from '../sandbox/faults';
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
const rawUrls = () => sandbox.requests.map((request) => request.rawUrl);
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
			"Number 'wa_nope' was not found in this PilotStatus account\n\nDetails: It was taken as an id, since it does not read as a phone number (such as +55 11 98888-7777). Call the List numbers tool to see the ids and phone numbers (e.g. wa_abc), then call this tool again with one of them. A number-scoped API key only sees its own number.",
			expect.stringMatching(
				/^No number in this PilotStatus account has the phone number '\+55 11 90000-0000'\n\nDetails: Looked for \+5511900000000, in any format, with and without Brazil's ninth digit\. The numbers this API key can see: My WhatsApp 5511999999999 \(id wa_abc\), .* If one of these is the number meant, call this tool again with its id\. Otherwise no number with this phone number is in the PilotStatus account this API key sees: tell the user so, rather than calling again with the same number\.$/,
			),
			"The phone number '98888-7777' matches 2 numbers in this PilotStatus account\n\nDetails: It matches Acme Sales 5511988887777 (id wa_sales), Rio 5521988887777 (id wa_rio). Call this tool again with one of these ids, or with the whole phone number including country and area code (e.g. +55 11 98888-7777).",
			'Number is required: it is empty\n\nDetails: Give the id of a number from the List numbers tool (e.g. wa_abc), or its phone number (e.g. +55 11 98888-7777).',
			// n8n checks the arguments against the input schema before the node runs.
			'Received tool input did not match expected schema\n\n✖ Expected string, received number\n  → at Number',
			'Received tool input did not match expected schema\n\n✖ Required\n  → at Number',
		]);
		for (const reply of replies) {
			expect(errorOf(reply)).not.toMatch(/\(item \d+\)|\{\{|\$json|give the phone number/);
		}
		expect(JSON.stringify([replies, runData])).not.toContain(KEYS.acmeTenant);
	});

	it('a bad Limit set in the workflow: the model is told it cannot fix it, and what the user must do', async () => {
		const { replies } = await callTools({
			tools: editorTools(1.1, { returnAll: false, limit: 0 }),
			calls: [call(LIST)],
			credentials,
		});
		expect(errorOf(replies[0])).toBe(
			"Limit must be a whole number 1 or more: it is 0\n\nDetails: Limit is set in this tool's settings in n8n, not by you: calling again will fail the same way. Tell the user to open the tool in n8n and set Limit to a whole number of numbers 1 or more.",
		);
		expect(sandbox.requests).toEqual([]);
	});

	it('a bad Limit the model gave: the model is told what to give instead', async () => {
		const limit = "={{ $fromAI('Limit', 'How many numbers to return', 'number') }}";
		const { tools, replies } = await callTools({
			tools: editorTools(1.1, { returnAll: false, limit }),
			calls: [call(LIST, { Limit: 0 }), call(LIST, { Limit: 2 })],
			credentials,
		});
		expect(Object.keys(tools.find((tool) => tool.name === LIST)?.inputs ?? {})).toEqual(['Limit']);
		expect(errorOf(replies[0])).toBe(
			'Limit must be a whole number 1 or more: it is 0\n\nDetails: Call this tool again with Limit set to a whole number 1 or more.',
		);
		expect(parsed(replies[1]).map((number) => number.id)).toEqual(['wa_abc', 'wa_sales']);
	});

	it('a rate limit (HTTP 429): the model is told not to retry at once, how long to wait, and to call less', async () => {
		injectFault(sandbox, faults.status(429, { retryAfter: '600' }), { path: '/v1/numbers/wa_abc' });
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(GET, { Number: 'wa_abc' })],
			credentials,
		});
		expect(errorOf(replies[0])).toBe(
			"PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers/{id}: it asked to wait 10 min\n\nDetails: Too many requests were made with this API key in a short time, so PilotStatus refused this one. Do not call again right away: wait 10 min before calling a PilotStatus tool again. Then make fewer calls: one List numbers call gives every number's state, so call Get or Check Status only for the numbers you need. Not retried: PilotStatus asked to wait 10 min, longer than the 30 s this node waits.",
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	it('an id in quotes or backticks, as models paste it, is the id', async () => {
		const quoted = [
			'"wa_sales"',
			"'wa_sales'",
			'`wa_sales`',
			'\u201cwa_sales\u201d',
			'\u2018wa_sales\u2019',
		];
		const { replies } = await callTools({
			tools: editorTools(),
			calls: quoted.map((Number) => call(GET, { Number })),
			credentials,
		});
		expect(replies.map((reply) => parsed(reply)[0].id)).toEqual(quoted.map(() => 'wa_sales'));
		expect(rawUrls()).toEqual(quoted.map(() => '/v1/numbers/wa_sales'));
	});

	it.each<[number, string]>([
		[
			400,
			"PilotStatus rejected GET /v1/numbers/{id} (HTTP 400)\n\nDetails: PilotStatus refused the request as this tool is set up in n8n, which only the user can change: calling again will fail the same way. Tell the user to open the tool in n8n and check the tool's parameters and the Base URL in its PilotStatus credential.",
		],
		[
			401,
			"The PilotStatus API key was rejected (HTTP 401)\n\nDetails: PilotStatus refused the API key of this tool's PilotStatus credential, which only the user can change: calling again will fail the same way. Tell the user to open the tool in n8n and check the API key in its PilotStatus credential: it starts with ps_ and must belong to the account that owns the numbers.",
		],
		[
			403,
			"The PilotStatus API key was rejected (HTTP 403)\n\nDetails: PilotStatus refused the API key of this tool's PilotStatus credential, which only the user can change: calling again will fail the same way. Tell the user to open the tool in n8n and check the API key in its PilotStatus credential: it starts with ps_ and must belong to the account that owns the numbers.",
		],
	])(
		'HTTP %i: the model is told it cannot fix it, and what the user must fix in n8n',
		async (status, text) => {
			injectFault(sandbox, faults.status(status));
			const { replies } = await callTools({
				tools: editorTools(),
				calls: [call(GET, { Number: 'wa_sales' })],
				credentials,
			});
			expect(errorOf(replies[0])).toBe(`${text} PilotStatus said: "Injected HTTP ${status}".`);
		},
	);

	it('a tool with On Error: Continue: the model reads what happened and what to do, as without it', async () => {
		const tool = {
			id: 'tool0',
			name: 'Get a number in PilotStatus Numbers',
			type: `${PACKAGE}.pilotStatusNumbersTool`,
			typeVersion: 1.1,
			position: [200, 200] as [number, number],
			parameters: { operation: 'get' },
			credentials: { pilotStatusApi: { id: '1', name: 'PilotStatus account' } },
			onError: 'continueRegularOutput' as const,
		};
		const agent = {
			id: 'agent',
			name: 'Agent',
			type: 'test.toolCaller',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: { calls: [{ tool: GET, args: { Number: 'wa_nope' } }] },
		};
		const input = {
			id: 'in',
			name: 'Input',
			type: 'test.inputItems',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { items: [{}] },
		};
		const result = await runWorkflow({
			nodes: [input, agent, tool],
			connections: {
				Input: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
				[tool.name]: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
			},
			credentials,
		});
		const [reply] = result.output('Agent')[0].json.replies as ToolReply[];
		expect(parsed(reply)).toEqual([
			{
				error:
					"Number 'wa_nope' was not found in this PilotStatus account\n\nDetails: It was taken as an id, since it does not read as a phone number (such as +55 11 98888-7777). Call the List numbers tool to see the ids and phone numbers (e.g. wa_abc), then call this tool again with one of them. A number-scoped API key only sees its own number.",
			},
		]);
	});

	it('a Get tool whose Number is not given by the model: the model is told to ask the user to fix the tool', async () => {
		const { tools, replies } = await callTools({
			tools: [{ typeVersion: 1.1, parameters: { operation: 'get', numberId: fromList('') } }],
			calls: [call(GET)],
			credentials,
		});
		expect(tools[0].inputs).toEqual({});
		expect(errorOf(replies[0])).toBe(
			'Number is required: it is empty\n\nDetails: Number is set in this tool\'s settings in n8n, not by you: calling again will fail the same way. Tell the user to open the tool in n8n and set Number to a number, or click "Let the model define this parameter" beside it.',
		);
		expect(sandbox.requests).toEqual([]);
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

describe('phone numbers as a model writes them', () => {
	it.each([
		'(0xx11) 98888-7777',
		'tel:+5511988887777',
		'📱 +55 11 98888-7777',
		'+55 (011) 98888-7777',
		// Labels with digits of their own: never read into the phone number.
		'Loja 2: +55 11 98888-7777',
		'+55 11 98888-7777 (loja 2)',
		'WhatsApp 1 - (11) 98888-7777',
		// In quotes, as models paste values.
		'"+55 11 98888-7777"',
	])('Get given %j finds the number', async (phone) => {
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(GET, { Number: phone })],
			credentials,
		});
		expect(parsed(replies[0]).map((number) => number.id)).toEqual(['wa_sales']);
		expect(rawUrls()).toEqual(['/v1/numbers', '/v1/numbers/wa_sales']);
	});

	it('a phone number typed digit for digit as one number stores it is that number, not its ninth-digit twin', async () => {
		addNumber('wa_natal_new', '5584988887777', 'Natal new');
		addNumber('wa_natal_old', '558488887777', 'Natal old');
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [
				call(GET, { Number: '5584988887777' }),
				call(GET, { Number: '558488887777' }),
				call(GET, { Number: '+55 84 8888-7777' }),
			],
			credentials,
		});
		expect(replies.map((reply) => parsed(reply)[0].id)).toEqual([
			'wa_natal_new',
			'wa_natal_old',
			'wa_natal_old',
		]);
	});

	it('a phone number found in the list whose number is then not found: the model is told that, not that it is no phone number', async () => {
		injectFault(sandbox, faults.status(404, { body: { error: 'Not Found' } }), {
			path: '/v1/numbers/wa_sales',
		});
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(GET, { Number: '+55 11 98888-7777' })],
			credentials,
		});
		expect(errorOf(replies[0])).toBe(
			"The phone number '+55 11 98888-7777' is number 'wa_sales' in the list of numbers, but PilotStatus did not find that number's details (HTTP 404)\n\nDetails: The number may have been removed from the account a moment ago. Call the List numbers tool to see the numbers there now. If it is still listed, tell the user that PilotStatus lists this number but does not find it by its id, and to contact PilotStatus support.",
		);
		expect(rawUrls()).toEqual(['/v1/numbers', '/v1/numbers/wa_sales']);
	});

	it('a phone number too short for one line is neither an id nor a phone number, and the model is told so', async () => {
		const { replies } = await callTools({
			tools: editorTools(),
			calls: [call(GET, { Number: '9888-77' })],
			credentials,
		});
		expect(errorOf(replies[0])).toBe(
			"No number has the id '9888-77', and as a phone number it is too short to identify one number: it has 6 digits, at least 8 are needed\n\nDetails: Call this tool again with the whole phone number including country and area code (e.g. +55 11 98888-7777), or with an id from the List numbers tool (e.g. wa_abc).",
		);
		// Only the list was read, to see whether it is an id.
		expect(rawUrls()).toEqual(['/v1/numbers']);
	});
});

describe('a tool saved by version 0.1.0 (node version 1, Number in From List mode)', () => {
	/** What n8n 2.41.1's editor saved when "let the model define this parameter" was clicked on a
	 * 0.1.0 tool's Number: the mode stays From List (its default then), the description empty. */
	const savedBy010 = [
		{
			typeVersion: 1,
			parameters: {
				operation: 'get',
				numberId: fromList(
					"={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('Number', ``, 'string') }}",
				),
			},
		},
	];

	it.each<[string, string]>([
		['wa_sales', 'an id'],
		['+55 11 98888-7777', 'a phone number'],
		['5511988887777', 'a phone number in digits'],
	])('finds the number given %j (%s)', async (value) => {
		const { replies } = await callTools({
			tools: savedBy010,
			calls: [call(GET, { Number: value })],
			credentials,
		});
		expect(parsed(replies[0]).map((number) => number.id)).toEqual(['wa_sales']);
		expect(parsed(replies[0])[0]).toHaveProperty('createdAt');
	});

	it('an id made of digits is still that id, not a phone number', async () => {
		addNumber('5547912345678', '5511988887777', 'Its id looks like a phone');
		const { replies } = await callTools({
			tools: savedBy010,
			calls: [call(GET, { Number: '5547912345678' })],
			credentials,
		});
		expect(parsed(replies[0])[0]).toMatchObject({ id: '5547912345678' });
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
