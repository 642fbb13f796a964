import type { AttemptEnd } from '../../nodes/shared/throttle';
import { Throttle } from '../../nodes/shared/throttle';
import { ManualClock, flush } from './manualClock';

/** Attempts that end only when the test says so, recorded in the order the throttle let them go. */
function controlledRequests(throttle: Throttle) {
	const sent: string[] = [];
	const answers = new Map<
		string,
		{ ok: () => void; fail: (end?: Omit<AttemptEnd, 'ok'>) => void }
	>();
	const request = async (name: string) => {
		const permit = await throttle.acquire();
		sent.push(name);
		return await new Promise<string>((resolve) =>
			answers.set(name, {
				ok: () => {
					permit.release({ ok: true });
					resolve(name);
				},
				fail: (end = {}) => {
					permit.release({ ok: false, ...end });
					resolve(`${name} failed`);
				},
			}),
		);
	};
	return { sent, answers, request };
}

describe('Throttle', () => {
	it('keeps at most Concurrency requests in flight and lets the others go first come, first served', async () => {
		const throttle = new Throttle(2, new ManualClock());
		const { sent, answers, request } = controlledRequests(throttle);
		const results = ['a', 'b', 'c', 'd'].map(request);
		await flush();
		expect(sent).toEqual(['a', 'b']);
		answers.get('b')!.ok();
		await flush();
		expect(sent).toEqual(['a', 'b', 'c']);
		answers.get('a')!.ok();
		answers.get('c')!.ok();
		await flush();
		answers.get('d')!.ok();
		expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
		expect(throttle.inFlight).toBe(0);
	});

	it('on a 429, pauses every request for the Retry-After asked, then narrows below the refused level', async () => {
		const clock = new ManualClock();
		const throttle = new Throttle(8, clock);
		const { sent, answers, request } = controlledRequests(throttle);
		const first = Array.from({ length: 8 }, (_, index) => request(`r${index}`));
		await flush();
		expect(sent).toHaveLength(8);
		// The API takes 3 at once: the 4th to 8th are refused.
		for (let index = 3; index < 8; index++)
			answers.get(`r${index}`)!.fail({ rateLimitedPauseMs: 2000 });
		await flush();
		expect(throttle.ceiling).toBe(3);
		expect(throttle.window).toBe(3);

		const later = ['x', 'y'].map(request);
		for (let index = 0; index < 3; index++) answers.get(`r${index}`)!.ok();
		await flush();
		// The window has room, but the pause holds everything back until 2 s have passed.
		expect(sent).toHaveLength(8);
		clock.advance(1999);
		await flush();
		expect(sent).toHaveLength(8);
		clock.advance(1);
		await flush();
		expect(sent).toEqual([...Array.from({ length: 8 }, (_, index) => `r${index}`), 'x', 'y']);
		answers.get('x')!.ok();
		answers.get('y')!.ok();
		expect(await Promise.all(later)).toEqual(['x', 'y']);
		expect(await Promise.all(first)).toContain('r3 failed');
	});

	it('halves the window once per burst of 429s and widens it again after successes, up to the ceiling', async () => {
		const clock = new ManualClock();
		const throttle = new Throttle(10, clock);
		const { answers, request } = controlledRequests(throttle);
		// 10 at once where the 10th is refused: ceiling 9, window halved once to 5.
		const burst = Array.from({ length: 10 }, (_, index) => request(`b${index}`));
		await flush();
		for (let index = 0; index < 9; index++) answers.get(`b${index}`)!.ok();
		answers.get('b9')!.fail({ rateLimitedPauseMs: 0 });
		await Promise.all(burst);
		expect([throttle.window, throttle.ceiling]).toEqual([5, 9]);

		// Each window's worth of successes widens it by one, and it stops at the ceiling.
		const widths: number[] = [];
		for (let index = 0; index < 60; index++) {
			const result = request(`s${index}`);
			await flush();
			answers.get(`s${index}`)!.ok();
			await result;
			widths.push(throttle.window);
		}
		expect(widths.slice(0, 12)).toEqual([5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 7]);
		expect(Math.max(...widths)).toBe(9);
		expect(throttle.inFlight).toBe(0);
	});

	it('leaves the window alone for failures other than 429', async () => {
		const throttle = new Throttle(4, new ManualClock());
		const { answers, request } = controlledRequests(throttle);
		const result = request('a');
		await flush();
		answers.get('a')!.fail();
		expect(await result).toBe('a failed');
		expect([throttle.window, throttle.ceiling]).toEqual([4, 4]);
	});

	it('with Auto, widens after a round trip of answers, and halves on a 503 where a number does not', async () => {
		const clock = new ManualClock();
		const throttle = new Throttle('auto', clock);
		const { sent, answers, request } = controlledRequests(throttle);
		const first = Array.from({ length: 7 }, (_, index) => request(`a${index}`));
		await flush();
		expect(sent).toHaveLength(5);
		clock.advance(50);
		// A 404 is an answer too: five of them, as fast as each other, are a round trip at the limit.
		for (let index = 0; index < 5; index++) answers.get(`a${index}`)!.fail({ status: 404 });
		await flush();
		expect(throttle.window).toBe(10);
		expect(sent).toHaveLength(7);
		answers.get('a5')!.fail({ status: 503 });
		answers.get('a6')!.ok();
		await Promise.all(first);
		expect(throttle.window).toBe(5);
		expect(throttle.inFlight).toBe(0);
	});
});
