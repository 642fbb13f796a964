import { normalizeBaseUrl } from '../../nodes/shared/baseUrl';
import { checkNumberId, MAX_ID_LENGTH } from '../../nodes/shared/numberId';
import { isSecretField, redactSecretFields, withoutSecrets } from '../../nodes/shared/secrets';

describe('normalizeBaseUrl', () => {
	it('accepts https with or without trailing slashes, and a proxy path prefix', () => {
		expect(normalizeBaseUrl(' https://pilotstatus.com.br/ ')).toEqual({
			url: 'https://pilotstatus.com.br',
			host: 'pilotstatus.com.br',
		});
		expect(normalizeBaseUrl('https://proxy.example.com:8443/pilotstatus//')).toEqual({
			url: 'https://proxy.example.com:8443/pilotstatus',
			host: 'proxy.example.com:8443',
		});
	});

	it('uses the default when empty', () => {
		expect(normalizeBaseUrl('')).toEqual({
			url: 'https://pilotstatus.com.br',
			host: 'pilotstatus.com.br',
		});
		expect(normalizeBaseUrl(undefined)).toEqual({
			url: 'https://pilotstatus.com.br',
			host: 'pilotstatus.com.br',
		});
	});

	it('accepts plain http only to this machine', () => {
		for (const local of [
			'http://localhost:5678',
			'http://127.0.0.1:5678',
			'http://127.10.0.1',
			'http://[::1]:8080',
		]) {
			expect(normalizeBaseUrl(local)).toHaveProperty('url');
		}
		expect(normalizeBaseUrl('http://pilotstatus.com.br')).toEqual({
			problem:
				"'http://pilotstatus.com.br' uses plain http://, which would send the API key unencrypted over the network. Use https:// (http:// is accepted only for localhost / 127.0.0.1)",
		});
		expect(normalizeBaseUrl('http://10.0.0.5:8080')).toHaveProperty('problem');
		expect(normalizeBaseUrl('http://localhost.evil.example')).toHaveProperty('problem');
	});

	it.each([
		[
			'pilotstatus.com.br',
			"'pilotstatus.com.br' has no scheme. Start it with https://, e.g. https://pilotstatus.com.br",
		],
		[
			'pilotstatus.com.br:443',
			"'pilotstatus.com.br:443' has no scheme. Start it with https://, e.g. https://pilotstatus.com.br",
		],
		[
			'ftp://pilotstatus.com.br',
			"'ftp://pilotstatus.com.br' uses ftp: but only https:// works (http:// only for a server on this machine)",
		],
		[
			'https://pilot status.com.br',
			"'https://pilot status.com.br' contains a space. Enter the address alone, e.g. https://pilotstatus.com.br",
		],
		[
			'https://pilotstatus.com.br/v1',
			"'https://pilotstatus.com.br/v1' ends with /v1, which the node adds itself. Remove it, e.g. https://pilotstatus.com.br",
		],
		[
			'https://pilotstatus.com.br/v1/numbers/',
			"'https://pilotstatus.com.br/v1/numbers/' ends with /v1/numbers, which the node adds itself. Remove it, e.g. https://pilotstatus.com.br",
		],
		[
			'https://[bad',
			"'https://[bad' is not a URL. Use the full address, e.g. https://pilotstatus.com.br",
		],
		[
			'https://user:pw@pilotstatus.com.br',
			"'https://pilotstatus.com.br/' must not carry a query, a fragment or a user name",
		],
	])('explains what is wrong with %j', (raw, problem) => {
		expect(normalizeBaseUrl(raw)).toEqual({ problem });
	});
});

describe('checkNumberId', () => {
	it('accepts an id, without surrounding spaces', () => {
		expect(checkNumberId(' wa_abc ')).toEqual({ id: 'wa_abc' });
		expect(checkNumberId('a/b?c#d')).toEqual({ id: 'a/b?c#d' });
		expect(checkNumberId('x'.repeat(MAX_ID_LENGTH))).toHaveProperty('id');
	});

	it.each([
		['', 'Number is required (item 2): it is empty'],
		['   \t', 'Number is required (item 2): it is empty'],
		[undefined, 'Number is required (item 2): it is empty'],
		[null, 'Number is required (item 2): it is empty'],
		[123, 'Number ID must be text (item 2): it is a number (123)'],
		[true, 'Number ID must be text (item 2): it is a boolean (true)'],
		[{ id: 'wa_abc' }, 'Number ID must be text (item 2): it is an object'],
		[['wa_abc'], 'Number ID must be text (item 2): it is an array'],
		[
			'x'.repeat(10_000),
			`Number ID is too long (item 2): 10000 characters, at most ${MAX_ID_LENGTH}`,
		],
		['..', "Number ID '..' is not a valid PilotStatus number ID (item 2)"],
		['.', "Number ID '.' is not a valid PilotStatus number ID (item 2)"],
		['wa_\uD800', 'Number ID contains a broken character (item 2): an unpaired UTF-16 surrogate'],
	])('rejects %j with a message naming the item', (value, problem) => {
		expect(checkNumberId(value, ' (item 2)')).toEqual({ problem });
	});
});

describe('secret-looking fields', () => {
	it('recognises token, secret and password fields in any case or separator, and credential names', () => {
		for (const name of [
			'accessToken',
			'access_token',
			'appSecret',
			'APP-SECRET',
			'token',
			'secret',
			'secrets',
			'password',
			'adminPassword',
			'providerConfig',
			'provider_config',
			'apiKey',
			'api-key',
			'authorization',
			'credentials',
			'privateKey',
			'sessionTokens',
			'x-api-key',
			'X-Api-Key',
			'x_api_key',
			'api_key',
			'API-KEY',
			'secretKey',
			'secret_key',
			'accessKey',
			'Proxy-Authorization',
			'cookie',
			'Set-Cookie',
			'cookies',
			'passphrase',
			'refresh_token',
			'bearerToken',
			'id_token',
			'clientSecret',
		]) {
			expect([name, isSecretField(name)]).toEqual([name, true]);
		}
		for (const name of [
			'apiKeys',
			'keyPrefix',
			'keyLast4',
			'id',
			'name',
			'tokenExpiresAt',
			'meta',
			'health',
			'provider',
			'webhookUrl',
			'echo',
		]) {
			expect([name, isSecretField(name)]).toEqual([name, false]);
		}
	});

	it('removes them at any depth and inside arrays, keeping everything else', () => {
		const response = {
			id: 'wa_abc',
			accessToken: 'EAAG-1',
			meta: {
				phone: { displayPhoneNumber: '+55', appSecret: 's' },
				waba: { id: '1', providerConfig: { host: 'h' } },
			},
			apiKeys: [{ name: 'ops', keyPrefix: 'ps_', keyLast4: 'abcd', token: 'ps_full' }],
			list: [[{ password: 'p', ok: 1 }]],
		};
		expect(withoutSecrets(response)).toEqual({
			id: 'wa_abc',
			meta: { phone: { displayPhoneNumber: '+55' }, waba: { id: '1' } },
			apiKeys: [{ name: 'ops', keyPrefix: 'ps_', keyLast4: 'abcd' }],
			list: [[{ ok: 1 }]],
		});
		// A copy: the response itself is left alone.
		expect(response.accessToken).toBe('EAAG-1');
	});

	it('redacts them in text that is not JSON, such as a cut body', () => {
		expect(redactSecretFields('{"id":"wa_abc","accessToken": "EAAG-123","appSecret":"s3cr')).toBe(
			'{"id":"wa_abc","accessToken": "[redacted]","appSecret":"[redacted]"',
		);
		expect(redactSecretFields('{"password":12345,"n":1}')).toBe('{"password":"[redacted]","n":1}');
	});
});
