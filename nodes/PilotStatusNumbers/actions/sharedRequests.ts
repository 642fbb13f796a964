import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { once } from '../../shared/dedupe';
import { getNumber, getNumberStatus } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';
import { readRequestSettings } from './parameters';

/*
 * The per-number requests of a node run, each sent once however many items ask for it: the same
 * id with the same Refresh flag is one request, its answer shared.
 */

export async function fetchNumber(
	ctx: IExecuteFunctions,
	numberId: string,
	refresh: boolean,
	itemIndex: number,
): Promise<PilotStatusNumber> {
	return await once(ctx, JSON.stringify(['detail', numberId, refresh]), () =>
		getNumber(ctx, numberId, refresh, itemIndex, readRequestSettings(ctx, itemIndex)),
	);
}

export async function fetchNumberStatus(
	ctx: IExecuteFunctions,
	numberId: string,
	itemIndex: number,
): Promise<IDataObject> {
	return await once(ctx, JSON.stringify(['status', numberId]), () =>
		getNumberStatus(ctx, numberId, itemIndex, readRequestSettings(ctx, itemIndex)),
	);
}
