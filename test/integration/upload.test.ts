/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 3: the upload operation through n8n-core and the emulator: simple and chunked paths,
 * exact bytes, streaming memory, parallel segments, faults, processing, and every pre-flight refusal.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets, sha256, writeTempFile } from '../harness/scenario';
import { makeGif, makeMp4, makeMp4Header, makePng, makeSrt } from '../fixtures/media';
import { autoCap } from '../../nodes/XMedia/helpers/appendWindow';
import { DEFAULT_CHUNK_BYTES } from '../../nodes/XMedia/helpers/limits';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 2 });

const MiB = 1024 * 1024;

function fileItem(bytes: Buffer, fileName: string, mimeType?: string, property = 'data'): TestItemSpec {
	return { binary: { [property]: { base64: b64(bytes), fileName, mimeType } } };
}

async function upload(
	items: TestItemSpec[],
	parameters: Record<string, unknown> = {},
	authentication = 'oAuth2',
	continueOnFail = false,
): Promise<RunResult> {
	return await runWorkflow({
		items,
		nodes: [{ parameters: { authentication, operation: 'upload', ...parameters }, continueOnFail }],
	});
}

/** A video file on disk of `size` bytes (an MP4 header, then patterned bytes), written in pieces. */
function writeVideoFile(name: string, size: number): string {
	const path = writeTempFile(name, makeMp4Header(size));
	const fd = openSync(path, 'a');
	const piece = Buffer.alloc(4 * MiB);
	for (let i = 0; i < piece.length; i++) piece[i] = (i * 31) & 0xff;
	let written = makeMp4Header(size).length;
	while (written < size) {
		const n = Math.min(piece.length, size - written);
		writeSync(fd, piece, 0, n);
		written += n;
	}
	closeSync(fd);
	return path;
}

describe.each(AUTHENTICATIONS)('upload with %s', (authentication) => {
	it('sends a PNG by the simple path, bytes intact', async () => {
		const png = makePng(64, 48);
		const result = await upload([fileItem(png, 'chart.png', 'image/png')], {}, authentication);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json).toMatchObject({
			upload_method: 'simple',
			segments: 0,
			media_category: 'tweet_image',
			media_type: 'image/png',
			size: png.length,
			file_name: 'chart.png',
		});
		expect(typeof json.media_id).toBe('string');
		expect(json.media_ids).toEqual([json.media_id]);
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(png));
		expect(emulator.requests().map((r) => r.endpoint)).toEqual(['upload']);
	});

	it('sends an animated GIF and an MP4 by the chunked path and waits for processing', async () => {
		const gif = makeGif({ frames: 3, width: 8, height: 8 });
		const mp4 = makeMp4(3 * MiB + 123);
		for (const [bytes, name, category] of [
			[gif, 'loop.gif', 'tweet_gif'],
			[mp4, 'clip.mp4', 'tweet_video'],
		] as const) {
			emulator.reset();
			const result = await upload([fileItem(bytes, name)], {}, authentication);
			expect(result.error).toBeUndefined();
			const json = result.output['X Media'][0].json;
			expect(json.upload_method).toBe('chunked');
			expect(json.media_category).toBe(category);
			expect(json.segments).toBe(1);
			expect((json.processing_info as { state: string }).state).toBe('succeeded');
			expect(json.expires_after_secs).toEqual(expect.any(Number));
			expect(Date.parse(json.expires_at as string)).toBeGreaterThan(Date.now());
			expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(bytes));
			const endpoints = emulator.requests().map((r) => r.endpoint);
			expect(endpoints.slice(0, 3)).toEqual(['initialize', 'append', 'finalize']);
			expect(endpoints.filter((e) => e === 'status').length).toBeGreaterThanOrEqual(1);
		}
	});
});

describe('kind of file', () => {
	it('recognises a PNG that the upstream node called application/octet-stream', async () => {
		const png = makePng(8, 8);
		const result = await upload([fileItem(png, 'download.bin', 'application/octet-stream')]);
		expect(result.error).toBeUndefined();
		expect(result.output['X Media'][0].json).toMatchObject({ media_type: 'image/png', upload_method: 'simple' });
	});

	it('uploads a subtitle file by the simple path with the subtitles category', async () => {
		const result = await upload([fileItem(makeSrt(), 'captions.srt', 'application/x-subrip')]);
		expect(result.error).toBeUndefined();
		expect(result.output['X Media'][0].json).toMatchObject({ media_category: 'subtitles', upload_method: 'simple' });
	});

	it('uploads several binary properties of one item in order', async () => {
		const a = makePng(4, 4);
		const b = makeGif({ frames: 2 });
		const item: TestItemSpec = {
			binary: {
				first: { base64: b64(a), fileName: 'a.png' },
				second: { base64: b64(b), fileName: 'b.gif' },
			},
		};
		const result = await upload([item], { binaryPropertyName: 'first, second' });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		const ids = json.media_ids as string[];
		expect(ids).toHaveLength(2);
		expect(json.media_id).toBe(ids[0]);
		expect(emulator.mediaSha256(ids[0])).toBe(sha256(a));
		expect(emulator.mediaSha256(ids[1])).toBe(sha256(b));
	});

	it('streams an inline (base64) binary that has no storage id', async () => {
		const png = makePng(4, 4);
		const result = await upload([{ binary: { data: { base64: b64(png), fileName: 'x.png', mimeType: 'image/png', inline: true } } }]);
		expect(result.error).toBeUndefined();
		expect(emulator.mediaSha256(result.output['X Media'][0].json.media_id as string)).toBe(sha256(png));
	});
});

describe('alt text, owners, shared', () => {
	it('sets alt text after the upload', async () => {
		const result = await upload([fileItem(makePng(4, 4), 'a.png')], { options: { altText: 'A red and blue chart' } });
		expect(result.error).toBeUndefined();
		const id = result.output['X Media'][0].json.media_id as string;
		expect(emulator.media(id)?.alt_text).toBe('A red and blue chart');
		expect(emulator.requests().map((r) => r.endpoint)).toEqual(['upload', 'metadata']);
	});

	it('sends additional owners as a comma-separated string on the one-request upload', async () => {
		const result = await upload([fileItem(makePng(4, 4), 'a.png')], {
			options: { additionalOwners: '1880000000000000002, 42' },
		});
		expect(result.error).toBeUndefined();
		const [req] = emulator.requests({ endpoint: 'upload' });
		expect(req.multipart?.find((f) => f.name === 'additional_owners')?.value).toBe('1880000000000000002,42');
		expect(emulator.media(result.output['X Media'][0].json.media_id as string)?.additional_owners).toEqual([
			'1880000000000000002',
			'42',
		]);
	});

	it('sends additional owners as an array and shared as a boolean on initialize', async () => {
		const result = await upload([fileItem(makeMp4(200_000), 'dm.mp4')], {
			mediaCategory: 'dm_video',
			options: { additionalOwners: '1880000000000000002', shared: true },
		});
		expect(result.error).toBeUndefined();
		const [init] = emulator.requests({ endpoint: 'initialize' });
		expect(init.json).toMatchObject({
			media_category: 'dm_video',
			additional_owners: ['1880000000000000002'],
			shared: true,
			total_bytes: 200_000,
		});
	});
});

describe('large files, parallel segments and memory', () => {
	it('uploads a 200 MB video with default options in parallel segments, memory near a few chunks', async () => {
		const size = 200 * MiB;
		const path = writeVideoFile('big.mp4', size);
		if (global.gc) global.gc();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 20);
		let result: RunResult;
		try {
			result = await upload([{ binary: { data: { path, fileName: 'big.mp4', mimeType: 'video/mp4' } } }]);
		} finally {
			clearInterval(sampler);
		}
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.segments).toBe(50);
		expect(json.size).toBe(size);
		const growthMiB = (peak - baseline) / MiB;
		// Printed for the record; the bound is generous (the emulator runs in this process too).
		process.stdout.write(`200 MB upload: RSS growth ${growthMiB.toFixed(1)} MiB, append concurrency ${emulator.appendConcurrency().maxInFlight}\n`);
		expect(growthMiB).toBeLessThan(160);
		expect(emulator.appendConcurrency().maxInFlight).toBeGreaterThan(1);
		// Parallel Uploads unset: the window adapts, within its cap.
		expect(emulator.appendConcurrency().maxInFlight).toBeLessThanOrEqual(autoCap(DEFAULT_CHUNK_BYTES));
		expect(emulator.media(json.media_id as string)?.size).toBe(size);
		expect(emulator.mediaSha256(json.media_id as string)).toBeDefined();
	});
});

describe('faults end in a successful upload', () => {
	const mp4 = makeMp4(10 * MiB + 7);

	it('survives a 503 on one APPEND, a dropped connection on another and a 429 on finalize', async () => {
		emulator.addFault({ endpoint: 'append', nth: 1, status: 503 });
		emulator.addFault({ endpoint: 'append', nth: 3, drop: true });
		emulator.addFault({ endpoint: 'finalize', nth: 1, status: 429, rateLimitResetInSecs: 1 });
		const result = await upload([fileItem(mp4, 'clip.mp4')]);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		const appends = emulator.requests({ endpoint: 'append' });
		expect(appends.filter((r) => r.status === 200)).toHaveLength(3);
		expect(appends.some((r) => r.status === 503)).toBe(true);
		expect(appends.some((r) => r.status === 0)).toBe(true);
		expect(emulator.requests({ endpoint: 'finalize' }).map((r) => r.status)).toEqual([429, 200]);
	});

	it('restarts with smaller chunks after a 413 on the first APPEND', async () => {
		emulator.addFault({ endpoint: 'append', nth: 1, status: 413, body: '' });
		const result = await upload([fileItem(mp4, 'clip.mp4')]);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(2);
		expect(json.segments).toBe(6); // 10 MiB in 2 MiB segments after halving 4 MiB
	});
});

describe('processing', () => {
	it("ends in an error that quotes X's reason when processing fails", async () => {
		emulator.setProcessing({ fail: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });
		const result = await upload([fileItem(makeMp4(300_000), 'bad.mp4')]);
		expect(result.error?.message).toContain('Unsupported video format');
		expect(result.error?.message).toMatch(/media [0-9]{19}/);
	});

	it('treats an error while still in_progress as final', async () => {
		emulator.setProcessing({ failInProgressWithError: true, fail: { code: 3, name: 'InvalidMedia', message: 'Stuck at 99%' } });
		const result = await upload([fileItem(makeMp4(300_000), 'stuck.mp4')]);
		expect(result.error?.message).toContain('Stuck at 99%');
	});

	it('stops at the processing timeout with the media id in the message', async () => {
		emulator.setProcessing({ stall: true, checkAfterSecs: 1 });
		const started = Date.now();
		const result = await upload([fileItem(makeMp4(300_000), 'slow.mp4')], { options: { processingTimeout: 3 } });
		const id = emulator.allMedia()[0].id;
		expect(result.error?.message).toContain(`still processing media ${id}`);
		expect(result.error?.description).toContain('Get Status');
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('returns at once without waiting when Wait for Processing is off', async () => {
		const result = await upload([fileItem(makeMp4(300_000), 'later.mp4')], { options: { waitForProcessing: false } });
		expect(result.error).toBeUndefined();
		expect((result.output['X Media'][0].json.processing_info as { state: string }).state).toBe('pending');
		expect(emulator.requests({ endpoint: 'status' })).toHaveLength(0);
	});
});

describe('pre-flight refusals: a clear message and no request to X', () => {
	const cases: Array<[string, TestItemSpec[], Record<string, unknown>, RegExp]> = [
		['a missing binary property', [fileItem(makePng(2, 2), 'a.png', undefined, 'photo')], {}, /no binary property "data".*|"photo"/],
		['an empty file', [fileItem(Buffer.alloc(0), 'empty.png', 'image/png')], {}, /empty \(0 bytes\)/],
		['a file that is none of X’s types', [fileItem(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), 'doc.pdf', 'application/pdf')], {}, /not a (file type|type) X (accepts|takes)|X does not accept|not one of X/i],
		['an image over 5 MB by one byte', [fileItem(makePng(2, 2, { sizeBytes: 5 * MiB + 1 }), 'big.png')], {}, /5 MB/],
		['a GIF over 15 MB by one byte', [fileItem(makeGif({ frames: 2, sizeBytes: 15 * MiB + 1 }), 'big.gif')], {}, /15 MB/],
		['alt text of 1001 characters', [fileItem(makePng(2, 2), 'a.png')], { options: { altText: 'a'.repeat(1001) } }, /1000/],
		['alt text on a video', [fileItem(makeMp4(2000), 'v.mp4')], { options: { altText: 'hello' } }, /[Aa]lt text/],
		['a chunk size out of range', [fileItem(makeMp4(2000), 'v.mp4')], { options: { chunkSize: 64 } }, /Chunk Size/],
		['parallel uploads out of range', [fileItem(makeMp4(2000), 'v.mp4')], { options: { parallelUploads: 0 } }, /Parallel Uploads/],
		['an additional owner with letters', [fileItem(makePng(2, 2), 'a.png')], { options: { additionalOwners: '12ab' } }, /12ab/],
		['an image sent as a video category', [fileItem(makePng(2, 2), 'a.png')], { mediaCategory: 'tweet_video' }, /tweet_video/],
		['amplify_video forced through the simple upload', [fileItem(makeMp4(2000), 'v.mp4')], { mediaCategory: 'amplify_video', options: { uploadMethod: 'simple' } }, /amplify_video|simple/i],
	];

	it.each(cases)('refuses %s', async (_label, items, parameters, message) => {
		const result = await upload(items, parameters);
		expect(result.error).toBeDefined();
		expect(`${result.error?.message} ${result.error?.description ?? ''}`).toMatch(message);
		expect(emulator.requests()).toHaveLength(0);
		expect(findSecrets(result)).toEqual([]);
	});

	it('refuses a standard account\'s DM video over 512 MB by one byte (X Premium: 1 GB)', async () => {
		const path = writeTempFile('huge.mp4', makeMp4Header(512 * MiB + 1));
		// A sparse file: the size is there without writing 512 MB.
		const fd = openSync(path, 'r+');
		writeSync(fd, Buffer.from([0]), 0, 1, 512 * MiB);
		closeSync(fd);
		const result = await upload([{ binary: { data: { path, fileName: 'huge.mp4' } } }], { mediaCategory: 'dm_video', options: { accountTier: 'standard' } });
		expect(result.error?.message).toMatch(/over X's 512 MB \(536,870,912 bytes\) limit for dm_video on a standard account/);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/Premium/);
		expect(emulator.requests()).toHaveLength(0);
	});
});

describe('Continue On Fail', () => {
	it('yields an error item for the failing item and uploads the others', async () => {
		const items = [
			fileItem(makePng(2, 2), 'one.png'),
			fileItem(Buffer.alloc(0), 'empty.png'),
			fileItem(makePng(3, 3), 'three.png'),
		];
		const result = await upload(items, {}, 'oAuth1', true);
		expect(result.error).toBeUndefined();
		const out = result.output['X Media'];
		expect(out).toHaveLength(3);
		expect(out[0].json.media_id).toMatch(/^[0-9]{19}$/);
		expect(out[1].json.error).toMatch(/empty/);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.media_id).toMatch(/^[0-9]{19}$/);
		expect(emulator.requests({ endpoint: 'upload' })).toHaveLength(2);
	});
});
