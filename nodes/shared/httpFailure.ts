import type { AttemptFailure } from './retry';

/** A failed request as read from what n8n's request helpers throw (a NodeApiError around an axios error). */
export interface HttpFailure extends AttemptFailure {
	body?: unknown;
	timedOut?: boolean;
	/** The underlying error's own message, for failures that have neither a status nor a known code. */
	reason?: string;
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
