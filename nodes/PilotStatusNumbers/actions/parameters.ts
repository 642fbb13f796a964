import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fixedSettingHint, itemNote, modelGives, worded } from '../../shared/audience';
import type { ConcurrencySetting } from '../../shared/concurrencyLimit';
import { concurrencySetting } from '../../shared/concurrencyLimit';
import { inputError } from '../../shared/errors';
import type { NumberFilters } from '../../shared/filters';
import type { ColumnShape } from '../../shared/flatten';
import { flattenWithShape } from '../../shared/flatten';
import { detailShape, listedDetailShape, listItemShape } from '../../shared/numberShapes';
import type { RequestSettings, WholeNumberSetting } from '../../shared/settings';
import { CONCURRENCY, MAX_RETRIES, TIMEOUT } from '../../shared/settings';
import type { SimpleColumns } from '../../shared/simplify';
import {
	SIMPLE_DETAIL,
	SIMPLE_LISTED_DETAIL,
	SIMPLE_LIST_ITEM,
	simplify,
} from '../../shared/simplify';
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
	const unbounded = max === Number.MAX_SAFE_INTEGER;
	if (typeof value === 'number' && Number.isInteger(value) && value >= min) {
		// Without an upper bound, any larger whole number means "all" (1e20 is whole, if not safe).
		if (value <= max) return value;
		if (unbounded) return max;
	}
	const range = unbounded ? `${min} or more` : `from ${min} to ${max}`;
	const node = ctx.getNode();
	const fix = `set ${label} to a whole number of ${unit} ${range}`;
	// A model can only change what it gives through $fromAI(); the rest is the workflow's.
	const tool = modelGives(node, path)
		? `Call this tool again with ${label} set to a whole number ${range}.`
		: fixedSettingHint(label, fix);
	throw inputError(
		node,
		`${label} must be a whole number ${range}${itemNote(node, itemIndex)}: it is ${shown(value)}`,
		worded(node, {
			workflow: `Set ${label} to a whole number of ${unit} ${range}, or fix the expression that gives it.`,
			tool,
		}),
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

/**
 * A yes/no parameter (`path`, as `label` in messages) an expression may have set: a boolean, or
 * the text `true`/`false` in any case, as spreadsheets and webhooks give them; its default when
 * not set. Anything else is an error, never silently "on" (the text "false" is truthy).
 */
export function readBoolean(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ path, label, fallback = false }: { path: string; label: string; fallback?: boolean },
): boolean {
	return asBoolean(ctx, itemIndex, ctx.getNodeParameter(path, itemIndex, fallback), label);
}

/** `value` as readBoolean reads it (see there), for values taken out of a collection. */
function asBoolean(ctx: IExecuteFunctions, itemIndex: number, value: unknown, label: string) {
	if (typeof value === 'boolean') return value;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text === 'true' || text === 'false') return text === 'true';
	throw inputError(
		ctx.getNode(),
		`${label} must be true or false${itemNote(ctx.getNode(), itemIndex)}: it is ${shown(value)}`,
		`Switch ${label} on or off, or make the expression give true or false.`,
		itemIndex,
	);
}

/** Options → Output: `raw` (the API's JSON unchanged) or `flattened` (the default), in any case. */
export function wantsRawOutput(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const value: unknown = ctx.getNodeParameter('options.output', itemIndex, 'flattened');
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text === 'raw' || text === 'flattened') return text === 'raw';
	throw inputError(
		ctx.getNode(),
		`Output must be Flattened or Raw${itemNote(ctx.getNode(), itemIndex)}: it is ${shown(value)}`,
		'Pick Flattened or Raw, or make the expression give flattened or raw.',
		itemIndex,
	);
}

/**
 * List's Filters, each as the filter expects it: Provider, State and Search as text (a number an
 * expression gave, such as the start of a phone number, as its digits), Connected Only as yes/no.
 */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): NumberFilters {
	const given: unknown = ctx.getNodeParameter('filters', itemIndex, {});
	const filters = given !== null && typeof given === 'object' ? (given as IDataObject) : {};
	const text = (name: 'provider' | 'state' | 'search', label: string) => {
		const value = filters[name];
		if (value === undefined || value === null || typeof value === 'string')
			return value ?? undefined;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		throw inputError(
			ctx.getNode(),
			`Filters → ${label} must be text${itemNote(ctx.getNode(), itemIndex)}: it is ${shown(value)}`,
			`Type the ${label.toLowerCase()} to keep, or make the expression give text.`,
			itemIndex,
		);
	};
	return {
		provider: text('provider', 'Provider'),
		state: text('state', 'State'),
		search: text('search', 'Search'),
		connectedOnly:
			filters.connectedOnly === undefined
				? undefined
				: asBoolean(ctx, itemIndex, filters.connectedOnly, 'Filters → Connected Only'),
	};
}

/**
 * Which documented columns flattened numbers always carry, and which Simplify keeps: a list
 * entry's, a detail's, or a listed number's detail (with `detailError`).
 */
const SHAPES: Record<
	'list' | 'detail' | 'listedDetail',
	{ columns: ColumnShape; simple: SimpleColumns }
> = {
	list: { columns: listItemShape, simple: SIMPLE_LIST_ITEM },
	detail: { columns: detailShape, simple: SIMPLE_DETAIL },
	listedDetail: { columns: listedDetailShape, simple: SIMPLE_LISTED_DETAIL },
};
export type NumberShape = keyof typeof SHAPES;

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
	const flat = numbers.map((number) => flattenWithShape(number, SHAPES[shape].columns));
	if (!readBoolean(ctx, itemIndex, { path: 'simplify', label: 'Simplify' })) return flat;
	return flat.map((number) => simplify(number, SHAPES[shape].simple));
}
