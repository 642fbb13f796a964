import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { startNodeRun } from '../shared/nodeRun';
import type { Baseline, NumberChange } from './changes';
import {
	changeItem,
	createBaseline,
	detectChanges,
	readBaseline,
	sameBaseline,
	watchedFields,
} from './changes';
import { fetchNumbers, outputShape } from './fetchNumbers';
import { properties, readSettings } from './parameters';

export class PilotStatusNumbersTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PilotStatus Numbers Trigger',
		name: 'pilotStatusNumbersTrigger',
		icon: {
			light: 'file:../../icons/pilotStatus.svg',
			dark: 'file:../../icons/pilotStatus.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["includeHealth"] ? "Connection and health" : "Connection only" }}',
		description:
			'Starts the workflow when a PilotStatus number disconnects, reconnects, appears, disappears or its health changes',
		defaults: { name: 'PilotStatus Numbers Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pilotStatusApi', required: true }],
		properties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		startNodeRun(this);
		const settings = readSettings(this);
		const numbers = await fetchNumbers(this, settings.includeHealth);
		const fields = watchedFields(settings.includeHealth);
		const shape = outputShape(settings.includeHealth);
		const nothingKnown: Baseline = { fields, numbers: {} };
		const toOutput = (changes: NumberChange[]) =>
			changes.length === 0
				? null
				: [this.helpers.returnJsonArray(changes.map((change) => changeItem(change, shape)))];

		// Fetch Test Event: every current number as a sample, and the remembered numbers left alone.
		if (this.getMode() === 'manual') return toOutput(detectChanges(nothingKnown, numbers, fields));

		const staticData = this.getWorkflowStaticData('node');
		const previous = readBaseline(staticData.baseline);
		const changes = previous
			? detectChanges(previous, numbers, fields).filter((change) =>
					settings.events.includes(change.event),
				)
			: settings.emitOnFirstPoll
				? detectChanges(nothingKnown, numbers, fields)
				: [];
		const next = createBaseline(numbers, fields);
		// Written only when it differs, so a quiet poll leaves n8n nothing to save.
		if (!sameBaseline(previous, next)) staticData.baseline = next;
		return toOutput(changes);
	}
}
