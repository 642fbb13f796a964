import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import type { HttpFailure, RequestContext } from './errors';
import {
	inputError,
	pilotStatusApiError,
	readFailure,
	redact,
	unexpectedResponseError,
} from './errors';
import { isPlainObject } from './flatten';
import { checkNumberId, numberPath } from './numberId';
import { DEFAULT_CONCURRENCY } from './pool';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_POLICY, decideRetry } from './retry';
import { withoutSecrets } from './secrets';
import { Throttle } from './throttle';
import type { PilotStatusNumber } from './types';

export const CREDENTIAL_TYPE = 'pilotStatusApi';

/** Every n8n context a PilotStatus request is made from: nodes, list searches, the trigger. */
export type PilotStatusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

interface PilotStatusCredentials {
	apiKey: string;
	baseUrl?: string;
}

/**
 * What the requests of one node run share: the credential, read once, and the 429 throttle. A run
 * is one execution of the node, one poll of the trigger, or one list search. Reading the credential
 * once matters in n8n, where every read is a database query and a decryption: read for every
 * request (by this module and again by the helper) they took about a third of the node's time per
 * item in n8n 2.41.
 */
interface NodeRun {
	throttle: Throttle;
	credentials?: Promise<RunCredentials>;
}

/** The credential as one run uses it, with what every request derives from it worked out once. */
interface RunCredentials {
	/** As httpRequestWithAuthentication takes it, so that it does not read the credential again. */
	decrypted: ICredentialsDecrypted;
	/** What messages must never show. */
	secrets: string[];
	baseUrl: ReturnType<typeof normalizeBaseUrl>;
}

const nodeRuns = new WeakMap<object, NodeRun>();

/**
 * Starts a run for this context. n8n keeps a trigger's context from poll to poll, so each poll
 * starts one: an edited credential takes effect at the next poll, and no pause carries over.
 */
export function startNodeRun(ctx: PilotStatusContext, concurrency = DEFAULT_CONCURRENCY) {
	nodeRuns.set(ctx, { throttle: new Throttle(concurrency) });
}

function nodeRun(ctx: PilotStatusContext): NodeRun {
	if (!nodeRuns.has(ctx)) startNodeRun(ctx);
	return nodeRuns.get(ctx)!;
}

async function readCredentials(ctx: PilotStatusContext): Promise<RunCredentials> {
	const run = nodeRun(ctx);
	run.credentials ??= ctx.getCredentials(CREDENTIAL_TYPE).then((data) => {
		const { apiKey, baseUrl } = data as unknown as PilotStatusCredentials;
		const saved = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		return {
			decrypted: { id: saved?.id ?? '', name: saved?.name ?? '', type: CREDENTIAL_TYPE, data },
			secrets: [apiKey],
			baseUrl: normalizeBaseUrl(baseUrl),
		};
	});
	return await run.credentials;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Per-request settings: the node's Timeout and Max Retries options, or these defaults (list search, trigger). */
export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
}

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	timeoutMs: DEFAULT_TIMEOUT_MS,
	maxRetries: DEFAULT_MAX_RETRIES,
};

/** The last line of defence for ids from any caller: one that cannot be sent fails here, never as a raw URIError. */
function assertSendableId(ctx: PilotStatusContext, numberId: string, itemIndex?: number) {
	const checked = checkNumberId(numberId, itemIndex === undefined ? '' : ` (item ${itemIndex})`);
	if ('problem' in checked) {
		throw inputError(
			ctx.getNode(),
			checked.problem,
			'Use the id field of a List step, e.g. wa_abc.',
			itemIndex,
		);
	}
}

interface ApiRequest {
	path: string;
	/** How messages name the endpoint, without the id: `GET /v1/numbers/{id}`. */
	endpoint: string;
	qs?: IDataObject;
	numberId?: string;
	itemIndex?: number;
	settings?: RequestSettings;
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
 * says. The one place attempts are made; each goes through the node run's throttle (throttle.ts),
 * which holds it while the node is at its Concurrency or pausing for a 429.
 */
async function sendWithRetries(
	ctx: PilotStatusContext,
	credentials: ICredentialsDecrypted,
	request: IHttpRequestOptions,
	context: RequestContext,
	maxRetries: number,
): Promise<IN8nHttpFullResponse> {
	const policy = { ...DEFAULT_RETRY_POLICY, maxRetries };
	const started = Date.now();
	for (let attempts = 1; ; attempts++) {
		let failure: HttpFailure;
		try {
			return (await nodeRun(ctx).throttle.run(() =>
				ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, request, {
					credentialsDecrypted: credentials,
				}),
			)) as IN8nHttpFullResponse;
		} catch (error) {
			failure = readFailure(error);
		}
		const now = Date.now();
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
	const { decrypted, secrets, baseUrl } = await readCredentials(ctx);
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
	const response = await sendWithRetries(ctx, decrypted, request, context, settings.maxRetries);
	return { body: withoutSecrets(response.body), status: response.statusCode, context };
}

/** `GET /v1/numbers`: every number the API key can see. */
export async function listNumbers(
	ctx: PilotStatusContext,
	itemIndex?: number,
	settings?: RequestSettings,
): Promise<PilotStatusNumber[]> {
	const { body, status, context } = await apiRequest(ctx, {
		path: '/v1/numbers',
		endpoint: 'GET /v1/numbers',
		itemIndex,
		settings,
	});
	if (!Array.isArray(body))
		throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a list of numbers', context);
	return body.filter(isPlainObject) as PilotStatusNumber[];
}

/** `GET /v1/numbers/{id}`: one number's detail; `refresh` asks the API for a live Meta Graph fetch. */
export async function getNumber(
	ctx: PilotStatusContext,
	numberId: string,
	refresh: boolean,
	itemIndex?: number,
	settings?: RequestSettings,
): Promise<PilotStatusNumber> {
	assertSendableId(ctx, numberId, itemIndex);
	const { body, status, context } = await apiRequest(ctx, {
		path: numberPath(numberId),
		endpoint: 'GET /v1/numbers/{id}',
		qs: refresh ? { refresh: '1' } : undefined,
		numberId,
		itemIndex,
		settings,
	});
	if (!isPlainObject(body))
		throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a number object', context);
	return body as PilotStatusNumber;
}

/** `GET /v1/numbers/{id}/status`: a live connection check. Its shape is undocumented: any JSON object. */
export async function getNumberStatus(
	ctx: PilotStatusContext,
	numberId: string,
	itemIndex?: number,
	settings?: RequestSettings,
): Promise<IDataObject> {
	assertSendableId(ctx, numberId, itemIndex);
	const { body, status, context } = await apiRequest(ctx, {
		path: `${numberPath(numberId)}/status`,
		endpoint: 'GET /v1/numbers/{id}/status',
		numberId,
		itemIndex,
		settings,
	});
	if (!isPlainObject(body))
		throw unexpectedResponseError(ctx.getNode(), { body, status }, 'a status object', context);
	return body;
}
