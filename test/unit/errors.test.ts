import type { INode } from 'n8n-workflow';

import type { RequestContext } from '../../nodes/shared/errors';
import { pilotStatusApiError } from '../../nodes/shared/errors';
import { readFailure } from '../../nodes/shared/httpFailure';

const node: INode = {
	id: 'ps',
	name: 'PilotStatus',
	type: 'n8n-nodes-pilotstatus.pilotStatusNumbers',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const KEY = 'ps_unit_key_0123456789';
const context: RequestContext = {
	endpoint: 'GET /v1/numbers',
	host: 'pilotstatus.com.br',
	url: 'https://pilotstatus.com.br/v1/numbers',
	timeoutMs: 30_000,
	secrets: [KEY],
};

describe('pilotStatusApiError', () => {
	it('a failure with neither status nor known code says what n8n reported, without the key', () => {
		const error = pilotStatusApiError(
			node,
			readFailure(new Error(`request blocked: header x-api-key=${KEY}`)),
			context,
		);
		expect(error.message).toBe(
			'Could not reach PilotStatus at pilotstatus.com.br for GET /v1/numbers: a network error',
		);
		expect(error.description).toBe(
			'Check the Base URL in the PilotStatus credential and that this n8n instance can reach pilotstatus.com.br (n8n reported: "request blocked: header x-api-key=[redacted]").',
		);
	});

	it('declares why it failed, for n8n to read', () => {
		const failureOf = (status: number) => pilotStatusApiError(node, { status }, context).failure;
		expect(failureOf(401)).toEqual({ cause: 'credential-invalid' });
		expect(failureOf(503)).toEqual({ cause: 'temporarily-unavailable' });
		expect(pilotStatusApiError(node, { status: 429, retryAfter: '7' }, context).failure).toEqual({
			cause: 'rate-limited',
			retryAfterMs: 7000,
		});
	});

	it('reads status, body and Retry-After from an error and its cause', () => {
		const cause = Object.assign(new Error('Request failed with status code 429'), {
			code: 'ERR_BAD_REQUEST',
			response: { status: 429, data: { message: 'slow down' }, headers: { 'retry-after': '3' } },
		});
		expect(readFailure(new Error('wrapped', { cause }))).toMatchObject({
			status: 429,
			body: { message: 'slow down' },
			retryAfter: '3',
		});
		const timeout = Object.assign(new Error('timeout of 100ms exceeded'), { code: 'ECONNABORTED' });
		expect(readFailure(timeout)).toMatchObject({ code: 'ECONNABORTED', timedOut: true });
	});
});
