import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { runPool } from '../../shared/pool';
import { startNodeRun } from '../../shared/transport';
import * as checkStatus from './checkStatus.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import { readConcurrency } from './parameters';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const operations: Record<string, OperationExecute> = {
	checkStatus: checkStatus.execute,
	get: get.execute,
	list: list.execute,
};

/**
 * Runs the chosen operation once per input item, up to Options → Concurrency items at once, with
 * the results, pairing and Continue On Fail exactly as if the items had run one after another.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation '${operation}' is not supported`);
	}
	const concurrency = readConcurrency(this);
	startNodeRun(this, concurrency);
	const continueOnFail = this.continueOnFail();

	const outcomes = await runPool(
		items.length,
		async (itemIndex) => await execute.call(this, itemIndex),
		{
			concurrency,
			stopAtFailure: !continueOnFail,
		},
	);
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome.ok) {
			output.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(outcome.value), {
					itemData: { item: itemIndex },
				}),
			);
		} else if (continueOnFail) {
			output.push({
				json: { error: (outcome.error as Error).message },
				pairedItem: { item: itemIndex },
			});
		} else {
			throw asNodeError(this.getNode(), outcome.error, itemIndex);
		}
	}
	return [output];
}
