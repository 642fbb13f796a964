import type { Sandbox } from './server';

export interface SandboxLoad {
	/** Requests received and not yet answered, 429s included. */
	inFlight: number;
	peak: number;
	/** Requests let through to the API (after their latency). */
	served: number;
	/** Requests answered 429. */
	limited: number;
}

export function simulateLoad(
	sandbox: Sandbox,
	options?: { latencyMs?: number; jitterMs?: number; maxInFlight?: number; retryAfter?: string },
): SandboxLoad;
