import { sleep } from 'n8n-workflow';

import type { ConcurrencyLimit, ConcurrencySetting, Ending, SentRequest } from './concurrencyLimit';
import { concurrencyLimit } from './concurrencyLimit';

/** What the throttle reads the time from and waits with; tests give it a clock of their own. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/**
 * `performance.now()` and n8n's `sleep`: a monotonic clock, so a system clock stepped back (NTP, a
 * resumed VM) makes no answer time negative and no `Retry-After` pause longer, and fine enough to
 * time a turn of about a millisecond (answerTurns.ts).
 */
export const monotonicClock: Clock = { now: () => performance.now(), sleep };

/** How one attempt ended, as far as the throttle is concerned; told by the transport's retry loop. */
export interface AttemptEnd {
	ok: boolean;
	/** PilotStatus refused it as rate limited (429): every attempt holds off this long, in ms. */
	rateLimitedPauseMs?: number;
	/** The HTTP status of a failed attempt's answer; none when nothing answered (timeout, network). */
	status?: number;
}

/** An attempt's end as the limit reads it (see Ending). */
function ending({ ok, rateLimitedPauseMs, status }: AttemptEnd): Ending {
	if (ok) return 'ok';
	if (rateLimitedPauseMs !== undefined) return 'rateLimited';
	if (status === 503) return 'unavailable';
	return status === undefined ? 'noAnswer' : 'error';
}

/** Leave to send one attempt; `release` is called once, when the attempt has ended. */
export interface Permit {
	release(end: AttemptEnd): void;
}

/**
 * The node-wide gate every PilotStatus attempt of one node run goes through. At most `window`
 * attempts are in flight, granted first come, first served; the window is the run's concurrency
 * limit (concurrencyLimit.ts: a fixed Concurrency or Auto), which learns from how each attempt
 * ended. A 429 also pauses every attempt for the pause the retry loop worked out from
 * `Retry-After`.
 */
export class Throttle {
	inFlight = 0;
	private readonly limit: ConcurrencyLimit;
	private readonly waiting: Array<(sent: SentRequest) => void> = [];
	private pausedUntil = 0;
	private waking = false;

	constructor(
		concurrency: ConcurrencySetting,
		private readonly clock: Clock = monotonicClock,
	) {
		this.limit = concurrencyLimit(concurrency, clock);
	}

	/** Attempts that may be in flight now. */
	get window(): number {
		return this.limit.limit;
	}

	/** The most the window may grow to for the rest of the run. */
	get ceiling(): number {
		return this.limit.ceiling;
	}

	/** Waits until the window and any pause allow one more attempt. */
	async acquire(): Promise<Permit> {
		const sent = await new Promise<SentRequest>((resolve) => {
			this.waiting.push(resolve);
			this.grant();
		});
		let released = false;
		return {
			release: (end) => {
				if (released) return;
				released = true;
				this.inFlight--;
				if (end.rateLimitedPauseMs !== undefined)
					this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + end.rateLimitedPauseMs);
				this.limit.ended(sent, ending(end));
				this.grant();
			},
		};
	}

	/** Lets waiting attempts go, in order, while the window has room and no pause is on. */
	private grant() {
		while (this.waiting.length > 0 && this.inFlight < this.window) {
			const pause = this.pausedUntil - this.clock.now();
			if (pause > 0) return this.wakeAfter(pause);
			this.inFlight++;
			this.waiting.shift()!(this.limit.sent(this.inFlight));
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
}
