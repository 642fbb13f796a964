/**
 * A real n8n editor (`n8n start`) with this package loaded from its `npm pack` tarball, in a
 * throwaway user folder, on a free loopback port, with an owner account made through n8n's REST API.
 * The end-to-end suite's modules do the work: e2e/n8n.js (pinned n8n, package, folder),
 * e2e/n8nServer.js (the running server), e2e/n8nRest.js (the owner account).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { N8nFolder } from '../e2e/n8n';
import { createN8n, packPackage } from '../e2e/n8n';
import { OWNER, setUpOwner } from '../e2e/n8nRest';
import { startN8nServer } from '../e2e/n8nServer';

export { OWNER };

/** The n8n line the editor tests run on: the 2.x that matches the n8n-core/n8n-workflow dev dependencies. */
export const N8N_VERSION = '2.41.1';

export interface Editor {
	url: string;
	stop(): Promise<void>;
}

export async function startEditor(): Promise<Editor> {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-ui-pack-'));
	let n8n: N8nFolder;
	try {
		n8n = await createN8n({ version: N8N_VERSION, tarball: packPackage(packDir) });
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	try {
		const server = await startN8nServer(n8n, { role: 'main' });
		const editor: Editor = {
			url: server.url,
			async stop() {
				await server.stop();
				n8n.remove();
			},
		};
		await setUpOwner(editor.url).catch(async (error) => {
			await server.stop();
			throw error;
		});
		return editor;
	} catch (error) {
		n8n.remove();
		throw error;
	}
}
