import { checkStatus } from './checkStatus.operation';
import type { NumberOperation } from './operation';
import { get } from './get.operation';
import { list } from './list.operation';

/** Each key must be its operation's value: a mismatch or a missing field is a compile error. */
type Registry<T> = { [Name in keyof T]: NumberOperation<Name & string> };
export const registry = <T extends Registry<T>>(entries: T): T => entries;

/**
 * Every operation of the node, the one list the Operation dropdown, the subtitle and the router
 * are derived from. Adding an operation: one new `<name>.operation.ts` and one entry here.
 */
export const operations = registry({ checkStatus, get, list });

export type OperationName = keyof typeof operations;

/** The operation a saved parameter value names, or undefined for a value no operation has. */
export function findOperation(value: unknown): NumberOperation | undefined {
	return typeof value === 'string' && Object.hasOwn(operations, value)
		? operations[value as OperationName]
		: undefined;
}

/** The dropdown's entries, in alphabetical order as n8n's node guidelines ask. */
export const operationOptions = Object.values(operations)
	.map((operation) => operation.option)
	.sort((a, b) => a.name.localeCompare(b.name));
