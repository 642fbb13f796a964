'use strict';
/**
 * The PilotStatus Numbers node's parameters as a workflow holds them, built the same way by every
 * test: `list({ returnAll: true })`, `get(byId('wa_abc'), { refresh: true })`,
 * `checkStatus(ID_FROM_INPUT, { options: { output: 'raw' } })`. Only what is given is set: n8n
 * fills in the node's defaults for the rest, as for a node added in the editor.
 */

/** @typedef {{ __rl: true, mode: 'id' | 'list' | 'phone', value: string }} NumberLocator */
/**
 * Parameters beside `operation` and `numberId`, by their names in the node (`returnAll`, `limit`,
 * `filters`, `refresh`, `options`...); values may be `={{ expressions }}`.
 * @typedef {Record<string, unknown>} Fields
 */

/**
 * The Number field in its By ID mode: an id, or an expression giving one.
 * @param {string} value
 * @returns {NumberLocator}
 */
const byId = (value) => ({ __rl: true, mode: 'id', value });

/**
 * The Number field in its From List mode, as when picked from the dropdown.
 * @param {string} value
 * @returns {NumberLocator}
 */
const fromList = (value) => ({ __rl: true, mode: 'list', value });

/**
 * The Number field in its By Phone Number mode: a phone number as typed, or an expression giving one.
 * @param {string} value
 * @returns {NumberLocator}
 */
const byPhone = (value) => ({ __rl: true, mode: 'phone', value });

/** The Number field taking each input item's `id`, as after a List step. */
const ID_FROM_INPUT = byId('={{ $json.id }}');

/**
 * List numbers.
 * @param {Fields} [fields]
 */
const list = (fields = {}) => ({ operation: 'list', ...fields });

/**
 * Get a number.
 * @param {NumberLocator} numberId `byId(...)`, `fromList(...)`, `byPhone(...)` or `ID_FROM_INPUT`.
 * @param {Fields} [fields]
 */
const get = (numberId, fields = {}) => ({ operation: 'get', numberId, ...fields });

/**
 * Check a number's live status.
 * @param {NumberLocator} numberId As for `get`.
 * @param {Fields} [fields]
 */
const checkStatus = (numberId, fields = {}) => ({ operation: 'checkStatus', numberId, ...fields });

module.exports = { byId, fromList, byPhone, ID_FROM_INPUT, list, get, checkStatus };
