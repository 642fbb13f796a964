/**
 * The limit's decisions, driven by a clock that moves only when the test moves it: no timers, no
 * timings. Each "round trip" sends as many requests as the limit allows, moves the clock by the
 * answer time and ends them all, as a steady API would.
 */
import type { ConcurrencyLimit, Ending, SentRequest } from '../../nodes/shared/concurrencyLimit';
import { concurrencyLimit, START_CONCURRENCY } from '../../nodes/shared/concurrencyLimit';
import { CONCURRENCY } from '../../nodes/shared/settings';

/** Auto's ceiling: the most Options → Concurrency accepts. */
const MAX_CONCURRENCY = CONCURRENCY.max;

class TestClock {
	time = 0;
	now() {
		return this.time;
	}
}

/** A limit and its clock, with helpers that play out requests against it. */
function drive(limit: ConcurrencyLimit, clock: TestClock) {
	/** Sends `count` requests at once (in flight 1…count), as the throttle does. */
	const send = (count = limit.limit) =>
		Array.from({ length: count }, (_, index) => limit.sent(index + 1));
	const end = (requests: SentRequest[], ending: Ending) => {
		for (const request of requests) limit.ended(request, ending);
	};
	/** One round trip at the limit: every request answered after `ms`, in whatever way `ending` says. */
	const roundTrip = (ms: number, ending: Ending = 'ok') => {
		const requests = send();
		clock.time += ms;
		end(requests, ending);
		return limit.limit;
	};
	/** The limit after each of `count` round trips, each taking `ms(limit)` for the limit it ran at. */
	const roundTrips = (count: number, ms: (limit: number) => number) =>
		Array.from({ length: count }, () => roundTrip(ms(limit.limit)));
	/**
	 * One round trip at the limit with jittered latency: each request answers after its own 25 to
	 * 75 ms (`random` in [0, 1)), the fastest first; the round ends with the slowest.
	 */
	const jitteredRoundTrip = (random: () => number) => {
		const started = clock.time;
		const answers = send()
			.map((request) => ({ request, at: started + 25 + random() * 50 }))
			.sort((a, b) => a.at - b.at);
		for (const { request, at } of answers) {
			clock.time = at;
			end([request], 'ok');
		}
		return limit.limit;
	};
	return { send, end, roundTrip, roundTrips, jitteredRoundTrip };
}

function auto() {
	const clock = new TestClock();
	const limit = concurrencyLimit('auto', clock);
	return { clock, limit, ...drive(limit, clock) };
}

function fixed(concurrency: number) {
	const clock = new TestClock();
	const limit = concurrencyLimit(concurrency, clock);
	return { clock, limit, ...drive(limit, clock) };
}

/** Deterministic numbers in [0, 1): answer times with jitter that the test can repeat. */
function seeded(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

/**
 * Auto against an API that serves `workers` requests at a time, first in, first out, each in
 * `serviceMs`, behind `networkMs` of network there and back: played event by event on a test
 * clock, `items` requests in all, each sent as soon as the limit allows. Returns the limit after
 * each answer and when the last answer came, in ms.
 */
function againstQueueingApi({
	workers,
	serviceMs,
	networkMs,
	items = 1000,
}: {
	workers: number;
	serviceMs: number;
	networkMs: number;
	items?: number;
}) {
	const clock = new TestClock();
	const limit = concurrencyLimit('auto', clock);
	const events: Array<{ at: number; run: () => void }> = [];
	const after = (ms: number, run: () => void) => events.push({ at: clock.time + ms, run });
	const queue: Array<() => void> = [];
	const limits: number[] = [];
	let busy = 0;
	let sent = 0;
	let inFlight = 0;
	const serve = () => {
		while (busy < workers && queue.length > 0) {
			const answer = queue.shift()!;
			busy++;
			after(serviceMs, () => {
				busy--;
				serve();
				after(networkMs / 2, answer);
			});
		}
	};
	const send = () => {
		while (sent < items && inFlight < limit.limit) {
			sent++;
			inFlight++;
			const request = limit.sent(inFlight);
			after(networkMs / 2, () => {
				queue.push(() => {
					inFlight--;
					limit.ended(request, 'ok');
					limits.push(limit.limit);
					send();
				});
				serve();
			});
		}
	};
	send();
	// Bounded: every request makes three events.
	while (events.length > 0) {
		events.sort((a, b) => a.at - b.at);
		const next = events.shift()!;
		clock.time = next.at;
		next.run();
	}
	return { limits, elapsedMs: clock.time };
}

/** The mean of the second half of `values`: where a run settled. */
const settled = (values: number[]) => {
	const half = values.slice(Math.floor(values.length / 2));
	return half.reduce((sum, value) => sum + value, 0) / half.length;
};

describe('Auto', () => {
	it('starts where the fixed default started, under a ceiling of 50', () => {
		const { limit } = auto();
		expect(limit.limit).toBe(START_CONCURRENCY);
		expect(START_CONCURRENCY).toBe(5);
		expect(limit.ceiling).toBe(MAX_CONCURRENCY);
		expect(MAX_CONCURRENCY).toBe(50);
	});

	it('doubles per round trip while answers come back at the same speed, and never passes the ceiling', () => {
		const { roundTrips } = auto();
		expect(roundTrips(8, () => 50)).toEqual([10, 20, 40, 50, 50, 50, 50, 50]);
	});

	it('in start-up, doubles as soon as half the new level has answered: the requests a doubling added, one latency after it', () => {
		const { clock, limit, end } = auto();
		const first = Array.from({ length: 5 }, (_, index) => limit.sent(index + 1));
		clock.time += 50;
		end(first.slice(0, 3), 'ok');
		expect(limit.limit).toBe(10);
		// The doubling lets 8 more go at once (2 of the first 5 are still out); the old ones say nothing.
		const second = Array.from({ length: 8 }, (_, index) => limit.sent(3 + index));
		end(first.slice(3), 'ok');
		clock.time += 50;
		end(second.slice(0, 4), 'ok');
		expect(limit.limit).toBe(10);
		end(second.slice(4, 5), 'ok');
		expect(limit.limit).toBe(20);
	});

	it('grows under jittered answer times (25 to 75 ms) as under steady ones: a mean per round trip is not fooled by one fast answer', () => {
		const { jitteredRoundTrip } = auto();
		const random = seeded(7);
		const limits = Array.from({ length: 12 }, () => jitteredRoundTrip(random));
		expect(Math.max(...limits)).toBe(MAX_CONCURRENCY);
		expect(limits[limits.length - 1]).toBeGreaterThanOrEqual(40);
	});

	it('does not mistake the fastest answers of a jittered round for its normal answer time: once grown, it stays up (200 runs)', () => {
		// Start-up decides on the first half of each round's answers, the fastest under jitter; were
		// their mean kept as the knee's answer time, whole rounds at the same speed would look slow
		// and the limit would shrink (below 30 in 70 of these runs, below 20 in 43, when it was kept).
		const lowest: number[] = [];
		for (let seed = 1; seed <= 200; seed++) {
			const { jitteredRoundTrip } = auto();
			const random = seeded(seed);
			let grown = false;
			let low: number = MAX_CONCURRENCY;
			for (let round = 0; round < 40; round++) {
				const limit = jitteredRoundTrip(random);
				grown ||= limit >= 40;
				if (grown) low = Math.min(low, limit);
			}
			lowest.push(grown ? low : 0);
		}
		expect(lowest.filter((low) => low < 30)).toEqual([]);
	});

	it('stops where more in flight brings no more answers per second, and keeps probing just above', () => {
		// An API that answers 10 at a time in 50 ms: beyond 10 in flight, answers just take longer.
		const saturated = (inFlight: number) => 50 * Math.max(1, inFlight / 10);
		const { roundTrips } = auto();
		// 10 pays (twice the answers per second), 20 does not: back to 10, the fewest in flight that
		// got the most answers per second.
		expect(roundTrips(3, saturated)).toEqual([10, 20, 10]);
		expect(new Set(roundTrips(12, saturated))).toEqual(new Set([10, 12]));
	});

	it('keeps growing while more in flight still brings more answers per second, even with longer answers', () => {
		// Each answer takes longer with more in flight (n8n's own work on the others), but less
		// than in proportion: 40 in flight give more answers per second than 20.
		const { roundTrips } = auto();
		expect(roundTrips(8, (inFlight) => 50 + inFlight)).toEqual([10, 20, 40, 50, 50, 50, 50, 50]);
	});

	it('against an API that queues what it cannot serve at once, drains after start-up and settles near what keeps it busy, as fast', () => {
		// 3 at a time, 50 ms each, behind 50 ms of network: 6 in flight keep it busy. Start-up's
		// doublings, judged on the answers that waited least, overshoot to 40; before the drain it
		// settled at about 22 (answers four times as long as needed).
		const slow = againstQueueingApi({ workers: 3, serviceMs: 50, networkMs: 50 });
		expect(settled(slow.limits)).toBeLessThanOrEqual(13);
		expect(slow.elapsedMs).toBeLessThanOrEqual((1000 / 3) * 50 * 1.01);
		// 4 at a time, 50 ms each, behind 50 ms of network: 8 keep it busy (before: about 22). The
		// knee's answers take 2.3 times the first ones (5 at a time would make it exactly 2).
		const wider = againstQueueingApi({ workers: 4, serviceMs: 50, networkMs: 50 });
		expect(settled(wider.limits)).toBeLessThanOrEqual(12);
		expect(wider.elapsedMs).toBeLessThanOrEqual((1000 / 4) * 50 * 1.01);
	});

	it('weighs the drain against the answers to the first requests, at 5 in flight, error answers included', () => {
		const steady = auto();
		// 5 at 10 ms, 10 at 15, 20 at 20: each pays; 40 at 60 does not, so the knee is 20.
		expect([10, 15, 20, 60].map((ms) => steady.roundTrip(ms))).toEqual([10, 20, 40, 20]);
		// 20 at 21 ms: over twice the 10 ms of the answers at 5 (not of those at 10, at 15 ms).
		expect(steady.roundTrip(21)).toBe(10);

		const { send, end, clock, roundTrip } = auto();
		const first = send();
		clock.time += 10;
		end(first.slice(0, 3), 'error');
		clock.time += 30;
		end(first.slice(3), 'ok');
		// The first answers: three 404s in 10 ms and two in 40, 22 ms on average.
		expect([15, 20, 60].map((ms) => roundTrip(ms))).toEqual([20, 40, 20]);
		// 50 ms is over twice 22 (not twice the 40 ms of the 2xx answers alone).
		expect(roundTrip(50)).toBe(10);
	});

	it('after a pushback during the drain, grows from the halving by one per round trip, not back to the knee', () => {
		const { send, end, limit, roundTrip, roundTrips } = auto();
		expect([10, 10, 10, 30, 40].map((ms) => roundTrip(ms))).toEqual([10, 20, 40, 20, 10]);
		end(send().slice(9), 'unavailable');
		expect(limit.limit).toBe(5);
		expect(roundTrips(3, () => 10)).toEqual([6, 7, 8]);
	});

	it('drains once, and goes back to the knee when half brings clearly fewer answers per second', () => {
		// No queue, answers slower with more in flight (10 ms + 1 per request): at 40, answers take
		// over twice as long as at 5, so it tries 20 once; 20 brings a sixth fewer answers per second.
		const { roundTrips } = auto();
		const limits = roundTrips(12, (inFlight) => 10 + inFlight);
		expect(limits.slice(0, 7)).toEqual([10, 20, 40, 50, 40, 20, 40]);
		expect(limits.slice(5).filter((limit) => limit < 40)).toEqual([20]);
	});

	it('after a drain that did not pay, forgets half: a few percent fewer answers per second are not the knee', () => {
		const { roundTrip } = auto();
		// Start-up: 5, 10, 20 at 10 ms; 40 at 30 ms does not pay, so the knee is 20.
		expect([10, 10, 10, 30].map((ms) => roundTrip(ms))).toEqual([10, 20, 40, 20]);
		// 20 at 40 ms, four times the first answers: half for one round trip.
		expect(roundTrip(40)).toBe(10);
		// 10 at 21.5 ms: 7 % fewer answers per second than 20 (within GAIN, beyond GAIN / 2).
		expect(roundTrip(21.5)).toBe(20);
		// Back at 20, the knee is 20 again, so it probes above it (kept, half would pull it back).
		expect(roundTrip(40)).toBe(25);
	});

	it('after a drain, keeps half when it brings nearly as many answers per second', () => {
		const { roundTrip } = auto();
		expect([10, 10, 10, 30, 40].map((ms) => roundTrip(ms))).toEqual([10, 20, 40, 20, 10]);
		// 10 at 20.8 ms: 4 % fewer answers per second than 20, within GAIN / 2: half stays, and
		// probes a quarter higher from there.
		expect(roundTrip(20.8)).toBe(10);
		expect(roundTrip(20.8)).toBe(12);
	});

	it('never drains below 5, where answer times alone never take it', () => {
		// The first answers fast, then 10 in flight no faster than 5: start-up ends at 5, whose whole
		// round trip takes 2.5 times the first answers; half of 5 would be 2.
		const { roundTrip } = auto();
		expect(roundTrip(20)).toBe(10);
		expect(roundTrip(100)).toBe(START_CONCURRENCY);
		expect(roundTrip(50)).toBe(6);
	});

	it('does not drain when nothing waits: an API that serves every request at once', () => {
		const { limits } = againstQueueingApi({ workers: 1000, serviceMs: 50, networkMs: 0 });
		const grown = limits.indexOf(MAX_CONCURRENCY);
		expect(grown).toBeGreaterThan(0);
		expect(Math.min(...limits.slice(grown))).toBe(MAX_CONCURRENCY);
	});

	it('shrinks when PilotStatus slows down: not for one slow round trip, then more each slow round trip, never below 5 for answer times alone', () => {
		const { roundTrips, roundTrip } = auto();
		roundTrips(6, () => 50);
		expect(roundTrip(100)).toBe(50);
		// Half of the proportional cut: 50 × (1 + 50/100) / 2.
		expect(roundTrip(100)).toBe(37);
		const slower = roundTrips(12, () => 100);
		expect(slower.slice(0, 3)).toEqual([28, 21, 15]);
		expect(Math.min(...slower)).toBe(START_CONCURRENCY);
	});

	it('after a slowdown, goes back up once answers are as fast as before', () => {
		const { roundTrips } = auto();
		roundTrips(6, () => 50);
		roundTrips(3, () => 100); // 50, 37, 28
		expect(roundTrips(4, () => 50)).toEqual([35, 43, 50, 50]);
	});

	it('on a 429, halves once per burst and stays below the in-flight count that was refused', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		const requests = send(); // in flight 1 … 20
		// The API takes 12 at once: the 13th to the 20th are refused, one burst.
		end(requests.slice(12), 'rateLimited');
		expect(limit.ceiling).toBe(12);
		// A 429 for a request sent before the halving belongs to the same burst: halved once.
		expect(limit.limit).toBe(10);
		// The 12 it took come back: that is what it takes at once.
		end(requests.slice(0, 12), 'ok');
		expect([limit.limit, limit.ceiling]).toEqual([12, 12]);
		// From now on one more per round trip (AIMD), up to the ceiling and no further.
		expect(roundTrips(4, () => 50)).toEqual([12, 12, 12, 12]);
	});

	it('after a 429, goes to the number PilotStatus accepted at once, even when its in-flight count was too high: one burst per run', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		const requests = send(); // in flight 1 … 20, by the node's count
		// The API takes 10 at once. It had already answered the first 2 when the 13th arrived, but
		// the node had not read those answers yet: by its count the 13th went out with 13 in flight.
		end(requests.slice(0, 2), 'ok');
		end(requests.slice(12), 'rateLimited');
		// The refused in-flight count alone would allow 12, two more than the API takes.
		expect([limit.limit, limit.ceiling]).toEqual([10, 12]);
		// The ones it did take were in flight when the first 429 came back: 10 of them.
		end(requests.slice(2, 12), 'ok');
		expect([limit.limit, limit.ceiling]).toEqual([10, 10]);
		// It never asks for more than the API takes again: no second burst, no second pause.
		expect(roundTrips(5, () => 50)).toEqual([10, 10, 10, 10, 10]);
	});

	it('after 429s for every request in flight (a quota, not requests at once), keeps the halving', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		const requests = send();
		// The first 5 got through; then the quota ran out and every other one is refused.
		end(requests.slice(0, 5), 'ok');
		end(requests.slice(5), 'rateLimited');
		// Below the refused in-flight count (6), not down to the none accepted since.
		expect([limit.limit, limit.ceiling]).toEqual([5, 5]);
		expect(roundTrips(2, () => 50)).toEqual([5, 5]);
	});

	it('once PilotStatus has pushed back, answer times no longer move the limit: one more per round trip', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		end(send().slice(19), 'unavailable');
		expect(limit.limit).toBe(10);
		expect(roundTrips(3, () => 500)).toEqual([11, 12, 13]);
	});

	it('a 429 for a request sent after the halving halves again', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		end(send().slice(15), 'rateLimited');
		expect([limit.limit, limit.ceiling]).toEqual([10, 15]);
		end(send().slice(9), 'rateLimited');
		expect([limit.limit, limit.ceiling]).toEqual([5, 9]);
	});

	it('on a 503, halves too, without lowering the ceiling', () => {
		const { send, end, limit, roundTrips } = auto();
		roundTrips(2, () => 50); // 20
		end(send().slice(19), 'unavailable');
		expect([limit.limit, limit.ceiling]).toEqual([10, MAX_CONCURRENCY]);
		expect(roundTrips(2, () => 50)).toEqual([11, 12]);
	});

	it('pushback takes it down to 1, where latency alone would stop at 5', () => {
		const { send, end, limit } = auto();
		for (let burst = 0; burst < 4; burst++) end(send(1), 'unavailable');
		expect(limit.limit).toBe(1);
	});

	it('does not grow when the node did not use the limit (few items left, shared answers)', () => {
		const { send, end, clock, limit } = auto();
		for (let round = 0; round < 3; round++) {
			// Five answers, but never more than 2 in flight.
			for (let pair = 0; pair < 3; pair++) {
				const requests = [limit.sent(1), limit.sent(2)];
				clock.time += 50;
				end(requests, 'ok');
			}
		}
		expect(limit.limit).toBe(START_CONCURRENCY);
		expect(send()).toHaveLength(START_CONCURRENCY);
	});

	it('ignores answers to requests sent under an older limit, and failures with no answer', () => {
		const { send, end, clock, limit, roundTrip } = auto();
		const old = send();
		expect(roundTrip(50)).toBe(10);
		// Slow answers to the requests sent at 5 say nothing about 10.
		clock.time += 5000;
		end(old, 'ok');
		expect(limit.limit).toBe(10);
		end(send(), 'noAnswer');
		expect(limit.limit).toBe(10);
	});

	it('with a clock that stands still or goes back (a test clock: the throttle reads a monotonic one), never throws and stays a whole number from 1 to the ceiling', () => {
		const { roundTrips } = auto();
		const limits = [
			...roundTrips(3, () => -200),
			...roundTrips(4, () => 0),
			...roundTrips(4, () => -200),
		];
		expect(limits.filter((value) => !Number.isInteger(value) || value < 1)).toEqual([]);
		expect(Math.max(...limits)).toBeLessThanOrEqual(MAX_CONCURRENCY);
	});

	it('counts error answers (e.g. 404) as answers: they came back, at their speed', () => {
		const { roundTrip } = auto();
		expect(roundTrip(50, 'error')).toBe(10);
	});
});

describe('a fixed Concurrency', () => {
	it('never goes above the number, however steady or fast the answers', () => {
		const { roundTrips } = fixed(8);
		expect(new Set(roundTrips(10, () => 1))).toEqual(new Set([8]));
	});

	it('ignores latency and 503s', () => {
		const { roundTrip, limit } = fixed(8);
		expect(roundTrip(5000)).toBe(8);
		expect(roundTrip(50, 'unavailable')).toBe(8);
		expect(limit.ceiling).toBe(8);
	});

	it('narrows on a 429 and widens by one per limit of successes, up to the refused level', () => {
		const { send, end, limit, roundTrips } = fixed(10);
		end(send().slice(9), 'rateLimited');
		expect([limit.limit, limit.ceiling]).toEqual([5, 9]);
		expect(roundTrips(6, () => 50)).toEqual([6, 7, 8, 9, 9, 9]);
	});

	it('1 stays strictly one at a time, whatever happens', () => {
		const { roundTrip, roundTrips, limit } = fixed(1);
		expect(roundTrips(5, () => 1)).toEqual([1, 1, 1, 1, 1]);
		expect(roundTrip(50, 'rateLimited')).toBe(1);
		expect(roundTrip(50, 'unavailable')).toBe(1);
		expect(roundTrips(5, () => 1)).toEqual([1, 1, 1, 1, 1]);
		expect(limit.ceiling).toBe(1);
	});
});
