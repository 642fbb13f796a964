/**
 * How many PilotStatus requests one node run may have in flight, and how that number moves. Pure
 * decisions: the throttle (throttle.ts) counts requests in flight, queues and pauses, and tells the
 * limit when each request went out and how it ended; the limit never waits for anything.
 *
 * Options → Concurrency picks one of two limits:
 *
 * - **A number** (`FixedLimit`) is the most requests in flight, as in every version so far: the
 *   limit halves on a 429, stays below the in-flight count that was refused, and grows back by one
 *   per limit's worth of successes, never above the number. 1 is strictly one after another.
 * - **Auto** (`AutoLimit`, the default) starts at 5, where the fixed default always started, and
 *   moves between 1 and `MAX_CONCURRENCY` following PilotStatus's answers. Its rules, and why, are
 *   on the class.
 */

/** Where Auto starts, and the fixed limit of contexts without the option (trigger, list search). */
export const START_CONCURRENCY = 5;
/** Auto's ceiling, and the largest number Options → Concurrency accepts. */
export const MAX_CONCURRENCY = 50;

/** Options → Concurrency: Auto (the option's 0), or a fixed number from 1 to `MAX_CONCURRENCY`. */
export type ConcurrencySetting = 'auto' | number;

/** Reads the time in milliseconds, as `Date.now()`; tests give the limit a clock of their own. */
export interface TimeSource {
	now(): number;
}

/** One request as the limit saw it leave; handed back with its ending. */
export interface SentRequest {
	/** When it was sent (`TimeSource.now()`). */
	at: number;
	/** Requests in flight once it was sent, itself included. */
	inFlight: number;
	/** The limit's decision count when it was sent: answers to requests sent before a change say nothing about it. */
	decision: number;
}

/**
 * How a request ended, as far as the limit cares: `ok` (a 2xx answer), `error` (another HTTP
 * answer, e.g. 404: it came back, so its time counts), `rateLimited` (429), `unavailable` (503),
 * `noAnswer` (timeout, connection refused or reset: no time to learn from).
 */
export type Ending = 'ok' | 'error' | 'rateLimited' | 'unavailable' | 'noAnswer';

/** The contract the throttle relies on. */
export interface ConcurrencyLimit {
	/** Requests that may be in flight now: a whole number, at least 1. */
	readonly limit: number;
	/** The limit never goes above this; a 429 lowers it for the rest of the run. */
	readonly ceiling: number;
	/** Call when a request goes out, with the in-flight count including it. */
	sent(inFlight: number): SentRequest;
	/** Call when that request has ended. */
	ended(request: SentRequest, ending: Ending): void;
}

/** The limit for a setting: `'auto'` adapts, a number is fixed. */
export function concurrencyLimit(setting: ConcurrencySetting, clock: TimeSource): ConcurrencyLimit {
	return setting === 'auto' ? new AutoLimit(clock) : new FixedLimit(setting, clock);
}

/**
 * What both limits do when PilotStatus pushes back: halve the limit once per burst (a pushback for
 * a request sent before the last decrease belongs to the burst that caused it), and on a 429 keep
 * the limit below the in-flight count that was refused for the rest of the run, so a run does not
 * keep probing a limit it has already met.
 */
abstract class PushbackLimit implements ConcurrencyLimit {
	protected current: number;
	ceiling: number;
	protected decision = 0;
	private lastDecrease = -1;

	constructor(
		start: number,
		ceiling: number,
		protected readonly clock: TimeSource,
	) {
		this.current = start;
		this.ceiling = ceiling;
	}

	get limit(): number {
		return Math.max(1, Math.floor(this.current));
	}

	sent(inFlight: number): SentRequest {
		return { at: this.clock.now(), inFlight, decision: this.decision };
	}

	abstract ended(request: SentRequest, ending: Ending): void;

	/** Sets the limit (within 1 and the ceiling) and starts a new decision. */
	protected change(limit: number) {
		this.current = Math.max(1, Math.min(limit, this.ceiling));
		this.decision++;
	}

	protected pushedBack(request: SentRequest, ending: 'rateLimited' | 'unavailable') {
		if (ending === 'rateLimited')
			this.ceiling = Math.max(1, Math.min(this.ceiling, request.inFlight - 1));
		const newBurst = request.decision >= this.lastDecrease;
		this.change(newBurst ? this.limit / 2 : this.current);
		if (newBurst) this.lastDecrease = this.decision;
	}
}

/**
 * Options → Concurrency set to a number: at most that many in flight, narrowed by 429s only, and
 * widened again by one per limit's worth of successes (as the node always did).
 */
export class FixedLimit extends PushbackLimit {
	private successes = 0;

	constructor(concurrency: number, clock: TimeSource) {
		super(concurrency, concurrency, clock);
	}

	ended(request: SentRequest, ending: Ending) {
		if (ending === 'rateLimited') {
			this.successes = 0;
			this.pushedBack(request, ending);
		} else if (ending === 'ok' && this.limit < this.ceiling && ++this.successes >= this.limit) {
			this.successes = 0;
			this.change(this.limit + 1);
		}
	}
}

/**
 * Auto: TCP Vegas's idea (a baseline round-trip time; more in flight only while answers come back
 * as fast as at the baseline) with the decision rule of Netflix concurrency-limits' GradientLimit
 * (shrink by the ratio baseline × tolerance / current, at most halving), TCP's slow start to get
 * going, and AIMD (additive increase, halving) once PilotStatus has pushed back.
 *
 * - **Windows.** Answers are judged a round trip at a time: a window is the first `limit` answers
 *   to requests sent after the last decision, and its time is their mean. One slow answer, or
 *   jittered latency, moves a mean of several little; answers to requests sent under an older
 *   limit are left out, as they say nothing about the current one.
 * - **Baseline.** The fastest window of the run. A window mean, not one answer: the minimum of
 *   single answers is the outlier Netflix's Gradient2 warns about (it drags the baseline down and
 *   the limit with it); the minimum of means is stable, and unlike Gradient2's moving average it
 *   does not drift up while the limit itself is raising latency.
 * - **Steady** (window within `TOLERANCE` × baseline) and the limit was reached in the window:
 *   double while in slow start (a node run lasts seconds, so reaching the right level in a few
 *   round trips matters: from 5, 40 in flight take three), else one more.
 * - **Latency rising** (window above `TOLERANCE` × baseline): more in flight only queues, at
 *   PilotStatus or in n8n. The limit is multiplied by tolerance × baseline / window time, at least
 *   0.5 (GradientLimit's rule: by Little's law, the in-flight count that brings the time back to
 *   the tolerance at the same throughput). Slow start ends. Latency alone never takes the limit
 *   below where Auto started (5, the old fixed default): it cannot tell our own queueing from
 *   PilotStatus's, and at 5 nothing was ever too eager.
 * - **Pushback** (429 or 503): halve, once per burst; a 429 also caps the limit below the refused
 *   in-flight count for the rest of the run (see PushbackLimit). Slow start ends, so growth is
 *   one per round trip from then on: AIMD, the loss-based rule of TCP and Netflix's AIMDLimit.
 *
 * Why not Gradient2 or Vegas as published: both are tuned for servers that see thousands of
 * requests a second for hours. Gradient2 grows by a fixed queue allowance per answer and measures
 * against a long moving average (600 answers), which a run of a few hundred requests never fills;
 * Vegas's baseline is the single fastest answer, which jitter makes too fast (every later answer
 * then looks queued). And both count a drop as one more sample, where here a 429 says more: the
 * in-flight count PilotStatus refused, and how long to wait.
 */
export class AutoLimit extends PushbackLimit {
	/** How much slower than the baseline a window may be and still count as steady. */
	static readonly TOLERANCE = 1.5;
	private slowStart = true;
	private baselineMs = Infinity;
	private window = { decision: -1, answers: 0, totalMs: 0, reachedLimit: false };

	constructor(clock: TimeSource) {
		super(START_CONCURRENCY, MAX_CONCURRENCY, clock);
	}

	ended(request: SentRequest, ending: Ending) {
		if (ending === 'rateLimited' || ending === 'unavailable') {
			this.slowStart = false;
			this.pushedBack(request, ending);
		} else if (ending !== 'noAnswer' && request.decision === this.decision) {
			this.answered(request);
		}
	}

	private answered(request: SentRequest) {
		if (this.window.decision !== this.decision)
			this.window = { decision: this.decision, answers: 0, totalMs: 0, reachedLimit: false };
		const window = this.window;
		window.answers++;
		window.totalMs += this.clock.now() - request.at;
		window.reachedLimit ||= request.inFlight >= this.limit;
		if (window.answers >= this.limit)
			this.decide(window.totalMs / window.answers, window.reachedLimit);
	}

	private decide(meanMs: number, reachedLimit: boolean) {
		this.baselineMs = Math.min(this.baselineMs, meanMs);
		const steadyUpTo = AutoLimit.TOLERANCE * this.baselineMs;
		if (meanMs > steadyUpTo) {
			this.slowStart = false;
			const latencyFloor = Math.min(this.current, START_CONCURRENCY);
			this.change(Math.max(latencyFloor, this.current * Math.max(0.5, steadyUpTo / meanMs)));
		} else if (reachedLimit) {
			this.change(this.slowStart ? this.current * 2 : this.current + 1);
		} else {
			// The node did not use the limit (few items left, shared answers): nothing learned about more.
			this.change(this.current);
		}
	}
}
