/**
 * The APPEND engine on streams that hand out pieces (S3, or any stream without a file handle):
 * pieces of every size are copied into pooled buffers and land at X byte for byte. The engine is
 * driven directly with a small client that sends each APPEND to the emulator over real HTTP (the
 * node's own transport is covered through n8n-core by upload.test.ts and uploadResume.test.ts).
 */
import { createHash } from 'node:crypto';

import type { XApiClient, XRequest } from '../../../nodes/XMedia/transport/xApiClient';
import { appendSegments } from '../../../nodes/XMedia/upload/appendPipeline';
import { oauth2Tokens } from '../../emulator';
import { useEmulator } from '../../harness/emulatorSuite';

const emulator = useEmulator({ processingSteps: 0 });

const KiB = 1024;

/** Just enough of XApiClient for appendSegments: one HTTP request per call, to the emulator. */
function httpClient(): XApiClient {
	return {
		async request(req: XRequest) {
			const body = req.multipart?.() as FormData;
			const res = await fetch(`${emulator.baseUrl}${req.path}`, {
				method: req.method,
				headers: { authorization: `Bearer ${oauth2Tokens.userA}` },
				body,
			});
			const text = await res.text();
			if (res.status !== 200 && !req.passStatuses?.includes(res.status)) throw Object.assign(new Error(text), { httpCode: String(res.status) });
			return { statusCode: res.status, body: JSON.parse(text || '{}'), headers: Object.fromEntries(res.headers), attempts: 1 };
		},
	} as unknown as XApiClient;
}

async function initialize(size: number): Promise<string> {
	const res = await fetch(`${emulator.baseUrl}/2/media/upload/initialize`, {
		method: 'POST',
		headers: { authorization: `Bearer ${oauth2Tokens.userA}`, 'content-type': 'application/json' },
		body: JSON.stringify({ media_type: 'video/mp4', total_bytes: size, media_category: 'tweet_video' }),
	});
	return ((await res.json()) as { data: { id: string } }).data.id;
}

function bytesOf(size: number): Buffer {
	const b = Buffer.alloc(size);
	for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >> 9)) & 0xff;
	return b;
}

async function* pieces(bytes: Buffer, sizes: number[]) {
	let offset = 0;
	for (let i = 0; offset < bytes.length; i++) {
		const n = sizes[i % sizes.length];
		// A fresh copy per piece, as a stream hands out.
		yield Buffer.from(bytes.subarray(offset, offset + n));
		offset += n;
	}
}

function segmentsAt(id: string): Array<{ index: number; size: number }> {
	return emulator.media(id)!.segments;
}

it.each([
	['64 KiB pieces', [64 * KiB]],
	['odd pieces (7 B, 100 KiB, 1 B, 300 KiB)', [7, 100 * KiB, 1, 300 * KiB]],
	['pieces larger than a segment', [700 * KiB]],
])('%s: every segment whole, each sent once, with at most parallel + 1 buffers', async (_label, sizes) => {
	const size = 2 * 1024 * KiB + 12345;
	const file = bytesOf(size);
	const id = await initialize(size);
	const chunkBytes = 256 * KiB;
	const count = Math.ceil(size / chunkBytes);
	const acknowledged = new Uint8Array(count);
	const outcome = await appendSegments({
		client: httpClient(),
		mediaId: id,
		stream: pieces(file, sizes),
		size,
		chunkBytes,
		parallel: 3,
		itemIndex: 0,
		acknowledged,
	});
	expect(outcome.bytes).toBe(size);
	expect(outcome.segments).toBe(count);
	expect(outcome.buffersAllocated).toBeLessThanOrEqual(4);
	expect(outcome.maxInFlight).toBeLessThanOrEqual(3);
	expect([...acknowledged]).toEqual(Array(count).fill(1));
	expect(segmentsAt(id).map((s) => s.index)).toEqual([...Array(count).keys()]);
	const appends = emulator.requests({ endpoint: 'append' });
	expect(appends).toHaveLength(count);
	const fin = await fetch(`${emulator.baseUrl}/2/media/upload/${id}/finalize`, { method: 'POST', headers: { authorization: `Bearer ${oauth2Tokens.userA}` } });
	expect(fin.status).toBe(200);
	expect(emulator.mediaSha256(id)).toBe(createHash('sha256').update(file).digest('hex'));
});

it('skips the segments X acknowledged and reports a stream shorter than the size', async () => {
	const size = 1024 * KiB;
	const file = bytesOf(size);
	const id = await initialize(size);
	const acknowledged = new Uint8Array(4);
	acknowledged[0] = 1;
	acknowledged[2] = 1;
	const outcome = await appendSegments({
		client: httpClient(),
		mediaId: id,
		stream: pieces(file, [50 * KiB]),
		size,
		chunkBytes: 256 * KiB,
		parallel: 2,
		itemIndex: 0,
		acknowledged,
	});
	expect(outcome.segments).toBe(2);
	expect(segmentsAt(id).map((s) => s.index)).toEqual([1, 3]);

	const short = await appendSegments({
		client: httpClient(),
		mediaId: await initialize(size),
		stream: pieces(file.subarray(0, size - 10), [50 * KiB]),
		size,
		chunkBytes: 256 * KiB,
		parallel: 2,
		itemIndex: 0,
		acknowledged: new Uint8Array(4),
	});
	expect(short.bytes).toBe(size - 10);
	expect(short.segments).toBe(3); // the short last segment is not sent
});

it('Parallel Uploads unset, X far away: more APPENDs in flight than 3, never more than the cap, each segment once', async () => {
	emulator.setOptions({ latencyMs: 150 });
	try {
		const size = 24 * 256 * KiB;
		const file = bytesOf(size);
		const startedAt = Date.now();
		const id = await initialize(size);
		const roundTripMs = Date.now() - startedAt;
		const count = 24;
		const acknowledged = new Uint8Array(count);
		const outcome = await appendSegments({
			client: httpClient(),
			mediaId: id,
			stream: pieces(file, [64 * KiB]),
			size,
			chunkBytes: 256 * KiB,
			roundTripMs,
			itemIndex: 0,
			acknowledged,
		});
		expect(outcome.segments).toBe(count);
		expect(outcome.windowCap).toBe(8);
		// 150 ms per request against a few ms per 256 KiB segment: the first round already shows it.
		expect(outcome.maxInFlight).toBeGreaterThan(3);
		expect(outcome.maxInFlight).toBeLessThanOrEqual(outcome.windowCap);
		expect(emulator.appendConcurrency().maxInFlightByMedia[id]).toBeLessThanOrEqual(outcome.windowCap);
		expect(outcome.buffersAllocated).toBeLessThanOrEqual(outcome.windowCap + 1);
		expect(emulator.requests({ endpoint: 'append' })).toHaveLength(count);
		expect(segmentsAt(id).map((s) => s.index)).toEqual([...Array(count).keys()]);
	} finally {
		emulator.setOptions({ latencyMs: 0 });
	}
});

it('Parallel Uploads set: exactly that many in flight at most, even where more would pay', async () => {
	emulator.setOptions({ latencyMs: 100 });
	try {
		const size = 12 * 256 * KiB;
		const id = await initialize(size);
		const outcome = await appendSegments({
			client: httpClient(),
			mediaId: id,
			stream: pieces(bytesOf(size), [256 * KiB]),
			size,
			chunkBytes: 256 * KiB,
			parallel: 2,
			roundTripMs: 100,
			itemIndex: 0,
			acknowledged: new Uint8Array(12),
		});
		expect(outcome.segments).toBe(12);
		expect(outcome.maxInFlight).toBe(2);
		expect(outcome.window).toBe(2);
		expect(outcome.buffersAllocated).toBeLessThanOrEqual(3);
	} finally {
		emulator.setOptions({ latencyMs: 0 });
	}
});
