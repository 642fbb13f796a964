import { columnShape, flattenObject, flattenWithShape } from '../../nodes/shared/flatten';
import { isPlainObject } from '../../nodes/shared/objects';
import { detailShape, listItemShape } from '../../nodes/shared/numberShapes';

const seedMetaNumber = {
	id: 'wa_abc',
	number: '5511999999999',
	name: 'My WhatsApp',
	provider: 'META',
	state: 'OPEN',
	isFullyConnected: true,
	createdAt: '2026-02-24T15:00:00.000Z',
	updatedAt: '2026-06-30T09:18:33.000Z',
	health: {
		qualityRating: 'GREEN',
		messagingLimitTier: 'TIER_2K',
		metaStatus: 'CONNECTED',
		sendable: true,
	},
	meta: {
		fetchedAt: '2026-06-30T09:18:33.000Z',
		phone: {
			displayPhoneNumber: '+55 11 99999-9999',
			verifiedName: 'Acme LTDA',
			qualityRating: 'GREEN',
			messagingLimitTier: 'TIER_2K',
			isPinEnabled: true,
		},
		profile: {
			about: '8h-18h',
			email: 'contato@acme.com',
			websites: ['https://acme.com'],
			vertical: 'RETAIL',
		},
		waba: {
			id: '1029384756',
			name: 'Acme WABA',
			currency: 'BRL',
			businessVerificationStatus: 'verified',
			country: 'BR',
		},
	},
};

const hasNestedPlainObject = (value: Record<string, unknown>) =>
	Object.values(value).some(isPlainObject);

describe('flattenObject', () => {
	it('joins nested keys with _ and leaves no plain object nested', () => {
		const flat = flattenObject(seedMetaNumber);
		expect(flat.health_qualityRating).toBe('GREEN');
		expect(flat.meta_phone_displayPhoneNumber).toBe('+55 11 99999-9999');
		expect(flat.meta_waba_id).toBe('1029384756');
		expect(flat).not.toHaveProperty('meta');
		expect(hasNestedPlainObject(flat)).toBe(false);
	});

	it('keeps arrays as arrays and flattens the objects inside them', () => {
		const flat = flattenObject({
			websites: ['https://a', 'https://b'],
			apiKeys: [{ name: 'ops', scope: { kind: 'tenant' } }],
			matrix: [[{ a: { b: 1 } }]],
		});
		expect(flat.websites).toEqual(['https://a', 'https://b']);
		expect(flat.apiKeys).toEqual([{ name: 'ops', scope_kind: 'tenant' }]);
		expect(flat.matrix).toEqual([[{ a_b: 1 }]]);
	});

	it('keeps falsy leaves and gives an empty object a null column', () => {
		expect(flattenObject({ a: 0, b: false, c: '', d: null, e: {} })).toEqual({
			a: 0,
			b: false,
			c: '',
			d: null,
			e: null,
		});
	});

	it('never overwrites when two paths flatten to the same column', () => {
		expect(flattenObject({ a_b: 1, a: { b: 2 } })).toEqual({ a_b: 1, a_b_2: 2 });
	});
});

describe('flattenWithShape', () => {
	it('gives a Meta and a non-Meta number exactly the same columns, in the same order', () => {
		const qrNumber = {
			...seedMetaNumber,
			provider: 'PILOT_STATUS',
			health: { qualityRating: null, messagingLimitTier: null, metaStatus: null, sendable: true },
			meta: null,
		};
		const meta = flattenWithShape(seedMetaNumber, detailShape);
		const qr = flattenWithShape(qrNumber, detailShape);
		expect(Object.keys(meta)).toEqual(detailShape.columns);
		expect(Object.keys(qr)).toEqual(detailShape.columns);
	});

	it('has every field of the seed example, and null columns where meta or health is null or missing', () => {
		const flat = flattenWithShape(seedMetaNumber, detailShape);
		expect(Object.keys(flat)).toEqual(detailShape.columns);
		expect(flat.meta_profile_websites).toEqual(['https://acme.com']);

		const { health: _health, ...withoutHealth } = seedMetaNumber;
		const nonMeta = flattenWithShape(
			{ ...withoutHealth, provider: 'PILOT_STATUS', meta: null },
			detailShape,
		);
		expect(Object.keys(nonMeta)).toEqual(detailShape.columns);
		expect(nonMeta.meta_phone_displayPhoneNumber).toBeNull();
		expect(nonMeta.health_sendable).toBeNull();
		expect(nonMeta).not.toHaveProperty('meta');
	});

	it('keeps fields the API adds, flattened, after the documented columns', () => {
		const flat = flattenWithShape(
			{
				...seedMetaNumber,
				region: 'br',
				health: { ...seedMetaNumber.health, throughput: { level: 'HIGH' } },
			},
			detailShape,
		);
		const keys = Object.keys(flat);
		expect(keys.slice(0, detailShape.columns.length)).toEqual(detailShape.columns);
		expect(flat.region).toBe('br');
		expect(flat.health_throughput_level).toBe('HIGH');
	});

	it('keeps a documented parent that is not an object instead of dropping it', () => {
		expect(flattenWithShape({ meta: 'unavailable' }, detailShape).meta).toBe('unavailable');
	});

	it('gives list items their documented columns plus apiKeys', () => {
		expect(listItemShape.columns).toEqual([
			'id',
			'number',
			'name',
			'provider',
			'state',
			'isFullyConnected',
			'createdAt',
			'updatedAt',
			'apiKeys',
		]);
		expect(Object.keys(flattenWithShape({ id: 'x' }, listItemShape))).toEqual(
			listItemShape.columns,
		);
	});

	it('derives columns and parents from an example shape', () => {
		const shape = columnShape({ a: null, b: { c: null, d: { e: null } } });
		expect(shape.columns).toEqual(['a', 'b_c', 'b_d_e']);
		expect([...shape.parents]).toEqual(['b', 'b_d']);
	});
});
