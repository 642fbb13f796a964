import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, setField } from './objects';

/*
 * PilotStatus documents that it never returns secrets. If it ever did (a bug, a proxy, a future
 * field), they must still not become workflow data, which n8n stores and shows to every editor.
 * Secret-looking: a name ending in token, secret or password (accessToken, appSecret, app_secret,
 * sessionToken...), or one of a few names that hold credentials. `apiKeys` (name, prefix and last 4
 * characters of each key, as the API documents) is not a secret.
 */
const SECRET_FIELD =
	/(?:token|secret|password|passwd)s?$|^(?:api[-_]?key|authorization|credentials?|private[-_]?key|provider[-_]?config)$/i;

export function isSecretField(name: string): boolean {
	return SECRET_FIELD.test(name);
}

/** A copy of an API response without secret-looking fields, at any depth, inside arrays too. */
export function withoutSecrets<T>(value: T): T {
	if (Array.isArray(value)) return value.map(withoutSecrets) as T;
	if (!isPlainObject(value)) return value;
	const copy: IDataObject = {};
	for (const [key, field] of Object.entries(value))
		if (!isSecretField(key)) setField(copy, key, withoutSecrets(field));
	return copy as T;
}

/** `"appSecret": "…"` → `"appSecret": "[redacted]"` in response text that could not be parsed (a cut JSON body). */
export function redactSecretFields(text: string): string {
	return text.replace(
		/"([^"\\]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g,
		(field, name: string, colon: string) =>
			isSecretField(name) ? `"${name}"${colon}"[redacted]"` : field,
	);
}

/** The text with every occurrence of each secret (the API key) replaced by `[redacted]`. */
export function redact(text: string, secrets: string[]): string {
	let safe = text;
	for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
	return safe;
}
