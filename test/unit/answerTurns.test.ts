import { AnswerTurns } from '../../nodes/shared/answerTurns';
import { ManualClock, flush } from './manualClock';

/** Takes a turn for each name and records the order in which they were handed on. */
function arrive(turns: AnswerTurns, names: string[], handled: string[]) {
	return Promise.all(names.map((name) => turns.take().then(() => handled.push(name))));
}

describe('AnswerTurns', () => {
	it('hands on the first of answers read together at once and each next one a turn later, in the order they came', async () => {
		const clock = new ManualClock();
		const turns = new AnswerTurns(clock);
		const handled: string[] = [];
		const all = arrive(turns, ['a', 'b', 'c'], handled);
		await flush();
		expect(handled).toEqual(['a']);
		// Time does not matter, only that the event loop took a turn (n8n's sleep(0)).
		clock.advance(0);
		await flush();
		expect(handled).toEqual(['a', 'b']);
		clock.advance(0);
		await flush();
		expect(handled).toEqual(['a', 'b', 'c']);
		await all;
	});

	it('an answer read after the turns have caught up is handed on at once: one request at a time never waits', async () => {
		const clock = new ManualClock();
		const turns = new AnswerTurns(clock);
		const handled: string[] = [];
		for (const name of ['a', 'b', 'c']) {
			const one = arrive(turns, [name], handled);
			await flush();
			expect(handled.at(-1)).toBe(name);
			await one;
			// The answer's latency: the event loop turns before the next one arrives.
			clock.advance(0);
			await flush();
		}
		expect(handled).toEqual(['a', 'b', 'c']);
	});

	it('an answer that comes while others wait takes its place behind them', async () => {
		const clock = new ManualClock();
		const turns = new AnswerTurns(clock);
		const handled: string[] = [];
		const first = arrive(turns, ['a', 'b'], handled);
		await flush();
		const late = arrive(turns, ['c'], handled);
		await flush();
		expect(handled).toEqual(['a']);
		clock.advance(0);
		await flush();
		clock.advance(0);
		await Promise.all([first, late]);
		expect(handled).toEqual(['a', 'b', 'c']);
	});
});
