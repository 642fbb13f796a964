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
