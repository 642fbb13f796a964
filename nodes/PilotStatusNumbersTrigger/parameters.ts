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
				name: 'Health Check Failed',
				value: 'healthCheckFailed',
				description:
					"A number's detail could not be read, so its health is not being watched; detailError says why. Reported once, until it is read again. Needs Include Health.",
			},
			{
				name: 'Health Check Recovered',
				value: 'healthCheckRecovered',
				description:
					"A number's detail can be read again after Health Check Failed. Needs Include Health.",
			},
			{
				name: 'Number Added',
				value: 'numberAdded',
				description: 'A number appeared in the account',
			},
			{
				name: 'Number Removed',
				value: 'numberRemoved',
				description:
					'A number disappeared from the account: reported when two polls in a row do not list it',
			},
		],
		default: [
			'connectionChanged',
			'healthChanged',
			'healthCheckFailed',
			'healthCheckRecovered',
			'numberAdded',
			'numberRemoved',
		],
		description: 'Which changes start the workflow. Each change becomes one item.',
	},
	{
		displayName: 'Include Health',
		name: 'includeHealth',
		type: 'boolean',
		default: true,
		description:
			"Whether polls also read each number's detail (one request per number) to watch its health. What does not fit in a poll's time is read by the next polls, in turn. Off: one request per poll, connection and added/removed only, and items have the List columns.",
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

/** The events only a poll that reads details can report, with their names in Events. */
const HEALTH_EVENTS: Array<[TriggerEvent, string]> = [
	['healthChanged', 'Health Changed'],
	['healthCheckFailed', 'Health Check Failed'],
	['healthCheckRecovered', 'Health Check Recovered'],
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
	const needingHealth = HEALTH_EVENTS.filter(([event]) => events.includes(event));
	if (needingHealth.length > 0 && !includeHealth) {
		const names = needingHealth.map(([, name]) => name);
		const listed =
			names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
		const verb = names.length === 1 ? 'needs' : 'need';
		throw new NodeOperationError(ctx.getNode(), `${listed} ${verb} Include Health`, {
			description: `Health is only in each number's detail. Turn Include Health on, or remove ${names.length === 1 ? 'it' : 'them'} from Events.`,
		});
	}
	return { events, includeHealth, emitOnFirstPoll };
}
