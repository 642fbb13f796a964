import type { PilotStatusContext } from './nodeRun';
import { nodeRun } from './nodeRun';
import type { NumberId } from './numberId';
import type { Outcome } from './pool';
import { runPool } from './pool';
import type { RequestScope } from './transport';
import { getNumber } from './transport';
import type { PilotStatusNumber } from './types';

/**
 * The detail (`GET /v1/numbers/{id}`, without Refresh) of each number, in the order of `ids`,
 * through the run's pool and throttle, so many numbers go fast without hammering the API. Each
 * outcome is its own: one number's failure does not stop the others, and the caller decides what
 * a failure means (List with Include Details, the trigger).
 */
export async function getDetails(
	ctx: PilotStatusContext,
	ids: NumberId[],
	scope: RequestScope = {},
): Promise<Array<Outcome<PilotStatusNumber>>> {
	return await runPool(
		ids.length,
		async (index) => await getNumber(ctx, ids[index], false, scope),
		{
			concurrency: () => nodeRun(ctx).width,
			stopAtFailure: false,
		},
	);
}
