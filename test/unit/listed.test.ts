import fc from 'fast-check';

import { trackedNumbers } from '../../nodes/PilotStatusNumbersTrigger/listed';
import type { PilotStatusNumber } from '../../nodes/shared/types';

const tracked = (entries: PilotStatusNumber[]) => {
	const result = trackedNumbers(entries);
	if ('problem' in result) throw new Error(result.problem);
	return result.numbers;
};

describe('trackedNumbers', () => {
	it('keys the numbers by the id the list gave, in list order', () => {
		const numbers = tracked([
			{ id: 'wa_b', state: 'OPEN' },
			{ id: 'wa_a', state: 'CLOSE' },
		]);
		expect([...numbers.keys()]).toEqual(['wa_b', 'wa_a']);
		expect(numbers.get('wa_a' as never)).toEqual({ id: 'wa_a', state: 'CLOSE' });
	});

	it('accepts an empty list (the caller decides what an empty list means)', () => {
		expect(tracked([]).size).toBe(0);
	});

	it.each([
		['no id', [{ id: 'wa_a' }, { state: 'OPEN' }], 'entry 2 of 2: Number is required: it is empty'],
		['an empty id', [{ id: '' }], 'entry 1 of 1: Number is required: it is empty'],
		['a blank id', [{ id: '  ' }], 'entry 1 of 1: Number is required: it is empty'],
		[
			'a numeric id',
			[{ id: 'wa_a' }, { id: 'wa_b' }, { id: 7 }],
			'entry 3 of 3: Number ID must be text: it is a number (7)',
		],
		['an id that cannot be sent', [{ id: '..' }], "entry 1 of 1: Number ID '..' is not a valid"],
	])(
		'refuses the whole list when an entry has %s, saying which entry',
		(_label, entries, problem) => {
			const result = trackedNumbers(entries as PilotStatusNumber[]);
			expect('problem' in result && result.problem).toContain(problem);
		},
	);

	it('keeps one entry per duplicated id, the same whatever order they come in, at the first place', () => {
		const open = { id: 'wa_a', state: 'OPEN', isFullyConnected: true };
		const closed = { id: 'wa_a', state: 'CLOSE', isFullyConnected: false };
		const other = { id: 'wa_b' };
		const first = tracked([open, other, closed]);
		const swapped = tracked([closed, other, open]);
		// The entry whose JSON text sorts first: "CLOSE" before "OPEN".
		expect(first.get('wa_a' as never)).toBe(closed);
		expect(swapped.get('wa_a' as never)).toBe(closed);
		expect([...first.keys()]).toEqual(['wa_a', 'wa_b']);
	});

	// Property: whatever the order of the entries, each id maps to the same entry.
	it('maps each id to the same entry for any order of the same entries', () => {
		const entry = fc.record({
			id: fc.constantFrom('a', 'b', 'c'),
			state: fc.constantFrom('OPEN', 'CLOSE'),
			isFullyConnected: fc.boolean(),
		});
		fc.assert(
			fc.property(
				fc
					.array(entry, { maxLength: 8 })
					.chain((entries) =>
						fc.tuple(
							fc.constant(entries),
							fc.shuffledSubarray(entries, { minLength: entries.length }),
						),
					),
				([entries, shuffled]) => {
					const a = tracked(entries);
					const b = tracked(shuffled);
					expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
					for (const [id, number] of a) expect(b.get(id)).toEqual(number);
				},
			),
		);
	});
});
