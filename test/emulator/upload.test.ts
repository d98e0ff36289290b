/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { useEmulator } from '../harness/emulatorSuite';
import { gif, mp4, png, xfetch, type XResponse } from './testHelpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('chunked and one-shot uploads', () => {
	const emu = useEmulator();
	let b: string;
	beforeAll(() => {
		b = emu.baseUrl;
	});
	beforeEach(() => {
		emu.setOptions({ processingSteps: 2, checkAfterSecs: 1, enforceCheckAfter: false });
	});

	async function init(type: string, total: number, category?: string): Promise<string> {
		const res = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: type, total_bytes: total, ...(category ? { media_category: category } : {}) } });
		expect(res.status).toBe(200);
		return res.json.data.id;
	}

	const appendMultipart = (id: string, index: number, bytes: Buffer) =>
		xfetch(b, 'POST', `/2/media/upload/${id}/append`, {
			multipart: [
				{ name: 'segment_index', value: String(index) },
				{ name: 'media', value: bytes, filename: 'blob', contentType: 'application/octet-stream' },
			],
		});
	const appendJson = (id: string, index: number, bytes: Buffer) => xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: bytes.toString('base64'), segment_index: index } });
	const status = (id: string) => xfetch(b, 'GET', `/2/media/upload?command=STATUS&media_id=${id}`);

	it('ids are 19-digit strings above 2^53; media_key prefix follows the category', async () => {
		const v = await init('video/mp4', 100, 'tweet_video');
		const g = await init('image/gif', 100, 'tweet_gif');
		const p = await init('image/png', 100, 'tweet_image');
		const a = await init('video/mp4', 100, 'amplify_video');
		for (const id of [v, g, p, a]) {
			expect(id).toMatch(/^[0-9]{19}$/);
			expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
			expect(String(Number(id))).not.toBe(id); // any client parsing it as a number breaks
		}
		expect(emu.media(v)!.media_key).toBe(`7_${v}`);
		expect(emu.media(g)!.media_key).toBe(`16_${g}`);
		expect(emu.media(p)!.media_key).toBe(`3_${p}`);
		expect(emu.media(a)!.media_key).toBe(`13_${a}`);
	});

	it('reassembles out-of-order, parallel multipart and JSON segments to the exact bytes', async () => {
		const file = mp4(5 * 1024 * 1024 + 12345, 7);
		const chunk = 1024 * 1024;
		const id = await init('video/mp4', file.length, 'tweet_video');
		const order = [5, 2, 0, 4, 1, 3];
		const results = await Promise.all(
			order.map((i) => (i % 2 ? appendJson : appendMultipart)(id, i, file.subarray(i * chunk, Math.min(file.length, (i + 1) * chunk)))),
		);
		for (const r of results) {
			expect(r.status).toBe(200);
			expect(r.json.data.expires_at).toBeGreaterThan(Date.now() / 1000);
		}
		expect(emu.appendConcurrency().maxInFlightByMedia[id]).toBeGreaterThan(1);
		const fin = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect(fin.status).toBe(200);
		expect(fin.json.data).toEqual({
			id,
			media_key: `7_${id}`,
			size: file.length,
			expires_after_secs: 86400,
			processing_info: { state: 'pending', check_after_secs: 1 },
			video: { video_type: 'video/mp4' },
		});
		expect(emu.mediaSha256(id)).toBe(sha(file));
		expect(sha(emu.mediaBytes(id))).toBe(sha(file));
		const rec = emu.media(id)!;
		expect(rec.segments.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(rec.segmentsReceived).toBe(6);
		// segments are gone from disk, one reassembled file remains
		expect(existsSync(path.join(path.dirname(rec.filePath!), 'segments'))).toBe(false);
		const recorded = emu.requests({ endpoint: 'append' });
		expect(recorded).toHaveLength(6);
		expect(recorded.find((r) => r.contentType?.startsWith('multipart'))!.multipart!.map((f) => f.name)).toEqual(['segment_index', 'media']);
		expect(recorded.find((r) => r.contentType === 'application/json')!.json).toMatchObject({ media: expect.stringMatching(/^<base64 \d+ chars>$/) });
	});

	it('accepts a 6 MiB base64 JSON append (the check is linear, not one big regexp)', async () => {
		const big = Buffer.alloc(6 * 1024 * 1024, 0x5a);
		const file = Buffer.concat([mp4(64, 1), big]);
		const id = await init('video/mp4', file.length, 'tweet_video');
		const res = await appendJson(id, 0, file);
		expect(res.status).toBe(200);
		const bad = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: `${file.toString('base64').slice(0, -4)}@@@@`, segment_index: 1 } });
		expect(bad.status).toBe(400);
	});

	it('a retried segment index replaces the earlier bytes', async () => {
		const file = mp4(3000, 3);
		const id = await init('video/mp4', 3000, 'tweet_video');
		await appendMultipart(id, 0, Buffer.alloc(1500, 9));
		await appendMultipart(id, 1, file.subarray(1500));
		await appendMultipart(id, 0, file.subarray(0, 1500));
		expect((await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`)).status).toBe(200);
		expect(emu.mediaSha256(id)).toBe(sha(file));
	});

	it('finalize refuses a missing segment and a size mismatch with X\'s words', async () => {
		const id = await init('video/mp4', 3000, 'tweet_video');
		await appendMultipart(id, 0, mp4(1000));
		await appendMultipart(id, 2, Buffer.alloc(2000, 1));
		const gap = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect(gap.status).toBe(400);
		expect(gap.json.errors[0].message).toMatch(/^Segments do not add up to provided total file size/);
		await appendMultipart(id, 1, Buffer.alloc(10, 1));
		const short = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect(short.status).toBe(400);
		expect(short.json.errors[0].message).toBe('Segments do not add up to provided total file size');
		expect(emu.media(id)!.state).toBe('initialized');
		await appendMultipart(id, 1, Buffer.alloc(0));
		// 1000 + 0 + 2000 = 3000: now it adds up
		expect((await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`)).status).toBe(200);
	});

	it('refuses a segment over 8 MiB with an empty 413 and stores nothing', async () => {
		const id = await init('video/mp4', 9 * 1024 * 1024, 'tweet_video');
		const big = Buffer.alloc(8 * 1024 * 1024 + 1, 1);
		const res = await appendMultipart(id, 0, big);
		expect(res.status).toBe(413);
		expect(res.text).toBe('');
		expect(emu.media(id)!.segments).toEqual([]);
		const ok = await appendMultipart(id, 0, Buffer.alloc(8 * 1024 * 1024, 1));
		expect(ok.status).toBe(200);
		expect(readdirSync(path.join(emu.storageDir, 'tmp'))).toEqual([]);
	});

	it('processing: pending → in_progress → succeeded, driven by STATUS calls', async () => {
		emu.setOptions({ processingSteps: 3, checkAfterSecs: 2 });
		const file = mp4(4000);
		const id = await init('video/mp4', file.length, 'tweet_video');
		await appendMultipart(id, 0, file);
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		const seen: unknown[] = [];
		for (let i = 0; i < 4; i++) seen.push((await status(id)).json.data.processing_info);
		expect(seen).toEqual([
			{ state: 'in_progress', check_after_secs: 2, progress_percent: 33 },
			{ state: 'in_progress', check_after_secs: 2, progress_percent: 67 },
			{ state: 'succeeded', progress_percent: 100 },
			{ state: 'succeeded', progress_percent: 100 },
		]);
		expect(emu.requests({ endpoint: 'status' }).map((r) => r.early)).toEqual([true, true, true, false]);
	});

	it('processing failure, stall, error while in_progress, per-media settings', async () => {
		const make = async () => {
			const f = mp4(1000);
			const id = await init('video/mp4', 1000, 'tweet_video');
			await appendMultipart(id, 0, f);
			return id;
		};
		const failing = await make();
		emu.setProcessing({ mediaId: failing, fail: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });
		await xfetch(b, 'POST', `/2/media/upload/${failing}/finalize`);
		await status(failing);
		const failed = (await status(failing)).json.data.processing_info;
		expect(failed).toEqual({ state: 'failed', progress_percent: 50, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });

		emu.setProcessing({ stall: true, checkAfterSecs: 5 });
		const stalled = await make();
		await xfetch(b, 'POST', `/2/media/upload/${stalled}/finalize`);
		let last: XResponse | undefined;
		for (let i = 0; i < 6; i++) last = await status(stalled);
		expect(last!.json.data.processing_info).toMatchObject({ state: 'in_progress', check_after_secs: 5 });
		expect(last!.json.data.processing_info.progress_percent).toBeLessThan(100);

		emu.setProcessing({ stall: false, failInProgressWithError: true, checkAfterSecs: 1 });
		const stuck = await make();
		await xfetch(b, 'POST', `/2/media/upload/${stuck}/finalize`);
		const s1 = (await status(stuck)).json.data.processing_info;
		expect(s1).toEqual({ state: 'in_progress', check_after_secs: 1, progress_percent: 99, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });
		expect(emu.media(stuck)!.processing!.error).toBeDefined();
	});

	it('bytes that are not a video make processing fail; enforceCheckAfter holds back early polls', async () => {
		const id = await init('video/mp4', 1000, 'tweet_video');
		await appendMultipart(id, 0, Buffer.alloc(1000, 0x41));
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		await status(id);
		expect((await status(id)).json.data.processing_info).toMatchObject({ state: 'failed', error: { name: 'InvalidMedia' } });

		emu.setOptions({ enforceCheckAfter: true, checkAfterSecs: 60 });
		const v = await init('video/mp4', 1000, 'tweet_video');
		await appendMultipart(v, 0, mp4(1000));
		await xfetch(b, 'POST', `/2/media/upload/${v}/finalize`);
		for (let i = 0; i < 3; i++) expect((await status(v)).json.data.processing_info.state).toBe('pending');
	});

	it('processingSteps 0 succeeds at finalize; images have no processing_info', async () => {
		emu.setOptions({ processingSteps: 0 });
		const v = await init('video/mp4', 1000, 'tweet_video');
		await appendMultipart(v, 0, mp4(1000));
		expect((await xfetch(b, 'POST', `/2/media/upload/${v}/finalize`)).json.data.processing_info).toEqual({ state: 'succeeded', progress_percent: 100 });
		const p = png(300, 200);
		const i = await init('image/png', p.length, 'tweet_image');
		await appendMultipart(i, 0, p);
		const fin = await xfetch(b, 'POST', `/2/media/upload/${i}/finalize`);
		expect(fin.json.data).toEqual({ id: i, media_key: `3_${i}`, size: p.length, expires_after_secs: 86400, image: { image_type: 'image/png', w: 300, h: 200 } });
		expect((await status(i)).json.data.processing_info).toBeUndefined();
		// finalize again is idempotent
		expect((await xfetch(b, 'POST', `/2/media/upload/${i}/finalize`)).json.data.id).toBe(i);
	});

	it('an image category with bytes that are no image is refused at finalize', async () => {
		const id = await init('image/png', 100, 'tweet_image');
		await appendMultipart(id, 0, Buffer.alloc(100, 0x41));
		const fin = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect(fin.status).toBe(400);
		expect(fin.json.errors[0].message).toMatch(/^media type unrecognized/);
		expect(emu.media(id)!.state).toBe('invalid');
	});

	it('append/finalize are for the owner only, before expiry; append after finalize is refused', async () => {
		const id = await init('video/mp4', 1000, 'tweet_video');
		const asB = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, {
			auth: { bearer: (await import('./testCredentials')).oauth2Tokens.userB },
			json: { media: mp4(1000).toString('base64'), segment_index: 0 },
		});
		expect(asB.status).toBe(400);
		await appendMultipart(id, 0, mp4(1000));
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect((await appendMultipart(id, 1, Buffer.alloc(1))).status).toBe(400);
		const other = await init('video/mp4', 10, 'tweet_video');
		emu.expireMedia(other);
		expect((await appendMultipart(other, 0, Buffer.alloc(10))).status).toBe(400);
		expect((await xfetch(b, 'POST', '/2/media/upload/1234/finalize')).status).toBe(400);
	});

	it('one-shot multipart and JSON uploads, type detected from the bytes', async () => {
		const p = png(640, 480);
		const mp = await xfetch(b, 'POST', '/2/media/upload', {
			multipart: [
				{ name: 'media', value: p, filename: 'photo.jpg', contentType: 'image/jpeg' },
				{ name: 'media_category', value: 'tweet_image' },
				{ name: 'additional_owners', value: '1880000000000000002' },
			],
		});
		expect(mp.status).toBe(200);
		expect(mp.json.data).toMatchObject({ media_key: `3_${mp.json.data.id}`, size: p.length, image: { image_type: 'image/png', w: 640, h: 480 } });
		expect(emu.media(mp.json.data.id)).toMatchObject({ upload_method: 'simple', additional_owners: ['1880000000000000002'], detected_media_type: 'image/png', sha256: sha(p) });

		const g = gif(20, 10);
		const js = await xfetch(b, 'POST', '/2/media/upload', { json: { media: g.toString('base64'), media_category: 'tweet_gif' } });
		expect(js.status).toBe(200);
		expect(js.json.data.media_key).toBe(`16_${js.json.data.id}`);
		expect(js.json.data.processing_info).toEqual({ state: 'pending', check_after_secs: 1 });
		expect(emu.media(js.json.data.id)).toMatchObject({ animated: true, width: 20, height: 10 });

		const bad64 = await xfetch(b, 'POST', '/2/media/upload', { json: { media: 'not base64!', media_category: 'tweet_image' } });
		expect(bad64.status).toBe(400);
		const tooBig = await xfetch(b, 'POST', '/2/media/upload', {
			multipart: [
				{ name: 'media', value: Buffer.concat([png(), Buffer.alloc(5 * 1024 * 1024)]), filename: 'big.png' },
				{ name: 'media_category', value: 'tweet_image' },
			],
		});
		expect(tooBig.status).toBe(400);
		expect(tooBig.json.errors[0].message).toMatch(/exceeds 5242880/);
		const srt = Buffer.from('1\r\n00:00:01,000 --> 00:00:02,000\r\nHello\r\n');
		const sub = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: srt, filename: 'a.srt' }, { name: 'media_category', value: 'subtitles' }] });
		expect(sub.status).toBe(200);
		expect(emu.media(sub.json.data.id)!.detected_media_type).toBe('text/srt');
		const base64Part = await xfetch(b, 'POST', '/2/media/upload', {
			multipart: [
				{ name: 'media', value: png(7, 9).toString('base64'), filename: 'b.png', headers: { 'Content-Transfer-Encoding': 'base64' } },
				{ name: 'media_category', value: 'dm_image' },
			],
		});
		expect(base64Part.status).toBe(200);
		expect(base64Part.json.data.image).toEqual({ image_type: 'image/png', w: 7, h: 9 });
	});

	it('metadata: alt text ≤ 1000 stored and echoed; subtitles attach and delete', async () => {
		const one = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: png(), filename: 'a.png' }, { name: 'media_category', value: 'tweet_image' }] });
		const id = one.json.data.id;
		const md = await xfetch(b, 'POST', '/2/media/metadata', { json: { id, metadata: { alt_text: { text: 'A red square' } } } });
		expect(md.status).toBe(200);
		expect(md.json).toEqual({ data: { id, associated_metadata: { alt_text: { text: 'A red square' } } } });
		expect(emu.media(id)!.alt_text).toBe('A red square');
		expect((await xfetch(b, 'POST', '/2/media/metadata', { json: { id, metadata: { alt_text: { text: 'x'.repeat(1001) } } } })).status).toBe(400);
		expect((await xfetch(b, 'POST', '/2/media/metadata', { json: { id: '1234', metadata: { alt_text: { text: 'x' } } } })).status).toBe(400);

		emu.setOptions({ processingSteps: 0 });
		const v = await init('video/mp4', 1000, 'tweet_video');
		await appendMultipart(v, 0, mp4(1000));
		await xfetch(b, 'POST', `/2/media/upload/${v}/finalize`);
		const srt = Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nHello\n');
		const sub = await xfetch(b, 'POST', '/2/media/upload', { json: { media: srt.toString('base64'), media_category: 'subtitles' } });
		const add = await xfetch(b, 'POST', '/2/media/subtitles', { json: { id: v, media_category: 'TweetVideo', subtitles: { id: sub.json.data.id, language_code: 'EN', display_name: 'English' } } });
		expect(add.status).toBe(200);
		expect(add.json.data).toEqual({ id: v, media_category: 'TweetVideo', associated_subtitles: { subtitles: [{ id: sub.json.data.id, language_code: 'EN', display_name: 'English' }] } });
		expect((await xfetch(b, 'POST', '/2/media/subtitles', { json: { id: v, media_category: 'AmplifyVideo', subtitles: { id: sub.json.data.id, language_code: 'EN' } } })).status).toBe(400);
		expect((await xfetch(b, 'POST', '/2/media/subtitles', { json: { id: v, media_category: 'TweetVideo', subtitles: { id: sub.json.data.id, language_code: 'en' } } })).status).toBe(400);
		const del = await xfetch(b, 'DELETE', '/2/media/subtitles', { json: { id: v, language_code: 'EN', media_category: 'TweetVideo' } });
		expect(del.json).toEqual({ data: { deleted: true } });
		expect((await xfetch(b, 'DELETE', '/2/media/subtitles', { json: { id: v, language_code: 'EN', media_category: 'TweetVideo' } })).json).toEqual({ data: { deleted: false } });
	});

	it('media lookup: fields on request, X-style not-found errors', async () => {
		emu.setOptions({ processingSteps: 0 });
		const v = await init('video/mp4', 1000, 'tweet_video');
		await appendMultipart(v, 0, mp4(1000));
		await xfetch(b, 'POST', `/2/media/upload/${v}/finalize`);
		const key = `7_${v}`;
		const bare = await xfetch(b, 'GET', `/2/media/${key}`);
		expect(bare.json).toEqual({ data: { media_key: key, type: 'video' } });
		const full = await xfetch(b, 'GET', `/2/media/${key}?media.fields=width,height,duration_ms,preview_image_url,variants,public_metrics`);
		// What the file's own moov says (the test MP4 is 640×360, 10 s).
		expect(full.json.data).toMatchObject({ width: 640, height: 360, duration_ms: 10000, public_metrics: { view_count: 0 } });
		expect(full.json.data.variants.map((x: { content_type: string }) => x.content_type)).toEqual(['application/x-mpegURL', 'video/mp4', 'video/mp4']);
		const missing = await xfetch(b, 'GET', '/2/media/3_1880028106020515840');
		expect(missing.status).toBe(200);
		expect(missing.json.errors[0]).toMatchObject({ type: 'https://api.x.com/2/problems/resource-not-found', resource_type: 'media', title: 'Not Found Error' });
		expect((await xfetch(b, 'GET', '/2/media/abc')).status).toBe(400);
		expect((await xfetch(b, 'GET', '/2/media')).status).toBe(400);
	});
});

describe('processing fails what X fails (the emulator\'s own probe of the stored file)', () => {
	const media = (name: string) => readFileSync(path.join(__dirname, '../media/files', name));
	const emu = useEmulator();
	let b = '';
	beforeAll(() => {
		b = emu.baseUrl;
	});
	beforeEach(() => {
		emu.setOptions({ processingSteps: 1, checkAfterSecs: 1, enforceCheckAfter: false });
	});

	async function uploadVideo(file: Buffer, category = 'tweet_video'): Promise<Record<string, unknown>> {
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: file.length, media_category: category } });
		const id = init.json.data.id;
		await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: file.toString('base64'), segment_index: 0 } });
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		for (let i = 0; i < 20; i++) {
			const s = await xfetch(b, 'GET', `/2/media/upload?command=STATUS&media_id=${id}`);
			const info = s.json.data.processing_info;
			if (info.state === 'succeeded' || info.state === 'failed') return info;
		}
		throw new Error('processing did not end');
	}

	test('a 150 s video: a standard account\'s DM video fails processing (over 140 s); as a post video it succeeds (X checks a post\'s duration at POST /2/tweets)', async () => {
		expect(await uploadVideo(media('long-150s.mp4'), 'dm_video')).toMatchObject({ state: 'failed', error: { code: 1, name: 'InvalidMedia', message: 'Video longer than 140 seconds' } });
		expect(await uploadVideo(media('long-150s.mp4'))).toMatchObject({ state: 'succeeded' });
	});

	test.each([
		['short-0.3s.mp4', 'Video shorter than 0.5 seconds'],
		['fps-120.mp4', 'Video frame rate above 60 fps'],
		['tiny-16x16.mp4', 'Video dimensions below 32x32'],
		['aspect-4x1.mp4', 'Video aspect ratio outside 1:3 to 3:1'],
		['he-aac.mp4', 'Unsupported audio codec: AAC-LC required'],
		['ac3-audio.mp4', 'Unsupported audio codec: AAC-LC required'],
		['aac-5.1.mp4', 'Unsupported audio: more than 2 channels'],
	])('%s fails: %s', async (name, message) => {
		expect(await uploadVideo(media(name))).toMatchObject({ state: 'failed', error: { code: 1, name: 'InvalidMedia', message } });
	});

	test.each(['h264-aac-moov-first.mp4', 'h264-aac-moov-last.mp4', 'hevc-aac.mp4', 'fragmented.mp4'])('%s succeeds', async (name) => {
		const info = await uploadVideo(media(name));
		expect(info.state).toBe('succeeded');
		expect(info.error).toBeUndefined();
	});

	test('an MP4 with no movie header fails as an unsupported format', async () => {
		// ftyp (32 bytes), then an mdat running to the end of the file: no moov anywhere.
		const file = Buffer.concat([media('h264-aac-moov-last.mp4').subarray(0, 32), Buffer.from([0, 0, 0x13, 0x88]), Buffer.from('mdat'), Buffer.alloc(5000 - 8)]);
		expect(await uploadVideo(file)).toMatchObject({ state: 'failed', error: { message: 'Unsupported video format' } });
	});
});
