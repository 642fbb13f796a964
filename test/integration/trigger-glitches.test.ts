/**
 * Issue 15, section 2: API glitches do not look like mass events. The built trigger polled by
 * n8n-core (one PollContext across polls, as an active workflow runs it) against the sandbox, whose
 * answers the tests bend between polls.
 */
import { pollTicks } from '../harness/n8n';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { useSandbox } from '../sandbox/lifecycle';
import { baselineOf, events, loggedBy, numberIn as numberInSandbox } from './helpers';
import type { SandboxNumber } from '../sandbox/fixtures';

const { sandbox, credentials } = useSandbox();

const acme = () => sandbox.tenants.acme.numbers;
const numberIn = (id: string) => numberInSandbox(sandbox, id);
const LIST = '/v1/numbers';

describe('a list answer of [] (a glitch)', () => {
	it.each([
		['with Include Health', {}],
		['without', { includeHealth: false, events: ['numberAdded', 'numberRemoved'] }],
	])('%s: reports nothing, neither removed nor added again', async (_label, parameters) => {
		const ticks = await pollTicks({
			parameters,
			credentials,
			ticks: 3,
			beforeTick: (index) => {
				if (index === 1) injectFault(sandbox, faults.json([]), { path: LIST, times: 1 });
			},
		});
		expect(ticks.map(events)).toEqual([null, null, null]);
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined, undefined]);
		// The glitch is remembered as every number missing once; the next answer clears it.
		expect(baselineOf(ticks[1]).missing).toEqual(acme().map((number) => number.id));
		expect(baselineOf(ticks[2])).toEqual(baselineOf(ticks[0]));
	});

	it('twice in a row: every number is reported removed, on the second', async () => {
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 3,
			beforeTick: (index) => {
				if (index === 1) injectFault(sandbox, faults.json([]), { path: LIST });
			},
		});
		expect(events(ticks[1])).toBeNull();
		expect(events(ticks[2])).toEqual(acme().map((number) => `numberRemoved:${number.id}`));
	});
});

describe('a number really removed', () => {
	it('is reported once, by the second poll that does not list it; back after one miss is no event', async () => {
		let gone: SandboxNumber | undefined;
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 5,
			beforeTick: (index) => {
				if (index === 1 || index === 3) {
					gone = numberIn('wa_qr_support');
					sandbox.tenants.acme.numbers = acme().filter((number) => number !== gone);
				}
				if (index === 2) acme().push(gone!);
			},
		});
		expect(ticks.map(events)).toEqual([null, null, null, null, ['numberRemoved:wa_qr_support']]);
		expect(ticks[4].items![0].json).toMatchObject({
			id: 'wa_qr_support',
			name: null,
			previous_state: 'OPEN',
			previous_health_sendable: true,
		});
	});
});

describe('list entries that are not numbers with a usable id', () => {
	it.each<[string, (list: any[]) => unknown, string]>([
		[
			'entries that are not objects',
			(list) => list.map((_, index) => index),
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		],
		[
			'an entry without an id',
			(list) => [...list, { name: 'Nameless' }],
			'PilotStatus listed a number the trigger cannot track (GET /v1/numbers, entry 9 of 9: Number is required: it is empty)',
		],
		[
			'entries whose ids are numbers',
			(list) => list.map((number, index) => ({ ...number, id: index + 1 })),
			'PilotStatus listed a number the trigger cannot track (GET /v1/numbers, entry 1 of 8: Number ID must be text: it is a number (1))',
		],
		[
			'an object wrapping the list',
			(list) => ({ data: list }),
			'PilotStatus returned JSON that is not a list of numbers (HTTP 200) for GET /v1/numbers',
		],
	])(
		'(%s) fail the poll with a clear message and leave what it remembers untouched',
		async (_label, bend, message) => {
			const sentBefore: number[] = [];
			const ticks = await pollTicks({
				parameters: {},
				credentials,
				ticks: 3,
				beforeTick: (index) => {
					sentBefore[index] = sandbox.requests.length;
					if (index === 1) injectFault(sandbox, faults.rewrite(bend), { path: LIST, times: 1 });
				},
			});
			expect(ticks[1].error?.message).toBe(message);
			expect(ticks[1].items).toBeNull();
			expect(ticks[1].staticDataChanged).toBe(false);
			expect(baselineOf(ticks[1])).toEqual(baselineOf(ticks[0]));
			// Only the list was asked for: no detail of a number that might not exist.
			const sent = sandbox.requests.slice(sentBefore[1], sentBefore[2]);
			expect(sent.map((request) => request.rawUrl)).toEqual([LIST]);
			// The next good answer reports nothing: no number was taken for removed.
			expect(ticks[2].error).toBeUndefined();
			expect(events(ticks[2])).toBeNull();
		},
	);
});

describe('a detail answer', () => {
	it("carrying another number's id is not merged into that number: it fails for the listed one", async () => {
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 2,
			beforeTick: (index) => {
				if (index === 1) {
					// A proxy answers wa_sales with wa_abc's detail, where wa_abc has disconnected.
					Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
					injectFault(
						sandbox,
						faults.rewrite((detail) => ({ ...detail, id: 'wa_abc', state: 'CLOSE' })),
						{ path: '/v1/numbers/wa_sales' },
					);
				}
			},
		});
		expect(events(ticks[1])).toEqual(['connectionChanged:wa_abc', 'healthCheckFailed:wa_sales']);
		expect(ticks[1].items![1].json.detailError).toBe(
			"Could not read the detail of number 'wa_sales': PilotStatus answered GET /v1/numbers/{id} for number 'wa_sales' with number 'wa_abc'",
		);
		const numbers = baselineOf(ticks[1]).numbers;
		expect(numbers.wa_sales).toEqual(baselineOf(ticks[0]).numbers.wa_sales);
		expect(numbers.wa_abc.slice(0, 2)).toEqual(['CLOSE', false]);
	});

	it('without an id is kept under the id the list gave', async () => {
		const ticks = await pollTicks({
			parameters: { options: { emitOnFirstPoll: true } },
			credentials,
			ticks: 2,
			beforeTick: (index) => {
				if (index === 0)
					injectFault(
						sandbox,
						faults.rewrite(({ id: _id, ...detail }) => detail),
						{ path: '/v1/numbers/wa_sales' },
					);
				if (index === 1) numberIn('wa_sales').health.qualityRating = 'RED';
			},
		});
		expect(ticks[0].items!.map((item) => item.json.id)).toEqual(acme().map((number) => number.id));
		expect(
			ticks[0].items!.find((item) => item.json.id === 'wa_sales')!.json.detailError,
		).toBeNull();
		expect(events(ticks[1])).toEqual(['healthChanged:wa_sales']);
	});
});

describe('an id listed twice', () => {
	it('whose two entries swap places between polls is no change; the same entry is used each time', async () => {
		const ticks = await pollTicks({
			parameters: {
				includeHealth: false,
				events: ['connectionChanged', 'numberAdded', 'numberRemoved'],
			},
			credentials,
			ticks: 4,
			beforeTick: (index) => {
				if (index === 0)
					acme().push({
						...structuredClone(numberIn('wa_abc')),
						state: 'CLOSE',
						isFullyConnected: false,
					});
				else sandbox.tenants.acme.numbers = [...acme()].reverse();
			},
		});
		expect(ticks.map(events)).toEqual([null, null, null, null]);
		expect(baselineOf(ticks[3]).numbers.wa_abc).toEqual(['CLOSE', false]);
		expect(Object.keys(baselineOf(ticks[3]).numbers)).toHaveLength(8);
	});

	it('is read once with Include Health, and a real change of the entry used is reported', async () => {
		const twin = {
			...structuredClone(numberIn('wa_abc')),
			state: 'CLOSE',
			isFullyConnected: false,
		};
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 2,
			beforeTick: (index) => {
				if (index === 0) acme().push(twin);
				if (index === 1) Object.assign(twin, { state: 'OPEN', isFullyConnected: true });
			},
		});
		expect(
			sandbox.requests.filter((request) => request.rawUrl === '/v1/numbers/wa_abc'),
		).toHaveLength(2);
		// Both entries now say OPEN: the one used said CLOSE, so the connection changed.
		expect(events(ticks[1])).toEqual(['connectionChanged:wa_abc']);
	});
});

describe('the credential pointed at another account between polls', () => {
	/** Polls 4 times, `switchAccount` editing the credential before the second poll. */
	async function switchBetweenPolls(switchAccount: (edited: typeof credentials) => void) {
		const edited = { ...credentials };
		return await loggedBy(() =>
			pollTicks({
				parameters: {},
				credentials: edited,
				ticks: 4,
				beforeTick: (index) => {
					if (index === 1) switchAccount(edited);
				},
			}),
		);
	}

	function expectStartedOver(
		{ result: ticks, written }: Awaited<ReturnType<typeof switchBetweenPolls>>,
		newIds: string[],
	) {
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined, undefined, undefined]);
		expect(ticks.map(events)).toEqual([null, null, null, null]);
		// It watches the new account from then on: only its numbers are remembered, none missing.
		expect(Object.keys(baselineOf(ticks[1]).numbers)).toEqual(newIds);
		expect(baselineOf(ticks[1]).missing).toBeUndefined();
		expect(written).toContain(
			`PilotStatus Numbers Trigger 'PilotStatus Trigger': none of the ${newIds.length} numbers listed is among the ${acme().length} it remembers, so the credential now points at another account: it starts over as on a first poll and reports nothing for the switch.`,
		);
		expect(written.match(/points at another account/g)).toHaveLength(1);
		for (const key of Object.values(KEYS)) expect(written).not.toContain(key);
	}

	it("its key edited to another tenant's key: starts over as on a first poll, reporting nothing for the switch, and logs that it did", async () => {
		const seen = await switchBetweenPolls((edited) => (edited.apiKey = KEYS.globexTenant));
		expectStartedOver(seen, ['wa_globex_1']);
	});

	it('its Base URL edited to another PilotStatus: the same', async () => {
		let other: Sandbox | undefined;
		try {
			other = await startSandbox();
			const otherIds = ['wa_other_1', 'wa_other_2'];
			other.tenants.acme.numbers = otherIds.map((id) => ({ ...acme()[0], id }));
			const seen = await switchBetweenPolls((edited) => (edited.baseUrl = other!.url));
			expectStartedOver(seen, otherIds);
		} finally {
			await other?.close();
		}
	});

	it('a list that still holds one remembered number is no switch: the others are reported as usual', async () => {
		const [, ...othersBefore] = acme().map((number) => number.id);
		const ticks = await pollTicks({
			parameters: { events: ['numberAdded', 'numberRemoved'] },
			credentials,
			ticks: 3,
			beforeTick: (index) => {
				if (index !== 1) return;
				const [kept] = acme();
				sandbox.tenants.acme.numbers = [
					kept,
					...sandbox.tenants.globex.numbers.map((number) => ({ ...number })),
				];
			},
		});
		expect(events(ticks[1])).toEqual(['numberAdded:wa_globex_1']);
		expect(events(ticks[2])).toEqual(othersBefore.map((id) => `numberRemoved:${id}`));
	});
});
