import type { IDataObject } from 'n8n-workflow';

/** The columns a simplified number keeps: some always (null when missing), some only when set. */
export interface SimpleColumns {
	always: string[];
	whenSet: string[];
}

const WHICH_AND_HOW = ['id', 'name', 'number', 'provider', 'state', 'isFullyConnected'];

/** A simplified list entry: which number it is and its connection. */
export const SIMPLE_LIST_ITEM: SimpleColumns = { always: WHICH_AND_HOW, whenSet: [] };

/**
 * A simplified detail: the list entry's columns, the health columns, and the Meta columns that say
 * who the number is and under which business account, only for numbers that have them (Meta
 * numbers). Left out: timestamps, `apiKeys`, the Meta columns that repeat the health ones, and the
 * business profile.
 */
export const SIMPLE_DETAIL: SimpleColumns = {
	always: [
		...WHICH_AND_HOW,
		'health_qualityRating',
		'health_messagingLimitTier',
		'health_metaStatus',
		'health_sendable',
	],
	whenSet: [
		'meta_phone_verifiedName',
		'meta_phone_displayPhoneNumber',
		'meta_waba_id',
		'meta_waba_name',
		'meta_waba_businessVerificationStatus',
		'meta_fetchedAt',
	],
};

/** A simplified listed number's detail (List with Include Details): `detailError` only when set. */
export const SIMPLE_LISTED_DETAIL: SimpleColumns = {
	always: SIMPLE_DETAIL.always,
	whenSet: [...SIMPLE_DETAIL.whenSet, 'detailError'],
};

/**
 * One flattened number reduced to `columns`, in their order: the Simplify option, for a person who
 * wants the essentials and for a model, which reads every character (a List of 8 numbers: 2,324
 * characters in full, 990 simplified, measured as MCP replies in n8n 2.41.1).
 */
export function simplify(flat: IDataObject, columns: SimpleColumns): IDataObject {
	const simple: IDataObject = {};
	for (const column of columns.always) simple[column] = flat[column] ?? null;
	for (const column of columns.whenSet) {
		const value = flat[column];
		if (value !== null && value !== undefined) simple[column] = value;
	}
	return simple;
}
