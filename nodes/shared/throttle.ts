import { sleep } from 'n8n-workflow';

import { readFailure } from './errors';
import { settle } from './pool';
import { DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry';

/** What the throttle reads the time from and waits with; tests give it a clock of their own. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now(), sleep };

/** The wait when a 429 names none. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/** The wait a 429 asked for, in milliseconds; undefined when the failure is not a 429. */
function rateLimitWait(error: unknown, now: number): number | undefined {
	const failure = readFailure(error);
	if (failure.status !== 429) return undefined;
	return parseRetryAfter(failure.retryAfter, now) ?? DEFAULT_RETRY_AFTER_MS;
}

/**
 * The node-wide gate every PilotStatus request of one node run goes through (the transport's retry
 * loop sends each attempt through it). At most `window` requests (at first the node's Concurrency)
 * are in flight, granted first come, first served. A 429 pauses every request for the
 * `Retry-After` the API asked for (up to the retry policy's longest), halves the window once per
 * burst of 429s, and lowers its ceiling below the in-flight count that was refused; successes widen the window again, one step per
 * window's worth of them, up to that ceiling. The ceiling holds for the rest of the run, so a run
 * does not keep probing a limit it has already met.
 */
export class Throttle {
	window: number;
	ceiling: number;
	inFlight = 0;
	private readonly waiting: Array<(sentWith: number) => void> = [];
	private pausedUntil = 0;
	private waking = false;
	private successes = 0;
	/** Bumped by each burst of 429s; a 429 for a request sent before the bump belongs to that burst. */
	private burst = 0;

	constructor(
		concurrency: number,
		private readonly clock: Clock = systemClock,
	) {
		this.window = concurrency;
		this.ceiling = concurrency;
	}

	/** Sends one request when the window and any pause allow it; a 429 narrows the window and pauses. */
	async run<T>(send: () => Promise<T>): Promise<T> {
		const sentWith = await new Promise<number>((resolve) => {
			this.waiting.push(resolve);
			this.grant();
		});
		const burst = this.burst;
		const outcome = await settle(send);
		this.inFlight--;
		if (outcome.ok) this.succeeded();
		else this.failed(outcome.error, sentWith, burst);
		this.grant();
		if (!outcome.ok) throw outcome.error;
		return outcome.value;
	}

	/** Lets waiting requests go, in order, while the window has room and no pause is on. */
	private grant() {
		while (this.waiting.length > 0 && this.inFlight < this.window) {
			const pause = this.pausedUntil - this.clock.now();
			if (pause > 0) return this.wakeAfter(pause);
			this.inFlight++;
			this.waiting.shift()!(this.inFlight);
		}
	}

	private wakeAfter(ms: number) {
		if (this.waking) return;
		this.waking = true;
		void this.clock.sleep(ms).then(() => {
			this.waking = false;
			this.grant();
		});
	}

	private succeeded() {
		if (this.window >= this.ceiling) return;
		if (++this.successes < this.window) return;
		this.successes = 0;
		this.window++;
	}

	private failed(error: unknown, sentWith: number, burst: number) {
		const wait = rateLimitWait(error, this.clock.now());
		if (wait === undefined) return;
		this.pausedUntil = Math.max(
			this.pausedUntil,
			this.clock.now() + Math.min(wait, DEFAULT_RETRY_POLICY.maxRetryAfterMs),
		);
		this.ceiling = Math.max(1, Math.min(this.ceiling, sentWith - 1));
		if (burst === this.burst) {
			this.burst++;
			this.window = Math.max(1, Math.floor(this.window / 2));
		}
		this.window = Math.min(this.window, this.ceiling);
		this.successes = 0;
	}
}
