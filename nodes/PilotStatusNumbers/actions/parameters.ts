import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { detailShape, listItemShape } from '../../shared/numberShapes';
import { flattenWithShape } from '../../shared/flatten';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../../shared/pool';
import type { PilotStatusNumber } from '../../shared/types';

/** The `numberId` resource locator's value, checked: a non-empty string. */
export function readNumberId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value: unknown = ctx.getNodeParameter('numberId', itemIndex, undefined, { extractValue: true });
	const id = typeof value === 'string' ? value.trim() : value;
	if (typeof id !== 'string' || id === '') {
		const got = typeof id === 'string' || id === undefined || id === null ? 'it is empty' : `it is ${typeof id === 'object' ? (Array.isArray(id) ? 'an array' : 'an object') : `a ${typeof id}`}`;
		throw new NodeOperationError(ctx.getNode(), `Number is required (item ${itemIndex}): ${got}`, {
			description:
				'Pick a number from the list, or give its ID (e.g. wa_abc). From a previous List step use {{ $json.id }}.',
			itemIndex,
		});
	}
	return id;
}

/** Options → Concurrency, read once per node run: a whole number from 1 to MAX_CONCURRENCY. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	const value: unknown = ctx.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY);
	const concurrency = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${JSON.stringify(value)}`,
			{ description: `Set Options → Concurrency to the number of requests that may be in flight at once (default ${DEFAULT_CONCURRENCY}).` },
		);
	}
	return concurrency;
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
