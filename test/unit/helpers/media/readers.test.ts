/**
 * The media readers against real ffmpeg-made files (test/media, expected values from ffprobe),
 * fed in pieces of every size, and against hostile input (fast-check), pushed and by the seek
 * protocol (nextNeed / skip).
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading files */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

import { feedBytes, MediaFeeder } from '../../../../nodes/XMedia/helpers/media/feeder';
import { inspectBytes, MediaInspector } from '../../../../nodes/XMedia/helpers/media/inspect';
import { readIsoBmff } from '../../../../nodes/XMedia/helpers/media/readers/isoBmff';
import { parseAudioSpecificConfig } from '../../../../nodes/XMedia/helpers/media/readers/mpeg4Audio';
import type { MediaInfo } from '../../../../nodes/XMedia/helpers/media/types';
import { makeGif, makeJpeg, makeMp4, makeMp4Header, makePng, makeWebm, makeWebp } from '../../../fixtures/media';

const dir = join(__dirname, '../../../media/files');
const expected = JSON.parse(readFileSync(join(__dirname, '../../../media/expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

const MIME: Record<string, string> = {
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	gif: 'image/gif',
	png: 'image/png',
	jpg: 'image/jpeg',
	webp: 'image/webp',
};

export function mediaFile(name: string): { bytes: Buffer; mime: string; kind: MediaInfo['kind'] } {
	const ext = name.split('.').pop() as string;
	const kind = ext === 'gif' ? 'gif' : ['png', 'jpg', 'webp'].includes(ext) ? 'image' : 'video';
	return { bytes: readFileSync(join(dir, name)), mime: MIME[ext], kind };
}

const FIELDS = ['width', 'height', 'duration_ms', 'frame_rate', 'frame_count', 'video_codec', 'audio_codec', 'audio_channels'] as const;

describe('readers against ffprobe (test/media/expected.json)', () => {
	const names = readdirSync(dir).filter((n) => !n.startsWith('.'));
	test('every committed file has expected values', () => {
		expect(names.sort()).toEqual(Object.keys(expected).sort());
		expect(names.length).toBeGreaterThanOrEqual(20);
	});

	describe.each(names)('%s', (name) => {
		const { bytes, mime, kind } = mediaFile(name);
		test.each([1, 7, 188, 4096, bytes.length])('fed in pieces of %d bytes', (piece) => {
			const result = inspectBytes(bytes, mime, kind, piece);
			expect(result.problem).toBeUndefined();
			const want = expected[name];
			for (const field of FIELDS) {
				if (want[field] === null || want[field] === undefined) continue;
				expect({ field, value: result.info[field] }).toEqual({ field, value: want[field] });
			}
			expect(result.info.kind).toBe(kind);
		});
	});
});

describe('ISO BMFF details', () => {
	test('moov first: the reader stops right after moov (no read of mdat)', () => {
		const { bytes } = mediaFile('h264-aac-moov-first.mp4');
		const state = { info: {}, details: {} };
		const outcome = feedBytes(readIsoBmff(state, bytes.length), bytes, 1024);
		expect(outcome.done).toBe(true);
		expect(outcome.consumed).toBeLessThan(bytes.length / 2);
	});

	test('moov last: one pass to the end, mdat skipped', () => {
		const { bytes } = mediaFile('h264-aac-moov-last.mp4');
		const state = { info: {}, details: { moovOffset: undefined as number | undefined } };
		const outcome = feedBytes(readIsoBmff(state, bytes.length), bytes, 1024);
		expect(outcome.consumed).toBe(bytes.length);
		expect(state.details.moovOffset).toBeGreaterThan(bytes.length / 2);
	});

	test('chroma format, profile and fragmentation', () => {
		expect(inspectBytes(mediaFile('h264-yuv444.mp4').bytes, 'video/mp4', 'video').details).toMatchObject({ chroma: '4:4:4', profile: 244 });
		expect(inspectBytes(mediaFile('h264-aac-moov-last.mp4').bytes, 'video/mp4', 'video').details).toMatchObject({ chroma: '4:2:0', profile: 100 });
		expect(inspectBytes(mediaFile('hevc-aac.mp4').bytes, 'video/mp4', 'video').details).toMatchObject({ chroma: '4:2:0' });
		expect(inspectBytes(mediaFile('fragmented.mp4').bytes, 'video/mp4', 'video').details.fragmented).toBe(true);
	});

	test('MOV says mov, MP4 says mp4', () => {
		expect(inspectBytes(mediaFile('h264-aac.mov').bytes, 'video/quicktime', 'video').info.container).toBe('mov');
		expect(inspectBytes(mediaFile('hevc-aac.mp4').bytes, 'video/mp4', 'video').info.container).toBe('mp4');
	});

	test('a file with no moov is a clear problem', () => {
		const bytes = Buffer.concat([makeMp4Header(4096).subarray(0, 32), Buffer.alloc(0)]);
		const noMoov = Buffer.from(bytes);
		const result = inspectBytes(noMoov, 'video/mp4', 'video');
		expect(result.problem).toMatch(/moov|truncated/);
	});

	test('a truncated file: the box that runs past the end is named', () => {
		const { bytes } = mediaFile('h264-aac-moov-last.mp4');
		const cut = bytes.subarray(0, 20000);
		const result = inspectBytes(cut, 'video/mp4', 'video');
		expect(result.problem).toMatch(/"mdat" at byte \d+ claims \d+ bytes, past the end of the file \(20000 bytes\)/);
	});
});

describe('AudioSpecificConfig', () => {
	test.each([
		['1210', 'aac-lc', 2],
		['1190', 'aac-lc', 2],
		['2a120800', 'he-aac', 2],
		['ea0a0800', 'he-aac-v2', 2],
		['0a10', 'aac-main', 2],
		['139056e5a0', 'he-aac', 2], // implicit: LC core + 0x2b7 SBR sync extension
	])('%s is %s', (hex, codec, channels) => {
		expect(parseAudioSpecificConfig(Buffer.from(hex, 'hex'))).toEqual({ codec, channels });
	});
});

describe('generated fixtures are structurally valid', () => {
	test('makeMp4 / makeMp4Header: a playable-looking H.264/AAC-LC movie', () => {
		const result = inspectBytes(makeMp4(100_000), 'video/mp4', 'video');
		expect(result.problem).toBeUndefined();
		expect(result.info).toMatchObject({ container: 'mp4', width: 640, height: 360, video_codec: 'h264', audio_codec: 'aac-lc', audio_channels: 2 });
		expect(result.info.duration_ms).toBeGreaterThanOrEqual(500);
		expect(result.info.duration_ms).toBeLessThanOrEqual(140000);
		const head = makeMp4Header(600 * 1024 * 1024);
		const inspector = new MediaInspector('video/mp4', 'video', 600 * 1024 * 1024);
		inspector.push(head);
		expect(inspector.done).toBe(true);
	});

	test('images: PNG, GIF, JPEG, WEBP', () => {
		expect(inspectBytes(makePng(4, 3), 'image/png', 'image').info).toMatchObject({ width: 4, height: 3, frame_count: 1 });
		expect(inspectBytes(makeGif({ frames: 3, width: 5, height: 6 }), 'image/gif', 'gif').info).toMatchObject({ width: 5, height: 6, frame_count: 3, duration_ms: 300 });
		expect(inspectBytes(makeJpeg(5000), 'image/jpeg', 'image').info).toMatchObject({ width: 8, height: 8 });
		expect(inspectBytes(makeWebp(), 'image/webp', 'image').info).toMatchObject({ width: 1, height: 1 });
	});

	test('makeWebm: tracks and duration', () => {
		const result = inspectBytes(makeWebm('webm', 4096), 'video/webm', 'video');
		expect(result.problem).toBeUndefined();
		expect(result.info).toMatchObject({ container: 'webm', width: 640, height: 360, video_codec: 'vp9', audio_codec: 'opus' });
	});
});

// ---------------------------------------------------------------------------------------------
// Hostile input

const READERS: Array<[string, string, MediaInfo['kind']]> = [
	['h264-aac-moov-first.mp4', 'video/mp4', 'video'],
	['h264-aac-moov-last.mp4', 'video/mp4', 'video'],
	['fragmented.mp4', 'video/mp4', 'video'],
	['h264-aac.mov', 'video/quicktime', 'video'],
	['vp9-opus.webm', 'video/webm', 'video'],
	['gif-10-frames.gif', 'image/gif', 'gif'],
	['apng-5-frames.png', 'image/png', 'image'],
	['still.jpg', 'image/jpeg', 'image'],
	['animated.webp', 'image/webp', 'image'],
];

function box(type: string, payload: Buffer, size = payload.length + 8): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(size >>> 0, 0);
	head.write(type, 4, 'latin1');
	return Buffer.concat([head, payload]);
}

/**
 * Runs an inspection and checks it ends with a result or a clear problem. That it ends at all is
 * bounded by the feeder's step guard (MAX_IDLE_STEPS), not timed: a busy machine must not fail it.
 */
function survives(bytes: Buffer, mime: string, kind: MediaInfo['kind'], piece = 997): void {
	const result = inspectBytes(bytes, mime, kind, piece);
	expect(result.info.kind).toBe(kind);
	if (result.problem !== undefined) {
		expect(typeof result.problem).toBe('string');
		expect(result.problem.length).toBeGreaterThan(10);
		expect(result.problem).not.toMatch(/undefined|NaN|RangeError|at Object\./);
	}
	for (const field of FIELDS) {
		const v = result.info[field];
		expect(v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))).toBe(true);
	}
}

describe('hostile input (fast-check)', () => {
	test.each(READERS)('%s cut at any length', (name, mime, kind) => {
		const { bytes } = mediaFile(name);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: bytes.length }), fc.integer({ min: 1, max: 5000 }), (cut, piece) => {
				survives(bytes.subarray(0, cut), mime, kind, piece);
			}),
			{ numRuns: 60 },
		);
	});

	test.each(READERS)('%s with random bytes overwritten', (name, mime, kind) => {
		const { bytes } = mediaFile(name);
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), (edits) => {
				const copy = Buffer.from(bytes);
				for (const [at, value] of edits) copy[at] = value;
				survives(copy, mime, kind);
			}),
			{ numRuns: 60 },
		);
	});

	test.each(Object.values(MIME).map((m) => [m]))('random bytes as %s', (mime) => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => survives(Buffer.from(bytes), mime, mime.startsWith('video') ? 'video' : 'image')),
			{ numRuns: 200 },
		);
	});

	test('box sizes larger than the file, zero, below the header, 64-bit sizes, absurd counts', () => {
		const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
		const cases = [
			Buffer.concat([ftyp, box('moov', Buffer.alloc(8), 0x7fffffff)]),
			Buffer.concat([ftyp, box('moov', Buffer.alloc(0), 0)]),
			Buffer.concat([ftyp, box('moov', Buffer.alloc(8), 3)]),
			Buffer.concat([ftyp, Buffer.from([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
			Buffer.concat([ftyp, box('mdat', Buffer.alloc(4), 1)]),
			// stts claiming 2^32-1 entries in a tiny box; a trak inside a trak inside...
			Buffer.concat([ftyp, box('moov', box('trak', box('mdia', box('minf', box('stbl', box('stts', Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]))))))) ]),
			Buffer.concat([ftyp, box('moov', Array.from({ length: 200 }).reduce<Buffer>((inner) => box('trak', inner), Buffer.alloc(0)))]),
		];
		for (const c of cases) survives(c, 'video/mp4', 'video');
		expect(inspectBytes(cases[0], 'video/mp4', 'video').problem).toMatch(/past the end of the file/);
		expect(inspectBytes(cases[2], 'video/mp4', 'video').problem).toMatch(/impossible size/);
	});

	test('many zero-length boxes and empty GIF extensions end (no loop)', () => {
		const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
		const frees = Buffer.concat(Array.from({ length: 50000 }, () => box('free', Buffer.alloc(0))));
		survives(Buffer.concat([ftyp, frees]), 'video/mp4', 'video');
		const gifHead = makeGif().subarray(0, 19);
		const exts = Buffer.concat(Array.from({ length: 100000 }, () => Buffer.from([0x21, 0xfe, 0x00])));
		survives(Buffer.concat([gifHead, exts, Buffer.from([0x3b])]), 'image/gif', 'gif');
	});

	test('a moov far above the read cap is refused without reading it', () => {
		const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
		const head = Buffer.concat([ftyp, box('moov', Buffer.alloc(0), 0x7ffffff0)]);
		const inspector = new MediaInspector('video/mp4', 'video', 0x7ffffff0 + ftyp.length);
		inspector.push(head);
		expect(inspector.done).toBe(true);
		expect(inspector.result().problem).toMatch(/more than/);
	});

	test('the feeder copies what it keeps: a later change to a piece does not change the result', () => {
		const { bytes } = mediaFile('h264-aac-moov-first.mp4');
		const copy = Buffer.from(bytes);
		const state = { info: {} as Record<string, unknown>, details: {} };
		const feeder = new MediaFeeder(readIsoBmff(state, copy.length));
		feeder.push(copy);
		copy.fill(0);
		feeder.end();
		expect(state.info.width).toBe(160);
	});
});

/**
 * The seek protocol over bytes in memory, as the inspection drives it in filesystem mode: only
 * what `nextNeed()` asks to read is handed over (in reads of at most 4 KiB), what it skips is
 * jumped over with `skip(n)`. Returns the inspection and the bytes read.
 */
function inspectBySeeking(bytes: Buffer, mime: string, kind: MediaInfo['kind']): { result: ReturnType<typeof inspectBytes>; read: number } {
	const inspector = new MediaInspector(mime, kind, bytes.length);
	let read = 0;
	for (let steps = 0; ; steps++) {
		if (steps > 2_000_000) throw new Error('the seek protocol did not end');
		const need = inspector.nextNeed();
		const at = inspector.position;
		if (need === undefined || at >= bytes.length) break;
		if ('skip' in need) {
			expect(need.skip).toBeGreaterThan(0);
			const n = Math.min(need.skip, bytes.length - at);
			inspector.skip(n);
			if (n < need.skip) break;
			continue;
		}
		expect(need.read).toBeGreaterThan(0);
		const piece = bytes.subarray(at, Math.min(bytes.length, at + Math.min(need.read, 4096)));
		read += piece.length;
		inspector.push(piece);
	}
	return { result: inspector.result(), read };
}

/** Seeking ends as pushing does (within inspectBySeeking's step bound): the same fields, the same problem, reading no more. */
function seeksLikePushing(bytes: Buffer, mime: string, kind: MediaInfo['kind']): void {
	const seek = inspectBySeeking(bytes, mime, kind);
	const push = inspectBytes(bytes, mime, kind, 997);
	expect(seek.result).toEqual(push);
	expect(seek.read).toBeLessThanOrEqual(bytes.length);
	survives(bytes, mime, kind);
}

describe('hostile input, seek variant (fast-check): nextNeed / skip / push end as push alone does', () => {
	test.each(READERS)('%s cut at any length', (name, mime, kind) => {
		const { bytes } = mediaFile(name);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: bytes.length }), (cut) => seeksLikePushing(bytes.subarray(0, cut), mime, kind)),
			{ numRuns: 60 },
		);
	});

	test.each(READERS)('%s with random bytes overwritten', (name, mime, kind) => {
		const { bytes } = mediaFile(name);
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), (edits) => {
				const copy = Buffer.from(bytes);
				for (const [at, value] of edits) copy[at] = value;
				seeksLikePushing(copy, mime, kind);
			}),
			{ numRuns: 60 },
		);
	});

	test.each(Object.values(MIME).map((m) => [m]))('random bytes as %s', (mime) => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => seeksLikePushing(Buffer.from(bytes), mime, mime.startsWith('video') ? 'video' : 'image')),
			{ numRuns: 100 },
		);
	});

	test('box sizes past the end, zero, below the header, 64-bit sizes, many empty boxes', () => {
		const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
		const cases = [
			Buffer.concat([ftyp, box('mdat', Buffer.alloc(8), 0x7fffffff)]),
			Buffer.concat([ftyp, box('mdat', Buffer.alloc(0), 0)]),
			Buffer.concat([ftyp, box('mdat', Buffer.alloc(8), 3)]),
			Buffer.concat([ftyp, Buffer.from([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
			Buffer.concat([ftyp, ...Array.from({ length: 50000 }, () => box('free', Buffer.alloc(0)))]),
		];
		for (const c of cases) seeksLikePushing(c, 'video/mp4', 'video');
		expect(inspectBySeeking(cases[0], 'video/mp4', 'video').result.problem).toMatch(/past the end of the file/);
		expect(inspectBySeeking(cases[2], 'video/mp4', 'video').result.problem).toMatch(/impossible size/);
	});

	test('a moov-last file: the seek protocol reads box headers and the moov, never the mdat payload', () => {
		const { bytes } = mediaFile('h264-aac-moov-last.mp4');
		const { result, read } = inspectBySeeking(bytes, 'video/mp4', 'video');
		const moovOffset = result.details.moovOffset as number;
		expect(moovOffset).toBeGreaterThan(bytes.length / 2);
		// Every top-level box's 8-byte header, the ftyp's and the moov's payloads; not the mdat's.
		const top: Array<[string, number]> = [];
		for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) top.push([bytes.toString('latin1', at + 4, at + 8), bytes.readUInt32BE(at)]);
		expect(top.map(([type]) => type)).toEqual(['ftyp', 'free', 'mdat', 'moov']);
		const payloadOf = (type: string) => (top.find(([t]) => t === type) as [string, number])[1] - 8;
		expect(read).toBe(8 * top.length + payloadOf('ftyp') + payloadOf('moov'));
		expect(bytes.length - read).toBe(payloadOf('mdat'));
		expect(result.info).toMatchObject({ duration_ms: 3000, audio_codec: 'aac-lc' });
	});

	test('skip() only while the reader skips, never more than it skips; nothing is needed once done', () => {
		const { bytes } = mediaFile('h264-aac-moov-last.mp4');
		const inspector = new MediaInspector('video/mp4', 'video', bytes.length);
		expect(inspector.nextNeed()).toEqual({ read: 8 });
		expect(() => inspector.skip(1)).toThrow(RangeError);
		// ftyp, then ffmpeg's 8-byte `free` box, then the mdat's header: the reader then skips its payload.
		const mdatAt = bytes.readUInt32BE(0) + 8;
		expect(bytes.toString('latin1', mdatAt + 4, mdatAt + 8)).toBe('mdat');
		inspector.push(bytes.subarray(0, mdatAt + 8));
		const need = inspector.nextNeed() as { skip: number };
		expect(need.skip).toBe(bytes.readUInt32BE(mdatAt) - 8);
		expect(inspector.position).toBe(mdatAt + 8);
		expect(() => inspector.skip(need.skip + 1)).toThrow(RangeError);
		inspector.skip(need.skip - 10);
		expect(inspector.nextNeed()).toEqual({ skip: 10 });
		inspector.skip(10);
		expect(inspector.nextNeed()).toEqual({ read: 8 });
		expect(new MediaInspector('image/bmp', 'image', 10).nextNeed()).toBeUndefined();
	});
});

describe('GIF', () => {
	test('a graphic control extension is walked by its sub-block sizes (the walk type detection makes too)', () => {
		const gif = makeGif({ frames: 1, loop: false });
		const at = gif.indexOf(Buffer.from([0x21, 0xf9]));
		const odd = Buffer.concat([gif.subarray(0, at), Buffer.from([0x21, 0xf9, 6, 0, 10, 0, 0, 0x2c, 0x2c, 0]), gif.subarray(at + 8)]);
		const result = inspectBytes(odd, 'image/gif', 'image');
		expect(result.problem).toBeUndefined();
		expect(result.info.frame_count).toBe(1);
		expect(result.details.animated).toBe(false);
	});
});

describe('MPEG-TS', () => {
	test('PAT and PMT give the codecs', async () => {
		const { makeTs } = await import('../../../fixtures/media');
		const result = inspectBytes(makeTs(10), 'video/mp2t', 'video');
		expect(result.problem).toBeUndefined();
		expect(result.info).toMatchObject({ container: 'ts', video_codec: 'h264', audio_codec: 'aac' });
	});
	test('no PMT is a clear problem', async () => {
		const { makeTs } = await import('../../../fixtures/media');
		expect(inspectBytes(makeTs(2), 'video/mp2t', 'video').problem).toMatch(/PMT/);
	});
});
