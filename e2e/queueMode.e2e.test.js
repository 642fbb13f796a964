'use strict';
/**
 * The package in n8n's queue mode (issue 16): n8n 2.41.1 main and one worker, each with the package
 * installed in its own user folder from `npm pack`, on a PostgreSQL and a Redis of their own
 * (installed with apt-get when missing). Workflows are published with the CLI before n8n starts, as
 * an operator would. A production webhook call and the trigger's change executions must run on the
 * worker, each change be reported exactly once (also one made while n8n is stopped), and the API key
 * appear in no output, log, answer or execution record.
 */
const path = require('node:path');

const { KEYS } = require('../test/sandbox/fixtures');
const { startSandbox } = require('../test/sandbox/server');
const { TRIGGER_TYPE, disconnectedColumns, everyMinuteCopy, itemsOf } = require('./activeTrigger');
const { waitFor } = require('./localServer');
const { setUpOwner, signIn } = require('./n8nRest');
const { createQueueMode } = require('./queueMode');
const versions = require('./versions');

const VERSION = '2.41.1';
const WEBHOOK_WORKFLOW = path.join(__dirname, 'fixtures', 'queue', 'webhook-list-get.json');
const WEBHOOK_PATH = 'pilotstatus-queue-numbers';
const ALERT_EXAMPLE = path.join(
	__dirname,
	'..',
	'examples',
	'alert-when-a-number-disconnects.json',
);
const TRIGGER = "When a number's connection changes";
const NODE_TYPE = 'n8n-nodes-pilotstatus.pilotStatusNumbers';
// n8n polls every minute at the soonest, at a random second; a bound of three polls leaves room.
const POLL_WAIT_MS = 3 * 60 * 1000;
// Beyond jest's 5 minutes: a restart of main and a worker (up to 4 minutes each) and two polls; a
// worker's start and a poll.
const RESTART_TEST_MS = 12 * 60 * 1000;
const BARE_WORKER_TEST_MS = 8 * 60 * 1000;

const describeQueueMode = versions.includes(VERSION) ? describe : describe.skip;

describeQueueMode(`n8n ${VERSION} in queue mode: main and a worker on PostgreSQL and Redis`, () => {
	let sandbox;
	let stack;
	let servers;
	let session;
	let ids;
	/** Every webhook answer and execution record read, for the key check at the end. */
	const seen = [];
	/** Workers started by a test, beyond the stack's own. */
	const others = [];

	const disconnect = (id) => {
		const number = sandbox.tenants.acme.numbers.find((candidate) => candidate.id === id);
		number.state = 'CLOSE';
		number.isFullyConnected = false;
	};
	const listRequests = () => sandbox.requests.filter((request) => request.path === '/v1/numbers');
	const alertExecutions = () => session.executions(ids['Alert when a number disconnects']);

	/** Waits until the alert workflow has more than `known` executions, all ended; newest first. */
	async function waitForAlertExecutions(known, what) {
		return await waitFor(what, { timeoutMs: POLL_WAIT_MS, intervalMs: 2000 }, async () => {
			const executions = await alertExecutions();
			return executions.length > known && executions.every((e) => e.stoppedAt) && executions;
		});
	}

	/**
	 * Waits for the alert workflow's next execution after `known` ones and checks it is the only new
	 * one, ran on the worker, and reports exactly `numberId` going from OPEN to disconnected.
	 * Returns its record.
	 */
	async function expectDisconnectReported(numberId, known) {
		const executions = await waitForAlertExecutions(known, `an execution reporting ${numberId}`);
		expect(executions).toHaveLength(known + 1);
		const [execution] = executions;
		expect(execution).toMatchObject({ mode: 'trigger', status: 'success' });
		expect(logLinesAbout(execution.id)).toEqual(RUN_BY_WORKER(execution.id));
		const record = await readExecution(execution.id);
		expect(itemsOf(record, TRIGGER)).toEqual([
			expect.objectContaining(disconnectedColumns(numberId)),
		]);
		return record;
	}

	async function readExecution(id) {
		const execution = await session.execution(id);
		seen.push(execution.text);
		return execution;
	}

	/**
	 * The lines a process printed about one execution, without their `(job N)`: main enqueues it
	 * ("Enqueued execution 7 (job 7)"), the worker that runs it says "Worker started execution 7
	 * (job 7)".
	 */
	const linesAbout = (lines, executionId) =>
		lines
			.filter((line) => new RegExp(`\\bexecution ${executionId}\\b`, 'i').test(line))
			.map((line) => line.replace(/ \(job \d+\)/, ''));
	const logLinesAbout = (executionId) => ({
		main: linesAbout(servers.main.lines, executionId),
		worker: linesAbout(servers.workers[0].lines, executionId),
	});
	const RUN_BY_WORKER = (id) => ({
		main: [`Enqueued execution ${id}`, `Execution ${id} finished`],
		worker: [`Worker started execution ${id}`, `Worker finished execution ${id}`],
	});
	const FAILED_ON_WORKER = (id, nodeType) => [
		`Worker started execution ${id}`,
		`Worker errored while running execution ${id}`,
		`Unrecognized node type: ${nodeType} (execution ${id})`,
	];

	beforeAll(
		async () => {
			sandbox = await startSandbox();
			stack = await createQueueMode({
				version: VERSION,
				tarball: process.env.PILOTSTATUS_E2E_TARBALL,
			});
			// The workflows name their credential with no id: import:workflow links it by that name.
			await stack.main.importCredentials([
				{
					id: 'psQueueSandbox01',
					name: 'PilotStatus API account',
					type: 'pilotStatusApi',
					data: { apiKey: KEYS.acmeTenant, baseUrl: sandbox.url },
				},
			]);
			ids = await stack.main.importWorkflows([
				WEBHOOK_WORKFLOW,
				// The example as it is, polling every minute (its five minutes would make the test wait long).
				everyMinuteCopy(ALERT_EXAMPLE, stack.main.userFolder),
			]);
			await stack.main.publishWorkflows(Object.values(ids));
			servers = await stack.startN8n();
			session = await setUpOwner(servers.main.url, { install: stack.main.install });
			await session.waitUntilPublished(Object.values(ids));
			// The trigger's first poll, at activation: it only remembers the numbers.
			await waitFor(
				'the poll at activation',
				{ timeoutMs: 60000 },
				() => listRequests().length > 0,
			);
		},
		15 * 60 * 1000,
	);

	test('a production webhook call runs List → Get on the worker and answers with every number, flattened', async () => {
		sandbox.requests.length = 0;
		const response = await fetch(`${servers.main.url}/webhook/${WEBHOOK_PATH}`);
		const text = await response.text();
		seen.push(text);
		expect(response.status).toBe(200);
		const items = JSON.parse(text);
		const numbers = sandbox.tenants.acme.numbers;
		expect(items.map((item) => item.id)).toEqual(numbers.map((number) => number.id));
		items.forEach((item, index) => {
			const number = numbers[index];
			expect(item).toMatchObject({
				name: number.name,
				number: number.number,
				provider: number.provider,
				state: number.state,
				isFullyConnected: number.isFullyConnected,
				health_sendable: number.health.sendable,
				health_qualityRating: number.health.qualityRating,
				meta_phone_verifiedName: number.meta?.phone.verifiedName ?? null,
			});
			// One column per field: no nested objects, and the gateway's secrets never come out.
			for (const value of Object.values(item))
				expect(value === null || typeof value !== 'object' || Array.isArray(value)).toBe(true);
			expect(Object.keys(item).some((column) => column.startsWith('secrets'))).toBe(false);
		});
		// Every Meta and QR number has the same columns.
		expect(new Set(items.map((item) => Object.keys(item).sort().join())).size).toBe(1);
		// One detail request per number (the trigger, which may poll meanwhile, asks for none), each
		// with the key.
		const details = sandbox.requests.filter((request) => request.path !== '/v1/numbers');
		expect(details.map((request) => decodeURIComponent(request.path.split('/')[3])).sort()).toEqual(
			numbers.map((number) => number.id).sort(),
		);
		expect(sandbox.requests.every((request) => request.keyName === 'n8n automations')).toBe(true);

		const [execution] = await session.executions(ids['Queue: webhook, List, Get']);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(logLinesAbout(execution.id)).toEqual(RUN_BY_WORKER(execution.id));
		const record = await readExecution(execution.id);
		expect(itemsOf(record, 'Get number')).toEqual(items);
	});

	test(
		'a poll that finds no change starts no execution',
		async () => {
			// The trigger lists once per poll, and nothing else lists from here on. A poll's execution
			// is enqueued as soon as the poll ends; the next poll's list shows the first one ended.
			const polled = listRequests().length;
			await waitFor(
				'two polls',
				{ timeoutMs: 2 * POLL_WAIT_MS, intervalMs: 1000 },
				() => listRequests().length >= polled + 2,
			);
			expect(await alertExecutions()).toEqual([]);
		},
		2 * POLL_WAIT_MS + 60000,
	);

	test('the activated trigger reports a disconnect once, in an execution the worker ran', async () => {
		expect(await alertExecutions()).toEqual([]);
		disconnect('wa_abc');
		const record = await expectDisconnectReported('wa_abc', 0);
		expect(itemsOf(record, 'Alert message')).toEqual([
			expect.objectContaining({
				numberId: 'wa_abc',
				alert: expect.stringContaining(
					'WhatsApp number My WhatsApp (+5511999999999) is disconnected',
				),
			}),
		]);
	});

	test(
		'a change made while n8n is stopped is reported once after it starts again, and nothing twice',
		async () => {
			await stack.stopN8n();
			disconnect('wa_sales');
			await stack.startN8n();
			session = await signIn(servers.main.url, { install: stack.main.install });
			// The polls after the start compare with what the last poll before the stop remembered.
			await expectDisconnectReported('wa_sales', 1);
			// The next change is reported alone, in the only execution since: no poll after the restart
			// reported an earlier change again.
			disconnect('wa_qr_support');
			await expectDisconnectReported('wa_qr_support', 2);
		},
		RESTART_TEST_MS,
	);

	test('each change is in exactly one execution, enqueued once by main and started once by the worker', async () => {
		const executions = await alertExecutions();
		/** Every change the trigger reported, across every execution: `<number id> <event>` → execution ids. */
		const reports = {};
		for (const { id } of executions) {
			for (const item of itemsOf(await readExecution(id), TRIGGER))
				(reports[`${item.id} ${item.event}`] ??= []).push(id);
		}
		expect(
			Object.fromEntries(Object.entries(reports).map(([change, ids]) => [change, ids.length])),
		).toEqual({
			'wa_abc connectionChanged': 1,
			'wa_sales connectionChanged': 1,
			'wa_qr_support connectionChanged': 1,
		});
		// No execution without a change, none with two.
		expect(Object.values(reports).flat().sort()).toEqual(executions.map((e) => e.id).sort());
		/** How many lines of `lines` say `what` about execution `id`. */
		const count = (lines, what, id) =>
			lines.filter((line) => new RegExp(`^${what} ${id}\\b`).test(line)).length;
		expect(
			executions.map(({ id }) => ({
				id,
				enqueuedByMain: count(servers.main.lines, 'Enqueued execution', id),
				startedByWorker: count(servers.workers[0].lines, 'Worker started execution', id),
			})),
		).toEqual(executions.map(({ id }) => ({ id, enqueuedByMain: 1, startedByWorker: 1 })));
	});

	test(
		'a worker without the package fails every execution with "Unrecognized node type": the webhook caller gets HTTP 500, and the change main polled fails on it',
		async () => {
			await servers.workers[0].stop();
			// Made before the worker starts, to save a poll's wait: a job waits in Redis for a worker.
			const known = (await alertExecutions()).length;
			disconnect('a/b');
			const bare = await stack.startWorker({ withPackage: false });
			others.push(bare);

			const response = await fetch(`${servers.main.url}/webhook/${WEBHOOK_PATH}`);
			const text = await response.text();
			seen.push(text);
			expect({ status: response.status, text }).toEqual({ status: 500, text: expect.any(String) });
			// The caller's 500 can arrive before n8n has saved the execution's end: wait for it (bounded).
			const [call] = await waitFor(
				'the webhook execution to end',
				{ timeoutMs: 60_000, intervalMs: 1000 },
				async () => {
					const executions = await session.executions(ids['Queue: webhook, List, Get']);
					return executions[0]?.stoppedAt && executions;
				},
			);
			expect(call).toMatchObject({ mode: 'webhook', status: 'error' });
			expect(linesAbout(bare.server.lines, call.id)).toEqual(FAILED_ON_WORKER(call.id, NODE_TYPE));
			expect((await readExecution(call.id)).data.resultData.error.message).toBe(
				`Unrecognized node type: ${NODE_TYPE}`,
			);

			// main, which has the package, still polled and saw the change; its execution failed.
			const [change] = await waitForAlertExecutions(known, 'an execution for the last disconnect');
			expect(change).toMatchObject({ mode: 'trigger', status: 'error' });
			expect(linesAbout(bare.server.lines, change.id)).toEqual(
				FAILED_ON_WORKER(change.id, TRIGGER_TYPE),
			);
			expect((await readExecution(change.id)).data.resultData.error.message).toBe(
				`Unrecognized node type: ${TRIGGER_TYPE}`,
			);
		},
		BARE_WORKER_TEST_MS,
	);

	test('the API key appears in no process output, log, webhook answer or execution record', async () => {
		// The runs above sent the key (the sandbox named it), so its absence below means something.
		expect(sandbox.requests.length).toBeGreaterThan(0);
		expect(sandbox.requests.every((request) => request.keyName === 'n8n automations')).toBe(true);
		const folders = [stack.main, ...stack.workerFolders, ...others.map((other) => other.folder)];
		const records = stack.postgres.query(
			'SELECT row_to_json(e)::text FROM execution_entity e; SELECT row_to_json(d)::text FROM execution_data d;',
		);
		expect(records).toContain('wa_sales');
		const places = {
			'n8n main output': servers.main.output(),
			'n8n worker output': [servers.workers[0], ...others.map((other) => other.server)]
				.map((server) => server.output())
				.join('\n'),
			'n8n CLI output': folders.flatMap((folder) => folder.transcript).join('\n'),
			'n8n log files': folders.map((folder) => folder.log()).join('\n'),
			'webhook answers and execution records read through the REST API': seen.join('\n'),
			'execution records in the database': records,
		};
		for (const [place, text] of Object.entries(places)) {
			expect({ place, hasKey: text.includes(KEYS.acmeTenant) }).toEqual({ place, hasKey: false });
		}
	});

	afterAll(async () => {
		await stack?.stop();
		await sandbox?.close();
	}, 120000);
});
