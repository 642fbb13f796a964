import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../shared/errors';
import { flattenWithShape } from '../../shared/flatten';
import { checkNumberId } from '../../shared/numberId';
import { detailShape, listItemShape } from '../../shared/numberShapes';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../shared/pool';
import { DEFAULT_MAX_RETRIES } from '../../shared/retry';
import type { RequestSettings } from '../../shared/transport';
import { DEFAULT_TIMEOUT_MS } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';
import { MAX_RETRIES, MAX_TIMEOUT_MS } from '../descriptions/options';

/** The `numberId` resource locator's value, checked: an id that can be sent (see checkNumberId). */
export function readNumberId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value: unknown = ctx.getNodeParameter('numberId', itemIndex, undefined, {
		extractValue: true,
	});
	const checked = checkNumberId(value, ` (item ${itemIndex})`);
	if ('problem' in checked) {
		throw inputError(
			ctx.getNode(),
			checked.problem,
			'Pick a number from the list, or give its ID (e.g. wa_abc). From a previous List step use {{ $json.id }}.',
			itemIndex,
		);
	}
	return checked.id;
}

/** A bad parameter value, short, for a message. */
function shown(value: unknown): string {
	if (value === null || value === undefined || value === '') return 'empty';
	if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * A whole-number parameter an expression may have set to anything: checked against its range, with
 * an error naming the item and the field otherwise.
 */
function readWholeNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{
		name,
		label,
		min,
		max,
		fallback,
		unit,
	}: { name: string; label: string; min: number; max: number; fallback: number; unit: string },
): number {
	const raw: unknown = ctx.getNodeParameter(name, itemIndex, fallback);
	// An expression over a spreadsheet or a webhook often gives digits as text: "10" means 10.
	const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
	if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
		return value;
	const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
	throw inputError(
		ctx.getNode(),
		`${label} must be a whole number ${range} (item ${itemIndex}): it is ${shown(value)}`,
		`Set ${label} to a whole number of ${unit} ${range}, or fix the expression that gives it.`,
		itemIndex,
	);
}

/** List's Limit: 1 or more; a huge limit simply returns every number. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	return readWholeNumber(ctx, itemIndex, {
		name: 'limit',
		label: 'Limit',
		min: 1,
		max: Number.MAX_SAFE_INTEGER,
		fallback: 50,
		unit: 'numbers',
	});
}

/** The Timeout and Max Retries options, read in this one place and handed to the transport. */
export function readRequestSettings(ctx: IExecuteFunctions, itemIndex: number): RequestSettings {
	return {
		timeoutMs: readWholeNumber(ctx, itemIndex, {
			name: 'options.timeout',
			label: 'Timeout',
			min: 1,
			max: MAX_TIMEOUT_MS,
			fallback: DEFAULT_TIMEOUT_MS,
			unit: 'milliseconds',
		}),
		maxRetries: readWholeNumber(ctx, itemIndex, {
			name: 'options.maxRetries',
			label: 'Max Retries',
			min: 0,
			max: MAX_RETRIES,
			fallback: DEFAULT_MAX_RETRIES,
			unit: 'retries',
		}),
	};
}

/** Options → Concurrency, read once per node run (from the first item): requests in flight at once. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	return readWholeNumber(ctx, 0, {
		name: 'options.concurrency',
		label: 'Concurrency',
		min: 1,
		max: MAX_CONCURRENCY,
		fallback: DEFAULT_CONCURRENCY,
		unit: 'requests',
	});
}

export type NumberShape = 'list' | 'detail';

/** Options → Output is Raw: the API's JSON unchanged instead of flattened columns. */
export function wantsRawOutput(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('options.output', itemIndex, 'flattened') === 'raw';
}

/** Shapes numbers as the Output option asks: flattened columns (the default) or the API's JSON. */
export function formatNumbers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	numbers: PilotStatusNumber[],
	shape: NumberShape,
): IDataObject[] {
	if (wantsRawOutput(ctx, itemIndex)) return numbers;
	const columns = shape === 'detail' ? detailShape : listItemShape;
	return numbers.map((number) => flattenWithShape(number, columns));
}
