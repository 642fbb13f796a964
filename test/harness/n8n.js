'use strict';
/**
 * Runs the built package inside n8n's own execution engine (n8n-core's WorkflowExecute,
 * n8n-workflow's Workflow and expressions), the way an n8n instance runs a workflow: parameters and
 * expressions resolved by n8n, credentials resolved and applied to requests by a credentials helper
 * that follows n8n's (defaults filled in, `authenticate` expressions evaluated). Nothing of the
 * package is mocked. Used by the integration tests, the demo and the benchmarks.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core keeps instance settings in the user folder: give it a throwaway one, never ~/.n8n.
process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'pilotstatus-tests-only';
const { ICredentialsHelper, Workflow, createRunExecutionData } = require('n8n-workflow');
const { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } = require('n8n-core');

const DIST = path.resolve(__dirname, '../../dist');
const PACKAGE = 'n8n-nodes-pilotstatus';
const packageJson = require('../../package.json');

/** Every node and credential the package declares in its `n8n` attribute, loaded from dist/. */
function loadPackage(extraNodeTypes = {}) {
	const load = (file) => {
		const exports = require(path.resolve(DIST, '..', file));
		return Object.values(exports).map((Class) => new Class());
	};
	const nodeTypes = { ...extraNodeTypes };
	for (const file of packageJson.n8n.nodes) {
		for (const node of load(file)) nodeTypes[`${PACKAGE}.${node.description.name}`] = node;
	}
	const credentialTypes = {};
	for (const file of packageJson.n8n.credentials) {
		for (const credential of load(file)) credentialTypes[credential.name] = credential;
	}
	return { nodeTypes, credentialTypes };
}

/** A test-only start node that emits the items given in its `items` parameter. */
class InputItems {
	description = {
		displayName: 'Input Items',
		name: 'inputItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute() {
		const items = this.getNodeParameter('items', 0);
		return [(typeof items === 'string' ? JSON.parse(items) : items).map((json) => ({ json }))];
	}
}

const { nodeTypes: registry, credentialTypes } = loadPackage({
	'test.inputItems': new InputItems(),
});

const nodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type, version) => {
		const nodeType = registry[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		// n8n's versioned nodes (e.g. the HTTP Request node) hold one implementation per version.
		return nodeType.nodeVersions ? nodeType.getNodeType(version) : nodeType;
	},
	getKnownTypes: () => ({}),
};

/** n8n's credentials helper, reduced to what a header-key credential uses. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(credentialsByType) {
		super();
		this.credentialsByType = credentialsByType;
		/** Credential reads (each a database read and a decryption in n8n), for tests that count them. */
		this.reads = 0;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	getCredentialsProperties(type) {
		return credentialTypes[type]?.properties ?? [];
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		this.reads++;
		const data = this.credentialsByType[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		// As n8n does: properties the user never set take their defaults.
		const withDefaults = {};
		for (const property of this.getCredentialsProperties(type))
			withDefaults[property.name] = property.default;
		return { ...withDefaults, ...data };
	}

	/** Applies a generic `authenticate` block, evaluating its expressions with `$credentials` as n8n does. */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = credentialTypes[typeName] ?? {};
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getParameterValue(
						value,
						null,
						0,
						0,
						node.name,
						[],
						'internal',
						{ $credentials: credentials },
						undefined,
						false,
					)
				: value;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			requestOptions[target] = { ...(requestOptions[target] ?? {}) };
			for (const [key, value] of Object.entries(entries))
				requestOptions[target][resolve(key)] = resolve(value);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials() {
		throw new Error('not used');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

/** Adds node types (by full type name) and credential types from elsewhere, e.g. n8n-nodes-base for the benchmarks. */
function registerTypes({ nodes = {}, credentials = [] }) {
	Object.assign(registry, nodes);
	for (const credential of credentials) credentialTypes[credential.name] = credential;
}

function additionalDataFor(credentials, hooks, otherCredentials = {}) {
	return {
		hooks,
		credentialsHelper: new CredentialsHelper({ pilotStatusApi: credentials, ...otherCredentials }),
		executionId: 'test-execution',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		currentNodeParameters: undefined,
	};
}

const CREDENTIAL_REF = { pilotStatusApi: { id: '1', name: 'PilotStatus account' } };

/** A package node (`type` without the package prefix) as workflow JSON, using the test credential. */
function packageNode({ type, name = 'PilotStatus', position = [0, 0], parameters }) {
	return {
		id: 'ps',
		name,
		type: `${PACKAGE}.${type}`,
		typeVersion: 1,
		position,
		parameters,
		credentials: CREDENTIAL_REF,
	};
}

/**
 * Runs a workflow of nodes (given as n8n workflow JSON nodes and connections) whose first node is
 * the start. Node types are `n8n-nodes-pilotstatus.*` or `test.inputItems`.
 * @returns {Promise<{run: object, runData: object, error: Error|undefined, output: (name: string) => object[]}>}
 */
async function runWorkflow({ nodes, connections, credentials, otherCredentials }) {
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test',
		name: 'test',
		nodes,
		connections,
	});
	let resolveRun;
	const finished = new Promise((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const startNode = workflow.getNode(nodes[0].name);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(credentials, hooks, otherCredentials);
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const runData = run.data.resultData.runData;
	return {
		run,
		runData,
		error: run.data.resultData.error,
		output: (name) => runData[name]?.[0]?.data?.main?.[0] ?? [],
		credentialReads: additionalData.credentialsHelper.reads,
	};
}

/**
 * Runs one PilotStatus node after an Input node that emits `input` (default: one empty item).
 * @returns {Promise<{items: object[], error: Error|undefined, runData: object}>}
 */
async function runNode({
	type = 'pilotStatusNumbers',
	parameters,
	credentials,
	input = [{}],
	continueOnFail = false,
}) {
	const nodes = [
		{
			id: 'in',
			name: 'Input',
			type: 'test.inputItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: input },
		},
		{
			...packageNode({ type, position: [200, 0], parameters }),
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		},
	];
	const connections = { Input: { main: [[{ node: 'PilotStatus', type: 'main', index: 0 }]] } };
	const result = await runWorkflow({ nodes, connections, credentials });
	return {
		items: result.output('PilotStatus'),
		error: result.error,
		runData: result.runData,
		credentialReads: result.credentialReads,
	};
}

/** Calls a node's listSearch method through n8n-core's LoadOptionsContext, as the editor does. */
async function listSearch({
	type = 'pilotStatusNumbers',
	method,
	filter,
	parameters = {},
	credentials,
}) {
	const node = packageNode({ type, parameters });
	const workflow = new Workflow({
		id: 'test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test',
		nodes: [node],
		connections: {},
	});
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentials, hooks), '');
	return await registry[node.type].methods.listSearch[method].call(context, filter);
}

// n8n-core's services come from its own copy of the DI container.
const { Container } = require(
	require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] }),
);
const { PollContext, PollTriggerExecutor } = require('n8n-core');

/**
 * One tick of a polling trigger, run by n8n-core's PollTriggerExecutor (what an active workflow's
 * schedule calls) with a PollContext: its items are what n8n would start an execution with, its
 * error what n8n would report. `staticData` is the workflow's static data before the tick, kept
 * by the caller between ticks; the one returned went through JSON, as n8n stores it.
 * `mode: 'manual'` runs the editor's Fetch Test Event instead (errors thrown, as n8n's test run does).
 * @returns {Promise<{items: object[]|null, error: Error|undefined, staticData: object, staticDataChanged: boolean, credentialReads: number}>}
 */
async function poll(options) {
	const [tick] = await pollTicks({ ...options, ticks: 1 });
	return tick;
}

/**
 * Several ticks of one trigger, as an active workflow runs them: n8n builds the workflow and the
 * PollContext once, at activation, and keeps them from tick to tick. `beforeTick(index)` runs
 * before each tick, e.g. to edit `credentials` (the helper reads the object given, at each read).
 * Each result also says how many times that tick read the credential.
 */
async function pollTicks({
	type = 'pilotStatusNumbersTrigger',
	parameters,
	credentials,
	staticData = {},
	mode = 'trigger',
	ticks,
	beforeTick = () => {},
}) {
	const node = packageNode({ type, name: 'PilotStatus Trigger', parameters });
	const manual = mode === 'manual';
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: !manual,
		settings: {},
		staticData: structuredClone(staticData),
	});
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test',
		nodes: [node],
		connections: {},
	});
	const additionalData = additionalDataFor(credentials, hooks);
	let items;
	let error;
	const context = new PollContext(
		workflow,
		workflow.getNode(node.name),
		additionalData,
		mode,
		manual ? 'manual' : 'activate',
		(data) => (items = data[0]),
		(emitted) => (error = emitted),
	);
	const tick = Container.get(PollTriggerExecutor).create(
		workflow,
		context.getNode(),
		context,
		() => true,
	);
	const results = [];
	for (let index = 0; index < ticks; index++) {
		await beforeTick(index);
		items = null;
		error = undefined;
		const readsBefore = additionalData.credentialsHelper.reads;
		try {
			await tick(manual);
		} catch (thrown) {
			error = thrown;
		}
		results.push({
			items,
			error,
			staticData: JSON.parse(JSON.stringify(workflow.staticData)),
			staticDataChanged: Boolean(workflow.staticData.__dataChanged),
			credentialReads: additionalData.credentialsHelper.reads - readsBefore,
		});
		// n8n saves changed static data after each execution and starts the next tick unflagged.
		workflow.staticData.__dataChanged = false;
	}
	return results;
}

module.exports = {
	runWorkflow,
	runNode,
	listSearch,
	registerTypes,
	nodeTypes,
	credentialTypes,
	PACKAGE,
};
module.exports.poll = poll;
module.exports.pollTicks = pollTicks;
