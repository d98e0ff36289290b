import { checkMediaRules, MEDIA_RULES } from '../../../../nodes/XMedia/helpers/media/rules';
import type { MediaRuleContext } from '../../../../nodes/XMedia/helpers/media/rules';
import type { MediaInspection, MediaInfo } from '../../../../nodes/XMedia/helpers/media/types';

const VIDEO: MediaInfo = {
	kind: 'video',
	container: 'mp4',
	width: 1280,
	height: 720,
	duration_ms: 30000,
	frame_rate: 30,
	frame_count: null,
	video_codec: 'h264',
	audio_codec: 'aac-lc',
	audio_channels: 2,
	rotation: 0,
};
const POST: MediaRuleContext = { category: 'tweet_video', fileName: 'clip.mp4' };
const PREMIUM = { tier: { tier: 'premium', source: 'option' } } as const;

function check(info: Partial<MediaInfo>, context: Partial<MediaRuleContext> = {}, details: MediaInspection['details'] = { chroma: '4:2:0' }) {
	return checkMediaRules({ info: { ...VIDEO, ...info }, details }, { ...POST, ...context });
}
const rules = (r: ReturnType<typeof check>) => ({ refuse: r.refusals.map((b) => b.rule), warn: r.warnings.map((b) => b.rule) });

describe('the rules table', () => {
	test('every row has a source, a severity and a limit; ids are unique', () => {
		expect(MEDIA_RULES.length).toBeGreaterThanOrEqual(14);
		for (const row of MEDIA_RULES) {
			expect(row.source.length).toBeGreaterThan(20);
			expect(['refuse', 'warn']).toContain(row.severity);
			expect(row.limit).not.toBe('');
		}
		expect(new Set(MEDIA_RULES.map((r) => r.id)).size).toBe(MEDIA_RULES.length);
	});
	test('what X only recommends warns; what it requires refuses', () => {
		const severity = Object.fromEntries(MEDIA_RULES.map((r) => [r.id, r.severity]));
		expect(severity).toMatchObject({
			'video.duration.min': 'refuse',
			'video.duration.max': 'refuse',
			'video.frame_rate': 'refuse',
			'video.size.min': 'refuse',
			'video.aspect': 'refuse',
			'audio.codec': 'refuse',
			'audio.channels': 'refuse',
			'gif.size': 'warn',
			'gif.frames': 'warn',
			'gif.pixels': 'warn',
			'video.size.max': 'warn',
			'video.track': 'refuse',
			'video.scan': 'refuse',
			'video.codec': 'warn',
			'video.container': 'warn',
			'video.bit_depth': 'warn',
		});
	});
});

describe('checkMediaRules', () => {
	test('a good video passes', () => {
		expect(rules(check({}))).toEqual({ refuse: [], warn: [] });
	});

	test('duration per account tier: post video 0.5 s–20 min (125 min Premium), DM video 140 s (10 min Premium)', () => {
		expect(rules(check({ duration_ms: 499 })).refuse).toEqual(['video.duration.min']);
		expect(rules(check({ duration_ms: 500 })).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 180000 })).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 20 * 60000 })).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 20 * 60000 + 1 })).refuse).toEqual(['video.duration.max']);
		expect(rules(check({ duration_ms: 140001 }, { category: 'dm_video' })).refuse).toEqual(['video.duration.max']);
		expect(rules(check({ duration_ms: 140000 }, { category: 'dm_video' })).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 125 * 60000 }, PREMIUM)).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 125 * 60000 + 1 }, PREMIUM)).refuse).toEqual(['video.duration.max']);
		expect(rules(check({ duration_ms: 600000 }, { ...PREMIUM, category: 'dm_video' })).refuse).toEqual([]);
		expect(rules(check({ duration_ms: 600001 }, { ...PREMIUM, category: 'dm_video' })).refuse).toEqual(['video.duration.max']);
		const premiumOver = check({ duration_ms: 9000000 }, PREMIUM).refusals[0];
		expect(premiumOver.message).toBe('The video is 9000.0 s (150 min 0 s) long; X takes a video in a post of up to 125 min from an X Premium or verified account');
		expect(premiumOver.tierDependent).toBeFalsy();
		const standardOver = check({ duration_ms: 21 * 60000 }).refusals[0];
		expect(standardOver.message).toBe('The video is 1260.0 s (21 min 0 s) long; X takes a video in a post of up to 20 min from a standard account');
		expect(standardOver.tierDependent).toBe(true);
		expect(standardOver.fix).toMatch(/-t 1200 .*X Premium or verified accounts may post up to 125 min/);
		// Over the Premium limit too: the tier does not decide.
		expect(check({ duration_ms: 130 * 60000 }).refusals[0].tierDependent).toBeFalsy();
	});

	test('frame rate: 60 (and 59.94, and a rounding 60.0004) pass, 60.1 is refused', () => {
		for (const fps of [60, 59.94, 60.0004, 23.976]) expect(rules(check({ frame_rate: fps })).refuse).toEqual([]);
		expect(rules(check({ frame_rate: 60.1 })).refuse).toEqual(['video.frame_rate']);
	});

	test('size and aspect: 32 px minimum, 1:3–3:1, above 1280×1024 in either orientation warns', () => {
		expect(rules(check({ width: 32, height: 32 }))).toEqual({ refuse: [], warn: [] });
		expect(rules(check({ width: 31, height: 64 })).refuse).toEqual(['video.size.min']);
		expect(rules(check({ width: 300, height: 100 })).refuse).toEqual([]);
		expect(rules(check({ width: 301, height: 100 })).refuse).toEqual(['video.aspect']);
		expect(rules(check({ width: 100, height: 301 })).refuse).toEqual(['video.aspect']);
		expect(check({ width: 100, height: 400 }).refusals[0].fix).toMatch(/pad=134:400:\(ow-iw\)\/2:0 .*crop=100:300/);
		expect(rules(check({ width: 720, height: 1280 })).warn).toEqual([]);
		expect(rules(check({ width: 1920, height: 1080 })).warn).toEqual(['video.size.max']);
		expect(rules(check({ width: 1080, height: 1920 })).warn).toEqual(['video.size.max']);
	});

	test('audio: AAC-LC only in MP4/MOV, at most 2 channels anywhere', () => {
		for (const codec of ['he-aac', 'he-aac-v2', 'ac-3', 'e-ac-3', 'mp3', 'opus', 'pcm']) {
			expect(rules(check({ audio_codec: codec })).refuse).toEqual(['audio.codec']);
			expect(rules(check({ audio_codec: codec, container: 'mov' })).refuse).toEqual(['audio.codec']);
		}
		expect(rules(check({ audio_codec: 'opus', container: 'webm' })).refuse).toEqual([]);
		expect(rules(check({ audio_codec: null, audio_channels: null })).refuse).toEqual([]);
		expect(rules(check({ audio_channels: 6 })).refuse).toEqual(['audio.channels']);
		expect(rules(check({ audio_channels: 6, container: 'webm', audio_codec: 'opus' })).refuse).toEqual(['audio.channels']);
	});

	test('pixel aspect and chroma', () => {
		expect(rules(check({}, {}, { pixelAspect: [4, 3] })).refuse).toEqual(['video.pixel_aspect']);
		expect(rules(check({}, {}, { pixelAspect: [1, 1], chroma: '4:2:2' })).refuse).toEqual(['video.chroma']);
	});

	test('unknown values are not judged', () => {
		expect(rules(check({ width: null, height: null, duration_ms: null, frame_rate: null, audio_codec: null, audio_channels: null }, {}, {}))).toEqual({ refuse: [], warn: [] });
	});

	test('a structure problem refuses, with a re-encode command', () => {
		const r = checkMediaRules({ info: VIDEO, details: {}, problem: 'the file has no "moov" box' }, POST);
		expect(r.refusals.map((b) => b.rule)).toEqual(['structure']);
		expect(r.refusals[0].message).toBe('X Media could not read this video: the file has no "moov" box');
		expect(r.refusals[0].fix).toMatch(/ffmpeg -i "clip\.mp4" .* "clip-fixed\.mp4"/);
	});

	test('GIF recommendations warn (never refuse); still images are not judged', () => {
		const gif: Partial<MediaInfo> = { kind: 'gif', container: 'gif', frame_rate: null, video_codec: null, audio_codec: null, audio_channels: null };
		expect(rules(check({ ...gif, width: 1281, height: 100, frame_count: 351 }))).toEqual({ refuse: [], warn: ['gif.size', 'gif.frames'] });
		expect(rules(check({ ...gif, width: 1000, height: 1000, frame_count: 301 })).warn).toEqual(['gif.pixels']);
		expect(rules(check({ ...gif, kind: 'image', width: 5000, height: 5000, frame_count: 1 }))).toEqual({ refuse: [], warn: [] });
	});

	test('file names in commands cannot break out of the quotes', () => {
		const r = check({ frame_rate: 120 }, { fileName: 'a"; rm -rf ~; echo ".mp4' });
		expect(r.refusals[0].fix).toContain('ffmpeg -i "a_; rm -rf ~; echo _.mp4"');
	});

	test("the streams: a picture track and progressive scan are required; codec, container and bit depth only warn", () => {
		expect(rules(check({ video_codec: null, width: null, height: null, frame_rate: null }, {}, { videoTracks: 0 })).refuse).toEqual(['video.track']);
		expect(rules(check({}, {}, { chroma: '4:2:0', videoTracks: 1, interlaced: true })).refuse).toEqual(['video.scan']);
		expect(rules(check({ container: 'webm', video_codec: 'vp9', audio_codec: 'opus' }, {}, { chroma: '4:2:0', bitDepth: 10 }))).toEqual({ refuse: [], warn: ['video.codec', 'video.container', 'video.bit_depth'] });
		expect(rules(check({ container: 'ts' }))).toEqual({ refuse: [], warn: ['video.container'] });
		// What a reader did not find is not judged.
		expect(rules(check({ video_codec: null }, {}, {}))).toEqual({ refuse: [], warn: [] });
	});

	test('an H.264 MPEG-TS is remuxed, not re-encoded; a WebM is converted to MP4', () => {
		expect(check({ container: 'ts' }, { fileName: 'clip.ts' }).warnings[0].fix).toBe('If X fails it in processing, remux it to MP4 (no re-encoding): ffmpeg -i "clip.ts" -c copy -movflags +faststart "clip-remux.mp4"');
		const webm = check({ container: 'webm', video_codec: 'vp9', audio_codec: 'opus' }, { fileName: 'clip.webm' }).warnings;
		expect(webm[1].fix).toBe('If X fails it in processing, convert it to MP4: ffmpeg -i "clip.webm" -c:v libx264 -profile:v high -pix_fmt yuv420p -c:a aac -movflags +faststart "clip-h264.mp4"');
	});
});
