/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download is not available
 * here). Every request the page makes to a host other than the loopback is refused, so the editor's
 * calls to n8n's online services never leave the machine.
 */
import fs from 'node:fs';

import type { Browser, BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface EditorBrowser {
	context: BrowserContext;
	close(): Promise<void>;
}

export async function launchBrowser(): Promise<EditorBrowser> {
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
	const browser: Browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		timeout: 30000,
		// Without the background-networking flags Chromium keeps dialing Google's services. Playwright
		// gives it a fresh, empty profile folder of its own.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		locale: 'en-US',
	});
	await context.route('**/*', (route) => {
		const { protocol, hostname } = new URL(route.request().url());
		const local = protocol === 'data:' || protocol === 'blob:' || LOOPBACK.has(hostname);
		return local ? route.continue() : route.abort('blockedbyclient');
	});
	context.setDefaultTimeout(20000);
	return {
		context,
		async close() {
			await browser.close();
		},
	};
}
