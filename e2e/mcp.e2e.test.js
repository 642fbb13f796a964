'use strict';
/**
 * The node as AI tools in a real n8n, over MCP: the example workflow (n8n's MCP Server Trigger and
 * the three PilotStatus tools, set up as the editor sets them up) is imported, activated and
 * served by `n8n start`; a real MCP client (@modelcontextprotocol/sdk, playing the model: no model
 * is needed) lists the tools and calls them. Everything the client reads, and everything n8n
 * printed, is checked for the API key.
 */
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
		const ids = await n8n.importWorkflows([EXAMPLE]);
		await n8n.publishWorkflows([ids[example.name]]);
		server = await startN8nServer(n8n);
		const endpoint = `${server.url}/mcp/${MCP_PATH}`;
		const options = {
			timeoutMs: ENDPOINT_TIMEOUT_MS,
			failed: () => (server.isRunning() ? undefined : 'n8n exited'),
		};
		client = await waitFor(`the MCP endpoint ${endpoint}`, options, async () => {
			const candidate = await connect(endpoint, MCP_TOKEN);
			const tools = await candidate.listTools().then(
				(listed) => listed.tools,
				() => [],
			);
			if (tools.length === 3) return candidate;
			await candidate.close();
			return undefined;
		});
	});

	afterAll(async () => {
		await client?.close().catch(() => undefined);
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
		expect(unknown.text).toContain('Use an id the List numbers tool returns (e.g. wa_abc)');
		expect(unknown.text).not.toMatch(/\(item \d+\)|\{\{/);
		expect(wrongType.isError).toBe(true);
		expect(wrongType.text).toContain('Received tool input did not match expected schema');
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
