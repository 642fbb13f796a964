import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';
import { detailShape, listItemShape } from '../shared/numberShapes';
import { DEFAULT_CONCURRENCY, mapInPool } from '../shared/pool';
import { getNumber, listNumbers } from '../shared/transport';
import type { PilotStatusNumber } from '../shared/types';

/** With health, items have the main node's Get columns; without, its List columns. */
export function outputShape(includeHealth: boolean): ColumnShape {
	return includeHealth ? detailShape : listItemShape;
}

/**
 * Each number's detail (health included), in the order of `ids`, through the same bounded pool and
 * node-wide 429 throttle as the main node, so a large account polls fast without hammering the API.
 */
export async function fetchDetails(
	ctx: IPollFunctions,
	ids: string[],
): Promise<PilotStatusNumber[]> {
	return await mapInPool(
		ids.length,
		async (index) => await getNumber(ctx, ids[index], false),
		DEFAULT_CONCURRENCY,
	);
}

/**
 * The account's numbers as one poll sees them, flattened. The list alone gives the connection;
 * health needs one detail request per number. Any failed request fails the whole poll.
 */
export async function fetchNumbers(
	ctx: IPollFunctions,
	includeHealth: boolean,
): Promise<IDataObject[]> {
	const listed = await listNumbers(ctx);
	const shape = outputShape(includeHealth);
	if (!includeHealth) return listed.map((number) => flattenWithShape(number, shape));
	const ids = new Set<string>();
	for (const { id } of listed) if (typeof id === 'string' && id !== '') ids.add(id);
	const details = await fetchDetails(ctx, [...ids]);
	return details.map((number) => flattenWithShape(number, shape));
}
