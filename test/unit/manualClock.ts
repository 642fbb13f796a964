import type { Clock } from '../../nodes/shared/throttle';

/** A clock that only moves when the test moves it: `sleep` wakes when `advance` passes its time. */
export class ManualClock implements Clock {
	time = 0;
	private sleepers: Array<{ at: number; wake: () => void }> = [];

	now() {
		return this.time;
	}

	async sleep(ms: number) {
		await new Promise<void>((wake) => this.sleepers.push({ at: this.time + ms, wake }));
	}

	advance(ms: number) {
		this.time += ms;
		const due = this.sleepers.filter((sleeper) => sleeper.at <= this.time);
		this.sleepers = this.sleepers.filter((sleeper) => sleeper.at > this.time);
		for (const sleeper of due) sleeper.wake();
	}
}

/** Lets every promise callback and I/O callback that is ready run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));
