'use strict';
/**
 * The main job: run the PilotStatus Numbers node inside n8n's execution engine and print what a
 * workflow would receive. Against the local sandbox by default; against a real account when
 * PILOTSTATUS_API_KEY is set (and PILOTSTATUS_BASE_URL, if not the default).
 */
const { runNode } = require('../test/harness/n8n');
const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');

const LIST_COLUMNS = ['id', 'name', 'number', 'provider', 'state', 'isFullyConnected'];
const GET_COLUMNS = [
	'id',
	'state',
	'isFullyConnected',
	'health_qualityRating',
	'health_messagingLimitTier',
	'health_metaStatus',
	'health_sendable',
	'meta_phone_displayPhoneNumber',
	'meta_waba_name',
	'meta_fetchedAt',
];
const GET_HOW_MANY = 3;

const cell = (value) =>
	value === null || value === undefined
		? '—'
		: Array.isArray(value)
			? value.join(', ')
			: String(value);

function printTable(title, rows, columns) {
	console.log(`\n${title}`);
	const widths = columns.map((column) =>
		Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
	);
	const line = (values) => values.map((value, i) => value.padEnd(widths[i])).join('  ');
	console.log(line(columns));
	console.log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))));
}

async function main() {
	const apiKey = process.env.PILOTSTATUS_API_KEY;
	const sandbox = apiKey ? undefined : await startSandbox();
	const credentials = apiKey
		? {
				apiKey,
				...(process.env.PILOTSTATUS_BASE_URL ? { baseUrl: process.env.PILOTSTATUS_BASE_URL } : {}),
			}
		: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url };
	console.log(
		sandbox
			? `PilotStatus sandbox on ${sandbox.url} (set PILOTSTATUS_API_KEY to use your own account)`
			: `PilotStatus API at ${credentials.baseUrl ?? 'https://pilotstatus.com.br'}`,
	);
	try {
		const listed = await runNode({
			parameters: { operation: 'list', returnAll: true },
			credentials,
		});
		if (listed.error) throw listed.error;
		const rows = listed.items.map((item) => item.json);
		printTable(`PilotStatus Numbers · List → ${rows.length} items`, rows, LIST_COLUMNS);

		const ids = rows.slice(0, GET_HOW_MANY).map((row) => ({ id: row.id }));
		const detailed = await runNode({
			parameters: {
				operation: 'get',
				numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			credentials,
			input: ids,
			continueOnFail: true,
		});
		if (detailed.error) throw detailed.error;
		printTable(
			`PilotStatus Numbers · Get (id from {{ $json.id }}) → ${detailed.items.length} items, ${
				Object.keys(detailed.items[0]?.json ?? {}).length
			} columns each; a few of them:`,
			detailed.items.map((item) => item.json),
			GET_COLUMNS,
		);
	} catch (error) {
		console.error(`\n${error.message}${error.description ? `\n${error.description}` : ''}`);
		process.exitCode = 1;
	} finally {
		await sandbox?.close();
	}
}

main();
