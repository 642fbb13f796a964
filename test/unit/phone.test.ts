import fc from 'fast-check';

import type { PhoneMatch, PhoneTerm } from '../../nodes/shared/phone';
import {
	matchesExactly,
	matchPhone,
	MIN_LINE_DIGITS,
	parsePhoneTerm,
	whatsAppForms,
} from '../../nodes/shared/phone';

/** The match of a typed text with a stored number; the text must read as a phone number. */
function match(typed: string, stored: unknown) {
	const term = parsePhoneTerm(typed);
	if (!term) throw new Error(`'${typed}' did not parse as a phone number`);
	return matchPhone(term, stored);
}

const digitString = (min: number, max: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const areaCode = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }));
/** The eight digits of a Brazilian mobile before the ninth digit: they start with 6-9. */
const oldMobile = fc
	.tuple(fc.integer({ min: 6, max: 9 }), digitString(7, 7))
	.map(([first, rest]) => `${first}${rest}`);
/** Eight digits of a Brazilian fixed line: they start with 2-5. */
const fixedLine = fc
	.tuple(fc.integer({ min: 2, max: 5 }), digitString(7, 7))
	.map(([first, rest]) => `${first}${rest}`);
const separator = fc.constantFrom('', ' ', '-', '.', '\u00a0', '\u2011', '\u2013');

/** Writes digits the way a person might: a separator of their choice between any two digits. */
const formatted = (digits: string) =>
	fc
		.array(separator, { minLength: digits.length, maxLength: digits.length })
		.map((seps) => [...digits].map((digit, i) => (i === 0 ? digit : seps[i] + digit)).join(''));

describe('parsePhoneTerm', () => {
	it.each<[string, PhoneTerm]>([
		['+55 11 98888-7777', { digits: '5511988887777', international: true }],
		['(11) 98888-7777', { digits: '11988887777', international: false }],
		['5511988887777', { digits: '5511988887777', international: false }],
		['55 84 8888-7777', { digits: '558488887777', international: false }],
		['+1 202-555-0100', { digits: '12025550100', international: true }],
		['+55 (11) 9 8888.7777', { digits: '5511988887777', international: true }],
		['0055 11 98888-7777', { digits: '5511988887777', international: true }],
		['011 98888-7777', { digits: '11988887777', international: false }],
		['98888', { digits: '98888', international: false }],
		['0100', { digits: '0100', international: false }],
		// As copied from WhatsApp: bidi marks around it, non-breaking space and hyphen inside.
		[
			'\u202a+55\u00a011\u00a098888\u20117777\u202c',
			{ digits: '5511988887777', international: true },
		],
		// As models and people paste them: a link, an emoji, a label around a whole line.
		['tel:+5511988887777', { digits: '5511988887777', international: true }],
		['📱 +55 11 98888-7777', { digits: '5511988887777', international: true }],
		['+55 84 98888-7777 (Natal)', { digits: '5584988887777', international: true }],
		['Natal: (84) 98888-7777', { digits: '84988887777', international: false }],
		// A label with digits of its own: the phone number is the run with the most digits, set
		// apart from the label by letters, `:` or a dash with spaces around it.
		['Loja 2: +55 11 98888-7777', { digits: '5511988887777', international: true }],
		['+55 11 98888-7777 (loja 2)', { digits: '5511988887777', international: true }],
		['WhatsApp 1 - (11) 98888-7777', { digits: '11988887777', international: false }],
		['Loja 12 - 011 98888-7777', { digits: '11988887777', international: false }],
		['2ª loja: 98888-7777', { digits: '988887777', international: false }],
		['wa.me/5511988887777', { digits: '5511988887777', international: false }],
		['5511988887777@s.whatsapp.net', { digits: '5511988887777', international: false }],
		// Brazil's 0xx: the trunk 0 and a placeholder for the carrier code.
		['(0xx84) 98888-7777', { digits: '84988887777', international: false }],
		['(0XX11) 98888-7777', { digits: '11988887777', international: false }],
		// A carrier code after the trunk 0: read without it first.
		[
			'0 21 84 98888-7777',
			{ digits: '84988887777', international: false, alsoDigits: ['2184988887777'] },
		],
		// A trunk 0 in parentheses inside the international form: read without it first.
		[
			'+44 (0)20 7946 0958',
			{ digits: '442079460958', international: true, alsoDigits: ['4402079460958'] },
		],
		[
			'+55 (011) 98888-7777',
			{ digits: '5511988887777', international: true, alsoDigits: ['55011988887777'] },
		],
	])('reads %j', (typed, expected) => {
		expect(parsePhoneTerm(typed)).toEqual(expected);
	});

	it.each([
		'Acme Sales',
		'line 5',
		'wa_abc',
		'-',
		'',
		'  ',
		'+',
		'00',
		'55+11 9888',
		'+55 11 9888 ext. 2',
		// An extension after a line: the digits name another phone.
		'+55 11 98888-7777 ext. 2',
		'(11) 3333-4444 ramal 12',
		'+1 202-555-0100 x 12',
		// A label's digits next to a fragment are still text around a fragment.
		'Loja 2: 9888',
		// Text around a fragment, or digits inside a word (an id), are not a phone number.
		'Natal 5',
		'tel:9888',
		'wa_5511988887777',
		'5511988887777x',
	])('does not take %j for a phone number', (typed) => {
		expect(parsePhoneTerm(typed)).toBeUndefined();
	});

	it('reads a whole line the same with a label that has digits before or after it', () => {
		const label = fc.tuple(
			fc.integer({ min: 0, max: 99 }),
			fc.constantFrom('before', 'after', 'dash'),
		);
		fc.assert(
			fc.property(
				digitString(MIN_LINE_DIGITS, 16).chain((digits) => fc.tuple(formatted(digits), label)),
				([typed, [n, where]]) => {
					const labelled =
						where === 'before'
							? `Loja ${n}: +${typed}`
							: where === 'after'
								? `+${typed} (loja ${n})`
								: `WhatsApp ${n} - +${typed}`;
					expect(parsePhoneTerm(labelled)).toEqual(parsePhoneTerm(`+${typed}`));
				},
			),
		);
	});

	it('reads the same digits however they are separated', () => {
		fc.assert(
			fc.property(
				digitString(1, 16).chain((digits) => fc.tuple(fc.constant(digits), formatted(digits))),
				([digits, typed]) => {
					expect(parsePhoneTerm(`+${typed}`)).toEqual({ digits, international: true });
				},
			),
		);
	});
});

describe('matchesExactly', () => {
	it.each<[string, string, boolean]>([
		['5584988887777', '5584988887777', true],
		['5584988887777', '558488887777', false],
		['+55 84 8888-7777', '558488887777', true],
		['+55 84 8888-7777', '5584988887777', false],
		['(84) 98888-7777', '5584988887777', true],
		['(84) 98888-7777', '558488887777', false],
		// Digits both end with: the same, and typed as each stores them.
		['8888-7777', '558488887777', true],
		['8888-7777', '5584988887777', true],
		['+1 202-555-0100', '12025550100', true],
	])('%j typed, %j stored: %s', (typed, stored, exact) => {
		const term = parsePhoneTerm(typed);
		if (!term) throw new Error(`'${typed}' did not parse as a phone number`);
		expect(matchesExactly(term, stored)).toBe(exact);
		// Typed exactly is always also the same WhatsApp number.
		if (exact) expect(matchPhone(term, stored)).toBe('same');
	});
});

describe('whatsAppForms', () => {
	it('gives a Brazilian mobile with and without the ninth digit, both ways', () => {
		expect(whatsAppForms('5584988887777')).toEqual(['5584988887777', '558488887777']);
		expect(whatsAppForms('558488887777')).toEqual(['558488887777', '5584988887777']);
		expect(whatsAppForms('+55 (84) 8888-7777')).toEqual(['558488887777', '5584988887777']);
	});

	it('gives one form for fixed lines, other countries and anything else', () => {
		expect(whatsAppForms('551133334444')).toEqual(['551133334444']);
		expect(whatsAppForms('5511933334444')).toEqual(['5511933334444']);
		expect(whatsAppForms('12025550100')).toEqual(['12025550100']);
		expect(whatsAppForms('550188887777')).toEqual(['550188887777']);
		expect(whatsAppForms(12025550100)).toEqual(['12025550100']);
	});

	it.each([undefined, null, '', 'none', {}, [], -1, 1.5, Number.NaN])(
		'gives no form for %p',
		(stored) => {
			expect(whatsAppForms(stored)).toEqual([]);
		},
	);
});

describe('matchPhone', () => {
	it.each<[string, string, unknown, PhoneMatch]>([
		['as people write it', '+55 11 98888-7777', '5511988887777', 'same'],
		['as people write it', '(11) 98888-7777', '5511988887777', 'same'],
		['as people write it', '5511988887777', '5511988887777', 'same'],
		['as people write it', '011 98888-7777', '5511988887777', 'same'],
		['as people write it', '0055 11 98888-7777', '5511988887777', 'same'],
		['as people write it', '+1 202-555-0100', '12025550100', 'same'],
		['as people write it', '(202) 555-0100', '12025550100', 'same'],
		['ninth digit typed, not stored', '+55 84 98888-7777', '558488887777', 'same'],
		['ninth digit stored, not typed', '55 84 8888-7777', '5584988887777', 'same'],
		['ninth digit typed, not stored', '(84) 98888-7777', '558488887777', 'same'],
		['ninth digit stored, not typed', '8888-7777', '5584988887777', 'same'],
		['another area code', '+55 21 98888-7777', '5511988887777', 'none'],
		['another line', '+55 11 98888-7776', '5511988887777', 'none'],
		['a fixed line never gains a 9', '+55 11 93333-4444', '551133334444', 'none'],
		['+ fixes the country code', '+5511988887777', '15511988887777', 'none'],
		['no country and area code: each number ending so', '98888-7777', '5511988887777', 'same'],
		['no country and area code: each number ending so', '98888-7777', '5521988887777', 'same'],
		['no country and area code: each number ending so', '98888-7777', '5521988887776', 'none'],
		['digits inside', '2198888-777', '5521988887776', 'partial'],
		['a fragment anywhere', '98888', '5511988887777', 'partial'],
		['a fragment anywhere, ninth digit', '98888', '558488887777', 'partial'],
		['a fragment anywhere', '9999', '5511999999999', 'partial'],
		['a fragment anywhere', '1234', '5511999999999', 'none'],
		['a fragment with + at the start', '+55 11 9999', '5511999999999', 'partial'],
		['a fragment with + at the start', '+55 11 9999', '5521999999999', 'none'],
		['a fragment with + at the start, ninth digit', '+55 84 8888', '5584988887777', 'partial'],
		['text around it', 'tel:+5511988887777', '5511988887777', 'same'],
		['text around it', '📱 +55 84 98888-7777 (Natal)', '558488887777', 'same'],
		['0xx: trunk and carrier placeholder', '(0xx84) 98888-7777', '558488887777', 'same'],
		['carrier code after the trunk 0', '0 21 84 98888-7777', '5584988887777', 'same'],
		['carrier code after the trunk 0', '0 21 84 8888-7777', '5584988887777', 'same'],
		['trunk 0 in parentheses after +CC', '+44 (0)20 7946 0958', '442079460958', 'same'],
		['trunk 0 in parentheses after +CC', '+55 (011) 98888-7777', '5511988887777', 'same'],
		['a 0 that is part of the number (Italy)', '+39 (06) 1234 5678', '390612345678', 'same'],
		['nothing stored', '5511988887777', undefined, 'none'],
		['nothing stored', '5511988887777', '', 'none'],
	])('%s: %j against %j is %j', (_why, typed, stored, expected) => {
		expect(match(typed, stored)).toBe(expected);
	});

	it('a Brazilian mobile typed in any form is the stored one, with or without the ninth digit', () => {
		const writtenAs = fc.constantFrom(
			(ddd: string, line: string) => `+55 ${ddd} ${line}`,
			(ddd: string, line: string) => `(${ddd}) ${line}`,
			(ddd: string, line: string) => `0${ddd} ${line}`,
			(ddd: string, line: string) => `55${ddd}${line}`,
		);
		fc.assert(
			fc.property(
				areaCode,
				oldMobile,
				fc.boolean(),
				fc.boolean(),
				writtenAs,
				([a, b], eight, typedNine, storedNine, write) => {
					const ddd = `${a}${b}`;
					const typed = write(ddd, `${typedNine ? '9' : ''}${eight.slice(0, 4)}-${eight.slice(4)}`);
					const stored = `55${ddd}${storedNine ? '9' : ''}${eight}`;
					expect(match(typed, stored)).toBe('same');
				},
			),
		);
	});

	it('a fixed line never matches the mobile number with a 9 in front of it', () => {
		fc.assert(
			fc.property(areaCode, fixedLine, ([a, b], eight) => {
				expect(match(`+55 ${a}${b} 9${eight}`, `55${a}${b}${eight}`)).not.toBe('same');
				expect(match(`+55 ${a}${b} ${eight}`, `55${a}${b}9${eight}`)).not.toBe('same');
			}),
		);
	});

	it('two full international numbers are the same both ways or neither', () => {
		const number = fc.oneof(
			digitString(8, 15).filter((digits) => !digits.startsWith('0')),
			fc
				.tuple(areaCode, fc.boolean(), oldMobile)
				.map(([[a, b], nine, eight]) => `55${a}${b}${nine ? '9' : ''}${eight}`),
		);
		fc.assert(
			fc.property(number, number, (a, b) => {
				expect(match(`+${a}`, b) === 'same').toBe(match(`+${b}`, a) === 'same');
			}),
		);
	});

	it('every piece of a stored number, typed without +, is at least part of it', () => {
		fc.assert(
			fc.property(
				digitString(1, 15).chain((digits) =>
					fc
						.tuple(fc.nat(digits.length - 1), fc.nat(digits.length - 1))
						.map(([i, j]) => [digits, digits.slice(Math.min(i, j), Math.max(i, j) + 1)]),
				),
				([stored, piece]) => {
					// A leading 0 before a whole line is a trunk prefix, not part of the number.
					fc.pre(!(piece.startsWith('0') && piece.length > 8) && !piece.startsWith('00'));
					expect(match(piece, stored)).not.toBe('none');
				},
			),
		);
	});
});
