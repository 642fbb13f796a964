import type { INodeProperties } from 'n8n-workflow';

/** Settings shared by every operation; later options add their own displayOptions where they differ. */
export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: [
				{
					name: 'Flattened',
					value: 'flattened',
					description:
						'One column per field (health_qualityRating, meta_phone_displayPhoneNumber, ...), ready for spreadsheets and IF nodes',
				},
				{
					name: 'Raw',
					value: 'raw',
					description: "The API's JSON unchanged, one item per number",
				},
			],
			default: 'flattened',
			description: 'How each number is shaped in the output',
		},
	],
};
