import type { Clock } from './throttle';
import { monotonicClock } from './throttle';

/**
 * Hands a run's answers on to be handled about a millisecond's worth per turn of the event loop.
 *
 * Why: n8n's request helper opens a new connection for every request, and a connection is only
 * made, and the request written, when the event loop next looks for I/O. Answers that arrive
 * together (PilotStatus answering a round of requests at the same latency) were handled back to
 * back in one turn, so the requests started while handling them (the next items) all left only
 * after the last one was handled, together again: each round of the run waited for the latency
 * plus the handling of a whole round. Measured in n8n-core, 10 in flight at 50 ms: the next
 * requests reached the API 2 to 20 ms after they were started, 72 ms per round instead of 50.
 * Ending the turn once its answers have been handled for `TURN_MS` lets the requests started
 * meanwhile leave before the next answers are handled, so rounds spread out and handling overlaps
 * the latency (56 ms per round).
 *
 * An answer is handed on at once while nothing waits and the current turn has handled answers for
 * less than `TURN_MS` (so a run with one request at a time waits at most for the rest of a turn);
 * the others wait, in arrival order. A turn ends with `clock.sleep(0)`, n8n's `sleep` (the wait
 * community nodes may use), which takes at least 1 ms; each later turn hands on as many waiting
 * answers as fit in `TURN_MS` at the handling time measured (see `handlingMs`), so a machine that
 * handles an answer in a fraction of a millisecond is not held to one answer per millisecond.
 * On the benchmark machine a Get item and a detail read for List each took about 1.1 ms or more,
 * so they go one per turn. What turns cost there, List with Include Details over 2,000 numbers
 * (measured by hand, the built node with and without turns; not a benchmark script's row): 1.25
 * times as long as without them at 5 ms latency, 1.1 times at 20 ms, 0.7 times at 50 ms.
 */
export class AnswerTurns {
	/** How long one turn may hand answers on, in ms. */
	static readonly TURN_MS = 1;
	/** Handling times measured, in ms per answer: the latest `MEASURES`. */
	static readonly MEASURES = 16;
	private readonly measured: number[] = [];
	/**
	 * The current turn: when it handed on its first answer, how many so far, and whether an answer
	 * read since the last one was handed on has measured it (once per turn while answers wait, so
	 * measures go on while a queue lasts and a fast one from a cheaper phase ages out).
	 */
	private turn?: { started: number; handedOn: number; measured: boolean };
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly clock: Clock = monotonicClock) {}

	/** Resolves when this answer may be handled: at once while the turn has time left, else in a later turn. */
	async take(): Promise<void> {
		const now = this.clock.now();
		const turn = this.turn;
		if (turn && !turn.measured) {
			// The answers this turn handed on were handled before this one was read (each answer
			// is read in an I/O callback of its own, and handled in the promise callbacks after it).
			this.measure((now - turn.started) / turn.handedOn);
			turn.measured = true;
		}
		if (this.waiting.length > 0 || (turn && now - turn.started >= AnswerTurns.TURN_MS))
			return await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.handOn(1);
	}

	/**
	 * Keeps a handling time, in ms per answer: only a time that passed (a clock that did not move
	 * would make every waiting answer fit in one turn; one that read no number, none).
	 */
	private measure(ms: number) {
		if (!(ms > 0)) return;
		this.measured.push(ms);
		if (this.measured.length > AnswerTurns.MEASURES) this.measured.shift();
	}

	/** Counts `count` answers as handed on in the current turn, starting one if none is on. */
	private handOn(count: number) {
		if (this.turn) {
			this.turn.handedOn += count;
			this.turn.measured = false;
			return;
		}
		this.turn = { started: this.clock.now(), handedOn: count, measured: false };
		void this.clock.sleep(0).then(() => this.turnEnded());
	}

	/**
	 * How long handling one answer takes, in ms: the least of the latest measures, since time the
	 * event loop spent waiting between two answers only ever adds to one (as BBR takes the least
	 * round trip time it saw). Before any measure, a whole turn.
	 */
	get handlingMs(): number {
		return this.measured.length > 0 ? Math.min(...this.measured) : AnswerTurns.TURN_MS;
	}

	/** Hands on as many waiting answers as fit in a turn, in a new turn. */
	private turnEnded() {
		this.turn = undefined;
		if (this.waiting.length === 0) return;
		const fit = Math.max(1, Math.floor(AnswerTurns.TURN_MS / this.handlingMs));
		const next = this.waiting.splice(0, fit);
		this.handOn(next.length);
		for (const resolve of next) resolve();
	}
}
