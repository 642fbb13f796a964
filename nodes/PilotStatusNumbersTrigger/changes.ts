import type { IDataObject } from 'n8n-workflow';

import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';

/*
 * Change detection for the trigger, free of n8n and HTTP: each poll's numbers come in as
 * observations (the columns of the main node's output, and whether the health in them was read in
 * this poll), the baseline the trigger remembers between polls comes in and goes out as plain
 * JSON, and the differences come out as events.
 */

export type TriggerEvent =
	| 'connectionChanged'
	| 'healthChanged'
	| 'numberAdded'
	| 'numberRemoved'
	| 'healthCheckFailed'
	| 'healthCheckRecovered';

/** The flattened columns whose change fires each change event. */
export const CONNECTION_FIELDS = ['state', 'isFullyConnected'];
export const HEALTH_FIELDS = [
	'health_qualityRating',
	'health_messagingLimitTier',
	'health_metaStatus',
	'health_sendable',
];

/** Health is only known when the poll fetched each number's detail. Connection always comes first. */
export function watchedFields(includeHealth: boolean): string[] {
	return includeHealth ? [...CONNECTION_FIELDS, ...HEALTH_FIELDS] : [...CONNECTION_FIELDS];
}

type StoredValue = string | number | boolean | null;

/**
 * What the trigger remembers between polls. A type rather than an interface, so it is assignable to
 * n8n's static data as it is. Kept small for thousands of numbers: per number only the watched
 * values, and the few ids and the one position below.
 */
export type Baseline = {
	fields: string[];
	/**
	 * Per number id, the watched values in the order of `fields`. A number whose health has not been
	 * read yet has only its connection values: the values it lacks are not known.
	 */
	numbers: Record<string, StoredValue[]>;
	/** Numbers the last successful poll did not list: reported removed if the next one does not either. */
	missing?: string[];
	/** Numbers whose detail failed, reported as healthCheckFailed; reported recovered once read again. */
	unreadable?: string[];
	/** Where the health rotation goes on (rotation.ts): the last id read in ring order. */
	rotation?: string;
};

/** How a poll read one number's health. */
export type HealthRead = 'read' | 'failed' | 'unread';

/** One number as a poll saw it. */
export interface Observation {
	id: string;
	/** The number's columns: from its detail when its health was read in this poll, else from its list entry. */
	columns: IDataObject;
	/** `read`: the health in `columns` is this poll's. `failed`: its detail could not be read. `unread`: not tried in this poll (Include Health off, or not its turn). */
	health: HealthRead;
}

export interface NumberChange {
	event: TriggerEvent;
	id: string;
	/** The number's columns; the health it was not read for is the remembered one. Absent when removed. */
	current?: IDataObject;
	changedFields: string[];
	/** The value each changed field had in the baseline. */
	previous: Record<string, StoredValue>;
}

/** Unexpected shapes (an object where a string was documented) compare by their JSON text. */
function toStored(value: unknown): StoredValue {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
		return value;
	return JSON.stringify(value);
}

const isStoredValue = (value: unknown) =>
	value === null || ['string', 'number', 'boolean'].includes(typeof value);

const isIdList = (value: unknown): value is string[] =>
	Array.isArray(value) && value.every((id) => typeof id === 'string');

/**
 * The stored baseline, or undefined when there is none yet or it is not one this module wrote.
 * Baselines written before `missing`, `unreadable` and `rotation` existed are read as they are.
 */
export function readBaseline(stored: unknown): Baseline | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const { fields, numbers, missing, unreadable, rotation } = stored as Partial<Baseline>;
	if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string'))
		return undefined;
	if (numbers === null || typeof numbers !== 'object' || Array.isArray(numbers)) return undefined;
	const valid = Object.values(numbers).every(
		(values) =>
			Array.isArray(values) && values.length <= fields.length && values.every(isStoredValue),
	);
	if (!valid) return undefined;
	return {
		fields,
		numbers,
		...(isIdList(missing) && missing.length > 0 ? { missing } : {}),
		...(isIdList(unreadable) && unreadable.length > 0 ? { unreadable } : {}),
		...(typeof rotation === 'string' ? { rotation } : {}),
	};
}

export function sameBaseline(a: Baseline | undefined, b: Baseline): boolean {
	return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The remembered value of `field` for `id`, or undefined when it is not known. */
function remembered(baseline: Baseline, values: StoredValue[], field: string) {
	const index = baseline.fields.indexOf(field);
	return index >= 0 && index < values.length ? values[index] : undefined;
}

/** The fields among `eventFields` whose value differs from a known remembered one, with that value. */
function changedFrom(
	baseline: Baseline,
	before: StoredValue[],
	columns: IDataObject,
	eventFields: string[],
): Record<string, StoredValue> {
	const changed: Record<string, StoredValue> = {};
	for (const field of eventFields) {
		const was = remembered(baseline, before, field);
		if (was !== undefined && toStored(columns[field]) !== was) changed[field] = was;
	}
	return changed;
}

/** The values to remember: connection as observed; health as read, else as remembered; unknown ones left off the end. */
function valuesToKeep(
	observation: Observation,
	fields: string[],
	previous: Baseline | undefined,
	before: StoredValue[] | undefined,
): StoredValue[] {
	const values: StoredValue[] = [];
	for (const field of fields) {
		const fresh = observation.health === 'read' || !HEALTH_FIELDS.includes(field);
		const value = fresh
			? toStored(observation.columns[field])
			: previous && before
				? remembered(previous, before, field)
				: undefined;
		if (value === undefined) break;
		values.push(value);
	}
	return values;
}

/** The columns with the remembered health where this poll did not read it. */
function withRememberedHealth(
	observation: Observation,
	previous: Baseline,
	before: StoredValue[],
): IDataObject {
	if (observation.health === 'read') return observation.columns;
	const columns = { ...observation.columns };
	for (const field of HEALTH_FIELDS) {
		const was = remembered(previous, before, field);
		if (was !== undefined && field in columns) columns[field] = was;
	}
	return columns;
}

const ownValues = (baseline: Baseline, id: string) =>
	Object.prototype.hasOwnProperty.call(baseline.numbers, id) ? baseline.numbers[id] : undefined;

/** The numbers a poll reads early (rotation.ts's healthOrder). */
export interface UrgentNumbers {
	/**
	 * Those it reports whatever their health: added, or their connection in the list changed. Read
	 * taking turns with the others.
	 */
	reported: Set<string>;
	/**
	 * Those whose health is not known yet (new to health, or not read since Include Health was turned
	 * on), read first among the others; not those known to fail: they wait for their turn in the ring.
	 */
	unknown: Set<string>;
}

/**
 * The numbers whose health a poll reads early. With `reportedOnly`, none of the unknown ones.
 * Without a baseline every number is new: reported when the poll reports them (`firstReports`),
 * else unknown, or nothing at all with `reportedOnly`.
 */
export function urgentNumbers(
	previous: Baseline | undefined,
	listed: Array<[string, IDataObject]>,
	{ reportedOnly, firstReports }: { reportedOnly: boolean; firstReports: boolean },
): UrgentNumbers {
	const reported = new Set<string>();
	const unknown = new Set<string>();
	const failing = new Set(previous?.unreadable);
	for (const [id, columns] of listed) {
		const before = previous && ownValues(previous, id);
		if (!previous) {
			if (firstReports) reported.add(id);
			else if (!reportedOnly) unknown.add(id);
		} else if (
			!before ||
			Object.keys(changedFrom(previous, before, columns, CONNECTION_FIELDS)).length > 0
		) {
			reported.add(id);
		} else if (
			!reportedOnly &&
			!failing.has(id) &&
			HEALTH_FIELDS.some((field) => remembered(previous, before, field) === undefined)
		) {
			unknown.add(id);
		}
	}
	return { reported, unknown };
}

/**
 * Whether a list answer is another account's than the one the baseline remembers: the baseline
 * has numbers, the list has numbers, and not one listed id is among the remembered ones (numbers
 * missing once included). An account keeps its ids, so this is the credential pointed at another
 * account (its key or Base URL edited), whose numbers would otherwise be reported all added, then
 * the old ones all removed. Pure.
 */
export function isAnotherAccount(previous: Baseline, listed: Iterable<string>): boolean {
	let any = false;
	for (const id of listed) {
		if (ownValues(previous, id)) return false;
		any = true;
	}
	return any && Object.keys(previous.numbers).length > 0;
}

/**
 * Compares one poll's numbers with the baseline; returns every change (the caller keeps those the
 * user selected) and the baseline to remember next. Without a previous baseline (the first poll, or
 * a test event) every number is `numberAdded` and nothing is marked.
 *
 * - Connection is compared for every number; health only for numbers read in this poll, against
 *   known values (the first reading of a number's health is not a change). Only fields both sides
 *   watch are compared, so turning Include Health on or off reports no change.
 * - A number whose detail failed keeps its remembered health: `healthCheckFailed` once, when it
 *   starts failing; `healthCheckRecovered` once, when it is read again (then `healthChanged` too if
 *   its health changed meanwhile).
 * - A number missing from the list is remembered as missing; `numberRemoved` only when the next poll
 *   does not list it either, so one glitched answer (`[]`) reports nothing.
 *
 * Per number, events come in this order: added, recovered, connection, health, failed; numbers in
 * the poll's order, removed numbers last.
 */
export function compareNumbers(
	previous: Baseline | undefined,
	observed: Observation[],
	fields: string[],
): { changes: NumberChange[]; next: Baseline } {
	const changes: NumberChange[] = [];
	const next: Baseline = { fields: [...fields], numbers: {} };
	const entries: Array<[string, StoredValue[]]> = [];
	const wasUnreadable = new Set(previous?.unreadable);
	const unreadable: string[] = [];
	const seen = new Set<string>();
	const add = (event: TriggerEvent, id: string, current: IDataObject) =>
		changes.push({ event, id, current, changedFields: [], previous: {} });

	for (const observation of observed) {
		const { id, columns, health } = observation;
		seen.add(id);
		const before = previous && ownValues(previous, id);
		entries.push([id, valuesToKeep(observation, fields, previous, before)]);
		if (!previous) {
			add('numberAdded', id, columns);
			continue;
		}
		const failedBefore = wasUnreadable.has(id);
		if (health === 'failed' || (health === 'unread' && failedBefore)) unreadable.push(id);
		if (!before) {
			add('numberAdded', id, columns);
			if (health === 'failed') add('healthCheckFailed', id, columns);
			continue;
		}
		const current = withRememberedHealth(observation, previous, before);
		if (health === 'read' && failedBefore) add('healthCheckRecovered', id, current);
		const compared: Array<[TriggerEvent, string[]]> = [
			['connectionChanged', CONNECTION_FIELDS],
			['healthChanged', health === 'read' ? HEALTH_FIELDS : []],
		];
		for (const [event, eventFields] of compared) {
			const changed = changedFrom(
				previous,
				before,
				columns,
				eventFields.filter((field) => fields.includes(field)),
			);
			const changedFields = Object.keys(changed);
			if (changedFields.length > 0)
				changes.push({ event, id, current, changedFields, previous: changed });
		}
		if (health === 'failed' && !failedBefore) add('healthCheckFailed', id, current);
	}

	const missing: string[] = [];
	const wasMissing = new Set(previous?.missing);
	for (const [id, before] of Object.entries(previous?.numbers ?? {})) {
		if (seen.has(id)) continue;
		if (!wasMissing.has(id)) {
			missing.push(id);
			entries.push([id, before]);
			if (wasUnreadable.has(id)) unreadable.push(id);
			continue;
		}
		const known = previous!.fields.slice(0, before.length);
		changes.push({
			event: 'numberRemoved',
			id,
			changedFields: known,
			previous: Object.fromEntries(known.map((field, index) => [field, before[index]])),
		});
	}

	// fromEntries defines own properties, so an id such as `__proto__` is stored like any other.
	next.numbers = Object.fromEntries(entries);
	if (missing.length > 0) next.missing = missing;
	if (unreadable.length > 0) next.unreadable = unreadable;
	return { changes, next };
}

/**
 * One output item: the number's columns (a removed number has only its id, every other column
 * empty), then `event`, `changedFields` and `previous_<field>` for each changed field.
 */
export function changeItem(change: NumberChange, shape: ColumnShape): IDataObject {
	const columns = change.current ?? flattenWithShape({ id: change.id }, shape);
	const item: IDataObject = {
		...columns,
		event: change.event,
		changedFields: change.changedFields,
	};
	for (const field of change.changedFields) item[`previous_${field}`] = change.previous[field];
	return item;
}
