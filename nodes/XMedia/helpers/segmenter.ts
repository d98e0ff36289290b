/**
 * Re-cut a binary stream into the exact segments of a chunked upload.
 *
 * n8n's binary streams yield pieces of any size: filesystem mode yields `chunkSize` pieces,
 * database mode yields the WHOLE file as one piece, S3 its own part sizes. X wants segments of
 * one fixed size (the last one shorter), so the uploader re-cuts whatever arrives.
 *
 * Copying policy (memory matters: files can be hundreds of MB):
 * - A segment that lies inside one piece is a `subarray` view of it: no copy. This includes a
 *   piece that is exactly one segment (it passes through), and every segment of a huge
 *   database-mode piece. Views keep their piece alive while the caller holds them, but the
 *   generator itself holds that piece until it has cut all of it, so views add no memory; a
 *   copy per segment would add `parallel uploads × chunk size` on top of the piece.
 * - A segment that spans pieces is assembled with one copy of its own bytes (`Buffer.concat`),
 *   so it does not pin the pieces it came from.
 * - The tail of a piece bigger than a segment, carried over until the next piece completes the
 *   segment, is copied (at most one segment's bytes), so a huge piece is not pinned while the
 *   next one is read.
 * Pieces must not be modified by the source after being yielded (Node streams never do).
 *
 * Pure: no n8n runtime, no Node built-in imports (`Buffer` is a global).
 */
import { MediaInputError } from './errors';
import { formatBytes } from './limits';

function toBuffer(piece: unknown): Buffer {
	if (Buffer.isBuffer(piece)) return piece;
	if (piece instanceof Uint8Array) return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
	throw new TypeError(
		`The binary data stream yielded ${typeof piece === 'string' ? 'text' : typeof piece} instead of bytes`,
	);
}

function assertChunkBytes(chunkBytes: number): void {
	if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
		throw new RangeError(`Invalid segment size ${String(chunkBytes)}: must be a whole number of bytes above 0`);
	}
}

/**
 * Passes the pieces of `source` through and checks that they add up to `expectedBytes`:
 * throws a MediaInputError as soon as more bytes arrive (before they are passed on) or, at
 * the end, when fewer did.
 */
export async function* expectSize(
	source: AsyncIterable<Uint8Array>,
	expectedBytes: number,
): AsyncGenerator<Buffer, void, undefined> {
	let seen = 0;
	for await (const raw of source) {
		const piece = toBuffer(raw);
		seen += piece.length;
		if (seen > expectedBytes) {
			throw new MediaInputError(
				`The file changed while it was being uploaded: it has more than the ${formatBytes(expectedBytes)} bytes it had when the upload started`,
				'The binary data was modified or replaced during the upload, or its stored size is wrong. Run the workflow again; if this keeps happening, check the node that produced the binary data.',
			);
		}
		yield piece;
	}
	if (seen !== expectedBytes) {
		throw new MediaInputError(
			`The file changed while it was being uploaded: it ended after ${formatBytes(seen)} of the ${formatBytes(expectedBytes)} bytes expected`,
			'The binary data was truncated, modified or replaced during the upload, or its stored size is wrong. Run the workflow again; if this keeps happening, check the node that produced the binary data.',
		);
	}
}

/**
 * Cuts `source` into segments of exactly `chunkBytes` bytes (the last one shorter).
 * With `expectedBytes`, also checks the stream's total (see `expectSize`), so the segments
 * match `segmentRanges(expectedBytes, chunkBytes)` or a MediaInputError is thrown.
 * Empty pieces are skipped; an empty stream yields no segment.
 */
export async function* cutSegments(
	source: AsyncIterable<Uint8Array>,
	chunkBytes: number,
	expectedBytes?: number,
): AsyncGenerator<Buffer, void, undefined> {
	assertChunkBytes(chunkBytes);
	const input: AsyncIterable<Uint8Array> =
		expectedBytes === undefined ? source : expectSize(source, expectedBytes);
	let pending: Buffer[] = [];
	let pendingBytes = 0;

	for await (const raw of input) {
		const piece = toBuffer(raw);
		if (piece.length === 0) continue;
		let offset = 0;

		if (pendingBytes > 0) {
			offset = Math.min(chunkBytes - pendingBytes, piece.length);
			pending.push(piece.subarray(0, offset));
			pendingBytes += offset;
			if (pendingBytes < chunkBytes) continue; // the whole piece went into `pending`
			const segment = Buffer.concat(pending, pendingBytes);
			pending = [];
			pendingBytes = 0;
			yield segment;
		}

		while (piece.length - offset >= chunkBytes) {
			yield piece.subarray(offset, offset + chunkBytes);
			offset += chunkBytes;
		}

		if (offset < piece.length) {
			const rest = piece.subarray(offset);
			pending.push(piece.length > chunkBytes ? Buffer.from(rest) : rest);
			pendingBytes = rest.length;
		}
	}

	if (pendingBytes > 0) yield pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
}

/**
 * Reads the first `bytes` bytes of `source` (fewer when it is shorter) into a new Buffer,
 * copying only those bytes. Stops reading there: a Node stream is destroyed by the early exit,
 * so open a new stream for the upload itself (or use `peekHead`).
 */
export async function readHead(source: AsyncIterable<Uint8Array>, bytes: number): Promise<Buffer> {
	const parts: Buffer[] = [];
	let total = 0;
	if (!(bytes > 0)) return Buffer.alloc(0);
	for await (const raw of source) {
		const piece = toBuffer(raw);
		const take = Math.min(piece.length, bytes - total);
		if (take > 0) {
			parts.push(piece.subarray(0, take));
			total += take;
		}
		if (total >= bytes) break;
	}
	return Buffer.concat(parts, total);
}

/** The last `bytes` bytes of a stream (reads it to the end, holding at most about `bytes` plus a piece). */
export async function readTail(source: AsyncIterable<Uint8Array>, bytes: number): Promise<Buffer> {
	let tail = Buffer.alloc(0);
	if (!(bytes > 0)) return tail;
	for await (const raw of source) {
		const piece = toBuffer(raw);
		if (piece.length >= bytes) {
			tail = Buffer.from(piece.subarray(piece.length - bytes));
			continue;
		}
		const joined = Buffer.concat([tail, piece]);
		tail = joined.length > bytes ? Buffer.from(joined.subarray(joined.length - bytes)) : joined;
	}
	return tail;
}

export interface PeekedStream {
	/** Copy of the first bytes (at most the requested number). */
	head: Buffer;
	/** The whole stream again, from its first byte: the pieces read for `head`, then the rest. */
	rest: AsyncGenerator<Buffer, void, undefined>;
	/** Releases the source when `rest` will not be read to its end (safe to call anytime). */
	close(): Promise<void>;
}

/**
 * Reads the first `bytes` bytes of `source` without losing them: `rest` replays the whole
 * stream. Lets the caller sniff the type and then upload from the same stream (in n8n's
 * database mode, opening a stream reads the whole file from the database each time).
 */
export async function peekHead(source: AsyncIterable<Uint8Array>, bytes: number): Promise<PeekedStream> {
	const iterator = source[Symbol.asyncIterator]();
	const buffered: Buffer[] = [];
	let total = 0;
	let finished = false;

	const release = async (): Promise<void> => {
		if (finished) return;
		finished = true;
		if (typeof iterator.return === 'function') await iterator.return();
	};

	let headRead = false;
	try {
		while (total < bytes) {
			const next = await iterator.next();
			if (next.done) {
				finished = true;
				break;
			}
			const piece = toBuffer(next.value);
			buffered.push(piece);
			total += piece.length;
		}
		headRead = true;
	} finally {
		// On a failure the error propagates as it is; just release the source.
		if (!headRead) await release().catch(() => undefined);
	}

	const headLength = Math.min(Math.max(0, bytes), total);
	const headParts: Buffer[] = [];
	let collected = 0;
	for (const piece of buffered) {
		if (collected >= headLength) break;
		const take = Math.min(piece.length, headLength - collected);
		headParts.push(piece.subarray(0, take));
		collected += take;
	}
	const head = Buffer.concat(headParts, headLength);

	async function* replay(): AsyncGenerator<Buffer, void, undefined> {
		try {
			while (buffered.length > 0) yield buffered.shift() as Buffer;
			while (!finished) {
				const next = await iterator.next();
				if (next.done) {
					finished = true;
					break;
				}
				yield toBuffer(next.value);
			}
		} finally {
			await release();
		}
	}

	return {
		head,
		rest: replay(),
		close: async () => {
			buffered.length = 0;
			await release();
		},
	};
}
