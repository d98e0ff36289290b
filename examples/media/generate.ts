/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- helper script: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Writes the small sample files the example workflows read. The output is deterministic (a fixed
 * seed), so re-running it gives byte-identical files; the outputs are committed next to this script.
 *
 *   npx tsx examples/media/generate.ts
 *
 * - sample-image.png: a valid 48×48 RGB PNG (a gradient with noise, ~7 KB).
 * - sample-video.mp4: an ISO-BMFF container (ftyp + moov/mvhd/trak/tkhd + mdat) of ~1.5 MB that
 *   declares 1280×720 and 10 s. The mdat holds filler bytes, not real H.264: X's containers checks
 *   (and the package's X API emulator) only read the boxes, so it is enough to exercise chunked
 *   uploads. Real X would fail its processing; use a real video there.
 * - sample-video.en.srt: English subtitles (SRT) for the sample video, 10 s in three cues.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** xorshift32: small, deterministic filler. */
function prng(seed: number): () => number {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		return x;
	};
}

// ---------- PNG ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}
export function makePng(size = 48, seed = 0x5eed): Buffer {
	const rnd = prng(seed);
	const raw = Buffer.alloc(size * (1 + size * 3));
	let at = 0;
	for (let y = 0; y < size; y++) {
		raw[at++] = 0; // filter: none
		for (let x = 0; x < size; x++) {
			const n = rnd() & 0x3f;
			raw[at++] = Math.min(255, Math.round((x / size) * 200) + n);
			raw[at++] = Math.min(255, Math.round((y / size) * 200) + n);
			raw[at++] = Math.min(255, 120 + (n << 1));
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type: RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw, { level: 9 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// ---------- MP4 ----------
function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	const head = Buffer.alloc(8);
	head.writeUInt32BE(8 + body.length, 0);
	head.write(type, 4, 'latin1');
	return Buffer.concat([head, body]);
}
const IDENTITY_MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
function matrix(): Buffer {
	const b = Buffer.alloc(36);
	IDENTITY_MATRIX.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
	return b;
}
export function makeMp4(mdatBytes = 1_500_000, durationSecs = 10, width = 1280, height = 720, seed = 0x71de0): Buffer {
	const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1'));
	const timescale = 1000;
	const mvhd = Buffer.alloc(100); // version 0
	mvhd.writeUInt32BE(timescale, 12);
	mvhd.writeUInt32BE(durationSecs * timescale, 16);
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	matrix().copy(mvhd, 36);
	mvhd.writeUInt32BE(2, 96); // next track id
	const tkhd = Buffer.alloc(84); // version 0, flags: enabled | in movie
	tkhd.writeUInt32BE(0x00000003, 0);
	tkhd.writeUInt32BE(1, 12); // track id
	tkhd.writeUInt32BE(durationSecs * timescale, 20);
	matrix().copy(tkhd, 40);
	tkhd.writeUInt32BE(width * 0x10000, 76);
	tkhd.writeUInt32BE(height * 0x10000, 80);
	const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)));
	const rnd = prng(seed);
	const filler = Buffer.alloc(mdatBytes);
	for (let i = 0; i + 4 <= filler.length; i += 4) filler.writeUInt32LE(rnd(), i);
	return Buffer.concat([ftyp, moov, box('mdat', filler)]);
}

/** English subtitles for the 10-second sample video. */
export const SAMPLE_SUBTITLES_SRT = [
	'1',
	'00:00:00,000 --> 00:00:03,000',
	'Uploaded by n8n\'s X Media node.',
	'',
	'2',
	'00:00:03,000 --> 00:00:07,000',
	'The subtitles went up with the video.',
	'',
	'3',
	'00:00:07,000 --> 00:00:10,000',
	'Captions make videos accessible.',
	'',
].join('\n');

if (require.main === module) {
	const dir = __dirname;
	const png = makePng();
	const mp4 = makeMp4();
	writeFileSync(join(dir, 'sample-image.png'), png);
	writeFileSync(join(dir, 'sample-video.mp4'), mp4);
	writeFileSync(join(dir, 'sample-video.en.srt'), SAMPLE_SUBTITLES_SRT);
	process.stdout.write(`sample-image.png ${png.length} bytes, sample-video.mp4 ${mp4.length} bytes\n`);
}
