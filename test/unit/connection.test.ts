import type { IHttpRequestOptions } from 'n8n-workflow';

import { authorizeRequest, resolveConnection } from '../../nodes/shared/connection';
import { withoutSecrets } from '../../nodes/shared/secrets';

const KEY = 'ps_unit_key_5b7d9f1a3c';
const request = (url: string, extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({
	method: 'GET',
	url,
	...extra,
});

describe('resolveConnection: what the credential means, for every request and the Test', () => {
	it('trims a key pasted with spaces or a tab; that trimmed key is what is sent', () => {
		expect(resolveConnection({ apiKey: ` ${KEY}\t`, baseUrl: 'http://127.0.0.1:5678/' })).toEqual({
			url: 'http://127.0.0.1:5678',
			host: '127.0.0.1:5678',
			apiKey: KEY,
		});
	});

	it('takes an empty Base URL as the default address', () => {
		expect(resolveConnection({ apiKey: KEY, baseUrl: '' })).toMatchObject({
			url: 'https://pilotstatus.com.br',
		});
	});

	it.each([
		['', 'API Key', 'The API Key is empty'],
		['  \t', 'API Key', 'The API Key is empty'],
		[
			`${KEY}\nX-Other: 1`,
			'API Key',
			'contains a space, a line break, an accented or another character a PilotStatus key never has',
		],
	])('refuses the key %j before anything is sent', (apiKey, field, problem) => {
		const resolved = resolveConnection({ apiKey, baseUrl: 'https://pilotstatus.com.br' });
		expect(resolved).toMatchObject({ field });
		expect((resolved as { problem: string }).problem).toContain(problem);
	});
});

describe("authorizeRequest: the credential's authenticate", () => {
	const credentials = { apiKey: `${KEY} `, baseUrl: 'http://127.0.0.1:5678' };

	it('puts the trimmed key on a request to the Base URL, with redirects off', () => {
		const authorized = authorizeRequest(
			credentials,
			request('http://127.0.0.1:5678/v1/numbers', { headers: { accept: 'application/json' } }),
		);
		expect(authorized).toMatchObject({
			url: 'http://127.0.0.1:5678/v1/numbers',
			headers: { accept: 'application/json', 'x-api-key': KEY },
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});

	it("resolves the Test's relative URL against the Base URL as the nodes mean it, never twice /v1", () => {
		for (const baseUrl of ['http://127.0.0.1:5678', 'http://127.0.0.1:5678/']) {
			const authorized = authorizeRequest(
				{ ...credentials, baseUrl },
				request('/v1/numbers', { baseURL: `${baseUrl}/v1` }),
			);
			expect(authorized.url).toBe('http://127.0.0.1:5678/v1/numbers');
			expect(authorized.baseURL).toBeUndefined();
		}
		expect(authorizeRequest({ apiKey: KEY, baseUrl: '' }, request('/v1/numbers')).url).toBe(
			'https://pilotstatus.com.br/v1/numbers',
		);
	});

	it.each([
		['http://127.0.0.2:5678/v1/numbers', 'another host'],
		['http://127.0.0.1:5679/v1/numbers', 'another port'],
		['https://127.0.0.1:5678/v1/numbers', 'another scheme'],
		['http://127.0.0.1:5678.evil.example/v1/numbers', 'a look-alike host'],
		['http://127.0.0.1:56789/v1/numbers', 'a port that starts alike'],
	])('gives no key to %s (%s)', (url) => {
		expect(() => authorizeRequest(credentials, request(url))).toThrow(
			'The PilotStatus API key is only sent to the Base URL (http://127.0.0.1:5678); this request was for another address',
		);
	});

	it.each([
		['http://0.0.0.0:5678', 'uses plain http://, which would send the API key unencrypted'],
		['https://user:pass@pilotstatus.com.br', 'must not carry a query, a fragment or a user name'],
		['https://pilotstatus.com.br/v1', 'ends with /v1, which the node adds itself'],
		[`https://pilotstatus.com.br/?key=${KEY}`, 'must not carry a query'],
	])(
		'refuses the Base URL %s with the message the nodes give, without the key',
		(baseUrl, problem) => {
			let thrown: Error | undefined;
			try {
				authorizeRequest({ apiKey: KEY, baseUrl }, request('/v1/numbers'));
			} catch (error) {
				thrown = error as Error;
			}
			expect(thrown?.message).toContain(
				'The Base URL in the PilotStatus credential is not usable: ',
			);
			expect(thrown?.message).toContain(problem);
			expect(thrown?.message).not.toContain(KEY);
		},
	);
});

describe('an answer, cleaned for output', () => {
	it("removes the key's value from every string and field name, at any depth", () => {
		const answer = {
			webhookUrl: `https://hooks.example.com/in?apikey=${KEY}`,
			request: { 'x-api-key': KEY, echo: `got ${KEY}` },
			[KEY]: 1,
			list: [[`${KEY}${KEY}`]],
		};
		expect(withoutSecrets(answer, [KEY])).toEqual({
			webhookUrl: 'https://hooks.example.com/in?apikey=[redacted]',
			request: { echo: 'got [redacted]' },
			'[redacted]': 1,
			list: [['[redacted][redacted]']],
		});
	});
});
