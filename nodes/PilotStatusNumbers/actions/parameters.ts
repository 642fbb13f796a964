import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { detailShape, listItemShape } from '../../shared/numberShapes';
import { flattenWithShape } from '../../shared/flatten';
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

export type NumberShape = 'list' | 'detail';

/** Shapes numbers as the Output option asks: flattened columns (the default) or the API's JSON. */
export function formatNumbers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	numbers: PilotStatusNumber[],
	shape: NumberShape,
): IDataObject[] {
	const output = ctx.getNodeParameter('options.output', itemIndex, 'flattened') as string;
	if (output === 'raw') return numbers;
	const columns = shape === 'detail' ? detailShape : listItemShape;
	return numbers.map((number) => flattenWithShape(number, columns));
}
