'use strict';
/**
 * The package inside a real n8n, on every pinned line: n8n loads it from its nodes folder (installed
 * from `npm pack`), decrypts an imported credential that points at the sandbox, and runs the example
 * workflows and a few fixtures with `n8n execute`. Assertions read the run n8n prints.
 */
const fs = require('node:fs');
const path = require('node:path');

const { KEYS, createTenants } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const { TRIGGER_TYPE } = require('./activeTrigger');
const { createN8n } = require('./n8n');
const versions = require('./versions');

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const FIXTURES_DIR = path.join(__dirname, 'fixtures');
const jsonFiles = (dir) =>
	fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => path.join(dir, file));
const readWorkflow = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const EXAMPLES = jsonFiles(EXAMPLES_DIR).map((file) => ({ file, workflow: readWorkflow(file) }));
const FIXTURES = jsonFiles(FIXTURES_DIR);
const NODE_TYPE = 'n8n-nodes-pilotstatus.pilotStatusNumbers';
const WRONG_KEY = 'ps_test_wrong_0123456789abcdef';
// `n8n execute` starts a workflow from its Manual Trigger; one without it cannot run from the CLI.
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const MCP_TRIGGER = '@n8n/n8n-nodes-langchain.mcpTrigger';

const acmeNumbers = () => createTenants().acme.numbers;

/** The json of every item one node sent out of `output` in the (first) run of that node. */
function itemsOf(run, nodeName, output = 0) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs)
		throw new Error(
			`${nodeName} did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	return (runs[0].data.main[output] ?? []).map((item) => item.json);
}

function pairedItemsOf(run, nodeName) {
	return run.data.resultData.runData[nodeName][0].data.main[0].map((item) => item.pairedItem);
}

const isFlat = (json) =>
	Object.values(json).every(
		(value) => value === null || typeof value !== 'object' || Array.isArray(value),
	);

const byId = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The detail requests the sandbox received, as [id, refresh], sorted: the node sends several at
 * once, so they arrive in any order (output order is checked on the items themselves).
 */
const detailRequests = (requests) =>
	requests
		.filter((request) => /^\/v1\/numbers\/[^/]+$/.test(request.rawUrl.split('?')[0]))
		.map((request) => [
			decodeURIComponent(request.rawUrl.split('?')[0].split('/')[3]),
			request.query.refresh,
		])
		.sort(byId);

/** What each example must produce, beyond running cleanly; keyed by workflow name. */
const EXPECTED = {
	'Numbers to rows': ({ run }) => {
		const listed = itemsOf(run, 'List numbers');
		expect(listed.map((json) => json.id)).toEqual(acmeNumbers().map((number) => number.id));
		expect(listed.every(isFlat)).toBe(true);

		const rows = itemsOf(run, 'Sort by name');
		const expected = acmeNumbers()
			.map((number) => ({
				name: number.name,
				phone: number.number,
				provider: number.provider,
				state: number.state,
				connected: number.isFullyConnected,
				id: number.id,
			}))
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		expect(rows).toEqual(expected);
	},

	'Health check for every number': ({ run, requests }) => {
		const numbers = acmeNumbers();
		// Get ran once per listed number, by id from the previous node, without refresh.
		expect(detailRequests(requests)).toEqual(
			numbers.map((number) => [number.id, undefined]).sort(byId),
		);
		const details = itemsOf(run, 'Get health');
		expect(
			details.map((json) => [json.id, json.health_sendable, json.health_qualityRating]),
		).toEqual(
			numbers.map((number) => [number.id, number.health.sendable, number.health.qualityRating]),
		);
		expect(pairedItemsOf(run, 'Get health')).toEqual(numbers.map((_, item) => ({ item })));

		const needsAttention = (number) =>
			!number.health.sendable || (number.health.qualityRating ?? 'GREEN') !== 'GREEN';
		const flagged = numbers.filter(needsAttention);
		expect(flagged.length).toBeGreaterThan(0);
		expect(itemsOf(run, 'Needs attention?', 1).map((json) => json.id)).toEqual(
			numbers.filter((number) => !needsAttention(number)).map((number) => number.id),
		);
		// The message reads the List node's item through n8n's item pairing: $('List numbers').item.
		const alerts = itemsOf(run, 'Alert message');
		expect(alerts.map((json) => json.numberId)).toEqual(flagged.map((number) => number.id));
		alerts.forEach((json, index) => {
			expect(json.alert).toContain(
				`WhatsApp number ${flagged[index].name} (${flagged[index].number})`,
			);
			expect(json.alert).toContain(`sendable ${flagged[index].health.sendable}`);
		});
	},

	'Nightly Meta refresh': ({ run, requests, startedAt }) => {
		const meta = acmeNumbers().filter((number) => number.provider === 'META');
		expect(meta.length).toBeGreaterThan(0);
		expect(detailRequests(requests)).toEqual(meta.map((number) => [number.id, '1']).sort(byId));
		const refreshed = itemsOf(run, 'Refresh from Meta');
		expect(refreshed.map((json) => json.id)).toEqual(meta.map((number) => number.id));
		for (const json of refreshed) {
			expect(isFlat(json)).toBe(true);
			expect(Date.parse(json.meta_fetchedAt)).toBeGreaterThanOrEqual(startedAt);
		}
	},
};

describe.each(versions)('n8n %s', (version) => {
	let sandbox;
	let n8n;
	let ids;
	const keyNamesSeen = new Set();

	/** Runs a workflow by name; returns n8n's parsed run and the requests the sandbox received. */
	async function execute(name) {
		expect(ids[name]).toBeDefined();
		sandbox.reset();
		const startedAt = Date.now() - 1000;
		const result = await n8n.execute(ids[name]);
		const requests = [...sandbox.requests];
		for (const request of requests) keyNamesSeen.add(request.keyName);
		return { ...result, requests, startedAt };
	}

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8n({ version, tarball: process.env.PILOTSTATUS_E2E_TARBALL });
		// The workflows name their credential with no id: import:workflow links it by that name.
		await n8n.importCredentials([
			{
				id: 'psE2eSandbox0001',
				name: 'PilotStatus API account',
				type: 'pilotStatusApi',
				data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
			},
			{
				id: 'psE2eWrongKey001',
				name: 'PilotStatus wrong key',
				type: 'pilotStatusApi',
				data: { apiKey: WRONG_KEY, baseUrl: sandbox.url },
			},
		]);
		ids = await n8n.importWorkflows([...EXAMPLES.map((example) => example.file), ...FIXTURES]);
	});

	afterAll(async () => {
		await sandbox?.close();
		n8n?.remove();
	});

	describe.each(EXAMPLES.map((example) => [example.workflow.name, example]))(
		'example "%s"',
		(name, { workflow }) => {
			const runnable = workflow.nodes.some((node) => node.type === MANUAL_TRIGGER);
			const title = runnable
				? 'imports unchanged and runs from its Manual Trigger'
				: workflow.nodes.some((node) => node.type === MCP_TRIGGER)
					? 'not run here: e2e/mcp.e2e.test.js serves it over MCP to a real MCP client'
					: workflow.nodes.some((node) => node.type === TRIGGER_TYPE)
						? 'not run here (`n8n execute` cannot start a polling trigger): e2e/trigger.e2e.test.js runs it as an activated workflow'
						: 'not run: it has no Manual Trigger, the only start `n8n execute` knows';
			(runnable ? test : test.skip)(title, async () => {
				const result = await execute(name);
				expect(result.run?.data.resultData.error).toBeUndefined();
				expect(result.code).toBe(0);
				for (const node of workflow.nodes.filter((candidate) => candidate.type === NODE_TYPE)) {
					expect(itemsOf(result.run, node.name).length).toBeGreaterThan(0);
				}
				await EXPECTED[name]?.(result);
			});
		},
	);

	test('Continue On Fail: a wrong id gives an error item in its place, the other items run', async () => {
		const { run, code } = await execute('E2E: Continue On Fail with a wrong id');
		expect(code).toBe(0);
		const numbers = acmeNumbers();
		const details = itemsOf(run, 'Get number');
		expect(details).toHaveLength(numbers.length);
		expect(pairedItemsOf(run, 'Get number')).toEqual(numbers.map((_, item) => ({ item })));
		numbers.forEach((number, index) => {
			if (number.id === 'wa_sales') {
				expect(details[index]).toEqual({
					error: "Number 'wa_missing' was not found in this PilotStatus account",
				});
			} else {
				expect(details[index]).toMatchObject({
					id: number.id,
					health_sendable: number.health.sendable,
				});
			}
		});
	});

	test('a wrong API key fails the execution with the credential error', async () => {
		const { code, stdout, stderr, requests } = await execute('E2E: wrong API key');
		expect(code).not.toBe(0);
		expect(`${stdout}\n${stderr}`).toContain('The PilotStatus API key was rejected (HTTP 401)');
		expect(requests.length).toBeGreaterThan(0);
		expect(requests.every((request) => request.hasKey && request.keyName === undefined)).toBe(true);
	});

	test("the API keys appear nowhere in n8n's output or its log", () => {
		// The runs above did send the key (the sandbox named it), so its absence below means something.
		expect(keyNamesSeen.has('n8n automations')).toBe(true);
		const everything = [...n8n.transcript, n8n.log()].join('\n');
		expect(n8n.log().length).toBeGreaterThan(0);
		expect(everything).not.toContain(KEYS.acmeTenant);
		expect(everything).not.toContain(WRONG_KEY);
	});
});
