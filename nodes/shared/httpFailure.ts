import type { Answer, AnswerReadError } from './answer';
import type { AttemptFailure } from './retry';

/**
 * A failed attempt, as far as messages need it: an answer PilotStatus gave with an error status
 * (failureOfAnswer), or what n8n's request helper threw when no answer came (readFailure).
 */
export interface HttpFailure extends AttemptFailure {
	body?: unknown;
	/** Why an error answer's body could not be used (see Answer.malformed). */
	bodyProblem?: string;
	/** A redirect's target (`Location`): redirects are never followed, so the key stays home. */
	redirectTo?: string;
	/** An answer (with this status) larger than the limit for its kind of request, in bytes. */
	tooLarge?: { status: number; limitBytes: number };
	/** The caller's deadline (RequestSettings.deadline), not the Timeout, ended the attempt. */
	deadlinePassed?: boolean;
	/** The status of an answer that was cut (see `cut`). */
	cutStatus?: number;
	/** The underlying error's own message, for failures that have neither a status nor a known code. */
	reason?: string;
}

/** An answer whose status is not 2xx, as a failure: its status, body, `Retry-After`, `Location`. */
export function failureOfAnswer({ status, headers, body, malformed }: Answer): HttpFailure {
	const header = (name: string) =>
		typeof headers[name] === 'string' ? (headers[name] as string) : undefined;
	return {
		status,
		body,
		...(malformed ? { bodyProblem: malformed } : {}),
		...(header('retry-after') !== undefined ? { retryAfter: header('retry-after') } : {}),
		...(status >= 300 && status < 400 ? { redirectTo: header('location') ?? '' } : {}),
	};
}

/**
 * An answer that could not be read whole, as a failure. `aborted` is the attempt's deadline
 * unless the execution was cancelled.
 */
export function failureOfUnreadAnswer(error: AnswerReadError, cancelled: boolean): HttpFailure {
	if (error.reason === 'tooLarge') {
		return { tooLarge: { status: error.status, limitBytes: error.limitBytes } };
	}
	if (error.reason === 'cut') {
		return {
			cut: true,
			cutStatus: error.status,
			...(error.detail ? { reason: error.detail } : {}),
		};
	}
	return cancelled ? { code: 'ERR_CANCELED' } : { timedOut: true };
}

type ErrorLike = {
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
	code?: unknown;
	httpCode?: unknown;
	message?: unknown;
};

/** Reads status, body, `Retry-After` and network code from the error and its cause. */
export function readFailure(error: unknown): HttpFailure {
	const candidates: unknown[] = [error];
	if (error instanceof Error && error.cause) candidates.push(error.cause);
	const failure: HttpFailure = {};
	for (const candidate of candidates) {
		if (!candidate || typeof candidate !== 'object') continue;
		const { response, code, httpCode, message } = candidate as ErrorLike;
		// The innermost message is the most precise (the cause, before n8n rewords it).
		if (typeof message === 'string' && message) failure.reason = message;
		if (response?.status) {
			failure.status = response.status;
			failure.body = response.data;
			const retryAfter = response.headers?.['retry-after'];
			if (typeof retryAfter === 'string') failure.retryAfter = retryAfter;
		}
		if (!failure.status && typeof httpCode === 'string' && /^\d{3}$/.test(httpCode))
			failure.status = Number(httpCode);
		if (typeof code === 'string' && /^(E|UND_ERR_)[A-Z_]+$/.test(code)) {
			failure.code ??= code;
			// axios reports its own timeout as ECONNABORTED, with a message saying so.
			if (
				/TIMEOUT|TIMEDOUT/.test(code) ||
				(code === 'ECONNABORTED' && /timeout/i.test(String(message)))
			)
				failure.timedOut = true;
		}
	}
	return failure;
}
