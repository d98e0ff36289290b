/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- measurement tooling: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * What the media inspection costs on a big file: a 512 MiB MP4 with `moov` at the end (one pass
 * over the file, mdat skipped) and the same with `moov` first (the head is enough), read the way
 * the node's streaming fallback reads a stream (here in 1 MiB pieces), and by SEEKING as it does in
 * filesystem mode (nextNeed / skip: only the bytes the reader asks for, at their position, through
 * a FileHandle). Compared with a plain read of the same file (the floor of any pass) and printed
 * as a table.
 *
 *   npx tsx test/media/measure-inspection.ts [MiB]
 */
import { createReadStream, closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MediaInspector } from '../../nodes/XMedia/helpers/media';
import { makeMoov } from '../fixtures/media';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 512);

function writeMovie(path: string, moovFirst: boolean): number {
	const ftyp = Buffer.from('00000020667479706973366d000002006973366d69736f32617663316d703431', 'hex');
	const payload = sizeMiB * MiB;
	const mdatHead = Buffer.alloc(8);
	mdatHead.writeUInt32BE(payload + 8);
	mdatHead.write('mdat', 4, 'latin1');
	const moov = makeMoov({ durationMs: 60000 }, moovFirst ? 0 : ftyp.length + 8);
	const fd = openSync(path, 'w');
	writeSync(fd, ftyp);
	if (moovFirst) writeSync(fd, moov);
	writeSync(fd, mdatHead);
	const piece = Buffer.alloc(4 * MiB, 0x5a);
	for (let left = payload; left > 0; left -= piece.length) writeSync(fd, piece, 0, Math.min(piece.length, left));
	if (!moovFirst) writeSync(fd, moov);
	closeSync(fd);
	return ftyp.length + moov.length + 8 + payload;
}

async function pass(path: string, size: number, inspect: boolean): Promise<{ ms: number; bytes: number; rssGrowthMiB: number; result?: string }> {
	if (global.gc) global.gc();
	const rss0 = process.memoryUsage().rss;
	let peak = rss0;
	const started = process.hrtime.bigint();
	const inspector = inspect ? new MediaInspector('video/mp4', 'video', size) : undefined;
	let bytes = 0;
	const stream = createReadStream(path, { highWaterMark: MiB });
	for await (const piece of stream) {
		bytes += (piece as Buffer).length;
		peak = Math.max(peak, process.memoryUsage().rss);
		if (inspector && inspector.push(piece as Buffer)) {
			stream.destroy();
			break;
		}
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const result = inspector ? JSON.stringify(inspector.result().info) : undefined;
	return { ms, bytes, rssGrowthMiB: (peak - rss0) / MiB, result };
}

/** The seek pass as mediaInspection.ts makes it, over a FileHandle: reads only what the reader asks. */
async function seekPass(path: string, size: number): Promise<{ ms: number; bytes: number; reads: number; result: string }> {
	const started = process.hrtime.bigint();
	const handle = await open(path, 'r');
	const inspector = new MediaInspector('video/mp4', 'video', size);
	const scratch = Buffer.allocUnsafe(64 * 1024);
	let bytes = 0;
	let reads = 0;
	try {
		for (;;) {
			const need = inspector.nextNeed();
			const at = inspector.position;
			if (need === undefined || at >= size) break;
			if ('skip' in need) {
				inspector.skip(Math.min(need.skip, size - at));
				continue;
			}
			const want = Math.min(need.read, size - at);
			const target = want <= scratch.length ? scratch : Buffer.allocUnsafe(want);
			const { bytesRead } = await handle.read(target, 0, want, at);
			reads++;
			bytes += bytesRead;
			inspector.push(target.subarray(0, bytesRead));
			if (bytesRead === 0) break;
		}
	} finally {
		await handle.close();
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, bytes, reads, result: JSON.stringify(inspector.result().info) };
}

async function main(): Promise<void> {
	const rows: string[] = [];
	for (const moovFirst of [false, true]) {
		const path = join(tmpdir(), `x-media-inspect-${moovFirst ? 'first' : 'last'}.mp4`);
		const size = writeMovie(path, moovFirst);
		try {
			await pass(path, size, false); // warm the page cache: both passes then read from memory
			const plain = await pass(path, size, false);
			const inspected = await pass(path, size, true);
			const seek = await seekPass(path, size);
			rows.push(
				`| ${sizeMiB} MiB, moov ${moovFirst ? 'first' : 'last '} | ${plain.ms.toFixed(0)} ms | ${inspected.ms.toFixed(0)} ms | ${(inspected.bytes / MiB).toFixed(1)} MiB | ${inspected.rssGrowthMiB.toFixed(1)} MiB | ${seek.ms.toFixed(1)} ms | ${seek.bytes} B in ${seek.reads} reads |`,
			);
			if (seek.result !== inspected.result) throw new Error(`seek and stream disagree: ${seek.result} vs ${inspected.result}`);
			process.stdout.write(`${moovFirst ? 'moov first' : 'moov last'}: ${inspected.result}\n`);
		} finally {
			rmSync(path, { force: true });
		}
	}
	process.stdout.write(`\n| file | plain read (1 MiB pieces) | streaming inspection pass | bytes it read | peak RSS growth | seek pass (filesystem mode) | bytes it read |\n|---|---:|---:|---:|---:|---:|---:|\n${rows.join('\n')}\n`);
}

void main();
