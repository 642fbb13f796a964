import type { IDataObject } from 'n8n-workflow';

import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';

/*
 * Change detection for the trigger, free of n8n and HTTP: numbers come in flattened (the columns of
 * the main node's output), the baseline the trigger remembers between polls comes in and goes out
 * as plain JSON, and the differences come out as events.
 */

export type TriggerEvent = 'connectionChanged' | 'healthChanged' | 'numberAdded' | 'numberRemoved';

/** The flattened columns whose change fires each change event. */
export const CONNECTION_FIELDS = ['state', 'isFullyConnected'];
export const HEALTH_FIELDS = [
	'health_qualityRating',
	'health_messagingLimitTier',
	'health_metaStatus',
	'health_sendable',
];

/** Health is only known when the poll fetched each number's detail. */
export function watchedFields(includeHealth: boolean): string[] {
	return includeHealth ? [...CONNECTION_FIELDS, ...HEALTH_FIELDS] : [...CONNECTION_FIELDS];
}

type StoredValue = string | number | boolean | null;

/**
 * What the trigger remembers between polls: per number id, only the watched fields' values, in the
 * order of `fields`. Nothing else of a number is kept, so thousands of numbers stay small. A type
 * rather than an interface, so it is assignable to n8n's static data as it is.
 */
export type Baseline = {
	fields: string[];
	numbers: Record<string, StoredValue[]>;
};

export interface NumberChange {
	event: TriggerEvent;
	id: string;
	/** The number as the poll saw it, flattened; absent for a removed number. */
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

/** Numbers that can be tracked: a non-empty string id, the first occurrence of each id. */
function byId(numbers: IDataObject[]): Map<string, IDataObject> {
	const tracked = new Map<string, IDataObject>();
	for (const number of numbers) {
		const { id } = number;
		if (typeof id === 'string' && id !== '' && !tracked.has(id)) tracked.set(id, number);
	}
	return tracked;
}

export function createBaseline(numbers: IDataObject[], fields: string[]): Baseline {
	const entries = [...byId(numbers)].map(([id, number]): [string, StoredValue[]] => [
		id,
		fields.map((field) => toStored(number[field])),
	]);
	// fromEntries defines own properties, so an id such as `__proto__` is stored like any other.
	return { fields: [...fields], numbers: Object.fromEntries(entries) };
}

const isStoredValue = (value: unknown) =>
	value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** The stored baseline, or undefined when there is none yet or it is not one this module wrote. */
export function readBaseline(stored: unknown): Baseline | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const { fields, numbers } = stored as Partial<Baseline>;
	if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string'))
		return undefined;
	if (numbers === null || typeof numbers !== 'object' || Array.isArray(numbers)) return undefined;
	const valid = Object.values(numbers).every(
		(values) =>
			Array.isArray(values) && values.length === fields.length && values.every(isStoredValue),
	);
	return valid ? { fields, numbers } : undefined;
}

export function sameBaseline(a: Baseline | undefined, b: Baseline): boolean {
	return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

const EVENT_FIELDS: Array<[TriggerEvent, string[]]> = [
	['connectionChanged', CONNECTION_FIELDS],
	['healthChanged', HEALTH_FIELDS],
];

/**
 * Compares the numbers a poll saw with the baseline. Only fields present in both are compared, so
 * turning health on (or off) between polls reports no change for fields that were not watched.
 * Events come in the poll's number order (connection before health), removed numbers last.
 */
export function detectChanges(
	previous: Baseline,
	numbers: IDataObject[],
	fields: string[],
): NumberChange[] {
	const changes: NumberChange[] = [];
	const current = byId(numbers);
	const previousIds = new Map(Object.entries(previous.numbers));
	const comparable = new Set(fields.filter((field) => previous.fields.includes(field)));

	for (const [id, number] of current) {
		const before = previousIds.get(id);
		if (!before) {
			changes.push({ event: 'numberAdded', id, current: number, changedFields: [], previous: {} });
			continue;
		}
		for (const [event, eventFields] of EVENT_FIELDS) {
			const changed: Record<string, StoredValue> = {};
			for (const field of eventFields) {
				if (!comparable.has(field)) continue;
				const was = before[previous.fields.indexOf(field)];
				if (toStored(number[field]) !== was) changed[field] = was;
			}
			const changedFields = Object.keys(changed);
			if (changedFields.length > 0)
				changes.push({ event, id, current: number, changedFields, previous: changed });
		}
	}

	for (const [id, before] of previousIds) {
		if (current.has(id)) continue;
		const last = Object.fromEntries(previous.fields.map((field, index) => [field, before[index]]));
		changes.push({
			event: 'numberRemoved',
			id,
			changedFields: [...previous.fields],
			previous: last,
		});
	}
	return changes;
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
