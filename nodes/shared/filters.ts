import { matchPhone, parsePhoneTerm } from './phone';
import type { PilotStatusNumber } from './types';

/** The List operation's filters. The API takes no query parameters, so they apply to its array. */
export interface NumberFilters {
	provider?: string;
	state?: string;
	connectedOnly?: boolean;
	search?: string;
}

/**
 * The List filter Search, and the Number dropdown's search, as a test for one number: the name
 * contains the text (any case), or the text is a phone number that matches the number's phone
 * (matchPhone in phone.ts: any formatting, with or without the country and area codes, Brazil's
 * ninth digit both ways, or a fragment of the digits), so "+55 84 98888-7777" finds
 * "558488887777". An empty search keeps every number. The text is read once, not once per number.
 */
export function numberSearch(search: string): (number: PilotStatusNumber) => boolean {
	const text = search.trim().toLowerCase();
	if (text === '') return () => true;
	const phone = parsePhoneTerm(text);
	return (number) =>
		(typeof number.name === 'string' && number.name.toLowerCase().includes(text)) ||
		(phone !== undefined && matchPhone(phone, number.number) !== 'none');
}

const sameText = (value: unknown, wanted: string) =>
	typeof value === 'string' && value.toLowerCase() === wanted.trim().toLowerCase();

export function filterNumbers(
	numbers: PilotStatusNumber[],
	filters: NumberFilters,
): PilotStatusNumber[] {
	const matchesSearch = numberSearch(filters.search ?? '');
	return numbers.filter(
		(number) =>
			(!filters.provider || sameText(number.provider, filters.provider)) &&
			(!filters.state?.trim() || sameText(number.state, filters.state)) &&
			(!filters.connectedOnly || number.isFullyConnected === true) &&
			matchesSearch(number),
	);
}
