/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: makes n8n's stream class, runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Through n8n-core with its binary data service in `database` mode: the manager registered for that
 * mode does what n8n's DatabaseManager (n8n 2.41 `binary-data/database.manager.js`) does, over a
 * Map instead of PostgreSQL: it keeps the bytes as they travel from the database (hex text) and at
 * every read decodes the whole file and hands it out as `Readable.from(buffer)`, ONE piece. Each
 * `getAsStream`/`getAsBuffer` is one read of the database; counted per file while X Media runs:
 * a file is read once per upload (the head, the inspection and the upload are served from it).
 */
import { Readable } from 'node:stream';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import { emulatorSuite } from '../../../harness/emulatorSuite';
import { initBinaryData } from '../../../harness/n8nHarness';
import { b64, sha256 } from '../../../harness/scenario';
import { isoBox, makeMoov, makePng } from '../../../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ processingSteps: 0 });
const stored = new Map<string, { hex: string; mimeType?: string; fileName?: string }>();
const reads: string[] = [];
let nextId = 0;

/** n8n's DatabaseManager over a Map: the whole file, decoded anew, as one piece at every read. */
const databaseManager = {
	async init() {},
	async store(_location: unknown, bufferOrStream: Buffer | Readable, metadata: { mimeType?: string; fileName?: string }) {
		const parts: Buffer[] = [];
		if (Buffer.isBuffer(bufferOrStream)) parts.push(bufferOrStream);
		else for await (const piece of bufferOrStream) parts.push(Buffer.from(piece as Uint8Array));
		const buffer = Buffer.concat(parts);
		const fileId = `file${++nextId}`;
		stored.set(fileId, { hex: buffer.toString('hex'), ...metadata });
		return { fileId, fileSize: buffer.length };
	},
	getPath: (fileId: string) => `database://${fileId}`,
	async getAsBuffer(fileId: string) {
		reads.push(fileId);
		return Buffer.from(stored.get(fileId)?.hex ?? '', 'hex');
	},
	async getAsStream(fileId: string) {
		return Readable.from(await databaseManager.getAsBuffer(fileId));
	},
	async getMetadata(fileId: string) {
		const file = stored.get(fileId);
		return { fileName: file?.fileName, mimeType: file?.mimeType, fileSize: Buffer.byteLength(file?.hex ?? '', 'hex') };
	},
	async deleteMany() {},
	async copyByFileId(): Promise<string> {
		throw new Error('not used');
	},
	async copyByFilePath(): Promise<{ fileId: string; fileSize: number }> {
		throw new Error('not used');
	},
	async rename() {},
};

beforeAll(async () => {
	await initBinaryData();
	const service = Container.get(BinaryDataService);
	service.setManager('database', databaseManager as unknown as Parameters<BinaryDataService['setManager']>[1]);
	(service as unknown as { mode: string }).mode = 'database';
});
beforeEach(() => {
	reads.length = 0;
});

const MiB = 1024 * 1024;

/** ftyp, mdat, and the moov at the end (what ffmpeg writes without +faststart). */
function moovLastMp4(totalBytes: number): Buffer {
	const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 32]), Buffer.from('ftypisom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1')]);
	const moov = makeMoov({ durationMs: 60000, width: 1280, height: 720 }, ftyp.length + 8);
	const payload = totalBytes - ftyp.length - 8 - moov.length;
	const mdat = Buffer.alloc(8 + payload);
	mdat.writeUInt32BE(8 + payload, 0);
	mdat.write('mdat', 4, 'latin1');
	for (let i = 8; i + 4 <= mdat.length; i += 4096) mdat.writeUInt32BE(i >>> 0, i);
	return Buffer.concat([ftyp, mdat, isoBox('moov', moov.subarray(8))]);
}

/** How many times each file was read from the database while X Media ran. */
function readsPerFile(): number[] {
	const counts = new Map<string, number>();
	for (const id of reads) counts.set(id, (counts.get(id) ?? 0) + 1);
	return [...counts.values()];
}

test('the binary data really is in database mode (ids, one piece)', async () => {
	const png = makePng(8, 8, { sizeBytes: 100 * 1024 });
	const result = await runWorkflow({
		items: [{ binary: { data: { base64: b64(png), fileName: 'a.png', mimeType: 'image/png' } } }],
		nodes: [{ parameters: { operation: 'upload', options: {} } }],
	});
	expect(result.error).toBeUndefined();
	expect(stored.size).toBeGreaterThan(0);
	expect(reads.length).toBeGreaterThan(0);
});

test('a moov-last MP4, chunked upload: one read of the database (was 3: head, inspection, upload)', async () => {
	const mp4 = moovLastMp4(6 * MiB + 123);
	const result = await runWorkflow({
		items: [{ binary: { data: { base64: b64(mp4), fileName: 'export.mp4', mimeType: 'video/mp4' } } }],
		nodes: [{ parameters: { operation: 'upload', options: { chunkSize: 1 } } }],
	});
	expect(result.error).toBeUndefined();
	const json = result.output['X Media'][0].json;
	expect(json.upload_method).toBe('chunked');
	expect(json.segments).toBe(7);
	expect(json.media_info).toMatchObject({ container: 'mp4', width: 1280, height: 720, duration_ms: 60000 });
	expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
	expect(readsPerFile()).toEqual([1]);
});

test('a PNG, one-request upload: one read of the database (was 3: head, completeness check, upload)', async () => {
	const png = makePng(64, 64, { sizeBytes: 300 * 1024 });
	const result = await runWorkflow({
		items: [{ binary: { data: { base64: b64(png), fileName: 'photo.png', mimeType: 'image/png' } } }],
		nodes: [{ parameters: { operation: 'upload', options: {} } }],
	});
	expect(result.error).toBeUndefined();
	const json = result.output['X Media'][0].json;
	expect(json.upload_method).toBe('simple');
	expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(png));
	expect(readsPerFile()).toEqual([1]);
});

test('Create Post with two files: the first read once, the second once more at its upload (3 reads, was 6)', async () => {
	const a = makePng(32, 32, { sizeBytes: 200 * 1024 });
	const b = makePng(48, 48, { sizeBytes: 250 * 1024 });
	const result = await runWorkflow({
		items: [{ binary: { a: { base64: b64(a), fileName: 'a.png', mimeType: 'image/png' }, b: { base64: b64(b), fileName: 'b.png', mimeType: 'image/png' } } }],
		nodes: [{ parameters: { operation: 'createPost', text: 'Two', mediaSource: 'binary', binaryPropertyName: 'a, b' } }],
	});
	expect(result.error).toBeUndefined();
	const post = result.output['X Media'][0].json;
	const ids = post.media_ids as string[];
	expect(ids).toHaveLength(2);
	expect(emulator.mediaSha256(ids[0])).toBe(sha256(a));
	expect(emulator.mediaSha256(ids[1])).toBe(sha256(b));
	expect(readsPerFile()).toEqual([1, 2]);
});

test('a failed upload lets the file go: Retry On Fail reads it once more and continues the session', async () => {
	const mp4 = moovLastMp4(4 * MiB + 1);
	emulator.addFault({ endpoint: 'append', nth: 2, status: 400, body: { title: 'Invalid Request', detail: 'test: refused' } });
	const result = await runWorkflow({
		items: [{ binary: { data: { base64: b64(mp4), fileName: 'clip.mp4', mimeType: 'video/mp4' } } }],
		nodes: [{ parameters: { operation: 'upload', options: { chunkSize: 1, parallelUploads: 1 } }, retryOnFail: true, maxTries: 2, waitBetweenTries: 100 }],
	});
	expect(result.error).toBeUndefined();
	const json = result.output['X Media'][0].json;
	expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
	expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
	// Run 1 read it once and let it go when its upload failed; run 2 read it once.
	expect(readsPerFile()).toEqual([2]);
});
