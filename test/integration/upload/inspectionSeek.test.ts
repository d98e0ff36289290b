/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Through n8n-core with its filesystem binary storage: a moov-last MP4 (`ftyp`, `mdat`, `moov` at
 * the end, as ffmpeg and most exports write it) is inspected by SEEKING. Every read n8n's file
 * handles make while X Media runs is counted (n8n's own stream reads through the same FileHandle
 * method): the file is read once, by the upload engine, plus the sniffed head, the box headers and
 * the moov; the inspection does not stream the mdat before the first request.
 */
import { open } from 'node:fs/promises';
import { rmSync } from 'node:fs';

import { emulatorSuite } from '../../harness/emulatorSuite';
import { sha256, writeTempFile } from '../../harness/scenario';
import { isoBox, makeMoov } from '../../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ processingSteps: 0 });

const MiB = 1024 * 1024;

/** ftyp (32 bytes), mdat (patterned payload), moov at the end pointing its chunks at the mdat payload. */
function moovLastMp4(totalBytes: number): { bytes: Buffer; moovBytes: number } {
	const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 32]), Buffer.from('ftypisom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1')]);
	const moovOf = (offset: number) => isoBox('moov', Buffer.concat([makeMoov({ durationMs: 60000, width: 1280, height: 720 }, offset).subarray(8), isoBox('free', Buffer.alloc(128 * 1024))]));
	const moovBytes = moovOf(0).length;
	const payload = totalBytes - ftyp.length - 8 - moovBytes;
	const mdat = Buffer.alloc(8 + payload);
	mdat.writeUInt32BE(8 + payload, 0);
	mdat.write('mdat', 4, 'latin1');
	for (let i = 8; i < mdat.length; i += 4096) mdat.writeUInt32BE(i >>> 0, i);
	return { bytes: Buffer.concat([ftyp, mdat, moovOf(ftyp.length + 8)]), moovBytes };
}

interface FileHandleProto {
	read(buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
}

/** Counts every FileHandle read made while `run` runs (positional reads and n8n's own stream's). */
async function countingFileHandleReads<T>(run: () => Promise<T>): Promise<{ value: T; bytes: number; reads: number }> {
	const probe = await open(__filename, 'r');
	const proto = Object.getPrototypeOf(probe) as FileHandleProto;
	await probe.close();
	const original = proto.read;
	const counts = { bytes: 0, reads: 0 };
	proto.read = async function (this: unknown, ...args: Parameters<FileHandleProto['read']>) {
		const result = await original.apply(this, args);
		counts.reads++;
		counts.bytes += result.bytesRead;
		return result;
	};
	try {
		const value = await run();
		return { value, ...counts };
	} finally {
		proto.read = original;
	}
}

test('a 48 MiB moov-last MP4: read once by the upload, the inspection adds only the head, box headers and moov', async () => {
	const size = 48 * MiB;
	const { bytes, moovBytes } = moovLastMp4(size);
	const path = writeTempFile('moov-last-48MiB.mp4', bytes);
	try {
		const { value: result, bytes: read } = await countingFileHandleReads(
			async () =>
				await runWorkflow({
					items: [{ binary: { data: { path, fileName: 'export.mp4' } } }],
					nodes: [{ parameters: { operation: 'upload', options: {} } }],
				}),
		);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.media_info).toMatchObject({ container: 'mp4', width: 1280, height: 720, duration_ms: 60000, frame_rate: 30, video_codec: 'h264', audio_codec: 'aac-lc', audio_channels: 2 });
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(bytes));
		// The upload reads the file once (and probes one byte past its end); the head n8n's stream
		// gave the type sniffer is at most a few of its pieces; the inspection reads the moov.
		expect(read).toBeGreaterThanOrEqual(size + moovBytes);
		expect(read).toBeLessThanOrEqual(size + moovBytes + 8 + 1 + 4 * 64 * 1024);
	} finally {
		rmSync(path, { force: true });
	}
});
