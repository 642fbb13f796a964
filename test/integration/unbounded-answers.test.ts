/**
 * Answers that would otherwise hang a run, fill n8n's memory or overflow its stack, and Retry-After
 * values too large to honour: each ends, through n8n-core against the sandbox, with one of n8n's
 * node errors that names what happened (or, for a big but real list, with every number), the key
 * nowhere, and the sandbox's open connections let go.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { runNode } from '../harness/n8n';
import { byId, checkStatus, get, ID_FROM_INPUT, list } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { eventually, everything, expectCleanFailure, inputOf } from './helpers';

const { sandbox, credentials } = useSandbox();

const requestCount = () => sandbox.requests.length;

describe('a body that stops or never ends: Timeout bounds the whole answer of each attempt', () => {
	it('200 headers and 18 bytes, then silence: a timeout, retried like one', async () => {
		const stall = faults.stall({ bytes: 18 });
		injectFault(sandbox, stall);
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 500, maxRetries: 1 } }),
			credentials,
		});
		expectCleanFailure(
			result,
			'PilotStatus did not answer GET /v1/numbers/{id} within 500 ms (2 attempts)',
		);
		expect(requestCount()).toBe(2);
		expect(await eventually(() => stall.open === 0)).toBe(true);
	});

	it('a body cut short by a closed connection: named as such, retried', async () => {
		injectFault(sandbox, faults.shortBody({ bytes: 18 }), { path: '/v1/numbers/wa_abc' });
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { maxRetries: 1 } }),
			credentials,
		});
		expectCleanFailure(
			result,
			'The connection to PilotStatus closed before the whole answer to GET /v1/numbers/{id} arrived (HTTP 200) (2 attempts)',
		);
		expect(requestCount()).toBe(2);
	});

	it('cut once, then whole: the retry gets the answer', async () => {
		injectFault(sandbox, faults.shortBody({ bytes: 18 }), { times: 1 });
		const result = await runNode({ parameters: get(byId('wa_abc')), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe('wa_abc');
		expect(requestCount()).toBe(2);
	});

	it('a byte every 100 ms, forever: cut at the Timeout (2000 ms), not read for ever', async () => {
		const drip = faults.drip({ intervalMs: 100 });
		injectFault(sandbox, drip);
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 2000, maxRetries: 0 } }),
			credentials,
		});
		expectCleanFailure(result, 'PilotStatus did not answer GET /v1/numbers/{id} within 2000 ms');
		expect(result.error?.description).toContain('the whole answer must arrive within the Timeout');
		expect(requestCount()).toBe(1);
		expect(await eventually(() => drip.open === 0)).toBe(true);
	});

	it('cancelling the execution still stops it at once, whatever the Timeout', async () => {
		const drip = faults.drip({ intervalMs: 100 });
		injectFault(sandbox, drip);
		// Bounded: 200 waits of 25 ms at most, then the test gives up and fails below.
		const sent = (async () => {
			for (let wait = 0; wait < 200 && requestCount() === 0; wait++) {
				await new Promise((resolve) => setTimeout(resolve, 25));
			}
		})();
		const result = await runNode({
			parameters: get(byId('wa_abc'), { options: { timeout: 600_000 } }),
			credentials,
			cancelWhen: sent,
		});
		expect(requestCount()).toBe(1);
		expect(result.items).toEqual([]);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
		expect(await eventually(() => drip.open === 0)).toBe(true);
	});
});

describe('answers too large to hold', () => {
	it('Get of 10 numbers whose answers are 60 MB each: each item fails with the limit named, the process unharmed', async () => {
		const ids = addNumbers(sandbox, 10);
		const oversized = faults.oversized({ bytes: 60_000_000 });
		injectFault(sandbox, oversized, { path: /^\/v1\/numbers\/wa_bulk_/ });
		const result = await runNode({
			parameters: get(ID_FROM_INPUT),
			credentials,
			input: inputOf(ids),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual(
			ids.map(
				() =>
					"PilotStatus's answer to GET /v1/numbers/{id} is larger than 1 MiB (HTTP 200), the most the node reads for it",
			),
		);
		// Refused by its Content-Length, not retried: of the 600 MB, only what the connections
		// buffered before the node let go was sent.
		expect(requestCount()).toBe(10);
		expect(await eventually(() => oversized.open === 0)).toBe(true);
		expect(oversized.bytesSent).toBeLessThan(60_000_000);
	});

	it('a 600 MB list without a Content-Length: read up to 64 MiB, then refused', async () => {
		const oversized = faults.oversized({ bytes: 600_000_000, declareLength: false });
		injectFault(sandbox, oversized);
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(
			result,
			"PilotStatus's answer to GET /v1/numbers is larger than 64 MiB (HTTP 200), the most the node reads for it",
		);
		expect(requestCount()).toBe(1);
		expect(oversized.bytesSent).toBeLessThan(100 * 1024 * 1024);
		expect(await eventually(() => oversized.open === 0)).toBe(true);
	});

	it('64 MiB of tiny values (33 million zeros), under the size limit: refused before parsing, in a 512 MB heap', () => {
		const child = spawnSync(
			process.execPath,
			['--max-old-space-size=512', path.join(__dirname, 'children', 'list-of-zeros.js')],
			{ encoding: 'utf8', timeout: 120_000 },
		);
		expect(child.stderr).not.toMatch(/heap out of memory/);
		expect(child.status).toBe(0);
		expect(child.stdout).toMatch(
			/^PilotStatus returned malformed JSON \(33554425 JSON values in 67108849 characters, far denser than the API's answers\) \(HTTP 200\) for GET \/v1\/numbers$/m,
		);
	}, 150_000);

	it('List with Return All of 125,000 numbers returns every one of them', async () => {
		const added = addNumbers(sandbox, 125_000);
		const result = await runNode({ parameters: list({ returnAll: true }), credentials });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(sandbox.tenants.acme.numbers.length);
		expect(result.items.at(-1)?.json.id).toBe(added.at(-1));
	}, 120_000);
});

describe('JSON nested 4,000 levels deep', () => {
	it('in an error body: the status and its message are kept, the body named as unreadable', async () => {
		injectFault(sandbox, faults.deepJson(4000, { status: 500 }));
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(result, 'PilotStatus is unavailable (HTTP 500) on GET /v1/numbers');
		expect(result.error?.description).toContain(
			'Its body could not be read: JSON nested deeper than 64 levels.',
		);
	});

	it.each([
		['Get', get(byId('wa_abc')), 'GET /v1/numbers/{id}'],
		['Check Status', checkStatus(byId('wa_abc')), 'GET /v1/numbers/{id}/status'],
		['List', list(), 'GET /v1/numbers'],
	])('in a 200 answer to %s: named as malformed', async (_, parameters, endpoint) => {
		injectFault(sandbox, faults.deepJson(4000));
		const result = await runNode({ parameters, credentials });
		expectCleanFailure(
			result,
			`PilotStatus returned malformed JSON (JSON nested deeper than 64 levels) (HTTP 200) for ${endpoint}`,
		);
	});
});

describe('Retry-After too long to honour', () => {
	it.each([
		['99999999999999999999', 'delta-seconds beyond any clock'],
		['251606266380', '4,193,437,773 minutes'],
		['Fri, 31 Dec 9999 23:59:59 GMT', 'an HTTP date in 9999'],
	])('%s (%s) reads as "more than a day", and is not waited for', async (retryAfter) => {
		injectFault(sandbox, faults.status(429, { retryAfter }));
		const result = await runNode({ parameters: list(), credentials });
		expectCleanFailure(
			result,
			'PilotStatus rate limit reached (HTTP 429) on GET /v1/numbers: it asked to wait more than a day',
		);
		expect(result.error?.description).toContain(
			'Not retried: PilotStatus asked to wait more than a day, longer than the 30 s this node waits.',
		);
		expect(requestCount()).toBe(1);
	});
});
