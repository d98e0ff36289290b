/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The benchmark's input files under bench/.tmp/fixtures: a padded PNG, an animated GIF (both
 * built in memory, at most 14 MiB) and MP4 videos written in 1 MiB pieces (an `ftyp` + `mdat`
 * header, then patterned bytes), so the parent never holds a video in memory. Each file has a
 * sidecar `.json` with its size and sha256; an existing file with a matching sidecar is reused.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';

import { isoBox, makeGif, makeMoov, makeMp4Header, makePng } from '../../test/fixtures/media';
import type { CaseSpec } from './common';
import { MiB, TMP_DIR } from './common';

export const FIXTURE_DIR = join(TMP_DIR, 'fixtures');
const FORMAT_VERSION = 1;

export interface Fixture {
	path: string;
	size: number;
	sha256: string;
}

interface Sidecar {
	version: number;
	size: number;
	sha256: string;
}

function readSidecar(path: string, size: number): Sidecar | undefined {
	try {
		const side = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Sidecar;
		if (side.version === FORMAT_VERSION && side.size === size && existsSync(path) && statSync(path).size === size) return side;
	} catch {
		/* missing or stale: rebuild */
	}
	return undefined;
}

/** 1 MiB of patterned bytes; every piece of the video gets its index stamped in, so no two pieces are alike. */
function patternBlock(): Buffer {
	const block = Buffer.alloc(MiB);
	for (let i = 0; i < MiB; i++) block[i] = (i * 7 + (i >>> 10)) & 0xff;
	return block;
}

async function writeVideo(path: string, total: number): Promise<string> {
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	const write = async (chunk: Buffer) => {
		hash.update(chunk);
		if (!out.write(chunk)) await once(out, 'drain');
	};
	const header = makeMp4Header(total);
	await write(header);
	const block = patternBlock();
	let written = header.length;
	for (let piece = 0; written < total; piece++) {
		const n = Math.min(MiB, total - written);
		const chunk = Buffer.from(block.subarray(0, n));
		chunk.writeUInt32BE(piece >>> 0, 0);
		await write(chunk);
		written += n;
	}
	out.end();
	await finished(out);
	return hash.digest('hex');
}

function buildSmall(spec: CaseSpec): Buffer {
	if (spec.kind === 'png') return makePng(64, 64, { sizeBytes: spec.bytes });
	if (spec.kind === 'gif') return makeGif({ frames: 24, width: 16, height: 16, sizeBytes: spec.bytes, padAt: 'end' });
	throw new Error(`not a small fixture: ${spec.kind}`);
}

export async function ensureFixture(spec: CaseSpec): Promise<Fixture> {
	mkdirSync(FIXTURE_DIR, { recursive: true });
	const path = join(FIXTURE_DIR, spec.fileName);
	const existing = readSidecar(path, spec.bytes);
	if (existing) return { path, size: spec.bytes, sha256: existing.sha256 };
	let sha256: string;
	if (spec.kind === 'mp4') {
		sha256 = await writeVideo(path, spec.bytes);
	} else {
		const bytes = buildSmall(spec);
		if (bytes.length !== spec.bytes) throw new Error(`${spec.fileName}: built ${bytes.length} bytes, wanted ${spec.bytes}`);
		writeFileSync(path, bytes);
		sha256 = createHash('sha256').update(bytes).digest('hex');
	}
	if (statSync(path).size !== spec.bytes) throw new Error(`${path}: wrong size after writing`);
	writeFileSync(`${path}.json`, JSON.stringify({ version: FORMAT_VERSION, size: spec.bytes, sha256 } satisfies Sidecar));
	return { path, size: spec.bytes, sha256 };
}

/** The small PNG every contender uploads once, untimed, before its timed upload. */
export function ensureWarmup(): Fixture & { mediaType: string; category: string; fileName: string } {
	mkdirSync(FIXTURE_DIR, { recursive: true });
	const fileName = 'warmup-64KiB.png';
	const path = join(FIXTURE_DIR, fileName);
	const bytes = makePng(8, 8, { sizeBytes: 64 * 1024 });
	writeFileSync(path, bytes);
	return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType: 'image/png', category: 'tweet_image', fileName };
}

/**
 * A video laid out as ffmpeg writes it by default and most exports are: `ftyp`, then `mdat` (its
 * payload patterned bytes, written in 1 MiB pieces), then `moov` at the END, its chunk-offset table
 * (`stco`, or `co64` past 4 GiB is not needed here) pointing at the `mdat` payload. The `moov` carries
 * a `free` box of `moovPadBytes` to weigh what the sample tables of a real file this long weigh
 * (a 2-minute 30 fps H.264/AAC export: about 100–300 KiB of stsz/stco/stss/ctts).
 */
export async function ensureMoovLastVideo(totalBytes: number, moovPadBytes = 256 * 1024): Promise<Fixture & { moovBytes: number }> {
	mkdirSync(FIXTURE_DIR, { recursive: true });
	const path = join(FIXTURE_DIR, `video-${totalBytes / MiB}MiB-moov-last.mp4`);
	const movie = { durationMs: 120000, width: 1280, height: 720, fps: 30 };
	const type = makeMp4Header(0x7fffffff).subarray(0, 32); // the ftyp box only (32 bytes)
	if (type.toString('latin1', 4, 8) !== 'ftyp' || type.readUInt32BE(0) !== 32) throw new Error('unexpected ftyp layout');
	const moovOf = (chunkOffset: number) => {
		const moov = makeMoov(movie, chunkOffset);
		const padded = Buffer.concat([moov.subarray(8), isoBox('free', Buffer.alloc(moovPadBytes))]);
		return isoBox('moov', padded);
	};
	const moovBytes = moovOf(0).length;
	const payload = totalBytes - type.length - 8 - moovBytes;
	const existing = readSidecar(path, totalBytes);
	if (existing) return { path, size: totalBytes, sha256: existing.sha256, moovBytes };
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	const write = async (chunk: Buffer) => {
		hash.update(chunk);
		if (!out.write(chunk)) await once(out, 'drain');
	};
	const mdat = Buffer.alloc(8);
	mdat.writeUInt32BE(payload + 8, 0);
	mdat.write('mdat', 4, 'latin1');
	await write(Buffer.concat([type, mdat]));
	const block = patternBlock();
	for (let piece = 0, written = 0; written < payload; piece++) {
		const n = Math.min(MiB, payload - written);
		const chunk = Buffer.from(block.subarray(0, n));
		chunk.writeUInt32BE(piece >>> 0, 0);
		await write(chunk);
		written += n;
	}
	await write(moovOf(type.length + 8));
	out.end();
	await finished(out);
	if (statSync(path).size !== totalBytes) throw new Error(`${path}: wrong size after writing`);
	const sha256 = hash.digest('hex');
	writeFileSync(`${path}.json`, JSON.stringify({ version: FORMAT_VERSION, size: totalBytes, sha256 } satisfies Sidecar));
	return { path, size: totalBytes, sha256, moovBytes };
}
