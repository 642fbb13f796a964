'use strict';
/**
 * Run by unbounded-answers.test.ts in a process with a 512 MB heap, as a small n8n instance has:
 * List with Return All against an answer just under the list's size limit that is a JSON array of
 * 33 million zeros. Prints what the node said; exits 0 when the run ended, whatever it said (a
 * heap out of memory kills the process instead).
 */
const http = require('node:http');

const { runNode } = require('../../harness/n8n');
const { list } = require('../../harness/parameters');
const { KEYS } = require('../../sandbox/fixtures');

const COUNT = 32 * 1024 * 1024 - 8;

const server = http.createServer((_req, res) => {
	res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 * COUNT + 1 });
	const chunk = Buffer.from('0,'.repeat(64 * 1024));
	let left = COUNT - 1;
	res.write('[');
	const more = () => {
		while (left > 0) {
			const values = Math.min(left, chunk.length / 2);
			left -= values;
			if (!res.write(values === chunk.length / 2 ? chunk : chunk.subarray(0, 2 * values))) {
				res.once('drain', more);
				return;
			}
		}
		res.end('0]');
	};
	more();
});

server.listen(0, '127.0.0.1', async () => {
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	try {
		const result = await runNode({
			parameters: list({ returnAll: true, options: { maxRetries: 0 } }),
			credentials: { apiKey: KEYS.acmeTenant, baseUrl: `http://127.0.0.1:${port}` },
		});
		console.log(result.error?.message ?? `${result.items.length} items`);
	} finally {
		server.closeAllConnections();
		server.close();
	}
});
