import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { numberSearch } from '../../shared/filters';
import { startNodeRun } from '../../shared/nodeRun';
import { listNumbers } from '../../shared/transport';

/**
 * The Number field's "From list" dropdown: the account's numbers, as name and phone number. What
 * the user types finds a number by its name or phone (numberSearch, as the List filter Search),
 * or by its id, which the entries do not show but a user may have from elsewhere (`wa_abc`).
 */
export async function searchNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	startNodeRun(this);
	const numbers = await listNumbers(this);
	const matches = numberSearch(filter ?? '');
	const text = (filter ?? '').trim().toLowerCase();
	const results = numbers
		.filter(
			(number) =>
				typeof number.id === 'string' &&
				(matches(number) || number.id.toLowerCase().includes(text)),
		)
		.map((number) => ({
			name: [number.name, number.number].filter(Boolean).join(' · ') || (number.id as string),
			value: number.id as string,
		}));
	return { results };
}
