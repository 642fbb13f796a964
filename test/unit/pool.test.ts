import fc from 'fast-check';

import type { Outcome } from '../../nodes/shared/pool';
import { runPool } from '../../nodes/shared/pool';

/** Tasks that settle only when the test says so, with a record of what started and what ran at once. */
function controlledTasks() {
	const running = new Map<
		number,
		{ resolve: (value: number) => void; reject: (error: Error) => void }
	>();
	const started: number[] = [];
	let active = 0;
	let peak = 0;
	const task = (index: number) =>
		new Promise<number>((resolve, reject) => {
			started.push(index);
			peak = Math.max(peak, ++active);
			const done = () => {
				active--;
				running.delete(index);
			};
			running.set(index, {
				resolve: (value) => (done(), resolve(value)),
				reject: (error) => (done(), reject(error)),
			});
		});
	return { task, running, started, peak: () => peak };
}

/** Lets every pending promise reaction run, so the pool can start its next tasks. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a pool whose tasks settle in the order `choices` picks among those running; tasks whose index
 * is in `failing` fail. Returns the outcomes and the record.
 */
async function drive(
	count: number,
	concurrency: number,
	stopAtFailure: boolean,
	choices: number[],
	failing: Set<number>,
) {
	const tasks = controlledTasks();
	let finished = false;
	const done = runPool(count, tasks.task, { concurrency, stopAtFailure }).finally(
		() => (finished = true),
	);
	await flush();
	for (let step = 0; !finished; step++) {
		const ids = [...tasks.running.keys()];
		if (ids.length === 0) throw new Error('the pool waits for nothing');
		const index = ids[(choices[step % Math.max(1, choices.length)] ?? 0) % ids.length];
		if (failing.has(index)) tasks.running.get(index)!.reject(new Error(`failed ${index}`));
		else tasks.running.get(index)!.resolve(index * 10);
		await flush();
	}
	return { outcomes: await done, ...tasks };
}

const expected = (index: number, failing: Set<number>): Outcome<number> =>
	failing.has(index)
		? { ok: false, error: new Error(`failed ${index}`) }
		: { ok: true, value: index * 10 };

describe('runPool', () => {
	it('returns outcomes in index order, never runs more than the concurrency, and starts tasks in order', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 25 }),
				fc.integer({ min: 1, max: 8 }),
				fc.array(fc.nat(), { maxLength: 30 }),
				fc.uniqueArray(fc.nat({ max: 24 }), { maxLength: 5 }),
				async (count, concurrency, choices, failingList) => {
					const failing = new Set(failingList);
					const run = await drive(count, concurrency, false, choices, failing);
					expect(run.outcomes).toEqual(
						Array.from({ length: count }, (_, index) => expected(index, failing)),
					);
					expect(run.started).toEqual(Array.from({ length: count }, (_, index) => index));
					expect(run.peak()).toBeLessThanOrEqual(concurrency);
				},
			),
			{ numRuns: 150 },
		);
	});

	it('stopping at a failure, ends exactly where a sequential run would, whatever failed first in time', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 25 }),
				fc.integer({ min: 1, max: 8 }),
				fc.array(fc.nat(), { maxLength: 30 }),
				fc.uniqueArray(fc.nat({ max: 24 }), { minLength: 1, maxLength: 5 }),
				async (count, concurrency, choices, failingList) => {
					const failing = new Set(failingList.filter((index) => index < count));
					const run = await drive(count, concurrency, true, choices, failing);
					const first = failing.size > 0 ? Math.min(...failing) : count - 1;
					expect(run.outcomes).toEqual(
						Array.from({ length: first + 1 }, (_, index) => expected(index, failing)),
					);
					// Nothing is left running when the pool returns.
					expect(run.running.size).toBe(0);
				},
			),
			{ numRuns: 150 },
		);
	});

	it('reports the earlier item when a later one fails first', async () => {
		const tasks = controlledTasks();
		const done = runPool(6, tasks.task, { concurrency: 3, stopAtFailure: true });
		await flush();
		expect(tasks.started).toEqual([0, 1, 2]);
		tasks.running.get(2)!.reject(new Error('failed 2'));
		await flush();
		// No new task starts after a failure; the ones before it still finish.
		expect(tasks.started).toEqual([0, 1, 2]);
		tasks.running.get(1)!.reject(new Error('failed 1'));
		tasks.running.get(0)!.resolve(0);
		expect(await done).toEqual([
			{ ok: true, value: 0 },
			{ ok: false, error: new Error('failed 1') },
		]);
	});

	it('with concurrency 1, starts each task only after the previous one settled', async () => {
		const tasks = controlledTasks();
		const done = runPool(4, tasks.task, { concurrency: 1, stopAtFailure: false });
		for (let index = 0; index < 4; index++) {
			await flush();
			expect(tasks.started).toEqual(Array.from({ length: index + 1 }, (_, i) => i));
			tasks.running.get(index)!.resolve(index);
		}
		await done;
		expect(tasks.peak()).toBe(1);
	});

	it('follows a width that moves: asked again whenever a task ends, never above it', async () => {
		const tasks = controlledTasks();
		let width = 2;
		const done = runPool(8, tasks.task, { concurrency: () => width, stopAtFailure: false });
		await flush();
		expect(tasks.started).toEqual([0, 1]);
		width = 4;
		tasks.running.get(0)!.resolve(0);
		await flush();
		expect(tasks.started).toEqual([0, 1, 2, 3, 4]);
		width = 1;
		for (const index of [1, 2, 3]) tasks.running.get(index)!.resolve(index);
		await flush();
		// Three ended, one still runs: the narrower width starts nothing new until it ends.
		expect(tasks.started).toEqual([0, 1, 2, 3, 4]);
		tasks.running.get(4)!.resolve(4);
		await flush();
		expect(tasks.started).toEqual([0, 1, 2, 3, 4, 5]);
		for (const index of [5, 6, 7]) {
			tasks.running.get(index)!.resolve(index);
			await flush();
		}
		expect((await done).map((outcome) => outcome.ok && outcome.value)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7,
		]);
	});

	it('turns a task that throws at once into its failed outcome', async () => {
		const outcomes = await runPool(
			2,
			(index) => {
				if (index === 0) throw new Error('sync');
				return Promise.resolve(index);
			},
			{ concurrency: 2, stopAtFailure: false },
		);
		expect(outcomes).toEqual([
			{ ok: false, error: new Error('sync') },
			{ ok: true, value: 1 },
		]);
	});
});
