import { deepCopy } from 'n8n-workflow';

/** Per node run (per execution context): the requests already asked for, by key, settled or not. */
const asked = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Sends `request` once per key within one node run; every later asker awaits the same answer (or
 * the same failure) and gets its own copy, so items never share a mutable object.
 */
export async function once<T extends object>(
	ctx: object,
	key: string,
	request: () => Promise<T>,
): Promise<T> {
	let requests = asked.get(ctx);
	if (!requests) asked.set(ctx, (requests = new Map()));
	const pending = requests.get(key) as Promise<T> | undefined;
	if (pending) return deepCopy(await pending);
	const started = request();
	requests.set(key, started);
	return await started;
}
