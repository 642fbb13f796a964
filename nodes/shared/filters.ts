import type { PilotStatusNumber } from './types';

/** The List operation's filters. The API takes no query parameters, so they apply to its array. */
export interface NumberFilters {
	provider?: string;
	state?: string;
	connectedOnly?: boolean;
	search?: string;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');
const looksLikePhone = (text: string) => /^[\d\s+().-]+$/.test(text);

/**
 * Case-insensitive match on the name or the phone number. Phone numbers are compared by their
 * digits, so "+55 11 99999-9999" finds "5511999999999".
 */
export function matchesSearch(number: PilotStatusNumber, search: string): boolean {
	const term = search.trim().toLowerCase();
	if (term === '') return true;
	const name = typeof number.name === 'string' ? number.name.toLowerCase() : '';
	if (name.includes(term)) return true;
	const phone = typeof number.number === 'string' ? number.number : '';
	if (phone.toLowerCase().includes(term)) return true;
	const termDigits = digitsOf(term);
	return looksLikePhone(term) && termDigits !== '' && digitsOf(phone).includes(termDigits);
}

const sameText = (value: unknown, wanted: string) =>
	typeof value === 'string' && value.toLowerCase() === wanted.trim().toLowerCase();

export function filterNumbers(
	numbers: PilotStatusNumber[],
	filters: NumberFilters,
): PilotStatusNumber[] {
	return numbers.filter(
		(number) =>
			(!filters.provider || sameText(number.provider, filters.provider)) &&
			(!filters.state?.trim() || sameText(number.state, filters.state)) &&
			(!filters.connectedOnly || number.isFullyConnected === true) &&
			(!filters.search || matchesSearch(number, filters.search)),
	);
}
