import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Wording } from './audience';
import { userFixesHint, worded } from './audience';
import type { HttpFailure } from './httpFailure';
import { isPlainObject } from './objects';
import { formatWait, parseRetryAfter } from './retry';
import { redact, redactSecretFields, withoutSecrets } from './secrets';

/** What the failing request was for, so the message can name it. */
export interface RequestContext {
	/** e.g. `GET /v1/numbers` */
	endpoint: string;
	/** Host (and port) of the Base URL, for network failures. Never carries the key. */
	host: string;
	/** The URL asked for, to resolve a relative redirect. Never carries the key. */
	url: string;
	/** The per-request timeout in force, in ms. */
	timeoutMs: number;
	numberId?: string;
	itemIndex?: number;
	/** Strings that must never reach a message: the API key. */
	secrets: string[];
}

/** How the retries went, for the final error. */
export interface AttemptsSummary {
	attempts: number;
	/** Why a retryable failure was not retried (a long Retry-After, the retry budget). */
	notRetried?: string;
	/** The caller's deadline, not the request, stopped it: it left no time for the retry. */
	byDeadline?: boolean;
}

/** The errors of requests the caller's deadline ended (see endedByDeadline). */
const deadlineEnded = new WeakSet<NodeApiError>();

/**
 * Whether `error` is pilotStatusApiError's for a request the caller's deadline ended: its last
 * attempt was cut at the deadline, or the deadline left no time for a retry. Such a failure says
 * nothing about what was asked for (details.ts, the trigger's poll budget).
 */
export function endedByDeadline(error: unknown): boolean {
	return error instanceof NodeApiError && deadlineEnded.has(error);
}

const EXCERPT_LENGTH = 200;

/**
 * Text as a person reads it: JSON's `\uXXXX` and `\/` escapes and HTML's numeric character
 * references decoded, so a key written that way in a body that is not JSON is redacted like any
 * other (an escaped letter would otherwise hide it from the search).
 */
function readable(text: string): string {
	return text
		.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/\\\//g, '/')
		.replace(/&#(x[0-9a-fA-F]{1,6}|\d{1,7});/g, (entity, code: string) => {
			const point = code[0] === 'x' ? parseInt(code.slice(1), 16) : Number(code);
			return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
		});
}

/** A short, single-line piece of a response body, without the key or secret-looking fields, for error descriptions. */
export function excerpt(body: unknown, secrets: string[]): string {
	if (body === undefined || body === null || body === '') return '';
	let text: string;
	if (typeof body === 'string') text = body;
	else if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (isPlainObject(body) && typeof (body.message ?? body.error) === 'string')
		text = String(body.message ?? body.error);
	else text = JSON.stringify(withoutSecrets(body));
	const oneLine = redactSecretFields(redact(readable(text), secrets))
		.replace(/\s+/g, ' ')
		.trim();
	return oneLine.length > EXCERPT_LENGTH ? `${oneLine.slice(0, EXCERPT_LENGTH)}…` : oneLine;
}

/** Shortens user-supplied ids (which may come from a runaway expression) for messages. */
export function quoteId(id: string): string {
	return id.length > 60 ? `'${id.slice(0, 60)}…' (${id.length} characters)` : `'${id}'`;
}

/** Said wherever PilotStatus refuses the key: by the node, and by the credential's Test. */
export const keyRejectedMessage = (status: number) =>
	`The PilotStatus API key was rejected (HTTP ${status})`;
export const KEY_REJECTED_HINT =
	'Check the API key in the PilotStatus credential: it starts with ps_ and must belong to the account that owns the numbers.';

/** What to do about a rejected key (HTTP 401, 403) in the node: a model cannot change the key. */
const KEY_REJECTED_WORDING: Wording = {
	workflow: KEY_REJECTED_HINT,
	tool: userFixesHint(
		"PilotStatus refused the API key of this tool's PilotStatus credential, which only the user can change",
		'check the API key in its PilotStatus credential: it starts with ps_ and must belong to the account that owns the numbers',
	),
};

/** What to do about another refused request (HTTP 4xx): the node's settings or the Base URL. */
const REJECTED_WORDING: Wording = {
	workflow: "Check the node's parameters and the Base URL in the credential.",
	tool: userFixesHint(
		'PilotStatus refused the request as this tool is set up in n8n, which only the user can change',
		"check the tool's parameters and the Base URL in its PilotStatus credential",
	),
};

/** What to do about a redirect, said by the node and by the credential's Test. */
const REDIRECT_HINT =
	'Set the Base URL in the PilotStatus credential to the address the API is served at; a proxy in front of PilotStatus must forward requests, not redirect them.';

/** The credential Test's message for a redirect (n8n's Test cannot name where it pointed). */
export const redirectRefusedMessage = (status: number) =>
	`PilotStatus answered with a redirect (HTTP ${status}), which is not followed: the API key is only ever sent to the Base URL. ${REDIRECT_HINT}`;

/** What to do about an id PilotStatus does not know (HTTP 404). */
const NOT_FOUND_HINT: Wording = {
	workflow:
		'Check the number ID (a List step shows the IDs this API key can see). A number-scoped key only sees its own number.',
	// A tool looks every value that reads as a phone number up by phone first (resolveNumber.ts):
	// one that reaches the API as an id did not read as one.
	tool: 'It was taken as an id, since it does not read as a phone number (such as +55 11 98888-7777). Call the List numbers tool to see the ids and phone numbers (e.g. wa_abc), then call this tool again with one of them. A number-scoped API key only sees its own number.',
};

/** What to do about HTTP 429, with the wait PilotStatus asked for when it said (Retry-After). */
function rateLimitedHint(node: INode, askedMs: number | undefined): string {
	const wait = askedMs !== undefined ? formatWait(askedMs) : 'a minute or so';
	return worded(node, {
		workflow:
			'Too many requests were made with this API key. Run the workflow less often or on fewer items at once, or wait before running it again.',
		tool: `Too many requests were made with this API key in a short time, so PilotStatus refused this one. Do not call again right away: wait ${wait} before calling a PilotStatus tool again. Then make fewer calls: one List numbers call gives every number's state, so call Get or Check Status only for the numbers you need.`,
	});
}

const NETWORK_CAUSES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed',
	ENOTFOUND: 'the host name was not found (DNS)',
	EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ENETDOWN: 'the network is down',
	ERR_CANCELED: 'the execution was cancelled',
};

interface Described {
	message: string;
	description: string;
	failure?: NodeApiError['failure'];
}

/** The response body for a description: the API's own message when it sent JSON, else a safe excerpt. */
function bodyDetail(body: unknown, secrets: string[]): string {
	const text = excerpt(body, secrets);
	if (!text) return '';
	return typeof body === 'string' || Buffer.isBuffer(body)
		? ` The response was not JSON (often a proxy's error page); it began: "${text}".`
		: ` PilotStatus said: "${text}".`;
}

/** Where a redirect pointed, absolute when it can be, redacted and short, for a message. */
function redirectTarget(
	location: string,
	context: RequestContext,
): { shown: string; origin?: string } {
	let target: URL | undefined;
	try {
		target = new URL(location, context.url);
	} catch {
		target = undefined;
	}
	const text = redact(target?.href ?? location, context.secrets);
	const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
	return { shown: shown || '(no Location header)', origin: target?.origin };
}

const MIB = 1024 * 1024;

/**
 * What to say for a failed request, by cause: the message (what happened) and the description
 * (what to do).
 */
function describe(node: INode, failure: HttpFailure, context: RequestContext): Described {
	const { status, code } = failure;
	const { endpoint } = context;
	const detail =
		bodyDetail(failure.body, context.secrets) +
		(failure.bodyProblem ? ` Its body could not be read: ${failure.bodyProblem}.` : '');
	if (failure.redirectTo !== undefined) {
		const { shown, origin } = redirectTarget(failure.redirectTo, context);
		return {
			message: `PilotStatus answered ${endpoint} with a redirect (HTTP ${status}) to ${shown}, which the node does not follow`,
			description: `The API key is only ever sent to the Base URL, so it was not sent there${origin ? ` (the redirect points to ${origin})` : ''}. ${REDIRECT_HINT}`,
			failure: { cause: 'configuration-invalid' },
		};
	}
	if (failure.tooLarge) {
		const { limitBytes } = failure.tooLarge;
		return {
			message: `PilotStatus's answer to ${endpoint} is larger than ${limitBytes / MIB} MiB (HTTP ${failure.tooLarge.status}), the most the node reads for it`,
			description: `This is far more than the API sends (a list of 100,000 numbers is about 40 MB; one number's detail about 1 KB), so it was not read. Check the Base URL in the credential: a wrong host or a proxy can answer with something else.`,
		};
	}
	if (failure.cut) {
		return {
			message: `The connection to PilotStatus closed before the whole answer to ${endpoint} arrived${failure.cutStatus ? ` (HTTP ${failure.cutStatus})` : ''}`,
			description: `PilotStatus, or the network or a proxy on the way, dropped the answer part way. Try again in a few minutes; if it keeps happening, check the proxy in front of PilotStatus.`,
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (status === 401 || status === 403) {
		return {
			message: keyRejectedMessage(status),
			description: `${worded(node, KEY_REJECTED_WORDING)}${detail}`,
			failure: { cause: 'credential-invalid' },
		};
	}
	if (status === 404 && context.numberId !== undefined) {
		return {
			message: `Number ${quoteId(context.numberId)} was not found in this PilotStatus account`,
			description: worded(node, NOT_FOUND_HINT),
			failure: { cause: 'configuration-invalid' },
		};
	}
	if (status === 429) {
		const askedMs = parseRetryAfter(failure.retryAfter, Date.now());
		return {
			message: `PilotStatus rate limit reached (HTTP 429) on ${endpoint}${askedMs !== undefined ? `: it asked to wait ${formatWait(askedMs)}` : ''}`,
			description: rateLimitedHint(node, askedMs),
			failure: {
				cause: 'rate-limited',
				...(askedMs !== undefined ? { retryAfterMs: askedMs } : {}),
			},
		};
	}
	if (status !== undefined && status >= 500) {
		return {
			message: `PilotStatus is unavailable (HTTP ${status}) on ${endpoint}`,
			description: `The PilotStatus API, or a proxy in front of it, had a problem answering. Try again in a few minutes.${detail}`,
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (status !== undefined) {
		return {
			message: `PilotStatus rejected ${endpoint} (HTTP ${status})`,
			description: `${worded(node, REJECTED_WORDING)}${detail}`,
		};
	}
	if (failure.deadlinePassed) {
		return {
			message: `PilotStatus did not answer ${endpoint} within the time left for this poll`,
			description:
				'n8n gives each poll a time budget, and this request would have run past it. The numbers it could not check are checked at the next polls.',
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	if (failure.timedOut) {
		return {
			message: `PilotStatus did not answer ${endpoint} within ${context.timeoutMs} ms`,
			description:
				'PilotStatus (or the network to it) is slow right now: the whole answer must arrive within the Timeout. Try again later, or raise the Timeout option of the node (Refresh asks PilotStatus for live Meta data, which takes longer).',
			failure: { cause: 'temporarily-unavailable' },
		};
	}
	const cause = (code && NETWORK_CAUSES[code]) ?? 'a network error';
	const reported = code
		? ` (error code ${code})`
		: failure.reason
			? ` (n8n reported: "${excerpt(failure.reason, context.secrets)}")`
			: '';
	return {
		message: `Could not reach PilotStatus at ${context.host} for ${endpoint}: ${cause}`,
		description: `Check the Base URL in the PilotStatus credential and that this n8n instance can reach ${context.host}${reported}.`,
	};
}

/**
 * n8n replaces a message that merely contains a system error code (EPERM, ENOENT...) with a generic
 * one; an id or a host name can contain such letters by chance, so the message is set back.
 */
function withMessage<T extends NodeApiError | NodeOperationError>(error: T, message: string): T {
	error.message = message;
	return error;
}

function attemptsNote({ attempts, notRetried }: AttemptsSummary): { suffix: string; note: string } {
	const tried =
		attempts > 1 ? ` Tried ${attempts} times; every attempt failed, the last one as above.` : '';
	return {
		suffix: attempts > 1 ? ` (${attempts} attempts)` : '',
		note: `${tried}${notRetried ? ` Not retried: ${notRetried}.` : ''}`,
	};
}

/**
 * Turns any failure of a PilotStatus request into one NodeApiError that says what to fix. It is
 * built from a plain object rather than from the caught error, because that error carries the
 * request options, headers included, and so the API key.
 */
export function pilotStatusApiError(
	node: INode,
	failure: HttpFailure,
	context: RequestContext,
	summary: AttemptsSummary = { attempts: 1 },
): NodeApiError {
	const described = describe(node, failure, context);
	const { suffix, note } = attemptsNote(summary);
	const message = described.message + suffix;
	const description = described.description + note;
	const httpCode = failure.status !== undefined ? String(failure.status) : undefined;
	const safe: JsonObject = { message, description, ...(httpCode ? { httpCode } : {}) };
	const error = new NodeApiError(node, safe, {
		message,
		description,
		httpCode,
		itemIndex: context.itemIndex,
		...(described.failure ? { failure: described.failure } : {}),
	});
	if (summary.byDeadline || failure.deadlinePassed) deadlineEnded.add(error);
	return withMessage(error, message);
}

/** The API answered 2xx with something that is not what the endpoint promises. */
export function unexpectedResponseError(
	node: INode,
	response: { body: unknown; status: number; malformed?: string },
	expected: string,
	context: RequestContext,
): NodeApiError {
	const { body, status, malformed } = response;
	const got = malformed
		? `malformed JSON (${malformed})`
		: body === '' || body === undefined || body === null
			? 'an empty response'
			: typeof body === 'string'
				? 'a response that is not JSON'
				: `JSON that is not ${expected}`;
	const detail = excerpt(body, context.secrets);
	const message = `PilotStatus returned ${got} (HTTP ${status}) for ${context.endpoint}`;
	const description = `Expected ${expected}.${detail ? ` The response began: "${detail}".` : ''} Check the Base URL in the credential: a proxy or a wrong host can answer with an HTML page, and a cut connection leaves JSON unfinished.`;
	const error = new NodeApiError(
		node,
		{ message, description },
		{ message, description, itemIndex: context.itemIndex },
	);
	return withMessage(error, message);
}

/**
 * A bad value in the node's parameters or the credential, found before any request is sent. The
 * message names the item and the field, and `description` says what to enter instead.
 */
export function inputError(
	node: INode,
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	return withMessage(new NodeOperationError(node, message, { description, itemIndex }), message);
}

/** Errors already shaped by this package pass through; anything else becomes a NodeOperationError for its item. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

/**
 * PilotStatus answered, in the expected shape, with something that cannot be right (a list entry
 * without an id, the detail of another number than the one asked for). `message` says what and
 * where; `description` what to check.
 */
export function answerError(node: INode, message: string, description: string): NodeApiError {
	return withMessage(
		new NodeApiError(node, { message, description }, { message, description }),
		message,
	);
}

/**
 * `error` again with `prefix` before its message, e.g. which number it was about. A new error, so
 * a failure several askers share (the run's answer cache) never changes under them; description,
 * HTTP code, item and cause are kept.
 */
export function prefixedError(node: INode, prefix: string, error: unknown): NodeApiError {
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	const message = `${prefix}${error instanceof Error ? error.message : String(error)}`;
	return rewordedError(node, error, {
		message,
		description: known ? (error.description ?? undefined) : undefined,
	});
}

/**
 * `error` said anew where the caller knows more about it: a new NodeApiError with this message
 * and description; HTTP code, item and cause are kept.
 */
export function rewordedError(
	node: INode,
	error: unknown,
	{ message, description }: { message: string; description?: string },
): NodeApiError {
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	const httpCode = error instanceof NodeApiError ? (error.httpCode ?? undefined) : undefined;
	const itemIndex = known ? (error.context.itemIndex as number | undefined) : undefined;
	const failure = known ? error.failure : undefined;
	return withMessage(
		new NodeApiError(
			node,
			{ message, ...(description ? { description } : {}) },
			{ message, description, httpCode, itemIndex, ...(failure ? { failure } : {}) },
		),
		message,
	);
}
