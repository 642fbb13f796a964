import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, setField } from './objects';

/*
 * PilotStatus documents that it never returns secrets. If it ever did (a bug, a proxy, a future
 * field, an echo of the request), they must still not become workflow data, which n8n stores and
 * shows to every editor of the workflow. Two rules, applied to every answer before anything else
 * reads it:
 * - the API key's value is replaced by `[redacted]` wherever it occurs, in any string and in any
 *   field name, at any depth;
 * - fields with a secret-looking name are dropped (isSecretField).
 */

/** What replaces the API key wherever it occurs. */
export const REDACTED = '[redacted]';

/**
 * Secret-looking field names, compared in lower case without separators, so `X-Api-Key`,
 * `x_api_key`, `apiKey` and `API-KEY` read alike: names ending in token, secret, password, passwd,
 * passphrase or cookie (plural or not), apikey, secretkey, privatekey, accesskey or signingkey
 * (accessToken, app_secret, Set-Cookie, x-api-key, secretKey…), and a few names that hold
 * credentials (authorization, proxy-authorization, credentials, providerConfig). `apiKeys` (name,
 * prefix and last 4 characters of each key, as the API documents) is not a secret.
 */
const SECRET_ENDING =
	/(?:(?:token|secret|password|passwd|passphrase|cookie)s?|apikey|secretkey|privatekey|accesskey|signingkey)$/;
const SECRET_NAMES = new Set([
	'authorization',
	'proxyauthorization',
	'credential',
	'credentials',
	'providerconfig',
]);

export function isSecretField(name: string): boolean {
	const bare = name.toLowerCase().replace(/[^a-z0-9]/g, '');
	return SECRET_ENDING.test(bare) || SECRET_NAMES.has(bare);
}

/**
 * Every form in which a key may come back: as sent, and percent-encoded as a server or a URL
 * parser writes it into a query (`+` → `%2B`, in upper or lower case hex). Longest first, so no
 * form is left half redacted by a shorter one.
 */
export function secretForms(keys: string[]): string[] {
	const forms = new Set<string>();
	for (const key of keys) {
		if (!key) continue;
		const encoded = encodeURIComponent(key);
		forms
			.add(key)
			.add(encoded)
			.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
	}
	return [...forms].sort((a, b) => b.length - a.length);
}

/** The text with every occurrence of each secret (the API key) replaced by `[redacted]`. */
export function redact(text: string, secrets: string[]): string {
	let safe = text;
	// Most text holds no key: looking first is several times cheaper than splitting every string.
	for (const secret of secrets)
		if (secret && safe.includes(secret)) safe = safe.split(secret).join(REDACTED);
	return safe;
}

/**
 * A copy of a parsed answer without secret-looking fields and with each of `secrets` redacted in
 * every string and field name, at any depth, inside arrays too. Recursive: callers give it answers
 * whose depth answer.ts has bounded.
 */
export function withoutSecrets<T>(value: T, secrets: string[] = []): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => withoutSecrets(entry, secrets)) as T;
	if (!isPlainObject(value)) return value;
	const copy: IDataObject = {};
	for (const [key, field] of Object.entries(value)) {
		if (!isSecretField(key)) setField(copy, redact(key, secrets), withoutSecrets(field, secrets));
	}
	return copy as T;
}

/** `"appSecret": "…"` → `"appSecret": "[redacted]"` in response text that could not be parsed (a cut JSON body). */
export function redactSecretFields(text: string): string {
	return text.replace(
		/"([^"\\]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g,
		(field, name: string, colon: string) =>
			isSecretField(name) ? `"${name}"${colon}"${REDACTED}"` : field,
	);
}
