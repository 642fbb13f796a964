import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { runsAsTool } from '../../shared/audience';
import { detailProblem, getDetails, throwIfNoneRead } from '../../shared/details';
import { filterNumbers } from '../../shared/filters';
import type { NodeRun } from '../../shared/nodeRun';
import { nodeRun } from '../../shared/nodeRun';
import { checkNumberId } from '../../shared/numberId';
import type { WholeNumberSetting } from '../../shared/settings';
import { numberField } from '../../shared/settings';
import type { RequestScope } from '../../shared/transport';
import { listNumbers } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';
import { simplifyProperties } from '../descriptions/simplify';
import { defineOperation } from './operation';
import {
	formatNumbers,
	readBoolean,
	readFilters,
	readRequestSettings,
	readWholeNumber,
} from './parameters';

/** List's Limit: 1 or more; a huge limit simply returns every number. */
const LIMIT: WholeNumberSetting = {
	path: 'limit',
	label: 'Limit',
	default: 50,
	min: 1,
	max: Number.MAX_SAFE_INTEGER,
	unit: 'numbers',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		...numberField(LIMIT),
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'PilotStatus always returns every number; these filters are applied to that list inside n8n, before the limit',
		options: [
			{
				displayName: 'Connected Only',
				name: 'connectedOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep only numbers that are fully connected (isFullyConnected is true)',
			},
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				options: [
					{ name: 'Meta Cloud API', value: 'META' },
					{ name: 'PilotStatus (QR)', value: 'PILOT_STATUS' },
				],
				default: 'META',
				description: 'Keep only numbers of this provider',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme or +55 11 9999',
				description:
					'Keep only numbers whose name or phone number contains this text (case-insensitive; phone numbers compare by digits)',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'string',
				default: '',
				placeholder: 'e.g. OPEN',
				description: 'Keep only numbers in this connection state (case-insensitive), e.g. OPEN',
			},
		],
	},
	...simplifyProperties,
];

/** Every number of the account (`GET /v1/numbers`), filtered inside n8n, up to Limit. */
export const list = defineOperation({
	option: {
		name: 'List',
		value: 'list',
		description: 'List every WhatsApp number of the account',
		action: 'List numbers',
	},
	toolDescription:
		'List the WhatsApp numbers of the PilotStatus account. Each entry has id (e.g. wa_abc, what the other PilotStatus tools take), name, number (the phone number: digits with country code), provider (META: Meta Cloud API; PILOT_STATUS: linked by QR code), state (e.g. OPEN) and isFullyConnected (true when connected and ready). It shows the connection PilotStatus last saw, not health: get one number for its health. Takes no input. Returns at most the Limit set in the workflow (50 unless changed); when the list stops there, its last entry has numbersNotListed, how many numbers were left out.',
	properties,
	async execute(itemIndex) {
		const returnAll = readBoolean(this, itemIndex, { path: 'returnAll', label: 'Return All' });
		const filters = readFilters(this, itemIndex);
		const limit = returnAll ? undefined : readWholeNumber(this, itemIndex, LIMIT);
		const scope: RequestScope = { itemIndex, settings: readRequestSettings(this, itemIndex) };
		const numbers = filterNumbers(await listNumbers(this, scope), filters);
		const selected = limit === undefined ? numbers : numbers.slice(0, limit);
		const includeDetails = readBoolean(this, itemIndex, {
			path: 'options.includeDetails',
			label: 'Include Details',
		});
		const output = includeDetails
			? formatNumbers(this, itemIndex, await withDetails(this, selected, scope), 'listedDetail')
			: formatNumbers(this, itemIndex, selected, 'list');
		return signalCut(this, output, { limit, notListed: numbers.length - selected.length });
	},
});

/** Runs that already showed the Limit hint. */
const hinted = new WeakSet<NodeRun>();

/**
 * Says that Limit cut the list, where its reader looks: a model gets the count on the last entry
 * (`numbersNotListed`, which its tool description announces; an extra item would read as one more
 * number), a person a hint above the node's output in the editor, once per run, and the items of
 * a workflow stay as they were.
 */
function signalCut(
	ctx: IExecuteFunctions,
	output: IDataObject[],
	{ limit, notListed }: { limit?: number; notListed: number },
): IDataObject[] {
	if (notListed === 0 || output.length === 0) return output;
	const node = ctx.getNode();
	if (runsAsTool(node)) {
		output[output.length - 1] = { ...output[output.length - 1], numbersNotListed: notListed };
		return output;
	}
	const run = nodeRun(ctx);
	if (!hinted.has(run)) {
		hinted.add(run);
		ctx.addExecutionHints({
			message: `Limit (${limit}) cut the list: ${notListed} more ${notListed === 1 ? 'number matches' : 'numbers match'}. Turn on Return All, or raise Limit, to get them.`,
			location: 'outputPane',
		});
	}
	return output;
}

/**
 * Each listed number's detail, in list order. A number whose detail cannot be read (or that has no
 * id to ask with) stays as listed, with `detailError` saying why and naming it, and the others go
 * on; only when no detail at all could be read does the item fail (throwIfNoneRead).
 */
async function withDetails(
	ctx: IExecuteFunctions,
	numbers: PilotStatusNumber[],
	scope: RequestScope,
): Promise<PilotStatusNumber[]> {
	const ids = numbers.map((number) => checkNumberId(number.id));
	const fetchable = ids.flatMap((checked) => ('id' in checked ? [checked.id] : []));
	const outcomes = await getDetails(ctx, fetchable, scope);
	throwIfNoneRead(
		ctx,
		fetchable.map((id, index) => ({ id, outcome: outcomes[index] })),
	);
	let next = 0;
	return numbers.map((number, index) => {
		const checked = ids[index];
		if ('problem' in checked)
			return {
				...number,
				detailError: `PilotStatus listed this number without a usable id, so its detail was not read (${checked.problem})`,
			};
		const outcome = outcomes[next++];
		return outcome.ok
			? outcome.value
			: { ...number, detailError: detailProblem(checked.id, outcome.error) };
	});
}
