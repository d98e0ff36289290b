/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading files */
/**
 * The inspection's seek pass (filesystem mode): when the stream n8n hands out holds a file handle,
 * the inspection reads only the bytes its reader asks for, at their position, and jumps over the
 * rest. Counted here with a handle that records every read: a moov-last MP4 of 5 GiB (a sparse
 * file on disk, read through a real Node FileHandle) costs its box headers and its moov; every
 * real file in test/media gives the same media_info by seek as by stream and as ffprobe; hostile
 * files end the same way on both paths.
 */
import fc from 'fast-check';
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { FileHandle as NodeFileHandle } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resolveMediaType, SNIFF_HEAD_BYTES, TAIL_CHECK_BYTES } from '../../../nodes/XMedia/helpers/media';
import type { BinarySource } from '../../../nodes/XMedia/upload/io/binarySource';
import { findPositionalReader } from '../../../nodes/XMedia/upload/io/streams';
import { inspectMedia, SEEK_BUFFER_BYTES } from '../../../nodes/XMedia/upload/mediaInspection';
import type { InspectionResult } from '../../../nodes/XMedia/upload/mediaInspection';
import { isoBox, makeGif, makeMoov } from '../../fixtures/media';

const MEDIA = join(__dirname, '../../media/files');
const expected = JSON.parse(readFileSync(join(MEDIA, '../expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const FIELDS = ['width', 'height', 'duration_ms', 'frame_rate', 'frame_count', 'video_codec', 'audio_codec', 'audio_channels'] as const;

interface ReadLog {
	reads: Array<[position: number, bytes: number]>;
	bytes: number;
	streamed: number;
}

/**
 * Named as Node's own class, which is what findPositionalReader looks for behind n8n's stream:
 * reads from bytes in memory or from a real Node FileHandle, and logs every read.
 */
class FileHandle {
	readonly fd = 3;
	constructor(
		private readonly from: Buffer | NodeFileHandle,
		private readonly log: ReadLog,
	) {}

	async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
		let bytesRead: number;
		if (Buffer.isBuffer(this.from)) {
			bytesRead = Math.max(0, Math.min(length, this.from.length - position));
			this.from.copy(buffer, offset, position, position + bytesRead);
		} else {
			bytesRead = (await this.from.read(buffer, offset, length, position)).bytesRead;
		}
		this.log.reads.push([position, bytesRead]);
		this.log.bytes += bytesRead;
		return { bytesRead };
	}
}

/** A BinarySource whose streams are what n8n's filesystem storage hands out: a stream holding its handle. */
function seekableSource(from: Buffer | NodeFileHandle, size: number, fileName: string, withHandle = true) {
	const log: ReadLog = { reads: [], bytes: 0, streamed: 0 };
	const whole = Buffer.isBuffer(from) ? from : undefined;
	const source: BinarySource = {
		propertyName: 'data',
		binaryDataId: 'filesystem-v2:test',
		fileName,
		declaredMimeType: undefined,
		size,
		async open(pieceBytes: number) {
			const stream = {
				async *[Symbol.asyncIterator]() {
					if (!whole) throw new Error('this test source only streams bytes held in memory');
					for (let at = 0; at < whole.length; at += pieceBytes) {
						const piece = whole.subarray(at, at + pieceBytes);
						log.streamed += piece.length;
						yield piece;
					}
				},
				destroy() {},
			};
			if (withHandle) Object.defineProperty(stream, Symbol('kHandle'), { value: new FileHandle(from, log), enumerable: false });
			return stream;
		},
		async readAll() {
			throw new Error('not used');
		},
		release() {},
		storageReads: 0,
	};
	return { source, log };
}

async function inspectBy(mode: 'seek' | 'stream', bytes: Buffer, fileName: string, headBytes = SNIFF_HEAD_BYTES, tail = false, typeFrom = bytes) {
	const { source, log } = seekableSource(bytes, bytes.length, fileName, mode === 'seek');
	// The type comes from the intact file for mangled ones (the sniffer would refuse them first).
	const type = resolveMediaType({ head: typeFrom.subarray(0, SNIFF_HEAD_BYTES), fileName });
	const head = Buffer.from(bytes.subarray(0, headBytes));
	const result = await inspectMedia(source, type, head, { category: 'tweet_video', tailBytes: tail ? TAIL_CHECK_BYTES : undefined });
	return { result, log };
}

/** What must not depend on the path: media_info, the reader's details, the rules' verdicts, the tail. */
function verdict(result: InspectionResult) {
	return { info: result.mediaInfo, details: result.details, refusals: result.refusals, warnings: result.ruleWarnings, tail: result.tail?.toString('hex') };
}

test('findPositionalReader takes only a FileHandle behind the stream (a look-alike without a number fd is ignored)', () => {
	const log: ReadLog = { reads: [], bytes: 0, streamed: 0 };
	const stream = {};
	Object.defineProperty(stream, Symbol('kHandle'), { value: new FileHandle(Buffer.alloc(1), log) });
	expect(findPositionalReader(stream)).toBeDefined();
	const other = {};
	Object.defineProperty(other, Symbol('kHandle'), { value: { read: () => undefined, fd: 3 } });
	expect(findPositionalReader(other)).toBeUndefined();
	expect(findPositionalReader({})).toBeUndefined();
});

describe('a moov-last MP4 of 5 GiB on disk (sparse), read through a real FileHandle', () => {
	let dir: string;
	let path: string;
	const SIZE = 5 * 1024 * 1024 * 1024;
	let moovBytes: number;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'x-media-seek-'));
		path = join(dir, 'moov-last.mp4');
		const ftyp = readFileSync(join(MEDIA, 'h264-aac-moov-last.mp4')).subarray(0, 32);
		expect(ftyp.toString('latin1', 4, 8)).toBe('ftyp');
		const moovOf = (offset: number) => isoBox('moov', Buffer.concat([makeMoov({ durationMs: 120000, width: 1280, height: 720 }, offset).subarray(8), isoBox('free', Buffer.alloc(200 * 1024))]));
		moovBytes = moovOf(0).length;
		// A 64-bit mdat (size 1, then the large size): its payload starts at 32 + 16.
		const mdatHeader = Buffer.alloc(16);
		mdatHeader.writeUInt32BE(1, 0);
		mdatHeader.write('mdat', 4, 'latin1');
		const mdatSize = SIZE - ftyp.length - moovBytes;
		mdatHeader.writeUInt32BE(Math.floor(mdatSize / 0x100000000), 8);
		mdatHeader.writeUInt32BE(mdatSize >>> 0, 12);
		await writeFile(path, Buffer.concat([ftyp, mdatHeader, Buffer.alloc(4096, 0x5a)]));
		const handle = await open(path, 'r+');
		try {
			await handle.write(moovOf(ftyp.length + 16), 0, moovBytes, SIZE - moovBytes);
		} finally {
			await handle.close();
		}
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	test('reads its box headers and moov only, jumps over the mdat, in a handful of reads', async () => {
		const handle = await open(path, 'r');
		try {
			const log: ReadLog = { reads: [], bytes: 0, streamed: 0 };
			const head = Buffer.alloc(SNIFF_HEAD_BYTES);
			await handle.read(head, 0, head.length, 0);
			const { source, log: sourceLog } = seekableSource(handle, SIZE, 'moov-last.mp4');
			const result = await inspectMedia(source, resolveMediaType({ head, fileName: 'moov-last.mp4' }), head, { category: 'tweet_video' });
			Object.assign(log, sourceLog);
			expect(result.pass).toBe('seek');
			expect(log.streamed).toBe(0);
			// The moov's header (8 bytes) and its payload, nothing else: the 5 GiB mdat is never read.
			expect(log.bytes).toBe(moovBytes);
			expect(result.extraBytesRead).toBe(moovBytes);
			expect(result.bytesSkipped).toBe(SIZE - moovBytes - SNIFF_HEAD_BYTES);
			expect(log.reads.length).toBeLessThanOrEqual(4);
			expect(log.reads[0]).toEqual([SIZE - moovBytes, 8]);
			expect(result.details.moovOffset).toBe(SIZE - moovBytes);
			expect(result.mediaInfo).toMatchObject({ container: 'mp4', width: 1280, height: 720, duration_ms: 120000, frame_rate: 30, video_codec: 'h264', audio_codec: 'aac-lc', audio_channels: 2 });
			expect(result.refusals).toEqual([]);
		} finally {
			await handle.close();
		}
	});
});

describe('the real media of test/media: the same media_info by seek, by stream, and as ffprobe', () => {
	const names = readdirSync(MEDIA).filter((n) => !n.startsWith('.'));
	test('every committed file is covered', () => {
		expect(names.sort()).toEqual(Object.keys(expected).sort());
	});

	// The files are smaller than the type sniffer's head; heads of 12 and 100 bytes make the
	// inspection read the rest itself, as it does for a large file.
	describe.each([12, 100])('head of %d bytes', (headBytes) => {
		test.each(names)('%s', async (name) => {
			const bytes = readFileSync(join(MEDIA, name));
			const seek = await inspectBy('seek', bytes, name, headBytes);
			const stream = await inspectBy('stream', bytes, name, headBytes);
			expect(seek.result.pass).not.toBe('stream');
			expect(stream.result.pass).not.toBe('seek');
			expect(seek.log.streamed).toBe(0);
			expect(verdict(seek.result)).toEqual(verdict(stream.result));
			const want = expected[name];
			for (const field of FIELDS) {
				if (want[field] === null || want[field] === undefined) continue;
				expect({ field, value: seek.result.mediaInfo[field] }).toEqual({ field, value: want[field] });
			}
			// Seeking never reads more than the stream pass, and for a moov-last MP4 skips its mdat.
			expect(seek.result.extraBytesRead).toBeLessThanOrEqual(stream.result.extraBytesRead);
			if (name === 'h264-aac-moov-last.mp4') {
				expect(seek.result.bytesSkipped).toBeGreaterThan(bytes.length / 2);
				expect(seek.log.bytes).toBeLessThan(bytes.length / 2);
			}
		});
	});

	test('an image with the completeness check: the frames the reader asks for and the tail, by position', async () => {
		const gif = makeGif({ frames: 600, width: 16, height: 16 });
		expect(gif.length).toBeGreaterThan(SNIFF_HEAD_BYTES);
		const seek = await inspectBy('seek', gif, 'a.gif', SNIFF_HEAD_BYTES, true);
		const stream = await inspectBy('stream', gif, 'a.gif', SNIFF_HEAD_BYTES, true);
		expect(seek.result.pass).toBe('seek');
		expect(verdict(seek.result)).toEqual(verdict(stream.result));
		expect(seek.result.mediaInfo.frame_count).toBe(600);
		expect(seek.result.tail?.length).toBe(TAIL_CHECK_BYTES);
		expect(seek.log.streamed).toBe(0);
	});
});

describe('issue 18 media (test/media/files-2026): rotation, edit lists, SPS, audio only; the same verdict by seek and by stream', () => {
	const DIR_2026 = join(MEDIA, '../files-2026');
	const expected2026 = JSON.parse(readFileSync(join(MEDIA, '../expected-2026.json'), 'utf8')) as Record<string, Record<string, unknown>>;
	const names = readdirSync(DIR_2026).filter((n) => /\.(mp4|m4a)$/.test(n));

	describe.each([12, 100])('head of %d bytes', (headBytes) => {
		test.each(names)('%s', async (name) => {
			const bytes = readFileSync(join(DIR_2026, name));
			const seek = await inspectBy('seek', bytes, name, headBytes);
			const stream = await inspectBy('stream', bytes, name, headBytes);
			expect(seek.log.streamed).toBe(0);
			expect(verdict(seek.result)).toEqual(verdict(stream.result));
			const want = expected2026[name];
			expect([seek.result.mediaInfo.width, seek.result.mediaInfo.height, seek.result.mediaInfo.duration_ms]).toEqual([want.display_width, want.display_height, want.duration_ms]);
			const moovLast = (want.boxes as { moov_before_mdat: boolean }).moov_before_mdat === false;
			if (moovLast) expect(seek.result.bytesSkipped).toBeGreaterThan(0);
		});
	});

	test('the trimmed clip by seek: the moov at the end read by position, 0.4 s played, refused', async () => {
		const bytes = readFileSync(join(DIR_2026, 'trimmed-editlist.mp4'));
		const { result } = await inspectBy('seek', bytes, 'trimmed-editlist.mp4');
		expect(result.pass).toBe('none'); // a 14 KB file: the sniffed head holds it whole
		const bySeek = await inspectBy('seek', bytes, 'trimmed-editlist.mp4', 100);
		expect(bySeek.result.pass).toBe('seek');
		expect(bySeek.result.mediaInfo.duration_ms).toBe(400);
		expect(bySeek.result.refusals.map((r) => r.rule)).toEqual(['video.duration.min']);
	});
});

describe('the seek pass on hostile input (fast-check): it ends as the stream pass does', () => {
	const ftyp = readFileSync(join(MEDIA, 'h264-aac-moov-last.mp4')).subarray(0, 32);
	const box = (type: string, payload: Buffer, size = payload.length + 8) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(size >>> 0, 0);
		head.write(type, 4, 'latin1');
		return Buffer.concat([head, payload]);
	};

	async function same(bytes: Buffer, name: string, headBytes: number, typeFrom = bytes): Promise<InspectionResult> {
		const started = Date.now();
		const seek = await inspectBy('seek', bytes, name, headBytes, false, typeFrom);
		const stream = await inspectBy('stream', bytes, name, headBytes, false, typeFrom);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(verdict(seek.result)).toEqual(verdict(stream.result));
		expect(seek.log.streamed).toBe(0);
		// No read beyond the file, none larger than what the reader could ask for.
		for (const [position, n] of seek.log.reads) expect(position + n).toBeLessThanOrEqual(bytes.length);
		return seek.result;
	}

	const REAL = ['h264-aac-moov-last.mp4', 'h264-aac-moov-first.mp4', 'fragmented.mp4', 'vp9-opus.webm', 'gif-10-frames.gif', 'apng-5-frames.png', 'still.jpg', 'animated.webp'];

	test.each(REAL)('%s cut at any length, or with bytes overwritten', async (name) => {
		const bytes = readFileSync(join(MEDIA, name));
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: bytes.length }),
				fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
				fc.integer({ min: 1, max: 200 }),
				async (cut, edits, headBytes) => {
					const copy = Buffer.from(bytes);
					for (const [at, value] of edits) copy[at] = value;
					await same(copy.subarray(0, cut), name, Math.min(headBytes, cut), bytes);
				},
			),
			{ numRuns: 40 },
		);
	});

	test('box sizes past the end, zero, below the header, 64-bit sizes past the end, loops of empty boxes', async () => {
		const cases: Array<[Buffer, RegExp | undefined]> = [
			[Buffer.concat([ftyp, box('mdat', Buffer.alloc(100), 0x7fffffff), box('moov', Buffer.alloc(8))]), /past the end of the file/],
			[Buffer.concat([ftyp, box('mdat', Buffer.alloc(100), 3)]), /impossible size/],
			[Buffer.concat([ftyp, box('mdat', Buffer.alloc(100), 0)]), /no "moov" box/],
			[Buffer.concat([ftyp, Buffer.from([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]), /past the end of the file/],
			[Buffer.concat([ftyp, box('mdat', Buffer.alloc(64)), ...Array.from({ length: 20000 }, () => box('free', Buffer.alloc(0)))]), /no "moov" box/],
			[Buffer.concat([ftyp, box('mdat', Buffer.alloc(64)), box('moov', Buffer.alloc(0), 0x7ffffff0)]), /past the end of the file/],
		];
		for (const [bytes, problem] of cases) {
			const result = await same(bytes, 'hostile.mp4', 16, ftyp);
			const said = [...result.refusals, ...result.ruleWarnings].map((r) => r.message).join(' | ');
			if (problem) expect(said).toMatch(problem);
		}
	});

	test('after a skip, only the next box header and the moov are read, each read no larger than the reused buffer or the moov', async () => {
		const moov = makeMoov({ durationMs: 5000 }, 48);
		const bytes = Buffer.concat([ftyp, box('mdat', Buffer.alloc(1024 * 1024, 1)), moov]);
		const { result, log } = await inspectBy('seek', bytes, 'm.mp4', 16);
		expect(result.mediaInfo.duration_ms).toBe(5000);
		expect(log.reads.every(([, n]) => n <= Math.max(SEEK_BUFFER_BYTES, moov.length - 8))).toBe(true);
		// The ftyp past the 16-byte head, the mdat's header, the moov: not one byte of the mdat payload.
		expect(log.bytes).toBe(ftyp.length - 16 + 8 + moov.length);
		expect(result.bytesSkipped).toBe(1024 * 1024);
	});
});
