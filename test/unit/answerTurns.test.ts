/**
 * The turns answers are handed on in, driven by a clock that moves only when the test moves it:
 * `clock.time += ms` is time spent handling answers, `clock.advance(0)` is the event loop taking
 * its next turn (n8n's sleep(0) firing).
 */
import { AnswerTurns } from '../../nodes/shared/answerTurns';
import { ManualClock, flush } from './manualClock';

function turns() {
	const clock = new ManualClock();
	const answerTurns = new AnswerTurns(clock);
	const handled: string[] = [];
	/** Answers read now: each is recorded once it is handed on. */
	const arrive = (...names: string[]) =>
		Promise.all(names.map((name) => answerTurns.take().then(() => handled.push(name))));
	/** The event loop's next turn, and what it handed on. */
	const nextTurn = async () => {
		const before = handled.length;
		clock.advance(0);
		await flush();
		return handled.slice(before);
	};
	/** Answers read one at a time, each `ms` after the one before, which it took to handle. */
	const readApart = async (ms: number, ...names: string[]) => {
		for (const [index, name] of names.entries()) {
			if (index > 0) clock.time += ms;
			void arrive(name);
			await flush();
		}
		clock.time += ms;
	};
	return { clock, answerTurns, handled, arrive, nextTurn, readApart };
}

describe('AnswerTurns', () => {
	it('hands on answers at once while the turn has handled answers for under 1 ms; later ones wait for the next turn', async () => {
		const { clock, handled, arrive, nextTurn } = turns();
		void arrive('a');
		await flush();
		clock.time += 0.4; // handling a
		void arrive('b');
		await flush();
		expect(handled).toEqual(['a', 'b']);
		clock.time += 0.7; // handling b: the turn has now taken 1.1 ms
		const waiting = arrive('c', 'd', 'e');
		await flush();
		expect(handled).toEqual(['a', 'b']);
		// 0.4 ms per answer measured: two fit in the next turn.
		expect(await nextTurn()).toEqual(['c', 'd']);
		expect(await nextTurn()).toEqual(['e']);
		await waiting;
	});

	it('hands on one waiting answer per turn when handling one takes longer than a turn (a Get item)', async () => {
		const { clock, answerTurns, arrive, nextTurn } = turns();
		void arrive('a');
		await flush();
		clock.time += 1.4; // handling a; meanwhile b to e were read
		const waiting = arrive('b', 'c', 'd', 'e');
		await flush();
		expect(answerTurns.handlingMs).toBeCloseTo(1.4);
		const perTurn: string[][] = [];
		for (let turn = 0; turn < 4; turn++) {
			perTurn.push(await nextTurn());
			clock.time += 1.4;
		}
		expect(perTurn).toEqual([['b'], ['c'], ['d'], ['e']]);
		await waiting;
	});

	it('hands on as many as fit in a turn when answers are cheap, by the least handling time measured lately', async () => {
		const { clock, answerTurns, arrive, nextTurn, readApart } = turns();
		// Four read 0.25 ms apart, each after the one before was handled; then six at once.
		await readApart(0.25, 'a', 'b', 'c', 'd');
		const waiting = arrive(...'efghij');
		await flush();
		expect(answerTurns.handlingMs).toBeCloseTo(0.25);
		expect(await nextTurn()).toEqual(['e', 'f', 'g', 'h']);
		clock.time += 1;
		expect(await nextTurn()).toEqual(['i', 'j']);
		await waiting;
	});

	it('one request at a time: an answer read after the turn before has ended is handed on at once', async () => {
		const { clock, handled, arrive, nextTurn } = turns();
		for (const name of ['a', 'b', 'c']) {
			const one = arrive(name);
			await flush();
			expect(handled.at(-1)).toBe(name);
			await one;
			clock.time += 2; // handling it, then the latency of the next request
			expect(await nextTurn()).toEqual([]);
		}
		expect(handled).toEqual(['a', 'b', 'c']);
	});

	it('takes the least handling time measured lately, not their mean: one slow answer does not hold cheap ones to two per turn', async () => {
		const { clock, arrive, nextTurn } = turns();
		void arrive('a');
		await flush();
		clock.time += 0.2; // handling a
		void arrive('b');
		await flush();
		clock.time += 0.8; // handling b took longer (the event loop did other work meanwhile)
		const waiting = arrive(...'cdefgh');
		await flush();
		// Measured 0.2 and 0.5 ms per answer: five fit at 0.2 (two at their mean, 0.35).
		expect(await nextTurn()).toEqual(['c', 'd', 'e', 'f', 'g']);
		clock.time += 1;
		expect(await nextTurn()).toEqual(['h']);
		await waiting;
	});

	it('keeps measuring while answers wait: once handling has become slower, a fast measure from before ages out', async () => {
		const { clock, answerTurns, arrive, nextTurn, readApart } = turns();
		await readApart(0.25, 'a', 'b', 'c', 'd');
		// A queue that lasts: from now on each answer takes 1.4 ms to handle, and five more are read
		// per turn, more than fit in one.
		const waiting: Array<Promise<unknown>> = [
			arrive(...Array.from({ length: 8 }, (_, i) => `q${i}`)),
		];
		await flush();
		expect(answerTurns.handlingMs).toBeCloseTo(0.25);
		const perTurn: number[] = [];
		for (let turn = 0; turn < AnswerTurns.MEASURES + 4; turn++) {
			const handedOn = await nextTurn();
			perTurn.push(handedOn.length);
			clock.time += 1.4 * handedOn.length;
			waiting.push(arrive(...Array.from({ length: 5 }, (_, i) => `late${turn}.${i}`)));
			await flush();
		}
		expect(perTurn.slice(0, 2)).toEqual([4, 4]);
		expect(perTurn.slice(-4)).toEqual([1, 1, 1, 1]);
		expect(answerTurns.handlingMs).toBeCloseTo(1.4);
		// At least one answer per turn: the 108 read are all handed on within 120 turns.
		for (let turn = 0; turn < 120; turn++) await nextTurn();
		await Promise.all(waiting);
	});

	it('measures a turn once: answers read while a slow turn is handled do not crowd out what was measured before', async () => {
		const { clock, answerTurns, arrive, nextTurn, readApart } = turns();
		await readApart(0.25, 'a', 'b', 'c', 'd');
		const waiting: Array<Promise<unknown>> = [arrive(...'efghijkl')];
		await flush();
		expect(await nextTurn()).toHaveLength(4);
		clock.time += 4 * 1.4;
		// As many answers as measures are kept, read while that slow turn is still the last one.
		for (let index = 0; index < AnswerTurns.MEASURES; index++) {
			waiting.push(arrive(`m${index}`));
			await flush();
			clock.time += 0.01;
		}
		expect(answerTurns.handlingMs).toBeCloseTo(0.25);
		// At least one answer per turn: the 28 read are all handed on within 40 turns.
		for (let turn = 0; turn < 40; turn++) await nextTurn();
		await Promise.all(waiting);
	});

	it('keeps only handling times that passed: a clock that did not move does not make every waiting answer fit in one turn', async () => {
		const { clock, answerTurns, arrive, nextTurn, readApart } = turns();
		// b read with the clock where it was: 0 ms measured, not kept.
		await readApart(0, 'a', 'b');
		clock.time += 1.2;
		const waiting = arrive('c', 'd', 'e', 'f');
		await flush();
		expect(answerTurns.handlingMs).toBeCloseTo(0.6);
		expect(await nextTurn()).toEqual(['c']);
		clock.time += 0.6;
		expect(await nextTurn()).toEqual(['d']);
		clock.time += 0.6;
		await nextTurn();
		clock.time += 0.6;
		await nextTurn();
		await waiting;
	});
});
