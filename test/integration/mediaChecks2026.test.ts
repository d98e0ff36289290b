/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 18's media checks through n8n-core (filesystem binary storage, so a moov-last MP4 is read
 * by position) and the emulator, with the real media of test/media/files-2026 (ffprobe's view in
 * expected-2026.json): audio-only MP4/M4A, interlaced H.264, HEIC and AVIF, and a clip whose edit
 * list makes it play 0.4 s are refused before any request, with both credentials; HEVC, AV1,
 * 10-bit, 1080p, WebM and MPEG-TS are uploaded with warnings that carry the fix; media_info gives
 * a rotated video's viewer size and a trimmed clip's played length.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64 } from '../harness/scenario';
import { makeTs } from '../fixtures/media';
import { faststart } from '../fixtures/faststart';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 1 });

const DIR = join(__dirname, '../media/files-2026');
const expected = JSON.parse(readFileSync(join(DIR, '../expected-2026.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const media = (name: string) => readFileSync(name.includes('/') ? join(DIR, '..', name) : join(DIR, name));

function fileItem(bytes: Buffer, fileName: string, mimeType?: string): TestItemSpec {
	return { binary: { data: { base64: b64(bytes), fileName, mimeType } } };
}

async function run(operation: 'upload' | 'createPost', items: TestItemSpec[], parameters: Record<string, unknown> = {}): Promise<RunResult> {
	const base = operation === 'createPost' ? { text: 'media check', mediaSource: 'binary' } : {};
	return await runWorkflow({ items, nodes: [{ parameters: { operation, ...base, ...parameters } }] });
}

const upload = (name: string, options: Record<string, unknown> = {}, authentication = 'oAuth2') =>
	run('upload', [fileItem(media(name), name.split('/').pop() as string)], { authentication, options });

/** Each refused file: the message (what was found and X's rule) and the fix its description gives. */
const REFUSED: Array<[string, RegExp, RegExp]> = [
	['audio-only.mp4', /^File "audio-only\.mp4": The file has audio only \(aac-lc, 2 channels, 2\.0 s\) and no video track; X takes video files with a picture\.$/, /ffmpeg -loop 1 -i cover\.jpg -i "audio-only\.mp4" .*-c:v libx264 -tune stillimage .*-shortest/],
	['audio-only.m4a', /^File "audio-only\.m4a": The file has audio only \(aac-lc, 2 channels, 2\.0 s\) and no video track; X takes video files with a picture\.$/, /ffmpeg -loop 1 -i cover\.jpg -i "audio-only\.m4a" .*"audio-only-video\.mp4"/],
	['interlaced.mp4', /^File "interlaced\.mp4": The video is interlaced \(coded as fields\); X takes progressive scan only\.$/, /ffmpeg -i "interlaced\.mp4" -vf yadif -c:v libx264/],
	['trimmed-editlist.mp4', /^File "trimmed-editlist\.mp4": The video plays 0\.4 s \(its edit list trims the 1\.8 s of frames it stores\); X takes videos of at least 0\.5 s\.$/, /ffmpeg -i "trimmed-editlist\.mp4" -vf tpad=stop_mode=clone/],
];

/** Types X does not take: refused at identification, whatever Skip Media Checks says. */
const NOT_TAKEN: Array<[string, string, RegExp]> = [
	['heic.heic', 'a HEIC/HEIF image', /heif-convert "heic\.heic" "heic\.jpg"/],
	['avif.avif', 'an AVIF image', /ffmpeg -i "avif\.avif" "avif\.png"/],
	['avis.avif', 'an AVIF image', /ffmpeg -i "avis\.avif" -c:v libx264 -pix_fmt yuv420p "avis\.mp4"/],
];

describe.each(AUTHENTICATIONS)('refused before any request, with %s', (authentication) => {
	test.each(REFUSED)('%s', async (name, message, fix) => {
		const result = await upload(name, {}, authentication);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(fix);
		expect(result.error?.description).toMatch(/nothing was sent to X\. Turn on "Skip Media Checks"/);
		expect(emulator.requests()).toEqual([]);
	});

	test.each(NOT_TAKEN)('%s', async (name, what, fix) => {
		const result = await upload(name, {}, authentication);
		expect(result.error?.message).toBe(`The file "${name}" is ${what}, which X does not accept`);
		expect(result.error?.description).toMatch(/X takes JPG, PNG, GIF and WEBP images \(https:\/\/docs\.x\.com\/x-api\/media\/introduction/);
		expect(result.error?.description).toMatch(fix);
		expect(emulator.requests()).toEqual([]);
	});
});

describe('refusals elsewhere', () => {
	test('Create Post from binary refuses an audio-only M4A before any request, nothing posted', async () => {
		const result = await run('createPost', [fileItem(media('audio-only.m4a'), 'song.m4a', 'audio/x-m4a')]);
		expect(result.error?.message).toMatch(/^File "song\.m4a": The file has audio only/);
		expect(emulator.requests()).toEqual([]);
		expect(emulator.posts()).toEqual([]);
	});

	test('the trimmed clip moved moov-first (as -movflags +faststart writes it) is refused the same way', async () => {
		const result = await run('upload', [fileItem(faststart(media('trimmed-editlist.mp4')), 'first.mp4')]);
		expect(result.error?.message).toMatch(/^File "first\.mp4": The video plays 0\.4 s \(its edit list trims the 1\.8 s/);
		expect(emulator.requests()).toEqual([]);
	});

	test('Skip Media Checks uploads an interlaced video, saying what was not checked', async () => {
		const result = await upload('interlaced.mp4', { skipMediaChecks: true, waitForProcessing: false });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.warnings).toEqual([expect.stringMatching(/^Not checked \(Skip Media Checks is on\), X may refuse it: The video is interlaced \(coded as fields\); X takes progressive scan only\. Deinterlace it: ffmpeg /)]);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(1);
	});

	test('Skip Media Checks does not make X take a HEIC', async () => {
		const result = await upload('heic.heic', { skipMediaChecks: true });
		expect(result.error?.message).toMatch(/is a HEIC\/HEIF image, which X does not accept/);
		expect(emulator.requests()).toEqual([]);
	});
});

describe('uploaded with warnings that carry the fix', () => {
	test.each([
		['h264-10bit.mp4', [/^The video has 10 bits per sample; X recommends H\.264 High Profile, which is 8-bit\. If X fails it in processing, re-encode it to 8-bit: ffmpeg -i "h264-10bit\.mp4" .*-pix_fmt yuv420p/]],
		['hevc-1080p-warn.mp4', [/^The video codec is HEVC \(H\.265\); X recommends H\.264 .*re-encode it to H\.264: ffmpeg -i "hevc-1080p-warn\.mp4" -c:v libx264/, /^The video is 1920×1080 pixels, above the 1280×1024 .*To stay within it: ffmpeg /]],
		['av1.mp4', [/^The video codec is AV1; X recommends H\.264/]],
		['files/vp9-opus.webm', [/^The video codec is VP9; /, /^The container is WebM; X recommends MP4 or MOV\. If X fails it in processing, convert it to MP4: ffmpeg -i "vp9-opus\.webm" .*"vp9-opus-h264\.mp4"/]],
		['files/hevc-aac.mp4', [/^The video codec is HEVC \(H\.265\)/]],
	])('%s', async (name, warnings) => {
		const result = await upload(name, { waitForProcessing: false });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json as { warnings: string[]; media_info: Record<string, unknown> };
		expect(json.warnings).toHaveLength(warnings.length);
		warnings.forEach((pattern, i) => expect(json.warnings[i]).toMatch(pattern));
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(1);
	});

	test('an MPEG-TS (H.264): the container warns, the fix remuxes without re-encoding', async () => {
		const result = await run('upload', [fileItem(makeTs(40), 'clip.ts')], { options: { waitForProcessing: false } });
		expect(result.error).toBeUndefined();
		expect(result.output['X Media'][0].json.warnings).toEqual([
			'The container is MPEG-TS; X recommends MP4 or MOV. If X fails it in processing, remux it to MP4 (no re-encoding): ffmpeg -i "clip.ts" -c copy -movflags +faststart "clip-remux.mp4"',
		]);
	});
});

describe('media_info: what a viewer sees, what plays (against ffprobe, expected-2026.json)', () => {
	// The 3-minute files (moov last and moov first) with Allow Long Videos: their length limit is not what this checks.
	test.each(['rotated-90.mp4', 'rotated-270.mp4', 'trimmed-1300ms.mp4', 'long-3min.mp4', 'long-3min-moov-first.mp4'])('%s', async (name) => {
		const result = await upload(name, name.startsWith('long') ? { liftVideoLimit: true, waitForProcessing: false } : {});
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json as { warnings: string[]; media_info: Record<string, unknown> };
		const want = expected[name];
		const rotation = want.ffprobe_rotation === null ? 0 : (360 - (want.ffprobe_rotation as number)) % 360;
		expect(json.media_info).toEqual({
			kind: 'video',
			container: 'mp4',
			width: want.display_width,
			height: want.display_height,
			duration_ms: want.duration_ms,
			frame_rate: want.frame_rate,
			frame_count: null,
			video_codec: 'h264',
			audio_codec: null,
			audio_channels: null,
			rotation,
		});
		expect(json.warnings).toEqual([]);
	});

	test('a phone video stored 160×90 and turned 90°: width 90, height 160, rotation 90', async () => {
		const result = await upload('rotated-90.mp4');
		expect(result.output['X Media'][0].json.media_info).toMatchObject({ width: 90, height: 160, rotation: 90 });
	});
});
