/**
 * Options → Concurrency Auto (the default), end to end: the built node in n8n-core against the
 * sandbox with latency, an in-flight counter and a rate limit. No timings are asserted; the sandbox
 * counts what crossed the wire. The limit's own decisions are unit-tested in
 * test/unit/concurrencyLimit.test.ts.
 */
import path from 'node:path';

import { runNode } from '../harness/n8n';
import { ID_FROM_INPUT, get } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';
import { getsUnderLoad, ids, indexes, inputOf, pairing } from './helpers';

const { sandbox, credentials } = useSandbox();

describe('Concurrency Auto (the default)', () => {
	/** 300 Gets with these Options under `knobs`: every item, in order and paired (getsUnderLoad). */
	const gets300 = (knobs: Parameters<typeof simulateLoad>[1], options = {}) =>
		getsUnderLoad({ sandbox, credentials }, 300, knobs, options);

	it.each([
		['left out (the default)', {}],
		['0, as the option shows Auto', { concurrency: 0 }],
	])(
		'with Concurrency %s, sends more than 5 at once while PilotStatus answers steadily, up to 50, items in input order',
		async (_, options) => {
			const load = await gets300({ latencyMs: 30 }, options);
			expect(load.peak).toBeGreaterThan(5);
			expect(load.peak).toBeLessThanOrEqual(50);
		},
	);

	/** 300 Gets against a limit of `maxInFlight` (429 above it): every item, in order, and the 429s. */
	const underLimit = (maxInFlight: number) =>
		gets300({ latencyMs: 20, maxInFlight, retryAfter: '1' });

	// One pause is what a run pays when n8n reads each answer as it comes (the limit's decision is
	// pinned in test/unit/concurrencyLimit.test.ts); on a machine too busy for that, answers
	// PilotStatus has already sent are still counted in flight, the first estimate is too high and
	// a second burst corrects it. Before the estimate counted the accepted requests, every run
	// that met the limit paid two or three.
	it('under a limit of 10 in flight (429 above it), loses no item and pauses once or twice, not again and again', async () => {
		// Whether Auto gets past 10 depends on how answers per second rise on this machine.
		const load = await underLimit(10);
		expect(load.bursts).toBeLessThanOrEqual(2);
		expect(load.limited).toBeLessThan(30);
	});

	it('finds a limit its first doubling (5 → 10) passes, loses no item to it, and pauses once or twice', async () => {
		const load = await underLimit(6);
		expect(load.bursts).toBeGreaterThanOrEqual(1);
		expect(load.bursts).toBeLessThanOrEqual(2);
		expect(load.limited).toBeLessThan(30);
	});

	it('against a PilotStatus that queues what it cannot work on at once (3 at a time) instead of refusing it, returns every item in order, none failed', async () => {
		const load = await gets300({ latencyMs: 10, servesAtOnce: 3, serviceMs: 5 });
		expect(load.limited).toBe(0);
		// The queue held: requests beyond 3 waited their turn rather than being worked on.
		expect(load.servingPeak).toBe(3);
		expect(load.peak).toBeGreaterThan(3);
		expect(load.peak).toBeLessThanOrEqual(50);
		// What the benchmark's Mean in flight column reads: never above the peak.
		expect(load.meanInFlight).toBeGreaterThan(0);
		expect(load.meanInFlight).toBeLessThanOrEqual(load.peak);
	});
});

describe('a fixed Concurrency, where Auto would grow', () => {
	// 1 also sends in input order: see many-items.test.ts.
	it.each([1, 5])(
		'%i stays exactly that many in flight, however steadily PilotStatus answers',
		async (concurrency) => {
			const numberIds = addNumbers(sandbox, 200);
			const load = simulateLoad(sandbox, { latencyMs: 10 });
			const result = await runNode({
				parameters: get(ID_FROM_INPUT, { options: { concurrency } }),
				credentials,
				input: inputOf(numberIds),
			});
			expect(ids(result.items)).toEqual(numberIds);
			expect(load.peak).toBe(concurrency);
		},
	);
});

describe('answers that arrive together', () => {
	// The built module the node runs: the spy counts its calls and lets each through.
	const { AnswerTurns } = require(path.resolve(__dirname, '../../dist/nodes/shared/answerTurns'));

	it("are each handed on through the run's turns (nodes/shared/answerTurns.ts) before they are handled, items in input order", async () => {
		const take = jest.spyOn(AnswerTurns.prototype, 'take');
		try {
			const numberIds = addNumbers(sandbox, 40);
			simulateLoad(sandbox, { latencyMs: 20 });
			const result = await runNode({
				parameters: get(ID_FROM_INPUT, { options: { concurrency: 10 } }),
				credentials,
				input: inputOf(numberIds),
			});
			expect(ids(result.items)).toEqual(numberIds);
			expect(take).toHaveBeenCalledTimes(40);
		} finally {
			take.mockRestore();
		}
	});
});
