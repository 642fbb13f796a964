import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

/** One operation of the node: its entry in the Operation dropdown, its parameters and its run. */
export interface NumberOperation<Name extends string = string> {
	/**
	 * The dropdown entry; `value` is the operation's key in the registry (operations.ts). `action`
	 * also names the node in the editor, and so the AI tool: `<action> in PilotStatus Numbers`.
	 */
	option: INodePropertyOptions & { value: Name; action: string };
	/**
	 * What an AI model reads about the operation as a tool: what it returns, when to use it, and
	 * what identifies a number. Plain text (n8n 1.123 does not resolve expressions here).
	 */
	toolDescription: string;
	/** The parameters of this operation, shown only when it is picked. */
	properties: INodeProperties[];
	/** Runs the operation for one input item; returns that item's output items' JSON. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

/**
 * The Description field of the operation as an AI tool. n8n adds its own generic one only to nodes
 * without a `toolDescription` parameter (convertNodeToAiTool, n8n 2.41.1), and a tool's
 * description is this parameter's value (NodeHelpers.getToolDescriptionForNode).
 */
function toolDescriptionField(text: string): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		default: text,
		description:
			'What the AI model reads about this tool: what it returns and when to use it. The default describes the operation.',
		displayOptions: { show: { '@tool': [true] } },
	};
}

/** An operation whose parameters show only when its own value is picked. */
export function defineOperation<Name extends string>(
	operation: NumberOperation<Name>,
): NumberOperation<Name> {
	const show = { show: { resource: ['number'], operation: [operation.option.value] } };
	const properties = [toolDescriptionField(operation.toolDescription), ...operation.properties];
	return { ...operation, properties: updateDisplayOptions(show, properties) };
}
