import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { numberSearch } from '../../shared/filters';
import { startNodeRun } from '../../shared/nodeRun';
import { listNumbers } from '../../shared/transport';

/** The Number field's "From list" dropdown: the account's numbers, as name and phone number. */
export async function searchNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	startNodeRun(this);
	const numbers = await listNumbers(this);
	const matches = numberSearch(filter ?? '');
	const results = numbers
		.filter((number) => typeof number.id === 'string' && matches(number))
		.map((number) => ({
			name: [number.name, number.number].filter(Boolean).join(' · ') || (number.id as string),
			value: number.id as string,
		}));
	return { results };
}
