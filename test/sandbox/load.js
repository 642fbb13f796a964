'use strict';
/**
 * Load knobs for the sandbox, for the tests and the benchmark: a latency per request
 * (fixed plus a random jitter), a count of requests in flight with its peak, and a rate limit that
 * answers 429 with Retry-After while more than `maxInFlight` requests are in flight.
 */

/**
 * The live counters of `simulateLoad`.
 * @typedef {object} SandboxLoad
 * @property {number} inFlight Requests received and not yet answered, 429s included.
 * @property {number} peak The most ever in flight at once.
 * @property {number} served Requests let through to the API (after their latency).
 * @property {number} limited Requests answered 429.
 * @property {number} bursts Runs of 429s with nothing in flight between them: a client that honours
 *   Retry-After stops sending while it pauses, so its requests drain, and each burst is one pause.
 */

/**
 * Installs the knobs as the sandbox's first handler (call it right after `reset()`) and returns the
 * live counters.
 * @param {import('./server').Sandbox} sandbox
 * @param {{ latencyMs?: number, jitterMs?: number, maxInFlight?: number, retryAfter?: string }} [options]
 *   Latency and jitter in ms; above `maxInFlight` requests at once, 429 with this `Retry-After`.
 * @returns {SandboxLoad}
 */
function simulateLoad(
	sandbox,
	{ latencyMs = 0, jitterMs = 0, maxInFlight = Infinity, retryAfter = '1' } = {},
) {
	const load = { inFlight: 0, peak: 0, served: 0, limited: 0, bursts: 0 };
	// Whether nothing has been in flight since the last 429 (so the next one starts a burst).
	let drained = true;
	sandbox.use(async (_req, res) => {
		load.inFlight++;
		load.peak = Math.max(load.peak, load.inFlight);
		res.once('close', () => {
			load.inFlight--;
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
		load.served++;
		return false;
	});
	return load;
}

module.exports = { simulateLoad };
