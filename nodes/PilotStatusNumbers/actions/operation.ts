import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

/** One operation of the node: its entry in the Operation dropdown, its parameters and its run. */
export interface NumberOperation<Name extends string = string> {
	/** The dropdown entry; `value` is the operation's key in the registry (operations.ts). */
	option: INodePropertyOptions & { value: Name; action: string };
	/** The parameters of this operation, shown only when it is picked. */
	properties: INodeProperties[];
	/** Runs the operation for one input item; returns that item's output items' JSON. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

/** An operation whose parameters show only when its own value is picked. */
export function defineOperation<Name extends string>(
	operation: NumberOperation<Name>,
): NumberOperation<Name> {
	const show = { show: { resource: ['number'], operation: [operation.option.value] } };
	return { ...operation, properties: updateDisplayOptions(show, operation.properties) };
}
