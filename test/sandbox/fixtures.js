'use strict';
/**
 * The sandbox's accounts: two tenants, each with a tenant-scoped and a number-scoped key, Meta and
 * non-Meta numbers, and ids that need URL encoding. Every call returns a fresh copy, so a test can
 * change its sandbox's numbers freely.
 */

/**
 * A number as the sandbox holds it: the API's fields plus `secrets` it never returns. Loosely typed
 * on purpose, so tests can give a number any shape the API might send.
 * @typedef {{ id: string, [field: string]: any }} SandboxNumber
 */
/**
 * An account: its keys (tenant-scoped, or scoped to one number) and its numbers, in list order.
 * @typedef {object} SandboxTenant
 * @property {Array<{ key: string, name: string, scope: 'tenant' | 'number', numberId?: string }>} keys
 * @property {SandboxNumber[]} numbers
 */

const KEYS = {
	acmeTenant: 'ps_test_acme_tenant_7f3c9a1e5b2d4c6e8f0a',
	acmeNumber: 'ps_test_acme_number_2b4d6f8a0c1e3a5b7d9f',
	globexTenant: 'ps_test_globex_tenant_9e8d7c6b5a4f3e2d1c0b',
	globexNumber: 'ps_test_globex_number_1a2b3c4d5e6f7a8b9c0d',
};

/**
 * A Meta Cloud API number, shaped as the seed's example.
 * @param {{ id: string, number: string, name: string, state: string, connected: boolean,
 *   quality: string, tier: string, metaStatus: string, sendable: boolean, display: string,
 *   verifiedName: string, waba: Record<string, string> }} fields
 * @returns {SandboxNumber}
 */
function metaNumber({
	id,
	number,
	name,
	state,
	connected,
	quality,
	tier,
	metaStatus,
	sendable,
	display,
	verifiedName,
	waba,
}) {
	return {
		id,
		number,
		name,
		provider: 'META',
		state,
		isFullyConnected: connected,
		createdAt: '2026-02-24T15:00:00.000Z',
		updatedAt: '2026-06-30T09:18:33.000Z',
		health: { qualityRating: quality, messagingLimitTier: tier, metaStatus, sendable },
		meta: {
			fetchedAt: '2026-06-30T09:18:33.000Z',
			phone: {
				displayPhoneNumber: display,
				verifiedName,
				qualityRating: quality,
				messagingLimitTier: tier,
				isPinEnabled: true,
			},
			profile: {
				about: '8h-18h',
				email: 'contato@acme.com',
				websites: ['https://acme.com'],
				vertical: 'RETAIL',
			},
			waba,
		},
		// Held by the gateway, never returned: the sandbox checks that it stays hidden.
		secrets: { accessToken: 'EAAG-sandbox-meta-access-token', appSecret: 'sandbox-app-secret' },
	};
}

/**
 * An unofficial (QR) number: no Meta rating and `meta: null`, as the seed says.
 * @param {{ id: string, number: string, name: string, state: string, connected: boolean,
 *   sendable: boolean }} fields
 * @returns {SandboxNumber}
 */
function qrNumber({ id, number, name, state, connected, sendable }) {
	return {
		id,
		number,
		name,
		provider: 'PILOT_STATUS',
		state,
		isFullyConnected: connected,
		createdAt: '2026-03-10T12:00:00.000Z',
		updatedAt: '2026-07-01T08:00:00.000Z',
		health: { qualityRating: null, messagingLimitTier: null, metaStatus: null, sendable },
		meta: null,
		secrets: { providerConfig: { sessionToken: 'sandbox-qr-session' } },
	};
}

const acmeWaba = {
	id: '1029384756',
	name: 'Acme WABA',
	currency: 'BRL',
	businessVerificationStatus: 'verified',
	country: 'BR',
};

/** @returns {Record<string, SandboxTenant>} */
function createTenants() {
	return {
		acme: {
			keys: [
				{ key: KEYS.acmeTenant, name: 'n8n automations', scope: 'tenant' },
				{ key: KEYS.acmeNumber, name: 'support line only', scope: 'number', numberId: 'wa_abc' },
			],
			numbers: [
				metaNumber({
					id: 'wa_abc',
					number: '5511999999999',
					name: 'My WhatsApp',
					state: 'OPEN',
					connected: true,
					quality: 'GREEN',
					tier: 'TIER_2K',
					metaStatus: 'CONNECTED',
					sendable: true,
					display: '+55 11 99999-9999',
					verifiedName: 'Acme LTDA',
					waba: acmeWaba,
				}),
				metaNumber({
					id: 'wa_sales',
					number: '5511988887777',
					name: 'Acme Sales',
					state: 'OPEN',
					connected: true,
					quality: 'YELLOW',
					tier: 'TIER_1K',
					metaStatus: 'FLAGGED',
					sendable: true,
					display: '+55 11 98888-7777',
					verifiedName: 'Acme LTDA',
					waba: acmeWaba,
				}),
				qrNumber({
					id: 'wa_qr_support',
					number: '5521977776666',
					name: 'Support QR',
					state: 'OPEN',
					connected: true,
					sendable: true,
				}),
				qrNumber({
					id: 'wa_qr_old',
					number: '5531966665555',
					name: 'Old phone',
					state: 'CLOSE',
					connected: false,
					sendable: false,
				}),
				// Ids that must travel as one encoded path segment.
				qrNumber({
					id: 'a/b',
					number: '5541900000001',
					name: 'Slash id',
					state: 'OPEN',
					connected: true,
					sendable: true,
				}),
				qrNumber({
					id: '../x',
					number: '5541900000002',
					name: 'Dot id',
					state: 'OPEN',
					connected: true,
					sendable: true,
				}),
				qrNumber({
					id: 'x?y=1',
					number: '5541900000003',
					name: 'Query id',
					state: 'OPEN',
					connected: true,
					sendable: true,
				}),
				qrNumber({
					id: 'é ü',
					number: '5541900000004',
					name: 'Accents id',
					state: 'OPEN',
					connected: true,
					sendable: true,
				}),
			],
		},
		globex: {
			keys: [
				{ key: KEYS.globexTenant, name: 'ops', scope: 'tenant' },
				{ key: KEYS.globexNumber, name: 'one number', scope: 'number', numberId: 'wa_globex_1' },
			],
			numbers: [
				metaNumber({
					id: 'wa_globex_1',
					number: '12025550100',
					name: 'Globex US',
					state: 'OPEN',
					connected: true,
					quality: 'GREEN',
					tier: 'TIER_10K',
					metaStatus: 'CONNECTED',
					sendable: true,
					display: '+1 202-555-0100',
					verifiedName: 'Globex Corp',
					waba: {
						...acmeWaba,
						id: '5647382910',
						name: 'Globex WABA',
						currency: 'USD',
						country: 'US',
					},
				}),
			],
		},
	};
}

module.exports = { KEYS, createTenants, metaNumber, qrNumber };
