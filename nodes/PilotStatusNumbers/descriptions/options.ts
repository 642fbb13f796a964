import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../shared/pool';

/** Settings shared by every operation; later options add their own displayOptions where they differ. */
export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many requests may be in flight at once, across all items. 1 sends them one after another. Output order is always the input order, and a rate limit (HTTP 429) slows the node down on its own.',
		},
		{
			displayName: 'Include Details',
			name: 'includeDetails',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['list'] } },
			description:
				"Whether to return each listed number's full detail (health and Meta data) instead of the list entry. Filters and Limit apply first, so only the numbers returned are fetched.",
		},
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
