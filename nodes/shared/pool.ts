/** How one task of a pool ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `run` and tells how it ended, so a failure can be handed on as a value. */
export async function settle<T>(run: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error };
	}
}

export interface PoolOptions {
	/**
	 * At most this many tasks run at once (1 = strictly one after another); a function is asked
	 * again whenever a task ends, so the pool can follow a limit that moves (the node run's throttle).
	 */
	concurrency: number | (() => number);
	/**
	 * Sequential semantics for a run that stops at its first failure: no task after a failed one
	 * is started, the tasks before it finish, and the outcomes end at the first failure in index
	 * order (which may not be the first to fail in time).
	 */
	stopAtFailure: boolean;
}

/**
 * Runs `task(0) … task(count - 1)` with at most `concurrency` of them at once, started in index
 * order, and returns their outcomes in index order, so callers can treat them as if they had run
 * one after another.
 */
export async function runPool<T>(
	count: number,
	task: (index: number) => Promise<T>,
	{ concurrency, stopAtFailure }: PoolOptions,
): Promise<Array<Outcome<T>>> {
	const width = typeof concurrency === 'function' ? concurrency : () => concurrency;
	const outcomes: Array<Outcome<T>> = new Array(count);
	let next = 0;
	let running = 0;
	// One past the last index that may still be started; lowered to a failed index when stopping.
	let end = count;

	return await new Promise((resolve) => {
		const fill = () => {
			while (next < end && running < Math.max(1, Math.floor(width()))) start(next++);
			if (running === 0) resolve(outcomes.slice(0, end));
		};
		const start = (index: number) => {
			running++;
			void settle(() => task(index)).then((outcome) => {
				outcomes[index] = outcome;
				running--;
				if (!outcome.ok && stopAtFailure) end = Math.min(end, index + 1);
				fill();
			});
		};
		fill();
	});
}

/** The values in index order, or the first failure in index order, thrown as it was. */
export function valuesOrFirstFailure<T>(outcomes: Array<Outcome<T>>): T[] {
	return outcomes.map((outcome) => {
		if (!outcome.ok) throw outcome.error;
		return outcome.value;
	});
}

/**
 * `runPool` for callers that need every task to succeed: it stops at the first failure in index
 * order and throws it; otherwise the values in index order.
 */
export async function mapInPool<T>(
	count: number,
	task: (index: number) => Promise<T>,
	concurrency: number,
): Promise<T[]> {
	return valuesOrFirstFailure(await runPool(count, task, { concurrency, stopAtFailure: true }));
}
