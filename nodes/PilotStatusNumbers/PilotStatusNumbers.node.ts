import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationOptions, operations } from './actions/operations';
import { router } from './actions/router';
import { optionsCollection } from './descriptions/options';
import { searchNumbers } from './methods/listSearch';

export class PilotStatusNumbers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PilotStatus Numbers',
		name: 'pilotStatusNumbers',
		icon: {
			light: 'file:../../icons/pilotStatus.svg',
			dark: 'file:../../icons/pilotStatus.dark.svg',
		},
		group: ['transform'],
		// 1.1: Simplify is on by default when the node is an AI tool; version 1 nodes keep their output.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'List your PilotStatus WhatsApp numbers and check their connection and health',
		defaults: { name: 'PilotStatus Numbers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pilotStatusApi', required: true }],
		properties: [
			{
				// One resource: n8n names each operation's AI tool after its resource and action.
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Number', value: 'number' }],
				default: 'number',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['number'] } },
				options: operationOptions,
				default: 'list',
			},
			...Object.values(operations).flatMap((operation) => operation.properties),
			optionsCollection,
		],
	};

	methods = { listSearch: { searchNumbers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
