/**
 * Issue 15, section 3: a poll always ends within the time n8n gives it, and health that does not fit
 * is read by the next polls in a fair rotation. The built trigger polled by n8n-core, with a small
 * budget handed to n8n-core's PollContext (what n8n 2.41's `getPollBudgetMs()` answers) and the
 * sandbox's latency, so a full health sweep cannot fit. No wall time is asserted: what the sandbox
 * counts (requests, and which numbers were asked for) shows the poll stayed within its budget.
 */
import { marginMs } from '../../nodes/PilotStatusNumbersTrigger/pollLimits';
import { START_CONCURRENCY } from '../../nodes/shared/concurrencyLimit';
import type { OutputItem, PollTick } from '../harness/n8n';
import { activateTrigger, pollTicks } from '../harness/n8n';
import { addNumbers } from '../sandbox/bulk';
import { faults, injectFault } from '../sandbox/faults';
import { useSandbox } from '../sandbox/lifecycle';
import { simulateLoad } from '../sandbox/load';
import { baselineOf, events, loggedBy, numberIn as numberInSandbox } from './helpers';

const { sandbox, credentials } = useSandbox();

// A request the poll's deadline cut can still reach the sandbox a moment after the poll ended: let
// those arrive before the next test, so they are not counted there (bounded wait).
afterEach(async () => {
	let count = -1;
	for (let waited = 0; waited < 3_000 && sandbox.requests.length !== count; waited += 300) {
		count = sandbox.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
});

const LIST = '/v1/numbers';
const C = START_CONCURRENCY;
const numberIn = (id: string) => numberInSandbox(sandbox, id);

/** An account of `count` numbers only (ids wa_bulk_00000…, in sort order), answering after `latencyMs`. */
function account(count: number, latencyMs: number) {
	sandbox.tenants.acme.numbers = [];
	const ids = addNumbers(sandbox, count);
	simulateLoad(sandbox, { latencyMs });
	return ids;
}

/**
 * The coverage cycle a poll's log line states ("…read at least every X polls"): 1 when it wrote
 * none (every number fitted), Infinity when it states no cycle (the ring did not move).
 */
function loggedCycle(lines: readonly string[]): number {
	const partial = lines.find((line) => line.includes("fitted in this poll's time"));
	if (!partial) return 1;
	const cycle = /read at least every (\d+) polls/.exec(partial);
	return cycle ? Number(cycle[1]) : Infinity;
}

/**
 * Polls one active trigger `ticks` times (fewer when `enough`, asked after each poll, says so),
 * recording which numbers' details each poll asked for, in the order the sandbox got them, and the
 * coverage cycle each poll logged.
 */
async function pollRecording({
	ticks: most,
	beforeTick,
	enough = () => false,
	parameters = {},
	...options
}: Omit<Parameters<typeof activateTrigger>[0], 'credentials' | 'parameters'> & {
	parameters?: Record<string, unknown>;
	ticks: number;
	beforeTick?: (index: number) => void;
	enough?: (details: string[][], cycles: number[]) => boolean;
}) {
	const trigger = activateTrigger({ parameters, credentials, ...options });
	const ticks: PollTick[] = [];
	const sent: string[][] = [];
	const details: string[][] = [];
	const cycles: number[] = [];
	await loggedBy(async (lines) => {
		while (ticks.length < most && !enough(details, cycles)) {
			beforeTick?.(ticks.length);
			const before = sandbox.requests.length;
			const logged = lines.length;
			ticks.push(await trigger.poll());
			cycles.push(loggedCycle(lines.slice(logged)));
			const urls = sandbox.requests.slice(before).map((request) => request.rawUrl);
			sent.push(urls);
			details.push(
				urls
					.filter((url) => url !== LIST)
					.map((url) => decodeURIComponent(url.slice(LIST.length + 1))),
			);
		}
	});
	return { ticks, sent, details, cycles };
}

/**
 * The first requests of a poll's detail requests: the C started together (in any order), and the
 * at most C the previous poll's deadline cut, which can reach the sandbox just after it.
 */
const firstRound = (details: string[]) => details.slice(0, 2 * C);

/**
 * The most detail requests one poll can send within budget B at latency L: each of the C workers
 * starts requests one after another, each takes at least L, none starts after B less the margin,
 * and the list came first.
 */
const mostDetailsPerPoll = (budgetMs: number, latencyMs: number) =>
	C * Math.ceil((budgetMs - marginMs(budgetMs) - latencyMs) / latencyMs);

describe('a full health sweep that cannot fit in the budget', () => {
	const N = 120;
	const L = 100;
	const B = 2_000;

	/*
	 * The README's bound has two parts: a poll reads K = C × (⌊(B − margin) / L⌋ − 1) numbers' health
	 * when each request takes L, and the rotation then reads every number within ⌈N / K⌉ polls. L is
	 * what a request takes as the trigger sees it, the sandbox's latency plus n8n-core's own work,
	 * which a loaded test machine stretches; so the test checks the first part as an upper bound on
	 * requests (it can only be lower on a slow machine) and the second with the cycle each poll
	 * logged for the user, which a loaded machine lengthens.
	 */
	it("stays within the budget by count, lists every number on every poll, and reads every number's health within the cycle it logs", async () => {
		const ids = account(N, L);
		// Polls until the longest cycle logged can be checked twice over (at most 12 polls).
		const { ticks, sent, details, cycles } = await pollRecording({
			ticks: 12,
			pollBudgetMs: B,
			enough: (sofar, logged) => sofar.length >= 2 && sofar.length >= 2 * Math.max(...logged),
		});
		const polls = ticks.length;
		expect(ticks.map((tick) => tick.error)).toEqual(ticks.map(() => undefined));
		// Nothing changed: requests the deadline cut are not taken for failing numbers.
		expect(ticks.map(events)).toEqual(ticks.map(() => null));
		// A list request in every poll: every number's connection is checked every poll (sent twice
		// when the first attempt timed out on a loaded machine).
		for (const urls of sent) expect(urls).toContain(LIST);
		expect(sent.flat().filter((url) => url === LIST).length).toBeLessThanOrEqual(2 * polls);
		// Within the budget, counted: no more detail requests than C workers can send one after
		// another, each taking at least L, before the deadline. (Counted over all polls: a request
		// the deadline cut can reach the sandbox just after the next poll began.)
		expect(details.flat().length).toBeLessThanOrEqual(polls * mostDetailsPerPoll(B, L));
		// Not everything fits in one poll: that is what this test is about.
		expect(details[0].length).toBeLessThan(N);
		expect(cycles.every((cycle) => cycle > 1)).toBe(true);
		const bound = Math.max(...cycles);
		expect(bound).toBeLessThan(polls);
		// Every number's health is read within the cycle the log stated, from any poll on (a sliding window).
		for (let start = 0; start + bound <= polls; start++) {
			const read = new Set(details.slice(start, start + bound).flat());
			expect(ids.filter((id) => !read.has(id))).toEqual([]);
		}
	}, 90_000);

	it('reads each number once per turn of the ring: no number twice before every number once', async () => {
		account(N, L);
		// Polls until every number was asked for (at most 12 polls: a slow machine reads fewer per poll).
		const { details } = await pollRecording({
			ticks: 12,
			pollBudgetMs: B,
			enough: (sofar) => new Set(sofar.flat()).size === N,
		});
		const polls = details.length;
		// Going through the requests in order until every number has been asked for once, a number
		// asked for again can only be one the deadline cut (at most C per poll), asked again first.
		const seen = new Set<string>();
		let again = 0;
		for (const id of details.flat()) {
			if (seen.size === N) break;
			if (seen.has(id)) again++;
			seen.add(id);
		}
		expect(seen.size).toBe(N);
		expect(again).toBeLessThanOrEqual(C * polls);
	});

	it('reports a connection change at the next poll, with the fresh health of that number', async () => {
		account(N, L);
		const last = `wa_bulk_${String(N - 1).padStart(5, '0')}`;
		const { ticks, details } = await pollRecording({
			ticks: 2,
			pollBudgetMs: B,
			beforeTick: (index) => {
				if (index === 1) {
					Object.assign(numberIn(last), { state: 'CLOSE', isFullyConnected: false });
					numberIn(last).health.sendable = false;
				}
			},
		});
		// The changed number is the last of the ring, not read in the first poll's turn...
		expect(details[0]).not.toContain(last);
		// ...and read first in the next one, so its item carries health read in that poll.
		expect(firstRound(details[1])).toContain(last);
		expect(events(ticks[1])).toEqual([`connectionChanged:${last}`]);
		expect(ticks[1].items![0].json).toMatchObject({
			isFullyConnected: false,
			health_sendable: false,
			detailError: null,
		});
	});

	it('reads a new number first, so its item carries its health', async () => {
		account(N, L);
		const { ticks, details } = await pollRecording({
			ticks: 2,
			pollBudgetMs: B,
			beforeTick: (index) => {
				// Sorts after every wa_bulk_ id: the last place in the ring.
				if (index === 1)
					sandbox.tenants.acme.numbers.push({
						...structuredClone(numberIn('wa_bulk_00000')),
						id: 'wa_new',
					});
			},
		});
		expect(firstRound(details[1])).toContain('wa_new');
		expect(events(ticks[1])).toEqual(['numberAdded:wa_new']);
		expect(ticks[1].items![0].json).toMatchObject({
			health_qualityRating: 'GREEN',
			detailError: null,
		});
	});

	it('reports a health change of a number whose turn has not come, once, when its turn comes', async () => {
		const ids = account(N, L);
		const watched = ids[0];
		const asked = (from: number) =>
			sandbox.requests.slice(from).some((request) => request.rawUrl === `${LIST}/${watched}`);
		let changedAt: number | undefined;
		let sentBefore = 0;
		const { ticks, details } = await pollRecording({
			ticks: 5,
			pollBudgetMs: B,
			beforeTick: (index) => {
				// Changed right after the first poll that read it, so its next turn is a ring later.
				if (changedAt === undefined && index > 0 && asked(sentBefore)) {
					numberIn(watched).health.qualityRating = 'RED';
					changedAt = index;
				}
				sentBefore = sandbox.requests.length;
			},
		});
		expect(changedAt).toBe(1);
		const reported = ticks.map((tick) => (events(tick) ?? []).includes(`healthChanged:${watched}`));
		// Exactly once, by the first poll after the change whose turn reached it (or the next one,
		// when the deadline cut that request: a cut number is read first by the next poll).
		const turn = details.findIndex((read, index) => index >= changedAt! && read.includes(watched));
		expect(turn).toBeGreaterThanOrEqual(changedAt!);
		expect(reported.filter(Boolean)).toHaveLength(1);
		const reportedAt = reported.indexOf(true);
		expect([turn, turn + 1]).toContain(reportedAt);
		expect(ticks[reportedAt].items!.find((item) => item.json.id === watched)!.json).toMatchObject({
			health_qualityRating: 'RED',
			previous_health_qualityRating: 'GREEN',
		});
	});
});

describe("the poll's deadline", () => {
	it('cuts the requests still running at it: the poll ends, the ring goes on from the numbers read, and no failure is reported', async () => {
		// Each detail answers after 120 ms, well within the 337 ms Timeout a 1.5 s budget gives, so
		// every poll ends with requests still running at its deadline.
		account(100, 120);
		const B = 1_500;
		const { ticks, details } = await pollRecording({ ticks: 3, pollBudgetMs: B });
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined, undefined]);
		expect(ticks.map(events)).toEqual([null, null, null]);
		for (const read of details) expect(read.length).toBeLessThanOrEqual(mostDetailsPerPoll(B, 120));
		const [first, second] = ticks.map((tick) => baselineOf(tick).rotation);
		expect(first).toBeDefined();
		expect(second > first).toBe(true);
	});

	it('a 429 near the deadline, whose retry it leaves no time for, is not a failing number', async () => {
		account(300, 30);
		// From 1.5 s after each list on, details are refused with Retry-After: 2; the deadline is at
		// 2.7 s, so no retry fits (and the pause the 429 asks for ends at the deadline).
		let listedAt = 0;
		let refused = 0;
		sandbox.use((_req, res, url) => {
			if (url.pathname === LIST) listedAt = Date.now();
			else if (Date.now() - listedAt > 1_500) {
				refused++;
				return faults.status(429, { retryAfter: '2' })(_req, res, url);
			}
			return false;
		});
		const { ticks } = await pollRecording({ ticks: 3, pollBudgetMs: 3_000 });
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined, undefined]);
		expect(refused).toBeGreaterThan(0);
		expect(ticks.map(events)).toEqual([null, null, null]);
	});

	it('fails the poll, visibly, when PilotStatus lets no detail be read in its time', async () => {
		account(20, 10);
		injectFault(sandbox, faults.status(429, { retryAfter: '20' }), {
			path: (path) => path !== LIST,
		});
		const [tick] = await pollTicks({ parameters: {}, credentials, ticks: 1, pollBudgetMs: 2_000 });
		expect(tick.error?.message).toMatch(
			/^PilotStatus listed 20 numbers, but no number's detail could be read in this poll \(\d+ tried, \d+ cut by its time\); the first, number 'wa_bulk_\d+': PilotStatus rate limit reached \(HTTP 429\) on GET \/v1\/numbers\/\{id\}: it asked to wait 20 s/,
		);
		expect((tick.error as { description?: string }).description).toMatch(
			/Not retried: the time this poll may take is used up/,
		);
	});

	it('finds a number that never answers failing at its turn (two attempts of a quarter of the time each), and the ring moves past it', async () => {
		const ids = account(300, 50);
		const stuck = ids[0];
		// Never answers (and holds no timer: the request is dropped when the trigger gives up).
		sandbox.use((_req, _res, url) =>
			url.pathname === `${LIST}/${stuck}` ? new Promise<boolean>(() => {}) : false,
		);
		const { ticks, details } = await pollRecording({ ticks: 6, pollBudgetMs: 3_000 });
		expect(ticks.map((tick) => tick.error)).toEqual(ticks.map(() => undefined));
		// Reported once, naming it, when a poll after the first (which only remembers) reaches it.
		const reported = ticks.flatMap((tick) => tick.items ?? []);
		expect(reported.map((item) => `${item.json.event}:${item.json.id}`)).toEqual([
			`healthCheckFailed:${stuck}`,
		]);
		expect(reported[0].json.detailError).toMatch(
			new RegExp(
				`^Could not read the detail of number '${stuck}': PilotStatus did not answer GET /v1/numbers/\\{id\\}`,
			),
		);
		// It holds the ring at no place: more numbers than fit in a poll, and every one is read.
		expect(details[0].length).toBeLessThan(ids.length);
		expect(new Set(details.flat())).toEqual(new Set(ids));
	});
});

describe('the rotation', () => {
	it('is remembered in the static data, next to the baseline, and survives a poll that fails', async () => {
		const ids = account(120, 50);
		const B = 1_200;
		const { ticks, details } = await pollRecording({
			ticks: 3,
			pollBudgetMs: B,
			beforeTick: (index) => {
				if (index === 1) injectFault(sandbox, faults.status(500), { path: LIST, times: 1 });
			},
		});
		const position = baselineOf(ticks[0]).rotation;
		expect(typeof position).toBe('string');
		expect(ticks[1].error?.message).toMatch(/^PilotStatus is unavailable \(HTTP 500\) on GET/);
		expect(baselineOf(ticks[1]).rotation).toBe(position);
		// The poll after the failed one goes on from the position, not from the start of the ring.
		expect(firstRound(details[2])).toContain(ids.find((id) => id > position));
	});

	it('stays put when every number fits, so a quiet poll leaves n8n nothing to save', async () => {
		account(20, 5);
		const { ticks } = await pollRecording({ ticks: 3, pollBudgetMs: 5_000 });
		expect(baselineOf(ticks[0]).rotation).toBeUndefined();
		expect(ticks.map((tick) => tick.staticDataChanged)).toEqual([true, false, false]);
	});
});

describe('where coverage is partial, the user sees it', () => {
	/** A Fetch Test Event of `count` numbers at 100 ms with a 2 s poll time: its items. */
	async function sample(count: number) {
		const [tick] = await pollTicks({
			parameters: {},
			credentials,
			mode: 'manual',
			ticks: 1,
			pollBudgetMs: 2_000,
		});
		expect(tick.error).toBeUndefined();
		expect(tick.items).toHaveLength(count);
		expect(tick.staticDataChanged).toBe(false);
		return tick.items!;
	}
	const notRead = (items: OutputItem[]) =>
		items.filter((item) => String(item.json.detailError).startsWith('Not read in this poll.'));

	it('in Fetch Test Event: numbers not read carry detailError saying how many fitted and the cycle that gives', async () => {
		account(150, 100);
		const items = await sample(150);
		const unread = notRead(items);
		const read = items.filter((item) => item.json.detailError === null).length;
		expect(read).toBeGreaterThan(0);
		expect(unread.length).toBeGreaterThan(0);
		// The cycle counts the numbers read in ring order (ids sorted) up to the first one not read.
		const passed = [...items]
			.sort((a, b) => (String(a.json.id) < String(b.json.id) ? -1 : 1))
			.findIndex((item) => item.json.detailError !== null);
		expect(passed).toBeGreaterThan(0);
		expect(unread[0].json.detailError).toBe(
			`Not read in this poll. The health of ${read} of 150 numbers fitted in this poll's time (2 s less a margin); at this pace every number's health is read at least every ${Math.ceil(150 / passed)} polls.`,
		);
		expect(unread[0].json.health_qualityRating).toBeNull();
	});

	it('a number the deadline cut early leaves a gap: the cycle counts the 3 numbers before it, not every number read', async () => {
		account(150, 100);
		// Its retry would come after the poll's time: cut, not failed (it says nothing about the number).
		injectFault(sandbox, faults.status(503, { retryAfter: '10' }), {
			path: `${LIST}/wa_bulk_00003`,
		});
		const items = await sample(150);
		const read = items.filter((item) => item.json.detailError === null).length;
		expect(read).toBeGreaterThan(3);
		expect(notRead(items)[0].json.detailError).toBe(
			`Not read in this poll. The health of ${read} of 150 numbers fitted in this poll's time (2 s less a margin); at this pace every number's health is read at least every 50 polls.`,
		);
	});

	it('the first number in turn cut by the deadline does not stop the ring there: the next poll goes on past it', async () => {
		account(150, 100);
		injectFault(sandbox, faults.status(503, { retryAfter: '10' }), {
			path: `${LIST}/wa_bulk_00000`,
		});
		const { ticks, details, cycles } = await pollRecording({ ticks: 2, pollBudgetMs: 2_000 });
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined]);
		expect(firstRound(details[0])).toContain('wa_bulk_00000');
		// Past every number the first poll sent, so the second reads others, and says how often.
		const position = baselineOf(ticks[0]).rotation;
		expect(position > 'wa_bulk_00000').toBe(true);
		expect(details[1].filter((id) => !details[0].includes(id)).length).toBeGreaterThan(0);
		expect(cycles.every(Number.isFinite)).toBe(true);
	});
});

/*
 * n8n 2.41.1 with its durable scheduler and N8N_POLLER_DURABLE_CURSORS_ENABLED runs a poll when it
 * activates the workflow, on a staged copy of the static data it drops unless the poll emits (read
 * in trigger-execution-context.factory.js and poll-trigger-task-handler.js; the harness's
 * `durableCursors` runs the ticks that way). That poll reads the health of the numbers it reports
 * only; every other poll (n8n's default mode included) is an ordinary one.
 */
describe("n8n's activation poll with durable cursors", () => {
	const details = (urls: string[]) => urls.filter((url) => url !== LIST);

	it('on a new workflow sends only the list, and the first scheduled poll remembers', async () => {
		const { ticks, sent } = await pollRecording({
			ticks: 3,
			durableCursors: true,
			pollBudgetMs: 36_000,
		});
		expect(sent[0]).toEqual([LIST]);
		expect(ticks[0].items).toBeNull();
		expect(baselineOf(ticks[0])).toBeUndefined();
		expect(details(sent[1])).toHaveLength(8);
		expect(baselineOf(ticks[1]).numbers.wa_abc).toHaveLength(6);
		expect(ticks.map((tick) => tick.error)).toEqual([undefined, undefined, undefined]);
	});

	it('after a restart, reports a change made while n8n was stopped once, reading only that number, and the rest at the next poll', async () => {
		const [before] = await pollTicks({ parameters: {}, credentials, ticks: 1 });
		Object.assign(numberIn('wa_abc'), { state: 'CLOSE', isFullyConnected: false });
		numberIn('wa_sales').health.qualityRating = 'RED';
		sandbox.requests.length = 0;
		const { ticks, sent } = await pollRecording({
			ticks: 3,
			durableCursors: true,
			pollBudgetMs: 36_000,
			staticData: before.staticData,
		});
		expect(sent[0]).toEqual([LIST, '/v1/numbers/wa_abc']);
		expect(events(ticks[0])).toEqual(['connectionChanged:wa_abc']);
		expect(ticks[0].items![0].json).toMatchObject({
			health_qualityRating: 'GREEN',
			detailError: null,
		});
		// It emitted, so n8n committed it: the next poll does not report it again.
		expect(events(ticks[1])).toEqual(['healthChanged:wa_sales']);
		expect(details(sent[1])).toHaveLength(8);
		expect(events(ticks[2])).toBeNull();
	});

	it('with Emit on First Poll reads every number, since it reports them all', async () => {
		const { ticks, sent } = await pollRecording({
			parameters: { options: { emitOnFirstPoll: true } },
			ticks: 2,
			durableCursors: true,
		});
		expect(details(sent[0])).toHaveLength(8);
		expect(ticks[0].items).toHaveLength(8);
		for (const item of ticks[0].items!) expect(item.json.detailError).toBeNull();
		expect(ticks[1].items).toBeNull();
	});

	it("in n8n's default mode is an ordinary poll that reads every number", async () => {
		const { sent } = await pollRecording({ ticks: 1 });
		expect(details(sent[0])).toHaveLength(8);
	});
});
