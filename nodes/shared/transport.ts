import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { Answer, StreamedAnswer } from './answer';
import { itemNote } from './audience';
import { ANSWER_LIMITS, AnswerReadError, receiveAnswer } from './answer';
import type { RequestContext } from './errors';
import { inputError, pilotStatusApiError, unexpectedResponseError } from './errors';
import type { HttpFailure } from './httpFailure';
import { failureOfAnswer, failureOfUnreadAnswer, readFailure } from './httpFailure';
import type { Connection } from './connection';
import { authorize } from './connection';
import type { PilotStatusContext } from './nodeRun';
import { nodeRun } from './nodeRun';
import type { NumberId } from './numberId';
import { numberPath } from './numberId';
import { isPlainObject } from './objects';
import { DEFAULT_RETRY_POLICY, decideRetry, rateLimitPauseMs } from './retry';
import { redact, withoutSecrets } from './secrets';
import type { RequestSettings } from './settings';
import { DEFAULT_REQUEST_SETTINGS } from './settings';
import type { PilotStatusNumber } from './types';

/** Who asks: the input item (for messages and Continue On Fail) and the settings in force. */
export interface RequestScope {
	itemIndex?: number;
	settings?: RequestSettings;
}

interface ApiRequest extends RequestScope {
	path: string;
	/** How messages name the endpoint, without the id: `GET /v1/numbers/{id}`. */
	endpoint: string;
	qs?: IDataObject;
	numberId?: NumberId;
	/** The largest answer read for it (answer.ts). */
	maxBytes: number;
}

const cancelSignal = (ctx: PilotStatusContext) =>
	'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;

/** How one attempt ended: a 2xx answer, or why not. */
type AttemptResult = { ok: true; answer: Answer } | { ok: false; failure: HttpFailure };

/**
 * One attempt: the request, and its whole answer read within `timeoutMs` from the start (the
 * deadline also cuts a body that keeps arriving slowly) and the size limit. Redirects are not
 * followed and the key goes only to the Base URL (`authorize` in connection.ts). `cutByDeadline`
 * says the time left before the caller's deadline, not the Timeout, set `timeoutMs`.
 */
async function sendAttempt(
	ctx: PilotStatusContext,
	connection: Connection,
	request: Pick<IHttpRequestOptions, 'url' | 'qs'>,
	{
		timeoutMs,
		maxBytes,
		cutByDeadline,
	}: { timeoutMs: number; maxBytes: number; cutByDeadline: boolean },
): Promise<AttemptResult> {
	if (timeoutMs <= 0) return { ok: false, failure: { timedOut: true, deadlinePassed: true } };
	const cancel = cancelSignal(ctx);
	const deadline = AbortSignal.timeout(timeoutMs);
	// Ends the request when its answer is refused or cut: destroying the body stream n8n returns
	// does not close the connection (measured with n8n-core 2.41's axios), aborting the request does.
	// An answer read to its end needs no abort, and aborting one cost about a tenth of the node's
	// CPU per request (axios builds an error with a stack trace for every abort).
	const refused = new AbortController();
	// httpRequest, not httpRequestWithAuthentication: that one replaces any abort signal with the
	// execution's, and the deadline must abort the request itself.
	const signal = AbortSignal.any([deadline, refused.signal, ...(cancel ? [cancel] : [])]);
	let answer: Answer;
	try {
		const sent = ctx.helpers.httpRequest(
			authorize(connection, {
				method: 'GET',
				...request,
				json: true,
				timeout: timeoutMs,
				returnFullResponse: true,
				encoding: 'stream',
				ignoreHttpStatusErrors: true,
				abortSignal: signal,
			}),
		) as Promise<StreamedAnswer>;
		answer = await receiveAnswer(sent, { maxBytes, signal });
	} catch (error) {
		const failure =
			error instanceof AnswerReadError
				? failureOfUnreadAnswer(error, cancel?.aborted === true)
				: readFailure(error);
		if (failure.timedOut && cutByDeadline) failure.deadlinePassed = true;
		refused.abort();
		return { ok: false, failure };
	}
	return answer.status >= 200 && answer.status < 300
		? { ok: true, answer }
		: { ok: false, failure: failureOfAnswer(answer) };
}

/**
 * Sends the request, and again after a failure worth retrying (see retry.ts), waiting as the policy
 * says. The one place attempts are made and their failures read: each attempt goes through the
 * run's throttle (throttle.ts), which holds it while the run is at its Concurrency or pausing, and
 * is told here how it ended (its concurrency limit learns from that; a 429 also pauses). With a
 * `deadline`, no attempt runs past it.
 */
async function sendWithRetries(
	ctx: PilotStatusContext,
	connection: Connection,
	request: Pick<IHttpRequestOptions, 'url' | 'qs'>,
	context: RequestContext,
	{ maxRetries, maxBytes, deadline }: { maxRetries: number; maxBytes: number; deadline?: number },
): Promise<Answer> {
	const { throttle } = nodeRun(ctx);
	const policy = { ...DEFAULT_RETRY_POLICY, maxRetries };
	const started = Date.now();
	for (let attempts = 1; ; attempts++) {
		const permit = await throttle.acquire();
		const left = deadline === undefined ? Infinity : deadline - Date.now();
		const result = await sendAttempt(ctx, connection, request, {
			timeoutMs: Math.min(context.timeoutMs, left),
			maxBytes,
			cutByDeadline: left < context.timeoutMs,
		});
		const now = Date.now();
		if (result.ok) {
			permit.release({ ok: true });
			return result.answer;
		}
		const { failure } = result;
		permit.release({
			ok: false,
			rateLimitedPauseMs: rateLimitPauseMs(failure, now, policy, deadline),
			status: failure.status,
		});
		const decision = decideRetry(
			failure,
			{ attempts, elapsedMs: now - started, now, random: Math.random, deadline },
			policy,
		);
		if (!decision.retry) {
			throw pilotStatusApiError(ctx.getNode(), failure, context, {
				attempts,
				notRetried: decision.reason,
				byDeadline: decision.byDeadline,
			});
		}
		await sleep(decision.delayMs, cancelSignal(ctx));
	}
}

/** A successful answer, its key echoes and secret-looking fields removed (secrets.ts). */
interface ApiResponse extends Answer {
	context: RequestContext;
}

async function apiRequest(
	ctx: PilotStatusContext,
	{
		path,
		endpoint,
		qs,
		numberId,
		itemIndex,
		maxBytes,
		settings = DEFAULT_REQUEST_SETTINGS,
	}: ApiRequest,
): Promise<ApiResponse> {
	const run = nodeRun(ctx);
	const { secrets, connection } = await run.credentials();
	if ('problem' in connection) {
		throw inputError(
			ctx.getNode(),
			`The ${connection.field} in the PilotStatus credential is not usable${itemNote(ctx.getNode(), itemIndex)}`,
			redact(connection.problem, secrets),
			itemIndex,
		);
	}
	const url = connection.url + path;
	const context: RequestContext = {
		endpoint,
		host: connection.host,
		url,
		timeoutMs: settings.timeoutMs,
		numberId,
		itemIndex,
		secrets,
	};
	const answer = await sendWithRetries(ctx, connection, { url, qs }, context, {
		maxRetries: settings.maxRetries,
		maxBytes,
		deadline: settings.deadline,
	});
	await run.answerTurns.take();
	return { ...answer, body: withoutSecrets(answer.body, secrets), context };
}

/** Throws unless the answer is what the endpoint promises (`isExpected`), named by `expected`. */
function expectBody<T>(
	ctx: PilotStatusContext,
	{ body, status, malformed, context }: ApiResponse,
	isExpected: (body: unknown) => body is T,
	expected: string,
): T {
	if (malformed === undefined && isExpected(body)) return body;
	throw unexpectedResponseError(ctx.getNode(), { body, status, malformed }, expected, context);
}

const isListOfNumbers = (body: unknown): body is PilotStatusNumber[] =>
	Array.isArray(body) && body.every(isPlainObject);

/**
 * `GET /v1/numbers`: every number the API key can see, as listed; an entry that is not an object
 * fails it. Sent once per run, however many items ask.
 */
export async function listNumbers(
	ctx: PilotStatusContext,
	scope: RequestScope = {},
): Promise<PilotStatusNumber[]> {
	return await nodeRun(ctx).once('list', async () => {
		const response = await apiRequest(ctx, {
			path: '/v1/numbers',
			endpoint: 'GET /v1/numbers',
			maxBytes: ANSWER_LIMITS.list,
			...scope,
		});
		return expectBody(ctx, response, isListOfNumbers, 'a list of numbers');
	});
}

/**
 * `GET /v1/numbers/{id}`: one number's detail; `refresh` asks the API for a live Meta Graph fetch.
 * Sent once per id and Refresh flag in a run, however many items ask.
 */
export async function getNumber(
	ctx: PilotStatusContext,
	numberId: NumberId,
	refresh: boolean,
	scope: RequestScope = {},
): Promise<PilotStatusNumber> {
	return await nodeRun(ctx).once(JSON.stringify(['detail', numberId, refresh]), async () => {
		const response = await apiRequest(ctx, {
			path: numberPath(numberId),
			endpoint: 'GET /v1/numbers/{id}',
			qs: refresh ? { refresh: '1' } : undefined,
			numberId,
			maxBytes: ANSWER_LIMITS.number,
			...scope,
		});
		return expectBody(ctx, response, isPlainObject, 'a number object') as PilotStatusNumber;
	});
}

/**
 * `GET /v1/numbers/{id}/status`: a live connection check. Its shape is undocumented: any JSON
 * object. Sent once per id in a run.
 */
export async function getNumberStatus(
	ctx: PilotStatusContext,
	numberId: NumberId,
	scope: RequestScope = {},
): Promise<IDataObject> {
	return await nodeRun(ctx).once(JSON.stringify(['status', numberId]), async () => {
		const response = await apiRequest(ctx, {
			path: `${numberPath(numberId)}/status`,
			endpoint: 'GET /v1/numbers/{id}/status',
			numberId,
			maxBytes: ANSWER_LIMITS.number,
			...scope,
		});
		return expectBody(ctx, response, isPlainObject, 'a status object');
	});
}
