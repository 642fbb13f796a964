import type { INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TriggerEvent } from './changes';

export const properties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{
				name: 'Connection Changed',
				value: 'connectionChanged',
				description: 'A number connected or disconnected: its state or isFullyConnected changed',
			},
			{
				name: 'Health Changed',
				value: 'healthChanged',
				description:
					'Quality rating, messaging limit tier, Meta status or sendable changed. Needs Include Health.',
			},
			{
				name: 'Number Added',
				value: 'numberAdded',
				description: 'A number appeared in the account',
			},
			{
				name: 'Number Removed',
				value: 'numberRemoved',
				description: 'A number disappeared from the account',
			},
		],
		default: ['connectionChanged', 'healthChanged', 'numberAdded', 'numberRemoved'],
		description: 'Which changes start the workflow. Each change becomes one item.',
	},
	{
		displayName: 'Include Health',
		name: 'includeHealth',
		type: 'boolean',
		default: true,
		description:
			"Whether each poll also fetches every number's detail (one request per number) to watch its health. Off: one request per poll, connection and added/removed only, and items have the List columns.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit on First Poll',
				name: 'emitOnFirstPoll',
				type: 'boolean',
				default: false,
				description:
					'Whether the first poll reports every current number once, as Number Added. Off: the first poll only remembers the numbers, and changes are reported from the next poll on.',
			},
		],
	},
];

export interface TriggerSettings {
	events: TriggerEvent[];
	includeHealth: boolean;
	emitOnFirstPoll: boolean;
}

/** The trigger's parameters, checked: a combination that could never fire is an error the user sees. */
export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const events = ctx.getNodeParameter('events', []) as TriggerEvent[];
	const includeHealth = ctx.getNodeParameter('includeHealth', true) as boolean;
	const emitOnFirstPoll = ctx.getNodeParameter('options.emitOnFirstPoll', false) as boolean;
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No event is selected in Events', {
			description: 'Pick at least one change to watch, e.g. Connection Changed.',
		});
	}
	if (events.includes('healthChanged') && !includeHealth) {
		throw new NodeOperationError(ctx.getNode(), 'Health Changed needs Include Health', {
			description:
				"Health is only in each number's detail. Turn Include Health on, or remove Health Changed from Events.",
		});
	}
	return { events, includeHealth, emitOnFirstPoll };
}
