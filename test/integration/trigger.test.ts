/**
 * The built PilotStatus Numbers Trigger polled by n8n-core's poll machinery (PollTriggerExecutor and
 * PollContext) against the sandbox. As in an active workflow, one trigger keeps its workflow and
 * PollContext from poll to poll, its static data kept as n8n stores it; a new one starts only where
 * n8n would start one (a workflow edited and activated again, the editor's Fetch Test Event).
 * Between polls the tests change the sandbox's numbers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { listedDetailShape, listItemShape } from '../../nodes/shared/numberShapes';
import type { OutputItem, PollTick } from '../harness/n8n';
import { activateTrigger, poll, pollTicks, runWorkflow } from '../harness/n8n';
import { addNumbers } from '../sandbox/bulk';
import type { SandboxNumber } from '../sandbox/fixtures';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';
import { acmeIds } from './helpers';

const { sandbox, credentials } = useSandbox();

const NODE_KEY = 'node:PilotStatus Trigger';
const acme = () => sandbox.tenants.acme.numbers;
const numberIn = (id: string) => {
	const number = acme().find((candidate) => candidate.id === id);
	if (!number) throw new Error(`no sandbox number ${id}`);
	return number;
};
/** A new number shaped like the sandbox's Meta number `wa_abc`. */
const likeWaAbc = (id: string, name: string): SandboxNumber => ({
	...structuredClone(numberIn('wa_abc')),
	id,
	name,
});
const events = (tick: PollTick) =>
	tick.items?.map((item) => `${item.json.event}:${item.json.id}`) ?? null;
const baselineOf = (staticData: Record<string, any>) => staticData[NODE_KEY]?.baseline;

/** One active trigger, polled again and again. */
const watch = (parameters: Record<string, unknown> = {}) =>
	activateTrigger({ parameters, credentials });

/** A watched trigger whose first poll has run, so the next one reports changes. */
async function watching(parameters: Record<string, unknown> = {}) {
	const trigger = watch(parameters);
	const first = await trigger.poll();
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	return trigger;
}

/** Static data no bigger than its content: per number its id and the watched values, nothing else. */
function expectCompact(staticData: Record<string, any>, fields: string[]) {
	const baseline = baselineOf(staticData);
	expect(baseline.fields).toEqual(fields);
	const numbers = acme();
	expect(Object.keys(baseline.numbers)).toEqual(numbers.map((number) => number.id));
	const content = numbers.reduce((sum, number) => {
		const values = fields.map((field) => {
			const [parent, child] = field.split('_');
			return (child ? number[parent]?.[child] : number[parent]) ?? null;
		});
		// "id":[values], plus a separator
		return sum + JSON.stringify(number.id).length + 1 + JSON.stringify(values).length + 1;
	}, 0);
	const size = JSON.stringify(staticData).length;
	// Beyond the numbers: the field names once, and the keys around them.
	expect(size).toBeLessThanOrEqual(content + JSON.stringify(fields).length + 100);
	return size;
}

describe('first poll', () => {
	it('remembers the numbers and emits nothing; the next poll without changes emits nothing either', async () => {
		const trigger = watch();
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(first.staticDataChanged).toBe(true);
		expectCompact(trigger.staticData, [
			'state',
			'isFullyConnected',
			'health_qualityRating',
			'health_messagingLimitTier',
			'health_metaStatus',
			'health_sendable',
		]);
		// One list, then one detail per number (in the health rotation's order), each id one encoded path segment.
		const [list, ...details] = sandbox.requests.map((request) => request.rawUrl);
		expect(list).toBe('/v1/numbers');
		expect(details.sort()).toEqual(
			acmeIds(sandbox)
				.map((id) => `/v1/numbers/${encodeURIComponent(id)}`)
				.sort(),
		);

		const before = trigger.staticData;
		const second = await trigger.poll();
		expect(second.error).toBeUndefined();
		expect(second.items).toBeNull();
		expect(second.staticDataChanged).toBe(false);
		expect(trigger.staticData).toEqual(before);
	});

	it('with Emit on First Poll, reports every number once as numberAdded', async () => {
		const trigger = watch({ options: { emitOnFirstPoll: true } });
		const first = await trigger.poll();
		expect(events(first)).toEqual(acmeIds(sandbox).map((id) => `numberAdded:${id}`));
		for (const item of first.items!) {
			expect(Object.keys(item.json)).toEqual([
				...listedDetailShape.columns,
				'event',
				'changedFields',
			]);
			expect(item.json.changedFields).toEqual([]);
		}
		expect((await trigger.poll()).items).toBeNull();
	});
});

describe('changes between polls', () => {
	it('reports a disconnect once, flattened like Get, with changedFields and previous_ values', async () => {
		const trigger = await watching();
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });

		const tick = await trigger.poll();
		expect(tick.error).toBeUndefined();
		expect(events(tick)).toEqual(['connectionChanged:wa_abc']);
		const [item] = tick.items as OutputItem[];
		expect(Object.keys(item.json)).toEqual([
			...listedDetailShape.columns,
			'event',
			'changedFields',
			'previous_state',
			'previous_isFullyConnected',
		]);
		expect(item.json).toMatchObject({
			id: 'wa_abc',
			name: 'My WhatsApp',
			state: 'CLOSE',
			isFullyConnected: false,
			health_qualityRating: 'GREEN',
			meta_phone_displayPhoneNumber: '+55 11 99999-9999',
			changedFields: ['state', 'isFullyConnected'],
			previous_state: 'OPEN',
			previous_isFullyConnected: true,
		});
		expect(JSON.stringify([tick.items, tick.staticData])).not.toContain(KEYS.acmeTenant);
		expect((await trigger.poll()).items).toBeNull();
	});

	it('reports a reconnect', async () => {
		const trigger = await watching();
		Object.assign(numberIn('wa_qr_old'), { state: 'OPEN', isFullyConnected: true });
		const tick = await trigger.poll();
		expect(events(tick)).toEqual(['connectionChanged:wa_qr_old']);
		expect(tick.items![0].json).toMatchObject({
			state: 'OPEN',
			isFullyConnected: true,
			previous_state: 'CLOSE',
			previous_isFullyConnected: false,
			meta_waba_name: null,
		});
	});

	it('reports a quality change so a message can say from what to what', async () => {
		const trigger = await watching();
		numberIn('wa_sales').health.qualityRating = 'RED';
		const tick = await trigger.poll();
		expect(events(tick)).toEqual(['healthChanged:wa_sales']);
		expect(tick.items![0].json).toMatchObject({
			changedFields: ['health_qualityRating'],
			health_qualityRating: 'RED',
			previous_health_qualityRating: 'YELLOW',
		});
		expect(tick.items![0].json).not.toHaveProperty('previous_state');
	});

	it('reports a messaging limit tier change', async () => {
		const trigger = await watching();
		numberIn('wa_abc').health.messagingLimitTier = 'TIER_10K';
		const tick = await trigger.poll();
		expect(events(tick)).toEqual(['healthChanged:wa_abc']);
		expect(tick.items![0].json).toMatchObject({
			changedFields: ['health_messagingLimitTier'],
			health_messagingLimitTier: 'TIER_10K',
			previous_health_messagingLimitTier: 'TIER_2K',
		});
	});

	it('reports an added number with its detail', async () => {
		const trigger = await watching();
		acme().push(likeWaAbc('wa_new', 'New line'));
		const tick = await trigger.poll();
		expect(events(tick)).toEqual(['numberAdded:wa_new']);
		expect(tick.items![0].json).toMatchObject({
			name: 'New line',
			health_sendable: true,
			changedFields: [],
		});
	});

	it('reports a removed number with its id and last known values, once two polls in a row miss it', async () => {
		const trigger = await watching();
		sandbox.tenants.acme.numbers = acme().filter((number) => number.id !== 'wa_qr_support');
		expect((await trigger.poll()).items).toBeNull();
		const tick = await trigger.poll();
		expect(events(tick)).toEqual(['numberRemoved:wa_qr_support']);
		expect(tick.items![0].json).toMatchObject({
			id: 'wa_qr_support',
			name: null,
			state: null,
			previous_state: 'OPEN',
			previous_isFullyConnected: true,
			previous_health_sendable: true,
		});
		expect(Object.keys(baselineOf(trigger.staticData).numbers)).not.toContain('wa_qr_support');
	});

	it('reports several changes of one poll in the API order, removals last', async () => {
		const trigger = await watching();
		const first = likeWaAbc('wa_first', 'First');
		sandbox.tenants.acme.numbers = acme().filter((number) => number.id !== 'wa_abc');
		expect((await trigger.poll()).items).toBeNull();
		Object.assign(numberIn('wa_sales'), { isFullyConnected: false });
		numberIn('wa_sales').health.sendable = false;
		sandbox.tenants.acme.numbers = [first, ...acme()];
		expect(events(await trigger.poll())).toEqual([
			'numberAdded:wa_first',
			'connectionChanged:wa_sales',
			'healthChanged:wa_sales',
			'numberRemoved:wa_abc',
		]);
	});

	it('emits only the selected events, and still remembers the rest so they are never reported late', async () => {
		const trigger = await watching({ events: ['connectionChanged'] });
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE' });
		numberIn('wa_sales').health.qualityRating = 'RED';
		acme().push(likeWaAbc('wa_new', 'New line'));
		expect(events(await trigger.poll())).toEqual(['connectionChanged:wa_abc']);

		// Selecting every event now reports nothing: the health change and the new number are remembered.
		const later = await poll({ parameters: {}, credentials, staticData: trigger.staticData });
		expect(later.error).toBeUndefined();
		expect(later.items).toBeNull();
	});
});

describe('a failed poll', () => {
	/** Answers 503 on `path` (every path when undefined) until `back()` is called. */
	function outage(path: string | undefined) {
		let down = true;
		sandbox.use((req, res) => {
			if (!down || (path !== undefined && req.url !== path)) return false;
			res.writeHead(503, { 'content-type': 'text/plain' });
			res.end('maintenance');
			return true;
		});
		return { back: () => (down = false) };
	}

	// One number's failing detail no longer fails the poll: see trigger-failures.test.ts.
	it.each([['the list', undefined]])(
		'on %s emits nothing, keeps the baseline, and the change is reported once on the next good poll',
		async (_label, path) => {
			const trigger = await watching();
			const baseline = trigger.staticData;
			Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
			const api = outage(path);

			const failed = await trigger.poll();
			expect(failed.items).toBeNull();
			expect(failed.error?.message).toMatch(
				/^PilotStatus is unavailable \(HTTP 503\) on GET \/v1\/numbers/,
			);
			expect(failed.staticDataChanged).toBe(false);
			expect(trigger.staticData).toEqual(baseline);
			expect(
				JSON.stringify([failed.error, failed.error?.message, (failed.error as Error).stack]),
			).not.toContain(KEYS.acmeTenant);

			api.back();
			expect(events(await trigger.poll())).toEqual(['connectionChanged:wa_abc']);
			expect((await trigger.poll()).items).toBeNull();
		},
	);

	it('with a rejected key says so', async () => {
		const trigger = await watching();
		credentials.apiKey = 'ps_wrong_key';
		const failed = await trigger.poll();
		expect(failed.error?.message).toBe('The PilotStatus API key was rejected (HTTP 401)');
		expect(failed.items).toBeNull();
	});
	// n8n builds an active trigger's context once and keeps it from poll to poll.
	it('in one active trigger, reads the credential once per poll, so an edited key counts from the next poll', async () => {
		addNumbers(sandbox, 8);
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 3,
			beforeTick: (index) => {
				if (index === 1) credentials.apiKey = 'ps_wrong_key';
				if (index === 2) credentials.apiKey = KEYS.acmeTenant;
			},
		});
		expect(ticks.map((tick) => tick.error?.message)).toEqual([
			undefined,
			'The PilotStatus API key was rejected (HTTP 401)',
			undefined,
		]);
		// The first poll lists and then fetches every number's health: many requests, one read.
		expect(sandbox.requests.length).toBeGreaterThan(8);
		expect(ticks.map((tick) => tick.credentialReads)).toEqual([1, 1, 1]);
	});
});

describe('Include Health', () => {
	it('off: one request per poll, List columns, connection and added/removed still reported', async () => {
		const parameters = {
			includeHealth: false,
			events: ['connectionChanged', 'numberAdded', 'numberRemoved'],
		};
		const trigger = await watching(parameters);
		expectCompact(trigger.staticData, ['state', 'isFullyConnected']);
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
		numberIn('wa_sales').health.qualityRating = 'RED';
		sandbox.requests.length = 0;

		const tick = await trigger.poll();
		expect(sandbox.requests.map((request) => request.rawUrl)).toEqual(['/v1/numbers']);
		expect(events(tick)).toEqual(['connectionChanged:wa_abc']);
		expect(Object.keys(tick.items![0].json)).toEqual([
			...listItemShape.columns,
			'event',
			'changedFields',
			'previous_state',
			'previous_isFullyConnected',
		]);
	});

	it('turned on later: the first poll with health starts watching it and reports no health change', async () => {
		const listOnly = await watching({ includeHealth: false, events: ['connectionChanged'] });
		numberIn('wa_sales').health.qualityRating = 'RED';
		const withHealth = await poll({ parameters: {}, credentials, staticData: listOnly.staticData });
		expect(withHealth.error).toBeUndefined();
		expect(withHealth.items).toBeNull();
		expect(baselineOf(withHealth.staticData).numbers.wa_sales).toEqual([
			'OPEN',
			true,
			'RED',
			'TIER_1K',
			'FLAGGED',
			true,
		]);
	});

	it('off while Health Changed is selected is an error that says what to change, before any request', async () => {
		const tick = await poll({ parameters: { includeHealth: false }, credentials });
		expect(tick.error?.message).toBe(
			'Health Changed, Health Check Failed and Health Check Recovered need Include Health',
		);
		expect((tick.error as { description?: string }).description).toMatch(/Turn Include Health on/);
		expect(sandbox.requests).toEqual([]);
	});

	it('no event selected is an error', async () => {
		const tick = await poll({ parameters: { events: [] }, credentials });
		expect(tick.error?.message).toBe('No event is selected in Events');
	});
});

describe('Fetch Test Event (manual mode)', () => {
	it('returns every current number as a sample event and leaves the remembered numbers alone', async () => {
		const trigger = await watching();
		const baseline = trigger.staticData;
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });

		// The editor runs it in a workflow of its own, from the active workflow's static data.
		const sample = await poll({
			parameters: {},
			credentials,
			staticData: trigger.staticData,
			mode: 'manual',
		});
		expect(sample.error).toBeUndefined();
		expect(events(sample)).toEqual(acmeIds(sandbox).map((id) => `numberAdded:${id}`));
		expect(sample.staticDataChanged).toBe(false);
		expect(sample.staticData).toEqual(baseline);

		// The change is still reported by the next real poll.
		expect(events(await trigger.poll())).toEqual(['connectionChanged:wa_abc']);
	});

	it("runs as n8n's manual execution of the trigger node", async () => {
		const result = await runWorkflow({
			nodes: [
				{
					id: 'trigger',
					name: 'Trigger',
					type: 'n8n-nodes-pilotstatus.pilotStatusNumbersTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
					credentials: { pilotStatusApi: { id: '1', name: 'PilotStatus account' } },
				},
			],
			connections: {},
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Trigger').map((item) => item.json.id)).toEqual(acmeIds(sandbox));
	});
});

describe('2,000 numbers', () => {
	it('keep a baseline proportional to the watched fields, and changes among them are found', async () => {
		const template = numberIn('wa_qr_support');
		sandbox.tenants.acme.numbers = Array.from({ length: 2000 }, (_, index) => ({
			...structuredClone(template),
			id: `wa_bulk_${String(index).padStart(4, '0')}`,
			name: `Bulk line ${index} with a long descriptive name that the baseline must not keep`,
		}));
		const trigger = await watching({
			includeHealth: false,
			events: ['connectionChanged', 'numberAdded', 'numberRemoved'],
		});

		const size = expectCompact(trigger.staticData, ['state', 'isFullyConnected']);
		expect(size / 2000).toBeLessThan(40);
		expect(JSON.stringify(trigger.staticData)).not.toContain('Bulk line');

		sandbox.tenants.acme.numbers = acme().filter((number) => number.id !== 'wa_bulk_0007');
		expect((await trigger.poll()).items).toBeNull();
		Object.assign(numberIn('wa_bulk_1234'), { state: 'CLOSE', isFullyConnected: false });
		acme().push({ ...structuredClone(template), id: 'wa_bulk_new' });
		expect(events(await trigger.poll())).toEqual([
			'connectionChanged:wa_bulk_1234',
			'numberAdded:wa_bulk_new',
			'numberRemoved:wa_bulk_0007',
		]);
		expect((await trigger.poll()).items).toBeNull();
	});
});

describe('health details', () => {
	it('are fetched through the bounded pool: several at once, never more than the 5 Auto starts with (8 numbers take one round trip)', async () => {
		const load = simulateLoad(sandbox, { latencyMs: 20 });
		const trigger = await watching({ includeHealth: true });
		expect(Object.keys(baselineOf(trigger.staticData).numbers)).toEqual(acmeIds(sandbox));
		expect(load.peak).toBeGreaterThan(1);
		expect(load.peak).toBeLessThanOrEqual(5);
	});
});

describe('examples/alert-when-a-number-disconnects.json', () => {
	const text = readFileSync(
		resolve(__dirname, '../../examples/alert-when-a-number-disconnects.json'),
		'utf8',
	);
	const workflow = JSON.parse(text);
	const nodeNamed = (name: string) =>
		workflow.nodes.find((node: { name: string }) => node.name === name);
	const trigger = workflow.nodes.find((node: { type: string }) =>
		node.type.endsWith('.pilotStatusNumbersTrigger'),
	);

	it('is an importable workflow of this trigger and core n8n nodes, its credential by name only', () => {
		expect(workflow.nodes.map((node: { type: string }) => node.type)).toEqual([
			'n8n-nodes-pilotstatus.pilotStatusNumbersTrigger',
			'n8n-nodes-base.if',
			'n8n-nodes-base.set',
		]);
		for (const [from, { main }] of Object.entries<{ main: Array<Array<{ node: string }>> }>(
			workflow.connections,
		)) {
			expect(nodeNamed(from)).toBeDefined();
			for (const target of main.flat()) expect(nodeNamed(target.node)).toBeDefined();
		}
		expect(trigger.credentials).toEqual({
			pilotStatusApi: { id: null, name: 'PilotStatus API account' },
		});
		expect(text).not.toMatch(/ps_|apiKey|x-api-key/i);
	});

	it('gets from the trigger every field its IF and alert read, when a number disconnects', async () => {
		const { pollTimes, ...parameters } = trigger.parameters;
		expect(pollTimes.item).toEqual([{ mode: 'everyX', value: 5, unit: 'minutes' }]);
		const watched = await watching(parameters);
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
		const tick = await watched.poll();
		expect(events(tick)).toEqual(['connectionChanged:wa_abc']);

		const [item] = tick.items as OutputItem[];
		const downstream = JSON.stringify(workflow.nodes.filter((node: unknown) => node !== trigger));
		const read = [...downstream.matchAll(/\$json\.(\w+)/g)].map((match) => match[1]);
		expect(read.length).toBeGreaterThan(5);
		for (const field of new Set(read)) expect(item.json).toHaveProperty(field);
		expect(item.json).toMatchObject({ event: 'connectionChanged', isFullyConnected: false });
	});
});
