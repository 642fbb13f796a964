import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runsAsTool } from '../../shared/audience';
import { asNodeError } from '../../shared/errors';
import { startNodeRun } from '../../shared/nodeRun';
import { runPool } from '../../shared/pool';
import { findOperation } from './operations';
import { readConcurrency } from './parameters';

/**
 * The item an error becomes under Continue On Fail: `{ error: message }`, as n8n's own nodes make
 * it. A model reads that item as the tool's answer, so in a tool it also says what to do: the
 * text n8n gives a model for a thrown error ("<message>\n\nDetails: <description>", n8n-core
 * 2.41.1 get-input-connection-data).
 */
function errorItem(node: INode, error: unknown, itemIndex: number): IDataObject {
	const { message, description } = asNodeError(node, error, itemIndex);
	if (!runsAsTool(node) || !description || message.includes(description)) {
		return { error: (error as Error).message };
	}
	return { error: `${message}\n\nDetails: ${description}` };
}

/**
 * Runs the chosen operation once per input item, as many at once as the run may have requests in
 * flight (Options → Concurrency, fixed or Auto), with the results, pairing and Continue On Fail
 * exactly as if the items had run one after another.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const name = this.getNodeParameter('operation', 0);
	const operation = findOperation(name);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation '${String(name)}' is not supported`,
		);
	}
	const run = startNodeRun(this, { concurrency: readConcurrency(this) });
	const continueOnFail = this.continueOnFail();

	const outcomes = await runPool(
		items.length,
		async (itemIndex) => await operation.execute.call(this, itemIndex),
		{ concurrency: () => run.width, stopAtFailure: !continueOnFail },
	);
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome.ok) {
			const items = this.helpers.constructExecutionMetaData(
				this.helpers.returnJsonArray(outcome.value),
				{ itemData: { item: itemIndex } },
			);
			// One by one: spreading a list of 100,000+ numbers into push() overflows the call stack.
			for (const item of items) output.push(item);
		} else if (continueOnFail) {
			output.push({
				json: errorItem(this.getNode(), outcome.error, itemIndex),
				pairedItem: { item: itemIndex },
			});
		} else {
			throw asNodeError(this.getNode(), outcome.error, itemIndex);
		}
	}
	return [output];
}
