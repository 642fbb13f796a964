'use strict';
/**
 * Load knobs for the sandbox, for the tests and the benchmark: a latency per request
 * (fixed plus a random jitter), a count of requests in flight with its peak and mean, a rate limit
 * that answers 429 with Retry-After while more than `maxInFlight` requests are in flight, and a
 * queue: an API that works on at most `servesAtOnce` requests at a time, `serviceMs` each, while
 * the others wait their turn (first come, first served) instead of being refused.
 */

/**
 * The live counters of `simulateLoad`.
 * @typedef {object} SandboxLoad
 * @property {number} inFlight Requests received and not yet answered, 429s included.
 * @property {number} peak The most ever in flight at once.
 * @property {number} meanInFlight In flight on average, weighted by time, over the time anything
 *   was (0 until the first change after something was in flight): by Little's law, answers per
 *   second times the time each spent at the API (latency, queue and work), so at a queueing API a
 *   client that keeps fewer waiting reads lower.
 * @property {number} servingPeak The most worked on at once (counted apart from the queue's own
 *   bookkeeping, so it shows whether the queue held: at most `servesAtOnce`).
 * @property {number} served Requests let through to the API (after their latency).
 * @property {number} limited Requests answered 429.
 * @property {number} bursts Runs of 429s with nothing in flight between them: a client that honours
 *   Retry-After stops sending while it pauses, so its requests drain, and each burst is one pause.
 */

/**
 * Installs the knobs as the sandbox's first handler (call it right after `reset()`) and returns the
 * live counters.
 * @param {import('./server').Sandbox} sandbox
 * @param {{ latencyMs?: number, jitterMs?: number, maxInFlight?: number, retryAfter?: string,
 *   servesAtOnce?: number, serviceMs?: number }} [options]
 *   Latency and jitter in ms (the network, before the queue); above `maxInFlight` requests at
 *   once, 429 with this `Retry-After`; then at most `servesAtOnce` (a whole number from 1) worked
 *   on at a time, first come first served, for `serviceMs` ms each. A request whose client gave up
 *   while it waited keeps its place and is still worked on, as a server that has not noticed does;
 *   it no longer counts in flight (nor toward `maxInFlight`, `peak` or `meanInFlight`).
 * @returns {SandboxLoad}
 */
function simulateLoad(
	sandbox,
	{
		latencyMs = 0,
		jitterMs = 0,
		maxInFlight = Infinity,
		retryAfter = '1',
		servesAtOnce = Infinity,
		serviceMs = 0,
	} = {},
) {
	if (!(servesAtOnce === Infinity || (Number.isInteger(servesAtOnce) && servesAtOnce >= 1)))
		throw new Error(`servesAtOnce must be a whole number from 1, got ${servesAtOnce}`);
	const load = {
		inFlight: 0,
		peak: 0,
		meanInFlight: 0,
		servingPeak: 0,
		served: 0,
		limited: 0,
		bursts: 0,
	};
	// Whether nothing has been in flight since the last 429 (so the next one starts a burst).
	let drained = true;
	// Time with requests in flight (ms) and its sum weighted by how many (request·ms).
	const busy = { since: 0, ms: 0, sum: 0 };
	/** @param {number} change */
	const countInFlight = (change) => {
		const now = performance.now();
		if (load.inFlight > 0) {
			busy.ms += now - busy.since;
			busy.sum += load.inFlight * (now - busy.since);
		}
		busy.since = now;
		load.inFlight += change;
		if (busy.ms > 0) load.meanInFlight = busy.sum / busy.ms;
	};
	/** @type {{ serving: number, waiting: Array<() => void> }} */
	const queue = { serving: 0, waiting: [] };
	// Worked on now, counted apart from `queue.serving` so servingPeak shows whether the queue held.
	let working = 0;
	const workedOn = async () => {
		if (queue.serving >= servesAtOnce)
			await new Promise((resolve) => queue.waiting.push(() => resolve(undefined)));
		else queue.serving++;
		working++;
		load.servingPeak = Math.max(load.servingPeak, working);
		await new Promise((resolve) => setTimeout(resolve, serviceMs));
		working--;
		// Hands its place to the next in line, or frees it.
		const next = queue.waiting.shift();
		if (next) next();
		else queue.serving--;
	};
	sandbox.use(async (_req, res) => {
		countInFlight(1);
		load.peak = Math.max(load.peak, load.inFlight);
		res.once('close', () => {
			countInFlight(-1);
			if (load.inFlight === 0) drained = true;
		});
		if (load.inFlight > maxInFlight) {
			load.limited++;
			if (drained) load.bursts++;
			drained = false;
			const text = JSON.stringify({
				error: 'Too Many Requests',
				message: `At most ${maxInFlight} requests at once`,
			});
			res.writeHead(429, {
				'content-type': 'application/json',
				'retry-after': retryAfter,
				'content-length': Buffer.byteLength(text),
			});
			res.end(text);
			return true;
		}
		const delay = latencyMs + Math.random() * jitterMs;
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		if (servesAtOnce < Infinity || serviceMs > 0) await workedOn();
		load.served++;
		return false;
	});
	return load;
}

module.exports = { simulateLoad };
