'use strict';
/**
 * The PilotStatus Numbers Trigger in activated workflows of a real n8n 2.41.1 (issue 15), with the
 * package installed from `npm pack` as n8n installs community packages: two n8n at once, one in
 * n8n's default mode and one with the durable scheduler and durable poll cursors, each on its own
 * SQLite database, every workflow polling every minute against a sandbox of its own. Workflows are
 * published with the CLI before n8n starts, as an operator would.
 *
 * Every scenario waits until n8n has stored the trigger's baseline (the poll at activation by
 * default; the first scheduled poll with cursors, n8n drops the activation poll's), then changes
 * its sandbox. Polls are counted by the list requests its sandbox receives (one per poll, each
 * poll's first request), and an execution is the last poll's that listed before it started.
 */
const path = require('node:path');

const { KEYS } = require('../test/sandbox/fixtures');
const { addNumbers } = require('../test/sandbox/bulk');
const { faults, injectFault } = require('../test/sandbox/faults');
const { simulateLoad } = require('../test/sandbox/load');
const { startSandbox } = require('../test/sandbox/server');
const {
	baselineStored,
	disconnectedColumns,
	everyMinuteCopy,
	filesUnder,
	itemsOf,
	querySqlite,
	triggerWorkflowFile,
} = require('./activeTrigger');
const { waitFor } = require('./localServer');
const { createN8n } = require('./n8n');
const { setUpOwner, signIn } = require('./n8nRest');
const { startN8nServer } = require('./n8nServer');
const versions = require('./versions');

const VERSION = '2.41.1';
const ALERT_EXAMPLE = path.join(
	__dirname,
	'..',
	'examples',
	'alert-when-a-number-disconnects.json',
);
const ALERT_TRIGGER = "When a number's connection changes";
const TRIGGER = 'PilotStatus Numbers Trigger';
const SCHEDULER_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};
// Polls come every minute, at a second of n8n's choosing; a bound of one more poll leaves room.
const POLL_MS = 60 * 1000;
const pollsMs = (polls) => (polls + 1) * POLL_MS;
// n8n's start on 2 busy cores (up to 4 minutes each, both at once), then the first scheduled poll.
const SETUP_MS = 12 * 60 * 1000;
const TEST_MS = 6 * 60 * 1000;
// A restart (stop up to 40 s, start up to 4 minutes), then the poll at activation and two more.
const RESTART_TEST_MS = 10 * 60 * 1000;
// The budget scenario: a full health sweep takes 2,008 × 130 ms / 5 ≈ 52 s, past the 45 s after
// which n8n's durable scheduler abandons a poll (issue 15).
const BULK_NUMBERS = 2000;
const BULK_LATENCY_MS = 130;

const describeTrigger = versions.includes(VERSION) ? describe : describe.skip;

/** A number of a sandbox's acme account, by id. */
function numberOf(sandbox, id) {
	const number = sandbox.tenants.acme.numbers.find((candidate) => candidate.id === id);
	if (!number) throw new Error(`no number ${id} in the sandbox`);
	return number;
}

function disconnect(sandbox, id) {
	Object.assign(numberOf(sandbox, id), { state: 'CLOSE', isFullyConnected: false });
}

/**
 * Records when each poll of a scenario begins (its list request) in `scenario.polls`, and calls
 * `onPoll(count)` before the list is answered, `count` counting this poll.
 */
function countPolls(scenario, onPoll = async () => {}) {
	scenario.polls = [];
	scenario.sandbox.use(async (_req, _res, url) => {
		if (url.pathname === '/v1/numbers') {
			scenario.polls.push(Date.now());
			await onPoll(scenario.polls.length);
		}
		return false;
	});
}

/** Which poll of the scenario an execution came from: the last that began before it started. */
const pollOf = (scenario, execution) =>
	scenario.polls.filter((time) => time <= Date.parse(execution.startedAt)).length;

/** The item reporting that `id`, OPEN and connected, went to CLOSE; with `columns` too. */
const disconnected = (id, columns = {}) =>
	expect.objectContaining({ ...disconnectedColumns(id), ...columns });

describeTrigger(`n8n ${VERSION}: the trigger in activated workflows`, () => {
	/** The two n8n: folder, server, session; `cursors` for the durable scheduler's. */
	const instances = {
		default: { cursors: false, env: {} },
		scheduler: { cursors: true, env: SCHEDULER_ENV },
	};
	/**
	 * One workflow each: its n8n, its sandbox (and `polls`, see countPolls), its credential, its
	 * workflow file, and `changedAt`: how many polls had begun when its change was made.
	 */
	const scenarios = {
		defaultChanges: { instance: 'default' },
		brokenNumber: { instance: 'default' },
		removal: { instance: 'default' },
		alertExample: { instance: 'default' },
		schedulerChanges: { instance: 'scheduler' },
		budget: { instance: 'scheduler' },
	};
	/** Every execution record read through the REST API, for the key check at the end. */
	const seen = [];

	const instanceOf = (scenario) => instances[scenario.instance];
	/** The scenario's executions, newest first (n8n answers 503 for a moment now and then under load). */
	const executionsOf = (scenario) =>
		waitFor(`${scenario.name}: its executions`, { timeoutMs: 30000, intervalMs: 1000 }, () =>
			instanceOf(scenario).session.executions(scenario.workflowId),
		);

	async function readExecution(scenario, id) {
		const execution = await instanceOf(scenario).session.execution(id);
		seen.push(execution.text);
		return execution;
	}

	/**
	 * Waits (for up to 3 polls) until the scenario's workflow has more than `known` executions, all
	 * ended; checks the newest is the only new one, succeeded, and that `nodeName` sent `items` in
	 * it; then that nothing more came once two polls more began (the one after it, over once the
	 * next begins, started none). Returns it (`record`: with its run data) and the poll it came from.
	 */
	async function expectReportedOnce(scenario, known, items, nodeName = TRIGGER) {
		const executions = await waitFor(
			`${scenario.name}: execution ${known + 1}`,
			{ timeoutMs: pollsMs(3), intervalMs: 2000 },
			async () => {
				const all = await executionsOf(scenario);
				return all.length > known && all.every((execution) => execution.stoppedAt) && all;
			},
		);
		expect(executions).toHaveLength(known + 1);
		const [execution] = executions;
		expect(execution).toMatchObject({ mode: 'trigger', status: 'success' });
		const record = await readExecution(scenario, execution.id);
		expect(itemsOf(record, nodeName)).toEqual(items);
		const poll = pollOf(scenario, execution);
		await waitFor(
			`${scenario.name}: 2 polls after poll ${poll}`,
			{ timeoutMs: pollsMs(2), intervalMs: 1000 },
			() => scenario.polls.length >= poll + 2,
		);
		expect((await executionsOf(scenario)).map(({ id }) => id)).toEqual(
			executions.map(({ id }) => id),
		);
		return { record, poll };
	}

	beforeAll(async () => {
		const tarball = process.env.PILOTSTATUS_E2E_TARBALL;
		for (const [name, scenario] of Object.entries(scenarios)) {
			scenario.name = name;
			scenario.sandbox = await startSandbox();
		}
		for (const scenario of Object.values(scenarios))
			if (scenario !== scenarios.removal) countPolls(scenario);
		// What n8n had run when the second poll after the removal began, i.e. after the first ended.
		countPolls(scenarios.removal, async (count) => {
			const { removal } = scenarios;
			if (removal.changedAt === undefined || count !== removal.changedAt + 2) return;
			// One request, not executionsOf's retries: the poll waits for it.
			removal.beforeSecondPoll = await instances.default.session
				.executions(removal.workflowId)
				.catch((error) => error);
		});
		await Promise.all(
			Object.entries(instances).map(async ([name, instance]) => {
				instance.n8n = await createN8n({ version: VERSION, tarball, env: instance.env });
				instance.name = name;
			}),
		);

		// What each scenario's sandbox is before n8n starts.
		injectFault(scenarios.brokenNumber.sandbox, faults.status(500), {
			path: '/v1/numbers/wa_sales',
		});
		addNumbers(scenarios.budget.sandbox, BULK_NUMBERS);
		simulateLoad(scenarios.budget.sandbox, { latencyMs: BULK_LATENCY_MS });

		for (const [name, scenario] of Object.entries(scenarios)) {
			const instance = instanceOf(scenario);
			// The example names its credential "PilotStatus API account"; the others their own.
			scenario.credential =
				name === 'alertExample' ? 'PilotStatus API account' : `PilotStatus ${name}`;
			scenario.workflowName = name === 'alertExample' ? 'Alert when a number disconnects' : name;
			scenario.file =
				name === 'alertExample'
					? everyMinuteCopy(ALERT_EXAMPLE, instance.n8n.userFolder)
					: triggerWorkflowFile(instance.n8n.userFolder, {
							name,
							credential: scenario.credential,
						});
		}
		await Promise.all(
			Object.values(instances).map(async (instance) => {
				const own = Object.values(scenarios).filter(
					(scenario) => instanceOf(scenario) === instance,
				);
				await instance.n8n.importCredentials(
					own.map((scenario, index) => ({
						id: `psTrigger${instance.name.slice(0, 3)}${String(index).padStart(4, '0')}`,
						name: scenario.credential,
						type: 'pilotStatusApi',
						data: { apiKey: KEYS.acmeTenant, baseUrl: scenario.sandbox.url },
					})),
				);
				const ids = await instance.n8n.importWorkflows(own.map((scenario) => scenario.file));
				for (const scenario of own) scenario.workflowId = ids[scenario.workflowName];
				await instance.n8n.publishWorkflows(own.map((scenario) => scenario.workflowId));
				instance.server = await startN8nServer(instance.n8n);
				instance.session = await setUpOwner(instance.server.url, { install: instance.n8n.install });
				await instance.session.waitUntilPublished(own.map((scenario) => scenario.workflowId));
			}),
		);

		// Each scenario's change, made once n8n has stored the trigger's baseline.
		const changes = {
			defaultChanges: (sandbox) => {
				disconnect(sandbox, 'wa_abc');
				numberOf(sandbox, 'wa_sales').health.qualityRating = 'RED';
			},
			brokenNumber: (sandbox) => disconnect(sandbox, 'wa_abc'),
			removal: (sandbox) => {
				const numbers = sandbox.tenants.acme.numbers;
				numbers.splice(numbers.indexOf(numberOf(sandbox, 'wa_qr_old')), 1);
			},
			alertExample: (sandbox) => disconnect(sandbox, 'wa_qr_support'),
			schedulerChanges: (sandbox) => {
				disconnect(sandbox, 'wa_abc');
				numberOf(sandbox, 'wa_sales').health.qualityRating = 'RED';
			},
			budget: (sandbox) => disconnect(sandbox, 'wa_bulk_01999'),
		};
		await Promise.all(
			Object.values(scenarios).map(async (scenario) => {
				const instance = instanceOf(scenario);
				await waitFor(
					`${scenario.name}: the baseline stored`,
					{ timeoutMs: pollsMs(2), intervalMs: 2000 },
					() => baselineStored(instance.n8n, scenario.workflowId, instance),
				);
				expect(await executionsOf(scenario)).toEqual([]);
				scenario.changedAt = scenario.polls.length;
				changes[scenario.name](scenario.sandbox);
			}),
		);
	}, SETUP_MS);

	afterAll(async () => {
		await Promise.allSettled(Object.values(instances).map((instance) => instance.server?.stop()));
		await Promise.allSettled(Object.values(scenarios).map((scenario) => scenario.sandbox?.close()));
		for (const instance of Object.values(instances)) instance.n8n?.remove();
	}, 120000);

	describe.each([
		['default mode', 'defaultChanges'],
		['durable scheduler with cursors', 'schedulerChanges'],
	])('%s', (_mode, name) => {
		test(
			'a disconnect and a quality drop are reported once, in one execution; polls that find no change start none',
			async () => {
				const scenario = scenarios[name];
				const { poll } = await expectReportedOnce(scenario, 0, [
					disconnected('wa_abc', { detailError: null }),
					expect.objectContaining({
						id: 'wa_sales',
						event: 'healthChanged',
						health_qualityRating: 'RED',
						changedFields: ['health_qualityRating'],
						previous_health_qualityRating: 'YELLOW',
						detailError: null,
					}),
				]);
				expect(poll).toBe(scenario.changedAt + 1);
			},
			TEST_MS,
		);
	});

	test(
		'default mode: one number whose detail always fails is reported once, by name, and the others are still reported',
		async () => {
			const scenario = scenarios.brokenNumber;
			// The first poll only remembered, so the broken number is reported by the first after it.
			await expectReportedOnce(scenario, 0, [
				disconnected('wa_abc', { detailError: null }),
				expect.objectContaining({
					id: 'wa_sales',
					event: 'healthCheckFailed',
					changedFields: [],
					detailError:
						"Could not read the detail of number 'wa_sales': PilotStatus is unavailable (HTTP 500) on GET /v1/numbers/{id}",
				}),
			]);
			// It was asked for at every poll, and failed at every one.
			const asked = scenario.sandbox.requests.filter(
				(request) => request.path === '/v1/numbers/wa_sales',
			);
			expect(asked.length).toBeGreaterThanOrEqual(scenario.polls.length - 1);
		},
		TEST_MS,
	);

	test(
		'default mode: a number gone from the list is reported removed once, by the second poll that misses it',
		async () => {
			const scenario = scenarios.removal;
			const { poll } = await expectReportedOnce(scenario, 0, [
				expect.objectContaining({
					id: 'wa_qr_old',
					event: 'numberRemoved',
					name: null,
					previous_state: 'CLOSE',
					previous_isFullyConnected: false,
					previous_health_sendable: false,
				}),
			]);
			// The first poll after the removal only noted the number missing: it started nothing.
			expect(poll).toBe(scenario.changedAt + 2);
			expect(scenario.beforeSecondPoll).toEqual([]);
		},
		TEST_MS,
	);

	test(
		'the example "Alert when a number disconnects" runs activated: one alert for the disconnect, one request per poll',
		async () => {
			const scenario = scenarios.alertExample;
			const { record } = await expectReportedOnce(
				scenario,
				0,
				[expect.objectContaining({ id: 'wa_qr_support', event: 'connectionChanged' })],
				ALERT_TRIGGER,
			);
			expect(itemsOf(record, 'Alert message')).toEqual([
				expect.objectContaining({
					numberId: 'wa_qr_support',
					alert: expect.stringContaining(
						'WhatsApp number Support QR (+5521977776666) is disconnected: state CLOSE, was OPEN',
					),
				}),
			]);
			// Include Health off: the list, and nothing else.
			expect(scenario.sandbox.requests.every((request) => request.path === '/v1/numbers')).toBe(
				true,
			);
		},
		TEST_MS,
	);

	test(
		`durable scheduler: with ${BULK_NUMBERS} numbers at ${BULK_LATENCY_MS} ms, whose health does not fit in one poll, a disconnect is reported within two polls and no poll is abandoned`,
		async () => {
			const scenario = scenarios.budget;
			const { poll } = await expectReportedOnce(scenario, 0, [
				disconnected('wa_bulk_01999', { detailError: null }),
			]);
			expect(poll).toBeLessThanOrEqual(scenario.changedAt + 2);

			const { server, n8n } = instanceOf(scenario);
			const said = `${server.output()}\n${n8n.log()}`;
			// The situation is the intended one: polls could not read every number's health...
			expect(said).toMatch(
				new RegExp(
					`PilotStatus Numbers Trigger '${TRIGGER}': The health of \\d+ of ${BULK_NUMBERS + 8} numbers fitted in this poll's time`,
				),
			);
			// ...and none ran past n8n's timeout (n8n logs "Poll exceeded its timeout and was abandoned").
			expect(said.split('\n').filter((line) => /abandon|exceeded its timeout/i.test(line))).toEqual(
				[],
			);
			const failed = querySqlite(
				n8n,
				"SELECT id FROM execution_entity WHERE workflowId = ? AND status != 'success'",
				[scenario.workflowId],
			);
			expect(failed).toEqual([]);
		},
		TEST_MS,
	);

	test(
		'durable scheduler: a change made while n8n is stopped is reported once after it starts again',
		async () => {
			const scenario = scenarios.schedulerChanges;
			const instance = instanceOf(scenario);
			const known = (await executionsOf(scenario)).length;
			expect(known).toBe(1);
			await instance.server.stop();
			const stoppedAt = scenario.polls.length;
			disconnect(scenario.sandbox, 'wa_qr_support');
			await instance.server.start();
			instance.session = await signIn(instance.server.url, { install: instance.n8n.install });
			const { poll } = await expectReportedOnce(scenario, known, [disconnected('wa_qr_support')]);
			// Reported by the poll at activation, the first after the start.
			expect(poll).toBe(stoppedAt + 1);
		},
		RESTART_TEST_MS,
	);

	test('the API key appears in no n8n output, log, file, database or execution record', () => {
		// The polls above sent the key (the sandboxes named it), so its absence below means something.
		for (const scenario of Object.values(scenarios)) {
			expect(scenario.sandbox.requests.length).toBeGreaterThan(0);
			expect(
				scenario.sandbox.requests.every((request) => request.keyName === 'n8n automations'),
			).toBe(true);
		}
		const places = {};
		for (const [name, { n8n, server }] of Object.entries(instances)) {
			const executionData = querySqlite(n8n, 'SELECT data FROM execution_data')
				.map((row) => String(row.data))
				.join('\n');
			// The records hold what the trigger reported: the check below reads real data.
			expect(executionData).toContain('wa_qr_support');
			places[`${name} n8n: output`] = server.output();
			places[`${name} n8n: CLI output`] = n8n.transcript.join('\n');
			places[`${name} n8n: execution_data in its database`] = executionData;
			for (const { file, text } of filesUnder(n8n.userFolder))
				places[`${name} n8n: ${path.relative(n8n.userFolder, file)}`] = text;
		}
		places['execution records read through the REST API'] = seen.join('\n');
		expect(Object.keys(places)).toEqual(
			expect.arrayContaining(['default n8n: .n8n/database.sqlite', 'default n8n: n8n.log']),
		);
		for (const [place, text] of Object.entries(places)) {
			expect({ place, hasKey: text.includes(KEYS.acmeTenant) }).toEqual({ place, hasKey: false });
		}
	});
});
