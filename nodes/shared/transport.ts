import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import type { RequestContext } from './errors';
import { pilotStatusApiError, unexpectedResponseError } from './errors';
import { isPlainObject } from './flatten';
import { sendThrottled, throttleFor } from './throttle';
import type { PilotStatusNumber } from './types';

export const CREDENTIAL_TYPE = 'pilotStatusApi';

/** Every n8n context a PilotStatus request is made from: nodes, list searches, the trigger. */
export type PilotStatusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

interface PilotStatusCredentials {
	apiKey: string;
	baseUrl?: string;
}

/** One path segment for an id: `a/b`, `../x` or `x?y=1` can never change the path or the query. */
export function numberPath(id: string): string {
	return `/v1/numbers/${encodeURIComponent(id)}`;
}

/** `.` and `..` cannot be sent as a segment at all: every URL parser resolves them as directories. */
function assertSendableId(ctx: PilotStatusContext, numberId: string, itemIndex?: number) {
	if (numberId === '.' || numberId === '..') {
		throw new NodeOperationError(ctx.getNode(), `Number ID '${numberId}' is not a valid PilotStatus number ID`, {
			description: 'Use the id field of a List step, e.g. wa_abc.',
			itemIndex,
		});
	}
}

interface ApiRequest {
	path: string;
	/** How messages name the endpoint, without the id: `GET /v1/numbers/{id}`. */
	endpoint: string;
	qs?: IDataObject;
	numberId?: string;
	itemIndex?: number;
}

async function apiRequest(
	ctx: PilotStatusContext,
	{ path, endpoint, qs, numberId, itemIndex }: ApiRequest,
): Promise<{ body: unknown; context: RequestContext }> {
	const credentials = (await ctx.getCredentials(CREDENTIAL_TYPE)) as unknown as PilotStatusCredentials;
	const context: RequestContext = { endpoint, numberId, itemIndex, secrets: [credentials.apiKey] };
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	if ('problem' in baseUrl) {
		throw new NodeOperationError(ctx.getNode(), `The Base URL in the PilotStatus credential is not usable`, {
			description: baseUrl.problem,
			itemIndex,
		});
	}
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: baseUrl.url + path,
		qs,
		json: true,
	};
	try {
		const body: unknown = await sendThrottled(throttleFor(ctx), () =>
			ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, request),
		);
		return { body, context };
	} catch (error) {
		throw pilotStatusApiError(ctx.getNode(), error, context);
	}
}

/** `GET /v1/numbers`: every number the API key can see. */
export async function listNumbers(ctx: PilotStatusContext, itemIndex?: number): Promise<PilotStatusNumber[]> {
	const { body, context } = await apiRequest(ctx, {
		path: '/v1/numbers',
		endpoint: 'GET /v1/numbers',
		itemIndex,
	});
	if (!Array.isArray(body)) throw unexpectedResponseError(ctx.getNode(), body, 'a list of numbers', context);
	return body.filter(isPlainObject) as PilotStatusNumber[];
}

/** `GET /v1/numbers/{id}`: one number's detail; `refresh` asks the API for a live Meta Graph fetch. */
export async function getNumber(
	ctx: PilotStatusContext,
	numberId: string,
	refresh: boolean,
	itemIndex?: number,
): Promise<PilotStatusNumber> {
	assertSendableId(ctx, numberId, itemIndex);
	const { body, context } = await apiRequest(ctx, {
		path: numberPath(numberId),
		endpoint: 'GET /v1/numbers/{id}',
		qs: refresh ? { refresh: '1' } : undefined,
		numberId,
		itemIndex,
	});
	if (!isPlainObject(body)) throw unexpectedResponseError(ctx.getNode(), body, 'a number object', context);
	return body as PilotStatusNumber;
}

/** `GET /v1/numbers/{id}/status`: a live connection check. Its shape is undocumented: any JSON object. */
export async function getNumberStatus(
	ctx: PilotStatusContext,
	numberId: string,
	itemIndex?: number,
): Promise<IDataObject> {
	assertSendableId(ctx, numberId, itemIndex);
	const { body, context } = await apiRequest(ctx, {
		path: `${numberPath(numberId)}/status`,
		endpoint: 'GET /v1/numbers/{id}/status',
		numberId,
		itemIndex,
	});
	if (!isPlainObject(body)) throw unexpectedResponseError(ctx.getNode(), body, 'a status object', context);
	return body;
}
