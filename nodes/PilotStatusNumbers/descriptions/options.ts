import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../shared/pool';
import { DEFAULT_MAX_RETRIES } from '../../shared/retry';
import { DEFAULT_TIMEOUT_MS } from '../../shared/transport';

export const MAX_RETRIES = 10;
export const MAX_TIMEOUT_MS = 600_000;

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
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_RETRIES, numberPrecision: 0 },
			default: DEFAULT_MAX_RETRIES,
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
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_MS, numberPrecision: 0 },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long, in milliseconds, PilotStatus may take to start answering, or pause while answering, before the request is given up (and retried, see Max Retries). A slow answer that keeps arriving is not cut.',
		},
	],
};
