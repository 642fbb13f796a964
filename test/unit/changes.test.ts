import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { Baseline } from '../../nodes/PilotStatusNumbersTrigger/changes';
import {
	CONNECTION_FIELDS,
	HEALTH_FIELDS,
	changeItem,
	createBaseline,
	detectChanges,
	readBaseline,
	sameBaseline,
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

const events = (changes: ReturnType<typeof detectChanges>) =>
	changes.map((c) => `${c.event}:${c.id}`);

describe('createBaseline', () => {
	it('keeps only the watched fields, per id, in field order', () => {
		const baseline = createBaseline([flat('a'), flat('b', { state: 'CLOSE' })], CONNECTION_FIELDS);
		expect(baseline).toEqual({
			fields: ['state', 'isFullyConnected'],
			numbers: { a: ['OPEN', true], b: ['CLOSE', true] },
		});
		expect(JSON.stringify(baseline)).not.toMatch(/Name of|Acme|GREEN/);
	});

	it('stores missing values as null and unexpected objects as their JSON text', () => {
		const baseline = createBaseline([{ id: 'a', state: { code: 1 } }], CONNECTION_FIELDS);
		expect(baseline.numbers.a).toEqual(['{"code":1}', null]);
	});

	it('skips numbers without a usable id and keeps the first of duplicate ids', () => {
		const baseline = createBaseline(
			[
				flat('a'),
				{ state: 'OPEN' },
				flat(''),
				{ ...flat('x'), id: 7 },
				flat('a', { state: 'CLOSE' }),
			],
			CONNECTION_FIELDS,
		);
		expect(baseline.numbers).toEqual({ a: ['OPEN', true] });
	});

	it('stores an id such as __proto__ as an ordinary id that survives JSON', () => {
		const baseline = createBaseline([flat('__proto__'), flat('constructor')], CONNECTION_FIELDS);
		const stored = readBaseline(JSON.parse(JSON.stringify(baseline)));
		expect(Object.keys(stored!.numbers)).toEqual(['__proto__', 'constructor']);
		expect(
			detectChanges(stored!, [flat('__proto__'), flat('constructor')], CONNECTION_FIELDS),
		).toEqual([]);
	});
});

describe('readBaseline', () => {
	it('accepts what createBaseline wrote, after JSON', () => {
		const baseline = createBaseline([flat('a')], ALL);
		expect(readBaseline(JSON.parse(JSON.stringify(baseline)))).toEqual(baseline);
	});

	it.each([
		['nothing', undefined],
		['a string', 'baseline'],
		['no fields', { numbers: {} }],
		['fields not strings', { fields: [1], numbers: {} }],
		['numbers an array', { fields: ['state'], numbers: [] }],
		[
			'a row of the wrong length',
			{ fields: ['state', 'isFullyConnected'], numbers: { a: ['OPEN'] } },
		],
		['a nested value', { fields: ['state'], numbers: { a: [{ deep: true }] } }],
	])('treats %s as no baseline', (_label, stored) => {
		expect(readBaseline(stored)).toBeUndefined();
	});
});

describe('detectChanges', () => {
	const before = createBaseline([flat('a'), flat('b'), flat('c')], ALL);

	it('reports nothing when nothing watched changed, whatever else did', () => {
		expect(
			detectChanges(before, [flat('a', { name: 'Renamed' }), flat('b'), flat('c')], ALL),
		).toEqual([]);
	});

	it('reports a disconnect with the changed fields and their previous values', () => {
		const current = flat('b', { state: 'CLOSE', isFullyConnected: false });
		expect(detectChanges(before, [flat('a'), current, flat('c')], ALL)).toEqual([
			{
				event: 'connectionChanged',
				id: 'b',
				current,
				changedFields: ['state', 'isFullyConnected'],
				previous: { state: 'OPEN', isFullyConnected: true },
			},
		]);
	});

	it('reports connection and health changes of one number as two events, connection first', () => {
		const current = [
			flat('a', { health_qualityRating: 'YELLOW', isFullyConnected: false }),
			flat('b'),
			flat('c'),
		];
		const changes = detectChanges(before, current, ALL);
		expect(events(changes)).toEqual(['connectionChanged:a', 'healthChanged:a']);
		expect(changes[1]).toMatchObject({
			changedFields: ['health_qualityRating'],
			previous: { health_qualityRating: 'GREEN' },
		});
	});

	it('reports added numbers in poll order and removed numbers last, with their last values', () => {
		const changes = detectChanges(before, [flat('new'), flat('a'), flat('c')], ALL);
		expect(events(changes)).toEqual(['numberAdded:new', 'numberRemoved:b']);
		expect(changes[0]).toMatchObject({ changedFields: [], previous: {} });
		expect(changes[1]).toEqual({
			event: 'numberRemoved',
			id: 'b',
			changedFields: ALL,
			previous: Object.fromEntries(ALL.map((field) => [field, flat('b')[field]])),
		});
	});

	it('compares only fields both sides watched, so turning health on or off reports no health change', () => {
		const listOnly = createBaseline([flat('a')], CONNECTION_FIELDS);
		expect(detectChanges(listOnly, [flat('a', { health_qualityRating: 'RED' })], ALL)).toEqual([]);
		const withHealth = createBaseline([flat('a')], ALL);
		const healthGone = { id: 'a', state: 'CLOSE', isFullyConnected: true };
		expect(events(detectChanges(withHealth, [healthGone], CONNECTION_FIELDS))).toEqual([
			'connectionChanged:a',
		]);
	});

	it('against an empty baseline, reports every number as added (first poll and test events)', () => {
		const empty: Baseline = { fields: ALL, numbers: {} };
		expect(events(detectChanges(empty, [flat('a'), flat('b')], ALL))).toEqual([
			'numberAdded:a',
			'numberAdded:b',
		]);
	});

	// Property: the events are exactly what set differences and field comparisons say they are.
	const watchedValues = fc.record({
		state: fc.constantFrom('OPEN', 'CLOSE', 'CONNECTING'),
		isFullyConnected: fc.boolean(),
		health_qualityRating: fc.constantFrom('GREEN', 'YELLOW', 'RED', null),
		health_sendable: fc.boolean(),
	});
	const accountArb = fc.uniqueArray(
		fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), values: watchedValues }),
		{
			selector: (entry) => entry.id,
		},
	);

	it('matches set differences and per-field comparison for any two polls', () => {
		fc.assert(
			fc.property(accountArb, accountArb, (first, second) => {
				const toFlat = (entries: typeof first) => entries.map(({ id, values }) => flat(id, values));
				const changes = detectChanges(createBaseline(toFlat(first), ALL), toFlat(second), ALL);
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
				for (const { id } of first) if (!secondIds.has(id)) expected.push(`numberRemoved:${id}`);
				expect(events(changes)).toEqual(expected);
				// Every previous_ value is the first poll's value of that field.
				for (const change of changes) {
					for (const field of change.changedFields) {
						expect(change.previous[field]).toEqual(
							flat(change.id, firstById.get(change.id))[field],
						);
					}
				}
			}),
		);
	});
});

describe('sameBaseline', () => {
	it('is false without a previous baseline and true for equal content', () => {
		const baseline = createBaseline([flat('a')], ALL);
		expect(sameBaseline(undefined, baseline)).toBe(false);
		expect(sameBaseline(JSON.parse(JSON.stringify(baseline)), baseline)).toBe(true);
		expect(sameBaseline(baseline, createBaseline([flat('a', { state: 'CLOSE' })], ALL))).toBe(
			false,
		);
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

it('watches connection without health and both with it', () => {
	expect(watchedFields(false)).toEqual(CONNECTION_FIELDS);
	expect(watchedFields(true)).toEqual([...CONNECTION_FIELDS, ...HEALTH_FIELDS]);
});
