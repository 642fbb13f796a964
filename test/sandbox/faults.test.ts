/**
 * The sandbox's own fault modes that no node test exercises yet, checked with a plain HTTP client:
 * a second origin, redirects, the key echoed, stalls, short bodies, endless drips, oversized and
 * deeply nested bodies, and any Retry-After. No timings are asserted: what arrives, and that the
 * sandbox lets go of a response once the client has gone.
 */
import http from 'node:http';

import { ECHO_PLACES, faults, injectFault } from './faults';
import { KEYS } from './fixtures';
import { useSandbox } from './lifecycle';

const { sandbox } = useSandbox();
const { sandbox: elsewhere } = useSandbox({ host: '127.0.0.2' });

const WITH_KEY = { 'x-api-key': KEYS.acmeTenant };

interface Received {
	status: number;
	headers: http.IncomingHttpHeaders;
	rawHeaders: string[];
	body: Buffer;
	/** complete: the body ended as framed; cut: the connection closed first; stopped: by the client. */
	outcome: 'complete' | 'cut' | 'stopped';
}

/** A GET read by hand, so a broken body is seen as it arrives; `stopAfter` bytes, the client goes. */
function read(
	path: string,
	{ origin = sandbox.url, headers = WITH_KEY, stopAfter = Infinity } = {},
): Promise<Received> {
	return new Promise((resolve, reject) => {
		const request = http.get(`${origin}${path}`, { headers }, (res) => {
			const chunks: Buffer[] = [];
			let size = 0;
			const finish = (outcome: Received['outcome']) =>
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					rawHeaders: res.rawHeaders,
					body: Buffer.concat(chunks),
					outcome,
				});
			res.on('data', (chunk: Buffer) => {
				chunks.push(chunk);
				size += chunk.length;
				if (size < stopAfter) return;
				request.destroy();
				finish('stopped');
			});
			res.on('end', () => finish('complete'));
			res.on('error', () => finish('cut'));
			res.on('close', () => finish(res.complete ? 'complete' : 'cut'));
		});
		request.on('error', reject);
	});
}

/** The API's own answer to `path`, as JSON text, without any fault. */
async function apiText(path: string) {
	return await (await fetch(`${sandbox.url}${path}`, { headers: WITH_KEY })).text();
}

/** Waits, bounded, until `done()` holds: the sandbox notices a closed connection asynchronously. */
async function eventually(done: () => boolean) {
	for (let tries = 0; tries < 100 && !done(); tries++)
		await new Promise((resolve) => setTimeout(resolve, 50));
	return done();
}

/** How deep `value` nests through the field `a`. */
function depthOf(value: unknown) {
	let depth = 0;
	for (let node = value as { a?: unknown }; node && typeof node === 'object'; node = node.a as {})
		depth++;
	return depth;
}

describe('a second origin', () => {
	it('answers like the API and records method, path and whose key came, never the key', async () => {
		expect(elsewhere.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
		const answer = await fetch(`${elsewhere.url}/v1/numbers`, { headers: WITH_KEY });
		expect(answer.status).toBe(200);
		expect(await answer.json()).toHaveLength(sandbox.tenants.acme.numbers.length);
		await fetch(`${elsewhere.url}/v1/numbers/wa_abc`);
		expect(elsewhere.requests).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/v1/numbers',
				hasKey: true,
				keyName: 'n8n automations',
			}),
			expect.objectContaining({ path: '/v1/numbers/wa_abc', hasKey: false, keyName: undefined }),
		]);
		expect(JSON.stringify(elsewhere.requests)).not.toContain(KEYS.acmeTenant);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('redirects', () => {
	it.each([301, 302, 303, 307, 308])('%i to another origin, path and query kept', async (code) => {
		injectFault(
			sandbox,
			faults.redirect(code, (path) => `${elsewhere.url}${path}`),
		);
		const answer = await read('/v1/numbers?refresh=1');
		expect(answer.status).toBe(code);
		expect(answer.headers.location).toBe(`${elsewhere.url}/v1/numbers?refresh=1`);
		const followed = await fetch(`${sandbox.url}/v1/numbers`);
		expect(followed.url).toBe(`${elsewhere.url}/v1/numbers`);
		expect(elsewhere.requests.map((request) => request.path)).toEqual(['/v1/numbers']);
	});

	it('to any URL given, e.g. another scheme', async () => {
		injectFault(sandbox, faults.redirect(302, 'https://127.0.0.2:1/v1/numbers'));
		expect((await read('/v1/numbers')).headers.location).toBe('https://127.0.0.2:1/v1/numbers');
	});

	it('in a loop, to itself, for as long as the client follows', async () => {
		injectFault(sandbox, faults.redirectLoop(307));
		const answer = await read('/v1/numbers/wa_abc');
		expect(answer.status).toBe(307);
		expect(answer.headers.location).toBe('/v1/numbers/wa_abc');
		await expect(fetch(`${sandbox.url}/v1/numbers/wa_abc`)).rejects.toThrow();
		expect(sandbox.requests.length).toBeGreaterThan(2);
		expect(new Set(sandbox.requests.map((request) => request.rawUrl))).toEqual(
			new Set(['/v1/numbers/wa_abc']),
		);
	});
});

describe('the key echoed back', () => {
	it('in every place by default, added to the real answer', async () => {
		injectFault(sandbox, faults.echoKey());
		const body = JSON.parse((await read('/v1/numbers/wa_abc')).body.toString());
		const key = KEYS.acmeTenant;
		expect(body).toMatchObject({
			id: 'wa_abc',
			webhookUrl: `https://hooks.example.com/in?apikey=${key}`,
			request: { 'x-api-key': key, echo: `got ${key}` },
			[key]: 'seen',
			recentKeys: [key, `Bearer ${key}`],
		});
		const listed = JSON.parse((await read('/v1/numbers')).body.toString());
		for (const number of listed) expect(number.request).toEqual(body.request);
	});

	it('only in the places chosen, and in an error body with a status', async () => {
		injectFault(sandbox, faults.echoKey({ places: ['nested'] }));
		const nested = JSON.parse((await read('/v1/numbers/wa_abc/status')).body.toString());
		expect(Object.keys(nested)).toEqual(expect.arrayContaining(['state', 'request']));
		expect(nested).not.toHaveProperty('webhookUrl');
		sandbox.reset();
		injectFault(sandbox, faults.echoKey({ places: ['value', 'array'], status: 500 }));
		const failed = await read('/v1/numbers');
		expect(failed.status).toBe(500);
		expect(JSON.parse(failed.body.toString())).toEqual({
			error: 'Injected',
			message: 'Injected HTTP 500',
			...ECHO_PLACES.value(KEYS.acmeTenant),
			...ECHO_PLACES.array(KEYS.acmeTenant),
		});
	});

	it("exactly as the request carried it, in the API's own 401 for a rejected key", async () => {
		injectFault(sandbox, faults.echoKey({ places: ['nested'] }));
		const rejected = await read('/v1/numbers', { headers: { 'x-api-key': 'ps_wrong_key' } });
		expect(rejected.status).toBe(401);
		expect(JSON.parse(rejected.body.toString())).toMatchObject({
			error: 'Unauthorized',
			request: { 'x-api-key': 'ps_wrong_key' },
		});
	});
});

describe('bodies that break off or never end', () => {
	it('stall: the real headers and the first bytes, then nothing until the client goes away', async () => {
		const text = await apiText('/v1/numbers/wa_abc');
		const stall = faults.stall({ bytes: 18 });
		injectFault(sandbox, stall);
		const answer = await read('/v1/numbers/wa_abc', { stopAfter: 18 });
		expect(answer.status).toBe(200);
		expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(text)));
		expect(answer.body.toString()).toBe(text.slice(0, 18));
		expect(await eventually(() => stall.open === 0)).toBe(true);
		expect(stall.bytesSent).toBe(18);
	});

	it('stall: closed by the sandbox itself after maxMs when the client never goes', async () => {
		injectFault(sandbox, faults.stall({ bytes: 5, maxMs: 200 }));
		const answer = await read('/v1/numbers');
		expect(answer.outcome).toBe('cut');
		expect(answer.body.toString()).toBe('[{"id');
	});

	it('shortBody: a Content-Length larger than what is sent, then the connection closed', async () => {
		const text = await apiText('/v1/numbers/wa_abc');
		const short = faults.shortBody({ bytes: 18 });
		injectFault(sandbox, short);
		const answer = await read('/v1/numbers/wa_abc');
		expect(answer.outcome).toBe('cut');
		expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(text)));
		expect(answer.body.toString()).toBe(text.slice(0, 18));
		expect(await eventually(() => short.open === 0)).toBe(true);
	});

	it('drip: the real answer a byte at a time, then spaces, until the client goes away', async () => {
		const text = await apiText('/v1/numbers/wa_qr_old');
		const drip = faults.drip({ intervalMs: 1 });
		injectFault(sandbox, drip);
		const length = Buffer.byteLength(text);
		const answer = await read('/v1/numbers/wa_qr_old', { stopAfter: length + 20 });
		expect(answer.headers['content-length']).toBeUndefined();
		expect(answer.headers['transfer-encoding']).toBe('chunked');
		expect(answer.body.subarray(0, length).toString()).toBe(text);
		expect(answer.body.subarray(length).toString()).toMatch(/^ +$/);
		expect(await eventually(() => drip.open === 0)).toBe(true);
	});
});

describe('bodies too big or too deep', () => {
	it('oversized: exactly the bytes asked for, valid JSON, the real answer padded', async () => {
		injectFault(sandbox, faults.oversized({ bytes: 3_000_000 }));
		const detail = await read('/v1/numbers/wa_abc');
		expect(detail.headers['content-length']).toBe('3000000');
		expect(detail.body).toHaveLength(3_000_000);
		const number = JSON.parse(detail.body.toString());
		expect(number).toMatchObject({ id: 'wa_abc', health: { qualityRating: 'GREEN' } });
		expect(number.padding).toMatch(/^x+$/);

		sandbox.reset();
		injectFault(sandbox, faults.oversized({ bytes: 200_000, declareLength: false }));
		const listed = await read('/v1/numbers');
		expect(listed.headers['transfer-encoding']).toBe('chunked');
		expect(listed.body).toHaveLength(200_000);
		const numbers = JSON.parse(listed.body.toString());
		expect(numbers.map((one: { id: string }) => one.id)).toEqual(
			sandbox.tenants.acme.numbers.map((one) => one.id),
		);
		expect(numbers.at(-1).padding).toMatch(/^x+$/);
	});

	it('oversized: streamed as the client reads, and stopped when it goes', async () => {
		const huge = faults.oversized({ bytes: 600 * 1024 * 1024 });
		injectFault(sandbox, huge);
		const answer = await read('/v1/numbers/wa_abc', { stopAfter: 1024 * 1024 });
		expect(answer.headers['content-length']).toBe(String(600 * 1024 * 1024));
		expect(await eventually(() => huge.open === 0)).toBe(true);
		// Only what the client and the sockets' buffers took, far from the 600 MB.
		expect(huge.bytesSent).toBeLessThan(100 * 1024 * 1024);
	});

	it('deepJson: nested N levels in a real answer, and in an error body', async () => {
		injectFault(sandbox, faults.deepJson(4000));
		const ok = await read('/v1/numbers/wa_abc');
		expect(ok.status).toBe(200);
		const number = JSON.parse(ok.body.toString());
		expect(number.id).toBe('wa_abc');
		expect(depthOf(number.deep)).toBe(4000);
		sandbox.reset();
		injectFault(sandbox, faults.deepJson(4000, { status: 400 }));
		const failed = await read('/v1/numbers/wa_abc');
		expect(failed.status).toBe(400);
		const error = JSON.parse(failed.body.toString());
		expect(error).toMatchObject({ error: 'Injected', message: 'Injected HTTP 400' });
		expect(depthOf(error.deep)).toBe(4000);
	});
});

describe('Retry-After', () => {
	it.each([
		'1e400',
		'251606266380',
		'wait Infinity min',
		'',
		'-1',
		'Fri, 31 Dec 9999 23:59:59 GMT',
	])('%j is sent as is', async (value) => {
		injectFault(sandbox, faults.status(429, { retryAfter: value }));
		const answer = await read('/v1/numbers');
		expect(answer.status).toBe(429);
		expect(answer.headers['retry-after']).toBe(value);
	});

	it('text beyond ASCII goes as its UTF-8 bytes, several values as several headers', async () => {
		injectFault(sandbox, faults.status(429, { retryAfter: '∞' }), { times: 1 });
		injectFault(sandbox, faults.status(503, { retryAfter: ['5', '600'] }));
		// The first fault answers the first request; the second, the next.
		const infinite = await read('/v1/numbers');
		expect(Buffer.from(String(infinite.headers['retry-after']), 'latin1').toString()).toBe('∞');
		const twice = await read('/v1/numbers');
		const sent = twice.rawHeaders.filter((_, index) => index % 2 === 0);
		expect(
			sent.flatMap((name, index) =>
				name.toLowerCase() === 'retry-after' ? [twice.rawHeaders[index * 2 + 1]] : [],
			),
		).toEqual(['5', '600']);
	});

	it('a value that cannot be a header is refused when the fault is made', () => {
		expect(() => faults.status(429, { retryAfter: '1\r\nx-injected: yes' })).toThrow(
			/cannot hold CR, LF or NUL/,
		);
	});
});
