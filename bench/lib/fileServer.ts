/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The bench's URL server for the URL contenders: serves the files of one folder on 127.0.0.1 as a
 * CDN would (Content-Length, byte ranges, keep-alive), streamed from disk.
 *
 *   tsx bench/lib/fileServer.ts <folder> [port]   → prints `FILES_READY http://127.0.0.1:<port>`
 */
import { createReadStream, statSync } from 'node:fs';
import * as http from 'node:http';
import { basename, join } from 'node:path';

const folder = process.argv[2];
if (!folder) throw new Error('usage: fileServer.ts <folder> [port]');

const server = http.createServer((req, res) => {
	const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
	let size: number;
	try {
		size = statSync(join(folder, name)).size;
	} catch {
		res.writeHead(404).end();
		return;
	}
	const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
	const start = range ? Number(range[1]) : 0;
	const end = range && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
	if (range && start >= size) {
		res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
		return;
	}
	res.writeHead(range ? 206 : 200, {
		'content-type': 'application/octet-stream',
		'content-length': String(end - start + 1),
		'accept-ranges': 'bytes',
		...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
	});
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	createReadStream(join(folder, name), { start, end, highWaterMark: 1024 * 1024 }).pipe(res);
});
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
	const address = server.address();
	console.log(`FILES_READY http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
