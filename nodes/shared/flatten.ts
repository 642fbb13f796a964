import type { IDataObject } from 'n8n-workflow';

import { isPlainObject, setField } from './objects';

const SEPARATOR = '_';

function flattenValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(flattenValue);
	if (isPlainObject(value)) return flattenObject(value);
	return value;
}

/** Adds `key` to `target` without overwriting: a clash (`a_b` next to `a.b`) gets a numeric suffix. */
function addColumn(target: IDataObject, key: string, value: unknown) {
	let column = key;
	for (let n = 2; Object.prototype.hasOwnProperty.call(target, column); n++)
		column = `${key}${SEPARATOR}${n}`;
	setField(target, column, value);
}

function hasKeys(value: IDataObject): boolean {
	for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
	return false;
}

function flattenInto(target: IDataObject, source: IDataObject, prefix: string) {
	// for-in rather than Object.entries: this runs for every item, and entries allocates a pair per field.
	for (const key in source) {
		if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
		const value = source[key];
		const column = prefix + key;
		if (!isPlainObject(value)) {
			addColumn(target, column, Array.isArray(value) ? value.map(flattenValue) : value);
		} else if (hasKeys(value)) {
			flattenInto(target, value, column + SEPARATOR);
		} else {
			// An empty object has no leaves; keep its column so the shape stays stable.
			addColumn(target, column, null);
		}
	}
}

/**
 * Joins nested plain-object keys with `_` (`health.qualityRating` → `health_qualityRating`).
 * Arrays stay arrays; plain objects inside them are flattened the same way.
 */
export function flattenObject(source: IDataObject): IDataObject {
	const target: IDataObject = {};
	flattenInto(target, source, '');
	return target;
}

/**
 * The columns a shape always has, in its order, plus the keys of its nested objects: a `null`
 * found at one of those (e.g. `meta: null` for a non-Meta number) stands for "all its columns empty".
 */
export interface ColumnShape {
	columns: string[];
	parents: Set<string>;
}

export function columnShape(example: IDataObject): ColumnShape {
	const parents = new Set<string>();
	const collectParents = (source: IDataObject, prefix: string) => {
		for (const [key, value] of Object.entries(source)) {
			if (isPlainObject(value)) {
				parents.add(prefix + key);
				collectParents(value, prefix + key + SEPARATOR);
			}
		}
	};
	collectParents(example, '');
	return { columns: Object.keys(flattenObject(example)), parents };
}

/** The common case, an answer with every documented field and nothing else: its columns are already the shape's. */
function hasExactly(flat: IDataObject, columns: string[]): boolean {
	let index = 0;
	for (const column in flat)
		if (column !== columns[index++] || flat[column] === undefined) return false;
	return index === columns.length;
}

/**
 * Flattens one number so every column of `shape` is present (null when the API left it out or sent
 * a null parent), followed by any fields the API added, never dropped.
 */
export function flattenWithShape(source: IDataObject, shape: ColumnShape): IDataObject {
	const flat = flattenObject(source);
	if (hasExactly(flat, shape.columns)) return flat;
	const output: IDataObject = {};
	for (const column of shape.columns) output[column] = flat[column] ?? null;
	for (const [column, value] of Object.entries(flat)) {
		if (Object.prototype.hasOwnProperty.call(output, column)) continue;
		if (value === null && shape.parents.has(column)) continue;
		setField(output, column, value);
	}
	return output;
}
