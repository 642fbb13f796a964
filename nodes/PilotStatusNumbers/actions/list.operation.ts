import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getDetails } from '../../shared/details';
import type { NumberFilters } from '../../shared/filters';
import { filterNumbers } from '../../shared/filters';
import { checkNumberId } from '../../shared/numberId';
import { valuesOrFirstFailure } from '../../shared/pool';
import type { WholeNumberSetting } from '../../shared/settings';
import { numberField } from '../../shared/settings';
import type { RequestScope } from '../../shared/transport';
import { listNumbers } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';
import { defineOperation } from './operation';
import { formatNumbers, readRequestSettings, readWholeNumber } from './parameters';

/** List's Limit: 1 or more; a huge limit simply returns every number. */
const LIMIT: WholeNumberSetting = {
	path: 'limit',
	label: 'Limit',
	default: 50,
	min: 1,
	max: Number.MAX_SAFE_INTEGER,
	unit: 'numbers',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		...numberField(LIMIT),
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

/** Every number of the account (`GET /v1/numbers`), filtered inside n8n, up to Limit. */
export const list = defineOperation({
	option: {
		name: 'List',
		value: 'list',
		description: 'List every WhatsApp number of the account',
		action: 'List numbers',
	},
	properties,
	async execute(itemIndex) {
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const filters = this.getNodeParameter('filters', itemIndex, {}) as NumberFilters;
		const limit = returnAll ? undefined : readWholeNumber(this, itemIndex, LIMIT);
		const scope: RequestScope = { itemIndex, settings: readRequestSettings(this, itemIndex) };
		const numbers = filterNumbers(await listNumbers(this, scope), filters);
		const selected = limit === undefined ? numbers : numbers.slice(0, limit);
		if (!(this.getNodeParameter('options.includeDetails', itemIndex, false) as boolean)) {
			return formatNumbers(this, itemIndex, selected, 'list');
		}
		return formatNumbers(this, itemIndex, await withDetails(this, selected, scope), 'detail');
	},
});

/**
 * Each listed number's detail, in list order; the first failure (in list order) fails the item. A
 * number without a usable id cannot be fetched and stays as listed.
 */
async function withDetails(
	ctx: IExecuteFunctions,
	numbers: PilotStatusNumber[],
	scope: RequestScope,
): Promise<PilotStatusNumber[]> {
	const ids = numbers.map((number) => checkNumberId(number.id));
	const fetchable = ids.flatMap((checked) => ('id' in checked ? [checked.id] : []));
	const details = valuesOrFirstFailure(await getDetails(ctx, fetchable, scope));
	let next = 0;
	return numbers.map((number, index) => ('id' in ids[index] ? details[next++] : number));
}
