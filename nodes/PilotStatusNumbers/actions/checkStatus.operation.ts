import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flattenObject } from '../../shared/flatten';
import { numberLocator } from '../descriptions/numberLocator';
import { readNumberId, wantsRawOutput } from './parameters';
import { fetchNumberStatus } from './sharedRequests';

export const description = updateDisplayOptions({ show: { operation: ['checkStatus'] } }, [
	numberLocator,
]);

/**
 * The live status PilotStatus reports for one number. Its shape is not documented, so whatever
 * JSON object comes back is returned, flattened unless Output is Raw, with `id` always the number
 * that was asked about.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const numberId = readNumberId(this, itemIndex);
	const status = await fetchNumberStatus(this, numberId, itemIndex);
	const merged: IDataObject = { id: numberId, ...status };
	merged.id = numberId;
	return [wantsRawOutput(this, itemIndex) ? merged : flattenObject(merged)];
}
