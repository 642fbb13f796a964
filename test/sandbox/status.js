'use strict';
/**
 * The sandbox's answer to GET /v1/numbers/{id}/status. The real body is not documented; this one
 * is a plausible invention (flat fields, a nested object, an array of objects) so the node's
 * tolerance of any JSON object is exercised.
 */
/** @param {import('./fixtures').SandboxNumber} number */
function liveStatus(number) {
	const connected = number.isFullyConnected === true;
	return {
		state: number.state,
		isFullyConnected: connected,
		checkedAt: new Date().toISOString(),
		session: {
			provider: number.provider,
			phoneOnline: connected,
			lastSeenAt: number.updatedAt,
		},
		checks: [
			{ name: 'session', ok: connected },
			{ name: 'sendable', ok: number.health?.sendable === true },
		],
	};
}

module.exports = { liveStatus };
