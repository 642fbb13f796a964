'use strict';
/**
 * The PilotStatus API stand-in for tests, the demo and `npm run dev`: it follows
 * ../shared/seed (GET /v1/numbers, GET /v1/numbers/{id}[?refresh=1], x-api-key auth) on 127.0.0.1.
 * Never published. Tests can reach into `sandbox.tenants` to change numbers, read `sandbox.requests`
 * to count calls, and `sandbox.use(handler)` to answer a request their own way (faults, latency).
 */
const http = require('node:http');

/** @import { IncomingMessage, ServerResponse } from 'node:http' */
/** @import { SandboxNumber, SandboxTenant } from './fixtures' */

const { createTenants } = require('./fixtures');
const { liveStatus } = require('./status');

const PUBLIC_NUMBER_FIELDS = [
	'id',
	'number',
	'name',
	'provider',
	'state',
	'isFullyConnected',
	'createdAt',
	'updatedAt',
];

/**
 * A request as the sandbox saw it. The key itself is never kept, only whether one came and whose.
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path The decoded pathname, e.g. `/v1/numbers/a/b` for an id `a/b`.
 * @property {string} rawUrl Path and query exactly as sent, e.g. `/v1/numbers/a%2Fb?refresh=1`.
 * @property {Record<string, string>} query
 * @property {string | undefined} keyName The name of the sandbox key sent, undefined if none or unknown.
 * @property {boolean} hasKey Whether an `x-api-key` header came at all.
 */
/**
 * Answers a request itself (returns true) or lets the next handler, and finally the API, answer it
 * (returns false).
 * @typedef {(req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>} SandboxHandler
 */
/**
 * A running sandbox.
 * @typedef {object} Sandbox
 * @property {string} url Its origin, e.g. `http://127.0.0.1:40123` (no trailing slash).
 * @property {Record<string, SandboxTenant>} tenants The accounts; tests may change them freely.
 * @property {RecordedRequest[]} requests Every request received since the last reset, in order.
 * @property {(handler: SandboxHandler) => Sandbox} use Adds a handler that runs before the API.
 * @property {() => void} reset Back to the fixtures, no handlers, no recorded requests.
 * @property {() => Promise<void>} close Closes every connection and stops listening.
 */

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** @param {SandboxTenant['keys'][number]} key */
function keySummary({ key, name }) {
	return { name, keyPrefix: key.slice(0, key.indexOf('_', 3) + 1), keyLast4: key.slice(-4) };
}

/**
 * @param {SandboxNumber} number
 * @param {SandboxTenant} tenant
 */
function listItem(number, tenant) {
	/** @type {Record<string, unknown>} */
	const item = {};
	for (const field of PUBLIC_NUMBER_FIELDS) item[field] = number[field];
	item.apiKeys = tenant.keys
		.filter((key) => key.scope === 'tenant' || key.numberId === number.id)
		.map(keySummary);
	return item;
}

/** @param {SandboxNumber} number */
function detail(number) {
	/** @type {Record<string, unknown>} */
	const item = {};
	for (const field of PUBLIC_NUMBER_FIELDS) item[field] = number[field];
	item.health = { ...number.health };
	item.meta = number.meta === null ? null : structuredClone(number.meta);
	return item;
}

/**
 * Finds the tenant and key a request's x-api-key belongs to.
 * @param {Record<string, SandboxTenant>} tenants
 * @param {string | string[] | undefined} apiKey The header as Node parsed it.
 */
function authenticate(tenants, apiKey) {
	if (typeof apiKey !== 'string') return undefined;
	for (const tenant of Object.values(tenants)) {
		const key = tenant.keys.find((candidate) => candidate.key === apiKey);
		if (key) return { tenant, key };
	}
	return undefined;
}

/** @param {{ tenant: SandboxTenant, key: SandboxTenant['keys'][number] }} caller */
function visibleNumbers({ tenant, key }) {
	return key.scope === 'number'
		? tenant.numbers.filter((number) => number.id === key.numberId)
		: tenant.numbers;
}

/**
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 */
function route(sandbox, req, res, url) {
	if (req.method !== 'GET') return sendJson(res, 405, { error: 'Method Not Allowed' });
	const caller = authenticate(sandbox.tenants, req.headers['x-api-key']);
	// Work on the raw path, as sent: an encoded `/` inside an id must stay part of that id.
	const segments = String(req.url).split('?')[0].split('/').slice(1);
	if (segments[0] !== 'v1' || segments[1] !== 'numbers')
		return sendJson(res, 404, { error: 'Not Found' });
	if (!caller)
		return sendJson(res, 401, { error: 'Unauthorized', message: 'Missing or invalid x-api-key' });

	if (segments.length === 2) {
		return sendJson(
			res,
			200,
			visibleNumbers(caller).map((number) => listItem(number, caller.tenant)),
		);
	}
	let id;
	try {
		id = decodeURIComponent(segments[2]);
	} catch {
		return sendJson(res, 400, { error: 'Bad Request', message: 'Malformed number id' });
	}
	const number = visibleNumbers(caller).find((candidate) => candidate.id === id);
	const notFound = () =>
		sendJson(res, 404, { error: 'Not Found', message: `Number ${id} not found` });
	if (segments.length === 3) {
		if (!number) return notFound();
		if (url.searchParams.get('refresh') === '1' && number.meta) {
			// A live Meta Graph fetch: the gateway stores the new snapshot.
			number.meta.fetchedAt = new Date().toISOString();
			number.updatedAt = number.meta.fetchedAt;
		}
		return sendJson(res, 200, detail(number));
	}
	if (segments.length === 4 && segments[3] === 'status')
		return number ? sendJson(res, 200, liveStatus(number)) : notFound();
	return notFound();
}

/**
 * Starts a sandbox on 127.0.0.1 (an ephemeral port unless `port` is given). Another `host` on the
 * loopback (`127.0.0.2`) gives a second origin, e.g. where a fault redirects the client: it
 * answers like the API and records what reaches it, as every sandbox does.
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox({ port = 0, host = '127.0.0.1' } = {}) {
	/** @type {SandboxHandler[]} */
	const handlers = [];
	const server = http.createServer();
	/** @type {Sandbox} */
	const sandbox = {
		url: '',
		tenants: createTenants(),
		requests: [],
		use(handler) {
			handlers.push(handler);
			return sandbox;
		},
		reset() {
			sandbox.tenants = createTenants();
			sandbox.requests.length = 0;
			handlers.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	server.on('request', async (req, res) => {
		const rawUrl = String(req.url);
		const url = new URL(rawUrl, 'http://sandbox');
		sandbox.requests.push({
			method: String(req.method),
			path: url.pathname,
			rawUrl,
			query: Object.fromEntries(url.searchParams),
			/** The name of the key that was sent (never the key itself), or undefined. */
			keyName: authenticate(sandbox.tenants, req.headers['x-api-key'])?.key.name,
			hasKey: typeof req.headers['x-api-key'] === 'string',
		});
		try {
			for (const handler of handlers) if (await handler(req, res, url)) return;
			route(sandbox, req, res, url);
		} catch (error) {
			if (!res.headersSent) sendJson(res, 500, { error: 'Sandbox error', message: String(error) });
		}
	});
	await new Promise((resolve) => server.listen(port, host, () => resolve(undefined)));
	sandbox.url = `http://${host}:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
	return sandbox;
}

module.exports = { startSandbox };

if (require.main === module) {
	const { KEYS } = require('./fixtures');
	startSandbox({ port: Number(process.env.PORT) || 0 }).then((sandbox) => {
		console.log(`PilotStatus sandbox listening on ${sandbox.url}`);
		console.log(`Tenant key (acme): ${KEYS.acmeTenant}`);
		console.log(`Try: curl -H "x-api-key: ${KEYS.acmeTenant}" ${sandbox.url}/v1/numbers`);
	});
}
