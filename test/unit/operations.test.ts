import type { INodeProperties } from 'n8n-workflow';

import { checkStatus } from '../../nodes/PilotStatusNumbers/actions/checkStatus.operation';
import { get } from '../../nodes/PilotStatusNumbers/actions/get.operation';
import {
	findOperation,
	operationOptions,
	operations,
	registry,
} from '../../nodes/PilotStatusNumbers/actions/operations';
import { PilotStatusNumbers } from '../../nodes/PilotStatusNumbers/PilotStatusNumbers.node';

const { properties } = new PilotStatusNumbers().description;
const parameter = (name: string) => properties.find((property) => property.name === name)!;

describe('the operation registry', () => {
	it('is checked by the compiler: an entry under another key than its value does not compile', () => {
		// @ts-expect-error: the key 'get' holds the operation whose value is 'checkStatus'.
		registry({ get: checkStatus });
		expect(registry({ get }).get).toBe(get);
	});

	it("is the node's one list of operations: the Operation options, alphabetical", () => {
		expect(parameter('operation').options).toBe(operationOptions);
		const names = operationOptions.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(new Set(operationOptions.map((option) => option.value))).toEqual(
			new Set(Object.keys(operations)),
		);
	});

	it("shows each operation's parameters only for that operation", () => {
		for (const [name, operation] of Object.entries(operations)) {
			for (const property of operation.properties as INodeProperties[]) {
				expect(properties).toContain(property);
				expect(property.displayOptions?.show).toMatchObject({
					resource: ['number'],
					operation: [name],
				});
			}
		}
	});

	it('finds an operation by its saved value, and nothing for any other value', () => {
		expect(findOperation('get')).toBe(get);
		for (const value of ['constructor', '__proto__', 'toString', 'x', '', undefined, 1]) {
			expect(findOperation(value)).toBeUndefined();
		}
	});
});
