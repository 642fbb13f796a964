/**
 * Answers that are not the API's (an HTML page, cut or empty text, JSON of the wrong shape): run by
 * n8n-core against the sandbox, each fails at once (trying again would give the same answer) with
 * a message naming the endpoint, the key nowhere.
 */
import { runNode } from '../harness/n8n';
import { byId, get, list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';
import { expectCleanFailure } from './helpers';

const { sandbox, credentials } = useSandbox();

describe('answers that are not the API', () => {
	it('names the endpoint when the answer is not JSON', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<html><body>Bad gateway</body></html>');
			return true;
		});
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toBe(
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		);
		expect(result.error?.description).toContain('<html><body>Bad gateway');
	});

	it('names the endpoint when the list is not an array', async () => {
		sandbox.use((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"numbers":[]}');
			return true;
		});
		const result = await runNode({ parameters: list(), credentials });
		expect(result.error?.message).toBe(
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		);
	});

	it.each([
		[
			'an HTML page with status 200',
			() => faults.html(200),
			list({ returnAll: true }),
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		],
		[
			'truncated JSON',
			() => faults.truncatedJson(),
			list({ returnAll: true }),
			'PilotStatus returned a response that is not JSON (HTTP 200) for GET /v1/numbers',
		],
		[
			'an object where a list is expected',
			() => faults.json({ numbers: [] }),
			list({ returnAll: true }),
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		],
		[
			'a list where an object is expected',
			() => faults.json([{ id: 'wa_abc' }]),
			get(byId('wa_abc')),
			'PilotStatus returned JSON that is not a number object (HTTP 200) for GET /v1/numbers/{id}',
		],
		[
			'an empty body',
			() => faults.answer(200, ''),
			list({ returnAll: true }),
			'PilotStatus returned an empty response (HTTP 200) for GET /v1/numbers',
		],
	])('%s', async (_name, fault, parameters, message) => {
		injectFault(sandbox, fault());
		const result = await runNode({ parameters, credentials });
		expectCleanFailure(result, message);
		expect(sandbox.requests.length).toBe(1);
	});

	it('truncated JSON: the excerpt shows where it was cut', async () => {
		injectFault(sandbox, faults.truncatedJson(0.3));
		const result = await runNode({ parameters: get(byId('wa_abc')), credentials });
		expect(result.error?.description).toMatch(/The response began: "\{"id":"wa_abc",.*"\./);
	});
});
