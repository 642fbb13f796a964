import { checkNumberId } from '../../shared/numberId';
import { getNumber } from '../../shared/transport';
import { numberLocator } from '../descriptions/numberLocator';
import { simplifyProperties } from '../descriptions/simplify';
import { defineOperation } from './operation';
import { formatNumbers, readBoolean, readRequestSettings } from './parameters';
import { askNumber } from './resolveNumber';

/** One number's full detail: connection, health and, for Meta numbers, the Meta snapshot. */
export const get = defineOperation({
	option: {
		name: 'Get',
		value: 'get',
		description: "Get one number's connection, health and Meta details",
		action: 'Get a number',
	},
	toolDescription:
		"Get one WhatsApp number of the PilotStatus account with its health: state and isFullyConnected (the connection PilotStatus last saw), health_qualityRating (Meta's quality rating: GREEN, YELLOW or RED), health_messagingLimitTier, health_metaStatus and health_sendable (true when messages can be sent from it now), and for Meta numbers the verified business name and account. Identify the number by its id from the List numbers tool (e.g. wa_abc) or by its phone number in any format (e.g. +55 11 98888-7777).",
	properties: [
		...numberLocator,
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
		...simplifyProperties,
	],
	async execute(itemIndex) {
		const settings = readRequestSettings(this, itemIndex);
		const scope = { itemIndex, settings };
		const refresh = readBoolean(this, itemIndex, { path: 'refresh', label: 'Refresh' });
		const { numberId, answer: number } = await askNumber(
			this,
			itemIndex,
			scope,
			async (id) => await getNumber(this, id, refresh, scope),
		);
		// The seed documents `id` in every detail; an answer without one still names the number
		// asked for, as Check Status does, so Simplify and later nodes can tell the items apart.
		const named = 'id' in checkNumberId(number.id) ? number : { ...number, id: numberId };
		return formatNumbers(this, itemIndex, [named], 'detail');
	},
});
