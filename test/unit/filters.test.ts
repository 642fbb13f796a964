import { filterNumbers, matchesSearch } from '../../nodes/shared/filters';
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

describe('matchesSearch', () => {
	it('matches names case-insensitively', () => {
		expect(ids(numbers.filter((n) => matchesSearch(n, 'SUPPORT')))).toEqual(['2']);
	});

	it('matches phone numbers by their digits, however they are written', () => {
		expect(ids(numbers.filter((n) => matchesSearch(n, '+55 21 97777-6666')))).toEqual(['2']);
		expect(ids(numbers.filter((n) => matchesSearch(n, '(55) 11 9888')))).toEqual(['1']);
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
