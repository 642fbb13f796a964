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
 *   moves between 1 and Concurrency's maximum (50) following PilotStatus's answers. Its rules, and
 *   why, are on the class.
 */

import { CONCURRENCY } from './settings';

/** Where Auto starts: the fixed default of earlier versions. Its ceiling is Concurrency's maximum. */
export const START_CONCURRENCY = 5;

/** Options → Concurrency: Auto (the option's 0), or a fixed number from 1 to its maximum. */
export type ConcurrencySetting = 'auto' | number;

/** The option's value as a setting: 0 is Auto. */
export function concurrencySetting(value: number): ConcurrencySetting {
	return value === 0 ? 'auto' : value;
}

/** Reads the time in ms (the throttle's monotonic clock); tests give the limit their own. */
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

	/** Returns whether this pushback started a new burst (and halved the limit). */
	protected pushedBack(request: SentRequest, ending: 'rateLimited' | 'unavailable'): boolean {
		if (ending === 'rateLimited')
			this.ceiling = Math.max(1, Math.min(this.ceiling, request.inFlight - 1));
		const newBurst = request.decision >= this.lastDecrease;
		this.change(newBurst ? this.limit / 2 : this.current);
		if (newBurst) this.lastDecrease = this.decision;
		return newBurst;
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
 * Milliseconds from `from` to `to`, at least a microsecond: a clock that did not move (or, given
 * by a test, went back) must not make an answer time 0 or negative, and answers per ms infinite.
 */
const elapsedMs = (from: number, to: number) => Math.max(to - from, 0.001);

/** One round trip at one limit, as Auto remembers it. */
interface RoundTrip {
	limit: number;
	/** The mean answer time, in ms. */
	answerMs: number;
	/** Answers per ms: by Little's law, requests in flight ÷ mean answer time. */
	rate: number;
}

/**
 * The requests in flight when the first 429 of a burst came back, and how many of them PilotStatus
 * accepted: once all have ended, the most it took at once (see AutoLimit, Pushback).
 */
interface BurstCount {
	waiting: Set<SentRequest>;
	accepted: number;
}

/**
 * Auto. The speed that matters for a node run is answers per second, and by Little's law that is
 * requests in flight ÷ answer time. More in flight is worth it while it brings more answers per
 * second; when answers only take longer, PilotStatus (or n8n itself) is not keeping up and the
 * extra requests just queue. So Auto compares round trips:
 *
 * - **A round trip** is the first `limit` answers to requests sent after the last decision, taken
 *   together: their mean answer time smooths one slow answer or jittered latency, and answers to
 *   requests sent under an older limit are left out (they say nothing about this one). A round trip
 *   in which the node never had `limit` requests out (few items left, shared answers) teaches
 *   nothing. During start-up, half as many answers make a round trip: a doubling sends the new
 *   half at once, so their answers are the first to come back at the new level, one latency
 *   later; waiting for as many answers as the limit took two latencies per doubling (measured in
 *   n8n-core at 50 ms: about 0.5 s from 5 to 50 in flight, a fifth of a 1,000-item run). Under
 *   jitter the first half is the fastest half, so start-up's round trips are weighed only against
 *   each other: when start-up ends they are forgotten and the knee's answer time is measured
 *   again over whole round trips (kept, they made whole rounds at the same speed look slow: in a
 *   simulation of 200 runs at 25 to 75 ms, 43 later shrank below 20 in flight; see the tests).
 *   Against an API that queues what it cannot serve at once, the first half is also the half that
 *   waited least, so start-up overshoots there; the drain undoes that.
 * - **Start-up** (TCP's slow start, BBR's start-up): double the limit each round trip while that
 *   pays: at least `GAIN` more answers per second than any round trip before. A node run lasts
 *   seconds, so the right level must come within a few round trips: from 5, 40 take three. The
 *   first doubling that does not pay ends start-up at the knee; if it was noise, the probes after
 *   start-up find the higher level again (measured: without latency, continuing after a miss
 *   overshot to 50 in flight, where each round trip was slower than ten at 10).
 * - **The drain**, once after start-up (BBR drains the queue its start-up built, and its ProbeRTT
 *   asks whether less in flight does as well): if the first whole round trip at the knee took
 *   `DRAIN_AT` (2) times as long as the answers to the run's first requests, at 5 in flight, half
 *   of what is in flight is waiting somewhere, so one round trip runs at half the knee; half stays
 *   if it brought nearly as many answers per second (within `GAIN / 2`), else the knee is back.
 *   Simulated (see the tests), a server serving 3 at a time, 50 ms each, behind 50 ms of network,
 *   1,000 items: 40 in flight at start-up's peak, then 10 to 12 (20 to 25 without the drain), in
 *   the same time. 6 would keep that server busy (the drain halves once, after it Auto only probes
 *   upward), and other queueing servers still see about twice what keeps them busy (20 at a time,
 *   20 ms each, behind 5 ms of network: about 45 where 25 would do; the first answers took just
 *   over half as long as the knee's, so no drain). Where answers come back about as fast as the
 *   first ones, as in n8n-core at 50 ms, it does not run. Where half is too few it costs two round
 *   trips (one at half, one measuring the knee again before any probe), or, when noise in that
 *   round trip makes half look good enough, about `GAIN` of the answers per second until the
 *   knee's round trip leaves the recent ones (simulated, answers taking (5 + 1.5 × in flight) ms
 *   ± 25 %, 200 seeds: 6 runs over 5 % slower than without the drain, the worst 12 %).
 * - **The knee** is the fewest in flight, among the last `RECENT` round trips, that got within
 *   `GAIN` of the most answers per second (a windowed maximum, as BBR keeps its bandwidth
 *   estimate). Among limits that give about the same answers per second, the politest is the
 *   lowest.
 * - **After start-up**, each round trip is weighed against the knee:
 *   - above it: keep climbing only if this round trip beat every recent one by `GAIN`, else go
 *     back to it (more in flight only lengthened the answers);
 *   - at or below it, with answers more than `1 / (1 - SLOWDOWN)` times slower than the knee's,
 *     twice in a row: PilotStatus slowed down, send fewer, halfway to the proportional cut
 *     (Netflix concurrency-limits' GradientLimit shrinks by the ratio of answer times; going
 *     halfway, as its smoothing does, makes a lasting slowdown compound while one hiccup costs
 *     nothing). Answer times never take the limit below 5, where Auto started (the old fixed
 *     default): they cannot tell PilotStatus's queueing from n8n's own. A slowdown that lasts
 *     longer than `RECENT` round trips becomes the new normal;
 *   - at or below it otherwise: probe a quarter higher (BBR's probe gain, 1.25), so a level that
 *     has become worth it is found again.
 * - **Pushback** (429 or 503): halve once per burst; a 429 also caps the limit below the refused
 *   in-flight count for the rest of the run (see PushbackLimit). A 429 also says how many
 *   PilotStatus takes at once: the requests still in flight when the first 429 of a burst comes
 *   back are the ones it accepted plus others it is refusing, so once they have all ended, the ones
 *   answered with anything but a 429 are about the most it took at once (at most that: ones it
 *   answered before the first 429 was read are not counted, which errs on the polite side; in
 *   n8n-core, limits of 6 and 10 in flight gave exactly 6 and 10, three runs each). That count
 *   becomes the ceiling and the limit (the halving only holds meanwhile, during the Retry-After
 *   pause). The refused request's own in-flight count is not enough: it counts answers PilotStatus
 *   has sent that n8n has not yet read, so it is too high when n8n is busy (16 for a limit of 10,
 *   measured in n8n-core), and the run met the limit again and paid a second pause. The count has
 *   the same flaw only for answers still unread when the first 429 is read, so far less of it.
 *   From then on PilotStatus's own signal moves the limit and answer times no longer do: one more
 *   per round trip up to the ceiling, halved again by the next pushback (additive increase,
 *   multiplicative decrease: AIMD, as TCP and Netflix's AIMDLimit do on loss). A limit PilotStatus
 *   states by refusing is worth more than one inferred from answer times, whose noise would only
 *   keep the node below it (measured: under a limit of 10 in flight, answer-time rules on a busy
 *   machine wandered between 5 and 10).
 *
 * Why not a latency-gradient limiter (Netflix's Gradient2, Vegas) alone: they keep answer times
 * near a no-load baseline, which protects a server, but here the answer time n8n sees includes
 * n8n's own work on every other answer (a few milliseconds per item). With 50 ms latency and 20
 * requests out it is already twice the baseline while answers per second still rise with every
 * request added: measured in n8n-core, a 1.5× tolerance settled near 12 in flight and took 1.8×
 * as long as 50 in flight. Weighing answers per second keeps what those limiters get right (step
 * back when more in flight only lengthens answers, shrink when PilotStatus slows down) without
 * mistaking n8n's queue for PilotStatus's.
 */
export class AutoLimit extends PushbackLimit {
	/** More in flight must bring at least 10 % more answers per second to be worth it. */
	static readonly GAIN = 0.1;
	/** Answers a third slower (a quarter fewer per second) than the recent best are a slowdown. */
	static readonly SLOWDOWN = 0.25;
	/** Answers this many times as long as the run's first ones: half of what is in flight waits. */
	static readonly DRAIN_AT = 2;
	/** Round trips the best is taken from. */
	static readonly RECENT = 10;
	private startUp = true;
	/**
	 * The drain after start-up (see the class): `due` until the first whole round trip at the knee;
	 * while one runs at half, the round trip at the knee it left; then `done`. After a pushback it no
	 * longer matters: AIMD alone moves the limit (see `decide`).
	 */
	private drain: 'due' | RoundTrip | 'done' = 'due';
	/**
	 * Answers to the requests sent under the first decision (at most 5 in flight), in ms: the run's
	 * least loaded. Cold (first connections, a JIT still warming up) they can be slower than later
	 * ones, which only makes the drain rarer.
	 */
	private startAnswers = { answers: 0, totalMs: 0 };
	/** Slow round trips in a row (see SLOWDOWN). */
	private misses = 0;
	/** Once PilotStatus has pushed back, its pushback alone moves the limit (AIMD). */
	private aimd = false;
	private recent: RoundTrip[] = [];
	private window = { decision: -1, answers: 0, totalMs: 0 };
	/** The last decision under which the node had `limit` requests in flight. */
	private fullAt = -1;
	private readonly inFlight = new Set<SentRequest>();
	private burst?: BurstCount;

	constructor(clock: TimeSource) {
		super(START_CONCURRENCY, CONCURRENCY.max, clock);
	}

	sent(inFlight: number): SentRequest {
		const request = super.sent(inFlight);
		this.inFlight.add(request);
		if (inFlight >= this.limit) this.fullAt = this.decision;
		return request;
	}

	ended(request: SentRequest, ending: Ending) {
		this.inFlight.delete(request);
		this.counted(request, ending);
		if (ending === 'rateLimited' || ending === 'unavailable') {
			this.startUp = false;
			this.aimd = true;
			const newBurst = this.pushedBack(request, ending);
			if (newBurst && ending === 'rateLimited' && this.inFlight.size > 0)
				this.burst = { waiting: new Set(this.inFlight), accepted: 0 };
		} else if (ending !== 'noAnswer') {
			if (request.decision === 0) {
				this.startAnswers.answers++;
				this.startAnswers.totalMs += elapsedMs(request.at, this.clock.now());
			}
			if (request.decision === this.decision) this.answered(request);
		}
	}

	/** Counts a request of the burst being counted; once all have ended, the limit is their count. */
	private counted(request: SentRequest, ending: Ending) {
		const burst = this.burst;
		if (!burst?.waiting.delete(request)) return;
		if (ending === 'ok' || ending === 'error') burst.accepted++;
		if (burst.waiting.size > 0) return;
		this.burst = undefined;
		// None accepted: the 429s were not about requests at once (a quota, another client); the
		// halving and the refused in-flight count stand.
		if (burst.accepted === 0) return;
		this.ceiling = Math.min(this.ceiling, burst.accepted);
		this.change(this.ceiling);
	}

	private answered(request: SentRequest) {
		if (this.window.decision !== this.decision)
			this.window = { decision: this.decision, answers: 0, totalMs: 0 };
		const window = this.window;
		window.answers++;
		window.totalMs += elapsedMs(request.at, this.clock.now());
		if (window.answers < (this.startUp ? Math.ceil(this.limit / 2) : this.limit)) return;
		if (this.fullAt === this.decision) this.decide(window.totalMs / window.answers);
		else this.change(this.current);
	}

	private decide(answerMs: number) {
		if (this.aimd) return this.change(this.current + 1);
		const trip: RoundTrip = { limit: this.limit, answerMs, rate: this.limit / answerMs };
		const bestRate = Math.max(0, ...this.recent.map((recent) => recent.rate));
		this.recent = [...this.recent.slice(1 - AutoLimit.RECENT), trip];
		const knee = this.knee();
		if (this.startUp) {
			const paid = trip.rate >= bestRate * (1 + AutoLimit.GAIN);
			if (paid && this.current < this.ceiling) return this.change(this.current * 2);
			this.startUp = false;
			// Measured over half rounds: no baseline for whole round trips (see the class).
			this.recent = [];
			return this.change(knee.limit);
		}
		if (this.drained(trip)) return;
		if (trip.limit > knee.limit) {
			// Above the knee: keep climbing only if it paid, else back to the knee.
			if (trip.rate >= bestRate * (1 + AutoLimit.GAIN)) return this.probe();
			return this.change(knee.limit);
		}
		const slow = answerMs * (1 - AutoLimit.SLOWDOWN) > knee.answerMs;
		this.misses = slow ? this.misses + 1 : 0;
		if (!slow) return this.probe();
		if (this.misses < 2) return this.change(this.current);
		const proportional = knee.answerMs / answerMs;
		const floor = Math.min(this.current, START_CONCURRENCY);
		this.change(Math.max(floor, (this.current * (1 + proportional)) / 2));
	}

	/**
	 * The drain, once after start-up (see the class): after the first whole round trip at the knee,
	 * if its answers took `DRAIN_AT` times as long as the run's first answers, one round trip at half
	 * the knee (never below 5: answer times alone do not go lower); after that one, half stays if it
	 * brought at least `1 - GAIN / 2` of the knee's answers per second, else the knee is back and
	 * half's round trip is forgotten (the knee, the fewest within `GAIN` of the best, would pick it
	 * again). Returns whether it set the limit.
	 */
	private drained(trip: RoundTrip): boolean {
		const drain = this.drain;
		if (drain === 'done') return false;
		this.drain = 'done';
		if (drain !== 'due') {
			if (trip.rate >= drain.rate * (1 - AutoLimit.GAIN / 2)) this.change(this.limit);
			else {
				this.recent = this.recent.filter((recent) => recent !== trip);
				this.change(drain.limit);
			}
			return true;
		}
		const half = Math.max(START_CONCURRENCY, Math.floor(this.current / 2));
		// Never without start answers: only an answer under the first decision (or a pushback, after
		// which the drain is never asked) ends that decision.
		const { answers, totalMs } = this.startAnswers;
		if (half >= this.limit || trip.answerMs * answers < AutoLimit.DRAIN_AT * totalMs) return false;
		this.drain = trip;
		this.change(half);
		return true;
	}

	/** The fewest in flight among recent round trips that got within `GAIN` of the most answers per second. */
	private knee(): RoundTrip {
		const bestRate = Math.max(...this.recent.map((trip) => trip.rate));
		return this.recent
			.filter((trip) => trip.rate * (1 + AutoLimit.GAIN) >= bestRate)
			.reduce((a, b) => (b.limit < a.limit ? b : a));
	}

	/** A quarter more in flight (at least one): BBR's probe gain. */
	private probe() {
		this.change(this.current + Math.max(1, this.current / 4));
	}
}
