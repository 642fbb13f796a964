import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { AnswerTurns } from './answerTurns';
import type { ConcurrencySetting } from './concurrencyLimit';
import { concurrencySetting } from './concurrencyLimit';
import { resolveConnection } from './connection';
import { secretForms } from './secrets';
import { CONCURRENCY } from './settings';
import { Throttle } from './throttle';

export const CREDENTIAL_TYPE = 'pilotStatusApi';

/** Every n8n context a PilotStatus request is made from: nodes, list searches, the trigger. */
export type PilotStatusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The credential as one run uses it, with what every request derives from it worked out once. */
export interface RunCredentials {
	/** What messages and output must never show: the API key, as sent and as saved, in every form (secretForms). */
	secrets: string[];
	connection: ReturnType<typeof resolveConnection>;
}

/**
 * Everything the requests of one node run share, created together and dropped together: the
 * credential (read once), the throttle (Concurrency and 429 pauses), the turns answers are handled
 * in, and the answers already asked for. A run is one execution of the node, one poll of the
 * trigger, or one list search.
 *
 * Reading the credential once matters in n8n, where every read is a database query and a
 * decryption: read for every request (by this package and again by the request helper) they took
 * about a third of the node's time per item in n8n 2.41.
 */
export class NodeRun {
	readonly throttle: Throttle;
	readonly answerTurns = new AnswerTurns();
	private credentialsRead?: Promise<RunCredentials>;
	private readonly answers = new Map<string, Promise<object>>();

	constructor(
		private readonly ctx: PilotStatusContext,
		concurrency: ConcurrencySetting,
	) {
		this.throttle = new Throttle(concurrency);
	}

	/**
	 * How many tasks the run's pools may run now: as many as requests may be in flight (the
	 * throttle's window, fixed or Auto), so they start no more items than can be sent.
	 */
	get width(): number {
		return this.throttle.window;
	}

	/** The credential, read on first use and then shared by every request of the run. */
	async credentials(): Promise<RunCredentials> {
		this.credentialsRead ??= this.ctx.getCredentials(CREDENTIAL_TYPE).then((data) => {
			const connection = resolveConnection(data);
			const apiKey = 'apiKey' in connection ? connection.apiKey : data.apiKey;
			return {
				secrets: secretForms(
					[data.apiKey, apiKey].filter(
						(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
					),
				),
				connection,
			};
		});
		return await this.credentialsRead;
	}

	/**
	 * Sends `request` once per key within the run; every later asker awaits the same answer (or the
	 * same failure) and gets its own copy, so items never share a mutable object.
	 */
	async once<T extends object>(key: string, request: () => Promise<T>): Promise<T> {
		const pending = this.answers.get(key) as Promise<T> | undefined;
		if (pending) return deepCopy(await pending);
		const started = request();
		this.answers.set(key, started);
		return await started;
	}
}

const runs = new WeakMap<object, NodeRun>();

/**
 * Starts a run for this context, replacing any earlier one. n8n keeps a trigger's context from
 * poll to poll, so each poll starts one: an edited credential takes effect at the next poll, no
 * pause carries over, and no answer of an earlier poll is reused.
 */
export function startNodeRun(
	ctx: PilotStatusContext,
	{
		concurrency = concurrencySetting(CONCURRENCY.default),
	}: { concurrency?: ConcurrencySetting } = {},
): NodeRun {
	const run = new NodeRun(ctx, concurrency);
	runs.set(ctx, run);
	return run;
}

/** The run started for this context (a run with the defaults if none was). */
export function nodeRun(ctx: PilotStatusContext): NodeRun {
	return runs.get(ctx) ?? startNodeRun(ctx);
}
