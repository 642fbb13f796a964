import type { INodeProperties } from 'n8n-workflow';

const description =
	"Whether to return only the essential columns: the number's ID, name, phone number, provider, state and connection, its health and, for Meta numbers, the verified name, display phone number and business account. Applies to the Flattened output.";

const since = (version: number) => [{ _cnd: { gte: version } }];

/**
 * Simplify, with the default that keeps every saved workflow's output as it was: off for version 1
 * nodes (saved before it existed) and for workflows; on for AI tools from version 1.1, since a
 * model reads every character of the output. Three fields with one name, told apart by the node's
 * version and whether it runs as a tool (`@version`, `@tool`: n8n 1.123 and 2.x read both, in the
 * editor and at run time).
 */
export const simplifyProperties: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description,
		displayOptions: { show: { '@version': [{ _cnd: { lt: 1.1 } }] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description,
		displayOptions: { show: { '@version': since(1.1), '@tool': [false] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description,
		displayOptions: { show: { '@version': since(1.1), '@tool': [true] } },
	},
];
