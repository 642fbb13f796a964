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
	return { clock, answerTurns, handled, arrive, nextTurn };
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
		const { clock, answerTurns, arrive, nextTurn } = turns();
		void arrive('a');
		await flush();
		// Three more read 0.25 ms apart, each after the one before was handled; then a gap.
		for (const name of ['b', 'c', 'd']) {
			clock.time += 0.25;
			void arrive(name);
			await flush();
		}
		clock.time += 0.25;
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
});
