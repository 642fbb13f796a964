import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { RequestSettings } from '../shared/settings';
import { DEFAULT_REQUEST_SETTINGS } from '../shared/settings';

/*
 * What n8n allows one poll, as read in n8n 2.41.1's poll-trigger-task-handler.js and
 * trigger-execution-context.factory.js and measured there (see the README's trigger guarantees).
 */

/**
 * The most time a poll spends, in ms, whatever n8n allows: the budget n8n 2.41's durable scheduler
 * gives a scheduled poll by default (its 45 s timeout less 20 %). Without that scheduler n8n gives
 * every poll 5 minutes, and n8n 1.x gives no budget at all, while polls can come every minute and
 * n8n does not stop a second one starting while the first still runs.
 */
export const MAX_POLL_BUDGET_MS = 36_000;

/** Kept free at the end of the budget for n8n's own work after the poll: a tenth, at most 2 s. */
export function marginMs(budgetMs: number): number {
	return Math.min(2_000, Math.floor(budgetMs / 10));
}

export interface PollLimits {
	/** The poll's time budget in ms: n8n's, at most MAX_POLL_BUDGET_MS. */
	budgetMs: number;
	/** When the poll's requests must be over (epoch ms): its start plus the budget less the margin. */
	deadline: number;
	/**
	 * How the poll's requests are bounded: the deadline; a Timeout of a quarter of the time before
	 * it (at most the usual 30 s) and one retry, so a request started by the middle of the poll
	 * (less the pause before a retry, at most 0.5 s) always ends, answered or failed, before the
	 * deadline. A number that never answers is then
	 * found failing at its turn instead of being cut by the deadline at every poll, holding the
	 * rotation at its place.
	 */
	settings: RequestSettings;
	/**
	 * n8n keeps what this poll remembers only if the poll starts an execution, so the poll reads
	 * the health only of numbers it is going to report.
	 */
	keptOnlyIfReporting: boolean;
}

/** n8n's budget for this poll: `getPollBudgetMs()` exists from n8n 2.x on (not in n8n-workflow 1.120). */
function givenBudgetMs(ctx: IPollFunctions): number | undefined {
	const get = (ctx as Partial<IPollFunctions>).getPollBudgetMs;
	if (typeof get !== 'function') return undefined;
	const budget = get.call(ctx);
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget : undefined;
}

/**
 * Whether this is the poll n8n 2.41 runs when it activates a workflow while durable poll cursors
 * are on (N8N_POLLER_DURABLE_CURSORS_ENABLED): n8n then hands the poll a staged copy of its static
 * data, a plain object, and drops it unless the poll emits. Every other poll gets n8n's observed
 * static data, which carries `__dataChanged` (n8n-workflow's ObservableObject); the scheduler's own
 * polls, which also get a staged copy but commit it, run with activation mode `update`.
 * Telling wrong only costs time: a poll taken for this one reads fewer healths, the next reads them.
 */
function isStagedActivationPoll(ctx: IPollFunctions, staticData: IDataObject): boolean {
	return (
		ctx.getMode() === 'trigger' &&
		ctx.getActivationMode() !== 'update' &&
		!('__dataChanged' in staticData)
	);
}

/** The limits of the poll starting now, `staticData` being its node static data. */
export function pollLimits(
	ctx: IPollFunctions,
	staticData: IDataObject,
	startedAt: number,
): PollLimits {
	const budgetMs = Math.min(givenBudgetMs(ctx) ?? MAX_POLL_BUDGET_MS, MAX_POLL_BUDGET_MS);
	const deadline = startedAt + budgetMs - marginMs(budgetMs);
	const timeoutMs = Math.min(
		DEFAULT_REQUEST_SETTINGS.timeoutMs,
		Math.floor((budgetMs - marginMs(budgetMs)) / 4),
	);
	return {
		budgetMs,
		deadline,
		settings: { timeoutMs, maxRetries: 1, deadline },
		keptOnlyIfReporting: isStagedActivationPoll(ctx, staticData),
	};
}
