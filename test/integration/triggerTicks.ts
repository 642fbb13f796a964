/**
 * What the trigger tests read from a poll tick: its events, the baseline it left, and a sandbox
 * number by id. Shared by the trigger test files that poll through the harness's pollTicks.
 */
import type { PollTick } from '../harness/n8n';
import type { Sandbox } from '../sandbox/server';

/** The trigger node's static data key in the harness's workflow. */
const NODE_KEY = 'node:PilotStatus Trigger';

/** `event:id` for each item the tick emitted, or null when it emitted nothing. */
export const events = (tick: PollTick) =>
	tick.items?.map((item) => `${item.json.event}:${item.json.id}`) ?? null;

/** What the trigger remembers after the tick. */
export const baselineOf = (tick: PollTick) => tick.staticData[NODE_KEY]?.baseline;

/** The acme tenant's number `id` in the sandbox, to change it between polls. */
export function numberIn(sandbox: Sandbox, id: string) {
	const number = sandbox.tenants.acme.numbers.find((candidate) => candidate.id === id);
	if (!number) throw new Error(`no sandbox number ${id}`);
	return number;
}
