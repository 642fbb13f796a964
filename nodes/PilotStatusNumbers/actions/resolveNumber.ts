import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { isResourceLocatorValue, NodeApiError } from 'n8n-workflow';

import type { Wording } from '../../shared/audience';
import { fixedSettingHint, itemNote, modelGives, runsAsTool, worded } from '../../shared/audience';
import { asNodeError, inputError, quoteId, rewordedError } from '../../shared/errors';
import type { PhoneCandidates } from '../../shared/numberByPhone';
import { describeNumbers, findByPhone, isWholeLine } from '../../shared/numberByPhone';
import type { NodeRun } from '../../shared/nodeRun';
import { nodeRun } from '../../shared/nodeRun';
import type { NumberId } from '../../shared/numberId';
import { checkNumberId } from '../../shared/numberId';
import type { PhoneTerm } from '../../shared/phone';
import { MIN_LINE_DIGITS, parsePhoneTerm } from '../../shared/phone';
import type { RequestScope } from '../../shared/transport';
import { listNumbers } from '../../shared/transport';
import type { PilotStatusNumber } from '../../shared/types';

/*
 * The Number parameter (descriptions/numberLocator.ts), read and resolved to the id the API takes:
 * From List and By ID give the id; By Phone Number, and in a tool any value that reads as a phone
 * number, is looked up in the account's list of numbers.
 */

/** What to do when the Number field gives nothing usable. */
const NUMBER_HINT: Wording = {
	workflow:
		'Pick a number from the list, give its ID (e.g. wa_abc) or its phone number (By Phone Number). From a previous List step use {{ $json.id }}.',
	tool: 'Give the id of a number from the List numbers tool (e.g. wa_abc), or its phone number (e.g. +55 11 98888-7777).',
};

/** What to do when the Number field gives nothing usable, for this node (see NUMBER_HINT). */
function numberHint(node: INode): string {
	if (!runsAsTool(node) || modelGives(node, 'numberId')) return worded(node, NUMBER_HINT);
	return fixedSettingHint(
		'Number',
		'set Number to a number, or click "Let the model define this parameter" beside it',
	);
}

/** What to do when a phone number matches several numbers. */
const PHONE_HINT: Wording = {
	workflow:
		'Give the whole phone number with its country and area code, e.g. +55 11 98888-7777, or pick the number from the list or by ID.',
	tool: 'Call this tool again with one of these ids, or with the whole phone number including country and area code (e.g. +55 11 98888-7777).',
};

// One List per node run is shared by every item that gives a phone number. It is only read here,
// so it is kept as listed rather than copied for each item, as NodeRun.once would.
const listedByRun = new WeakMap<NodeRun, Promise<PilotStatusNumber[]>>();

async function listedNumbers(ctx: IExecuteFunctions, scope: RequestScope) {
	const run = nodeRun(ctx);
	let listed = listedByRun.get(run);
	if (!listed) {
		listed = listNumbers(ctx, scope);
		listedByRun.set(run, listed);
	}
	return await listed;
}

/** A phone number as the plain node's By Phone Number mode takes it: text, or digits as a number. */
function readPhone(
	node: INode,
	value: unknown,
	itemIndex: number,
): { text: string; term: PhoneTerm } {
	const where = itemNote(node, itemIndex);
	const text =
		typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? String(value) : value;
	if (typeof text !== 'string' || text.trim() === '') {
		// Empty, or not text at all: checkNumberId's message says which, as for an id.
		const checked = checkNumberId(text, where);
		const problem = 'problem' in checked ? checked.problem : `Number is required${where}`;
		throw inputError(node, problem, numberHint(node), itemIndex);
	}
	const term = parsePhoneTerm(text);
	if (!term) {
		throw inputError(
			node,
			`${quoteId(text.trim())} is not a phone number${where}`,
			'Enter the phone number in digits, e.g. +55 11 98888-7777 or 5511988887777 (spaces, dashes, dots and parentheses are fine), or pick the number from the list or by ID.',
			itemIndex,
		);
	}
	if (!isWholeLine(term)) throw tooShort(node, { text: text.trim(), term }, itemIndex);
	return { text: text.trim(), term };
}

/** What to do about a phone number too short to identify a number. */
const TOO_SHORT_HINT: Wording = {
	workflow: PHONE_HINT.workflow,
	tool: 'Call this tool again with the whole phone number including country and area code (e.g. +55 11 98888-7777), or with an id from the List numbers tool (e.g. wa_abc).',
};

/** A phone number with too few digits to be one line (see isWholeLine). */
function tooShort(
	node: INode,
	{ text, term }: { text: string; term: PhoneTerm },
	itemIndex: number,
) {
	const problem = `it has ${term.digits.length} digits, at least ${MIN_LINE_DIGITS} are needed`;
	// A tool took the value as a phone number only after no id matched it.
	const message = runsAsTool(node)
		? `No number has the id ${quoteId(text)}, and as a phone number it is too short to identify one number: ${problem}`
		: `The phone number ${quoteId(text)} is too short to identify one number${itemNote(node, itemIndex)}: ${problem}`;
	return inputError(node, message, worded(node, TOO_SHORT_HINT), itemIndex);
}

/** How a phone number was read, for a model: `+5511988887777`, or the digits without a `+`. */
const readAs = ({ digits, international }: PhoneTerm) => (international ? `+${digits}` : digits);

/** What to do when a phone number matches none of the numbers listed. */
const NO_MATCH_HINT: Wording = {
	workflow: PHONE_HINT.workflow,
	tool: 'If one of these is the number meant, call this tool again with its id. Otherwise no number with this phone number is in the PilotStatus account this API key sees: tell the user so, rather than calling again with the same number.',
};

/** The one number a phone number identifies, or an error that lists what was found instead. */
function onlyMatch(
	node: INode,
	{ same, partial }: PhoneCandidates,
	{
		text,
		term,
		listed,
		itemIndex,
	}: { text: string; term: PhoneTerm; listed: PilotStatusNumber[]; itemIndex: number },
): PilotStatusNumber {
	const where = itemNote(node, itemIndex);
	if (same.length === 1) return same[0];
	if (same.length > 1) {
		throw inputError(
			node,
			`The phone number ${quoteId(text)} matches ${same.length} numbers in this PilotStatus account${where}`,
			`It matches ${describeNumbers(same)}. ${worded(node, PHONE_HINT)}`,
			itemIndex,
		);
	}
	const found =
		partial.length > 0
			? `Numbers whose phone contains these digits: ${describeNumbers(partial)}`
			: `The numbers this API key can see: ${describeNumbers(listed)}`;
	// A model is told how its text was read, so it can see whether that is what it meant.
	const searched = worded(node, {
		workflow: '',
		tool: `Looked for ${readAs(term)}, in any format, with and without Brazil's ninth digit. `,
	});
	const description =
		listed.length === 0
			? 'This API key sees no numbers at all: check that the API key in the PilotStatus credential belongs to the account that has them.'
			: `${searched}${found}. ${worded(node, NO_MATCH_HINT)}`;
	throw inputError(
		node,
		`No number in this PilotStatus account has the phone number ${quoteId(text)}${where}`,
		description,
		itemIndex,
	);
}

/** The id of the number a phone number identifies, through the run's one List. */
async function idOfPhone(
	ctx: IExecuteFunctions,
	phone: { text: string; term: PhoneTerm },
	itemIndex: number,
	scope: RequestScope,
): Promise<NumberId> {
	const node = ctx.getNode();
	const listed = await listedNumbers(ctx, scope);
	// An id that merely looks like a phone number (digits only) is still that number's id.
	const byId = listed.find((number) => number.id === phone.text);
	if (!byId && !isWholeLine(phone.term)) throw tooShort(node, phone, itemIndex);
	const number =
		byId ?? onlyMatch(node, findByPhone(listed, phone.term), { ...phone, listed, itemIndex });
	const checked = checkNumberId(number.id);
	if ('problem' in checked) {
		throw inputError(
			node,
			`PilotStatus lists the number with the phone number ${quoteId(phone.text)} without a usable ID${itemNote(node, itemIndex)}`,
			'Its id in the list is empty or not text, so it cannot be asked for. Contact PilotStatus support about it.',
			itemIndex,
		);
	}
	return checked.id;
}

/** A number the Number parameter names: its id, and the phone number it was found by, if so. */
interface NamedNumber {
	id: NumberId;
	/** The phone number as typed, when the id was looked up by it in the run's List. */
	phone?: string;
}

// One pair of quotes or backticks around a whole value, as models paste ids and phone numbers:
// "wa_sales", 'wa_sales', `wa_sales`, and the curly ones.
const QUOTED = /^(?:"(.*)"|'(.*)'|`(.*)`|\u201c(.*)\u201d|\u2018(.*)\u2019|\u00ab(.*)\u00bb)$/s;

/** A value a model gave, without surrounding spaces and one pair of quotes around it. */
function unquoted(text: string): string {
	const quoted = QUOTED.exec(text.trim());
	return quoted ? (quoted.slice(1).find((inside) => inside !== undefined) ?? '').trim() : text;
}

/**
 * The number the `numberId` parameter names, checked (see checkNumberId). A phone number (By
 * Phone Number, or in a tool any value that parsePhoneTerm reads as one, in whatever mode the
 * editor saved the field: 0.1.0 saved tools' Number in From List mode) is looked up in the run's
 * one List: in a tool, an id equal to the text wins; otherwise it must be exactly one number's
 * phone (matchPhone 'same': any format, Brazil's ninth digit both ways, at least MIN_LINE_DIGITS
 * digits; one typed digit for digit wins, findByPhone), else the error lists the numbers found.
 * Every other value is sent as the id. In a tool, one pair of quotes around the value is dropped.
 */
async function resolveNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	scope: RequestScope,
): Promise<NamedNumber> {
	const node = ctx.getNode();
	const parameter: unknown = ctx.getNodeParameter('numberId', itemIndex, undefined);
	const { mode, value: given } = isResourceLocatorValue(parameter)
		? parameter
		: { mode: 'id', value: parameter };
	const value = runsAsTool(node) && typeof given === 'string' ? unquoted(given) : given;
	if (mode === 'phone') {
		const phone = readPhone(node, value, itemIndex);
		return { id: await idOfPhone(ctx, phone, itemIndex, scope), phone: phone.text };
	}
	if (runsAsTool(node) && typeof value === 'string') {
		const term = parsePhoneTerm(value);
		const text = value.trim();
		if (term) return { id: await idOfPhone(ctx, { text, term }, itemIndex, scope), phone: text };
	}
	const checked = checkNumberId(value, itemNote(node, itemIndex));
	if ('problem' in checked) throw inputError(node, checked.problem, numberHint(node), itemIndex);
	return { id: checked.id };
}

/** What to do when a number found by its phone number is then not found by its id. */
const GONE_HINT: Wording = {
	workflow:
		'The number may have been removed from the account a moment ago. Run the workflow again; if the number is still listed, contact PilotStatus support.',
	tool: 'The number may have been removed from the account a moment ago. Call the List numbers tool to see the numbers there now. If it is still listed, tell the user that PilotStatus lists this number but does not find it by its id, and to contact PilotStatus support.',
};

/**
 * Resolves the `numberId` parameter (see resolveNumber) and asks PilotStatus about that number
 * with `ask`; `numberId` is the id asked for. When the id came from a phone number and PilotStatus
 * answers 404, the error says so: the phone number was found in the List, its id was not.
 */
export async function askNumber<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	scope: RequestScope,
	ask: (numberId: NumberId) => Promise<T>,
): Promise<{ numberId: NumberId; answer: T }> {
	const { id, phone } = await resolveNumber(ctx, itemIndex, scope);
	try {
		return { numberId: id, answer: await ask(id) };
	} catch (error) {
		const node = ctx.getNode();
		if (phone === undefined || !(error instanceof NodeApiError) || error.httpCode !== '404') {
			throw asNodeError(node, error, itemIndex);
		}
		throw rewordedError(node, error, {
			message: `The phone number ${quoteId(phone)} is number ${quoteId(id)} in the list of numbers, but PilotStatus did not find that number's details (HTTP 404)${itemNote(node, itemIndex)}`,
			description: worded(node, GONE_HINT),
		});
	}
}
