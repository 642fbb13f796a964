'use strict';
/**
 * The node as AI tools in a real n8n, over MCP: the example workflow (n8n's MCP Server Trigger and
 * the three PilotStatus tools, set up as the editor sets them up) is imported, activated and
 * served by `n8n start`; a real MCP client (@modelcontextprotocol/sdk, playing the model: no model
 * is needed) lists the tools and calls them. Everything the client reads, and everything n8n
 * printed, is checked for the API key.
 */
const fs = require('node:fs');
const path = require('node:path');

const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const {
	StreamableHTTPClientTransport,
} = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const { KEYS, createTenants } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const { numberLocator } = require('../dist/nodes/PilotStatusNumbers/descriptions/numberLocator');
const { waitFor } = require('./localServer');
const { createN8n } = require('./n8n');
const { startN8nServer } = require('./n8nServer');
const versions = require('./versions');

const EXAMPLE = path.join(__dirname, '..', 'examples', 'whatsapp-numbers-as-mcp-tools.json');
const example = require(EXAMPLE);
const MCP_PATH = example.nodes.find((node) => node.type.endsWith('.mcpTrigger')).parameters.path;
/** Only ever guards the throw-away MCP endpoint of this test. */
const MCP_TOKEN = 'pilotstatus-e2e-mcp-token-not-a-secret';
const LIST = 'List_numbers_in_PilotStatus_Numbers';
const GET = 'Get_a_number_in_PilotStatus_Numbers';
const CHECK = 'Check_the_live_status_of_a_number_in_PilotStatus_Numbers';

/**
 * The example's Get tool as version 0.1.0's editor saved it (node version 1): "let the model define
 * this parameter" kept the Number's mode, From List (its default then), with an empty description;
 * set to On Error: Continue (regular output), which Settings offers on every node. Served by a
 * second MCP Server Trigger on its own path.
 */
function savedBy010() {
	const workflow = structuredClone(example);
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.mcpTrigger'));
	const get = workflow.nodes.find((node) => node.parameters.operation === 'get');
	workflow.name = `${example.name} (a Get tool saved by 0.1.0)`;
	trigger.parameters.path = `${MCP_PATH}-010`;
	trigger.webhookId = '0f0e0d0c-0b0a-4909-8807-060504030201';
	get.typeVersion = 1;
	get.onError = 'continueRegularOutput';
	get.parameters.numberId = {
		__rl: true,
		mode: 'list',
		value: "={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('Number', ``, 'string') }}",
	};
	workflow.nodes = [trigger, get];
	workflow.connections = { [get.name]: example.connections[get.name] };
	for (const node of workflow.nodes) node.id = node.id.replace(/.$/, 'f');
	return workflow;
}

// n8n activates published workflows after it starts (2.x in the background): the MCP endpoint
// answers some seconds after the editor does.
const ENDPOINT_TIMEOUT_MS = 120000;

/** An MCP client connected to the endpoint, sending `token` as a Bearer token. */
async function connect(url, token) {
	const client = new Client({ name: 'pilotstatus-e2e', version: '1.0.0' });
	const headers = token ? { Authorization: `Bearer ${token}` } : {};
	await client.connect(
		new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
	);
	return client;
}

/** A tool call's reply: the text the model reads, and whether MCP flags it as an error. */
async function callTool(client, name, args = {}) {
	const result = await client.callTool({ name, arguments: args });
	const text = result.content.map((part) => part.text).join('\n');
	return { text, isError: result.isError === true };
}

describe.each(versions)('n8n %s: PilotStatus Numbers as MCP tools', (version) => {
	let sandbox;
	let n8n;
	let server;
	let client;
	/** Connected to the workflow with the Get tool saved by 0.1.0. */
	let client010;
	/** Everything the MCP client received, to check for the key. */
	const received = [];

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8n({ version, tarball: process.env.PILOTSTATUS_E2E_TARBALL });
		await n8n.importCredentials([
			{
				id: 'psMcpSandbox0001',
				name: 'PilotStatus API account',
				type: 'pilotStatusApi',
				data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
			},
			{
				id: 'psMcpBearer00001',
				name: 'PilotStatus MCP token',
				type: 'httpBearerAuth',
				data: { token: MCP_TOKEN },
			},
		]);
		const old = savedBy010();
		const oldFile = path.join(n8n.userFolder, 'saved-by-0.1.0.json');
		fs.writeFileSync(oldFile, JSON.stringify(old));
		const ids = await n8n.importWorkflows([EXAMPLE, oldFile]);
		await n8n.publishWorkflows([ids[example.name], ids[old.name]]);
		server = await startN8nServer(n8n);
		const options = {
			timeoutMs: ENDPOINT_TIMEOUT_MS,
			failed: () => (server.isRunning() ? undefined : 'n8n exited'),
		};
		/** A client of the MCP endpoint at `mcpPath`, once it serves `count` tools. */
		const serving = (mcpPath, count) => {
			const endpoint = `${server.url}/mcp/${mcpPath}`;
			return waitFor(`the MCP endpoint ${endpoint}`, options, async () => {
				const candidate = await connect(endpoint, MCP_TOKEN);
				const tools = await candidate.listTools().then(
					(listed) => listed.tools,
					() => [],
				);
				if (tools.length === count) return candidate;
				await candidate.close();
				return undefined;
			});
		};
		client = await serving(MCP_PATH, 3);
		client010 = await serving(`${MCP_PATH}-010`, 1);
	});

	afterAll(async () => {
		await client?.close().catch(() => undefined);
		await client010?.close().catch(() => undefined);
		await server?.stop();
		await sandbox?.close();
		n8n?.remove();
	});

	test('the example is what the editor saves: its Number inputs hold the tool default', () => {
		const toolDefault = numberLocator.find(
			(field) => field.displayOptions.show['@tool'][0],
		).default;
		const tools = example.nodes.filter((node) => node.type.endsWith('pilotStatusNumbersTool'));
		expect(tools.map((node) => node.parameters.numberId)).toEqual([
			undefined,
			toolDefault,
			toolDefault,
		]);
	});

	test('tools/list: three tools with distinct names and descriptions, and a described Number', async () => {
		const { tools } = await client.listTools();
		received.push(tools);
		expect(tools.map((tool) => tool.name).sort()).toEqual([CHECK, GET, LIST]);
		expect(new Set(tools.map((tool) => tool.description)).size).toBe(3);
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(byName[LIST].description).toMatch(
			/^List the WhatsApp numbers of the PilotStatus account/,
		);
		expect(byName[GET].description).toContain('health_qualityRating');
		expect(byName[CHECK].description).toContain('live');
		expect(Object.keys(byName[LIST].inputSchema.properties)).toEqual([]);
		for (const name of [GET, CHECK]) {
			expect(byName[name].inputSchema.properties).toEqual({
				Number: {
					type: 'string',
					description: expect.stringContaining('its phone number in any format'),
				},
			});
			expect(byName[name].inputSchema.required).toEqual(['Number']);
		}
	});

	test('List returns every number, with the essential columns', async () => {
		const reply = await callTool(client, LIST);
		received.push(reply);
		expect(reply.isError).toBe(false);
		const numbers = JSON.parse(reply.text);
		const expected = createTenants().acme.numbers;
		expect(numbers).toEqual(
			expected.map((number) => ({
				id: number.id,
				name: number.name,
				number: number.number,
				provider: number.provider,
				state: number.state,
				isFullyConnected: number.isFullyConnected,
			})),
		);
	});

	test('Get takes an id or a phone number and returns the number with its health', async () => {
		const byId = await callTool(client, GET, { Number: 'wa_sales' });
		const byPhone = await callTool(client, GET, { Number: '+55 11 98888-7777' });
		received.push(byId, byPhone);
		for (const reply of [byId, byPhone]) {
			expect(reply.isError).toBe(false);
			expect(JSON.parse(reply.text)).toEqual([
				expect.objectContaining({
					id: 'wa_sales',
					health_qualityRating: 'YELLOW',
					health_sendable: true,
					meta_phone_verifiedName: 'Acme LTDA',
				}),
			]);
		}
	});

	test('Check Status takes an id or a phone number', async () => {
		const byId = await callTool(client, CHECK, { Number: 'wa_qr_support' });
		const byPhone = await callTool(client, CHECK, { Number: '(21) 97777-6666' });
		received.push(byId, byPhone);
		for (const reply of [byId, byPhone]) {
			expect(reply.isError).toBe(false);
			expect(JSON.parse(reply.text)).toEqual([
				expect.objectContaining({ id: 'wa_qr_support', state: 'OPEN', isFullyConnected: true }),
			]);
		}
	});

	test('an unknown id and a wrong type come back as readable tool errors', async () => {
		const unknown = await callTool(client, GET, { Number: 'wa_nope' });
		const wrongType = await callTool(client, CHECK, { Number: 5511988887777 });
		received.push(unknown, wrongType);
		expect(unknown.isError).toBe(true);
		expect(unknown.text).toContain("Number 'wa_nope' was not found in this PilotStatus account");
		expect(unknown.text).toContain('Call the List numbers tool to see the ids and phone numbers');
		expect(unknown.text).not.toMatch(/\(item \d+\)|\{\{/);
		expect(wrongType.isError).toBe(true);
		expect(wrongType.text).toContain('Received tool input did not match expected schema');
	});

	test('Get finds phone numbers as a model pastes them; one it cannot find says how it was read', async () => {
		const pasted = [
			'(0xx11) 98888-7777',
			'tel:+5511988887777',
			'📱 +55 11 98888-7777',
			'Loja 2: +55 11 98888-7777',
			'"wa_sales"',
		];
		for (const Number of pasted) {
			const reply = await callTool(client, GET, { Number });
			received.push(reply);
			expect(reply.isError).toBe(false);
			expect(JSON.parse(reply.text)).toEqual([expect.objectContaining({ id: 'wa_sales' })]);
		}
		const missing = await callTool(client, GET, { Number: '+55 11 90000-0000' });
		received.push(missing);
		expect(missing.isError).toBe(true);
		expect(missing.text).toContain('Looked for +5511900000000');
		expect(missing.text).toContain('tell the user so');
		expect(missing.text).not.toContain('give the phone number');
	});

	test('a Get tool saved by 0.1.0 (Number in From List mode) takes an id or a phone number', async () => {
		const { tools } = await client010.listTools();
		received.push(tools);
		expect(tools.map((tool) => tool.name)).toEqual([GET]);
		for (const Number of ['wa_sales', '+55 11 98888-7777', '5511988887777']) {
			const reply = await callTool(client010, GET, { Number });
			received.push(reply);
			expect(reply.isError).toBe(false);
			// Version 1: every column, as 0.1.0 gave.
			expect(JSON.parse(reply.text)).toEqual([
				expect.objectContaining({ id: 'wa_sales', createdAt: expect.any(String) }),
			]);
		}
	});

	test('a tool with On Error: Continue still tells the model what to do, in its reply', async () => {
		const reply = await callTool(client010, GET, { Number: 'wa_nope' });
		received.push(reply);
		// n8n hands the error item back as the tool's answer, not as an MCP error.
		expect(reply.isError).toBe(false);
		expect(JSON.parse(reply.text)).toEqual([
			{
				error: expect.stringMatching(
					/^Number 'wa_nope' was not found in this PilotStatus account\n\nDetails: .*Call the List numbers tool to see the ids and phone numbers/,
				),
			},
		]);
	});

	test('a client without the bearer token, or with another, is refused', async () => {
		const endpoint = `${server.url}/mcp/${MCP_PATH}`;
		await expect(connect(endpoint)).rejects.toThrow('Authorization data is wrong');
		await expect(connect(endpoint, 'another-token')).rejects.toThrow('Authorization data is wrong');
	});

	test("the API key appears in no reply, nor in n8n's output or log", () => {
		expect(received.length).toBeGreaterThanOrEqual(8);
		// The key did reach the sandbox (it named the key), so its absence below means something.
		expect(sandbox.requests.some((request) => request.keyName === 'n8n automations')).toBe(true);
		const everything = [JSON.stringify(received), server.output(), ...n8n.transcript, n8n.log()];
		expect(everything.join('\n')).not.toContain(KEYS.acmeTenant);
	});
});
