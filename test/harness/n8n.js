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

/**
 * @import { ICredentialDataDecryptedObject, IHttpRequestOptions, INode,
 *   INodeExecutionData, INodeListSearchResult, INodeProperties, INodeType, INodeTypes, IRun,
 *   IRunData, IWorkflowExecuteAdditionalData, IExecuteFunctions, ICredentialType,
 *   IRequestOptionsSimplified, IWorkflowBase, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow'
 */
/**
 * The test credential of type `pilotStatusApi`; unset fields take the credential's defaults.
 * @typedef {{ apiKey: string, baseUrl?: string }} TestCredentials
 */
/**
 * An output item; `json` loosely typed so tests read nested fields directly.
 * @typedef {INodeExecutionData & { json: Record<string, any> }} OutputItem
 */
/**
 * An error as n8n reports it for a node (NodeApiError / NodeOperationError carry the extras).
 * @typedef {Error & { description?: string, httpCode?: string, context?: Record<string, unknown> }} NodeError
 */
/**
 * A node's parameters as workflow JSON holds them (values may be `={{ expressions }}`).
 * @typedef {Record<string, unknown>} NodeParameters
 */

// n8n-core keeps instance settings in the user folder: give it a throwaway one, never ~/.n8n,
// and remove it when done. Jest loads this module afresh for each test file (with its own copy of
// process.env), so there it goes after the file's tests; in the demo and benchmarks, at exit.
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-n8n-'));
	process.env.N8N_USER_FOLDER = userFolder;
	const remove = () => fs.rmSync(userFolder, { recursive: true, force: true });
	if (typeof afterAll === 'function') afterAll(remove);
	else process.once('exit', remove);
}
process.env.N8N_ENCRYPTION_KEY ??= 'pilotstatus-tests-only';
const {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
} = require('n8n-workflow');
const { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } = require('n8n-core');

const { toolDescription } = require('./tool');

const DIST = path.resolve(__dirname, '../../dist');
const PACKAGE = 'n8n-nodes-pilotstatus';
const packageJson = require('../../package.json');

/**
 * Every node and credential the package declares in its `n8n` attribute, loaded from dist/.
 * @param {Record<string, INodeType>} extraNodeTypes Node types by full type name to add.
 */
function loadPackage(extraNodeTypes) {
	/** @param {string} file */
	const load = (file) => {
		/** @type {Record<string, new () => unknown>} */
		const exports = require(path.resolve(DIST, '..', file));
		return Object.values(exports).map((Class) => new Class());
	};
	/** @type {Record<string, INodeType>} */
	const nodeTypes = { ...extraNodeTypes };
	for (const file of packageJson.n8n.nodes) {
		for (const node of /** @type {INodeType[]} */ (load(file)))
			nodeTypes[`${PACKAGE}.${node.description.name}`] = node;
	}
	/** @type {Record<string, ICredentialType>} */
	const credentialTypes = {};
	for (const file of packageJson.n8n.credentials) {
		for (const credential of /** @type {ICredentialType[]} */ (load(file)))
			credentialTypes[credential.name] = credential;
	}
	return { nodeTypes, credentialTypes };
}

/**
 * A test-only start node that emits the items given in its `items` parameter.
 * @implements {INodeType}
 */
class InputItems {
	/** @type {INodeType['description']} */
	description = {
		displayName: 'Input Items',
		name: 'inputItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: [/** @type {import('n8n-workflow').NodeConnectionType} */ ('main')],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		const items = this.getNodeParameter('items', 0);
		/** @type {import('n8n-workflow').IDataObject[]} */
		const list = typeof items === 'string' ? JSON.parse(items) : items;
		return [list.map((json) => ({ json }))];
	}
}

/**
 * A test-only stand-in for an AI agent (or n8n's MCP Server Trigger): it takes its tools from
 * n8n-core as an agent does (getInputConnectionData: createNodeAsTool, the input schema built from
 * the tools' `$fromAI()`, each call run through the tool node's execute) and calls them with the
 * arguments in its `calls` parameter, as a model would. It returns one item: what it was told
 * about each tool, and each call's reply (the text a model reads) or error message.
 */
class ToolCaller {
	/** @type {INodeType['description']} */
	description = {
		displayName: 'Tool Caller',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools as a model would',
		defaults: { name: 'Agent' },
		inputs: [
			/** @type {import('n8n-workflow').NodeConnectionType} */ ('main'),
			{ type: 'ai_tool', displayName: 'Tools' },
		],
		outputs: [/** @type {import('n8n-workflow').NodeConnectionType} */ ('main')],
		properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
	};

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		/** @typedef {import('@langchain/core/tools').DynamicStructuredTool} Tool */
		const tools = /** @type {Tool[]} */ (await this.getInputConnectionData('ai_tool', 0));
		const parameter = this.getNodeParameter('calls', 0);
		/** @type {Array<{ tool: string, args: Record<string, unknown> }>} */
		const calls = typeof parameter === 'string' ? JSON.parse(parameter) : parameter;
		/** @type {import('n8n-workflow').IDataObject[]} */
		const replies = [];
		for (const { tool, args } of calls) {
			const called = tools.find((each) => each.name === tool);
			if (!called) throw new Error(`No tool ${tool}; the tools are ${tools.map((t) => t.name)}`);
			try {
				replies.push({ tool, reply: await called.invoke(args) });
			} catch (error) {
				replies.push({ tool, error: /** @type {Error} */ (error).message });
			}
		}
		const described = tools.map((each) => ({
			name: each.name,
			description: each.description,
			inputs: Object.fromEntries(
				Object.entries(/** @type {import('zod').AnyZodObject} */ (each.schema).shape).map(
					([key, type]) => [key, { type: type._def.typeName, description: type.description }],
				),
			),
		}));
		return [[{ json: { tools: described, replies } }]];
	}
}

const { nodeTypes: registry, credentialTypes } = loadPackage({
	'test.inputItems': new InputItems(),
	'test.toolCaller': new ToolCaller(),
});

// The tool variant n8n registers for each usableAsTool node (see tool.js): its own description,
// the same execute and methods.
for (const [type, node] of Object.entries({ ...registry })) {
	if (!node.description.usableAsTool) continue;
	/** @type {INodeType} */
	const tool = Object.assign(Object.create(Object.getPrototypeOf(node)), node, {
		description: toolDescription(node.description),
	});
	registry[`${type}Tool`] = tool;
}

/** @type {INodeTypes} */
const nodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type, version) => {
		const nodeType = /** @type {INodeType | import('n8n-workflow').IVersionedNodeType} */ (
			registry[type]
		);
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		// n8n's versioned nodes (e.g. the HTTP Request node) hold one implementation per version.
		return 'nodeVersions' in nodeType ? nodeType.getNodeType(version) : nodeType;
	},
	getKnownTypes: () => ({}),
};

/** n8n's credentials helper, reduced to what a header-key credential uses. */
class CredentialsHelper extends ICredentialsHelper {
	/** @param {Record<string, ICredentialDataDecryptedObject>} credentialsByType */
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

	/**
	 * @param {string} type
	 * @returns {INodeProperties[]}
	 */
	getCredentialsProperties(type) {
		return credentialTypes[type]?.properties ?? [];
	}

	/**
	 * @param {unknown} _additionalData
	 * @param {unknown} _nodeCredentials
	 * @param {string} type
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		this.reads++;
		const data = this.credentialsByType[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		// As n8n does: properties the user never set take their defaults.
		/** @type {ICredentialDataDecryptedObject} */
		const withDefaults = {};
		for (const property of this.getCredentialsProperties(type))
			withDefaults[property.name] = /** @type {import('n8n-workflow').CredentialInformation} */ (
				property.default
			);
		return { ...withDefaults, ...data };
	}

	/**
	 * Applies a generic `authenticate` block, evaluating its expressions with `$credentials` as n8n does.
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {IHttpRequestOptions | IRequestOptionsSimplified} requestOptions
	 * @param {import('n8n-workflow').Workflow} workflow
	 * @param {INode} node
	 * @returns {Promise<IHttpRequestOptions>}
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const options = /** @type {IHttpRequestOptions & Record<string, any>} */ (requestOptions);
		const { authenticate } = credentialTypes[typeName] ?? {};
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate || authenticate.type !== 'generic') return options;
		/** @param {unknown} value */
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
			options[target] = { ...(options[target] ?? {}) };
			for (const [key, value] of Object.entries(entries ?? {}))
				options[target][String(resolve(key))] = resolve(value);
		}
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	/** @returns {Promise<never>} */
	async getCredentials() {
		throw new Error('not used');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

/**
 * Adds node types (by full type name) and credential types from elsewhere, e.g. n8n-nodes-base for the benchmarks.
 * @param {{ nodes?: Record<string, INodeType>, credentials?: ICredentialType[] }} types
 */
function registerTypes({ nodes = {}, credentials = [] }) {
	Object.assign(registry, nodes);
	for (const credential of credentials) credentialTypes[credential.name] = credential;
}

/**
 * What n8n-core needs of an instance to run a workflow, with `credentials` as the test credential.
 * @param {TestCredentials} credentials
 * @param {InstanceType<typeof ExecutionLifecycleHooks>} hooks
 * @param {Record<string, ICredentialDataDecryptedObject>} [otherCredentials]
 */
function additionalDataFor(credentials, hooks, otherCredentials = {}) {
	const data = {
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
	// The rest of n8n's instance (sub-workflows, runtime credentials...) is never reached here.
	return /** @type {IWorkflowExecuteAdditionalData & typeof data} */ (
		/** @type {unknown} */ (data)
	);
}

/**
 * n8n-core's lifecycle hooks for one execution; tests add handlers to them.
 * @param {WorkflowExecuteMode} mode
 * @param {Pick<IWorkflowBase, 'id' | 'nodes' | 'connections'> & { name?: string }} workflowData
 */
function hooksFor(mode, workflowData) {
	// n8n's hooks read only these fields of the workflow here.
	const data = /** @type {IWorkflowBase} */ (/** @type {unknown} */ (workflowData));
	return new ExecutionLifecycleHooks(mode, 'test-execution', data);
}

/**
 * The workflow's own copy of a node.
 * @param {Workflow} workflow
 * @param {string} name
 */
function nodeIn(workflow, name) {
	const node = workflow.getNode(name);
	if (!node) throw new Error(`The workflow has no node ${name}`);
	return node;
}

const CREDENTIAL_REF = { pilotStatusApi: { id: '1', name: 'PilotStatus account' } };

/**
 * A package node (`type` without the package prefix) as workflow JSON, using the test credential.
 * @param {{ type: string, name?: string, position?: [number, number], parameters: NodeParameters, typeVersion?: number }} node
 * @returns {INode}
 */
function packageNode({
	type,
	name = 'PilotStatus',
	position = [0, 0],
	parameters,
	typeVersion = 1,
}) {
	return {
		id: 'ps',
		name,
		type: `${PACKAGE}.${type}`,
		typeVersion,
		position,
		parameters: /** @type {INode['parameters']} */ (parameters),
		credentials: CREDENTIAL_REF,
	};
}

/**
 * What a workflow run produced.
 * @typedef {object} WorkflowRun
 * @property {IRun} run
 * @property {IRunData} runData
 * @property {NodeError | undefined} error The error the run ended with, if any.
 * @property {(name: string) => OutputItem[]} output The first output of the node named `name`.
 * @property {number} credentialReads How many times the run read a credential (each a database read and a decryption in n8n).
 */

/**
 * Runs a workflow of nodes (given as n8n workflow JSON nodes and connections) whose first node is
 * the start. Node types are `n8n-nodes-pilotstatus.*`, `test.inputItems`, or registered ones.
 * @param {object} options
 * @param {INode[]} options.nodes
 * @param {import('n8n-workflow').IConnections} options.connections
 * @param {TestCredentials} options.credentials
 * @param {Record<string, ICredentialDataDecryptedObject>} [options.otherCredentials] Credentials of
 *   other types, by type name, e.g. `{ httpHeaderAuth: { name, value } }`.
 * @param {Promise<unknown>} [options.cancelWhen] Cancels the run when it settles, as the editor's
 *   Stop button does.
 * @returns {Promise<WorkflowRun>}
 */
async function runWorkflow({ nodes, connections, credentials, otherCredentials, cancelWhen }) {
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = hooksFor('manual', { id: 'test', name: 'test', nodes, connections });
	/** @type {(run: IRun) => void} */
	let resolveRun = () => {};
	/** @type {Promise<IRun>} */
	const finished = new Promise((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const startNode = nodeIn(workflow, nodes[0].name);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(credentials, hooks, otherCredentials);
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execute.processRunExecutionData(workflow);
	// As the editor's Stop button does: n8n cancels the run, which aborts its cancel signal.
	void cancelWhen?.then(() => running.cancel());
	await running.catch((error) => {
		if (!running.isCanceled) throw error;
	});
	const run = await finished;
	const runData = run.data.resultData.runData;
	return {
		run,
		runData,
		error: /** @type {NodeError | undefined} */ (run.data.resultData.error),
		output: (name) => runData[name]?.[0]?.data?.main?.[0] ?? [],
		credentialReads: additionalData.credentialsHelper.reads,
	};
}

/**
 * What one node's run produced.
 * @typedef {object} NodeRun
 * @property {OutputItem[]} items Its first output.
 * @property {NodeError | undefined} error
 * @property {IRunData} runData
 * @property {number} credentialReads How many times the run read the credential.
 */

/**
 * The start node that emits `items` (test.inputItems), named Input.
 * @param {Array<Record<string, unknown>>} items The items' JSON.
 * @returns {INode}
 */
function inputNode(items) {
	return {
		id: 'in',
		name: 'Input',
		type: 'test.inputItems',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: /** @type {INode['parameters'][]} */ (items) },
	};
}

/**
 * Runs one PilotStatus node after an Input node that emits `input` (default: one empty item).
 * @param {object} options
 * @param {string} [options.type] The node type without the package prefix.
 * @param {number} [options.typeVersion] The node's typeVersion; 1 unless given.
 * @param {NodeParameters} options.parameters
 * @param {TestCredentials} options.credentials
 * @param {Array<Record<string, unknown>>} [options.input] The input items' JSON.
 * @param {boolean} [options.continueOnFail] Settings → On Error: Continue.
 * @param {Promise<unknown>} [options.cancelWhen] Cancels the run when it settles.
 * @returns {Promise<NodeRun>}
 */
async function runNode({
	type = 'pilotStatusNumbers',
	typeVersion = 1,
	parameters,
	credentials,
	input = [{}],
	continueOnFail = false,
	cancelWhen,
}) {
	/** @type {INode[]} */
	const nodes = [
		inputNode(input),
		{
			...packageNode({ type, typeVersion, position: [200, 0], parameters }),
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		},
	];
	/** @type {import('n8n-workflow').IConnections} */
	const connections = { Input: { main: [[{ node: 'PilotStatus', type: 'main', index: 0 }]] } };
	const result = await runWorkflow({ nodes, connections, credentials, cancelWhen });
	return {
		items: result.output('PilotStatus'),
		error: result.error,
		runData: result.runData,
		credentialReads: result.credentialReads,
	};
}

/**
 * A tool as the stand-in agent was told about it: its name, description, and each input the model
 * is asked for (its zod type name, e.g. ZodString, and description).
 * @typedef {{ name: string, description: string, inputs: Record<string, { type: string, description?: string }> }} ToolSeen
 */
/**
 * One call's outcome: the text a model reads, or the error the call raised.
 * @typedef {{ tool: string, reply: string } | { tool: string, error: string }} ToolReply
 */

/**
 * PilotStatus tools called as a model calls them (see ToolCaller): each of `tools` (parameters as
 * the editor saves them, and a typeVersion, 1.1 unless given) becomes a `pilotStatusNumbersTool`
 * node named as the editor names it (NodeHelpers.makeNodeName: "<action> in PilotStatus Numbers")
 * and connected to the stand-in agent, which calls them with `calls`.
 * @param {object} options
 * @param {Array<{ parameters: NodeParameters, typeVersion?: number }>} options.tools
 * @param {Array<{ tool: string, args: Record<string, unknown> }>} options.calls e.g.
 *   `[{ tool: 'Get_a_number_in_PilotStatus_Numbers', args: { Number: 'wa_abc' } }]`
 * @param {TestCredentials} options.credentials
 * @returns {Promise<{ tools: ToolSeen[], replies: ToolReply[], runData: IRunData, error: NodeError | undefined }>}
 */
async function callTools({ tools, calls, credentials }) {
	const toolType = registry[`${PACKAGE}.pilotStatusNumbersTool`].description;
	const toolNodes = tools.map(({ parameters, typeVersion = 1.1 }, index) => {
		const node = packageNode({ type: 'pilotStatusNumbersTool', parameters, typeVersion });
		const resolved = NodeHelpers.getNodeParameters(
			toolType.properties,
			node.parameters,
			true,
			false,
			node,
			toolType,
		);
		return {
			...node,
			id: `tool${index}`,
			name: NodeHelpers.makeNodeName(resolved ?? {}, toolType),
			position: /** @type {[number, number]} */ ([200, 200 + 100 * index]),
		};
	});
	/** @type {INode[]} */
	const nodes = [
		inputNode([{}]),
		{
			id: 'agent',
			name: 'Agent',
			type: 'test.toolCaller',
			typeVersion: 1,
			position: [200, 0],
			parameters: { calls: /** @type {INode['parameters'][]} */ (calls) },
		},
		...toolNodes,
	];
	/** @type {import('n8n-workflow').IConnections} */
	const connections = {
		Input: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
		...Object.fromEntries(
			toolNodes.map((node) => [
				node.name,
				{ ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
			]),
		),
	};
	const result = await runWorkflow({ nodes, connections, credentials });
	const [agent] = result.output('Agent');
	return {
		tools: agent?.json.tools ?? [],
		replies: agent?.json.replies ?? [],
		runData: result.runData,
		error: result.error,
	};
}

/**
 * Calls a node's listSearch method through n8n-core's LoadOptionsContext, as the editor does.
 * @param {object} options
 * @param {string} [options.type] The node type without the package prefix.
 * @param {string} options.method
 * @param {string} [options.filter] What the user typed.
 * @param {NodeParameters} [options.parameters]
 * @param {TestCredentials} options.credentials
 * @returns {Promise<INodeListSearchResult>}
 */
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
	const hooks = hooksFor('manual', { id: 'test', nodes: [node], connections: {} });
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentials, hooks), '');
	const search = registry[node.type].methods?.listSearch?.[method];
	if (!search) throw new Error(`${node.type} has no listSearch method ${method}`);
	return await search.call(context, filter);
}

// n8n-core's services come from its own copy of the DI container.
const fromCore = (/** @type {string} */ name) =>
	require(require.resolve(name, { paths: [path.dirname(require.resolve('n8n-core'))] }));
const { Container } = fromCore('@n8n/di');

/**
 * n8n's logger, the one a node's `this.logger` is, so a test can see what a node logs.
 * @returns {{ info: (message: string, meta?: object) => void }}
 */
function nodeLogger() {
	return Container.get(fromCore('@n8n/backend-common').Logger);
}
const { PollContext, PollTriggerExecutor } = require('n8n-core');

/**
 * What one tick of a polling trigger gave n8n.
 * @typedef {object} PollTick
 * @property {OutputItem[] | null} items What n8n would start an execution with (the first output), or null when the poll emitted nothing.
 * @property {NodeError | undefined} error What n8n would report.
 * @property {Record<string, any>} staticData The workflow's static data after the tick, through JSON as n8n stores it.
 * @property {boolean} staticDataChanged Whether n8n would see the static data as changed (and so save it).
 * @property {number} credentialReads How many times this tick read the credential.
 */
/**
 * A trigger node as a workflow holds it.
 * @typedef {object} PollOptions
 * @property {string} [type] The node type without the package prefix.
 * @property {NodeParameters} parameters
 * @property {TestCredentials} credentials
 * @property {Record<string, any>} [staticData] The workflow's static data at activation.
 * @property {'trigger' | 'manual'} [mode] `manual`: the editor's Fetch Test Event (errors thrown, as n8n's test run does).
 * @property {number} [pollBudgetMs] What the context's `getPollBudgetMs()` answers (n8n-core's PollContext takes it as a constructor argument; without it, n8n-core's default, 5 minutes).
 * @property {boolean} [durableCursors] Run the polls as n8n 2.41.1's durable scheduler with durable poll cursors does (see `activateTrigger`).
 */

/**
 * A polling trigger as n8n runs it once its workflow is active: n8n builds the workflow and the
 * PollContext once, at activation, and keeps both from tick to tick (so whatever the node keeps per
 * context lives across polls). Each `poll()` is one tick, run by n8n-core's PollTriggerExecutor
 * (what the schedule calls): its items are what n8n would start an execution with, its error what
 * n8n would report. `staticData` is the workflow's static data at activation; `trigger.staticData`
 * is the one after the last tick, through JSON as n8n stores it. The credentials helper reads the
 * `credentials` object given at each read, so a test may edit it between polls.
 * With `mode: 'manual'` each `poll()` is the editor's Fetch Test Event instead (errors thrown, as
 * n8n's test run does), on a workflow that is not active.
 *
 * With `durableCursors`, the polls run as n8n 2.41.1's durable scheduler runs them with
 * N8N_POLLER_DURABLE_CURSORS_ENABLED (trigger-execution-context.factory.js,
 * poll-trigger-task-handler.js): the first poll is the one n8n runs at activation (activation mode
 * `init`, a test run, n8n-core's default budget), every later one a scheduled poll with a
 * PollContext of its own (activation mode `update`, `pollBudgetMs`). Each reads a staged copy of the
 * committed static data (a plain object, through PollContext's `resolveNodeStaticData` argument);
 * the copy is committed when the poll emits, or when a scheduled poll ends without items, and the
 * activation poll's is dropped unless it emits. `staticData` is then what is committed.
 * @param {PollOptions} options
 * @returns {{ poll: () => Promise<PollTick>, readonly staticData: Record<string, any> }}
 */
function activateTrigger({
	type = 'pilotStatusNumbersTrigger',
	parameters,
	credentials,
	staticData = {},
	mode = 'trigger',
	pollBudgetMs,
	durableCursors = false,
}) {
	const node = packageNode({ type, name: 'PilotStatus Trigger', parameters });
	const nodeKey = `node:${node.name}`;
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
	const hooks = hooksFor(mode, { id: 'test', nodes: [node], connections: {} });
	const additionalData = additionalDataFor(credentials, hooks);
	/** @type {OutputItem[] | null} */
	let items = null;
	/** @type {NodeError | undefined} */
	let error;
	const budget = pollBudgetMs === undefined ? undefined : () => pollBudgetMs;
	/**
	 * A PollContext as n8n makes one: `activation` its activation mode; `staged`, for durable
	 * cursors, the copy of the static data the poll reads instead of the workflow's.
	 * @param {WorkflowActivateMode} activation
	 * @param {(() => number) | undefined} getPollBudgetMs
	 * @param {Record<string, any>} [staged]
	 */
	const contextFor = (activation, getPollBudgetMs, staged) =>
		new PollContext(
			workflow,
			nodeIn(workflow, node.name),
			additionalData,
			mode,
			activation,
			(/** @type {INodeExecutionData[][]} */ data) => (items = data[0]),
			(/** @type {NodeError} */ emitted) => (error = emitted),
			undefined,
			undefined,
			staged === undefined ? undefined : () => staged,
			getPollBudgetMs,
		);
	/** @param {PollContext} context @returns {(testingTrigger: boolean) => Promise<unknown>} */
	const tickOf = (context) =>
		Container.get(PollTriggerExecutor).create(workflow, context.getNode(), context, () => true);
	const kept = durableCursors
		? undefined
		: tickOf(contextFor(manual ? 'manual' : 'activate', budget));
	let committed = structuredClone(staticData[nodeKey] ?? {});
	let polls = 0;
	let saved = structuredClone(staticData);
	return {
		async poll() {
			items = null;
			error = undefined;
			const readsBefore = additionalData.credentialsHelper.reads;
			const activationPoll = durableCursors && polls++ === 0;
			const staged = durableCursors ? structuredClone(committed) : undefined;
			const tick =
				kept ??
				tickOf(
					contextFor(
						activationPoll ? 'init' : 'update',
						activationPoll ? undefined : budget,
						staged,
					),
				);
			try {
				await tick(manual || activationPoll);
			} catch (thrown) {
				error = /** @type {NodeError} */ (thrown);
			}
			const committedBefore = JSON.stringify(committed);
			if (staged && !error && (items || !activationPoll)) committed = staged;
			saved = durableCursors
				? { [nodeKey]: JSON.parse(JSON.stringify(committed)) }
				: JSON.parse(JSON.stringify(workflow.staticData));
			/** @type {PollTick} */
			const result = {
				items,
				error,
				staticData: saved,
				staticDataChanged: durableCursors
					? JSON.stringify(committed) !== committedBefore
					: Boolean(workflow.staticData.__dataChanged),
				credentialReads: additionalData.credentialsHelper.reads - readsBefore,
			};
			// n8n saves changed static data after each execution and starts the next tick unflagged.
			workflow.staticData.__dataChanged = false;
			return result;
		},
		get staticData() {
			return saved;
		},
	};
}

/**
 * One tick of a trigger just activated (or, with `mode: 'manual'`, one Fetch Test Event): see
 * `activateTrigger`.
 * @param {PollOptions} options
 * @returns {Promise<PollTick>}
 */
async function poll(options) {
	return await activateTrigger(options).poll();
}

/**
 * `ticks` polls of one active trigger (see `activateTrigger`), `beforeTick(index)` running before
 * each, e.g. to edit `credentials`; fewer when `until`, asked after each poll, says so.
 * @param {PollOptions & { ticks: number, beforeTick?: (index: number) => void | Promise<void>, until?: (sofar: PollTick[]) => boolean }} options
 * @returns {Promise<PollTick[]>}
 */
async function pollTicks({ ticks, beforeTick = () => {}, until = () => false, ...options }) {
	const trigger = activateTrigger(options);
	/** @type {PollTick[]} */
	const results = [];
	for (let index = 0; index < ticks && !until(results); index++) {
		await beforeTick(index);
		results.push(await trigger.poll());
	}
	return results;
}

module.exports = {
	runWorkflow,
	runNode,
	callTools,
	listSearch,
	registerTypes,
	nodeTypes,
	credentialTypes,
	PACKAGE,
	activateTrigger,
	poll,
	pollTicks,
	nodeLogger,
};
