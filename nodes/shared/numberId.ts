/** Longer than any PilotStatus id by far; a longer value is a runaway expression, not an id. */
export const MAX_ID_LENGTH = 256;

function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value === null) return 'null';
	const type = typeof value;
	return type === 'object' ? 'an object' : `a ${type}`;
}

/** A number id that passed checkNumberId: the only kind the transport puts into a URL. */
export type NumberId = string & { readonly checked: unique symbol };

/**
 * A number id as it may come from an expression or an answer, checked before it goes into a URL: text, not
 * blank, not absurdly long, not `.`/`..` (every URL parser resolves those as directories) and
 * well-formed Unicode (a lone surrogate cannot be percent-encoded). Surrounding spaces are dropped.
 * `where` (e.g. ` (item 3)`) goes into the message.
 */
export function checkNumberId(value: unknown, where = ''): { id: NumberId } | { problem: string } {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return { problem: `Number is required${where}: it is empty` };
	}
	if (typeof value !== 'string') {
		const shown =
			typeof value === 'number' || typeof value === 'boolean' ? ` (${String(value)})` : '';
		return { problem: `Number ID must be text${where}: it is ${kindOf(value)}${shown}` };
	}
	const id = value.trim();
	if (id.length > MAX_ID_LENGTH) {
		return {
			problem: `Number ID is too long${where}: ${id.length} characters, at most ${MAX_ID_LENGTH}`,
		};
	}
	if (id === '.' || id === '..') {
		return { problem: `Number ID '${id}' is not a valid PilotStatus number ID${where}` };
	}
	try {
		encodeURIComponent(id);
	} catch {
		return {
			problem: `Number ID contains a broken character${where}: an unpaired UTF-16 surrogate`,
		};
	}
	return { id: id as NumberId };
}

/** One path segment for an id: `a/b`, `../x` or `x?y=1` can never change the path or the query. */
export function numberPath(id: NumberId): string {
	return `/v1/numbers/${encodeURIComponent(id)}`;
}
