import type { IDataObject } from 'n8n-workflow';

import { flattenObject } from '../../shared/flatten';
import { getNumberStatus } from '../../shared/transport';
import { numberLocator } from '../descriptions/numberLocator';
import { defineOperation } from './operation';
import { readRequestSettings, wantsRawOutput } from './parameters';
import { askNumber } from './resolveNumber';

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
	toolDescription:
		"Ask PilotStatus to check one WhatsApp number's connection live, right now, rather than report the state it last saw (slower than the other tools). Returns the number's id and what PilotStatus reports, such as state, isFullyConnected and when it checked. Use it when the user asks whether a number is connected or working at this moment. Identify the number by its id from the List numbers tool (e.g. wa_abc) or by its phone number in any format (e.g. +55 11 98888-7777).",
	properties: [...numberLocator],
	async execute(itemIndex) {
		const settings = readRequestSettings(this, itemIndex);
		const scope = { itemIndex, settings };
		const { numberId, answer: status } = await askNumber(
			this,
			itemIndex,
			scope,
			async (id) => await getNumberStatus(this, id, scope),
		);
		const merged: IDataObject = { id: numberId, ...status };
		merged.id = numberId;
		return [wantsRawOutput(this, itemIndex) ? merged : flattenObject(merged)];
	},
});
