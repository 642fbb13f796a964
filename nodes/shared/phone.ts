/**
 * Phone numbers as people and WhatsApp write them, and whether a typed one is a stored WhatsApp
 * number. One piece for every place a person or a model types a phone: the List filter Search, the
 * Number dropdown's search and the Number field's phone mode. Parse the typed text once
 * (`parsePhoneTerm`), then compare it with each stored number (`matchPhone`): a search keeps every
 * number that is not `'none'`; resolving a phone to one number takes the single `'same'` one.
 */

/** A typed phone number, without its formatting. */
export interface PhoneTerm {
	/** Its digits, without the international prefix (`+` or `00`) or a national trunk `0`. */
	digits: string;
	/** Written with `+` or `00`: the digits start with the country code. */
	international: boolean;
	/**
	 * Other digits the same text may mean, compared like `digits` (see parsePhoneTerm): with the
	 * `0` in parentheses after the country code kept, or with a Brazilian carrier code kept.
	 */
	alsoDigits?: string[];
}

/**
 * How a typed phone number relates to one stored number: `'same'` is the same WhatsApp number (the
 * typed one may leave out the country code, and the area code, or differ in Brazil's ninth digit);
 * `'partial'` contains the typed digits (a fragment while searching); `'none'` is neither.
 */
export type PhoneMatch = 'same' | 'partial' | 'none';

/**
 * The fewest digits that still identify a line: Brazilian fixed lines have 8 digits after the area
 * code and mobiles 9 (Anatel's numbering plan); fewer typed digits are only a fragment.
 */
export const MIN_LINE_DIGITS = 8;

// Invisible marks that copying a number from WhatsApp or a web page carries along (bidi embedding
// and isolates, zero-width spaces, the byte order mark).
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
// What people put between digits: spaces (also non-breaking), dots, parentheses and dashes,
// including the non-breaking hyphen and en dash that phone apps use when formatting.
const SEPARATORS = /[\s().\-\u2010-\u2015\u2212]/g;
// Brazil's "0xx" before an area code, as in (0xx84): the trunk 0, then "xx" standing for the
// long-distance carrier code the caller picks (Anatel's carrier selection, Resolução 86/1998).
const TRUNK_AND_ANY_CARRIER = /0\s?xx\s?/gi;
// A 0 opening a parenthesised group, as in +44 (0)20 or +55 (011): the national trunk prefix,
// written inside the international form, which is dialled without it.
const TRUNK_IN_PARENTHESES = /\(\s*0/;
// A Brazilian long-distance call with a carrier code, once the trunk 0 is gone: the carrier's two
// digits, the area code (two digits 1-9), then the 8 or 9 digits of the line: 0 21 84 98888-7777.
const BRAZIL_CARRIER_CALL = /^\d{2}([1-9]{2}\d{8,9})$/;

/** The digits after the international prefix (`+` or `00`) of a compact phone number, if any. */
function afterPrefix(compact: string): string | undefined {
	if (compact.startsWith('+')) return compact.slice(1);
	return compact.startsWith('00') ? compact.slice(2) : undefined;
}

/**
 * The digits of the phone-number part of a text and whether it is written internationally; for a
 * trunk 0 in parentheses after the country code, both readings (without it first).
 */
function readDigits(phone: string): { readings: string[]; international: boolean } | undefined {
	const compact = phone.replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact)) return undefined;
	const international = afterPrefix(compact);
	if (international === undefined) return { readings: [compact], international: false };
	if (international === '') return undefined;
	const withoutTrunk = afterPrefix(
		phone.replace(TRUNK_IN_PARENTHESES, '(').replace(SEPARATORS, ''),
	);
	const readings =
		withoutTrunk && withoutTrunk !== international
			? [withoutTrunk, international]
			: [international];
	return { readings, international: true };
}

// A run of phone characters: an optional `+`, then digits with separators between them. A dash
// with spaces on both sides ends a run: it sets a label apart (`WhatsApp 1 - (11) 98888-7777`),
// while a dash inside a phone number has no spaces around it.
const PHONE_RUN = /\+?\d(?:(?!\s[-\u2010-\u2015\u2212]\s)[\d\s().\-\u2010-\u2015\u2212])*(?<=\d)/g;
// An extension after a phone number (`… ext. 2`, `… ramal 2`): the digits mean another line.
const EXTENSION = /^\W*(?:ext|extension|ramal|x)\b/i;

/**
 * The run of phone characters in a text that is its phone number (the one with the most digits,
 * the first of equals), with the text before and after it; undefined without a digit.
 */
function phoneRun(text: string): { run: string; before: string; after: string } | undefined {
	let best: RegExpExecArray | undefined;
	const digitsOf = (match: RegExpExecArray) => match[0].replace(/\D/g, '').length;
	for (const match of text.matchAll(PHONE_RUN)) {
		if (!best || digitsOf(match) > digitsOf(best)) best = match;
	}
	if (!best) return undefined;
	const end = best.index + best[0].length;
	return { run: best[0], before: text.slice(0, best.index), after: text.slice(end) };
}

/**
 * Reads a phone number as people and models write it: `+55 11 98888-7777`, `(11) 98888-7777`,
 * `5511988887777`, `0055 11 …`, `011 98888-7777`, `(0xx84) 98888-7777`, `0 21 84 98888-7777`
 * (a Brazilian carrier code), `+44 (0)20 7946 0958`, `+1 202-555-0100`, or a fragment such as
 * `98888`. A leading `+` or `00` marks the international form, where a `0` opening parentheses
 * after the country code is the trunk prefix, read without it first (Italy keeps its 0, so the
 * other reading stays). Otherwise a leading `0` before at least MIN_LINE_DIGITS more digits is a
 * trunk prefix (dialled before the area code in Brazil and many countries) and is dropped, and
 * 12 or 13 digits after it are read as a carrier code first. Text around a whole line (at least
 * MIN_LINE_DIGITS digits) is ignored: `tel:+55…`, an emoji, `Natal: …`, `… (Natal)`, also a label
 * with digits (`Loja 2: …`, `… (loja 2)`, `WhatsApp 1 - …`): the phone number is the run of phone
 * characters with the most digits, so a label's digits are never read into it. Returns undefined
 * for text that is not a phone number: fewer digits inside other text (`line 5`), digits inside
 * a word (`wa_5511…`), an extension after it (`… ext. 2`), a `+` inside the digits, or no digit.
 */
export function parsePhoneTerm(text: string): PhoneTerm | undefined {
	const clean = text.replace(INVISIBLE, '').replace(TRUNK_AND_ANY_CARRIER, '0');
	const found = phoneRun(clean);
	if (!found) return undefined;
	const { run, before, after } = found;
	// Part of a word, such as an id (`wa_5511…`), is not a phone number written in text.
	if (/[\p{L}\p{N}_]$/u.test(before) || /^[\p{L}\p{N}_]/u.test(after)) return undefined;
	if (EXTENSION.test(after)) return undefined;
	const read = readDigits(run);
	if (!read) return undefined;
	const around = (before + after).replace(SEPARATORS, '');
	const { readings, international } = read;
	let [digits, ...alsoDigits] = readings;
	if (!international && digits.startsWith('0') && digits.length > MIN_LINE_DIGITS) {
		digits = digits.slice(1);
		const carrierCall = BRAZIL_CARRIER_CALL.exec(digits);
		if (carrierCall) [digits, alsoDigits] = [carrierCall[1], [digits]];
	}
	if (around !== '' && digits.length < MIN_LINE_DIGITS) return undefined;
	return alsoDigits.length > 0 ? { digits, international, alsoDigits } : { digits, international };
}

// Brazil (55), an area code (two digits 1-9), then a mobile number from the ranges that were mobile
// before the ninth digit (6-9), with the leading 9 and without it.
const BRAZIL_MOBILE_WITH_NINE = /^55([1-9]{2})9([6-9]\d{7})$/;
const BRAZIL_MOBILE_WITHOUT_NINE = /^55([1-9]{2})([6-9]\d{7})$/;

/**
 * The digit strings WhatsApp may use for a stored number (digits with the country code, as
 * PilotStatus returns `number`, e.g. `5511988887777`; formatting is ignored): the number itself
 * and, for a Brazilian mobile, the same number with or without the ninth digit.
 *
 * The rule: Anatel added a leading 9 to every Brazilian mobile number (Resolução 553/2010, area
 * code 11 from July 2012 to the last ones in November 2016), so `55 DD 9XXXX-XXXX` and
 * `55 DD XXXX-XXXX` are one line when the eight digits start with 6-9, the old mobile ranges.
 * Fixed lines (starting with 2-5) kept their eight digits, so they never gain or lose a 9 here.
 * WhatsApp kept the number an account was registered with, so accounts from before the change
 * often still have the 12-digit form (e.g. `558488887777` for `+55 84 98888-7777`), while people
 * type the 13-digit one, and the reverse. Returns [] when `stored` has no digits.
 */
export function whatsAppForms(stored: unknown): string[] {
	const digits =
		typeof stored === 'string'
			? stored.replace(/\D/g, '')
			: typeof stored === 'number' && Number.isSafeInteger(stored) && stored > 0
				? String(stored)
				: '';
	if (digits === '') return [];
	const withNine = BRAZIL_MOBILE_WITH_NINE.exec(digits);
	if (withNine) return [digits, `55${withNine[1]}${withNine[2]}`];
	const withoutNine = BRAZIL_MOBILE_WITHOUT_NINE.exec(digits);
	if (withoutNine) return [digits, `55${withoutNine[1]}9${withoutNine[2]}`];
	return [digits];
}

/**
 * Compares a typed phone number with one stored number (see PhoneMatch). With `+` or `00` the
 * typed digits are the whole number from the country code: `'same'` when they are one of its
 * WhatsApp forms, `'partial'` when a form starts with them. Without, the typed number may leave
 * out the country code and the area code: `'same'` when it has at least MIN_LINE_DIGITS digits
 * and a form ends with them (so `(11) 98888-7777` and `98888-7777` are `5511988887777`),
 * `'partial'` when a form contains them. Each reading of the typed text (`digits`, `alsoDigits`)
 * counts: the best match wins. A stored value without digits is `'none'`.
 */
export function matchPhone(term: PhoneTerm, stored: unknown): PhoneMatch {
	return matchForms(term, whatsAppForms(stored));
}

/**
 * Whether a typed phone number is `'same'` as a stored number's own digits, not only as its
 * other WhatsApp form (the ninth digit added or dropped). When an account has both forms of one
 * line as two numbers, the one typed digit for digit is the one meant.
 */
export function matchesExactly(term: PhoneTerm, stored: unknown): boolean {
	return matchForms(term, whatsAppForms(stored).slice(0, 1)) === 'same';
}

/** The best match of any reading of the typed text (`digits`, `alsoDigits`) with these forms. */
function matchForms(term: PhoneTerm, forms: string[]): PhoneMatch {
	const matches = [term.digits, ...(term.alsoDigits ?? [])].map((digits) =>
		matchDigits(digits, term.international, forms),
	);
	return matches.includes('same') ? 'same' : matches.includes('partial') ? 'partial' : 'none';
}

function matchDigits(digits: string, international: boolean, forms: string[]): PhoneMatch {
	if (international) {
		if (forms.includes(digits)) return 'same';
		return forms.some((form) => form.startsWith(digits)) ? 'partial' : 'none';
	}
	if (digits.length >= MIN_LINE_DIGITS && forms.some((form) => form.endsWith(digits))) {
		return 'same';
	}
	return forms.some((form) => form.includes(digits)) ? 'partial' : 'none';
}
