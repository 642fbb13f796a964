import type { IPollFunctions, NodeApiError } from 'n8n-workflow';

import type { DetailOutcome, NoneRead } from '../shared/details';
import { detailProblem, getDetails, noneRead } from '../shared/details';
import { answerError, prefixedError, quoteId } from '../shared/errors';
import type { ColumnShape } from '../shared/flatten';
import { flattenWithShape } from '../shared/flatten';
import type { NumberId } from '../shared/numberId';
import { listedDetailShape, listItemShape } from '../shared/numberShapes';
import type { RequestScope } from '../shared/transport';
import { listNumbers } from '../shared/transport';
import type { PilotStatusNumber } from '../shared/types';
import type { Baseline, Observation } from './changes';
import { urgentNumbers } from './changes';
import { trackedNumbers } from './listed';
import type { PollLimits } from './pollLimits';
import { advanceRing, healthOrder, nextTurn } from './rotation';

/*
 * What one poll sees: the list (one request, every number's connection) and, with Include Health,
 * the details that fit in the poll's time, as observations for changes.ts.
 */

/** With health, items have the main node's Get columns and `detailError`; without, its List columns. */
export function outputShape(includeHealth: boolean): ColumnShape {
	return includeHealth ? listedDetailShape : listItemShape;
}

/**
 * `GET /v1/numbers`, keyed as the trigger tracks numbers (listed.ts). An answer it cannot track
 * fails the poll before anything is compared, so what it remembers stays as it was.
 */
export async function listTracked(
	ctx: IPollFunctions,
	scope: RequestScope,
): Promise<Map<NumberId, PilotStatusNumber>> {
	const tracked = trackedNumbers(await listNumbers(ctx, scope));
	if ('problem' in tracked) {
		throw answerError(
			ctx.getNode(),
			`PilotStatus listed a number the trigger cannot track (GET /v1/numbers, ${tracked.problem})`,
			'Every number in the list needs a text id. Nothing was reported and what the trigger remembers is unchanged, so no number is reported removed by mistake. If this persists, check the Base URL in the credential: something other than the PilotStatus API may be answering.',
		);
	}
	return tracked.numbers;
}

/** The health a poll read: each number tried (read or failed), and where the ring goes on. */
export interface HealthSweep {
	/** Each number whose detail was read or failed in this poll (not those the deadline cut). */
	reads: Map<NumberId, DetailOutcome>;
	/** The ring position for the next poll (rotation.ts). */
	position: string | undefined;
	/** Why the numbers not in `reads` were not read, for their items' `detailError`. */
	unreadNote: string;
	/** When not every number's health was read in a poll that could have: how many were, and what that means. */
	partial?: string;
	/**
	 * Set when none of the details tried could be read: the poll fails with it, after the caller
	 * keeps `position` (then past every number it sent a request for), so the next poll tries others.
	 */
	failure?: NodeApiError;
}

/**
 * Reads the numbers' details within the poll's deadline: the urgent ones taking turns with the
 * others, going round the ring from `rotation`, where the previous poll stopped (rotation.ts).
 * When none could be read (noneRead), not counting numbers already known to fail, the sweep
 * carries a `failure` for the poll; a poll whose turn falls on broken numbers alone still reports
 * the others' connection.
 */
export async function sweepHealth(
	ctx: IPollFunctions,
	listed: Map<NumberId, PilotStatusNumber>,
	previous: Baseline | undefined,
	{
		limits,
		firstReports,
		rotation,
	}: { limits: PollLimits; firstReports: boolean; rotation: string | undefined },
	scope: RequestScope,
): Promise<HealthSweep> {
	const reportedOnly = limits.keptOnlyIfReporting;
	const urgent = urgentNumbers(previous, [...listed], { reportedOnly, firstReports });
	const ids = [...listed.keys()];
	const candidates = reportedOnly ? ids.filter((id) => urgent.reported.has(id)) : ids;
	const order = healthOrder(
		candidates,
		{ urgent: urgent.reported, early: urgent.unknown },
		rotation,
	);
	const outcomes = await getDetails(ctx, order, scope);
	const reads = new Map<NumberId, DetailOutcome>();
	for (const [index, outcome] of outcomes.entries())
		if (outcome.ok || !outcome.cut) reads.set(order[index], outcome);

	// A poll that reads only the numbers it reports (n8n's activation poll) never fails for them.
	const knownBroken = new Set(previous?.unreadable);
	const none = reportedOnly
		? undefined
		: noneRead(
				order
					.map((id, index) => ({ id, outcome: outcomes[index] }))
					.filter(({ id, outcome }) => outcome.ok || outcome.cut || !knownBroken.has(id)),
			);
	// Every number it sent a request for, those cut at the deadline included.
	const sent = new Set(
		order.filter((_, index) => outcomes[index].ok || outcomes[index].error !== undefined),
	);
	if (none) {
		// Past every number sent: they are what took the poll's time, so the next poll starts with
		// others and does not fail the same way.
		return {
			reads,
			position: advanceRing(ids, rotation, sent).position,
			unreadNote: '',
			failure: noneReadError(ctx, ids.length, none),
		};
	}
	const ring = nextTurn(ids, rotation, { read: new Set(reads.keys()), sent });
	const partial =
		reportedOnly || reads.size === ids.length
			? undefined
			: coverage(reads.size, ring.passed, ids.length, limits.budgetMs);
	const unreadNote = reportedOnly
		? 'Not read in this poll: n8n runs it at activation and keeps what it remembers only if it reports something, so it reads the health of the numbers it reports only; the next poll reads the others.'
		: `Not read in this poll. ${partial}`;
	return { reads, position: reportedOnly ? rotation : ring.position, unreadNote, partial };
}

/** The poll's error when the list answered but none of the details it tried could be read. */
function noneReadError(ctx: IPollFunctions, listedCount: number, none: NoneRead): NodeApiError {
	const error = prefixedError(
		ctx.getNode(),
		`PilotStatus listed ${listedCount} numbers, but no number's detail could be read in this poll (${none.tried} tried, ${none.cut} cut by its time); the first, number ${quoteId(none.id)}: `,
		none.error,
	);
	const advice =
		'Nothing was reported and what the trigger remembers is unchanged, except that the next poll tries the next numbers in turn: if only some numbers fail, the trigger recovers by itself, and reports changes made meanwhile once. If every poll fails this way, PilotStatus is failing for every number: act on the reason above, or turn Include Health off to watch connections only.';
	error.description = error.description ? `${error.description} ${advice}` : advice;
	return error;
}

/**
 * How much of the account's health one poll read (`read` numbers of `total`), and the cycle that
 * gives (README: the coverage bound): from how far the ring went on (`passed`), not from `read`,
 * since numbers read out of turn, or past a gap the deadline cut, are read again at their turn
 * (rotation.ts, nextTurn).
 */
function coverage(read: number, passed: number, total: number, budgetMs: number): string {
	const fitted = `The health of ${read} of ${total} numbers fitted in this poll's time (${budgetMs / 1000} s less a margin)`;
	return passed === 0
		? `${fitted}; no number was read in turn (the time went to the list, to new or changed numbers or those whose health was not known yet, or to a number that gave no answer in time), so the next poll goes on where this one stopped.`
		: `${fitted}; at this pace every number's health is read at least every ${Math.ceil(total / passed)} polls.`;
}

/**
 * Each listed number as this poll saw it, in list order: its detail's columns when its health was
 * read (connection and id as the list gave them, since the list is read for every number on every
 * poll), else its list entry's, with `detailError` saying why not (Include Health only).
 */
export function observe(
	listed: Map<NumberId, PilotStatusNumber>,
	sweep: HealthSweep | undefined,
): Observation[] {
	return [...listed].map(([id, entry]): Observation => {
		if (!sweep) return { id, columns: flattenWithShape(entry, listItemShape), health: 'unread' };
		const outcome = sweep.reads.get(id);
		if (outcome?.ok) {
			const { state, isFullyConnected } = entry;
			const detail = { ...outcome.value, id, state, isFullyConnected, detailError: null };
			return { id, columns: flattenWithShape(detail, listedDetailShape), health: 'read' };
		}
		const detailError = outcome ? detailProblem(id, outcome.error) : sweep.unreadNote;
		return {
			id,
			columns: flattenWithShape({ ...entry, detailError }, listedDetailShape),
			health: outcome ? 'failed' : 'unread',
		};
	});
}
