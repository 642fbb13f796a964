import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { getDetails } from '../shared/details';
import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';
import type { NumberId } from '../shared/numberId';
import { checkNumberId } from '../shared/numberId';
import { detailShape, listItemShape } from '../shared/numberShapes';
import { valuesOrFirstFailure } from '../shared/pool';
import { listNumbers } from '../shared/transport';

/** With health, items have the main node's Get columns; without, its List columns. */
export function outputShape(includeHealth: boolean): ColumnShape {
	return includeHealth ? detailShape : listItemShape;
}

/**
 * The account's numbers as one poll sees them, flattened. The list alone gives the connection;
 * health needs one detail request per number (getDetails). Any failed request fails the poll.
 */
export async function fetchNumbers(
	ctx: IPollFunctions,
	includeHealth: boolean,
): Promise<IDataObject[]> {
	const listed = await listNumbers(ctx);
	const shape = outputShape(includeHealth);
	if (!includeHealth) return listed.map((number) => flattenWithShape(number, shape));
	const ids = new Set<NumberId>();
	for (const { id } of listed) {
		const checked = checkNumberId(id);
		if ('id' in checked) ids.add(checked.id);
	}
	const details = valuesOrFirstFailure(await getDetails(ctx, [...ids]));
	return details.map((number) => flattenWithShape(number, shape));
}
