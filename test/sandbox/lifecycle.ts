import { KEYS } from './fixtures';
import type { Sandbox } from './server';
import { startSandbox } from './server';

/**
 * One sandbox for the calling test file: started before its tests, closed after them, back to the
 * fixtures before each test, with the acme tenant's credentials pointing at it. Call at the top of
 * the file; the returned objects last the whole file, so tests name them directly:
 * `sandbox` forwards to the running sandbox, `credentials` is refilled before each test.
 * Called again with another `host` (`127.0.0.2`), it gives a second origin, e.g. for redirects.
 */
export function useSandbox({ baseUrl = (url: string) => url, host = '127.0.0.1' } = {}) {
	let running: Sandbox | undefined;
	const current = () => {
		if (!running) throw new Error('the sandbox runs only inside tests (beforeAll starts it)');
		return running;
	};
	// A stand-in is needed because the sandbox only exists once beforeAll has run.
	const sandbox = new Proxy({} as Sandbox, {
		get: (_, property) => Reflect.get(current(), property),
		set: (_, property, value) => Reflect.set(current(), property, value),
	});
	const credentials = { apiKey: '', baseUrl: '' };

	beforeAll(async () => {
		running = await startSandbox({ host });
	});
	afterAll(async () => await running?.close());
	beforeEach(() => {
		current().reset();
		Object.assign(credentials, { apiKey: KEYS.acmeTenant, baseUrl: baseUrl(current().url) });
	});

	return { sandbox, credentials };
}
