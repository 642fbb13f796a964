import type { Clock } from './throttle';

/**
 * Hands a run's answers on to be handled one per turn of the event loop.
 *
 * Why: n8n's request helper opens a new connection for every request, and a connection is only
 * made, and the request written, when the event loop next looks for I/O. Answers that arrive
 * together (PilotStatus answering a round of requests at the same latency) were handled back to
 * back in one turn, so the requests started while handling them (the next items) all left only
 * after the last one was handled, together again: each round of the run waited for the latency
 * plus the handling of a whole round. Measured in n8n-core, 10 in flight at 50 ms: the next
 * requests reached the API 2 to 20 ms after they were started, 72 ms per round instead of 50.
 * Handling one answer per turn lets the request started while handling it leave before the next
 * answer is handled, so rounds spread out and handling overlaps the latency (56 ms per round).
 *
 * An answer that arrives when none was handled in the current turn is handed on at once, so a run
 * with one request at a time never waits. A turn ends with `clock.sleep(0)`: n8n's `sleep`, the
 * wait community nodes may use. It lasts at least 1 ms, so while answers queue at most one per
 * millisecond is handed on: handling one took 1.2 to 1.5 ms in n8n-core on the benchmark machine
 * (docs/benchmarks.md) and several ms in a real n8n, so the turn is not what limits a run there.
 */
export class AnswerTurns {
	/** Whether an answer was handed on in the current turn. */
	private taken = false;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly clock: Pick<Clock, 'sleep'>) {}

	/** Resolves when this answer may be handled: now if the turn is free, else in a later turn, in arrival order. */
	async take(): Promise<void> {
		if (!this.taken && this.waiting.length === 0) return this.handOn();
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private handOn() {
		this.taken = true;
		void this.clock.sleep(0).then(() => {
			this.taken = false;
			const next = this.waiting.shift();
			if (next) {
				this.handOn();
				next();
			}
		});
	}
}
