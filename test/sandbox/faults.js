'use strict';
/**
 * Fault injection for the sandbox, built on `sandbox.use(handler)`: a test picks which requests
 * fail (by path, and by call count among the requests to that path) and how. Requests are still
 * recorded by the sandbox, so a test counts retries with `sandbox.requests`.
 *
 *   injectFault(sandbox, faults.status(503, { retryAfter: '0' }), { path: '/v1/numbers', times: 2 });
 *
 * Faults that need the real answer (truncated, slow drip, secrets added) let the API answer and
 * change what it sends.
 */

/** @import { ServerResponse } from 'node:http' */
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
	res.end(text);
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
	 * An HTTP error status with a JSON body, and `Retry-After` when given (seconds or an HTTP date).
	 * @param {number} code
	 * @param {{ retryAfter?: string | number, body?: unknown }} [options]
	 */
	status(
		code,
		{ retryAfter, body = { error: 'Injected', message: `Injected HTTP ${code}` } } = {},
	) {
		return answer(
			code,
			JSON.stringify(body),
			retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
		);
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
	 * The API's real answer as JSON, after `change(body)` (e.g. to add fields it never sends).
	 * @param {(body: any) => unknown} change
	 * @returns {SandboxHandler}
	 */
	rewrite(change) {
		return (_req, res) =>
			changeAnswer(res, ({ status, headers, text }, raw) => {
				const changed = JSON.stringify(change(JSON.parse(text)));
				raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(changed) });
				raw.end(changed);
			});
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
};

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
 * Other requests reach the API as usual.
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

module.exports = { faults, injectFault, HTML_ERROR_PAGE };
