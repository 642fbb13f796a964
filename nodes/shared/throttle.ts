import { sleep } from 'n8n-workflow';

/** What the throttle reads the time from and waits with; tests give it a clock of their own. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now(), sleep };

/** How one attempt ended, as far as the throttle is concerned; told by the transport's retry loop. */
export interface AttemptEnd {
	ok: boolean;
	/** PilotStatus refused it as rate limited (429): every attempt holds off this long, in ms. */
	rateLimitedPauseMs?: number;
}

/** Leave to send one attempt; `release` is called once, when the attempt has ended. */
export interface Permit {
	release(end: AttemptEnd): void;
}

/**
 * The node-wide gate every PilotStatus attempt of one node run goes through. At most `window`
 * attempts (at first the node's Concurrency) are in flight, granted first come, first served. A
 * 429 pauses every attempt for the pause the retry loop worked out from `Retry-After`, halves the
 * window once per burst of 429s, and lowers its ceiling below the in-flight count that was
 * refused; successes widen the window again, one step per window's worth of them, up to that
 * ceiling. The ceiling holds for the rest of the run, so a run does not keep probing a limit it
 * has already met.
 */
export class Throttle {
	window: number;
	ceiling: number;
	inFlight = 0;
	private readonly waiting: Array<(sentWith: number) => void> = [];
	private pausedUntil = 0;
	private waking = false;
	private successes = 0;
	/** Bumped by each burst of 429s; a 429 for an attempt sent before the bump belongs to that burst. */
	private burst = 0;

	constructor(
		concurrency: number,
		private readonly clock: Clock = systemClock,
	) {
		this.window = concurrency;
		this.ceiling = concurrency;
	}

	/** Waits until the window and any pause allow one more attempt. */
	async acquire(): Promise<Permit> {
		const sentWith = await new Promise<number>((resolve) => {
			this.waiting.push(resolve);
			this.grant();
		});
		const burst = this.burst;
		let released = false;
		return {
			release: (end) => {
				if (released) return;
				released = true;
				this.inFlight--;
				if (end.ok) this.succeeded();
				else if (end.rateLimitedPauseMs !== undefined)
					this.rateLimited(end.rateLimitedPauseMs, sentWith, burst);
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

	private rateLimited(pauseMs: number, sentWith: number, burst: number) {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + pauseMs);
		this.ceiling = Math.max(1, Math.min(this.ceiling, sentWith - 1));
		if (burst === this.burst) {
			this.burst++;
			this.window = Math.max(1, Math.floor(this.window / 2));
		}
		this.window = Math.min(this.window, this.ceiling);
		this.successes = 0;
	}
}
