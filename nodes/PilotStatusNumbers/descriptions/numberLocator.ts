import type { INodeProperties } from 'n8n-workflow';

/** The number a Get (or any per-number operation) acts on: picked from a list, or an ID. */
export const numberLocator: INodeProperties = {
	displayName: 'Number',
	name: 'numberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WhatsApp number to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a number...',
			typeOptions: {
				searchListMethod: 'searchNumbers',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. wa_abc',
			hint: 'The id field of a List step, e.g. {{ $json.id }}',
		},
	],
};
