import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemNote } from '../../shared/audience';
import type { ConcurrencySetting } from '../../shared/concurrencyLimit';
import { concurrencySetting } from '../../shared/concurrencyLimit';
import { inputError } from '../../shared/errors';
import { flattenWithShape } from '../../shared/flatten';
import { detailShape, listItemShape } from '../../shared/numberShapes';
import type { RequestSettings, WholeNumberSetting } from '../../shared/settings';
import { CONCURRENCY, MAX_RETRIES, TIMEOUT } from '../../shared/settings';
import { SIMPLE_DETAIL, SIMPLE_LIST_ITEM, simplify } from '../../shared/simplify';
import type { PilotStatusNumber } from '../../shared/types';

/*
 * The node's parameters as the operations read them: each checked where it is read, with an error
 * that names the item and the field and says what to enter instead. The Number field has its own
 * reader, resolveNumber.ts.
 */

/** A bad parameter value, short, for a message. */
function shown(value: unknown): string {
	if (value === null || value === undefined || value === '') return 'empty';
	if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * A whole-number setting an expression may have set to anything, checked against the setting's
 * bounds (settings.ts); its default when the parameter is not set.
 */
export function readWholeNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	setting: WholeNumberSetting,
): number {
	const { path, label, min, max, unit } = setting;
	const raw: unknown = ctx.getNodeParameter(path, itemIndex, setting.default);
	// An expression over a spreadsheet or a webhook often gives digits as text: "10" means 10.
	const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
	if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
		return value;
	const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
	throw inputError(
		ctx.getNode(),
		`${label} must be a whole number ${range}${itemNote(ctx.getNode(), itemIndex)}: it is ${shown(value)}`,
		`Set ${label} to a whole number of ${unit} ${range}, or fix the expression that gives it.`,
		itemIndex,
	);
}

/** The Timeout and Max Retries options, read in this one place and handed to the transport. */
export function readRequestSettings(ctx: IExecuteFunctions, itemIndex: number): RequestSettings {
	return {
		timeoutMs: readWholeNumber(ctx, itemIndex, TIMEOUT),
		maxRetries: readWholeNumber(ctx, itemIndex, MAX_RETRIES),
	};
}

/** Options → Concurrency, read once per node run (from the first item): 0, the default, is Auto. */
export function readConcurrency(ctx: IExecuteFunctions): ConcurrencySetting {
	return concurrencySetting(readWholeNumber(ctx, 0, CONCURRENCY));
}

/** Options → Output is Raw: the API's JSON unchanged instead of flattened columns. */
export function wantsRawOutput(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('options.output', itemIndex, 'flattened') === 'raw';
}

/** Which documented columns flattened numbers always carry: a list entry's or a detail's. */
export type NumberShape = 'list' | 'detail';

/**
 * Shapes numbers as the Output option asks: flattened columns (the default) or the API's JSON;
 * flattened and Simplify on, only the essential columns (simplify.ts). Raw wins over Simplify.
 */
export function formatNumbers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	numbers: PilotStatusNumber[],
	shape: NumberShape,
): IDataObject[] {
	if (wantsRawOutput(ctx, itemIndex)) return numbers;
	const columns = shape === 'detail' ? detailShape : listItemShape;
	const flat = numbers.map((number) => flattenWithShape(number, columns));
	if (!(ctx.getNodeParameter('simplify', itemIndex, false) as boolean)) return flat;
	const simple = shape === 'detail' ? SIMPLE_DETAIL : SIMPLE_LIST_ITEM;
	return flat.map((number) => simplify(number, simple));
}
