/**
 * Issue 15, section 1: one number whose detail cannot be read does not blind the trigger. The built
 * trigger polled by n8n-core (PollTriggerExecutor and one PollContext across polls, as an active
 * workflow runs it) against the sandbox, three numbers, one of them broken.
 */
import { listedDetailShape } from '../../nodes/shared/numberShapes';
import { pollTicks } from '../harness/n8n';
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

/** A fault on one path that can be switched off, e.g. to fix the broken number between polls. */
function breakPath(path: string, fault: SandboxHandler) {
	let broken = true;
	sandbox.use((req, res, url) => (broken && url.pathname === path ? fault(req, res, url) : false));
	return { fix: () => (broken = false) };
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
			"No number's detail could be read (3 tried); the first, number 'wa_abc': PilotStatus is unavailable (HTTP 500) on GET /v1/numbers/{id}",
		);
		expect((ticks[1].error as { description?: string }).description).toMatch(/Try again/);
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
