'use strict';
/**
 * Activated workflows with the PilotStatus Numbers Trigger in a real n8n, for the trigger and
 * queue-mode suites: workflow files whose trigger polls every minute (the soonest n8n allows), the
 * items an execution's nodes sent, and what n8n keeps in its SQLite database (the trigger's
 * remembered baseline, the executions), read with the Node that runs n8n (`node:sqlite`, Node 22+).
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** @import { N8nFolder } from './n8n' */

const TRIGGER_TYPE = 'n8n-nodes-pilotstatus.pilotStatusNumbersTrigger';
const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };
const SQLITE_TIMEOUT_MS = 30000;

/**
 * Writes `workflow` with each PilotStatus trigger polling every minute into `folder`, as `file`.
 * @param {any} workflow
 * @param {string} folder
 * @param {string} file
 * @returns {string} The file's path.
 */
function writeEveryMinute(workflow, folder, file) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes.filter((candidate) => candidate.type === TRIGGER_TYPE))
		node.parameters.pollTimes = EVERY_MINUTE;
	const written = path.join(folder, file);
	fs.writeFileSync(written, JSON.stringify(copy));
	return written;
}

/**
 * A copy of a workflow file (an example) in `folder`, its PilotStatus trigger polling every minute
 * instead of its own Poll Times, so a test waits minutes rather than hours.
 * @param {string} file
 * @param {string} folder
 */
function everyMinuteCopy(file, folder) {
	return writeEveryMinute(JSON.parse(fs.readFileSync(file, 'utf8')), folder, path.basename(file));
}

/**
 * A workflow file in `folder` holding one PilotStatus Numbers Trigger named `nodeName`, polling every
 * minute with the node's defaults (every event, Include Health on) unless `parameters` say
 * otherwise, using the credential named `credential` (import:workflow links it by name).
 * @param {string} folder
 * @param {{ name: string, credential: string, nodeName?: string, parameters?: Record<string, unknown> }} options
 */
function triggerWorkflowFile(
	folder,
	{ name, credential, nodeName = 'PilotStatus Numbers Trigger', parameters = {} },
) {
	const workflow = {
		name,
		nodes: [
			{
				parameters,
				id: crypto.randomUUID(),
				name: nodeName,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				credentials: { pilotStatusApi: { id: null, name: credential } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
	return writeEveryMinute(workflow, folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
}

/**
 * The json of every item `nodeName` sent out of its first output in an execution's run data (as
 * n8nRest's `execution(id)` gives it); none when the node did not run.
 * @param {{ data: any }} execution
 * @param {string} nodeName
 */
function itemsOf(execution, nodeName) {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs) return [];
	return (runs[0].data.main[0] ?? []).map((/** @type {{ json: any }} */ item) => item.json);
}

/**
 * The columns of the trigger's item reporting that number `id`, OPEN and fully connected, went to
 * CLOSE (a disconnect, as the tests make one).
 * @param {string} id
 */
function disconnectedColumns(id) {
	return {
		id,
		event: 'connectionChanged',
		state: 'CLOSE',
		isFullyConnected: false,
		changedFields: ['state', 'isFullyConnected'],
		previous_state: 'OPEN',
		previous_isFullyConnected: true,
	};
}

/**
 * Runs one read-only SQL query on the SQLite database of `n8n`'s folder (n8n's default database),
 * with n8n's own Node, and returns the rows.
 * @param {N8nFolder} n8n
 * @param {string} sql
 * @param {Array<string | number>} [parameters]
 * @returns {Array<Record<string, unknown>>}
 */
function querySqlite(n8n, sql, parameters = []) {
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const [file, sql, parameters] = JSON.parse(process.argv[1]);
		const database = new DatabaseSync(file, { readOnly: true });
		process.stdout.write(JSON.stringify(database.prepare(sql).all(...parameters)));`;
	const file = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const output = execFileSync(
		n8n.install.node,
		['--no-warnings', '-e', script, JSON.stringify([file, sql, parameters])],
		{ encoding: 'utf8', timeout: SQLITE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	return JSON.parse(output);
}

/**
 * Whether n8n has stored a baseline for the trigger of workflow `workflowId`: in the workflow's
 * static data by default, in table `poller_state` with durable poll cursors
 * (N8N_POLLER_DURABLE_CURSORS_ENABLED), where n8n commits it with the poll.
 * @param {N8nFolder} n8n
 * @param {string} workflowId
 * @param {{ cursors: boolean }} options
 */
function baselineStored(n8n, workflowId, { cursors }) {
	const rows = cursors
		? querySqlite(n8n, 'SELECT cursor AS data FROM poller_state WHERE workflowId = ?', [workflowId])
		: querySqlite(n8n, 'SELECT staticData AS data FROM workflow_entity WHERE id = ?', [workflowId]);
	return rows.some((row) => String(row.data).includes('"baseline"'));
}

/**
 * Every file under `folder` except installed packages (`node_modules`), as text: n8n's database
 * files, log, settings. For checking that a secret is in none of them.
 * @param {string} folder
 * @returns {Array<{ file: string, text: string }>}
 */
function filesUnder(folder) {
	return fs
		.readdirSync(folder, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.filter((file) => !file.split(path.sep).includes('node_modules'))
		.map((file) => ({ file, text: fs.readFileSync(file).toString('latin1') }));
}

module.exports = {
	TRIGGER_TYPE,
	everyMinuteCopy,
	triggerWorkflowFile,
	itemsOf,
	disconnectedColumns,
	querySqlite,
	baselineStored,
	filesUnder,
};
