import type { RetryPolicy, RetryState } from '../../nodes/shared/retry';
import {
	backoffDelay,
	decideRetry,
	DEFAULT_RETRY_POLICY,
	formatWait,
	isRetryable,
	parseRetryAfter,
	rateLimitPauseMs,
} from '../../nodes/shared/retry';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3 };
const state = (extra: Partial<RetryState> = {}): RetryState => ({
	attempts: 1,
	elapsedMs: 0,
	now: NOW,
	random: () => 0.5,
	...extra,
});

describe('isRetryable', () => {
	it.each([429, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetryable({ status })).toBe(true);
	});

	it.each([400, 401, 403, 404, 405, 409, 422, 500, 501])('never retries HTTP %i', (status) => {
		expect(isRetryable({ status })).toBe(false);
	});

	it.each([
		'ECONNRESET',
		'ECONNREFUSED',
		'ETIMEDOUT',
		'ECONNABORTED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'EHOSTUNREACH',
	])('retries the network failure %s', (code) => {
		expect(isRetryable({ code })).toBe(true);
	});

	it('does not retry a cancelled execution, an unknown failure, or a status that came with a network code', () => {
		expect(isRetryable({ code: 'ERR_CANCELED' })).toBe(false);
		expect(isRetryable({})).toBe(false);
		expect(isRetryable({ status: 404, code: 'ECONNRESET' })).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	it('reads delta-seconds', () => {
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter(' 30 ', NOW)).toBe(30_000);
	});

	it('reads an HTTP date as the time left until then, and a past date as no wait', () => {
		expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:45 GMT', NOW)).toBe(45_000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		for (const value of [undefined, '', '-5', '1.5', 'soon', '12abc!'])
			expect(parseRetryAfter(value, NOW)).toBeUndefined();
	});
});

describe('rateLimitPauseMs', () => {
	it('is the Retry-After of a 429, seconds or date, and 1 s when it names none', () => {
		expect(rateLimitPauseMs({ status: 429, retryAfter: '2' }, NOW, policy)).toBe(2000);
		expect(
			rateLimitPauseMs({ status: 429, retryAfter: 'Wed, 25 Nov 2026 12:00:05 GMT' }, NOW, policy),
		).toBe(5000);
		expect(rateLimitPauseMs({ status: 429 }, NOW, policy)).toBe(1000);
		expect(rateLimitPauseMs({ status: 429, retryAfter: 'soon' }, NOW, policy)).toBe(1000);
	});

	it("never pauses longer than the policy's longest wait", () => {
		expect(rateLimitPauseMs({ status: 429, retryAfter: '3600' }, NOW, policy)).toBe(
			policy.maxRetryAfterMs,
		);
	});

	it("never pauses past the caller's deadline (nothing starts after it)", () => {
		expect(rateLimitPauseMs({ status: 429, retryAfter: '20' }, NOW, policy, NOW + 3000)).toBe(3000);
		expect(rateLimitPauseMs({ status: 429, retryAfter: '2' }, NOW, policy, NOW + 3000)).toBe(2000);
		expect(rateLimitPauseMs({ status: 429 }, NOW, policy, NOW - 10)).toBe(0);
	});

	it('is undefined for any failure but a 429', () => {
		expect(rateLimitPauseMs({ status: 503, retryAfter: '2' }, NOW, policy)).toBeUndefined();
		expect(rateLimitPauseMs({ code: 'ECONNRESET' }, NOW, policy)).toBeUndefined();
	});
});

describe('backoffDelay', () => {
	it('doubles per attempt, with jitter between half and all of the step', () => {
		expect(backoffDelay(1, policy, () => 0)).toBe(250);
		expect(backoffDelay(1, policy, () => 0.999999)).toBe(500);
		expect(backoffDelay(2, policy, () => 0)).toBe(500);
		expect(backoffDelay(3, policy, () => 0.999999)).toBe(2000);
	});

	it('never exceeds maxDelayMs', () => {
		expect(backoffDelay(30, policy, () => 0.999999)).toBe(policy.maxDelayMs);
	});
});

describe('decideRetry', () => {
	it('retries a retryable failure after the backoff', () => {
		expect(decideRetry({ status: 503 }, state(), policy)).toEqual({ retry: true, delayMs: 375 });
		expect(decideRetry({ code: 'ECONNRESET' }, state({ attempts: 2 }), policy)).toEqual({
			retry: true,
			delayMs: 750,
		});
	});

	it('waits what Retry-After asks instead of the backoff', () => {
		expect(decideRetry({ status: 429, retryAfter: '2' }, state(), policy)).toEqual({
			retry: true,
			delayMs: 2000,
		});
		expect(
			decideRetry({ status: 503, retryAfter: 'Wed, 25 Nov 2026 12:00:03 GMT' }, state(), policy),
		).toEqual({
			retry: true,
			delayMs: 3000,
		});
	});

	it('stops after maxRetries retries; 0 disables retrying', () => {
		expect(decideRetry({ status: 503 }, state({ attempts: 3 }), policy).retry).toBe(true);
		expect(decideRetry({ status: 503 }, state({ attempts: 4 }), policy)).toEqual({ retry: false });
		expect(decideRetry({ status: 503 }, state(), { ...policy, maxRetries: 0 })).toEqual({
			retry: false,
		});
	});

	it('never retries what is not retryable', () => {
		expect(decideRetry({ status: 401 }, state(), policy)).toEqual({ retry: false });
		expect(decideRetry({ status: 404, retryAfter: '1' }, state(), policy)).toEqual({
			retry: false,
		});
	});

	it('fails at once, saying why, when Retry-After is beyond the cap', () => {
		expect(decideRetry({ status: 429, retryAfter: '3600' }, state(), policy)).toEqual({
			retry: false,
			reason: 'PilotStatus asked to wait 60 min, longer than the 30 s this node waits',
		});
	});

	it('keeps all retrying within the retry budget', () => {
		expect(
			decideRetry({ status: 429, retryAfter: '20' }, state({ elapsedMs: 39_000 }), policy).retry,
		).toBe(true);
		expect(
			decideRetry({ status: 429, retryAfter: '20' }, state({ elapsedMs: 41_000 }), policy),
		).toEqual({
			retry: false,
			reason: 'another attempt would pass the 60 s retry budget',
		});
	});

	it("refuses a retry the caller's deadline leaves no time for, and says it was the deadline", () => {
		expect(decideRetry({ status: 503 }, state({ deadline: NOW + 100 }), policy)).toEqual({
			retry: false,
			reason: 'the time this poll may take is used up',
			byDeadline: true,
		});
		expect(decideRetry({ status: 503 }, state({ deadline: NOW + 10_000 }), policy)).toEqual({
			retry: true,
			delayMs: 375,
		});
	});

	it('bounds the total wait of a whole run of retries', () => {
		const worst: RetryPolicy = { ...policy, maxRetries: 10 };
		let elapsedMs = 0;
		let attempts = 1;
		for (;;) {
			const decision = decideRetry(
				{ status: 429, retryAfter: '30' },
				state({ attempts, elapsedMs }),
				worst,
			);
			if (!decision.retry) break;
			elapsedMs += decision.delayMs;
			attempts++;
		}
		expect(elapsedMs).toBeLessThanOrEqual(worst.retryBudgetMs);
		expect(attempts).toBe(3);
	});
});

describe('formatWait', () => {
	it('says seconds, or minutes for long waits', () => {
		expect(formatWait(0)).toBe('0 s');
		expect(formatWait(1500)).toBe('1.5 s');
		expect(formatWait(30_000)).toBe('30 s');
		expect(formatWait(3_600_000)).toBe('60 min');
		expect(formatWait(5 * 3_600_000)).toBe('5 h');
	});

	it('says "more than a day" for any longer wait, however absurd (a Retry-After of years, Infinity)', () => {
		expect(formatWait(24 * 3_600_000)).toBe('24 h');
		expect(formatWait(4_193_437_773 * 60_000)).toBe('more than a day');
		expect(formatWait(Number(`${'9'.repeat(30)}`) * 1000)).toBe('more than a day');
		expect(formatWait(Infinity)).toBe('more than a day');
		expect(formatWait(Number.NaN)).toBe('more than a day');
	});
});
