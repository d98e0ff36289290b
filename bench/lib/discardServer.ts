/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * A raw HTTP server that reads every request body to its end, discards it and answers 200 `{}`:
 * the reference the emulator's own speed is checked against (run-bench.ts sends the floor's
 * request to both). Runs in its own process: `node --import tsx bench/lib/discardServer.ts [latencyMs]`
 * prints `DISCARD_READY <baseUrl>`.
 */
import { createServer } from 'node:http';

const latencyMs = Number(process.argv[2] ?? 0);

const server = createServer({ requestTimeout: 0 }, (req, res) => {
	let bytes = 0;
	const answer = () => {
		const body = JSON.stringify({ bytes });
		res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
		res.end(body);
	};
	const start = () => {
		req.on('data', (c: Buffer) => {
			bytes += c.length;
		});
		req.on('end', answer);
	};
	if (latencyMs > 0) setTimeout(start, latencyMs);
	else start();
});

server.listen(0, '127.0.0.1', () => {
	const addr = server.address();
	if (!addr || typeof addr === 'string') throw new Error('no address');
	process.stdout.write(`DISCARD_READY http://127.0.0.1:${addr.port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
