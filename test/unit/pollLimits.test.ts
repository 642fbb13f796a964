import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	MAX_POLL_BUDGET_MS,
	marginMs,
	pollLimits,
} from '../../nodes/PilotStatusNumbersTrigger/pollLimits';

/**
 * The parts of a poll's context pollLimits reads, as n8n 2.41 (with `getPollBudgetMs`) or n8n 1.x
 * (without) hands them over. The integration tests run the real PollContext; this covers what
 * n8n-core 2.41 cannot show, a context without the budget.
 */
function context({
	budget,
	mode = 'trigger',
	activation = 'activate',
}: {
	budget?: unknown;
	mode?: string;
	activation?: string;
}): IPollFunctions {
	return {
		getMode: () => mode,
		getActivationMode: () => activation,
		...(budget === undefined ? {} : { getPollBudgetMs: () => budget }),
	} as unknown as IPollFunctions;
}

/** Static data as n8n's ObservableObject holds it: it carries a hidden `__dataChanged`. */
const observed = (): IDataObject =>
	Object.defineProperty({}, '__dataChanged', { value: false, writable: true });

describe('pollLimits', () => {
	const start = 1_000_000;

	it.each<[string, unknown, number]>([
		['n8n 1.x (no getPollBudgetMs)', undefined, MAX_POLL_BUDGET_MS],
		["n8n 2.41 without the durable scheduler (n8n-core's 5 minutes)", 300_000, MAX_POLL_BUDGET_MS],
		['the durable scheduler (36 s)', 36_000, 36_000],
		['a shorter scheduler timeout', 15_000, 15_000],
		['a test budget', 1_000, 1_000],
		['a budget that is not a number', 'soon', MAX_POLL_BUDGET_MS],
		['a budget of 0', 0, MAX_POLL_BUDGET_MS],
	])('with %s takes %s → %d ms', (_label, budget, expected) => {
		const limits = pollLimits(context({ budget }), observed(), start);
		expect(limits.budgetMs).toBe(expected);
		expect(limits.deadline).toBe(start + expected - marginMs(expected));
		// Every request stops at the deadline; one started at the poll's beginning ends before it,
		// answered or failed: two attempts of a quarter of the time each, and the wait between them
		// (at most 500 ms after a first failure), for a request started by the middle less that wait.
		const timeoutMs = Math.min(30_000, Math.floor((expected - marginMs(expected)) / 4));
		expect(limits.settings).toEqual({ timeoutMs, maxRetries: 1, deadline: limits.deadline });
		const latestStart = start + (limits.deadline - start) / 2 - 500;
		expect(latestStart + timeoutMs + 500 + timeoutMs).toBeLessThanOrEqual(limits.deadline);
	});

	it('keeps a tenth of the budget free, at most 2 s', () => {
		expect(marginMs(36_000)).toBe(2_000);
		expect(marginMs(1_000)).toBe(100);
	});

	it("tells n8n 2.41's activation poll with durable cursors (a staged copy, not observed) from every other poll", () => {
		const staged = { baseline: { fields: [], numbers: {} } };
		const kept = (ctx: IPollFunctions, data: IDataObject) =>
			pollLimits(ctx, data, start).keptOnlyIfReporting;
		expect(kept(context({ activation: 'init' }), staged)).toBe(true);
		expect(kept(context({ activation: 'activate' }), staged)).toBe(true);
		// The scheduler's own polls get a staged copy too, and commit it.
		expect(kept(context({ activation: 'update', budget: 36_000 }), staged)).toBe(false);
		// The default mode and n8n 1.x: n8n's observed static data.
		expect(kept(context({ activation: 'init' }), observed())).toBe(false);
		expect(kept(context({ mode: 'manual', activation: 'manual' }), staged)).toBe(false);
	});
});
