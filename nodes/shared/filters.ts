import { matchPhone, parsePhoneTerm } from './phone';
import type { PilotStatusNumber } from './types';

/** The List operation's filters. The API takes no query parameters, so they apply to its array. */
export interface NumberFilters {
	provider?: string;
	state?: string;
	connectedOnly?: boolean;
	search?: string;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');
/** Text that version 0.1.0 searched as digits: nothing but digits, spaces, `+`, `(`, `)`, `.`, `-`. */
const looksLikePhone = (text: string) => /^[\d\s+().-]+$/.test(text);
/** A stored phone number as text, for a substring search (the API gives text; digits also count). */
const phoneText = (stored: unknown) =>
	typeof stored === 'string'
		? stored.toLowerCase()
		: typeof stored === 'number'
			? String(stored)
			: '';

/**
 * The List filter Search, and the Number dropdown's search, as a test for one number. It finds
 * what version 0.1.0 found: the name or the stored phone number contains the text (any case), or
 * the text is made of digits and phone punctuation and its digits appear in the phone's digits
 * (`0001`, `+1 2`). It also finds phone numbers however written (matchPhone in phone.ts: with or
 * without the country and area codes, Brazil's ninth digit both ways, a trunk 0 or a carrier
 * code), so "+55 84 98888-7777" finds "558488887777". An empty search keeps every number. The
 * text is read once, not once per number.
 */
export function numberSearch(search: string): (number: PilotStatusNumber) => boolean {
	const text = search.trim().toLowerCase();
	if (text === '') return () => true;
	const phone = parsePhoneTerm(text);
	const digits = looksLikePhone(text) ? digitsOf(text) : '';
	return (number) => {
		const stored = phoneText(number.number);
		return (
			(typeof number.name === 'string' && number.name.toLowerCase().includes(text)) ||
			stored.includes(text) ||
			(digits !== '' && digitsOf(stored).includes(digits)) ||
			(phone !== undefined && matchPhone(phone, number.number) !== 'none')
		);
	};
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
