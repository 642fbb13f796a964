import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isPlainObject } from './flatten';

/** What the failing request was for, so the message can name it. */
export interface RequestContext {
	/** e.g. `GET /v1/numbers` */
	endpoint: string;
	numberId?: string;
	itemIndex?: number;
	/** Strings that must never reach a message: the API key. */
	secrets: string[];
}

const EXCERPT_LENGTH = 200;

export function redact(text: string, secrets: string[]): string {
	let safe = text;
	for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
	return safe;
}

/** A short, single-line piece of a response body, with the key removed, for error descriptions. */
export function excerpt(body: unknown, secrets: string[]): string {
	if (body === undefined || body === null || body === '') return '';
	let text: string;
	if (typeof body === 'string') text = body;
	else if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (isPlainObject(body) && typeof (body.message ?? body.error) === 'string')
		text = String(body.message ?? body.error);
	else text = JSON.stringify(body);
	const oneLine = redact(text, secrets).replace(/\s+/g, ' ').trim();
	return oneLine.length > EXCERPT_LENGTH ? `${oneLine.slice(0, EXCERPT_LENGTH)}…` : oneLine;
}

/** Shortens user-supplied ids (which may come from a runaway expression) for messages. */
export function quoteId(id: string): string {
	return id.length > 60 ? `'${id.slice(0, 60)}…' (${id.length} characters)` : `'${id}'`;
}

export interface HttpFailure {
	status?: number;
	body?: unknown;
	code?: string;
	retryAfter?: string;
}

/** Reads status, body and network code from what n8n's request helpers throw (NodeApiError around an axios error). */
export function readFailure(error: unknown): HttpFailure {
	const candidates: unknown[] = [error];
	if (error instanceof Error && error.cause) candidates.push(error.cause);
	const failure: HttpFailure = {};
	for (const candidate of candidates) {
		if (!candidate || typeof candidate !== 'object') continue;
		const { response, code, httpCode } = candidate as {
			response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
			code?: unknown;
			httpCode?: unknown;
		};
		if (response?.status) {
			failure.status = response.status;
			failure.body = response.data;
			const retryAfter = response.headers?.['retry-after'];
			if (typeof retryAfter === 'string') failure.retryAfter = retryAfter;
		}
		if (!failure.status && typeof httpCode === 'string' && /^\d{3}$/.test(httpCode))
			failure.status = Number(httpCode);
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) failure.code ??= code;
	}
	return failure;
}

function describe(failure: HttpFailure, context: RequestContext): { message: string; description: string } {
	const { status, code } = failure;
	const detail = excerpt(failure.body, context.secrets);
	const apiSaid = detail ? ` PilotStatus said: ${detail}` : '';
	if (status === 401 || status === 403) {
		return {
			message: `The PilotStatus API key was rejected (HTTP ${status})`,
			description: `Check the API key in the PilotStatus credential: it starts with ps_ and must belong to the account that owns the numbers.${apiSaid}`,
		};
	}
	if (status === 404 && context.numberId !== undefined) {
		return {
			message: `Number ${quoteId(context.numberId)} was not found in this PilotStatus account`,
			description:
				'Check the number ID (a List step shows the IDs this API key can see). A number-scoped key only sees its own number.',
		};
	}
	if (status === 429) {
		const wait = failure.retryAfter ? ` It asked to wait ${failure.retryAfter} seconds.` : '';
		return {
			message: `PilotStatus rate limit reached (HTTP 429) on ${context.endpoint}`,
			description: `Too many requests were made with this API key.${wait} Run the workflow less often or on fewer items at once.`,
		};
	}
	if (status !== undefined && status >= 500) {
		return {
			message: `PilotStatus is unavailable (HTTP ${status}) on ${context.endpoint}`,
			description: `The PilotStatus API had a problem answering. Try again in a few minutes.${apiSaid}`,
		};
	}
	if (status !== undefined) {
		return {
			message: `PilotStatus rejected ${context.endpoint} (HTTP ${status})`,
			description: `Check the node's parameters and the Base URL in the credential.${apiSaid}`,
		};
	}
	return {
		message: `Could not reach PilotStatus for ${context.endpoint}${code ? ` (${code})` : ''}`,
		description:
			'Check the Base URL in the PilotStatus credential and that this n8n instance can reach it.',
	};
}

/**
 * Turns any failure of a PilotStatus request into one NodeApiError that says what to fix. It is
 * built from a plain object rather than from the caught error, because that error carries the
 * request options, headers included, and so the API key.
 */
export function pilotStatusApiError(node: INode, error: unknown, context: RequestContext): NodeApiError {
	const failure = readFailure(error);
	const { message, description } = describe(failure, context);
	const safe: JsonObject = { message, description };
	if (failure.status !== undefined) safe.httpCode = String(failure.status);
	return new NodeApiError(node, safe, {
		message,
		description,
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		itemIndex: context.itemIndex,
	});
}

/** The API answered 2xx with something that is not what the endpoint promises. */
export function unexpectedResponseError(
	node: INode,
	body: unknown,
	expected: string,
	context: RequestContext,
): NodeApiError {
	const got = typeof body === 'string' ? 'a response that is not JSON' : `JSON that is not ${expected}`;
	const detail = excerpt(body, context.secrets);
	const message = `PilotStatus returned ${got} for ${context.endpoint}`;
	const description = `Expected ${expected}.${detail ? ` The response began: ${detail}` : ''} Check the Base URL in the credential: a proxy or a wrong host can answer with an HTML page.`;
	return new NodeApiError(node, { message, description }, { message, description, itemIndex: context.itemIndex });
}

/** Errors already shaped by this package pass through; anything else becomes a NodeOperationError for its item. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}
