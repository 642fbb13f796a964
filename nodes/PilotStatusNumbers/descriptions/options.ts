import type { INodeProperties } from 'n8n-workflow';

import { CONCURRENCY, MAX_RETRIES, numberField, TIMEOUT } from '../../shared/settings';

/** Settings shared by every operation; later options add their own displayOptions where they differ. */
export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			...numberField(CONCURRENCY),
			hint: `0 is Auto: as many at once as PilotStatus keeps up with, up to ${CONCURRENCY.max}`,
			description:
				'How many requests may be in flight at once, across all items. 0 (default) is Auto: it starts at 5, sends more while that brings more answers per second, and fewer when PilotStatus slows down or pushes back (HTTP 429, 503). A number fixes the most at once; 1 sends them one after another. Output order is always the input order, and a rate limit (HTTP 429) slows the node down on its own.',
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
			...numberField(MAX_RETRIES),
			description:
				'How many times to send a request again when PilotStatus is rate limiting (429), briefly unavailable (502, 503, 504) or unreachable, waiting longer each time and as long as it asks (Retry-After, up to 30 s). 0 disables retries. Other errors are never retried.',
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
		{
			...numberField(TIMEOUT),
			description:
				'How long, in milliseconds, each attempt may take, from sending the request to the last byte of the answer, before it is given up (and retried, see Max Retries)',
		},
	],
};
