'use strict';
/**
 * n8n's own REST API (the one its editor uses, under `/rest`), for what tests and `npm run dev` do
 * as a person would in the editor: set up the owner account, sign in, read executions.
 */
const { waitFor } = require('./localServer');

/** @import { N8nInstall } from './install-n8n' */
/**
 * @typedef {{ email: string, firstName: string, lastName: string, password: string }} Owner
 * @typedef {{ owner?: Owner, install?: N8nInstall }} SessionOptions
 * @typedef {{ id: string, mode: string, status: string, stoppedAt: string | null, [field: string]: any }} ExecutionSummary
 */

const PUBLISH_TIMEOUT_MS = 60000;

/**
 * The owner account of a throw-away n8n (n8n asks for 8+ characters with a number and a capital).
 * @type {Owner}
 */
const OWNER = {
	email: 'owner@pilotstatus.test',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'PilotStatus-ui-1',
};

/**
 * @param {string} url
 * @param {unknown} body
 */
async function postJson(url, body) {
	return await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

/**
 * The `n8n-auth` cookie a sign-in or owner set-up answered with, as a Cookie header value.
 * @param {Response} response
 */
function authCookie(response) {
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`n8n answered HTTP ${response.status} without a session cookie`);
	return cookie;
}

/**
 * Creates the owner account of a fresh n8n (`POST /rest/owner/setup`), then signs in as it.
 * @param {string} url n8n main's origin.
 * @param {SessionOptions} [options] As for signIn.
 * @returns the session, see signIn.
 */
async function setUpOwner(url, options = {}) {
	const { owner = OWNER } = options;
	const response = await postJson(`${url}/rest/owner/setup`, owner);
	const body = /** @type {{ data?: { email?: string } }} */ (
		await response.json().catch(() => ({}))
	);
	if (body.data?.email !== owner.email)
		throw new Error(`n8n owner set-up failed: HTTP ${response.status} ${JSON.stringify(body)}`);
	return await signIn(url, options);
}

/**
 * Signs in (`POST /rest/login`) and returns a session for n8n main at `url`:
 * - `get(restPath)`: the `data` of a JSON answer under `/rest` (throws on a non-2xx answer);
 * - `executions(workflowId)`: that workflow's executions, newest first (id, status, mode,
 *   startedAt, stoppedAt..., no run data), up to 100;
 * - `execution(id)`: one execution with its run data parsed (`data.resultData.runData` etc.), and
 *   `text`, the answer exactly as n8n sent it (to search for what must not be in it);
 * - `waitUntilPublished(workflowIds)`: resolves once n8n reports every trigger of these published
 *   workflows active (`GET /rest/workflows/<id>/publication-status` says 'published'; fails after
 *   60 s). n8n 2.x activates published workflows in the background after it starts: a fresh n8n
 *   answers before its webhooks do. After a restart n8n reports the previous run's status until it
 *   re-activates, so this only tells about a first start.
 * Options: `owner` (default OWNER); `install` (createN8n's `install`), where n8n's own `flatted`
 * is found, which `execution(id)` needs: n8n serialises run data with it.
 * @param {string} url n8n main's origin.
 * @param {SessionOptions} [options]
 */
async function signIn(url, { owner = OWNER, install = undefined } = {}) {
	const response = await postJson(`${url}/rest/login`, {
		emailOrLdapLoginId: owner.email,
		password: owner.password,
	});
	await response.arrayBuffer();
	if (!response.ok) throw new Error(`n8n sign-in failed: HTTP ${response.status}`);
	const cookie = authCookie(response);

	/** @param {string} restPath */
	async function getText(restPath) {
		const answer = await fetch(`${url}/rest${restPath}`, { headers: { cookie } });
		const text = await answer.text();
		if (!answer.ok) throw new Error(`GET /rest${restPath}: HTTP ${answer.status} ${text}`);
		return text;
	}
	/**
	 * @param {string} restPath
	 * @returns {Promise<any>}
	 */
	const get = async (restPath) => JSON.parse(await getText(restPath)).data;

	return {
		cookie,
		get,
		/**
		 * @param {string} workflowId
		 * @returns {Promise<ExecutionSummary[]>}
		 */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			return (await get(`/executions?filter=${filter}&limit=100`)).results;
		},
		/**
		 * @param {string} id
		 * @returns {Promise<ExecutionSummary & { data: any, text: string }>}
		 */
		async execution(id) {
			if (!install) throw new Error("reading an execution needs signIn's `install` option");
			const text = await getText(`/executions/${encodeURIComponent(id)}`);
			const execution = JSON.parse(text).data;
			const flatted = require(require.resolve('flatted', { paths: [install.dir] }));
			return { ...execution, data: flatted.parse(execution.data), text };
		},
		/** @param {string[]} workflowIds */
		async waitUntilPublished(workflowIds) {
			for (const id of workflowIds) {
				const status = `/workflows/${encodeURIComponent(id)}/publication-status`;
				await waitFor(`workflow ${id} published`, { timeoutMs: PUBLISH_TIMEOUT_MS }, async () => {
					return (await get(status)).status === 'published';
				});
			}
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof signIn>>} N8nSession */

module.exports = { OWNER, setUpOwner, signIn };
