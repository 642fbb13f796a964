import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { NumberFilters } from '../../shared/filters';
import { filterNumbers } from '../../shared/filters';
import { mapInPool } from '../../shared/pool';
import { listNumbers } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';
import { formatNumbers, readConcurrency, readLimit, readRequestSettings } from './parameters';
import { fetchNumber } from './sharedRequests';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'PilotStatus always returns every number; these filters are applied to that list inside n8n, before the limit',
		options: [
			{
				displayName: 'Connected Only',
				name: 'connectedOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep only numbers that are fully connected (isFullyConnected is true)',
			},
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				options: [
					{ name: 'Meta Cloud API', value: 'META' },
					{ name: 'PilotStatus (QR)', value: 'PILOT_STATUS' },
				],
				default: 'META',
				description: 'Keep only numbers of this provider',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme or +55 11 9999',
				description:
					'Keep only numbers whose name or phone number contains this text (case-insensitive; phone numbers compare by digits)',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'string',
				default: '',
				placeholder: 'e.g. OPEN',
				description: 'Keep only numbers in this connection state (case-insensitive), e.g. OPEN',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['list'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as NumberFilters;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const numbers = filterNumbers(
		await listNumbers(this, itemIndex, readRequestSettings(this, itemIndex)),
		filters,
	);
	const selected = limit === undefined ? numbers : numbers.slice(0, limit);
	if (!(this.getNodeParameter('options.includeDetails', itemIndex, false) as boolean)) {
		return formatNumbers(this, itemIndex, selected, 'list');
	}
	return formatNumbers(this, itemIndex, await fetchDetails(this, itemIndex, selected), 'detail');
}

/**
 * Each listed number's detail, through the node's pool, in list order; the first failure (in list
 * order) fails the item. A number without an id cannot be fetched and stays as listed.
 */
async function fetchDetails(
	ctx: IExecuteFunctions,
	itemIndex: number,
	numbers: PilotStatusNumber[],
): Promise<PilotStatusNumber[]> {
	return await mapInPool(
		numbers.length,
		async (index) => {
			const { id } = numbers[index];
			return typeof id === 'string' && id !== ''
				? await fetchNumber(ctx, id, false, itemIndex)
				: numbers[index];
		},
		readConcurrency(ctx),
	);
}
