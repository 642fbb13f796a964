'use strict';
/** After the suite: remove the packed tarball's temp folder (the n8n installs stay, to be reused). */
const fs = require('node:fs');
const path = require('node:path');

module.exports = async function globalTeardown() {
	const tarball = process.env.PILOTSTATUS_E2E_TARBALL;
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
};
