/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- helper script (runs ffmpeg): runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Writes the small sample files the example workflows read. The output is deterministic (a fixed
 * seed), so re-running it gives byte-identical files; the outputs are committed next to this script.
 *
 *   npx tsx examples/media/generate.ts
 *
 * - sample-image.png: a valid 48×48 RGB PNG (a gradient with noise, ~7 KB).
 * - sample-video.mp4: a real ~1.5 MB video made with ffmpeg (1280×720, 10 s, 30 fps, H.264 High,
 *   AAC-LC stereo, moov at the end): it passes the node's media checks and X's processing.
 * - sample-video.en.srt: English subtitles (SRT) for the sample video, 10 s in three cues.
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
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
/**
 * A real video X takes: 1280×720, 10 s, 30 fps, H.264 High (yuv420p) and AAC-LC stereo, ~1.5 MB,
 * `moov` after `mdat` (ffmpeg's default, as most exports). Made with ffmpeg (Debian 12's 5.1; one
 * encoder thread, so the bytes repeat for the same ffmpeg build).
 */
export const SAMPLE_VIDEO_FFMPEG_ARGS = [
	'-hide_banner', '-loglevel', 'error', '-y',
	'-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=10',
	'-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=10',
	'-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '1100k', '-maxrate', '1200k', '-bufsize', '2400k', '-pix_fmt', 'yuv420p', '-threads', '1',
	'-c:a', 'aac', '-b:a', '64k', '-ac', '2',
];

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
	writeFileSync(join(dir, 'sample-image.png'), png);
	writeFileSync(join(dir, 'sample-video.en.srt'), SAMPLE_SUBTITLES_SRT);
	const video = join(dir, 'sample-video.mp4');
	const made = spawnSync('ffmpeg', [...SAMPLE_VIDEO_FFMPEG_ARGS, video], { stdio: 'inherit' });
	if (made.status !== 0) process.stderr.write('ffmpeg failed or is missing: sample-video.mp4 was left as it is\n');
	process.stdout.write(`sample-image.png ${png.length} bytes, sample-video.mp4 ${statSync(video).size} bytes\n`);
}
