/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * A reference, not a contender people use: the plain streaming chunked client of the anchor
 * figures. INITIALIZE, then APPENDs of 4 MiB multipart segments read from disk into one reused
 * buffer per worker, 3 in parallel, over a keep-alive agent (node:http, no library), then FINALIZE.
 * It does what X Media does on the wire with the least client work, so (its time − the floor's) is
 * what the emulator's chunked path costs, and (X Media − it) is what X Media and n8n add.
 */
import { open } from 'node:fs/promises';
import * as http from 'node:http';

import { EmulatorClient } from '../../test/emulator/client';
import { oauth2Tokens } from '../../test/emulator/testCredentials';
import type { ChildInput, ChildResult } from '../lib/common';
import { MiB, measure } from '../lib/common';

const SEGMENT_BYTES = 4 * MiB;
const PARALLEL = 3;
const agent = new http.Agent({ keepAlive: true });

function request(baseUrl: string, path: string, headers: http.OutgoingHttpHeaders, parts: Buffer[]): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(new URL(path, baseUrl), { method: 'POST', agent, headers: { authorization: `Bearer ${oauth2Tokens.userA}`, ...headers } });
		req.on('response', (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c: string) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			res.on('error', reject);
		});
		req.on('error', reject);
		for (const p of parts) req.write(p);
		req.end();
	});
}

async function upload(baseUrl: string, file: string, size: number, mediaType: string, category: string): Promise<string> {
	const init = await request(baseUrl, '/2/media/upload/initialize', { 'content-type': 'application/json' }, [
		Buffer.from(JSON.stringify({ media_type: mediaType, total_bytes: size, media_category: category })),
	]);
	const id = (JSON.parse(init.body) as { data?: { id?: string } }).data?.id;
	if (init.status !== 200 || !id) throw new Error(`initialize: ${init.status} ${init.body}`);
	const fh = await open(file, 'r');
	try {
		let next = 0;
		const count = Math.ceil(size / SEGMENT_BYTES);
		const worker = async () => {
			const buffer = Buffer.allocUnsafe(SEGMENT_BYTES);
			for (let index = next++; index < count; index = next++) {
				const offset = index * SEGMENT_BYTES;
				const length = Math.min(SEGMENT_BYTES, size - offset);
				const { bytesRead } = await fh.read(buffer, 0, length, offset);
				if (bytesRead !== length) throw new Error(`short read at ${offset}`);
				const boundary = `plain${index}x${Date.now()}`;
				const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n${index}\r\n--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="segment"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'latin1');
				const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
				const res = await request(
					baseUrl,
					`/2/media/upload/${id}/append`,
					{ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + length + tail.length) },
					[head, buffer.subarray(0, length), tail],
				);
				if (res.status !== 200) throw new Error(`append ${index}: ${res.status} ${res.body}`);
			}
		};
		await Promise.all(Array.from({ length: PARALLEL }, worker));
	} finally {
		await fh.close();
	}
	const fin = await request(baseUrl, `/2/media/upload/${id}/finalize`, {}, []);
	if (fin.status !== 200) throw new Error(`finalize: ${fin.status} ${fin.body}`);
	return id;
}

export async function run(input: ChildInput): Promise<ChildResult> {
	const warm = input.warmup;
	const { statSync } = await import('node:fs');
	await upload(input.baseUrl, warm.file, statSync(warm.file).size, warm.mediaType, warm.category);
	await new EmulatorClient(input.baseUrl).reset();
	const { value: mediaId, m } = await measure(() => upload(input.baseUrl, input.file, input.size, input.mediaType, input.category));
	return { contender: 'plain', ...m, mediaId };
}
