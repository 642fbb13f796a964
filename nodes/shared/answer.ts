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
		// After 'end' (every answer read whole) nothing to do, and no error built: its stack trace
		// would cost more than reading the answer. Before it, the connection went away mid-answer.
		body.on('close', () => {
			if (settled) return;
			if (signal.aborted) onAbort();
			else settle(new AnswerReadError('cut', statusCode, maxBytes));
		});
	});
}

/**
 * Whether a parsed value nests deeper than `max`. Iterative (the value may be very deep), and only
 * containers are queued: a list of millions of numbers or strings costs no memory here.
 */
function deeperThan(value: unknown, max: number): boolean {
	const containers: object[] = [];
	const depths: number[] = [];
	const queue = (child: unknown, depth: number) => {
		if (child !== null && typeof child === 'object') {
			containers.push(child);
			depths.push(depth);
		}
	};
	queue(value, 1);
	while (containers.length > 0) {
		const container = containers.pop()!;
		const depth = depths.pop()!;
		if (depth > max) return true;
		for (const child of Object.values(container)) queue(child, depth + 1);
	}
	return false;
}

/**
 * How many JSON values (scalars, arrays, objects) the text holds, counted without parsing it, so
 * that text of tiny values (`[0,0,…]`, `[{},{},…]`) is refused before it becomes millions of
 * objects in n8n's memory. Counts commas and opening brackets outside strings: every value but the
 * first in a container follows a comma.
 */
function valueCount(text: string): number {
	let count = 1;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === 0x5c) index++;
			else if (code === 0x22) inString = false;
		} else if (code === 0x22) inString = true;
		else if (code === 0x2c || code === 0x5b || code === 0x7b) count++;
	}
	return count;
}

/**
 * A large answer holds at most one JSON value per this many characters. PilotStatus's answers hold
 * one per 16–21 (measured on the seed's fields: a list of 100,000 numbers, a detail, a status); an
 * answer of tiny values near the size limit would take many times its size in memory (a 64 MiB
 * list of zeros is 33 million numbers, of `{}` 22 million objects).
 */
const MIN_CHARACTERS_PER_VALUE = 10;
/** Below this many values an answer is small whatever its values. */
const FEW_VALUES = 100_000;

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
	// Each value but the first takes at least one character: shorter text is never dense, and
	// PilotStatus's usual answers (a detail is about 1 KB) skip the scan.
	const values = text.length < FEW_VALUES ? 0 : valueCount(text);
	if (values > FEW_VALUES && values > text.length / MIN_CHARACTERS_PER_VALUE) {
		return {
			status,
			headers,
			body: undefined,
			malformed: `${values} JSON values in ${text.length} characters, far denser than the API's answers`,
		};
	}
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
