/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Test media for the queue-mode suite, structurally valid, each file different from every other.
 *
 * ONE entry point, `makeQueueTestMedia`: whoever changes how test media are made (real ffmpeg
 * output, other containers) changes this function only.
 *
 * - MP4: `seed-video.mp4` beside this file is a real ffmpeg-made H.264 video (ftyp, free, mdat,
 *   then moov with one video track: `ffmpeg -f lavfi -i testsrc=size=160x120:rate=10 -t 2 -c:v
 *   libx264 -pix_fmt yuv420p`; moov at the end, as ffmpeg writes it by default). It is grown to the
 *   wanted size by appending bytes at the END of its mdat payload and rewriting mdat's size: every
 *   sample stays at its absolute offset (stco still points at it), moov follows the grown mdat
 *   unchanged, so ffprobe still reads a 2 s 160x120 H.264 track.
 * - PNG: a real RGB image of seeded noise (signature, IHDR, IDAT deflated with zlib level 0, IEND,
 *   valid CRCs): `width × height × 3` bytes of pixels, so its size follows from its dimensions.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

export interface QueueTestMedia {
	kind: 'mp4' | 'png';
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	sha256: string;
}

const SEED_VIDEO = join(__dirname, 'seed-video.mp4');

/** Deterministic bytes from a seed (sha256 in counter mode, 32 bytes per step; fast enough for 60 MB). */
function seededBytes(seed: string, length: number): Buffer {
	const out = Buffer.allocUnsafe(length);
	// A 1 MiB block made from the seed, each copy stamped with its index so no two MiB are equal.
	const block = Buffer.allocUnsafe(Math.min(length, 1024 * 1024));
	for (let off = 0, i = 0; off < block.length; off += 32, i++) {
		createHash('sha256').update(`${seed}:${i}`).digest().copy(block, off);
	}
	for (let off = 0, n = 0; off < length; off += block.length, n++) {
		block.copy(out, off, 0, Math.min(block.length, length - off));
		if (off + 8 <= length) out.writeUInt32BE(n, off);
	}
	return out;
}

interface Box {
	type: string;
	start: number;
	size: number;
}

function topLevelBoxes(buf: Buffer): Box[] {
	const boxes: Box[] = [];
	for (let off = 0; off + 8 <= buf.length; ) {
		const size = buf.readUInt32BE(off);
		const type = buf.toString('latin1', off + 4, off + 8);
		if (size < 8) throw new Error(`seed MP4: box ${type} at ${off} has size ${size}`);
		boxes.push({ type, start: off, size });
		off += size;
	}
	return boxes;
}

function makeMp4(targetBytes: number, seed: string): Buffer {
	const src = readFileSync(SEED_VIDEO);
	const boxes = topLevelBoxes(src);
	const mdat = boxes.find((b) => b.type === 'mdat');
	if (!mdat || !boxes.some((b) => b.type === 'moov') || boxes[0].type !== 'ftyp') throw new Error('seed MP4 needs ftyp, mdat and moov');
	const extra = targetBytes - src.length;
	if (extra < 0) throw new Error(`an MP4 cannot be smaller than the seed (${src.length} bytes)`);
	if (mdat.size + extra > 0xffffffff) throw new Error('the padded mdat would need a 64-bit size');
	const mdatEnd = mdat.start + mdat.size;
	const out = Buffer.concat([src.subarray(0, mdatEnd), seededBytes(seed, extra), src.subarray(mdatEnd)]);
	out.writeUInt32BE(mdat.size + extra, mdat.start);
	return out;
}

const CRC_TABLE = (() => {
	const t = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c;
	}
	return t;
})();

function crc32(data: Buffer): number {
	let c = -1;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

function makePng(approxBytes: number, seed: string): Buffer {
	const width = 1024;
	const height = Math.max(1, Math.round(approxBytes / (width * 3 + 1)));
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const stride = width * 3 + 1;
	const raw = seededBytes(seed, height * stride);
	for (let y = 0; y < height; y++) raw[y * stride] = 0; // filter type None on every row
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw, { level: 0 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** A structurally valid MP4 (exactly `bytes` long) or PNG (about `bytes` long), unique per `seed`. */
export function makeQueueTestMedia(kind: 'mp4' | 'png', bytes: number, seed: string): QueueTestMedia {
	const buf = kind === 'mp4' ? makeMp4(bytes, seed) : makePng(bytes, seed);
	return {
		kind,
		fileName: `${seed}.${kind}`,
		mimeType: kind === 'mp4' ? 'video/mp4' : 'image/png',
		bytes: buf,
		sha256: createHash('sha256').update(buf).digest('hex'),
	};
}
