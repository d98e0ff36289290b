/**
 * The readers and X's rules against the issue-18 media (test/media/files-2026, made by ffmpeg 5.1,
 * libheif and libavif; expected-2026.json holds ffprobe's view): rotation from the tkhd matrix,
 * the played duration from the edit list, bit depth and interlacing from the H.264 SPS / hvcC /
 * av1C, audio-only files, HEIC and AVIF. Each file is read in pieces of several sizes, as it
 * comes (moov last) and as its moov-first twin.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading files */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

import { MediaInputError } from '../../../../nodes/XMedia/helpers/errors';
import { resolveMediaType } from '../../../../nodes/XMedia/helpers/media';
import { inspectBytes } from '../../../../nodes/XMedia/helpers/media/inspect';
import { parseH264Sps } from '../../../../nodes/XMedia/helpers/media/readers/codecConfig';
import { checkMediaRules, describeBreak } from '../../../../nodes/XMedia/helpers/media/rules';
import { faststart } from '../../../fixtures/faststart';

const dir = join(__dirname, '../../../media/files-2026');
const expected = JSON.parse(readFileSync(join(dir, '../expected-2026.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const file = (name: string) => readFileSync(join(dir, name));
const VIDEOS = readdirSync(dir).filter((n) => /\.(mp4|m4a)$/.test(n)).sort();

/** ffprobe's display-matrix rotation counts counter-clockwise; media_info.rotation clockwise. */
const clockwise = (ffprobe: unknown) => (ffprobe === null ? 0 : (360 - (ffprobe as number)) % 360);

function inspect(bytes: Buffer, name: string, piece?: number) {
	const type = resolveMediaType({ head: bytes.subarray(0, 65536), fileName: name });
	return inspectBytes(bytes, type.mimeType, type.kind, piece);
}

describe('MP4/M4A of files-2026 against ffprobe', () => {
	test('every MP4 and M4A is covered', () => {
		expect(VIDEOS).toHaveLength(14);
	});

	describe.each(VIDEOS)('%s', (name) => {
		const want = expected[name];
		const original = file(name);
		const twins: Array<[string, Buffer]> = [['as made', original]];
		if (want.boxes && (want.boxes as { moov_before_mdat: boolean }).moov_before_mdat === false) twins.push(['moov moved first', faststart(original)]);

		test.each(twins.flatMap(([how, bytes]) => [1, 188, 4096, bytes.length].map((piece) => [how, piece, bytes] as const)))('%s, pieces of %d bytes', (_how, piece, bytes) => {
			const { info, details, problem } = inspect(bytes, name, piece);
			expect(problem).toBeUndefined();
			expect(info.kind).toBe('video');
			expect({
				width: info.width,
				height: info.height,
				duration_ms: info.duration_ms,
				video_codec: info.video_codec,
				audio_codec: info.audio_codec,
				audio_channels: info.audio_channels,
				rotation: info.rotation,
				videoTracks: details.videoTracks,
			}).toEqual({
				width: want.display_width,
				height: want.display_height,
				duration_ms: want.duration_ms,
				video_codec: want.video_codec,
				audio_codec: want.audio_codec,
				audio_channels: want.audio_channels,
				rotation: want.has_video ? clockwise(want.ffprobe_rotation) : null,
				videoTracks: want.has_video ? 1 : 0,
			});
			if (want.has_video) {
				expect(info.frame_rate).toBe(want.frame_rate);
				expect(details.bitDepth).toBe(want.bit_depth);
				expect(details.interlaced ?? false).toBe(want.field_order !== 'progressive');
			}
		});
	});

	test('the moov-first twin really has moov first, and reads the same', () => {
		const twin = faststart(file('trimmed-editlist.mp4'));
		expect(inspect(twin, 'x.mp4').details.moovOffset).toBeLessThan(100);
		expect(inspect(file('trimmed-editlist.mp4'), 'x.mp4').details.moovOffset).toBeGreaterThan(10000);
		expect(inspect(twin, 'x.mp4').info).toEqual(inspect(file('trimmed-editlist.mp4'), 'x.mp4').info);
	});
});

describe('rotation from the tkhd matrix', () => {
	/** rotated-90.mp4 with its video tkhd matrix's a, b, c, d replaced (16.16 fixed point). */
	function withMatrix(a: number, b: number, c: number, d: number): Buffer {
		const bytes = Buffer.from(file('rotated-90.mp4'));
		const tkhd = bytes.indexOf('tkhd', 0, 'latin1') + 4; // version 0: the matrix at payload + 40
		expect(bytes[tkhd]).toBe(0);
		[a, b, 0, c, d].forEach((v, i) => bytes.writeInt32BE(v * 65536, tkhd + 40 + i * 4));
		return bytes;
	}
	test.each([
		['none', [1, 0, 0, 1], 0, [160, 90]],
		['90° (as stored)', [0, 1, -1, 0], 90, [90, 160]],
		['180°', [-1, 0, 0, -1], 180, [160, 90]],
		['270°', [0, -1, 1, 0], 270, [90, 160]],
		['mirrored, not turned', [-1, 0, 0, 1], 0, [160, 90]],
		['mirrored and turned 90°', [0, -1, -1, 0], 90, [90, 160]],
		['45°: no quarter turn, shown as stored', [0.7071, 0.7071, -0.7071, 0.7071], 0, [160, 90]],
	])('%s', (_name, [a, b, c, d], rotation, [width, height]) => {
		const { info } = inspect(withMatrix(a, b, c, d), 'x.mp4');
		expect([info.rotation, info.width, info.height]).toEqual([rotation, width, height]);
	});
});

describe('duration is what plays (the edit list)', () => {
	test('trimmed-editlist.mp4: stores 1.8 s, plays 0.4 s: refused as under 0.5 s, naming both', () => {
		const inspection = inspect(file('trimmed-editlist.mp4'), 'trimmed-editlist.mp4');
		expect(inspection.info.duration_ms).toBe(400);
		expect(inspection.details.storedDurationMs).toBe(1800);
		const { refusals } = checkMediaRules(inspection, { category: 'tweet_video', fileName: 'trimmed-editlist.mp4' });
		expect(refusals.map((r) => r.rule)).toEqual(['video.duration.min']);
		expect(refusals[0].message).toBe('The video plays 0.4 s (its edit list trims the 1.8 s of frames it stores); X takes videos of at least 0.5 s');
	});

	test('trimmed-1300ms.mp4: duration_ms 1300, not 1800; nothing refused', () => {
		const inspection = inspect(file('trimmed-1300ms.mp4'), 'trimmed-1300ms.mp4');
		expect(inspection.info.duration_ms).toBe(1300);
		expect(checkMediaRules(inspection, { category: 'tweet_video' }).refusals).toEqual([]);
	});

	test('an edit list that says nothing usable: segment_duration 0 ("all" in fragmented files) keeps the stored length; a segment longer than the media is cut to it', () => {
		const withSegment = (ms: number) => {
			const bytes = Buffer.from(file('trimmed-editlist.mp4'));
			const elst = bytes.indexOf('elst', 0, 'latin1') + 4; // version 0: count at +4, first segment_duration at +8
			expect(bytes.readUInt32BE(elst + 8)).toBe(400);
			bytes.writeUInt32BE(ms, elst + 8);
			return inspect(bytes, 'x.mp4');
		};
		expect(withSegment(0).info.duration_ms).toBe(1800);
		expect(withSegment(5000).info.duration_ms).toBe(1800);
		expect(withSegment(1000).info.duration_ms).toBe(1000);
	});

	test("x264's start offset (a non-zero media_time, nothing trimmed) changes nothing", () => {
		const inspection = inspect(file('h264-10bit.mp4'), 'h264-10bit.mp4');
		expect(inspection.info.duration_ms).toBe(1000);
		expect(inspection.details.storedDurationMs).toBeUndefined();
	});
});

describe("X's rules on files-2026", () => {
	const verdict = (name: string) => {
		const result = checkMediaRules(inspect(file(name), name), { category: 'tweet_video', tier: { tier: 'premium', source: 'option' }, fileName: name });
		return { refuse: result.refusals.map((r) => r.rule), warn: result.warnings.map((r) => r.rule), result };
	};

	test.each([
		['audio-only.mp4', ['video.track'], []],
		['audio-only.m4a', ['video.track'], []],
		['interlaced.mp4', ['video.scan'], []],
		['trimmed-editlist.mp4', ['video.duration.min'], []],
		['h264-10bit.mp4', [], ['video.bit_depth']],
		['hevc-1080p-warn.mp4', [], ['video.codec', 'video.size.max']],
		['av1.mp4', [], ['video.codec']],
		['rotated-90.mp4', [], []],
		['rotated-270.mp4', [], []],
		['trimmed-1300ms.mp4', [], []],
		['long-3min.mp4', [], []],
	])('%s: refused by %j, warned by %j', (name, refuse, warn) => {
		const { result, ...rules } = verdict(name);
		expect(rules).toEqual({ refuse, warn });
		for (const item of [...result.refusals, ...result.warnings]) expect(item.fix).toMatch(/ffmpeg /);
	});

	test('the audio-only refusal says what is there and how to make a video of it', () => {
		const [refusal] = verdict('audio-only.m4a').result.refusals;
		expect(refusal.message).toBe('The file has audio only (aac-lc, 2 channels, 2.0 s) and no video track; X takes video files with a picture');
		expect(refusal.fix).toContain('ffmpeg -loop 1 -i cover.jpg -i "audio-only.m4a" -map 0:v -map 1:a -c:v libx264 -tune stillimage -pix_fmt yuv420p');
		expect(refusal.fix).toContain('"audio-only-video.mp4"');
	});

	test('interlaced: the fix deinterlaces', () => {
		const [refusal] = verdict('interlaced.mp4').result.refusals;
		expect(refusal.message).toBe('The video is interlaced (coded as fields); X takes progressive scan only');
		expect(refusal.fix).toBe('Deinterlace it: ffmpeg -i "interlaced.mp4" -vf yadif -c:v libx264 -pix_fmt yuv420p -c:a copy "interlaced-progressive.mp4"');
	});

	test('warnings carry their fix', () => {
		const warnings = verdict('hevc-1080p-warn.mp4').result.warnings.map(describeBreak);
		expect(warnings[0]).toMatch(/^The video codec is HEVC \(H\.265\); X recommends H\.264 .*\. If X fails it in processing, re-encode it to H\.264: ffmpeg -i "hevc-1080p-warn\.mp4" -c:v libx264 /);
		expect(warnings[1]).toMatch(/^The video is 1920×1080 pixels, above the 1280×1024 .*To stay within it: ffmpeg /);
		expect(describeBreak(verdict('h264-10bit.mp4').result.warnings[0])).toMatch(/^The video has 10 bits per sample; X recommends H\.264 High Profile, which is 8-bit\. If X fails it in processing, re-encode it to 8-bit: ffmpeg .*-pix_fmt yuv420p/);
	});

	test('rotated-90.mp4: the rules read the size a viewer sees (90×160, portrait)', () => {
		const { info } = inspect(file('rotated-90.mp4'), 'rotated-90.mp4');
		expect([info.width, info.height, info.rotation]).toEqual([90, 160, 90]);
	});
});

describe('HEIC and AVIF: a type X does not take, refused at identification', () => {
	test.each([
		['heic.heic', 'a HEIC/HEIF image', /heif-convert "heic\.heic" "heic\.jpg"/],
		['avif.avif', 'an AVIF image', /ffmpeg -i "avif\.avif" "avif\.png"/],
		['avis.avif', 'an AVIF image', /ffmpeg -i "avis\.avif" -c:v libx264 -pix_fmt yuv420p "avis\.mp4"/],
	])('%s', (name, what, fix) => {
		let error: unknown;
		try {
			resolveMediaType({ head: file(name), fileName: name, declaredMimeType: 'image/heic' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(MediaInputError);
		expect((error as MediaInputError).message).toBe(`The file "${name}" is ${what}, which X does not accept`);
		expect((error as MediaInputError).description).toMatch(/X takes JPG, PNG, GIF and WEBP images \(https:\/\/docs\.x\.com\/x-api\/media\/introduction/);
		expect((error as MediaInputError).description).toMatch(fix);
	});
});

test('the SPS parser never throws and gives nothing for bytes that are no SPS', () => {
	fc.assert(
		fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
			const sps = parseH264Sps(bytes);
			if (sps) expect([8, 9, 10, 11, 12, 13, 14]).toContain(sps.bitDepth);
		}),
		{ numRuns: 2000 },
	);
	expect(parseH264Sps(Uint8Array.from([0x68, 0xeb, 0xe3, 0xcb]))).toBeUndefined(); // a PPS
});
