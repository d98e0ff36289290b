/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading files and making n8n's stream class */
/**
 * n8n's database binary mode: `getBinaryStream(id, chunkSize)` reads the WHOLE file from the
 * database at each call and yields it as one piece. A source that got the file whole keeps that
 * piece for the following opens of the same upload (sniffing head → inspection → upload) and lets
 * it go when the upload ends. Streams in pieces (S3, filesystem) are handed on and nothing is kept.
 *
 * The storage here is n8n's own stream class (`Readable.from` over one buffer, as the database mode
 * makes it); each `getBinaryStream` call is one read of the storage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { IExecuteFunctions } from 'n8n-workflow';

import { READ_PIECE_BYTES } from '../../../../nodes/XMedia/upload/appendPipeline';
import { keepWholeFileOnlyForFirst } from '../../../../nodes/XMedia/upload/batch';
import { prepareUpload } from '../../../../nodes/XMedia/upload/preflight';
import type { UploadSettings } from '../../../../nodes/XMedia/upload/types';
import { makeMoov, makePng } from '../../../fixtures/media';

const media = (name: string) => readFileSync(join(__dirname, '../../../media/files', name));

type Storage = 'database' | 's3' | 'pieces';

/** The part of n8n's execute context the binary source and prepareUpload use, over in-memory files. */
function storageContext(files: Record<string, { bytes: Buffer; mimeType: string; fileName: string }>, storage: Storage) {
	const reads: string[] = [];
	const prefix = storage === 's3' ? 's3' : storage === 'database' ? 'database' : 'other';
	const binary = Object.fromEntries(
		Object.entries(files).map(([name, f]) => [name, { id: `${prefix}:${name}`, bytes: f.bytes.length, mimeType: f.mimeType, fileName: f.fileName, data: '' }]),
	);
	const byId = (id: string) => files[id.slice(id.indexOf(':') + 1)].bytes;
	const ctx = {
		getNode: () => ({ name: 'X Media', type: 'n8n-nodes-x-media.xMedia', typeVersion: 1, parameters: {}, id: 'x', position: [0, 0] }),
		getInputData: () => [{ json: {}, binary }],
		helpers: {
			assertBinaryData: (_i: number, name: string) => binary[name],
			getBinaryMetadata: async (id: string) => ({ fileSize: byId(id).length }),
			getBinaryDataBuffer: async () => {
				throw new Error('not used: every file here has an id');
			},
			getBinaryStream: async (id: string, chunkSize: number) => {
				reads.push(id);
				const bytes = Buffer.from(byId(id)); // a fresh decode, as the database mode makes at each read
				if (storage === 'database') return Readable.from(bytes);
				const pieces: Buffer[] = [];
				for (let at = 0; at < bytes.length; at += chunkSize) pieces.push(bytes.subarray(at, at + chunkSize));
				return Readable.from(pieces);
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, reads };
}

const settings: UploadSettings = {
	category: 'auto',
	method: 'auto',
	waitForProcessing: true,
	processingTimeoutSecs: 60,
	additionalOwners: [],
	chunkSizeMiB: 1,
};

function moovLastMp4(payload: number): Buffer {
	const ftyp = media('h264-aac-moov-last.mp4').subarray(0, 32);
	const mdat = Buffer.alloc(8 + payload, 0x5a);
	mdat.writeUInt32BE(8 + payload, 0);
	mdat.write('mdat', 4, 'latin1');
	return Buffer.concat([ftyp, mdat, makeMoov({ durationMs: 42000 }, 40)]);
}

function pngOf(bytes: number): Buffer {
	return makePng(4, 4, { sizeBytes: bytes });
}

/** What the chunked upload does with its stream: reads every piece to the end. */
async function streamAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const pieces: Buffer[] = [];
	for await (const piece of stream) pieces.push(Buffer.from(piece));
	return Buffer.concat(pieces);
}

describe('database binary mode: the storage is read once per upload', () => {
	test('a moov-last MP4, chunked: head, inspection and upload from one read (was 3)', async () => {
		const mp4 = moovLastMp4(3 * 1024 * 1024);
		const { ctx, reads } = storageContext({ data: { bytes: mp4, mimeType: 'video/mp4', fileName: 'clip.mp4' } }, 'database');
		const prepared = await prepareUpload(ctx, 0, 'data', settings);
		expect(prepared.plan.method).toBe('chunked');
		expect(prepared.mediaInfo).toMatchObject({ duration_ms: 42000, width: 640 });
		const sent = await streamAll(await prepared.source.open(READ_PIECE_BYTES));
		prepared.source.release();
		expect(sent.equals(mp4)).toBe(true);
		expect(reads).toEqual(['database:data']);
		expect(prepared.source.storageReads).toBe(1);
		// Released: a further open reads the storage again (nothing is held after the upload).
		await streamAll(await prepared.source.open(READ_PIECE_BYTES));
		expect(reads).toHaveLength(2);
	});

	test('a PNG, simple upload: head, completeness check and readAll from one read (was 3)', async () => {
		const png = pngOf(300 * 1024);
		const { ctx, reads } = storageContext({ data: { bytes: png, mimeType: 'image/png', fileName: 'a.png' } }, 'database');
		const prepared = await prepareUpload(ctx, 0, 'data', settings);
		expect(prepared.plan.method).toBe('simple');
		const bytes = await prepared.source.readAll();
		prepared.source.release();
		expect(bytes.equals(png)).toBe(true);
		expect(reads).toEqual(['database:data']);
	});

	test('Create Post with two files: the first goes from its one read, the second is read again at its upload (3, was 6)', async () => {
		const a = pngOf(200 * 1024);
		const b = pngOf(250 * 1024);
		const { ctx, reads } = storageContext(
			{ a: { bytes: a, mimeType: 'image/png', fileName: 'a.png' }, b: { bytes: b, mimeType: 'image/png', fileName: 'b.png' } },
			'database',
		);
		const prepared = [await prepareUpload(ctx, 0, 'a', settings), await prepareUpload(ctx, 0, 'b', settings)];
		expect(reads).toEqual(['database:a', 'database:b']);
		keepWholeFileOnlyForFirst(prepared);
		const sentA = await prepared[0].source.readAll();
		prepared[0].source.release();
		const sentB = await prepared[1].source.readAll();
		prepared[1].source.release();
		expect(sentA.equals(a)).toBe(true);
		expect(sentB.equals(b)).toBe(true);
		expect(reads).toEqual(['database:a', 'database:b', 'database:b']);
	});

	test('a failed prepare lets the whole file go', async () => {
		const { ctx, reads } = storageContext({ data: { bytes: Buffer.from('not a media file at all'), mimeType: 'text/plain', fileName: 'x.txt' } }, 'database');
		await expect(prepareUpload(ctx, 0, 'data', settings)).rejects.toThrow();
		expect(reads).toHaveLength(1);
	});

	test.each<Storage>(['s3', 'pieces'])('a stream in pieces (%s) is read at every open, nothing kept, same bytes', async (storage) => {
		const mp4 = moovLastMp4(1024 * 1024);
		const { ctx, reads } = storageContext({ data: { bytes: mp4, mimeType: 'video/mp4', fileName: 'clip.mp4' } }, storage);
		const prepared = await prepareUpload(ctx, 0, 'data', settings);
		const sent = await streamAll(await prepared.source.open(READ_PIECE_BYTES));
		prepared.source.release();
		expect(sent.equals(mp4)).toBe(true);
		expect(reads).toHaveLength(3);
	});

	test('the stream kept for later opens is of n8n stream class (the upload streams its request bodies with it)', async () => {
		const mp4 = moovLastMp4(512 * 1024);
		const { ctx } = storageContext({ data: { bytes: mp4, mimeType: 'video/mp4', fileName: 'clip.mp4' } }, 'database');
		const prepared = await prepareUpload(ctx, 0, 'data', settings);
		const stream = await prepared.source.open(READ_PIECE_BYTES);
		expect(stream).toBeInstanceOf(Readable);
		const pieces: number[] = [];
		for await (const piece of stream) pieces.push(piece.length);
		expect(pieces).toEqual([mp4.length]);
		prepared.source.release();
	});
});
