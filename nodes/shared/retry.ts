import { MAX_RETRIES } from './settings';

/**
 * When to send a failed PilotStatus request again, and how long to wait first. Pure: the transport
 * owns the loop and the waiting; this module only decides. Every PilotStatus request is a GET, so
 * sending one again is always safe.
 */

/** What an attempt's failure looked like, as far as retrying is concerned. */
export interface AttemptFailure {
	/** HTTP status, when PilotStatus (or a proxy) answered. */
	status?: number;
	/** Network error code (`ECONNRESET`, `ETIMEDOUT`...), when nothing answered. */
	code?: string;
	/** The `Retry-After` header as sent: seconds, or an HTTP date. */
	retryAfter?: string;
	/** The attempt ran out of its time (Timeout) before the whole answer arrived. */
	timedOut?: boolean;
	/** The connection closed or failed before the whole answer arrived. */
	cut?: boolean;
}

export interface RetryPolicy {
	/** Retries after the first attempt; 0 disables retrying. */
	maxRetries: number;
	/** The first backoff; each later one doubles, before jitter. */
	baseDelayMs: number;
	/** No backoff wait is longer than this. */
	maxDelayMs: number;
	/** A `Retry-After` longer than this is not waited for: the request fails at once, saying so. */
	maxRetryAfterMs: number;
	/** No retry starts later than this after the first attempt did. */
	retryBudgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: MAX_RETRIES.default,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 30_000,
	retryBudgetMs: 60_000,
};

/** Statuses that say "not now" rather than "never": rate limited, or a gateway in front of the API failed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Network failures a later attempt can get past: reset, refused, unreachable, DNS, timeout. */
const RETRYABLE_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryable(failure: AttemptFailure): boolean {
	if (failure.timedOut || failure.cut) return true;
	if (failure.status !== undefined) return RETRYABLE_STATUSES.has(failure.status);
	return failure.code !== undefined && RETRYABLE_CODES.has(failure.code);
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds (`"30"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`; a date in the past means no wait). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: attempt 1 waits between half and all of `baseDelayMs`, attempt 2 twice that... */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type RetryDecision =
	| { retry: true; delayMs: number }
	/**
	 * `reason` completes "Not retried: ..." in the final error, when retrying was possible but not
	 * done; `byDeadline` when the caller's deadline left no time for the retry (the trigger tells
	 * such failures apart: they say nothing about the number asked for).
	 */
	| { retry: false; reason?: string; byDeadline?: true };

export interface RetryState {
	/** Attempts made so far, the failed one included (1 after the first). */
	attempts: number;
	/** Milliseconds since the first attempt started. */
	elapsedMs: number;
	/** Clock, as `Date.now()`, for `Retry-After` dates. */
	now: number;
	/** 0 ≤ n < 1, as `Math.random()`. */
	random: () => number;
	/** When the caller must have its answer, in epoch ms: no retry starts after it. */
	deadline?: number;
}

/** Whether to try again after a failed attempt, and after how long. */
export function decideRetry(
	failure: AttemptFailure,
	state: RetryState,
	policy: RetryPolicy,
): RetryDecision {
	if (!isRetryable(failure) || state.attempts > policy.maxRetries) return { retry: false };
	const askedMs = parseRetryAfter(failure.retryAfter, state.now);
	if (askedMs !== undefined && askedMs > policy.maxRetryAfterMs) {
		return {
			retry: false,
			reason: `PilotStatus asked to wait ${formatWait(askedMs)}, longer than the ${formatWait(policy.maxRetryAfterMs)} this node waits`,
		};
	}
	const delayMs = askedMs ?? backoffDelay(state.attempts, policy, state.random);
	if (state.deadline !== undefined && state.now + delayMs >= state.deadline) {
		return { retry: false, reason: 'the time this poll may take is used up', byDeadline: true };
	}
	if (state.elapsedMs + delayMs > policy.retryBudgetMs) {
		return {
			retry: false,
			reason: `another attempt would pass the ${formatWait(policy.retryBudgetMs)} retry budget`,
		};
	}
	return { retry: true, delayMs };
}

/** The pause when a 429 names none. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 1000;

/**
 * How long every request of the run holds off after this failure, in milliseconds: for a 429, the
 * `Retry-After` PilotStatus asked for (1 s when it named none), at most the policy's longest wait
 * and never past the caller's `deadline` (epoch ms), since nothing starts after it anyway;
 * undefined for any other failure.
 */
export function rateLimitPauseMs(
	failure: AttemptFailure,
	now: number,
	policy: RetryPolicy,
	deadline = Infinity,
): number | undefined {
	if (failure.status !== 429) return undefined;
	const askedMs = parseRetryAfter(failure.retryAfter, now) ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
	return Math.max(0, Math.min(askedMs, policy.maxRetryAfterMs, deadline - now));
}

/** Beyond this a wait reads as "more than a day" (a Retry-After of years, or Infinity). */
const LONGEST_SAID_MS = 24 * 60 * 60_000;

/** `1.5 s`, `30 s`, `2 min`, `5 h`, `more than a day`: for messages. */
export function formatWait(ms: number): string {
	if (!(ms <= LONGEST_SAID_MS)) return 'more than a day';
	if (ms >= 2 * 60 * 60_000) return `${Math.round(ms / (60 * 60_000))} h`;
	if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
	const seconds = ms / 1000;
	return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
