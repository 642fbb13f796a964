import type { NumberId } from '../shared/numberId';
import { checkNumberId } from '../shared/numberId';
import type { PilotStatusNumber } from '../shared/types';

/** The numbers of one list answer the trigger can track, or why that answer cannot be used. */
export type TrackedList = { numbers: Map<NumberId, PilotStatusNumber> } | { problem: string };

/**
 * The numbers of one `GET /v1/numbers` answer, keyed by the id the list gave (checked like every id
 * the package sends), in list order. Pure.
 *
 * Every entry must have such an id: an entry the trigger cannot key would otherwise look like a
 * removed number (a glitch answering `[{}, {}]` reported every number removed), so one bad entry
 * refuses the whole answer (`problem`), and the caller fails the poll without touching what it
 * remembers.
 *
 * An id listed twice keeps one entry, the same whatever order the two come in (the one whose JSON
 * text sorts first), so two entries swapping places between polls is not a change. It stays at the
 * place of its first occurrence.
 */
export function trackedNumbers(entries: PilotStatusNumber[]): TrackedList {
	const numbers = new Map<NumberId, PilotStatusNumber>();
	const chosenText = new Map<NumberId, string>();
	for (const [index, entry] of entries.entries()) {
		const checked = checkNumberId(entry.id);
		if ('problem' in checked) {
			return { problem: `entry ${index + 1} of ${entries.length}: ${checked.problem}` };
		}
		const text = JSON.stringify(entry);
		const chosen = chosenText.get(checked.id);
		if (chosen !== undefined && chosen <= text) continue;
		chosenText.set(checked.id, text);
		numbers.set(checked.id, entry);
	}
	return { numbers };
}
