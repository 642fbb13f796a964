import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { numberLocator } from '../descriptions/numberLocator';
import { formatNumbers, readNumberId } from './parameters';
import { fetchNumber } from './sharedRequests';

const properties: INodeProperties[] = [
	numberLocator,
	{
		displayName: 'Refresh',
		name: 'refresh',
		type: 'boolean',
		default: false,
		description:
			'Whether to fetch live data from the Meta Graph instead of the last saved snapshot. Slower, and only matters for Meta numbers; PilotStatus saves the fresh snapshot.',
		// Shown under the toggle: the trade-off matters before switching it on for every item.
		hint: 'On: a live Meta Graph fetch per number (slower). For a live connection check the API suggests Check Status.',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const numberId = readNumberId(this, itemIndex);
	const refresh = this.getNodeParameter('refresh', itemIndex, false) as boolean;
	const number = await fetchNumber(this, numberId, refresh, itemIndex);
	return formatNumbers(this, itemIndex, [number], 'detail');
}
