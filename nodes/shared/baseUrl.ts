export const DEFAULT_BASE_URL = 'https://pilotstatus.com.br';

/** Hosts where plain http:// never leaves the machine, so the key is not sent in clear text over a network. */
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The credential's Base URL without trailing slashes, so paths can be appended as they are, and
 * its host for messages. Returns an explanation instead when the value cannot be used.
 *
 * A path is kept (a proxy may serve the API under a prefix), but not one ending in `/v1` or
 * `/v1/numbers`: the node adds those itself. Plain http:// is refused unless the host is this
 * machine, because the API key would cross the network readable by anyone on the way.
 */
export function normalizeBaseUrl(
	raw: unknown,
): { url: string; host: string } | { problem: string } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') return { url: DEFAULT_BASE_URL, host: new URL(DEFAULT_BASE_URL).host };
	const example = `e.g. ${DEFAULT_BASE_URL}`;
	if (/\s/.test(text))
		return { problem: `'${text}' contains a space. Enter the address alone, ${example}` };
	if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
		return { problem: `'${text}' has no scheme. Start it with https://, ${example}` };
	}
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return { problem: `'${text}' is not a URL. Use the full address, ${example}` };
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return {
			problem: `'${text}' uses ${parsed.protocol} but only https:// works (http:// only for a server on this machine)`,
		};
	}
	if (parsed.search || parsed.hash || parsed.username || parsed.password) {
		return {
			problem: `'${parsed.origin}${parsed.pathname}' must not carry a query, a fragment or a user name`,
		};
	}
	const path = parsed.pathname.replace(/\/+$/, '');
	if (/\/v1(\/numbers)?$/i.test(path)) {
		return {
			problem: `'${text}' ends with ${path.slice(path.search(/\/v1/i))}, which the node adds itself. Remove it, ${example}`,
		};
	}
	if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.test(parsed.hostname)) {
		return {
			problem: `'${parsed.origin}' uses plain http://, which would send the API key unencrypted over the network. Use https:// (http:// is accepted only for localhost / 127.0.0.1)`,
		};
	}
	return { url: `${parsed.origin}${path}`, host: parsed.host };
}
