'use strict';
/**
 * Fault injection for the sandbox, built on `sandbox.use(handler)`: a test picks which requests
 * fail (by path, and by call count among the requests to that path) and how. Requests are still
 * recorded by the sandbox, so a test counts retries with `sandbox.requests`.
 *
 *   injectFault(sandbox, faults.status(503, { retryAfter: '0' }), { path: '/v1/numbers', times: 2 });
 *
 * Faults that need the real answer (truncated, slow drip, secrets or the key added, stalls, a
 * body grown huge or deep) let the API answer and change what it sends. Faults that hold a
 * response open (stall, shortBody, drip, oversized) count what they hold (`fault.open`) and sent
 * (`fault.bytesSent`), stop as soon as the client goes away, and close the connection themselves
 * after `maxMs` at most, so a test process never keeps one alive.
 */

/** @import { IncomingMessage, ServerResponse } from 'node:http' */
/** @import { Sandbox, SandboxHandler } from './server' */
/** @typedef {Record<string, string | string[]>} Headers */
/** @typedef {{ status: number, headers: Headers, text: string }} Answer */
/** @typedef {Pick<ServerResponse, 'writeHead' | 'write' | 'end'>} RawResponse */

const HTML_ERROR_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {Headers} headers
 * @param {string} text
 */
function send(res, status, headers, text) {
	res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
	// As bytes: Node sends the headers in the body's encoding when the body is text, which would
	// turn a header's bytes above 0x7f (see headerValue) into UTF-8 a second time.
	res.end(Buffer.from(text));
}

/**
 * Lets the API answer, then hands its status, headers and text to `deliver(answer, raw)`, where
 * `raw` holds the response's own writeHead/write/end to send something else. The API answers with
 * `sendJson` (one writeHead, one end with the whole text), which is all this captures.
 * @param {ServerResponse} res
 * @param {(answer: Answer, raw: RawResponse) => void | Promise<void>} deliver
 * @returns {false} The API is to answer.
 */
function changeAnswer(res, deliver) {
	/** @type {RawResponse} */
	const raw = {
		writeHead: res.writeHead.bind(res),
		write: res.write.bind(res),
		end: res.end.bind(res),
	};
	/** @type {{ status: number, headers: Headers }} */
	let head = { status: 200, headers: {} };
	Object.assign(res, {
		/** @type {(status: number, headers?: Headers) => ServerResponse} */
		writeHead: (status, headers = {}) => {
			head = { status, headers: { ...headers } };
			return res;
		},
		/** @type {(text?: string) => ServerResponse} */
		end: (text = '') => {
			// A fault that fails itself must not become an unhandled rejection in the test process.
			Promise.resolve(deliver({ ...head, text: String(text) }, raw)).catch((error) =>
				res.destroy(error),
			);
			return res;
		},
	});
	return false;
}

/** @param {number} ms */
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a fault holds a response open at most, unless told otherwise. */
const MAX_OPEN_MS = 60_000;

/**
 * A fault that holds responses open: how many it holds now, and the body bytes it has written.
 * @typedef {SandboxHandler & { open: number, bytesSent: number }} StreamingFault
 */

/**
 * A fault that lets the API answer, then streams something else in its place through
 * `stream(answer, write, res)`; `write` counts bytes and resolves when the client can take more
 * (false once it has gone). The response counts as open until its connection closes, which the
 * fault forces after `maxMs`.
 * @param {number} maxMs
 * @param {(answer: Answer, write: (chunk: string | Buffer) => Promise<boolean>, res: ServerResponse, raw: RawResponse) => void | Promise<void>} stream
 * @returns {StreamingFault}
 */
function streamingFault(maxMs, stream) {
	/** @type {StreamingFault} */
	const fault = Object.assign(
		/** @type {SandboxHandler} */ (
			(_req, res) =>
				changeAnswer(res, async (answer, raw) => {
					if (res.destroyed) return;
					fault.open++;
					const cap = setTimeout(() => res.destroy(), maxMs).unref();
					res.once('close', () => {
						fault.open--;
						clearTimeout(cap);
					});
					/** @param {string | Buffer} chunk */
					const write = async (chunk) => {
						if (res.destroyed) return false;
						fault.bytesSent += Buffer.byteLength(chunk);
						if (!raw.write(chunk)) await drainedOrClosed(res);
						return !res.destroyed;
					};
					await stream(answer, write, res, raw);
				})
		),
		{ open: 0, bytesSent: 0 },
	);
	return fault;
}

/** @param {ServerResponse} res */
function drainedOrClosed(res) {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(undefined);
		};
		res.once('drain', done);
		res.once('close', done);
	});
}

/**
 * The `x-api-key` a request carried, as sent ('' when none).
 * @param {IncomingMessage} req
 */
function sentKey(req) {
	const key = req.headers['x-api-key'];
	return Array.isArray(key) ? key.join(', ') : (key ?? '');
}

/**
 * `fields` added to an answer: to the object, or to each object of a list.
 * @param {unknown} body
 * @param {Record<string, unknown>} fields
 */
function addToAnswer(body, fields) {
	/** @param {unknown} value */
	const add = (value) =>
		value !== null && typeof value === 'object' && !Array.isArray(value)
			? { ...value, ...fields }
			: value;
	return Array.isArray(body) ? body.map(add) : add(body);
}

/** @param {number} code */
const injectedError = (code) => ({ error: 'Injected', message: `Injected HTTP ${code}` });

/**
 * Where `echoKey` can put the key in an answer, each as the fields it adds. Seen in the wild:
 * gateways that echo the request, webhook URLs with the key in their query, keys as map keys.
 * @type {Record<'value' | 'nested' | 'fieldName' | 'array', (key: string) => Record<string, unknown>>}
 */
const ECHO_PLACES = {
	value: (key) => ({ webhookUrl: `https://hooks.example.com/in?apikey=${key}` }),
	nested: (key) => ({ request: { 'x-api-key': key, echo: `got ${key}` } }),
	fieldName: (key) => ({ [key]: 'seen' }),
	array: (key) => ({ recentKeys: [key, `Bearer ${key}`] }),
};

/**
 * A header value sent as the UTF-8 bytes of `value` (Node writes header text as latin1). A value
 * with CR, LF or NUL cannot be a header at all, so it is refused here rather than in the answer.
 * @param {string | number | Array<string | number>} value
 * @returns {string | string[]}
 */
function headerValue(value) {
	if (Array.isArray(value)) return value.map((one) => /** @type {string} */ (headerValue(one)));
	const text = String(value);
	if (/[\r\n\0]/.test(text))
		throw new Error(`A header value cannot hold CR, LF or NUL: ${JSON.stringify(text)}`);
	return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * JSON text nested `depth` levels: `{"a":{"a":...{"a":null}...}}`, built as text so no recursion
 * (JSON.stringify's or the test's) limits the depth.
 * @param {number} depth
 */
const nestedJson = (depth) => `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;

/** Stands for the nested JSON in a body until it is serialized. */
const DEEP = '\u0000deep\u0000';

/**
 * `value` as JSON text, each `DEEP` replaced by JSON nested `depth` levels.
 * @param {unknown} value
 * @param {number} depth
 */
const withDeep = (value, depth) =>
	JSON.stringify(value).replaceAll(JSON.stringify(DEEP), nestedJson(depth));

/**
 * A fixed answer: any status, text and headers.
 * @param {number} status
 * @param {string} text
 * @param {Headers} [headers]
 * @returns {SandboxHandler}
 */
function answer(status, text, headers = {}) {
	return (_req, res) => {
		send(res, status, { 'content-type': 'application/json', ...headers }, text);
		return true;
	};
}

const faults = {
	answer,

	/**
	 * An HTTP error status with a JSON body, and `Retry-After` when given: any value, sent as is
	 * (seconds, an HTTP date, `1e400`, `wait Infinity min`, several headers as an array...).
	 * @param {number} code
	 * @param {{ retryAfter?: string | number | Array<string | number>, body?: unknown | ((req: IncomingMessage) => unknown) }} [options]
	 *   `body` may be a function of the request, e.g. to echo its key.
	 * @returns {SandboxHandler}
	 */
	status(code, { retryAfter, body = injectedError(code) } = {}) {
		const headers = {
			'content-type': 'application/json',
			...(retryAfter === undefined ? {} : { 'retry-after': headerValue(retryAfter) }),
		};
		return (req, res) => {
			send(res, code, headers, JSON.stringify(typeof body === 'function' ? body(req) : body));
			return true;
		};
	},

	/**
	 * A redirect with any status (301, 302, 303, 307, 308, or another) to `location`: a URL, or a
	 * function of the request's path and query as sent, e.g. `(path) => other.url + path` to send
	 * the client to a second sandbox (`startSandbox({ host: '127.0.0.2' })`) that records what
	 * reaches it.
	 * @param {number} code
	 * @param {string | ((path: string) => string)} location
	 * @returns {SandboxHandler}
	 */
	redirect(code, location) {
		return (req, res) => {
			const target = typeof location === 'function' ? location(String(req.url)) : location;
			send(res, code, { location: target }, '');
			return true;
		};
	},

	/**
	 * A redirect loop: every request redirected to itself, as often as the client follows.
	 * @param {number} [code]
	 * @returns {SandboxHandler}
	 */
	redirectLoop(code = 302) {
		return faults.redirect(code, (path) => path);
	},

	/**
	 * The key the request carried, echoed back in the `places` of the answer (default all of
	 * ECHO_PLACES): added to the API's real answer (to each number of a list; with a rejected key,
	 * to the API's 401 body), or, with `status`, to an error body of that status.
	 * @param {{ places?: Array<keyof typeof ECHO_PLACES>, status?: number }} [options]
	 * @returns {SandboxHandler}
	 */
	echoKey({
		places = /** @type {Array<keyof typeof ECHO_PLACES>} */ (Object.keys(ECHO_PLACES)),
		status,
	} = {}) {
		/** @param {IncomingMessage} req */
		const echoes = (req) =>
			Object.assign({}, ...places.map((place) => ECHO_PLACES[place](sentKey(req))));
		if (status === undefined) return faults.rewrite((body, req) => addToAnswer(body, echoes(req)));
		/** @param {IncomingMessage} req */
		const errorBody = (req) => ({ ...injectedError(status), ...echoes(req) });
		return faults.status(status, { body: errorBody });
	},

	/**
	 * JSON nested `depth` levels deep: the API's real answer with a field `deep` holding it (on each
	 * number of a list), or, with `status`, an error body of that status holding it.
	 * @param {number} depth
	 * @param {{ status?: number }} [options]
	 * @returns {SandboxHandler}
	 */
	deepJson(depth, { status } = {}) {
		if (status !== undefined)
			return answer(status, withDeep({ ...injectedError(status), deep: DEEP }, depth));
		return rewriteText((body) => withDeep(addToAnswer(body, { deep: DEEP }), depth));
	},

	/**
	 * A proxy's HTML error page instead of the API's JSON.
	 * @param {number} [code]
	 */
	html(code = 502) {
		return answer(code, HTML_ERROR_PAGE, { 'content-type': 'text/html' });
	},

	/**
	 * Any JSON with status 200, e.g. an object where the API promises an array.
	 * @param {unknown} body
	 * @param {number} [code]
	 */
	json(body, code = 200) {
		return answer(code, JSON.stringify(body));
	},

	/**
	 * The API's real answer cut after `fraction` of its text, framed as complete (as a faulty proxy would).
	 * @param {number} [fraction]
	 * @returns {SandboxHandler}
	 */
	truncatedJson(fraction = 0.5) {
		return (_req, res) =>
			changeAnswer(res, ({ status, headers, text }, raw) => {
				const cut = text.slice(0, Math.floor(text.length * fraction));
				raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(cut) });
				raw.end(cut);
			});
	},

	/**
	 * The API's real answer as JSON, after `change(body, req)` (e.g. to add fields it never sends).
	 * @param {(body: any, req: IncomingMessage) => unknown} change
	 * @returns {SandboxHandler}
	 */
	rewrite(change) {
		return rewriteText((body, req) => JSON.stringify(change(body, req)));
	},

	/**
	 * Waits `ms`, then lets the API answer (a slow server; beyond the timeout, nobody is listening anymore).
	 * @param {number} ms
	 * @returns {SandboxHandler}
	 */
	delay(ms) {
		return async () => {
			await wait(ms);
			return false;
		};
	},

	/**
	 * Closes the connection without answering: the client sees a reset / socket hang up.
	 * @returns {SandboxHandler}
	 */
	reset() {
		return (req) => {
			req.socket.destroy();
			return true;
		};
	},

	/**
	 * The API's real answer, headers at once, then the body in `chunks` pieces `intervalMs` apart.
	 * @param {{ chunks?: number, intervalMs: number }} options
	 * @returns {SandboxHandler}
	 */
	slowDrip({ chunks = 4, intervalMs }) {
		return (_req, res) =>
			changeAnswer(res, async ({ status, headers, text }, raw) => {
				raw.writeHead(status, headers);
				const size = Math.ceil(text.length / chunks);
				for (let start = 0; start < text.length; start += size) {
					await wait(intervalMs);
					if (res.destroyed) return;
					raw.write(text.slice(start, start + size));
				}
				raw.end();
			});
	},

	/**
	 * The API's real headers (its full Content-Length included) and the first `bytes` bytes of its
	 * body, then silence until the client goes away (or `maxMs` passes).
	 * @param {{ bytes?: number, maxMs?: number }} [options]
	 */
	stall({ bytes = 0, maxMs = MAX_OPEN_MS } = {}) {
		return streamingFault(maxMs, async ({ status, headers, text }, write, _res, raw) => {
			raw.writeHead(status, headers);
			await write(Buffer.from(text).subarray(0, bytes));
		});
	},

	/**
	 * The API's real headers (its full Content-Length included) and the first `bytes` bytes of its
	 * body, then the connection closed: a body cut short.
	 * @param {{ bytes?: number }} [options]
	 */
	shortBody({ bytes = 0 } = {}) {
		return streamingFault(MAX_OPEN_MS, async ({ status, headers, text }, write, res, raw) => {
			raw.writeHead(status, headers);
			await write(Buffer.from(text).subarray(0, bytes));
			// Once those bytes are out; destroying at once could drop them.
			res.socket?.end();
		});
	},

	/**
	 * A body that never ends: the API's real status and headers (without Content-Length), then its
	 * body one byte every `intervalMs`, then spaces, forever, until the client goes away (or `maxMs`
	 * passes).
	 * @param {{ intervalMs?: number, maxMs?: number }} [options]
	 */
	drip({ intervalMs = 100, maxMs = MAX_OPEN_MS } = {}) {
		return streamingFault(maxMs, async ({ status, headers, text }, write, _res, raw) => {
			const { 'content-length': _length, ...rest } = headers;
			raw.writeHead(status, rest);
			const body = Buffer.from(text);
			for (let index = 0; ; index++) {
				if (!(await write(index < body.length ? body.subarray(index, index + 1) : ' '))) return;
				await wait(intervalMs);
			}
		});
	},

	/**
	 * The API's real answer grown to exactly `bytes` bytes of valid JSON by a string field
	 * `padding` (in its last object), streamed in chunks of `chunkBytes` as fast as the client
	 * reads, never held whole in memory. With `declareLength` (default) the Content-Length says the
	 * full size up front; without it the body is chunked.
	 * @param {{ bytes: number, chunkBytes?: number, declareLength?: boolean, maxMs?: number }} options
	 */
	oversized({ bytes, chunkBytes = 64 * 1024, declareLength = true, maxMs = MAX_OPEN_MS }) {
		return streamingFault(maxMs, async ({ status, headers, text }, write, _res, raw) => {
			const close = text.lastIndexOf('}');
			if (close < 0) throw new Error('oversized needs an answer with an object to pad');
			const head = `${text.slice(0, close)}${text[close - 1] === '{' ? '' : ','}"padding":"`;
			const tail = `"${text.slice(close)}`;
			let padding = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
			if (padding < 0) throw new Error(`oversized needs more than ${bytes} bytes for this answer`);
			const { 'content-length': _length, ...rest } = headers;
			raw.writeHead(status, declareLength ? { ...rest, 'content-length': bytes } : rest);
			if (!(await write(head))) return;
			const chunk = Buffer.alloc(chunkBytes, 'x');
			for (; padding > 0; padding -= chunkBytes) {
				if (!(await write(padding >= chunkBytes ? chunk : chunk.subarray(0, padding)))) return;
			}
			if (await write(tail)) raw.end();
		});
	},
};

/**
 * Lets the API answer, then sends `change(body, req)` (JSON text) instead, with the API's status
 * and headers and the new Content-Length.
 * @param {(body: any, req: IncomingMessage) => string} change
 * @returns {SandboxHandler}
 */
function rewriteText(change) {
	return (req, res) =>
		changeAnswer(res, ({ status, headers, text }, raw) => {
			const changed = change(JSON.parse(text), req);
			raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(changed) });
			raw.end(changed);
		});
}

/** @typedef {string | RegExp | ((pathname: string) => boolean)} PathMatch */

/**
 * @param {PathMatch | undefined} path
 * @param {string} pathname
 */
function matchesPath(path, pathname) {
	if (path === undefined) return true;
	if (typeof path === 'function') return path(pathname);
	return path instanceof RegExp ? path.test(pathname) : path === pathname;
}

/**
 * Makes `fault` answer the requests chosen by `when`:
 * - `path`: a pathname (`/v1/numbers`), a RegExp or a predicate; default every path;
 * - `times`: the first N matching requests (default all), or
 * - `calls`: which matching requests, counted from 1 (`[2, 3]`).
 * Other requests reach the API as usual. Faults run in the order injected; one that changes the
 * API's real answer lets the later ones run first, so it must be the only one a request matches.
 * @param {Sandbox} sandbox
 * @param {SandboxHandler} fault
 * @param {{ path?: PathMatch, times?: number, calls?: number[] }} [when]
 * @returns {Sandbox}
 */
function injectFault(sandbox, fault, { path, times = Infinity, calls } = {}) {
	let seen = 0;
	sandbox.use(async (req, res, url) => {
		if (!matchesPath(path, url.pathname)) return false;
		seen += 1;
		const chosen = calls ? calls.includes(seen) : seen <= times;
		return chosen ? await fault(req, res, url) : false;
	});
	return sandbox;
}

module.exports = { faults, injectFault, HTML_ERROR_PAGE, ECHO_PLACES };
