/**
 * Issue 15, section 1: one number whose detail cannot be read does not blind the trigger. The built
 * trigger polled by n8n-core (PollTriggerExecutor and one PollContext across polls, as an active
 * workflow runs it) against the sandbox, three numbers, one of them broken.
 */
import { listedDetailShape } from '../../nodes/shared/numberShapes';
import type { PollTick } from '../harness/n8n';
import { pollTicks } from '../harness/n8n';
import { addNumbers } from '../sandbox/bulk';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { baselineOf, events, numberIn as numberInSandbox } from './helpers';
import type { SandboxHandler } from '../sandbox/server';

const { sandbox, credentials } = useSandbox();

const THREE = ['wa_abc', 'wa_sales', 'wa_qr_support'];
const numberIn = (id: string) => numberInSandbox(sandbox, id);
const detailRequests = (id: string) =>
	sandbox.requests.filter((request) => request.rawUrl === `/v1/numbers/${id}`).length;

/**
 * A fault on one path (or several) that can be switched off, e.g. to fix the broken number between
 * polls, and on again.
 */
function breakPath(paths: string | string[], fault: SandboxHandler, { broken = true } = {}) {
	const broke = new Set([paths].flat());
	sandbox.use((req, res, url) =>
		broken && broke.has(url.pathname) ? fault(req, res, url) : false,
	);
	return { fix: () => (broken = false), break: () => (broken = true) };
}

beforeEach(() => {
	sandbox.tenants.acme.numbers = sandbox.tenants.acme.numbers.filter((number) =>
		THREE.includes(number.id),
	);
});

describe("one number's detail always fails (Include Health on, 3 numbers)", () => {
	const salesDetail = `/v1/numbers/wa_sales`;

	it.each<[string, SandboxHandler, RegExp]>([
		['HTTP 500', faults.status(500), /PilotStatus is unavailable \(HTTP 500\)/],
		[
			'HTTP 503 after its retries',
			faults.status(503, { retryAfter: '0' }),
			/PilotStatus is unavailable \(HTTP 503\) on GET \/v1\/numbers\/\{id\} \(2 attempts\)/,
		],
		[
			'404 (deleted between the list and the detail)',
			faults.status(404),
			/Number 'wa_sales' was not found/,
		],
		[
			'an answer that is not a number object',
			faults.json(['not', 'a', 'number']),
			/JSON that is not a number object/,
		],
		[
			"another number's detail",
			(_req, res) => {
				const { secrets: _hidden, ...other } = numberIn('wa_abc');
				return faults.json(other)(_req, res, new URL('http://x'));
			},
			/answered GET \/v1\/numbers\/\{id\} for number 'wa_sales' with number 'wa_abc'/,
		],
	])(
		'(%s) the others are still watched: their changes are reported, the broken one is named once, and again when it recovers',
		async (_label, fault, why) => {
			const broken = breakPath(salesDetail, fault);
			const ticks = await pollTicks({
				parameters: {},
				credentials,
				ticks: 5,
				beforeTick: (index) => {
					if (index === 1)
						Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
					if (index === 4) broken.fix();
				},
			});
			expect(ticks.map((tick) => tick.error?.message)).toEqual([
				undefined,
				undefined,
				undefined,
				undefined,
				undefined,
			]);
			// The first poll only remembers, the broken number's connection included.
			expect(ticks[0].items).toBeNull();
			expect(baselineOf(ticks[0]).numbers.wa_sales).toEqual(['OPEN', true]);
			// Another number's disconnect is reported while one number is broken, and the broken one is named.
			expect(events(ticks[1])).toEqual(['connectionChanged:wa_abc', 'healthCheckFailed:wa_sales']);
			const failed = ticks[1].items![1].json;
			expect(Object.keys(failed).slice(0, listedDetailShape.columns.length)).toEqual(
				listedDetailShape.columns,
			);
			expect(failed).toMatchObject({
				id: 'wa_sales',
				name: 'Acme Sales',
				state: 'OPEN',
				isFullyConnected: true,
				health_qualityRating: null,
				changedFields: [],
			});
			expect(failed.detailError).toMatch(/^Could not read the detail of number 'wa_sales': /);
			expect(failed.detailError).toMatch(why);
			expect(ticks[1].items![0].json.detailError).toBeNull();
			// Reported once: the polls while it stays broken report nothing.
			expect(events(ticks[2])).toBeNull();
			expect(events(ticks[3])).toBeNull();
			// Fixed: reported once more, as recovered; its first health reading is no change.
			expect(events(ticks[4])).toEqual(['healthCheckRecovered:wa_sales']);
			expect(ticks[4].items![0].json).toMatchObject({
				health_qualityRating: 'YELLOW',
				detailError: null,
			});
			expect(baselineOf(ticks[4]).unreadable).toBeUndefined();
			expect(JSON.stringify(ticks)).not.toContain(KEYS.acmeTenant);
		},
	);

	it('keeps its remembered health as it was (no false change), and reports a change made meanwhile once it can be read', async () => {
		let broken: { fix: () => void } | undefined;
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 4,
			beforeTick: (index) => {
				if (index === 1) broken = breakPath(salesDetail, faults.status(500));
				if (index === 2) numberIn('wa_sales').health.qualityRating = 'RED';
				if (index === 3) broken!.fix();
			},
		});
		const remembered = baselineOf(ticks[0]).numbers.wa_sales;
		expect(remembered).toEqual(['OPEN', true, 'YELLOW', 'TIER_1K', 'FLAGGED', true]);
		expect(events(ticks[1])).toEqual(['healthCheckFailed:wa_sales']);
		// The item shows the health the trigger remembers, not empty columns an IF would misread.
		expect(ticks[1].items![0].json).toMatchObject({
			health_qualityRating: 'YELLOW',
			health_sendable: true,
			meta_waba_id: null,
		});
		expect(baselineOf(ticks[1]).numbers.wa_sales).toEqual(remembered);
		expect(baselineOf(ticks[1]).unreadable).toEqual(['wa_sales']);
		expect(events(ticks[2])).toBeNull();
		expect(baselineOf(ticks[2]).numbers.wa_sales).toEqual(remembered);
		expect(events(ticks[3])).toEqual(['healthCheckRecovered:wa_sales', 'healthChanged:wa_sales']);
		expect(ticks[3].items![1].json).toMatchObject({
			changedFields: ['health_qualityRating'],
			health_qualityRating: 'RED',
			previous_health_qualityRating: 'YELLOW',
		});
	});

	it('costs one request per number and poll, the broken one included (500 is not retried)', async () => {
		breakPath(salesDetail, faults.status(500));
		await pollTicks({ parameters: {}, credentials, ticks: 3 });
		expect(sandbox.requests.filter((request) => request.rawUrl === '/v1/numbers')).toHaveLength(3);
		for (const id of THREE) expect(detailRequests(id)).toBe(3);
	});

	it('with only the selected events: Health Check Failed off reports nothing for it, and still watches the others', async () => {
		breakPath(salesDetail, faults.status(500));
		const ticks = await pollTicks({
			parameters: { events: ['connectionChanged', 'healthChanged'] },
			credentials,
			ticks: 2,
			beforeTick: (index) => {
				if (index === 1) numberIn('wa_abc').health.qualityRating = 'RED';
			},
		});
		expect(events(ticks[1])).toEqual(['healthChanged:wa_abc']);
		// Remembered as failing all the same, so selecting the event later does not report it late.
		expect(baselineOf(ticks[1]).unreadable).toEqual(['wa_sales']);
	});
});

describe('the poll fails', () => {
	it('when no detail at all can be read, naming the first number, and what it remembers stays as it was', async () => {
		let down: { fix: () => void } | undefined;
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 3,
			beforeTick: (index) => {
				if (index === 1) {
					down = breakPath('/v1/numbers/wa_abc', faults.status(500));
					breakPath('/v1/numbers/wa_sales', faults.status(500));
					breakPath('/v1/numbers/wa_qr_support', faults.status(500));
					Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
				}
				if (index === 2) down!.fix();
			},
		});
		expect(ticks[1].items).toBeNull();
		expect(ticks[1].error?.message).toBe(
			"PilotStatus listed 3 numbers, but no number's detail could be read in this poll (3 tried, 0 cut by its time); the first, number 'wa_abc': PilotStatus is unavailable (HTTP 500) on GET /v1/numbers/{id}",
		);
		const description = (ticks[1].error as { description?: string }).description;
		expect(description).toMatch(/Try again/);
		expect(description).toMatch(/the next poll tries the next numbers in turn/);
		expect(description).toMatch(/turn Include Health off to watch connections only/);
		expect(ticks[1].staticDataChanged).toBe(false);
		expect(baselineOf(ticks[1])).toEqual(baselineOf(ticks[0]));
		// One number readable again: the poll goes on, the disconnect made meanwhile is reported once.
		expect(ticks[2].error).toBeUndefined();
		expect(events(ticks[2])).toEqual([
			'connectionChanged:wa_abc',
			'healthCheckFailed:wa_sales',
			'healthCheckFailed:wa_qr_support',
		]);
	});

	it('when the list fails, as before', async () => {
		injectFault(sandbox, faults.status(500), { path: '/v1/numbers' });
		const [tick] = await pollTicks({ parameters: {}, credentials, ticks: 1 });
		expect(tick.error?.message).toBe('PilotStatus is unavailable (HTTP 500) on GET /v1/numbers');
		expect(sandbox.requests).toHaveLength(1);
	});

	it('not when the only numbers left to read are ones already known to fail: the rest is still reported', async () => {
		breakPath('/v1/numbers/wa_sales', faults.status(500));
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			ticks: 4,
			beforeTick: (index) => {
				// From the third poll on the account holds the broken number alone.
				if (index === 2)
					sandbox.tenants.acme.numbers = sandbox.tenants.acme.numbers.filter(
						(number) => number.id === 'wa_sales',
					);
			},
		});
		expect(ticks.map((tick) => tick.error?.message)).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
		]);
		expect(events(ticks[1])).toEqual(['healthCheckFailed:wa_sales']);
		expect(events(ticks[2])).toBeNull();
		expect(events(ticks[3])).toEqual(['numberRemoved:wa_abc', 'numberRemoved:wa_qr_support']);
	});
});

describe('many details that hang at once (a provider outage), with a 2 s poll time (a timeout is 0.45 s)', () => {
	const B = 2_000;
	/** A detail that never answers within the poll, closed after 5 s at most. */
	const hang = faults.stall({ maxMs: 5_000 });
	const detailPaths = (ids: string[]) => ids.map((id) => `/v1/numbers/${id}`);

	// Requests the deadline cut may still be open: let them close before the next test (bounded).
	afterEach(async () => {
		let count = -1;
		for (let waited = 0; waited < 6_000 && sandbox.requests.length !== count; waited += 300) {
			count = sandbox.requests.length;
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	});

	it('fifteen numbers disconnecting whose details hang: every disconnect is reported at once, and each hanging number once as healthCheckFailed', async () => {
		sandbox.tenants.acme.numbers = [];
		addNumbers(sandbox, 40);
		const down = sandbox.tenants.acme.numbers
			.filter((number) => number.state === 'OPEN')
			.slice(10, 25)
			.map((number) => number.id);
		const outage = breakPath(detailPaths(down), hang, { broken: false });
		const failedIn = (ticks: PollTick[]) =>
			ticks
				.flatMap((tick) => events(tick) ?? [])
				.filter((event) => event.startsWith('healthCheckFailed:'));
		// About 5 hanging details fit in a poll here, fewer on a loaded machine: polls until every one
		// was reported (at most 12), then once more to see none reported again.
		let quiet = -1;
		const ticks = await pollTicks({
			parameters: { events: ['connectionChanged', 'healthCheckFailed'] },
			credentials,
			pollBudgetMs: B,
			ticks: 13,
			until: (sofar) => {
				if (quiet < 0 && failedIn(sofar).length >= down.length) quiet = sofar.length + 1;
				return sofar.length === quiet;
			},
			beforeTick: (index) => {
				if (index !== 1) return;
				outage.break();
				for (const id of down)
					Object.assign(numberIn(id), { state: 'CLOSE', isFullyConnected: false });
			},
		});
		expect(ticks.map((tick) => tick.error?.message)).toEqual(ticks.map(() => undefined));
		// Their connection comes from the list: all fifteen at the poll after the outage.
		expect(
			(events(ticks[1]) ?? []).filter((event) => event.startsWith('connectionChanged:')).sort(),
		).toEqual(down.map((id) => `connectionChanged:${id}`).sort());
		// Their health cannot be read: each reported once, when a poll tries it, and no other number.
		expect(failedIn(ticks).sort()).toEqual(down.map((id) => `healthCheckFailed:${id}`).sort());
		expect(ticks.length).toBe(quiet);
		const item = ticks[1].items?.find((each) => each.json.event === 'connectionChanged');
		expect(item?.json.state).toBe('CLOSE');
	}, 90_000);

	it('fifteen hanging details at the start of the ring: the first poll fails saying so, and the next ones go on past them until one remembers every number', async () => {
		sandbox.tenants.acme.numbers = [];
		const ids = addNumbers(sandbox, 40);
		breakPath(detailPaths(ids.slice(0, 15)), hang);
		// At least 5 requests (one per worker) are sent per poll, so at most ⌈15 / 5⌉ polls fail before
		// one reaches readable numbers; polls until one did, then once more (at most 5 polls).
		let settled = -1;
		const ticks = await pollTicks({
			parameters: {},
			credentials,
			pollBudgetMs: B,
			ticks: 5,
			until: (sofar) => {
				if (settled < 0 && sofar.length > 0 && !sofar.at(-1)!.error) settled = sofar.length;
				return settled > 0 && sofar.length === settled + 1;
			},
		});
		expect(settled).toBeGreaterThan(1);
		expect(settled).toBeLessThanOrEqual(4);
		const failedPolls = ticks.slice(0, settled - 1);
		const noneRead =
			/^PilotStatus listed 40 numbers, but no number's detail could be read in this poll \(\d+ tried, \d+ cut by its time\); the first, number '(wa_bulk_\d+)': PilotStatus did not answer GET \/v1\/numbers\/\{id\} within (450 ms|the time left for this poll)( \(\d attempts?\))?$/;
		// Each failed poll says so, names a number further on than the one before (the first poll's
		// is among the first sent: which one the deadline cut first depends on the machine's speed),
		// and leaves nothing remembered.
		const named = failedPolls.map((tick) => noneRead.exec(tick.error?.message ?? '')?.[1]);
		expect(ids.slice(0, 5)).toContain(named[0]);
		for (const [index, id] of named.entries()) {
			expect(ids.slice(0, 15)).toContain(id);
			if (index > 0) expect(id! > named[index - 1]!).toBe(true);
			expect(baselineOf(failedPolls[index])).toBeUndefined();
		}
		expect((ticks[0].error as { description?: string }).description).toMatch(
			/the next poll tries the next numbers in turn: if only some numbers fail, the trigger recovers by itself/,
		);
		// The poll that got past them remembers every number, and reports nothing.
		const first = ticks[settled - 1];
		expect(Object.keys(baselineOf(first)?.numbers ?? {}).sort()).toEqual([...ids].sort());
		expect(events(first)).toBeNull();
		// From then on it watches: what it remembers stays every number. (A poll whose turn falls on
		// the hanging numbers alone, whose health it has never read, may still fail the same way.)
		const next = ticks[settled];
		expect(Object.keys(baselineOf(next)?.numbers ?? {}).sort()).toEqual([...ids].sort());
		if (next.error)
			expect(next.error.message).toMatch(
				/^PilotStatus listed 40 numbers, but no number's detail could be read in this poll \(\d+ tried, \d+ cut by its time\)/,
			);
		const brokenIds = new Set(ids.slice(0, 15));
		for (const event of events(next) ?? []) {
			expect(event).toMatch(/^healthCheckFailed:/);
			expect(brokenIds.has(event.split(':')[1])).toBe(true);
		}
	}, 60_000);
});
