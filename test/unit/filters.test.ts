import fc from 'fast-check';

import { filterNumbers, numberSearch } from '../../nodes/shared/filters';
import type { PilotStatusNumber } from '../../nodes/shared/types';

const numbers: PilotStatusNumber[] = [
	{
		id: '1',
		name: 'Acme Sales',
		number: '5511988887777',
		provider: 'META',
		state: 'OPEN',
		isFullyConnected: true,
	},
	{
		id: '2',
		name: 'Support QR',
		number: '5521977776666',
		provider: 'PILOT_STATUS',
		state: 'OPEN',
		isFullyConnected: true,
	},
	{
		id: '3',
		name: 'Old phone',
		number: '5531966665555',
		provider: 'PILOT_STATUS',
		state: 'CLOSE',
		isFullyConnected: false,
	},
	{ id: '4', provider: 'META' },
];
const ids = (list: PilotStatusNumber[]) => list.map((number) => number.id);
const matchesSearch = (number: PilotStatusNumber, search: string) => numberSearch(search)(number);

describe('filterNumbers', () => {
	it('returns everything, in order, with no filters', () => {
		expect(ids(filterNumbers(numbers, {}))).toEqual(['1', '2', '3', '4']);
	});

	it('filters by provider, state (any case) and connection', () => {
		expect(ids(filterNumbers(numbers, { provider: 'META' }))).toEqual(['1', '4']);
		expect(ids(filterNumbers(numbers, { state: 'close' }))).toEqual(['3']);
		expect(ids(filterNumbers(numbers, { state: '  ' }))).toEqual(['1', '2', '3', '4']);
		expect(ids(filterNumbers(numbers, { connectedOnly: true }))).toEqual(['1', '2']);
		expect(ids(filterNumbers(numbers, { provider: 'PILOT_STATUS', connectedOnly: true }))).toEqual([
			'2',
		]);
	});
});

describe('numberSearch', () => {
	it('matches names case-insensitively', () => {
		expect(ids(numbers.filter((n) => matchesSearch(n, 'SUPPORT')))).toEqual(['2']);
	});

	it('matches phone numbers by their digits, however they are written', () => {
		expect(ids(numbers.filter((n) => matchesSearch(n, '+55 21 97777-6666')))).toEqual(['2']);
		expect(ids(numbers.filter((n) => matchesSearch(n, '(55) 11 9888')))).toEqual(['1']);
	});

	it("matches Brazil's ninth digit both ways, in any format", () => {
		const stored: PilotStatusNumber[] = [
			{ id: 'without9', name: 'Natal', number: '558488887777' },
			{ id: 'with9', name: 'Recife', number: '5581977776666' },
			{ id: 'fixed', name: 'Office', number: '558433334444' },
		];
		const found = (search: string) => ids(stored.filter((n) => matchesSearch(n, search)));
		expect(found('+55 84 98888-7777')).toEqual(['without9']);
		expect(found('5584988887777')).toEqual(['without9']);
		expect(found('(84) 98888-7777')).toEqual(['without9']);
		expect(found('+55 81 7777-6666')).toEqual(['with9']);
		expect(found('558177776666')).toEqual(['with9']);
		// A fixed line never gains a 9: 9 3333-4444 is another number.
		expect(found('+55 84 93333-4444')).toEqual([]);
		expect(found('+55 84 3333-4444')).toEqual(['fixed']);
	});

	it('does not match digits inside a word search against phone numbers', () => {
		expect(ids(numbers.filter((n) => matchesSearch(n, 'line 5')))).toEqual([]);
		expect(ids(numbers.filter((n) => matchesSearch(n, '-')))).toEqual([]);
	});

	it('treats an empty search as no filter and tolerates missing fields', () => {
		expect(numbers.every((n) => matchesSearch(n, ' '))).toBe(true);
		expect(matchesSearch({ id: 'x' }, 'acme')).toBe(false);
	});
});

/**
 * The search of version 0.1.0 (commit 0669f7b, nodes/shared/filters.ts `matchesSearch`), verbatim
 * but for formatting: the oracle every later search must find at least as much as.
 */
function searchOf010(number: PilotStatusNumber, search: string): boolean {
	const digitsOf = (text: string) => text.replace(/\D/g, '');
	const looksLikePhone = (text: string) => /^[\d\s+().-]+$/.test(text);
	const term = search.trim().toLowerCase();
	if (term === '') return true;
	const name = typeof number.name === 'string' ? number.name.toLowerCase() : '';
	if (name.includes(term)) return true;
	const phone = typeof number.number === 'string' ? number.number : '';
	if (phone.toLowerCase().includes(term)) return true;
	const termDigits = digitsOf(term);
	return looksLikePhone(term) && termDigits !== '' && digitsOf(phone).includes(termDigits);
}

describe('numberSearch finds everything version 0.1.0 found', () => {
	const stored: PilotStatusNumber[] = [
		{ id: 'slash', name: 'Slash id', number: '5541900000001' },
		{ id: 'us', name: 'US line', number: '+1 202-555-0100' },
		{ id: 'natal', name: 'Natal', number: '558488887777' },
	];
	const found = (search: string) => ids(stored.filter((n) => matchesSearch(n, search)));

	it.each<[string, string[]]>([
		// Leading zeros read as the international prefix 00 since; 0.1.0 searched the digits.
		['0001', ['slash']],
		['00001', ['slash']],
		['0000 0001', ['slash']],
		// + followed by a fragment that is no country code: 0.1.0 searched the digits anywhere.
		['+1', ['slash', 'us']],
		['+0100', ['us']],
		['55+84 8888', ['natal']],
		['202-555', ['us']],
	])('%j finds %j', (search, expected) => {
		expect(found(search)).toEqual(expected);
		expect(ids(stored.filter((n) => searchOf010(n, search)))).toEqual(expected);
	});

	it('for any search text and any number', () => {
		const text = (chars: string, max: number) =>
			fc.string({ unit: fc.constantFrom(...chars), maxLength: max });
		const number = fc.record({
			id: fc.constant('x'),
			name: fc.option(text('ab 12', 6), { nil: undefined }),
			number: fc.option(text('0123456789 +-', 16), { nil: undefined }),
		});
		fc.assert(
			fc.property(number, text('0123456789 +-().ab', 12), (stored, search) => {
				if (searchOf010(stored, search)) expect(matchesSearch(stored, search)).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});
});
