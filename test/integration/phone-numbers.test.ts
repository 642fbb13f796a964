/**
 * Phone numbers wherever a person types one: Get and Check Status By Phone Number, the List filter
 * Search and the Number dropdown's search. Run by n8n-core against the sandbox; the phone matching
 * itself (formats, Brazil's ninth digit) is unit-tested in test/unit/phone.test.ts.
 */
import { listSearch, runNode } from '../harness/n8n';
import { byPhone, checkStatus, get, list } from '../harness/parameters';
import { faults, injectFault } from '../sandbox/faults';
import { KEYS } from '../sandbox/fixtures';
import { useSandbox } from '../sandbox/lifecycle';
import { addQrNumber, everything, ids, indexes, pairing, rawUrls } from './helpers';

const { sandbox, credentials } = useSandbox();

const requested = () => rawUrls(sandbox);
const addNumber = (id: string, number: string, name = id) => addQrNumber(sandbox, id, number, name);

describe('Get By Phone Number', () => {
	it.each(['+55 11 98888-7777', '5511988887777', '(11) 98888-7777', '0055 11 98888 7777'])(
		'finds the number whose phone is %j, through one List, then gets it',
		async (phone) => {
			const result = await runNode({ parameters: get(byPhone(phone)), credentials });
			expect(result.error).toBeUndefined();
			expect(ids(result.items)).toEqual(['wa_sales']);
			expect(result.items[0].json.health_qualityRating).toBe('YELLOW');
			expect(requested()).toEqual(['/v1/numbers', '/v1/numbers/wa_sales']);
		},
	);

	it("finds a number stored without Brazil's ninth digit by the number with it, and the reverse", async () => {
		addNumber('wa_natal', '558488887777', 'Natal');
		addNumber('wa_recife', '5581977776666', 'Recife');
		const run = async (phone: string) =>
			ids((await runNode({ parameters: get(byPhone(phone)), credentials })).items);
		expect(await run('+55 84 98888-7777')).toEqual(['wa_natal']);
		expect(await run('84 98888-7777')).toEqual(['wa_natal']);
		expect(await run('+55 81 7777-6666')).toEqual(['wa_recife']);
		expect(await run('558177776666')).toEqual(['wa_recife']);
	});

	it('takes digits an expression gives as a number', async () => {
		const result = await runNode({
			parameters: get(byPhone('={{ $json.phone }}')),
			input: [{ phone: 5521977776666 }],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(['wa_qr_support']);
	});

	it('lists the numbers once per run, however many items give a phone number', async () => {
		const result = await runNode({
			parameters: get(byPhone('={{ $json.phone }}')),
			input: [
				{ phone: '+55 11 98888-7777' },
				{ phone: '(21) 97777-6666' },
				{ phone: '5511988887777' },
				{ phone: '+55 11 99999-9999' },
			],
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(ids(result.items)).toEqual(['wa_sales', 'wa_qr_support', 'wa_sales', 'wa_abc']);
		expect(pairing(result.items)).toEqual(indexes(4));
		const listRequests = requested().filter((url) => url === '/v1/numbers');
		expect(listRequests).toHaveLength(1);
		expect(new Set(requested())).toEqual(
			new Set([
				'/v1/numbers',
				'/v1/numbers/wa_sales',
				'/v1/numbers/wa_qr_support',
				'/v1/numbers/wa_abc',
			]),
		);
	});

	it('says when no number has the phone number, listing the numbers the key sees', async () => {
		const result = await runNode({
			parameters: get(byPhone('+55 11 97777-0000')),
			credentials,
		});
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe(
			"No number in this PilotStatus account has the phone number '+55 11 97777-0000' (item 0)",
		);
		expect(result.error?.description).toBe(
			'The numbers this API key can see: My WhatsApp 5511999999999 (id wa_abc), Acme Sales 5511988887777 (id wa_sales), Support QR 5521977776666 (id wa_qr_support), Old phone 5531966665555 (id wa_qr_old), Slash id 5541900000001 (id a/b), Dot id 5541900000002 (id ../x), Query id 5541900000003 (id x?y=1), Accents id 5541900000004 (id é ü). Give the whole phone number with its country and area code, e.g. +55 11 98888-7777, or pick the number from the list or by ID.',
		);
		// Only the list was asked for: an unknown phone never becomes a request for an id.
		expect(requested()).toEqual(['/v1/numbers']);
		expect(everything(result)).not.toContain(KEYS.acmeTenant);
	});

	it('suggests the numbers whose phone contains the digits, and names at most ten', async () => {
		for (let n = 0; n < 12; n++)
			addNumber(`wa_bulk${n}`, `55479100000${String(n).padStart(2, '0')}`);
		const partial = await runNode({ parameters: get(byPhone('+55 47 9100')), credentials });
		expect(partial.error?.message).toBe(
			"No number in this PilotStatus account has the phone number '+55 47 9100' (item 0)",
		);
		expect(partial.error?.description).toMatch(
			/^Numbers whose phone contains these digits: wa_bulk0 5547910000000 \(id wa_bulk0\), .*wa_bulk9 5547910000009 \(id wa_bulk9\), and 2 more\. Give the whole/,
		);
	});

	it("takes the number stored digit for digit as typed over the same line's ninth-digit twin", async () => {
		addNumber('wa_natal_new', '5584988887777', 'Natal new');
		addNumber('wa_natal_old', '558488887777', 'Natal old');
		const result = await runNode({
			parameters: get(byPhone('={{ $json.phone }}')),
			input: [
				{ phone: '+55 84 98888-7777' },
				{ phone: '+55 84 8888-7777' },
				{ phone: '(84) 98888-7777' },
			],
			credentials,
		});
		expect(ids(result.items)).toEqual(['wa_natal_new', 'wa_natal_old', 'wa_natal_new']);
		// Digits that several numbers end with (both, and wa_sales's 11 98888-7777) name none.
		const both = await runNode({ parameters: get(byPhone('8888-7777')), credentials });
		expect(both.error?.message).toBe(
			"The phone number '8888-7777' matches 3 numbers in this PilotStatus account (item 0)",
		);
	});

	it('says the number found by its phone number was then not found, not that the phone number is wrong', async () => {
		injectFault(sandbox, faults.status(404, { body: { error: 'Not Found' } }), {
			path: '/v1/numbers/wa_sales',
		});
		const result = await runNode({ parameters: get(byPhone('+55 11 98888-7777')), credentials });
		expect(result.error?.message).toBe(
			"The phone number '+55 11 98888-7777' is number 'wa_sales' in the list of numbers, but PilotStatus did not find that number's details (HTTP 404) (item 0)",
		);
		expect(result.error?.description).toBe(
			'The number may have been removed from the account a moment ago. Run the workflow again; if the number is still listed, contact PilotStatus support.',
		);
		expect(requested()).toEqual(['/v1/numbers', '/v1/numbers/wa_sales']);
	});

	it('says when a phone number matches several numbers, and which', async () => {
		addNumber('wa_rio', '5521988887777', 'Rio');
		const result = await runNode({ parameters: get(byPhone('98888-7777')), credentials });
		expect(result.error?.message).toBe(
			"The phone number '98888-7777' matches 2 numbers in this PilotStatus account (item 0)",
		);
		expect(result.error?.description).toBe(
			'It matches Acme Sales 5511988887777 (id wa_sales), Rio 5521988887777 (id wa_rio). Give the whole phone number with its country and area code, e.g. +55 11 98888-7777, or pick the number from the list or by ID.',
		);
		// With the area code it is one number.
		const one = await runNode({ parameters: get(byPhone('(21) 98888-7777')), credentials });
		expect(ids(one.items)).toEqual(['wa_rio']);
	});

	it.each<[string, string, string]>([
		[
			'Acme Sales',
			"'Acme Sales' is not a phone number (item 0)",
			'Enter the phone number in digits',
		],
		[
			'9888-77',
			"The phone number '9888-77' is too short to identify one number (item 0): it has 6 digits, at least 8 are needed",
			'Give the whole phone number',
		],
		[
			'={{ $json.missing }}',
			'Number is required (item 0): it is empty',
			'Pick a number from the list',
		],
	])('refuses %j before sending anything', async (value, message, hint) => {
		const result = await runNode({ parameters: get(byPhone(value)), credentials });
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toMatch(new RegExp(`^${hint}`));
		expect(sandbox.requests).toEqual([]);
	});

	it('with Continue On Fail, gives the failing item its error and goes on', async () => {
		const result = await runNode({
			parameters: get(byPhone('={{ $json.phone }}')),
			input: [{ phone: '+55 11 98888-7777' }, { phone: '+55 11 90000-0000' }, { phone: 'Support' }],
			continueOnFail: true,
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			'wa_sales',
			"No number in this PilotStatus account has the phone number '+55 11 90000-0000' (item 1)",
			"'Support' is not a phone number (item 2)",
		]);
		expect(pairing(result.items)).toEqual(indexes(3));
	});

	it('says so when the key sees no numbers at all', async () => {
		sandbox.tenants.acme.numbers = [];
		const result = await runNode({ parameters: get(byPhone('+55 11 98888-7777')), credentials });
		expect(result.error?.description).toBe(
			'This API key sees no numbers at all: check that the API key in the PilotStatus credential belongs to the account that has them.',
		);
	});

	it('sees only what a number-scoped key sees', async () => {
		credentials.apiKey = KEYS.acmeNumber;
		const own = await runNode({ parameters: get(byPhone('+55 11 99999-9999')), credentials });
		expect(ids(own.items)).toEqual(['wa_abc']);
		const other = await runNode({ parameters: get(byPhone('+55 11 98888-7777')), credentials });
		expect(other.error?.description).toMatch(
			/^The numbers this API key can see: My WhatsApp 5511999999999 \(id wa_abc\)\. /,
		);
	});
});

describe('phone numbers as people and models paste them', () => {
	it.each<[string, string]>([
		['tel:+5511988887777', 'wa_sales'],
		['📱 +55 11 98888-7777', 'wa_sales'],
		['+55 84 98888-7777 (Natal)', 'wa_natal'],
		// Brazil: 0xx is the trunk 0 and a stand-in for the carrier code; 0 21 is trunk and carrier.
		['(0xx84) 98888-7777', 'wa_natal'],
		['0 21 84 98888-7777', 'wa_natal'],
		// The trunk 0 written inside the international form.
		['+55 (011) 98888-7777', 'wa_sales'],
		['+44 (0)20 7946 0958', 'wa_uk'],
		// A label with digits of its own, before or after: its digits are not the phone's.
		['Loja 2: +55 11 98888-7777', 'wa_sales'],
		['+55 11 98888-7777 (loja 2)', 'wa_sales'],
		['WhatsApp 1 - (11) 98888-7777', 'wa_sales'],
		['Natal 2 - (84) 98888-7777', 'wa_natal'],
	])('By Phone Number %j finds %s', async (phone, id) => {
		addNumber('wa_natal', '558488887777', 'Natal');
		addNumber('wa_uk', '442079460958', 'London');
		const result = await runNode({ parameters: get(byPhone(phone)), credentials });
		expect(result.error?.message).toBeUndefined();
		expect(ids(result.items)).toEqual([id]);
		expect(requested()).toEqual(['/v1/numbers', `/v1/numbers/${id}`]);
	});

	it('keeps a 0 in parentheses that belongs to the number (Italy dials it)', async () => {
		addNumber('wa_rome', '390612345678', 'Rome');
		const result = await runNode({ parameters: get(byPhone('+39 (06) 1234 5678')), credentials });
		expect(ids(result.items)).toEqual(['wa_rome']);
	});
});

describe('Search finds everything version 0.1.0 found', () => {
	// "Slash id" is 5541900000001: 0.1.0 found it by its last digits, whatever their zeros; the
	// phone matching reads a leading 00 as the international prefix, which alone finds nothing.
	it.each(['0001', '00001', '0000 0001', '41 90000-0001'])(
		'the List filter Search and the Number dropdown find 5541900000001 for %j',
		async (search) => {
			const listed = await runNode({
				parameters: list({ returnAll: true, filters: { search } }),
				credentials,
			});
			expect(listed.error).toBeUndefined();
			expect(ids(listed.items)).toEqual(['a/b']);
			const dropdown = await listSearch({ method: 'searchNumbers', filter: search, credentials });
			expect(dropdown.results).toEqual([{ name: 'Slash id · 5541900000001', value: 'a/b' }]);
		},
	);

	it('a + before digits that are no country code still finds them anywhere, as in 0.1.0', async () => {
		const dropdown = await listSearch({ method: 'searchNumbers', filter: '+9000', credentials });
		expect(dropdown.results.map((result) => result.value)).toEqual(['a/b', '../x', 'x?y=1', 'é ü']);
	});
});

describe('Check Status By Phone Number', () => {
	it('checks the number the phone number identifies', async () => {
		addNumber('wa_natal', '558488887777', 'Natal');
		const result = await runNode({
			parameters: checkStatus(byPhone('+55 (84) 9 8888-7777')),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 'wa_natal', state: 'OPEN' });
		expect(requested()).toEqual(['/v1/numbers', '/v1/numbers/wa_natal/status']);
	});
});

describe("Brazil's ninth digit in searches", () => {
	beforeEach(() => {
		addNumber('wa_natal', '558488887777', 'Natal');
		addNumber('wa_recife', '5581977776666', 'Recife');
	});

	it('the List filter Search finds a number with or without it', async () => {
		const search = async (text: string) =>
			ids(
				(
					await runNode({
						parameters: list({ returnAll: true, filters: { search: text } }),
						credentials,
					})
				).items,
			);
		expect(await search('+55 84 98888-7777')).toEqual(['wa_natal']);
		expect(await search('(81) 7777-6666')).toEqual(['wa_recife']);
		// Still a search: a fragment of the digits, or a name.
		expect(await search('98888')).toEqual(['wa_sales', 'wa_natal']);
		expect(await search('recife')).toEqual(['wa_recife']);
	});

	it("the Number dropdown's search finds a number with or without it", async () => {
		const search = async (filter: string) =>
			(await listSearch({ method: 'searchNumbers', filter, credentials })).results.map(
				(result) => result.value,
			);
		expect(await search('+55 84 98888-7777')).toEqual(['wa_natal']);
		expect(await search('558177776666')).toEqual(['wa_recife']);
	});
});
