import { normalizeBaseUrl } from './baseUrl';

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
