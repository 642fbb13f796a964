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

const HTML_ERROR_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function send(res, status, headers, text) {
	res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

/**
 * Lets the API answer, then hands its status, headers and text to `deliver(answer, raw)`, where
 * `raw` holds the response's own writeHead/write/end to send something else.
 */
function changeAnswer(res, deliver) {
	const raw = {
		writeHead: res.writeHead.bind(res),
		write: res.write.bind(res),
		end: res.end.bind(res),
	};
	let head = { status: 200, headers: {} };
	res.writeHead = (status, headers = {}) => {
		head = { status, headers: { ...headers } };
		return res;
	};
	res.end = (text = '') => {
		// A fault that fails itself must not become an unhandled rejection in the test process.
		Promise.resolve(deliver({ ...head, text: String(text) }, raw)).catch((error) =>
			res.destroy(error),
		);
		return res;
	};
	return false;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fixed answer: any status, text and headers. */
function answer(status, text, headers = {}) {
	return (_req, res) => {
		send(res, status, { 'content-type': 'application/json', ...headers }, text);
		return true;
	};
}

const faults = {
	answer,

	/** An HTTP error status with a JSON body, and `Retry-After` when given (seconds or an HTTP date). */
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

	/** A proxy's HTML error page instead of the API's JSON. */
	html(code = 502) {
		return answer(code, HTML_ERROR_PAGE, { 'content-type': 'text/html' });
	},

	/** Any JSON with status 200, e.g. an object where the API promises an array. */
	json(body, code = 200) {
		return answer(code, JSON.stringify(body));
	},

	/** The API's real answer cut after `fraction` of its text, framed as complete (as a faulty proxy would). */
	truncatedJson(fraction = 0.5) {
		return (_req, res) =>
			changeAnswer(res, ({ status, headers, text }, raw) => {
				const cut = text.slice(0, Math.floor(text.length * fraction));
				raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(cut) });
				raw.end(cut);
			});
	},

	/** The API's real answer as JSON, after `change(body)` (e.g. to add fields it never sends). */
	rewrite(change) {
		return (_req, res) =>
			changeAnswer(res, ({ status, headers, text }, raw) => {
				const changed = JSON.stringify(change(JSON.parse(text)));
				raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(changed) });
				raw.end(changed);
			});
	},

	/** Waits `ms`, then lets the API answer (a slow server; beyond the timeout, nobody is listening anymore). */
	delay(ms) {
		return async () => {
			await wait(ms);
			return false;
		};
	},

	/** Closes the connection without answering: the client sees a reset / socket hang up. */
	reset() {
		return (req) => {
			req.socket.destroy();
			return true;
		};
	},

	/** The API's real answer, headers at once, then the body in `chunks` pieces `intervalMs` apart. */
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
