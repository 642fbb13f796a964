/*
 * Reading one HTTP answer from PilotStatus: the whole body within the attempt's deadline and a
 * size limit, then its JSON. The node and the credential's Test read answers the same way.
 * n8n's request helper bounds neither: its `timeout` is reset by every chunk (a body dripping a
 * byte at a time is never cut), and it reads any size (measured in n8n-core 2.41: a 600 MB body
 * was read whole). So the body comes as a stream and is read here.
 */

/** The parts of Node's IncomingMessage this module uses (node code may not import `node:` modules). */
export interface BodyStream {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	destroy(): unknown;
}

/** An answer as the request helpers return it with a streamed body. */
export interface StreamedAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** An answer read whole. */
export interface Answer {
	status: number;
	headers: Record<string, unknown>;
	/** The parsed JSON; the text when it was not JSON; `''` when empty; undefined when `malformed`. */
	body: unknown;
	/** Why the JSON could not be used, e.g. `JSON nested deeper than 64 levels`. */
	malformed?: string;
}

/** The largest answer read, per kind of request, in bytes. */
export const ANSWER_LIMITS = {
	/**
	 * `GET /v1/numbers`: an entry of the list is about 300–400 bytes (the seed's fields and two
	 * key summaries), so 64 MiB holds well over 100,000 numbers.
	 */
	list: 64 * 1024 * 1024,
	/** One number's detail or status: the seed's detail is about 1 KB. */
	number: 1024 * 1024,
};

/** Deeper JSON is refused: the seed's deepest field is at level 3. */
export const MAX_JSON_DEPTH = 64;

/** Why an answer could not be read; a failure of the attempt, not of PilotStatus's status. */
export class AnswerReadError extends Error {
	constructor(
		readonly reason: 'tooLarge' | 'cut' | 'aborted',
		/** The status the answer started with. */
		readonly status: number,
		/** The limit in force, in bytes (for `tooLarge`). */
		readonly limitBytes: number,
		/** The stream's own error message (for `cut`). */
		readonly detail?: string,
	) {
		super(`answer ${reason}`);
	}
}

const isBodyStream = (body: unknown): body is BodyStream =>
	typeof body === 'object' && body !== null && typeof (body as BodyStream).on === 'function';

/**
 * The body's bytes, at most `maxBytes`, before `signal` aborts. Rejects with an AnswerReadError:
 * `tooLarge` (by its Content-Length or once more has arrived), `cut` (the connection closed or
 * failed before the end), `aborted` (the deadline or a cancelled execution; the caller tells which).
 */
function readBytes(answer: StreamedAnswer, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	const { body, statusCode } = answer;
	if (Buffer.isBuffer(body)) return Promise.resolve(body);
	if (typeof body === 'string') return Promise.resolve(Buffer.from(body));
	if (!isBodyStream(body)) return Promise.resolve(Buffer.alloc(0));
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (error: AnswerReadError | undefined) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (error) {
				body.destroy();
				reject(error);
			} else resolve(Buffer.concat(chunks, size));
		};
		const onAbort = () => settle(new AnswerReadError('aborted', statusCode, maxBytes));
		const tooLarge = () => settle(new AnswerReadError('tooLarge', statusCode, maxBytes));
		if (signal.aborted) return onAbort();
		if (Number(answer.headers['content-length']) > maxBytes) return tooLarge();
		signal.addEventListener('abort', onAbort);
		body.on('data', (chunk) => {
			size += chunk.length;
			if (size > maxBytes) tooLarge();
			else chunks.push(chunk);
		});
		body.on('end', () => settle(undefined));
		// n8n's helper fails the stream itself when the signal aborts: that is the abort, not a cut.
		body.on('error', (error) =>
			signal.aborted
				? onAbort()
				: settle(new AnswerReadError('cut', statusCode, maxBytes, error.message)),
		);
		// After 'end' this changes nothing; before it, the connection went away mid-answer.
		body.on('close', () =>
			signal.aborted ? onAbort() : settle(new AnswerReadError('cut', statusCode, maxBytes)),
		);
	});
}

/** Whether a parsed value nests deeper than `max` (iterative: the value may be very deep). */
function deeperThan(value: unknown, max: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth > max) return true;
		for (const child of Object.values(current)) stack.push([child, depth + 1]);
	}
	return false;
}

/**
 * The answer of a request already sent, once it arrives, read whole (readAnswer). When `signal`
 * aborts before it arrives, rejects as `aborted`; an answer that arrives later has its body dropped.
 */
export async function receiveAnswer(
	sent: Promise<StreamedAnswer>,
	limits: { maxBytes: number; signal: AbortSignal },
): Promise<Answer> {
	const { signal } = limits;
	const arrived = await new Promise<StreamedAnswer>((resolve, reject) => {
		const onAbort = () => reject(new AnswerReadError('aborted', 0, limits.maxBytes));
		if (signal.aborted) onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		sent.then(
			(answer) => {
				signal.removeEventListener('abort', onAbort);
				if (signal.aborted && isBodyStream(answer.body)) answer.body.destroy();
				resolve(answer);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
	return await readAnswer(arrived, limits);
}

/**
 * Reads a streamed answer whole (see readBytes for the limits) and parses its JSON. A body that is
 * not JSON stays text, as n8n's helper leaves it; JSON nested deeper than MAX_JSON_DEPTH is
 * `malformed`, so nothing downstream recurses into it.
 */
async function readAnswer(
	answer: StreamedAnswer,
	{ maxBytes, signal }: { maxBytes: number; signal: AbortSignal },
): Promise<Answer> {
	const status = answer.statusCode;
	const text = (await readBytes(answer, maxBytes, signal)).toString('utf8');
	const headers = answer.headers;
	if (text.trim() === '') return { status, headers, body: '' };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { status, headers, body: text };
	}
	if (deeperThan(parsed, MAX_JSON_DEPTH)) {
		return {
			status,
			headers,
			body: undefined,
			malformed: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
		};
	}
	return { status, headers, body: parsed };
}
