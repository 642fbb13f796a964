import type { IHttpRequestOptions } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import { redact } from './secrets';
import { TIMEOUT } from './settings';

const isControlCharacter = (character: string) =>
	character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f;

/** Where and how every request of a run goes: the Base URL's meaning and the key as sent. */
export interface Connection {
	/** The Base URL, normalized (baseUrl.ts): requests go to `url + path`, and only there. */
	url: string;
	/** Host and port, for messages. */
	host: string;
	/** The API key as sent and as redacted: trimmed once, here. */
	apiKey: string;
}

/**
 * The credential's fields as requests use them, decided in this one place for the node, the
 * trigger, the Number dropdown and the credential's Test. A pasted key often carries a trailing
 * space or tab: it is trimmed, and the trimmed key is what is sent and what is redacted. Returns
 * what is wrong instead (`field` names it) when a request must not be sent.
 */
export function resolveConnection(data: {
	apiKey?: unknown;
	baseUrl?: unknown;
}): Connection | { problem: string; field: 'API Key' | 'Base URL' } {
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if ('problem' in baseUrl) return { problem: baseUrl.problem, field: 'Base URL' };
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey.trim() : '';
	if (apiKey === '') {
		return {
			problem: 'The API Key is empty. Paste your PilotStatus API key (it starts with ps_)',
			field: 'API Key',
		};
	}
	// A line break or control character inside would make the header invalid (or split it).
	if ([...apiKey].some(isControlCharacter)) {
		return {
			problem:
				'The API Key contains a line break or another control character. Paste the key again, alone',
			field: 'API Key',
		};
	}
	return { url: baseUrl.url, host: baseUrl.host, apiKey };
}

/**
 * Puts the API key on a request, and only on a request to the Base URL: every request of the
 * nodes (transport.ts) and, through the credential's `authenticate`, its Test. A relative URL
 * (the Test's `/v1/numbers`) is resolved against the normalized Base URL, so the Test means by
 * Base URL exactly what the nodes do; an absolute one outside it gets no key. Redirects are turned
 * off: n8n's helper would carry `x-api-key` to wherever a redirect points.
 * Throws, before anything is sent, when the URL leaves the Base URL; the message never holds the key.
 */
export function authorize(
	connection: Connection,
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const url = /^[a-z][a-z\d+.-]*:/i.test(request.url) ? request.url : connection.url + request.url;
	if (
		url !== connection.url &&
		!url.startsWith(`${connection.url}/`) &&
		!url.startsWith(`${connection.url}?`)
	) {
		throw new Error(
			redact(
				`The PilotStatus API key is only sent to the Base URL (${connection.url}); this request was for another address`,
				[connection.apiKey],
			),
		);
	}
	const authorized: IHttpRequestOptions = {
		...request,
		url,
		headers: { ...request.headers, 'x-api-key': connection.apiKey },
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: request.timeout ?? TIMEOUT.default,
	};
	// The URL is absolute now; a baseURL would only be a second, unchecked address.
	delete authorized.baseURL;
	return authorized;
}

/**
 * The credential's `authenticate`: `authorize` with the credential as saved, refused (thrown, the
 * key never in the message) when resolveConnection refuses it.
 */
export function authorizeRequest(
	credentials: { apiKey?: unknown; baseUrl?: unknown },
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const connection = resolveConnection(credentials);
	if ('problem' in connection) {
		const secrets = typeof credentials.apiKey === 'string' ? [credentials.apiKey.trim()] : [];
		throw new Error(
			redact(
				`The ${connection.field} in the PilotStatus credential is not usable: ${connection.problem}`,
				secrets,
			),
		);
	}
	return authorize(connection, request);
}
