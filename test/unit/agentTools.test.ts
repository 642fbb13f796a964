/**
 * The node as n8n presents it to an AI model: the name and description n8n derives for each
 * operation's tool, the Number input's description, and the Simplify defaults, computed with
 * n8n-workflow's own helpers (the ones n8n 2.41 calls) on the node's tool variant.
 */
import path from 'node:path';

import type { FromAIArgument, INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers, nodeNameToToolName, traverseNodeParameters } from 'n8n-workflow';

import { operations } from '../../nodes/PilotStatusNumbers/actions/operations';
import { NUMBER_FOR_MODEL } from '../../nodes/PilotStatusNumbers/descriptions/numberLocator';
import { PilotStatusNumbers } from '../../nodes/PilotStatusNumbers/PilotStatusNumbers.node';
import { toolDescription } from '../harness/tool';

const plain = new PilotStatusNumbers().description;
const tool = toolDescription(plain);

/** The parameters n8n resolves for a node of `type` (defaults filled in), as its Workflow does. */
function parametersOf(
	type: typeof plain,
	parameters: INodeParameters,
	typeVersion: number,
): INodeParameters {
	const node = { typeVersion, parameters } as unknown as INode;
	return NodeHelpers.getNodeParameters(type.properties, parameters, true, false, node, type)!;
}

/** What n8n derives for one operation's tool: the editor's node name, the tool name, the description. */
function toolFor(operation: string, typeVersion = 1.1) {
	const parameters = parametersOf(tool, { operation }, typeVersion);
	const nodeName = NodeHelpers.makeNodeName(parameters, tool);
	const node = { name: nodeName, typeVersion, parameters } as unknown as INode;
	return {
		nodeName,
		name: nodeNameToToolName(nodeName),
		description: NodeHelpers.getToolDescriptionForNode(node, { description: tool } as never),
		parameters,
	};
}

/** The `$fromAI()` inputs a tool's parameters ask the model for: n8n's input schema is built from them. */
function modelInputs(parameters: INodeParameters): FromAIArgument[] {
	const collected: FromAIArgument[] = [];
	traverseNodeParameters(parameters, collected);
	return collected;
}

const names = Object.keys(operations);

describe('each operation as an AI tool', () => {
	it.each([1, 1.1])(
		'has its own name, made of its action, valid for every model (version %s)',
		(version) => {
			const tools = names.map((name) => toolFor(name, version));
			expect(tools.map((each) => each.nodeName)).toEqual(
				names.map(
					(name) =>
						`${operations[name as keyof typeof operations].option.action} in PilotStatus Numbers`,
				),
			);
			expect(new Set(tools.map((each) => each.name)).size).toBe(names.length);
			for (const { name } of tools) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
			expect(toolFor('list').name).toBe('List_numbers_in_PilotStatus_Numbers');
			expect(toolFor('get').name).toBe('Get_a_number_in_PilotStatus_Numbers');
			expect(toolFor('checkStatus').name).toBe(
				'Check_the_live_status_of_a_number_in_PilotStatus_Numbers',
			);
		},
	);

	it('has its own description, saying what it returns, when to use it and what identifies a number', () => {
		const list = toolFor('list').description;
		const get = toolFor('get').description;
		const checkStatus = toolFor('checkStatus').description;
		expect(new Set([list, get, checkStatus]).size).toBe(3);
		expect(list).not.toBe(plain.description);
		expect(list).toMatch(/^List the WhatsApp numbers/);
		expect(list).toContain('id (e.g. wa_abc');
		expect(list).toContain('isFullyConnected');
		expect(list).toContain('at most the Limit');
		expect(list).toContain('numbersNotListed');
		expect(get).toContain('health_qualityRating');
		expect(get).toContain('health_sendable');
		expect(checkStatus).toContain('live');
		for (const description of [get, checkStatus]) {
			expect(description).toContain('id from the List numbers tool (e.g. wa_abc)');
			expect(description).toContain('phone number in any format (e.g. +55 11 98888-7777)');
		}
	});

	it('keeps its description in its own Description field, so n8n adds no generic one', () => {
		// convertNodeToAiTool adds "Tool Description: Set Automatically" and a field holding the node's
		// description only to nodes without a toolDescription parameter.
		const fields = tool.properties.filter((property) => property.name === 'toolDescription');
		expect(fields).toHaveLength(names.length);
		for (const field of fields) {
			expect(field.displayOptions?.show?.['@tool']).toEqual([true]);
			expect(typeof field.default).toBe('string');
			expect(String(field.default).startsWith('=')).toBe(false);
		}
		// Outside a tool the field is not there.
		expect(parametersOf(plain, { operation: 'get' }, 1.1)).not.toHaveProperty('toolDescription');
	});

	it('asks the model for the Number with a description (a tool without it would get an empty one)', () => {
		for (const version of [1, 1.1]) {
			for (const operation of ['get', 'checkStatus']) {
				expect(modelInputs(toolFor(operation, version).parameters)).toEqual([
					{ key: 'Number', description: NUMBER_FOR_MODEL, type: 'string', defaultValue: undefined },
				]);
			}
			expect(modelInputs(toolFor('list', version).parameters)).toEqual([]);
		}
		// In a workflow the Number field starts empty, From List, as before.
		expect(parametersOf(plain, { operation: 'get' }, 1.1).numberId).toEqual({
			__rl: true,
			mode: 'list',
			value: '',
		});
	});

	it('turns Simplify on by default only for tools from version 1.1: saved version 1 nodes keep their output', () => {
		const simplify = (type: typeof plain, version: number, operation: string) =>
			parametersOf(type, { operation }, version).simplify;
		for (const operation of ['list', 'get']) {
			expect(simplify(plain, 1, operation)).toBe(false);
			expect(simplify(tool, 1, operation)).toBe(false);
			expect(simplify(plain, 1.1, operation)).toBe(false);
			expect(simplify(tool, 1.1, operation)).toBe(true);
		}
		expect(parametersOf(tool, { operation: 'checkStatus' }, 1.1)).not.toHaveProperty('simplify');
		expect(plain.version).toEqual([1, 1.1]);
		expect(plain.defaultVersion).toBe(1.1);
	});
});

describe('the actions', () => {
	// The rule of n8n's scanner (eslint-plugin-n8n-nodes-base, node-param-operation-option-action-
	// miscased), which skips options given as a variable, as ours are: sentence case after leaving
	// out ALL-CAPS words, checked with the same sentence-case package.
	const plugin = path.dirname(require.resolve('eslint-plugin-n8n-nodes-base/package.json'));
	const { sentenceCase } = require(require.resolve('sentence-case', { paths: [plugin] })) as {
		sentenceCase: (text: string) => string;
	};
	const isSentenceCase = (sentence: string) => {
		const rest = sentence
			.split(' ')
			.filter((word) => word !== word.toUpperCase())
			.join(' ');
		return rest === sentenceCase(rest);
	};

	it.each(names)('of %s is sentence case, with no punctuation, as the scanner wants', (name) => {
		const { action } = operations[name as keyof typeof operations].option;
		expect(isSentenceCase(action)).toBe(true);
		expect(action).toMatch(/^[A-Za-z0-9 ]+$/);
	});

	it('would catch what the scanner catches', () => {
		expect(isSentenceCase('Get a Number')).toBe(false);
		expect(isSentenceCase("Check a number's live status")).toBe(false);
		expect(isSentenceCase('Get a number')).toBe(true);
	});
});
