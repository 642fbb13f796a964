/**
 * The package in a real n8n editor, driven in Chromium the way a person uses it: find the node,
 * connect a credential, pick a number from the list, run the node, read the output table. n8n and
 * the sandbox run on 127.0.0.1; the browser may reach nothing else. The steps build on each other
 * (one workflow, one credential), so they run in order on one page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { signIn } from '../e2e/n8nRest';
import { KEYS } from '../test/sandbox/fixtures';
import type { Sandbox } from '../test/sandbox/server';
import { startSandbox } from '../test/sandbox/server';
import type { EditorBrowser } from './browser';
import { launchBrowser } from './browser';
import type { Editor } from './editor';
import { OWNER, startEditor } from './editor';

// The README's pictures in docs/ change only when asked for (UPDATE_SCREENSHOTS=1, as `npm run
// screenshots` does), so a test run leaves the checkout clean. Otherwise every run overwrites the
// same temporary folder: the pictures of the last run, to look at when a step failed.
const SCREENSHOTS =
	process.env.UPDATE_SCREENSHOTS === '1'
		? path.resolve(__dirname, '..', 'docs')
		: path.join(os.tmpdir(), 'n8n-nodes-pilotstatus-screenshots');
// The editor's first load compiles nothing but is large: on 2 busy cores it can take 20 s.
const PAGE_LOAD_MS = 60000;

let sandbox: Sandbox;
let editor: Editor;
let browser: EditorBrowser;
let page: Page;

const byTestId = (id: string, root: Page | Locator = page) =>
	root.locator(`[data-test-id="${id}"]`);
const visible = (id: string) => page.locator(`[data-test-id="${id}"]:visible`);
// Exact names: "pilot" also finds the PilotStatus Numbers Trigger.
const nodeCreatorItem = (text: string) =>
	byTestId('item-iterator-item', byTestId('node-creator')).filter({
		has: page.getByText(text, { exact: true }),
	});
const credentialModal = () => byTestId('editCredential-modal');
const outputPanel = () => byTestId('output-panel');
const itemsCount = () => byTestId('ndv-items-count', outputPanel());
const parameter = (label: string) =>
	byTestId('parameter-item', byTestId('node-parameters')).filter({ hasText: label });

async function screenshot(name: string, target: Page | Locator = page) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	await target.screenshot({
		path: path.join(SCREENSHOTS, `editor-${name}.png`),
		animations: 'disabled',
	});
}

/** Runs the node from its panel and waits for this run's output (n8n's own item count). */
async function executeNode(expectedCount: string) {
	await byTestId('node-execute-button').click();
	await expect(waitForText(itemsCount(), expectedCount)).resolves.toBe(expectedCount);
}

/** The locator's text once it equals `text`, or its last text after the bound. */
async function waitForText(locator: Locator, text: string, timeoutMs = 30000): Promise<string> {
	let last = '';
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		last = (await locator.innerText({ timeout: 1000 }).catch(() => '')).trim();
		if (last === text) return last;
		await page.waitForTimeout(250);
	}
	return last;
}

beforeAll(async () => {
	sandbox = await startSandbox();
	editor = await startEditor();
	browser = await launchBrowser();
	page = await browser.context.newPage();
}, 300000);

afterAll(async () => {
	await browser?.close();
	await editor?.stop();
	await sandbox?.close();
}, 60000);

test('the owner signs in to the editor', async () => {
	await page.goto(`${editor.url}/signin`, { waitUntil: 'domcontentloaded', timeout: PAGE_LOAD_MS });
	await byTestId('emailOrLdapLoginId')
		.locator('input')
		.fill(OWNER.email, { timeout: PAGE_LOAD_MS });
	await byTestId('password').locator('input').fill(OWNER.password);
	await byTestId('form-submit-button').click();
	await page.waitForURL(/\/home\//, { timeout: PAGE_LOAD_MS });
	expect(new URL(page.url()).pathname).not.toBe('/signin');
});

test('typing "pilot" in the node panel finds PilotStatus Numbers with its icon, and offers its actions', async () => {
	await page.goto(`${editor.url}/workflow/new`, {
		waitUntil: 'domcontentloaded',
		timeout: PAGE_LOAD_MS,
	});
	await byTestId('canvas-add-button').click({ timeout: PAGE_LOAD_MS });
	await byTestId('node-creator-search-bar').fill('pilot');
	const item = nodeCreatorItem('PilotStatus Numbers');
	const icon = item.locator('img:visible').first();
	await icon.waitFor();
	expect(await icon.getAttribute('src')).toContain('pilotStatus.svg');
	// A broken image has no natural size; wait for the browser to have decoded it.
	await icon.evaluate((img: HTMLImageElement) => img.decode());
	expect(await icon.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
	await screenshot('node-panel', byTestId('node-creator'));

	await item.click();
	// With the package's trigger in it, the panel opens on the triggers; the actions fold below.
	await byTestId('node-creator')
		.getByText(/^Actions \(\d+\)$/)
		.click();
	await nodeCreatorItem('Get a number').waitFor();
	await screenshot('actions', byTestId('node-creator'));
	expect(await nodeCreatorItem('List numbers').isVisible()).toBe(true);
	await nodeCreatorItem('Get a number').click();
	await byTestId('ndv').waitFor();
	expect(await byTestId('parameter-input-operation').locator('input').inputValue()).toBe('Get');
});

test('a credential made from the node: a wrong key fails with our message, the right key tests successfully', async () => {
	await byTestId('node-credentials-empty-state').click();
	const modal = credentialModal();
	const apiKey = byTestId('parameter-input-apiKey', modal).locator('input');
	await apiKey.fill('ps_wrong_key_0000');
	await byTestId('parameter-input-baseUrl', modal).locator('input').fill(sandbox.url);
	await byTestId('credential-save-button', modal).click();
	const failure = modal.locator('.el-tag--danger:visible', { hasText: 'Couldn’t connect' });
	await failure.getByText('More details').click();
	await failure.getByText('The PilotStatus API key was rejected (HTTP 401)').waitFor();
	expect(await failure.innerText()).toContain(
		'Check the API key in the PilotStatus credential: it starts with ps_',
	);
	await screenshot('credential-rejected', modal);

	sandbox.requests.length = 0;
	await apiKey.fill(KEYS.acmeTenant);
	await byTestId('credential-save-button', modal).click();
	// Saved and tested, n8n closes the dialog and selects the credential; opening it tests it again.
	await modal.waitFor({ state: 'hidden' });
	await byTestId('credential-edit-button', byTestId('node-credentials-slot')).click();
	const success = byTestId('credentials-config-container-test-success', modal);
	await success.waitFor();
	expect(await success.innerText()).toContain('Connection tested successfully');
	expect(
		sandbox.requests.some(
			(request) => request.keyName === 'n8n automations' && request.path === '/v1/numbers',
		),
	).toBe(true);
	await screenshot('credential-ok', modal);
	await modal.locator('.el-dialog__close').first().click();
	await modal.waitFor({ state: 'hidden' });
});

test('Get: the From list dropdown searches the sandbox numbers; the picked number runs into flattened columns', async () => {
	await byTestId('rlc-input').click();
	await visible('rlc-item').first().waitFor();
	expect(await visible('rlc-item').count()).toBe(sandbox.tenants.acme.numbers.length);
	await visible('rlc-search').pressSequentially('acme');
	await expect(waitForText(visible('rlc-item'), 'Acme Sales · 5511988887777')).resolves.toBe(
		'Acme Sales · 5511988887777',
	);
	expect(await visible('rlc-item').count()).toBe(1);
	await screenshot('number-list', byTestId('ndv'));
	await visible('rlc-item').click();
	expect(await byTestId('rlc-input').inputValue()).toBe('Acme Sales · 5511988887777');

	await executeNode('1 item');
	const flattenedHeader = outputPanel().locator('table thead th', {
		hasText: 'meta_phone_displayPhoneNumber',
	});
	await flattenedHeader.waitFor();
	const headers = (await outputPanel().locator('table thead th').allInnerTexts()).map((text) =>
		text.trim(),
	);
	const row = await outputPanel().locator('table tbody tr').first().locator('td').allInnerTexts();
	const cell = (column: string) => row[headers.indexOf(column)]?.trim();
	expect(headers).toEqual(
		expect.arrayContaining([
			'health_qualityRating',
			'meta_phone_displayPhoneNumber',
			'meta_waba_name',
		]),
	);
	expect(cell('id')).toBe('wa_sales');
	expect(cell('health_qualityRating')).toBe('YELLOW');
	expect(cell('meta_phone_displayPhoneNumber')).toBe('+55 11 98888-7777');
	// Bring the flattened columns into view for the picture.
	await flattenedHeader.scrollIntoViewIfNeeded();
	await screenshot('get-output');
});

test('List: a filter and the Limit change how many items come out', async () => {
	await byTestId('parameter-input-operation').click();
	await page.getByRole('option', { name: /^List/ }).click();
	await executeNode(`${sandbox.tenants.acme.numbers.length} items`);

	await byTestId('collection-parameter-add', parameter('Filters')).click();
	await page.getByRole('option', { name: 'Provider', exact: true }).click();
	const metaNumbers = sandbox.tenants.acme.numbers.filter(
		(number) => number.provider === 'META',
	).length;
	await executeNode(`${metaNumbers} items`);

	await byTestId('parameter-input-limit').locator('input').fill('1');
	await executeNode('1 item');
	expect(await outputPanel().locator('table tbody tr').count()).toBe(1);
	await screenshot('list-output');
});

describe("the credential's Test, as the dialog calls it (POST /rest/credentials/test)", () => {
	let other: Sandbox;
	let cookie: string;

	beforeAll(async () => {
		other = await startSandbox({ host: '127.0.0.2' });
		({ cookie } = await signIn(editor.url));
	});
	afterAll(async () => await other?.close());
	beforeEach(() => {
		sandbox.reset();
		other.reset();
	});

	/** What n8n answers the dialog for these credential fields. */
	async function testCredential(data: { apiKey: string; baseUrl: string }) {
		const response = await fetch(`${editor.url}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({
				credentials: { id: '', name: 'PilotStatus API account', type: 'pilotStatusApi', data },
			}),
		});
		const text = await response.text();
		expect(text).not.toContain(KEYS.acmeTenant);
		const answer = JSON.parse(text) as { data?: { status: string; message: string } };
		if (!answer.data) throw new Error(`n8n answered HTTP ${response.status}: ${text}`);
		return answer.data;
	}

	const port = () => new URL(sandbox.url).port;

	test('a Base URL the node accepts: tested successfully, the key sent once, to it', async () => {
		expect(
			await testCredential({ apiKey: ` ${KEYS.acmeTenant}\t`, baseUrl: `${sandbox.url}/` }),
		).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
		expect(sandbox.requests.map((request) => [request.path, request.keyName])).toEqual([
			['/v1/numbers', 'n8n automations'],
		]);
	});

	test.each([
		[
			'plain http to 0.0.0.0',
			() => `http://0.0.0.0:${port()}`,
			'uses plain http://, which would send the API key unencrypted',
		],
		[
			'a user name and password in the URL',
			() => `http://user:pass@127.0.0.1:${port()}`,
			'must not carry a query, a fragment or a user name',
		],
		['a Base URL ending in /v1', () => `${sandbox.url}/v1`, 'which the node adds itself'],
	])("%s: refused with the node's message, nothing sent", async (_, baseUrl, problem) => {
		const result = await testCredential({ apiKey: KEYS.acmeTenant, baseUrl: baseUrl() });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The Base URL in the PilotStatus credential is not usable: ');
		expect(result.message).toContain(problem);
		expect(sandbox.requests).toEqual([]);
	});

	test('an empty Base URL means the default address, as for the node (not ERR_INVALID_URL)', async () => {
		const result = await testCredential({ apiKey: 'ps_test_not_a_real_key', baseUrl: '' });
		expect(result.message).not.toMatch(/INVALID_URL/);
		expect(sandbox.requests).toEqual([]);
	});

	test('a redirect to another host: not followed, the key not sent there', async () => {
		sandbox.use((req, res) => {
			res.writeHead(302, { location: `${other.url}${req.url}` });
			res.end();
			return true;
		});
		const result = await testCredential({ apiKey: KEYS.acmeTenant, baseUrl: sandbox.url });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining(
				'PilotStatus answered with a redirect (HTTP 302), which is not followed',
			),
		});
		expect(other.requests).toEqual([]);
	});
});
