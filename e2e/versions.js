'use strict';
/** The n8n lines this run covers: every pinned one, or those listed in PILOTSTATUS_E2E_N8N (comma-separated). */
const { PINNED } = require('./install-n8n');

const chosen = process.env.PILOTSTATUS_E2E_N8N;
module.exports = chosen ? chosen.split(',').map((version) => version.trim()) : Object.keys(PINNED);
