/**
 * Review 17b: the node as an AI agent's tools, called as a sloppy model calls them. Each test is a
 * problem found in review and fails until it is fixed; the same run over MCP in a real n8n:
 * e2e/review17b/mcp.e2e.test.js.
 */
import type { ToolReply } from '../harness/n8n';
import { callTools, PACKAGE, runWorkflow } from '../harness/n8n';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';
import { addQrNumber } from './helpers';

const { sandbox, credentials } = useSandbox();

const GET = 'Get_a_number_in_PilotStatus_Numbers';
const getTool = [{ typeVersion: 1.1, parameters: { operation: 'get' } }];
const errorOf = (reply: ToolReply) => ('error' in reply ? reply.error : `no error: ${reply.reply}`);
const idOf = (reply: ToolReply) =>
	'reply' in reply ? JSON.parse(reply.reply)[0]?.id : `error: ${reply.error}`;

/** Calls the Get tool with each value as Number; the replies in order. */
async function getEach(values: string[]) {
	const { replies } = await callTools({
		tools: getTool,
		calls: values.map((Number) => ({ tool: GET, args: { Number } })),
		credentials,
	});
	return replies;
}

describe('an id as a model pastes it', () => {
	it('in quotes or backticks is still the id', async () => {
		const replies = await getEach(['"wa_sales"', "'wa_sales'", '`wa_sales`']);
		// Today: "Number '"wa_sales"' was not found … Call the List numbers tool to see the ids …,
		// then call this tool again with one of them": the model already did both.
		expect(replies.map(idOf)).toEqual(['wa_sales', 'wa_sales', 'wa_sales']);
	});
});

describe('a phone number with a label that has a digit', () => {
	it('is read as the phone number, as labels without digits are', async () => {
		const replies = await getEach([
			'Loja 2: +55 11 98888-7777',
			'+55 11 98888-7777 (loja 2)',
			'WhatsApp 1 - (11) 98888-7777',
		]);
		// Today: the first two are "taken as an id, since it does not read as a phone number"; the
		// third reads the label's 1 into the phone ("Looked for 111988887777") and finds nothing.
		expect(replies.map(idOf)).toEqual(['wa_sales', 'wa_sales', 'wa_sales']);
	});
});

describe('a phone number typed exactly as one number stores it', () => {
	it('is that number, even when another stores the same line without the ninth digit', async () => {
		addQrNumber(sandbox, 'wa_natal_new', '5584988887777', 'Natal new');
		addQrNumber(sandbox, 'wa_natal_old', '558488887777', 'Natal old');
		const replies = await getEach(['5584988887777', '558488887777']);
		// Today both are "matches 2 numbers", though each is digit for digit one of them.
		expect(replies.map(idOf)).toEqual(['wa_natal_new', 'wa_natal_old']);
	});
});

describe('a phone number resolved, then not found by id', () => {
	it('does not tell the model its phone number did not read as one', async () => {
		injectFault(sandbox, faults.status(404, { body: { error: 'Not Found' } }), {
			path: '/v1/numbers/wa_sales',
		});
		const [reply] = await getEach(['+55 11 98888-7777']);
		expect(errorOf(reply)).toContain("Number 'wa_sales' was not found");
		// Today: "It was taken as an id, since it does not read as a phone number (such as +55 11
		// 98888-7777)", about the very phone number the example shows.
		expect(errorOf(reply)).not.toContain('does not read as a phone number');
	});
});

describe('errors a model cannot act on', () => {
	it.each([
		[400, /Check the node's parameters/],
		[401, /Check the API key in the PilotStatus credential/],
	])(
		'HTTP %i: tells the model to have the user fix it, not to check settings it cannot see',
		async (status, builderHint) => {
			injectFault(sandbox, faults.status(status));
			const [reply] = await getEach(['wa_sales']);
			// Today the builder's hint, as issue 17 item 5 describes; the project's own tool wording for
			// a setting fixed in n8n (fixedSettingHint) says "Tell the user …".
			expect(errorOf(reply)).not.toMatch(builderHint);
			expect(errorOf(reply)).toMatch(/tell the user/i);
		},
	);
});

describe('a tool with On Error: Continue', () => {
	it('still tells the model what to do, not only what happened', async () => {
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
		const text = 'reply' in reply ? reply.reply : reply.error;
		expect(text).toContain("Number 'wa_nope' was not found");
		// Today the model reads only [{"error":"Number 'wa_nope' was not found in this PilotStatus
		// account"}], as a successful call: the hint ("Call the List numbers tool …") is dropped.
		expect(text).toContain('Call the List numbers tool');
	});
});
