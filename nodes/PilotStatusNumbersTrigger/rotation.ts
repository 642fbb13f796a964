/*
 * The order in which polls read the numbers' health when not every detail fits in one poll. Pure.
 *
 * Every number has a place in a ring: the ids sorted (by UTF-16 code units, as JavaScript compares
 * strings). Each poll reads, within its time budget, the urgent numbers taking turns with the
 * others (see healthOrder), the others going round the ring from where the previous poll stopped.
 * The position kept between polls is one id, so a number added or removed never shifts the others.
 * If every poll reads at least K numbers, of which at most U are urgent ones, every number's
 * health is read within ⌈N / (K − U)⌉ polls (N numbers); the README gives K from the budget, the
 * latency and the Concurrency.
 */

/** The ids in ring order, starting with the first id after `after` and wrapping around. */
export function ringFrom(ids: Iterable<string>, after: string | undefined): string[] {
	const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	if (after === undefined) return sorted;
	const start = sorted.findIndex((id) => id > after);
	return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}

/**
 * Which numbers to read, in order: the `urgent` ones (e.g. those a poll reports) taking turns with
 * the others (urgent, other, urgent, other …, the rest of the longer list at the end); among the
 * others, those in `early` (e.g. those whose health is not known yet) first; each group in ring
 * order from `after`. Taking turns, a poll whose urgent numbers all hang (a mass disconnect while
 * PilotStatus cannot answer their details) still reads others, and so does not fail for reading
 * none; at least half of what a poll reads is urgent while there are urgent ones.
 */
export function healthOrder<Id extends string>(
	ids: Iterable<Id>,
	{ urgent, early }: { urgent: ReadonlySet<string>; early: ReadonlySet<string> },
	after: string | undefined,
): Id[] {
	const ring = ringFrom(ids, after) as Id[];
	const first = ring.filter((id) => urgent.has(id));
	const others = [
		...ring.filter((id) => !urgent.has(id) && early.has(id)),
		...ring.filter((id) => !urgent.has(id) && !early.has(id)),
	];
	const order: Id[] = [];
	for (let index = 0; index < Math.max(first.length, others.length); index++) {
		if (index < first.length) order.push(first[index]);
		if (index < others.length) order.push(others[index]);
	}
	return order;
}

/** Where the ring goes on after a poll, and how far it went. */
export interface RingAdvance {
	/** The id the next poll starts after. */
	position: string | undefined;
	/** How many numbers the ring passed: the pace the coverage cycle is computed from. */
	passed: number;
}

/**
 * Where the next poll goes on: the last id of the unbroken run of read numbers going round the ring
 * from `after`, and the run's length. Nothing read at the start of the run, or every number read (a
 * whole turn in one poll): `after` again, so a poll that fits everything leaves the remembered
 * position as it was. `passed` can be less than the numbers read: one the deadline cut leaves a gap,
 * and those read past it are read again by the next poll.
 */
export function advanceRing(
	ids: Iterable<string>,
	after: string | undefined,
	read: ReadonlySet<string>,
): RingAdvance {
	let position = after;
	let passed = 0;
	for (const id of ringFrom(ids, after)) {
		if (!read.has(id)) return { position, passed };
		position = id;
		passed++;
	}
	return { position: after, passed };
}

/**
 * Where the next poll goes on after one that did not fail: past the numbers read in turn
 * (advanceRing), except when the first number in turn was sent but not read (the deadline cut it:
 * it had the poll's time without an answer, e.g. a Retry-After past the deadline). Then past it
 * too, and on through the numbers read after it, so it does not stop every poll at itself; it is
 * tried again at its next turn. `passed` counts numbers read only, for the coverage cycle.
 */
export function nextTurn(
	ids: Iterable<string>,
	after: string | undefined,
	{ read, sent }: { read: ReadonlySet<string>; sent: ReadonlySet<string> },
): RingAdvance {
	const inTurn = advanceRing(ids, after, read);
	if (inTurn.passed > 0) return inTurn;
	const first = ringFrom(ids, after)[0];
	if (first === undefined || !sent.has(first)) return inTurn;
	const past = advanceRing(ids, after, new Set([...read, first]));
	return { position: past.position, passed: past.passed - 1 };
}
