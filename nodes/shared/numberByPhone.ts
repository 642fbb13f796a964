import type { PhoneTerm } from './phone';
import { matchesExactly, matchPhone, MIN_LINE_DIGITS } from './phone';
import type { PilotStatusNumber } from './types';

/** The listed numbers a typed phone number may mean (see matchPhone), in list order. */
export interface PhoneCandidates {
	/** The same WhatsApp number: exactly one is the answer, more are ambiguous. */
	same: PilotStatusNumber[];
	/** Numbers whose phone contains the typed digits, to suggest when none is the same. */
	partial: PilotStatusNumber[];
}

/**
 * Sorts the account's numbers by how they match a typed phone number. Of several that are the
 * same, the only one typed digit for digit is the answer (matchesExactly).
 */
export function findByPhone(numbers: PilotStatusNumber[], term: PhoneTerm): PhoneCandidates {
	const candidates: PhoneCandidates = { same: [], partial: [] };
	for (const number of numbers) {
		const match = matchPhone(term, number.number);
		if (match !== 'none') candidates[match].push(number);
	}
	const exact = candidates.same.filter((number) => matchesExactly(term, number.number));
	return exact.length === 1 ? { ...candidates, same: exact } : candidates;
}

/** Whether a parsed phone number has enough digits to be one line rather than a fragment. */
export const isWholeLine = (term: PhoneTerm): boolean => term.digits.length >= MIN_LINE_DIGITS;

/** How messages show a few numbers: `Acme Sales 5511988887777 (wa_sales), …, and 3 more`. */
export function describeNumbers(numbers: PilotStatusNumber[], max = 10): string {
	const shown = numbers.slice(0, max).map((number) => {
		const label = [number.name, number.number]
			.filter((part) => typeof part === 'string' && part !== '')
			.join(' ');
		return `${label || '(no name)'} (id ${typeof number.id === 'string' ? number.id : '?'})`;
	});
	const rest = numbers.length - shown.length;
	return rest > 0 ? `${shown.join(', ')}, and ${rest} more` : shown.join(', ');
}
