import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type {
	Baseline,
	HealthRead,
	Observation,
} from '../../nodes/PilotStatusNumbersTrigger/changes';
import {
	CONNECTION_FIELDS,
	HEALTH_FIELDS,
	changeItem,
	compareNumbers,
	isAnotherAccount,
	readBaseline,
	sameBaseline,
	urgentNumbers,
	watchedFields,
} from '../../nodes/PilotStatusNumbersTrigger/changes';
import { detailShape } from '../../nodes/shared/numberShapes';

const ALL = watchedFields(true);

/** A flattened Get item with the given watched values (and columns the baseline must not keep). */
const flat = (id: string, values: Partial<Record<string, unknown>> = {}): IDataObject => ({
	id,
	name: `Name of ${id}`,
	meta_waba_name: 'Acme WABA',
	state: 'OPEN',
	isFullyConnected: true,
	health_qualityRating: 'GREEN',
	health_messagingLimitTier: 'TIER_2K',
	health_metaStatus: 'CONNECTED',
	health_sendable: true,
	...values,
});

/** A number as a poll saw it; health 'read' unless said otherwise. */
const seen = (
	id: string,
	values: Partial<Record<string, unknown>> = {},
	health: HealthRead = 'read',
): Observation => ({ id, columns: flat(id, values), health });

/** The baseline after a first poll that read every number. */
const baselineOf = (observed: Observation[], fields = ALL) =>
	compareNumbers(undefined, observed, fields).next;

const events = (changes: ReturnType<typeof compareNumbers>['changes']) =>
	changes.map((c) => `${c.event}:${c.id}`);

/** Compares one poll after `previous`: its events and the next baseline. */
function poll(previous: Baseline, observed: Observation[], fields = ALL) {
	const { changes, next } = compareNumbers(previous, observed, fields);
	return { events: events(changes), changes, next };
}

describe('the first poll (no baseline)', () => {
	it('reports every number as added and remembers only the watched fields, per id, in field order', () => {
		const { changes, next } = compareNumbers(
			undefined,
			[seen('a'), seen('b', { state: 'CLOSE' })],
			CONNECTION_FIELDS,
		);
		expect(events(changes)).toEqual(['numberAdded:a', 'numberAdded:b']);
		expect(next).toEqual({
			fields: ['state', 'isFullyConnected'],
			numbers: { a: ['OPEN', true], b: ['CLOSE', true] },
		});
		expect(JSON.stringify(next)).not.toMatch(/Name of|Acme|GREEN/);
	});

	it('stores missing values as null and unexpected objects as their JSON text', () => {
		const next = baselineOf(
			[{ id: 'a', columns: { id: 'a', state: { code: 1 } }, health: 'unread' }],
			CONNECTION_FIELDS,
		);
		expect(next.numbers.a).toEqual(['{"code":1}', null]);
	});

	it('remembers only the connection of a number whose health was not read, and marks no failure', () => {
		const next = baselineOf([seen('a'), seen('b', {}, 'unread'), seen('c', {}, 'failed')]);
		expect(next.numbers).toEqual({
			a: ['OPEN', true, 'GREEN', 'TIER_2K', 'CONNECTED', true],
			b: ['OPEN', true],
			c: ['OPEN', true],
		});
		expect(next.unreadable).toBeUndefined();
	});

	it('stores an id such as __proto__ as an ordinary id that survives JSON', () => {
		const next = baselineOf([seen('__proto__'), seen('constructor')]);
		const stored = readBaseline(JSON.parse(JSON.stringify(next)));
		expect(Object.keys(stored!.numbers)).toEqual(['__proto__', 'constructor']);
		expect(poll(stored!, [seen('__proto__'), seen('constructor')]).events).toEqual([]);
	});
});

describe('readBaseline', () => {
	it('accepts what compareNumbers wrote, after JSON, with its missing, unreadable and rotation parts', () => {
		const first = baselineOf([seen('a'), seen('b'), seen('c')]);
		const { next } = poll(first, [seen('a', {}, 'failed'), seen('b', {}, 'unread')]);
		next.rotation = 'b';
		expect(next).toMatchObject({ missing: ['c'], unreadable: ['a'], rotation: 'b' });
		expect(readBaseline(JSON.parse(JSON.stringify(next)))).toEqual(next);
	});

	it('reads a baseline written before missing, unreadable and rotation existed', () => {
		const old = {
			fields: ALL,
			numbers: { a: ['OPEN', true, 'GREEN', 'TIER_2K', 'CONNECTED', true] },
		};
		expect(readBaseline(old)).toEqual(old);
	});

	it('drops optional parts it cannot read, keeping the numbers', () => {
		const stored = {
			fields: ['state'],
			numbers: { a: ['OPEN'] },
			missing: 'a',
			unreadable: [1],
			rotation: 5,
		};
		expect(readBaseline(stored)).toEqual({ fields: ['state'], numbers: { a: ['OPEN'] } });
	});

	it.each([
		['nothing', undefined],
		['a string', 'baseline'],
		['no fields', { numbers: {} }],
		['fields not strings', { fields: [1], numbers: {} }],
		['numbers an array', { fields: ['state'], numbers: [] }],
		['a row longer than the fields', { fields: ['state'], numbers: { a: ['OPEN', true] } }],
		['a nested value', { fields: ['state'], numbers: { a: [{ deep: true }] } }],
	])('treats %s as no baseline', (_label, stored) => {
		expect(readBaseline(stored)).toBeUndefined();
	});
});

describe('compareNumbers', () => {
	const before = baselineOf([seen('a'), seen('b'), seen('c')]);

	it('reports nothing when nothing watched changed, whatever else did', () => {
		expect(poll(before, [seen('a', { name: 'Renamed' }), seen('b'), seen('c')]).changes).toEqual(
			[],
		);
	});

	it('reports a disconnect with the changed fields and their previous values', () => {
		const current = seen('b', { state: 'CLOSE', isFullyConnected: false });
		expect(poll(before, [seen('a'), current, seen('c')]).changes).toEqual([
			{
				event: 'connectionChanged',
				id: 'b',
				current: current.columns,
				changedFields: ['state', 'isFullyConnected'],
				previous: { state: 'OPEN', isFullyConnected: true },
			},
		]);
	});

	it('reports connection and health changes of one number as two events, connection first', () => {
		const { events: reported, changes } = poll(before, [
			seen('a', { health_qualityRating: 'YELLOW', isFullyConnected: false }),
			seen('b'),
			seen('c'),
		]);
		expect(reported).toEqual(['connectionChanged:a', 'healthChanged:a']);
		expect(changes[1]).toMatchObject({
			changedFields: ['health_qualityRating'],
			previous: { health_qualityRating: 'GREEN' },
		});
	});

	it('compares only fields both sides watched, so turning health on or off reports no health change', () => {
		const listOnly = baselineOf([seen('a')], CONNECTION_FIELDS);
		expect(poll(listOnly, [seen('a', { health_qualityRating: 'RED' })]).events).toEqual([]);
		const withHealth = baselineOf([seen('a')]);
		expect(poll(withHealth, [seen('a', { state: 'CLOSE' })], CONNECTION_FIELDS).events).toEqual([
			'connectionChanged:a',
		]);
	});

	describe('health not read in a poll', () => {
		it('is not compared, stays as remembered, and the item shows the remembered health', () => {
			const unread = seen('a', { state: 'CLOSE', health_qualityRating: null }, 'unread');
			const { changes, next } = poll(before, [unread, seen('b'), seen('c')]);
			expect(events(changes)).toEqual(['connectionChanged:a']);
			expect(changes[0].current).toMatchObject({ state: 'CLOSE', health_qualityRating: 'GREEN' });
			expect(next.numbers.a).toEqual(['CLOSE', true, 'GREEN', 'TIER_2K', 'CONNECTED', true]);
		});

		it('is first read without reporting a change, and compared from then on', () => {
			const connectionOnly = baselineOf([seen('a', {}, 'unread')]);
			const firstRead = poll(connectionOnly, [seen('a', { health_qualityRating: 'RED' })]);
			expect(firstRead.events).toEqual([]);
			expect(poll(firstRead.next, [seen('a')]).events).toEqual(['healthChanged:a']);
		});
	});

	describe('a number whose detail fails', () => {
		it('reports healthCheckFailed once, keeps its remembered values, and healthCheckRecovered once it is read again', () => {
			const failing = poll(before, [seen('a', {}, 'failed'), seen('b'), seen('c')]);
			expect(failing.events).toEqual(['healthCheckFailed:a']);
			expect(failing.changes[0].current).toMatchObject({ health_qualityRating: 'GREEN' });
			expect(failing.next.numbers.a).toEqual(before.numbers.a);
			expect(failing.next.unreadable).toEqual(['a']);

			const still = poll(failing.next, [seen('a', {}, 'failed'), seen('b'), seen('c')]);
			expect(still.events).toEqual([]);
			const notItsTurn = poll(still.next, [seen('a', {}, 'unread'), seen('b'), seen('c')]);
			expect(notItsTurn.events).toEqual([]);
			expect(notItsTurn.next.unreadable).toEqual(['a']);

			const back = poll(notItsTurn.next, [
				seen('a', { health_sendable: false }),
				seen('b'),
				seen('c'),
			]);
			expect(back.events).toEqual(['healthCheckRecovered:a', 'healthChanged:a']);
			expect(back.next.unreadable).toBeUndefined();
		});

		it('still reports its connection changes, from the list', () => {
			const { events: reported } = poll(before, [
				seen('a', { state: 'CLOSE' }, 'failed'),
				seen('b'),
				seen('c'),
			]);
			expect(reported).toEqual(['connectionChanged:a', 'healthCheckFailed:a']);
		});

		it('when new, is reported added and failing', () => {
			expect(
				poll(before, [seen('a'), seen('b'), seen('c'), seen('d', {}, 'failed')]).events,
			).toEqual(['numberAdded:d', 'healthCheckFailed:d']);
		});
	});

	describe('a number missing from the list', () => {
		it('is reported removed only when two polls in a row miss it, with its last values, last', () => {
			const once = poll(before, [seen('new'), seen('a'), seen('c')]);
			expect(once.events).toEqual(['numberAdded:new']);
			expect(once.next.missing).toEqual(['b']);
			expect(once.next.numbers.b).toEqual(before.numbers.b);

			const twice = poll(once.next, [seen('new'), seen('a'), seen('c')]);
			expect(twice.events).toEqual(['numberRemoved:b']);
			expect(twice.changes[0]).toEqual({
				event: 'numberRemoved',
				id: 'b',
				changedFields: ALL,
				previous: Object.fromEntries(ALL.map((field) => [field, flat('b')[field]])),
			});
			expect(twice.next.numbers).not.toHaveProperty('b');
			expect(twice.next.missing).toBeUndefined();
		});

		it('listed again after one miss is no event, and is compared with its remembered values', () => {
			const glitch = poll(before, []);
			expect(glitch.events).toEqual([]);
			expect(glitch.next.missing).toEqual(['a', 'b', 'c']);
			const back = poll(glitch.next, [seen('a'), seen('b', { state: 'CLOSE' }), seen('c')]);
			expect(back.events).toEqual(['connectionChanged:b']);
			expect(back.next.missing).toBeUndefined();
		});

		it('removed while failing, is no longer remembered as failing', () => {
			const failing = poll(before, [seen('a', {}, 'failed'), seen('b'), seen('c')]).next;
			const once = poll(failing, [seen('b'), seen('c')]);
			expect(once.next.unreadable).toEqual(['a']);
			const twice = poll(once.next, [seen('b'), seen('c')]);
			expect(twice.events).toEqual(['numberRemoved:a']);
			expect(twice.next.unreadable).toBeUndefined();
		});
	});

	// Property: with every health read, the events are what set differences and field comparisons say.
	const watchedValues = fc.record({
		state: fc.constantFrom('OPEN', 'CLOSE', 'CONNECTING'),
		isFullyConnected: fc.boolean(),
		health_qualityRating: fc.constantFrom('GREEN', 'YELLOW', 'RED', null),
		health_sendable: fc.boolean(),
	});
	const accountArb = fc.uniqueArray(
		fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), values: watchedValues }),
		{ selector: (entry) => entry.id },
	);
	const observe = (entries: Array<{ id: string; values: object }>) =>
		entries.map(({ id, values }) => seen(id, values));

	it('matches set differences and per-field comparison for any two polls, removals on the poll after', () => {
		fc.assert(
			fc.property(accountArb, accountArb, (first, second) => {
				const { changes, next } = compareNumbers(baselineOf(observe(first)), observe(second), ALL);
				const firstById = new Map<string, (typeof first)[number]['values']>(
					first.map((entry) => [entry.id, entry.values]),
				);
				const secondIds = new Set(second.map((entry) => entry.id));
				const expected: string[] = [];
				for (const { id, values } of second) {
					const was = firstById.get(id);
					if (!was) {
						expected.push(`numberAdded:${id}`);
						continue;
					}
					if (was.state !== values.state || was.isFullyConnected !== values.isFullyConnected)
						expected.push(`connectionChanged:${id}`);
					if (
						was.health_qualityRating !== values.health_qualityRating ||
						was.health_sendable !== values.health_sendable
					)
						expected.push(`healthChanged:${id}`);
				}
				expect(events(changes)).toEqual(expected);
				for (const change of changes) {
					for (const field of change.changedFields) {
						expect(change.previous[field]).toEqual(
							flat(change.id, firstById.get(change.id))[field],
						);
					}
				}
				// The same second answer again: nothing changed, and the numbers gone are removed now.
				const gone = first
					.filter(({ id }) => !secondIds.has(id))
					.map(({ id }) => `numberRemoved:${id}`);
				expect(poll(next, observe(second)).events).toEqual(gone);
			}),
		);
	});

	it('reports nothing for one empty answer between two equal ones, whatever the account', () => {
		fc.assert(
			fc.property(accountArb, (account) => {
				const glitch = poll(baselineOf(observe(account)), []);
				expect(glitch.events).toEqual([]);
				expect(poll(glitch.next, observe(account)).events).toEqual([]);
			}),
		);
	});
});

describe('urgentNumbers', () => {
	const before = baselineOf([seen('a'), seen('b'), seen('c', {}, 'unread')]);
	const listed = (extra: Array<[string, IDataObject]> = []): Array<[string, IDataObject]> => [
		['a', flat('a')],
		['b', flat('b', { state: 'CLOSE', health_qualityRating: null })],
		['c', flat('c')],
		...extra,
	];
	const sorted = ({ reported, unknown }: ReturnType<typeof urgentNumbers>) => ({
		reported: [...reported].sort(),
		unknown: [...unknown].sort(),
	});

	it('are the numbers the poll reports (new, connection changed), then those whose health is not known', () => {
		const urgent = urgentNumbers(before, listed([['d', flat('d')]]), {
			reportedOnly: false,
			firstReports: false,
		});
		expect(sorted(urgent)).toEqual({ reported: ['b', 'd'], unknown: ['c'] });
	});

	it('are only the numbers the poll reports when n8n keeps nothing else', () => {
		const urgent = urgentNumbers(before, listed([['d', flat('d')]]), {
			reportedOnly: true,
			firstReports: false,
		});
		expect(sorted(urgent)).toEqual({ reported: ['b', 'd'], unknown: [] });
	});

	it('without a baseline: every number, reported or unknown, or none when the poll only remembers and n8n keeps nothing', () => {
		const all = ['a', 'b', 'c'];
		const options = { reportedOnly: false, firstReports: false };
		expect(sorted(urgentNumbers(undefined, listed(), options))).toEqual({
			reported: [],
			unknown: all,
		});
		expect(sorted(urgentNumbers(undefined, listed(), { ...options, reportedOnly: true }))).toEqual({
			reported: [],
			unknown: [],
		});
		expect(
			sorted(urgentNumbers(undefined, listed(), { reportedOnly: true, firstReports: true })),
		).toEqual({ reported: all, unknown: [] });
	});

	it('not the numbers known to fail: they wait for their turn in the ring', () => {
		const failing = compareNumbers(
			before,
			[seen('a'), seen('b'), seen('c', {}, 'failed')],
			ALL,
		).next;
		expect(failing.unreadable).toEqual(['c']);
		const urgent = urgentNumbers(failing, listed(), { reportedOnly: false, firstReports: false });
		expect(sorted(urgent)).toEqual({ reported: ['b'], unknown: [] });
	});

	it('all of them when health is watched for the first time', () => {
		const listOnly = baselineOf([seen('a'), seen('b')], CONNECTION_FIELDS);
		const urgent = urgentNumbers(
			listOnly,
			[
				['a', flat('a')],
				['b', flat('b')],
			],
			{ reportedOnly: false, firstReports: false },
		);
		expect(sorted(urgent)).toEqual({ reported: [], unknown: ['a', 'b'] });
	});
});

describe('isAnotherAccount', () => {
	const baseline = (ids: string[], missing?: string[]): Baseline => ({
		fields: [...CONNECTION_FIELDS],
		numbers: Object.fromEntries(ids.map((id) => [id, ['OPEN', true]])),
		...(missing ? { missing } : {}),
	});

	it('is true when the list has numbers and not one of them is remembered', () => {
		expect(isAnotherAccount(baseline(['wa_a', 'wa_b']), ['wa_x', 'wa_y'])).toBe(true);
	});

	it('is false when any listed number is remembered, a number missing once included', () => {
		expect(isAnotherAccount(baseline(['wa_a', 'wa_b']), ['wa_x', 'wa_b'])).toBe(false);
		expect(isAnotherAccount(baseline(['wa_a', 'wa_b'], ['wa_b']), ['wa_x', 'wa_b'])).toBe(false);
	});

	it('is false for an empty list (a glitch, or every number removed) and for an empty baseline', () => {
		expect(isAnotherAccount(baseline(['wa_a']), [])).toBe(false);
		expect(isAnotherAccount(baseline([]), ['wa_x'])).toBe(false);
	});

	it('does not take inherited names for remembered numbers', () => {
		expect(isAnotherAccount(baseline(['wa_a']), ['constructor', 'toString'])).toBe(true);
	});
});

describe('sameBaseline', () => {
	it('is false without a previous baseline and true for equal content', () => {
		const baseline = baselineOf([seen('a')]);
		expect(sameBaseline(undefined, baseline)).toBe(false);
		expect(sameBaseline(JSON.parse(JSON.stringify(baseline)), baseline)).toBe(true);
		expect(sameBaseline(baseline, baselineOf([seen('a', { state: 'CLOSE' })]))).toBe(false);
	});
});

describe('changeItem', () => {
	it('adds event, changedFields and previous_<field> after the number columns', () => {
		const current = flat('b', { state: 'CLOSE' });
		const item = changeItem(
			{
				event: 'connectionChanged',
				id: 'b',
				current,
				changedFields: ['state'],
				previous: { state: 'OPEN' },
			},
			detailShape,
		);
		expect(item).toEqual({
			...current,
			event: 'connectionChanged',
			changedFields: ['state'],
			previous_state: 'OPEN',
		});
		expect(Object.keys(item).slice(-3)).toEqual(['event', 'changedFields', 'previous_state']);
	});

	it('gives a removed number every column of the shape, empty but its id', () => {
		const item = changeItem(
			{ event: 'numberRemoved', id: 'b', changedFields: ['state'], previous: { state: 'OPEN' } },
			detailShape,
		);
		expect(Object.keys(item)).toEqual([
			...detailShape.columns,
			'event',
			'changedFields',
			'previous_state',
		]);
		expect(item.id).toBe('b');
		for (const column of detailShape.columns.filter((column) => column !== 'id'))
			expect(item[column]).toBeNull();
	});
});

it('watches connection without health and both with it, connection first', () => {
	expect(watchedFields(false)).toEqual(CONNECTION_FIELDS);
	expect(watchedFields(true)).toEqual([...CONNECTION_FIELDS, ...HEALTH_FIELDS]);
});
