import type { INodeProperties } from 'n8n-workflow';

/** The number a Get (or any per-number operation) acts on: picked from a list, an ID or a phone. */
const numberField: INodeProperties = {
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
		{
			displayName: 'By Phone Number',
			name: 'phone',
			type: 'string',
			placeholder: 'e.g. +55 11 98888-7777',
			hint: 'In any format, with or without the country code or the ninth digit; looked up in the list of numbers',
		},
	],
};

/** What a model is told about the Number input when the node is a tool. */
export const NUMBER_FOR_MODEL =
	'The WhatsApp number to act on: its id from the List numbers tool (e.g. wa_abc), or its phone number in any format (e.g. +55 11 98888-7777)';

/**
 * The Number field as the node shows it, twice: for workflows, and for AI tools. n8n builds a
 * tool's input schema only from the descriptions written inside `$fromAI()`, and the editor's
 * "let the model define this parameter" button writes an empty one (n8n 2.41.1), so the tool's
 * field defaults to the editor's own override expression with the description filled in: a new
 * tool node shows "Defined automatically by the model", and the model learns what to pass. In a
 * tool, an id-mode value that reads as a phone number is looked up as one (resolveNumber.ts).
 */
export const numberLocator: INodeProperties[] = [
	{ ...numberField, displayOptions: { show: { '@tool': [false] } } },
	{
		...numberField,
		default: {
			__rl: true,
			mode: 'id',
			value: `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('Number', \`${NUMBER_FOR_MODEL}\`, 'string') }}`,
		},
		displayOptions: { show: { '@tool': [true] } },
	},
];
