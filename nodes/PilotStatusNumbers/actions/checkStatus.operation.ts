import type { IDataObject } from 'n8n-workflow';

import { flattenObject } from '../../shared/flatten';
import { getNumberStatus } from '../../shared/transport';
import { numberLocator } from '../descriptions/numberLocator';
import { defineOperation } from './operation';
import { readNumberId, readRequestSettings, wantsRawOutput } from './parameters';

/**
 * The live status PilotStatus reports for one number. Its shape is not documented, so whatever
 * JSON object comes back is returned, flattened unless Output is Raw, with `id` always the number
 * that was asked about.
 */
export const checkStatus = defineOperation({
	option: {
		name: 'Check Status',
		value: 'checkStatus',
		description: "Ask PilotStatus for a live check of one number's connection",
		action: 'Check the live status of a number',
	},
	properties: [numberLocator],
	async execute(itemIndex) {
		const numberId = readNumberId(this, itemIndex);
		const settings = readRequestSettings(this, itemIndex);
		const status = await getNumberStatus(this, numberId, { itemIndex, settings });
		const merged: IDataObject = { id: numberId, ...status };
		merged.id = numberId;
		return [wantsRawOutput(this, itemIndex) ? merged : flattenObject(merged)];
	},
});
