import { columnShape } from './flatten';

/*
 * The fields the PilotStatus API documents, in its order. Flattened output always carries these
 * columns, so Meta and non-Meta numbers map onto the same spreadsheet columns and IF conditions.
 * The README's column table lists the same names.
 */

const LIST_ITEM_FIELDS = {
	id: null,
	number: null,
	name: null,
	provider: null,
	state: null,
	isFullyConnected: null,
	createdAt: null,
	updatedAt: null,
};

const DETAIL_FIELDS = {
	...LIST_ITEM_FIELDS,
	health: {
		qualityRating: null,
		messagingLimitTier: null,
		metaStatus: null,
		sendable: null,
	},
	meta: {
		fetchedAt: null,
		phone: {
			displayPhoneNumber: null,
			verifiedName: null,
			qualityRating: null,
			messagingLimitTier: null,
			isPinEnabled: null,
		},
		profile: {
			about: null,
			email: null,
			websites: null,
			vertical: null,
		},
		waba: {
			id: null,
			name: null,
			currency: null,
			businessVerificationStatus: null,
			country: null,
		},
	},
};

export const listItemShape = columnShape({ ...LIST_ITEM_FIELDS, apiKeys: null });
export const detailShape = columnShape(DETAIL_FIELDS);
/**
 * A listed number with its detail (List with Include Details, the trigger with Include Health):
 * the detail's columns, then `detailError`, null when the detail was read, else why not (naming the
 * number); the other columns then hold what the list said.
 */
export const listedDetailShape = columnShape({ ...DETAIL_FIELDS, detailError: null });
