/**
 * What the integration tests read from a run, shared by every feature's file: ids and pairing of
 * output items, the requests the sandbox saw, and everything a run produced as one string, where
 * the API key must never appear; and one run many files make, Gets of many items under load.
 */
import { inspect } from 'node:util';

import type { NodeRun, OutputItem, PollTick } from '../harness/n8n';
import { nodeLogger, runNode } from '../harness/n8n';
import { ID_FROM_INPUT, get } from '../harness/parameters';
import { addNumbers } from '../sandbox/bulk';
import { KEYS, qrNumber } from '../sandbox/fixtures';
import { simulateLoad } from '../sandbox/load';
import type { Sandbox } from '../sandbox/server';

/** The ids of the sandbox's acme numbers, in list order. */
export const acmeIds = (sandbox: Sandbox) =>
	sandbox.tenants.acme.numbers.map((number) => number.id);
export const ids = (items: OutputItem[]) => items.map((item) => item.json.id);
export const pairing = (items: OutputItem[]) => items.map((item) => item.pairedItem);
/** Input items carrying these ids, for the Number field's `ID_FROM_INPUT`. */
export const inputOf = (numberIds: unknown[]) => numberIds.map((id) => ({ id }));
/** The pairing of `count` items each paired with its own input item. */
export const indexes = (count: number) => Array.from({ length: count }, (_, item) => ({ item }));
/** The sandbox's host and port, as error messages name it. */
export const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
/** The path and query of every request the sandbox received, in order. */
export const rawUrls = (sandbox: Sandbox) => sandbox.requests.map((request) => request.rawUrl);

/**
 * Gets `count` new numbers, one input item each (`ID_FROM_INPUT`), with these Options, while the
 * sandbox runs under `knobs` (test/sandbox/load.js): asserts every item came back in input order,
 * paired with its input item, each id served once. Returns the sandbox's counters.
 */
export async function getsUnderLoad(
	{ sandbox, credentials }: { sandbox: Sandbox; credentials: { apiKey: string; baseUrl: string } },
	count: number,
	knobs: Parameters<typeof simulateLoad>[1],
	options = {},
) {
	const numberIds = addNumbers(sandbox, count);
	const load = simulateLoad(sandbox, knobs);
	const result = await runNode({
		parameters: get(ID_FROM_INPUT, { options }),
		credentials,
		input: inputOf(numberIds),
	});
	expect(result.error).toBeUndefined();
	expect(ids(result.items)).toEqual(numberIds);
	expect(pairing(result.items)).toEqual(indexes(count));
	expect(load.served).toBe(count);
	return load;
}

/** Adds a connected QR number with this id and phone to the acme account, for one test. */
export const addQrNumber = (sandbox: Sandbox, id: string, number: string, name = id) =>
	sandbox.tenants.acme.numbers.push(
		qrNumber({ id, number, name, state: 'OPEN', connected: true, sendable: true }),
	);
/** A trigger tick's items as `event:id`, or null when it emitted nothing. */
export const events = (tick: PollTick) =>
	tick.items?.map((item) => `${item.json.event}:${item.json.id}`) ?? null;
/** What the trigger remembers after a tick (the harness names the trigger node `PilotStatus Trigger`). */
export const baselineOf = (tick: PollTick) => tick.staticData['node:PilotStatus Trigger']?.baseline;
/** The acme tenant's number `id` in the sandbox, to change it between polls. */
export function numberIn(sandbox: Sandbox, id: string) {
	const number = sandbox.tenants.acme.numbers.find((candidate) => candidate.id === id);
	if (!number) throw new Error(`no sandbox number ${id}`);
	return number;
}

/** Everything a run produced, as one string: items, run data, and the error with all it carries. */
export const everything = (result: NodeRun) =>
	[
		JSON.stringify([result.items, result.runData]),
		result.error && inspect(result.error, { depth: 12, showHidden: true }),
		result.error && JSON.stringify(result.error),
		result.error?.message,
		result.error?.description,
		result.error?.stack,
	].join('\n');

/**
 * The run failed cleanly: one of n8n's node errors (never a raw TypeError), the key nowhere (by
 * default the key `useSandbox` gives the test credential).
 */
export function expectCleanFailure(
	result: NodeRun,
	message: string | RegExp,
	apiKey: string = KEYS.acmeTenant,
) {
	expect(result.error).toBeDefined();
	expect(['NodeApiError', 'NodeOperationError']).toContain(result.error?.name);
	if (typeof message === 'string') expect(result.error?.message).toBe(message);
	else expect(result.error?.message).toMatch(message);
	expect(everything(result)).not.toContain(apiKey);
}

/**
 * Whether `check()` comes to hold within `limitMs`, polled every 20 ms: for what follows a run by a
 * moment (a server noticing that the client closed a connection). Bounded, never a timing claim.
 */
export async function eventually(check: () => boolean, limitMs = 5000): Promise<boolean> {
	for (let waited = 0; !check(); waited += 20) {
		if (waited >= limitMs) return false;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return true;
}

/**
 * What the node logs through n8n's logger (level info) while `run` runs, each message with its
 * metadata; `run` gets the lines as they are written, to read them between polls.
 */
export async function loggedBy<T>(
	run: (lines: readonly string[]) => Promise<T>,
): Promise<{ result: T; written: string }> {
	const lines: string[] = [];
	const info = jest
		.spyOn(nodeLogger(), 'info')
		.mockImplementation((message: string, meta?: object) => {
			lines.push(`${message} ${JSON.stringify(meta ?? {})}`);
		});
	try {
		return { result: await run(lines), written: lines.join('\n') };
	} finally {
		info.mockRestore();
	}
}
