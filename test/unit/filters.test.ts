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
