import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RequestContext } from './errors';
import { inputError, pilotStatusApiError, unexpectedResponseError } from './errors';
import type { HttpFailure } from './httpFailure';
import { readFailure } from './httpFailure';
import type { PilotStatusContext, RunCredentials } from './nodeRun';
import { CREDENTIAL_TYPE, nodeRun } from './nodeRun';
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
}

interface ApiResponse {
	/** The parsed JSON with secret-looking fields removed, or the text when it was not JSON. */
	body: unknown;
	status: number;
	context: RequestContext;
}

const cancelSignal = (ctx: PilotStatusContext) =>
	'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;

/**
 * Sends the request, and again after a failure worth retrying (see retry.ts), waiting as the policy
 * says. The one place attempts are made and their failures read: each attempt goes through the
 * run's throttle (throttle.ts), which holds it while the run is at its Concurrency or pausing, and
 * is told here when PilotStatus answered 429.
 */
async function sendWithRetries(
	ctx: PilotStatusContext,
	credentials: RunCredentials,
	request: IHttpRequestOptions,
	context: RequestContext,
	maxRetries: number,
): Promise<IN8nHttpFullResponse> {
	const { throttle } = nodeRun(ctx);
	const policy = { ...DEFAULT_RETRY_POLICY, maxRetries };
	const started = Date.now();
	for (let attempts = 1; ; attempts++) {
		const permit = await throttle.acquire();
		let failure: HttpFailure;
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				request,
				{ credentialsDecrypted: credentials.decrypted },
			)) as IN8nHttpFullResponse;
			permit.release({ ok: true });
			return response;
		} catch (error) {
			failure = readFailure(error);
		}
		const now = Date.now();
		permit.release({ ok: false, rateLimitedPauseMs: rateLimitPauseMs(failure, now, policy) });
		const decision = decideRetry(
			failure,
			{ attempts, elapsedMs: now - started, now, random: Math.random },
			policy,
		);
		if (!decision.retry) {
			throw pilotStatusApiError(ctx.getNode(), failure, context, {
				attempts,
				notRetried: decision.reason,
			});
		}
		await sleep(decision.delayMs, cancelSignal(ctx));
	}
}

async function apiRequest(
	ctx: PilotStatusContext,
	{ path, endpoint, qs, numberId, itemIndex, settings = DEFAULT_REQUEST_SETTINGS }: ApiRequest,
): Promise<ApiResponse> {
	const credentials = await nodeRun(ctx).credentials();
	const { secrets, baseUrl } = credentials;
	if ('problem' in baseUrl) {
		throw inputError(
			ctx.getNode(),
			`The Base URL in the PilotStatus credential is not usable${itemIndex === undefined ? '' : ` (item ${itemIndex})`}`,
			redact(baseUrl.problem, secrets),
			itemIndex,
		);
	}
	const context: RequestContext = {
		endpoint,
		host: baseUrl.host,
		timeoutMs: settings.timeoutMs,
		numberId,
		itemIndex,
		secrets,
	};
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: baseUrl.url + path,
		qs,
		json: true,
		timeout: settings.timeoutMs,
		returnFullResponse: true,
	};
	const response = await sendWithRetries(ctx, credentials, request, context, settings.maxRetries);
	return { body: withoutSecrets(response.body), status: response.statusCode, context };
}

/** `GET /v1/numbers`: every number the API key can see, as listed (plain objects only). */
export async function listNumbers(
	ctx: PilotStatusContext,
	scope: RequestScope = {},
): Promise<PilotStatusNumber[]> {
	const { body, status, context } = await apiRequest(ctx, {
		path: '/v1/numbers',
		endpoint: 'GET /v1/numbers',
		...scope,
	});
	if (!Array.isArray(body))
		throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a list of numbers', context);
	return body.filter(isPlainObject) as PilotStatusNumber[];
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
		const { body, status, context } = await apiRequest(ctx, {
			path: numberPath(numberId),
			endpoint: 'GET /v1/numbers/{id}',
			qs: refresh ? { refresh: '1' } : undefined,
			numberId,
			...scope,
		});
		if (!isPlainObject(body))
			throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a number object', context);
		return body as PilotStatusNumber;
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
		const { body, status, context } = await apiRequest(ctx, {
			path: `${numberPath(numberId)}/status`,
			endpoint: 'GET /v1/numbers/{id}/status',
			numberId,
			...scope,
		});
		if (!isPlainObject(body))
			throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a status object', context);
		return body;
	});
}
