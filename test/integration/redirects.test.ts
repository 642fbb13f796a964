/**
 * The API key is only ever sent to the Base URL's origin (scheme, host and port). n8n's request
 * helper follows redirects and carries `x-api-key` along to any host; the node follows none, for
 * every operation, the Number dropdown and the trigger, and says where the redirect pointed.
 * Second and third origins record every request that reaches them (never the key itself).
 */
import type { Sandbox } from '../sandbox/server';
import { listSearch, poll, runNode } from '../harness/n8n';
import { byId, checkStatus, get, list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { everything, expectCleanFailure } from './helpers';

const { sandbox, credentials } = useSandbox();
/** Another host: 127.0.0.2. */
const { sandbox: otherHost } = useSandbox({ host: '127.0.0.2' });
/** The same host on another port. */
const { sandbox: otherPort } = useSandbox();

const redirectMessage = (endpoint: string, status: number, target: string) =>
	`PilotStatus answered ${endpoint} with a redirect (HTTP ${status}) to ${target}, which the node does not follow`;

/** Every origin except the Base URL's received nothing. */
const expectNothingElsewhere = () => {
	expect(otherHost.requests).toEqual([]);
	expect(otherPort.requests).toEqual([]);
};

describe('a redirect away from the Base URL', () => {
	it.each([301, 302, 303, 307, 308])(
		'HTTP %i to another host: not followed, the key stays home, one request',
		async (status) => {
			injectFault(
				sandbox,
				faults.redirect(status, (path) => otherHost.url + path),
			);
			const result = await runNode({ parameters: list(), credentials });
			expectCleanFailure(
				result,
				redirectMessage('GET /v1/numbers', status, `${otherHost.url}/v1/numbers`),
			);
			expect(result.error?.description).toContain(`the redirect points to ${otherHost.url}`);
			expect(result.error?.description).toContain('Set the Base URL in the PilotStatus credential');
			expect(sandbox.requests).toHaveLength(1);
			expectNothingElsewhere();
		},
	);

	it.each<[string, (path: string) => string]>([
		['another port', (path) => otherPort.url + path],
		['another scheme', (path) => `${sandbox.url.replace('http:', 'https:')}${path}`],
		['the same origin', (path) => `${sandbox.url}/moved${path}`],
		['a relative path', (path) => `/moved${path}`],
	])('to %s: not followed either', async (_, location) => {
		injectFault(sandbox, faults.redirect(302, location), { path: '/v1/numbers' });
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toMatch(
			/^PilotStatus answered GET \/v1\/numbers with a redirect \(HTTP 302\) to /,
		);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
		expect(sandbox.requests.map((request) => request.path)).toEqual(['/v1/numbers']);
		expectNothingElsewhere();
	});

	it('a redirect loop is named as a redirect, not as a network error', async () => {
		injectFault(sandbox, faults.redirectLoop(302));
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(
			result,
			redirectMessage('GET /v1/numbers', 302, `${sandbox.url}/v1/numbers`),
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	it('a Location that carries the key does not show it', async () => {
		injectFault(
			sandbox,
			faults.redirect(302, (path) => `${otherHost.url}${path}?apikey=${KEYS.acmeTenant}`),
		);
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(
			result,
			redirectMessage('GET /v1/numbers', 302, `${otherHost.url}/v1/numbers?apikey=[redacted]`),
		);
		expectNothingElsewhere();
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['Get', get(byId('wa_abc')), 'GET /v1/numbers/{id}', ''],
		['Check Status', checkStatus(byId('wa_abc')), 'GET /v1/numbers/{id}/status', ''],
		[
			'List with Include Details',
			list({ options: { includeDetails: true } }),
			'GET /v1/numbers/{id}',
			// Every detail failed, so the item fails with the first one's error, naming its number.
			"No number's detail could be read \\(8 tried\\); the first, number 'wa_abc': ",
		],
	])('%s: the same', async (_, parameters, endpoint, prefix) => {
		injectFault(
			sandbox,
			faults.redirect(307, (path) => otherHost.url + path),
			{
				path: /^\/v1\/numbers\/[^/]+/,
			},
		);
		const result = await runNode({ parameters, credentials });
		expect(result.error?.message).toMatch(
			new RegExp(
				`^${prefix}PilotStatus answered ${endpoint.replace(/[{}/]/g, '\\$&')} with a redirect \\(HTTP 307\\) to ${otherHost.url}/v1/numbers/wa_abc`,
			),
		);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
		expectNothingElsewhere();
	});

	it('the Number dropdown: the same', async () => {
		injectFault(
			sandbox,
			faults.redirect(302, (path) => otherHost.url + path),
		);
		await expect(listSearch({ method: 'searchNumbers', credentials })).rejects.toThrow(
			redirectMessage('GET /v1/numbers', 302, `${otherHost.url}/v1/numbers`),
		);
		expectNothingElsewhere();
	});

	it('the trigger: the poll fails with the same message, and nothing reaches the other host', async () => {
		injectFault(
			sandbox,
			faults.redirect(301, (path) => otherHost.url + path),
		);
		const tick = await poll({
			parameters: { events: ['connectionChanged'], includeHealth: false },
			credentials,
		});
		expect(tick.items).toBeNull();
		expect(tick.error?.message).toBe(
			redirectMessage('GET /v1/numbers', 301, `${otherHost.url}/v1/numbers`),
		);
		expectNothingElsewhere();
	});
});

describe('the second origins themselves', () => {
	it('answer like the API and record a key when one reaches them, so the tests above can fail', async () => {
		const response = await fetch(`${otherHost.url}/v1/numbers`, {
			headers: { 'x-api-key': KEYS.acmeTenant },
		});
		expect(response.status).toBe(200);
		expect((otherHost as Sandbox).requests).toMatchObject([{ hasKey: true, path: '/v1/numbers' }]);
	});
});
