import { getNumber } from '../../shared/transport';
import { numberLocator } from '../descriptions/numberLocator';
import { defineOperation } from './operation';
import { formatNumbers, readNumberId, readRequestSettings } from './parameters';

/** One number's full detail: connection, health and, for Meta numbers, the Meta snapshot. */
export const get = defineOperation({
	option: {
		name: 'Get',
		value: 'get',
		description: "Get one number's connection, health and Meta details",
		action: 'Get a number',
	},
	properties: [
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
	],
	async execute(itemIndex) {
		const numberId = readNumberId(this, itemIndex);
		const refresh = this.getNodeParameter('refresh', itemIndex, false) as boolean;
		const settings = readRequestSettings(this, itemIndex);
		const number = await getNumber(this, numberId, refresh, { itemIndex, settings });
		return formatNumbers(this, itemIndex, [number], 'detail');
	},
});
