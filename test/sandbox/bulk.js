'use strict';
/** Many numbers at once, for the tests and the benchmark: Meta and QR numbers in turn. */
const { metaNumber, qrNumber } = require('./fixtures');

/** @param {number} index */
const bulkId = (index) => `wa_bulk_${String(index).padStart(5, '0')}`;

/**
 * Adds `count` numbers to a tenant of the sandbox (acme by default) and returns their ids, in list order.
 * @param {import('./server').Sandbox} sandbox
 * @param {number} count
 * @param {string} [tenant]
 * @returns {string[]}
 */
function addNumbers(sandbox, count, tenant = 'acme') {
	const ids = [];
	for (let index = 0; index < count; index++) {
		const id = bulkId(index);
		const number = `55119${String(index).padStart(8, '0')}`;
		const name = `Bulk ${index}`;
		sandbox.tenants[tenant].numbers.push(
			index % 2 === 0
				? metaNumber({
						id,
						number,
						name,
						state: 'OPEN',
						connected: true,
						quality: 'GREEN',
						tier: 'TIER_1K',
						metaStatus: 'CONNECTED',
						sendable: true,
						display: `+55 11 9${String(index).padStart(4, '0')}-0000`,
						verifiedName: 'Acme LTDA',
						waba: {
							id: '1029384756',
							name: 'Acme WABA',
							currency: 'BRL',
							businessVerificationStatus: 'verified',
							country: 'BR',
						},
					})
				: qrNumber({
						id,
						number,
						name,
						state: index % 3 === 0 ? 'CLOSE' : 'OPEN',
						connected: index % 3 !== 0,
						sendable: index % 3 !== 0,
					}),
		);
		ids.push(id);
	}
	return ids;
}

module.exports = { addNumbers };
