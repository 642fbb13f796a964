import fc from 'fast-check';

import {
	advanceRing,
	healthOrder,
	nextTurn,
	ringFrom,
} from '../../nodes/PilotStatusNumbersTrigger/rotation';

describe('ringFrom', () => {
	it('sorts the ids and starts after the position, wrapping around', () => {
		expect(ringFrom(['c', 'a', 'd', 'b'], undefined)).toEqual(['a', 'b', 'c', 'd']);
		expect(ringFrom(['c', 'a', 'd', 'b'], 'b')).toEqual(['c', 'd', 'a', 'b']);
		// A position that is no longer an id (the number was removed) still has its place.
		expect(ringFrom(['c', 'a', 'd'], 'b')).toEqual(['c', 'd', 'a']);
		expect(ringFrom(['c', 'a', 'd'], 'z')).toEqual(['a', 'c', 'd']);
	});
});

describe('healthOrder', () => {
	it('has the urgent numbers take turns with the others, the early ones first among those, each group in ring order', () => {
		const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
		// Urgent: d, a; the others: f, b (early), then c, e.
		const urgent = new Set(['a', 'd']);
		expect(healthOrder(ids, { urgent, early: new Set(['f', 'b']) }, 'b')).toEqual([
			'd',
			'f',
			'a',
			'b',
			'c',
			'e',
		]);
		expect(healthOrder(ids, { urgent: new Set(['c']), early: new Set() }, 'e')).toEqual([
			'c',
			'f',
			'a',
			'b',
			'd',
			'e',
		]);
		const none = new Set<string>();
		expect(healthOrder(ids, { urgent: none, early: none }, 'e')).toEqual([
			'f',
			'a',
			'b',
			'c',
			'd',
			'e',
		]);
		expect(healthOrder(ids, { urgent: none, early: new Set(['a']) }, 'e')).toEqual([
			'a',
			'f',
			'b',
			'c',
			'd',
			'e',
		]);
	});

	it('puts non-urgent numbers among the first read whenever there are any (a poll whose urgent numbers all hang still reads some)', () => {
		const ids = Array.from({ length: 40 }, (_, index) => `wa_${String(index).padStart(2, '0')}`);
		const urgent = new Set(ids.slice(10, 25));
		const firstFive = healthOrder(ids, { urgent, early: new Set() }, undefined).slice(0, 5);
		expect(firstFive.filter((id) => !urgent.has(id))).toEqual(['wa_00', 'wa_01']);
	});
});

/** The ids `wa_000` … of an account of `n` numbers, in ring order. */
const id = (index: number) => `wa_${String(index).padStart(3, '0')}`;
const accountOf = (n: number) => Array.from({ length: n }, (_, index) => id(index));

/** One simulated poll: the numbers it read and how far it says the ring went. */
interface SimulatedPoll {
	read: Set<string>;
	passed: number;
}

/** Checks that every run of polls whose `passed` add up to `turn` read every id in `expected`. */
function expectEveryTurnReads(polls: SimulatedPoll[], turn: number, expected: string[]) {
	for (let start = 0; start < polls.length; start++) {
		let passed = 0;
		const read = new Set<string>();
		for (let end = start; end < polls.length && passed < turn; end++) {
			passed += polls[end].passed;
			for (const each of polls[end].read) read.add(each);
		}
		if (passed >= turn) expect(expected.filter((each) => !read.has(each))).toEqual([]);
	}
}

describe('advanceRing', () => {
	const ids = ['a', 'b', 'c', 'd', 'e'];

	it('moves to the end of the unbroken run of read numbers from the position, counting it', () => {
		expect(advanceRing(ids, 'b', new Set(['c', 'd']))).toEqual({ position: 'd', passed: 2 });
		// 'd' was read past a gap ('c' cut, or 'a' read out of turn): the ring goes on at 'c'.
		expect(advanceRing(ids, undefined, new Set(['a', 'b', 'd']))).toEqual({
			position: 'b',
			passed: 2,
		});
	});

	it('stays where it was when nothing at the start of the run was read, or everything was', () => {
		expect(advanceRing(ids, 'b', new Set(['a']))).toEqual({ position: 'b', passed: 0 });
		expect(advanceRing(ids, 'b', new Set(ids))).toEqual({ position: 'b', passed: 5 });
		expect(advanceRing(ids, undefined, new Set(ids))).toEqual({ position: undefined, passed: 5 });
	});
});

/**
 * The bound the README states: if every poll reads (at least) its first K numbers in health order,
 * at most U of them urgent, every number is read within ⌈N / (K − U)⌉ polls, however the account and
 * the urgent numbers change.
 */
describe('the coverage bound', () => {
	it('reads every number within ⌈N / (K − U)⌉ polls, from any position, with any urgent numbers', () => {
		const scenario = fc
			.record({
				n: fc.integer({ min: 1, max: 40 }),
				k: fc.integer({ min: 1, max: 45 }),
				u: fc.integer({ min: 0, max: 10 }),
			})
			.filter(({ k, u }) => u < k)
			.chain(({ n, k, u }) =>
				fc.record({
					n: fc.constant(n),
					k: fc.constant(k),
					u: fc.constant(u),
					start: fc.option(fc.integer({ min: 0, max: n + 1 }), { nil: undefined }),
					urgentPicks: fc.array(
						fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: u }),
						{
							minLength: 60,
							maxLength: 60,
						},
					),
				}),
			);
		fc.assert(
			fc.property(scenario, ({ n, k, u, start, urgentPicks }) => {
				const ids = accountOf(n);
				const bound = Math.ceil(n / (k - u));
				let position = start === undefined ? undefined : id(start);
				const lastRead = new Map<string, number>();
				for (let pollIndex = 0; pollIndex < Math.min(60, 3 * bound); pollIndex++) {
					const urgent = new Set(urgentPicks[pollIndex].map(id));
					const read = new Set(
						healthOrder(ids, { urgent, early: new Set() }, position).slice(0, k),
					);
					for (const readId of read) lastRead.set(readId, pollIndex);
					position = advanceRing(ids, position, read).position;
					// By the end of every poll from the bound's on, each number was read within the last `bound` polls.
					if (pollIndex + 1 >= bound) {
						for (const each of ids)
							expect(pollIndex - (lastRead.get(each) ?? -Infinity)).toBeLessThan(bound);
					}
				}
			}),
		);
	});

	it('with gaps (numbers the deadline cut), the ring passes only numbers read: any run of polls whose `passed` add up to N read every number', () => {
		const scenario = fc
			.record({ n: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: 1, max: 45 }) })
			.chain(({ n, k }) =>
				fc.record({
					n: fc.constant(n),
					k: fc.constant(k),
					// Per poll, which of the k numbers tried the deadline cut (indexes into them).
					cuts: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: k - 1 }), { maxLength: 5 }), {
						minLength: 30,
						maxLength: 30,
					}),
					urgentPicks: fc.array(
						fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
						{
							minLength: 30,
							maxLength: 30,
						},
					),
				}),
			);
		fc.assert(
			fc.property(scenario, ({ n, k, cuts, urgentPicks }) => {
				const ids = accountOf(n);
				let position: string | undefined;
				const polls: SimulatedPoll[] = [];
				for (let pollIndex = 0; pollIndex < 30; pollIndex++) {
					const urgent = new Set(urgentPicks[pollIndex].map(id));
					const tried = healthOrder(ids, { urgent, early: new Set() }, position).slice(0, k);
					const cut = new Set(cuts[pollIndex]);
					const read = new Set(tried.filter((_, index) => !cut.has(index)));
					const advance = advanceRing(ids, position, read);
					polls.push({ read, passed: advance.passed });
					position = advance.position;
				}
				expectEveryTurnReads(polls, n, ids);
			}),
		);
	});

	it('with a number the deadline always cuts, and others cut at the deadline, the rotation does not stop at it: any run of polls whose `passed` add up to N − 1 read every other number', () => {
		const scenario = fc
			.record({ n: fc.integer({ min: 2, max: 40 }), k: fc.integer({ min: 2, max: 45 }) })
			.chain(({ n, k }) =>
				fc.record({
					n: fc.constant(n),
					k: fc.constant(k),
					stuck: fc.integer({ min: 0, max: n - 1 }),
					// Per poll, how many of the last numbers tried the deadline cut (at most 5 in flight).
					cutAtEnd: fc.array(fc.integer({ min: 0, max: Math.min(5, k - 1) }), {
						minLength: 60,
						maxLength: 60,
					}),
				}),
			);
		fc.assert(
			fc.property(scenario, ({ n, k, stuck, cutAtEnd }) => {
				const ids = accountOf(n);
				let position: string | undefined;
				const polls: SimulatedPoll[] = [];
				for (const cut of cutAtEnd) {
					const sent = healthOrder(ids, { urgent: new Set(), early: new Set() }, position).slice(
						0,
						k,
					);
					// The deadline cuts the last ones; the first, sent when the poll began, has its time.
					const kept = sent.slice(0, Math.max(1, sent.length - cut));
					const read = new Set(kept.filter((each) => each !== id(stuck)));
					const turn = nextTurn(ids, position, { read, sent: new Set(sent) });
					// `passed` counts numbers read only.
					expect(turn.passed).toBeLessThanOrEqual(read.size);
					polls.push({ read, passed: turn.passed });
					position = turn.position;
				}
				expectEveryTurnReads(
					polls,
					n - 1,
					ids.filter((each) => each !== id(stuck)),
				);
				// And the rotation goes round: the others are read over and over.
				expect(polls.reduce((sum, poll) => sum + poll.passed, 0)).toBeGreaterThanOrEqual(n - 1);
			}),
		);
	});
});
