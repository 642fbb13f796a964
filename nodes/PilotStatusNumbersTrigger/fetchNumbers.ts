import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';
import { detailShape, listItemShape } from '../shared/numberShapes';
import { getNumber, listNumbers } from '../shared/transport';
import type { PilotStatusNumber } from '../shared/types';

/** With health, items have the main node's Get columns; without, its List columns. */
export function outputShape(includeHealth: boolean): ColumnShape {
	return includeHealth ? detailShape : listItemShape;
}

/** Each number's detail (health included), in the order of `ids`, one request at a time. */
export async function fetchDetails(ctx: IPollFunctions, ids: string[]): Promise<PilotStatusNumber[]> {
	const details: PilotStatusNumber[] = [];
	for (const id of ids) details.push(await getNumber(ctx, id, false));
	return details;
}

/**
 * The account's numbers as one poll sees them, flattened. The list alone gives the connection;
 * health needs one detail request per number. Any failed request fails the whole poll.
 */
export async function fetchNumbers(ctx: IPollFunctions, includeHealth: boolean): Promise<IDataObject[]> {
	const listed = await listNumbers(ctx);
	const shape = outputShape(includeHealth);
	if (!includeHealth) return listed.map((number) => flattenWithShape(number, shape));
	const ids = new Set<string>();
	for (const { id } of listed) if (typeof id === 'string' && id !== '') ids.add(id);
	const details = await fetchDetails(ctx, [...ids]);
	return details.map((number) => flattenWithShape(number, shape));
}
