import type { IDataObject } from 'n8n-workflow';

/** A JSON object as parsed from an answer: not an array, not a class instance, not null. */
export function isPlainObject(value: unknown): value is IDataObject {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * Sets a field as plain data. JSON can carry a field named `__proto__`; assigning it would change
 * the object's prototype and lose the value. Only that name needs defineProperty, which costs about
 * three times an assignment on every field of every item.
 */
export function setField(target: IDataObject, key: string, value: unknown) {
	if (key === '__proto__') {
		Object.defineProperty(target, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	} else {
		target[key] = value as IDataObject[string];
	}
}
