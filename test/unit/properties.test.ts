/**
 * Property-based tests (fast-check): ids of any shape never change the request path, and flattening
 * any payload never leaves a nested object and never loses a value.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { flattenObject, flattenWithShape } from '../../nodes/shared/flatten';
import { isPlainObject } from '../../nodes/shared/objects';
import { checkNumberId, numberPath } from '../../nodes/shared/numberId';
import { detailShape } from '../../nodes/shared/numberShapes';
import { isSecretField, withoutSecrets } from '../../nodes/shared/secrets';

/** Strings of any UTF-16 code units (lone surrogates included), plus the characters that matter in a path. */
const anyString = fc.oneof(
	fc.string({ unit: 'binary' }),
	fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
	fc.string({
		unit: fc.constantFrom(
			'/',
			'.',
			'..',
			'%',
			'%2F',
			'?',
			'#',
			'\\',
			' ',
			'\t',
			'\n',
			'a',
			'é',
			'\uD800',
		),
	}),
	fc.constantFrom('.', '..', ' . ', '/', '%2e%2e', '?refresh=1', '#x'),
);
/** What an expression may put in the Number field. */
const anyIdValue = fc.oneof(anyString, anyString, fc.anything());

describe('request path for any id', () => {
	it('is either refused with a message, or exactly one segment after /v1/numbers/ that decodes back to the id', () => {
		fc.assert(
			fc.property(anyIdValue, (value) => {
				const checked = checkNumberId(value, ' (item 0)');
				if ('problem' in checked) {
					expect(checked.problem).toMatch(/^Number (is required|ID) .*\(item 0\)/);
					return;
				}
				// The same concatenation the transport does, then parsed as every HTTP client does.
				const url = new URL(`https://pilotstatus.com.br${numberPath(checked.id)}`);
				const segments = url.pathname.split('/');
				expect(segments.slice(0, 3)).toEqual(['', 'v1', 'numbers']);
				expect(segments).toHaveLength(4);
				expect(decodeURIComponent(segments[3])).toBe(checked.id);
				expect(url.search).toBe('');
				expect(url.hash).toBe('');
			}),
			{ numRuns: 2000 },
		);
	});
});

/** Every value of a payload that is not a container; an empty object counts as one null (its column). */
function leaves(value: unknown): unknown[] {
	if (Array.isArray(value)) return value.flatMap(leaves);
	if (isPlainObject(value)) {
		const values = Object.values(value);
		return values.length === 0 ? [null] : values.flatMap(leaves);
	}
	return [value];
}
const sorted = (values: unknown[]) =>
	values.map((value) => JSON.stringify(value) ?? 'undefined').sort();

/** No plain object as a value; objects inside arrays flattened the same way. */
function hasNestedObject(flat: Record<string, unknown>): boolean {
	const nested = (value: unknown): boolean =>
		isPlainObject(value) ||
		(Array.isArray(value) &&
			value.some((element) =>
				isPlainObject(element) ? hasNestedObject(element) : nested(element),
			));
	return Object.values(flat).some(nested);
}

/** API-like payloads: nested objects and arrays, documented field names mixed with any others. */
const key = fc.oneof(
	fc.string(),
	fc.constantFrom(
		'id',
		'health',
		'meta',
		'phone',
		'waba',
		'a_b',
		'a',
		'b',
		'accessToken',
		'appSecret',
		'providerConfig',
		'__proto__',
	),
);
const payload = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
		tie('object'),
		fc.array(tie('value'), { maxLength: 4 }),
	),
	object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
})).object as fc.Arbitrary<IDataObject>;

describe('flattening any payload', () => {
	const documented = new Set(detailShape.columns);

	it('leaves no nested plain object and loses no leaf value', () => {
		fc.assert(
			fc.property(payload, (source) => {
				const flat = flattenObject(source);
				expect(hasNestedObject(flat)).toBe(false);
				expect(sorted(leaves(flat))).toEqual(sorted(leaves(source)));
			}),
			{ numRuns: 1000 },
		);
	});

	it('as the node outputs it (secrets removed, documented columns first) has every column, no nested object, no secret-looking column', () => {
		fc.assert(
			fc.property(payload, (source) => {
				const flat = flattenWithShape(withoutSecrets(source), detailShape);
				// Every documented column, in order (JavaScript always lists integer-like keys such as "0" first).
				expect(Object.keys(flat).filter((column) => documented.has(column))).toEqual(
					detailShape.columns,
				);
				expect(hasNestedObject(flat)).toBe(false);
				expect(Object.keys(flat).filter(isSecretField)).toEqual([]);
			}),
			{ numRuns: 1000 },
		);
	});
});
