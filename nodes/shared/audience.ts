import type { INode } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent tool (n8n registers every `usableAsTool` node a second time
 * as `<type>Tool`). A model reads a tool's errors (the MCP reply is "<message>\n\nDetails:
 * <description>", measured in n8n 2.41.1) and calls it with one item, so its messages leave out
 * the item number and point at the tools rather than at expressions. `isToolType` is not in
 * n8n-workflow 1.120 (n8n 1.123), so the type name is read directly.
 */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** A text said two ways: to a person building a workflow, and to a model calling a tool. */
export interface Wording {
	workflow: string;
	tool: string;
}

/** The one place the audience of a message is chosen (see runsAsTool). */
export function worded(node: INode, wording: Wording): string {
	return runsAsTool(node) ? wording.tool : wording.workflow;
}

/** ` (item N)` for a message, or nothing for a tool (one item) or when no item is concerned. */
export function itemNote(node: INode, itemIndex: number | undefined): string {
	return itemIndex === undefined || runsAsTool(node) ? '' : ` (item ${itemIndex})`;
}

/**
 * Whether the model gives the node parameter at `path` (e.g. `numberId`, `limit`,
 * `options.timeout`) when the node runs as a tool: its saved value calls `$fromAI()`, matched as
 * n8n finds those calls (`/\$fromAI\s*\(/i`, n8n-workflow 2.41.1 from-ai-parse-utils). Otherwise
 * the value is fixed in the workflow, and a model that calls again cannot change it.
 */
export function modelGives(node: INode, path: string): boolean {
	let value: unknown = node.parameters;
	for (const key of path.split('.')) {
		value =
			value !== null && typeof value === 'object'
				? (value as Record<string, unknown>)[key]
				: undefined;
	}
	return /\$fromAI\s*\(/i.test(JSON.stringify(value) ?? '');
}

/**
 * What a model is told about a failure only the user can fix in n8n: `what` says why it is not
 * the model's to fix, `fix` what the user does there, e.g. `set Limit to …`.
 */
export const userFixesHint = (what: string, fix: string): string =>
	`${what}: calling again will fail the same way. Tell the user to open the tool in n8n and ${fix}.`;

/** What a model is told when a setting fixed in the workflow is wrong (see userFixesHint). */
export const fixedSettingHint = (label: string, fix: string): string =>
	userFixesHint(`${label} is set in this tool's settings in n8n, not by you`, fix);
