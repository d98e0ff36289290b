import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MediaSource } from './source';
import type { BinaryStream, ReadableFrom } from './streams';
import { closeSource, findPositionalReader, findReadableFrom } from './streams';

/**
 * A file from n8n's binary storage, opened lazily: streamed when it has an id (filesystem, S3,
 * database modes), decoded from base64 only when an upstream node left it inline.
 */
export type BinarySource = MediaSource;

export async function openBinarySource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<BinarySource> {
	const item = ctx.getInputData()[itemIndex];
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	} catch {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(
			ctx.getNode(),
			`The input item has no binary property "${propertyName}"`,
			{
				itemIndex,
				description: available.length
					? `Binary properties of this item: ${available.map((n) => `"${n}"`).join(', ')}. Put one of them in "Input Binary Field".`
					: 'This item carries no file at all. Connect a node that outputs a file (HTTP Request with "File" response, Read/Write Files from Disk, Google Drive download, …) and name its binary property in "Input Binary Field".',
			},
		);
	}
	const id = binary.id;
	let size: number | undefined;
	if (id) {
		size = typeof binary.bytes === 'number' ? binary.bytes : undefined;
		if (size === undefined) size = (await ctx.helpers.getBinaryMetadata(id)).fileSize;
	} else {
		size = Buffer.byteLength(binary.data ?? '', 'base64');
	}
	// n8n's database binary mode (and an inline binary) hands out the whole file as ONE piece, read
	// from the database and decoded anew at each open. The first open that yields the file whole
	// keeps that piece, and the following opens of the same upload (sniffing head → inspection →
	// upload) are served from it, until `release()`. Streams that read a file handle (filesystem
	// mode) and streams in pieces (S3) are handed out as n8n made them, and nothing is kept.
	let whole: Buffer | undefined;
	let piecewise = false;
	let storageReads = 0;
	let readableFrom: ReadableFrom | undefined;
	const fromWhole = (piece: Buffer): AsyncIterable<Uint8Array> => {
		if (readableFrom) return readableFrom([piece], { objectMode: true }) as AsyncIterable<Uint8Array>;
		return (async function* () {
			yield piece;
		})();
	};
	return {
		propertyName,
		fileName: binary.fileName,
		declaredMimeType: binary.mimeType,
		size,
		binaryDataId: id,
		resumeId: id,
		get storageReads() {
			return storageReads;
		},
		async open(pieceBytes: number) {
			if (whole) return fromWhole(whole);
			storageReads++;
			if (!id) {
				whole = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
				return fromWhole(whole);
			}
			const stream = await ctx.helpers.getBinaryStream(id, pieceBytes);
			if (piecewise || id.startsWith('s3:') || findPositionalReader(stream)) return stream;
			return keepingWholePiece(stream, size, (piece) => {
				if (piece) whole = piece;
				else piecewise = true;
			});
		},
		async readAll() {
			if (whole) return whole;
			storageReads++;
			if (!id) return await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
			const pieces: Buffer[] = [];
			for await (const piece of await ctx.helpers.getBinaryStream(id, 1024 * 1024)) {
				pieces.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array));
			}
			return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
		},
		release() {
			whole = undefined;
		},
	};

	/**
	 * The stream n8n gave, piece for piece; tells `seen` its first piece when that is the whole file
	 * (or undefined when it is not). A `Readable` made by the stream's own class where it has one
	 * (the upload streams its request bodies with it), and stoppable by `closeSource`.
	 */
	function keepingWholePiece(stream: BinaryStream, bytes: number, seen: (piece: Buffer | undefined) => void): AsyncIterable<Uint8Array> {
		readableFrom ??= findReadableFrom(stream);
		const pieces = (async function* () {
			let first = true;
			try {
				for await (const raw of stream as AsyncIterable<Uint8Array>) {
					const piece = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
					if (first) seen(piece.length === bytes ? piece : undefined);
					first = false;
					yield piece;
				}
			} finally {
				closeSource(stream);
			}
		})();
		if (!readableFrom) return pieces;
		// One piece read ahead at most, as a plain stream would.
		const readable = readableFrom(pieces as unknown as Iterable<Buffer>, { objectMode: true, highWaterMark: 1 });
		return readable as AsyncIterable<Uint8Array>;
	}
}
