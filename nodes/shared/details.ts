import { answerError, endedByDeadline, prefixedError, quoteId } from './errors';
import type { PilotStatusContext } from './nodeRun';
import { nodeRun } from './nodeRun';
import type { NumberId } from './numberId';
import type { Outcome } from './pool';
import { runPool } from './pool';
import type { RequestScope } from './transport';
import { getNumber } from './transport';
import type { PilotStatusNumber } from './types';

/*
 * Many numbers' details at once, for List with Include Details and the trigger, and the policy both
 * follow: one number whose detail cannot be read does not stop the others; it is shown with a
 * message naming it; only when no detail at all could be read is it not about the numbers, and the
 * run fails.
 */

/**
 * The detail as the number's own: one without an id gets the id asked for; one naming another
 * number is refused, because its health would be reported for the wrong number.
 */
function ownDetail(ctx: PilotStatusContext, id: NumberId, detail: PilotStatusNumber) {
	const answered: unknown = detail.id;
	if (answered === undefined || answered === null || answered === '') return { ...detail, id };
	if (answered === id) return detail;
	const other = typeof answered === 'string' ? quoteId(answered) : JSON.stringify(answered);
	throw answerError(
		ctx.getNode(),
		`PilotStatus answered GET /v1/numbers/{id} for number ${quoteId(id)} with number ${other}`,
		`That detail is another number's, so it is not used for ${quoteId(id)}. Check the Base URL in the credential: a proxy or cache in front of PilotStatus may be mixing up answers.`,
	);
}

/**
 * How reading one number's detail ended: read; failed; or `cut` by the caller's deadline, with
 * what stopped it (no error when it never started).
 */
export type DetailOutcome =
	| { ok: true; value: PilotStatusNumber }
	| { ok: false; error: unknown; cut?: true };

/**
 * The detail (`GET /v1/numbers/{id}`, without Refresh) of each number, in the order of `ids`,
 * through the run's pool and throttle, so many numbers go fast without hammering the API. Each
 * outcome is its own: one number's failure does not stop the others, and the caller decides what
 * a failure means (List with Include Details, the trigger). Every detail carries the id asked for.
 *
 * With a deadline in the scope's settings (the trigger's poll budget), a detail not read by then
 * (not started, cut at the deadline, or failed with a retry the deadline left no time for) is
 * `cut`: not a failure of its number. (The trigger's Timeout and retries let a request started at
 * the beginning of a poll end before its deadline: see pollLimits.ts.)
 */
export async function getDetails(
	ctx: PilotStatusContext,
	ids: NumberId[],
	scope: RequestScope = {},
): Promise<DetailOutcome[]> {
	const deadline = scope.settings?.deadline;
	const late = () => deadline !== undefined && Date.now() >= deadline;
	const outcomes = await runPool(
		ids.length,
		async (index): Promise<DetailOutcome> => {
			if (late()) return { ok: false, error: undefined, cut: true };
			try {
				const detail = await getNumber(ctx, ids[index], false, scope);
				return { ok: true, value: ownDetail(ctx, ids[index], detail) };
			} catch (error) {
				// A failure whose retry the deadline left no time for says nothing about its number either.
				return late() || endedByDeadline(error)
					? { ok: false, error, cut: true }
					: { ok: false, error };
			}
		},
		{
			concurrency: () => nodeRun(ctx).width,
			stopAtFailure: false,
		},
	);
	// The tasks settle their own failures: every outcome is a fulfilled one.
	return outcomes.map((outcome) => (outcome as Outcome<DetailOutcome> & { ok: true }).value);
}

/** How one number's failed detail is shown: `Could not read the detail of number 'wa_x': <why>`. */
export function detailProblem(id: string, error: unknown): string {
	const why = error instanceof Error ? error.message : String(error);
	return `Could not read the detail of number ${quoteId(id)}: ${why}`;
}

/** When details were asked for and none could be read: how many were tried and cut, and the first one's failure. */
export interface NoneRead {
	/** Details that failed for their number. */
	tried: number;
	/** Details the caller's deadline cut after they were sent (not tried: that says nothing about the number). */
	cut: number;
	/** The first tried in the order given, else the first cut. */
	id: string;
	error: unknown;
}

/**
 * Whether details were sent and none could be read: then it is not one broken number but
 * PilotStatus (or the key, or its speed) failing for all. A detail the caller's deadline cut is not
 * counted as tried, since that says nothing about its number (review of issue 15: a poll whose time
 * went to a few hanging details does not name them as "all tried"), and is named only when no
 * detail was tried at all; details never sent do not count.
 */
export function noneRead(
	asked: Array<{ id: string; outcome: DetailOutcome }>,
): NoneRead | undefined {
	if (asked.some(({ outcome }) => outcome.ok)) return undefined;
	const failed = asked.flatMap(({ id, outcome }) =>
		outcome.ok || outcome.error === undefined
			? []
			: [{ id, error: outcome.error, cut: outcome.cut }],
	);
	const tried = failed.filter((failure) => !failure.cut);
	const [first] = tried.length > 0 ? tried : failed;
	if (!first) return undefined;
	return {
		tried: tried.length,
		cut: failed.length - tried.length,
		id: first.id,
		error: first.error,
	};
}

/**
 * Fails the run when details were asked for and none could be read (noneRead): the error is the
 * first one's, naming its number and how many were tried.
 */
export function throwIfNoneRead(
	ctx: PilotStatusContext,
	asked: Array<{ id: string; outcome: DetailOutcome }>,
): void {
	const none = noneRead(asked);
	if (!none) return;
	throw prefixedError(
		ctx.getNode(),
		`No number's detail could be read (${none.tried} tried); the first, number ${quoteId(none.id)}: `,
		none.error,
	);
}
