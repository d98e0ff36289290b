/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The floor: the least work that moves the same bytes to the emulator. One HTTP request whose body
 * is the file, streamed from disk (fs.createReadStream → http.request, Content-Length set), to an
 * emulator endpoint that reads the body to its end and discards it: `GET /2/users/me` (the
 * emulator's handler drains any body before answering 200). The request goes through the same
 * emulator path as every API call: the per-request latency, the bearer-token check, the recording
 * (the parent checks that the emulator counted exactly the file's size). No parsing, no disk
 * writes, no hashing on the emulator's side. Timed: open the file, send it, read the answer.
 */
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import { pipeline } from 'node:stream/promises';

import { EmulatorClient } from '../../test/emulator/client';
import { oauth2Tokens } from '../../test/emulator/testCredentials';
import type { ChildInput, ChildResult } from '../lib/common';
import { MiB, measure } from '../lib/common';

export const FLOOR_PATH = '/2/users/me';
/** Read size of the file stream (the largest that helps; see bench/README notes in results.md). */
const READ_BYTES = Number(process.env.BENCH_FLOOR_READ_BYTES ?? MiB);

async function send(baseUrl: string, file: string, size: number): Promise<number> {
	const url = new URL(FLOOR_PATH, baseUrl);
	return await new Promise<number>((resolve, reject) => {
		const req = http.request(url, {
			method: 'GET',
			headers: {
				authorization: `Bearer ${oauth2Tokens.userA}`,
				'content-type': 'application/octet-stream',
				'content-length': String(size),
			},
		});
		req.on('response', (res) => {
			res.resume();
			res.on('end', () => (res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`floor: HTTP ${res.statusCode}`))));
			res.on('error', reject);
		});
		req.on('error', reject);
		pipeline(createReadStream(file, { highWaterMark: READ_BYTES }), req).catch(reject);
	});
}

export async function run(input: ChildInput): Promise<ChildResult> {
	await send(input.baseUrl, input.warmup.file, (await import('node:fs')).statSync(input.warmup.file).size);
	await new EmulatorClient(input.baseUrl).reset();
	const { m } = await measure(() => send(input.baseUrl, input.file, input.size));
	return { contender: 'floor', ...m };
}
