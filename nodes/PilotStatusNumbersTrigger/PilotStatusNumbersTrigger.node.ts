import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { START_CONCURRENCY } from '../shared/concurrencyLimit';
import { startNodeRun } from '../shared/nodeRun';
import type { Baseline, NumberChange } from './changes';
import {
	changeItem,
	compareNumbers,
	isAnotherAccount,
	readBaseline,
	sameBaseline,
	watchedFields,
} from './changes';
import type { HealthSweep } from './fetchNumbers';
import { listTracked, observe, outputShape, sweepHealth } from './fetchNumbers';
import { properties, readSettings } from './parameters';
import { pollLimits } from './pollLimits';

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
		const startedAt = Date.now();
		const settings = readSettings(this);
		// Fetch Test Event: every current number as a sample, and the remembered numbers left alone.
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const limits = pollLimits(this, staticData, startedAt);
		// A fixed 5 at a time, not Auto: the trigger runs unattended against the whole account every
		// few minutes, and its coverage guarantee (README, Trigger guarantees) is stated for it.
		startNodeRun(this, { concurrency: START_CONCURRENCY });
		const scope = { settings: limits.settings };
		let previous = manual ? undefined : readBaseline(staticData.baseline);
		const log = (message: string) =>
			this.logger.info(`PilotStatus Numbers Trigger '${this.getNode().name}': ${message}`, {
				workflowId: this.getWorkflow().id,
			});

		const listed = await listTracked(this, scope);
		if (previous && isAnotherAccount(previous, listed.keys())) {
			log(
				`none of the ${listed.size} numbers listed is among the ${Object.keys(previous.numbers).length} it remembers, so the credential now points at another account: it starts over as on a first poll and reports nothing for the switch.`,
			);
			previous = undefined;
		}
		const rotation = manual ? undefined : previous ? previous.rotation : storedRotation(staticData);
		let sweep: HealthSweep | undefined;
		if (settings.includeHealth) {
			const firstReports = manual || settings.emitOnFirstPoll;
			sweep = await sweepHealth(this, listed, previous, { limits, firstReports, rotation }, scope);
			if (sweep.failure) {
				// The next poll tries the numbers after those tried, so numbers that hang do not fail every poll.
				if (!manual) keepRotation(staticData, previous, sweep.position);
				throw sweep.failure;
			}
			if (!manual && sweep.partial) log(sweep.partial);
		}
		const { changes, next } = compareNumbers(
			previous,
			observe(listed, sweep),
			watchedFields(settings.includeHealth),
		);
		const shape = outputShape(settings.includeHealth);
		const toOutput = (reported: NumberChange[]) =>
			reported.length === 0
				? null
				: [this.helpers.returnJsonArray(reported.map((change) => changeItem(change, shape)))];
		if (manual) return toOutput(changes);

		if (sweep?.position !== undefined) next.rotation = sweep.position;
		// Written only when it differs, so a quiet poll leaves n8n nothing to save.
		if (!sameBaseline(previous, next)) staticData.baseline = next;
		if ('rotation' in staticData) delete staticData.rotation;
		if (previous)
			return toOutput(changes.filter((change) => settings.events.includes(change.event)));
		return toOutput(settings.emitOnFirstPoll ? changes : []);
	}
}

/*
 * Where the health rotation goes on is kept in the baseline; a first poll that failed has none, so
 * it keeps the position in `rotation` beside it until a poll remembers the numbers.
 */

function storedRotation(staticData: IDataObject): string | undefined {
	return typeof staticData.rotation === 'string' ? staticData.rotation : undefined;
}

/** Keeps the ring position of a poll that fails, and nothing else of it. */
function keepRotation(
	staticData: IDataObject,
	previous: Baseline | undefined,
	position: string | undefined,
): void {
	if (position === undefined) return;
	if (!previous) staticData.rotation = position;
	else if (previous.rotation !== position)
		staticData.baseline = { ...previous, rotation: position };
}
