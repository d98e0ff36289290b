/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 12 through n8n-core and the emulator, with the real ffmpeg-made media of test/media:
 * refusals before any request (value found, X's limit, an ffmpeg fix), Allow Long Videos,
 * Skip Media Checks and what X's processing then says, warnings, media_info against ffprobe,
 * Create Post from binary refusing the same files the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { b64 } from '../harness/scenario';
import { makeGif, makeSrt } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 1 });
beforeEach(() => {
	emulator.setOptions({ premiumUserIds: [] });
});

const MEDIA = join(__dirname, '../media/files');
const expected = JSON.parse(readFileSync(join(__dirname, '../media/expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const media = (name: string) => readFileSync(join(MEDIA, name));

function fileItem(bytes: Buffer, fileName: string, mimeType?: string): TestItemSpec {
	return { binary: { data: { base64: b64(bytes), fileName, mimeType } } };
}

async function run(operation: 'upload' | 'createPost', items: TestItemSpec[], parameters: Record<string, unknown> = {}): Promise<RunResult> {
	const base = operation === 'createPost' ? { text: 'media check', mediaSource: 'binary' } : {};
	return await runWorkflow({
		items,
		nodes: [{ parameters: { operation, ...base, ...parameters } }],
	});
}

const upload = (name: string, options: Record<string, unknown> = {}) => run('upload', [fileItem(media(name), name)], { options });

/** Every refused file: what the message must say (value, limit) and what the fix must contain. */
const REFUSED: Array<[string, RegExp, RegExp]> = [
	['short-0.3s.mp4', /The video is 0\.3 s long; X takes videos of at least 0\.5 s/, /ffmpeg -i "short-0\.3s\.mp4" -vf tpad=stop_mode=clone/],
	['fps-120.mp4', /The video has 120 frames per second; X takes at most 60/, /-vf fps=60/],
	['tiny-16x16.mp4', /The video is 16×16 pixels; X takes videos of at least 32×32/, /-vf scale=32:32/],
	['aspect-4x1.mp4', /aspect ratio is 4:1 \(256×64\); X takes 1:3 to 3:1/, /pad=256:86:0:\(oh-ih\)\/2.*crop=192:64/s],
	['he-aac.mp4', /The audio is HE-AAC; X takes AAC-LC audio only \(HE-AAC is refused\)/, /-c:a aac -profile:a aac_low -ac 2/],
	['he-aac-v2.mp4', /The audio is HE-AACv2; X takes AAC-LC audio only/, /-profile:a aac_low/],
	['ac3-audio.mp4', /The audio is AC-3 \(Dolby Digital\); X takes AAC-LC audio only/, /-c:a aac -profile:a aac_low -ac 2/],
	['aac-5.1.mp4', /The audio has 6 channels \(5\.1\); X takes mono or stereo only/, /-ac 2/],
	['h264-yuv444.mp4', /pixel format is YUV 4:4:4; X takes YUV 4:2:0 only/, /-pix_fmt yuv420p/],
];

describe('refused before any request', () => {
	test.each(REFUSED)('%s', async (name, message, fix) => {
		const result = await upload(name);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(fix);
		expect(result.error?.description).toMatch(/nothing was sent to X\. Turn on "Skip Media Checks"/);
		expect(emulator.requests()).toEqual([]);
	});

	test('long-150s.mp4 as a DM video on a standard account (the post-video limit is 20 min: see accountLimits.test.ts)', async () => {
		const result = await run('upload', [fileItem(media('long-150s.mp4'), 'long-150s.mp4')], { mediaCategory: 'dm_video', options: { accountTier: 'standard' } });
		expect(result.error?.message).toMatch(/^File "long-150s\.mp4": The video is 150\.0 s \(2 min 30 s\) long; X takes a Direct Message video of up to 140 s from a standard account\./);
		expect(result.error?.description).toMatch(/ffmpeg -i "long-150s\.mp4" -t 140 .*X Premium or verified accounts may post up to 10 min/s);
		expect(emulator.requests()).toEqual([]);
	});

	test('Create Post from binary refuses the same file the same way, before any request', async () => {
		const result = await run('createPost', [fileItem(media('fps-120.mp4'), 'fps-120.mp4')]);
		expect(result.error?.message).toMatch(/^File "fps-120\.mp4": The video has 120 frames per second; X takes at most 60/);
		expect(emulator.requests()).toEqual([]);
		expect(emulator.posts()).toEqual([]);
	});

	test('a truncated MP4 (cut inside mdat) is refused with the box that runs past the end', async () => {
		const cut = media('h264-aac-moov-last.mp4').subarray(0, 20000);
		const result = await run('upload', [fileItem(cut, 'cut.mp4')]);
		expect(result.error?.message).toMatch(/^File "cut\.mp4": X Media could not read this video: box "mdat" at byte \d+ claims \d+ bytes, past the end of the file \(20000 bytes\): the file is truncated/);
		expect(emulator.requests()).toEqual([]);
	});
});

describe('Allow Long Videos (Premium) and Skip Media Checks', () => {
	test('the 150 s video goes up with Allow Long Videos (Premium)', async () => {
		emulator.setOptions({ premiumUserIds: ['1880000000000000001'] });
		const result = await upload('long-150s.mp4', { liftVideoLimit: true });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.media_info).toMatchObject({ kind: 'video', container: 'mp4', duration_ms: 150000, width: 64, height: 36 });
		expect(json.warnings).toEqual([]);
		expect(json.processing_info).toMatchObject({ state: 'succeeded' });
	});

	test.each([
		['fps-120.mp4', 'Video frame rate above 60 fps'],
		['he-aac.mp4', 'Unsupported audio codec: AAC-LC required'],
		['long-150s.mp4', 'Video longer than 140 seconds'],
	])('%s with Skip Media Checks: uploaded, then X fails it in processing (%s)', async (name, xMessage) => {
		// long-150s.mp4 goes as a standard account's DM video (140 s); the others as post videos.
		const options = { skipMediaChecks: true, accountTier: 'standard' };
		const result = name === 'long-150s.mp4' ? await run('upload', [fileItem(media(name), name)], { mediaCategory: 'dm_video', options }) : await upload(name, options);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(1);
		// What the person then sees: X's own reason, after the upload.
		expect(result.error?.message).toContain(xMessage);
	});

	test('with Skip Media Checks and no waiting, the output carries what was not checked', async () => {
		const result = await upload('fps-120.mp4', { skipMediaChecks: true, waitForProcessing: false });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.warnings).toEqual([expect.stringMatching(/^Not checked \(Skip Media Checks is on\), X may refuse it: The video has 120 frames per second; X takes at most 60\. Change the frame rate: ffmpeg/)]);
		expect(json.media_info).toMatchObject({ frame_rate: 120 });
	});

	test('type and size limits still apply with Skip Media Checks', async () => {
		const result = await run('upload', [fileItem(Buffer.from('<html>login</html>'), 'clip.mp4', 'video/mp4')], { options: { skipMediaChecks: true } });
		expect(result.error?.message).toMatch(/HTML page/);
		expect(emulator.requests()).toEqual([]);
	});
});

describe('warnings', () => {
	test('a GIF of 400 frames: uploaded, with the recommendation it breaks', async () => {
		const result = await upload('gif-400-frames.gif');
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.media_category).toBe('tweet_gif');
		expect(json.warnings).toEqual(['The GIF has 400 frames, more than the 350 X recommends; posting it may fail.']);
		expect(json.media_info).toMatchObject({ kind: 'gif', container: 'gif', width: 32, height: 32, frame_count: 400, duration_ms: 16000 });
	});

	test('a GIF over 1280×1080 and 300 million pixels', async () => {
		// 220 frames of 1×1 pixel images on a 1300×1100 logical screen (a valid GIF of a few KB).
		const gif = makeGif({ width: 1, height: 1, frames: 220 });
		gif.writeUInt16LE(1300, 6);
		gif.writeUInt16LE(1100, 8);
		const result = await run('upload', [fileItem(gif, 'wide.gif')]);
		expect(result.error).toBeUndefined();
		const { warnings } = result.output['X Media'][0].json as { warnings: string[] };
		expect(warnings).toEqual([
			'The GIF is 1300×1100, above the 1280×1080 X recommends; posting it may fail.',
			'The GIF has 315 million pixels (1300×1100×220 frames), more than the 300 million X recommends; posting it may fail.',
		]);
	});
});

describe('media_info matches ffprobe (test/media/expected.json)', () => {
	const FIELDS = ['width', 'height', 'duration_ms', 'frame_rate', 'frame_count', 'video_codec', 'audio_codec', 'audio_channels'] as const;
	test.each(['h264-aac-moov-first.mp4', 'h264-aac-moov-last.mp4', 'h264-aac.mov', 'hevc-aac.mp4', 'vp9-opus.webm', 'fragmented.mp4', 'gif-10-frames.gif', 'apng-5-frames.png', 'animated.webp', 'still.jpg', 'still.png', 'still.webp'])(
		'%s',
		async (name) => {
			const result = await upload(name);
			expect(result.error).toBeUndefined();
			const json = result.output['X Media'][0].json;
			const info = json.media_info as Record<string, unknown>;
			const want = expected[name];
			for (const field of FIELDS) {
				if (want[field] !== null && want[field] !== undefined) expect({ field, value: info[field] }).toEqual({ field, value: want[field] });
			}
			expect(Object.keys(info).sort()).toEqual(['audio_channels', 'audio_codec', 'container', 'duration_ms', 'frame_count', 'frame_rate', 'height', 'kind', 'rotation', 'video_codec', 'width']);
			expect(info.rotation).toBe(info.kind === 'video' ? 0 : null);
			// HEVC and VP9, and WebM: what X only recommends (issue 18), each with its fix.
			const recommended = { 'hevc-aac.mp4': ['The video codec is HEVC (H.265)'], 'vp9-opus.webm': ['The video codec is VP9', 'The container is WebM'] }[name] ?? [];
			expect((json.warnings as string[]).map((w) => w.split(';')[0])).toEqual(recommended);
		},
	);

	test('subtitles: kind and container, nothing else read', async () => {
		const result = await run('upload', [fileItem(makeSrt(), 'subs.srt')]);
		expect(result.error).toBeUndefined();
		expect(result.output['X Media'][0].json.media_info).toEqual({
			kind: 'subtitles', container: 'srt', width: null, height: null, duration_ms: null, frame_rate: null, frame_count: null, video_codec: null, audio_codec: null, audio_channels: null, rotation: null,
		});
	});

	test('several files in one item: each file has its own media_info', async () => {
		const item: TestItemSpec = { binary: { a: { base64: b64(media('still.png')), fileName: 'a.png' }, b: { base64: b64(media('still.jpg')), fileName: 'b.jpg' } } };
		const result = await run('upload', [item], { binaryPropertyName: 'a, b' });
		expect(result.error).toBeUndefined();
		const files = result.output['X Media'][0].json.files as Array<{ media_info: { container: string } }>;
		expect(files.map((f) => f.media_info.container)).toEqual(['png', 'jpeg']);
	});
});
