export const DEFAULT_BASE_URL = 'https://pilotstatus.com.br';

/**
 * The credential's Base URL without trailing slashes, so paths can be appended as they are.
 * Returns an explanation instead when the value cannot be used.
 */
export function normalizeBaseUrl(raw: unknown): { url: string } | { problem: string } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') return { url: DEFAULT_BASE_URL };
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return { problem: `'${text}' is not a URL. Use the full address, e.g. ${DEFAULT_BASE_URL}` };
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return { problem: `'${text}' uses ${parsed.protocol} but only https:// (or http:// for a local test server) works` };
	}
	if (parsed.search || parsed.hash || parsed.username || parsed.password) {
		return { problem: `'${parsed.origin}${parsed.pathname}' must not carry a query, a fragment or a user name` };
	}
	return { url: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '') };
}
