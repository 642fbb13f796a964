import type { IHttpRequestOptions } from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import { redact, secretForms } from './secrets';
import { TIMEOUT } from './settings';

/** Longer than any PilotStatus key by far; a longer value is a pasted page, not a key. */
const MAX_KEY_LENGTH = 512;

/**
 * What pasting leaves around a key: whitespace (`trim`), and the invisible format characters that
 * `trim` keeps (zero-width space, joiner and non-joiner, word joiner, byte order mark).
 */
const PASTED_AROUND = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;

/** A key travels in an HTTP header: visible ASCII only, so what is sent is exactly what is typed. */
const SENDABLE_KEY = /^[\x21-\x7e]+$/;

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
 * space, tab or zero-width space: they are removed, and that key is what is sent and what is
 * redacted; a key with anything but visible ASCII left is refused. Returns what is wrong instead
 * (`field` names it) when a request must not be sent.
 */
export function resolveConnection(data: {
	apiKey?: unknown;
	baseUrl?: unknown;
}): Connection | { problem: string; field: 'API Key' | 'Base URL' } {
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if ('problem' in baseUrl) return { problem: baseUrl.problem, field: 'Base URL' };
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey.replace(PASTED_AROUND, '') : '';
	if (apiKey === '') {
		return {
			problem: 'The API Key is empty. Paste your PilotStatus API key (it starts with ps_)',
			field: 'API Key',
		};
	}
	if (apiKey.length > MAX_KEY_LENGTH) {
		return {
			problem: `The API Key is ${apiKey.length} characters long, far longer than a PilotStatus key (at most ${MAX_KEY_LENGTH}). Paste the key alone`,
			field: 'API Key',
		};
	}
	// A header carries Latin-1: other characters would be changed on the way (and the changed key
	// would be neither accepted nor redacted), and a line break would split the header.
	if (!SENDABLE_KEY.test(apiKey)) {
		return {
			problem:
				'The API Key contains a space, a line break, an accented or another character a PilotStatus key never has. Paste the key again, alone',
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
				secretForms([connection.apiKey]),
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
 * The credential's `authenticate`, which n8n runs for its Test: `authorize` with the credential as
 * saved, refused (thrown, the key never in the message) when resolveConnection refuses it, and
 * ended after the Timeout's default at the latest.
 */
export function authorizeRequest(
	credentials: { apiKey?: unknown; baseUrl?: unknown },
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const connection = resolveConnection(credentials);
	if ('problem' in connection) {
		const secrets = secretForms(typeof credentials.apiKey === 'string' ? [credentials.apiKey] : []);
		throw new Error(
			redact(
				`The ${connection.field} in the PilotStatus credential is not usable: ${connection.problem}`,
				secrets,
			),
		);
	}
	const authorized = authorize(connection, request);
	// The Test's answer is read by n8n, which bounds neither its time nor its size: a deadline
	// at least keeps a dripping answer from holding the Test for ever. (The nodes' own requests
	// carry their deadline from transport.ts.)
	const deadline = AbortSignal.timeout(authorized.timeout ?? TIMEOUT.default);
	const given = request.abortSignal as AbortSignal | undefined;
	authorized.abortSignal = given ? AbortSignal.any([given, deadline]) : deadline;
	return authorized;
}
