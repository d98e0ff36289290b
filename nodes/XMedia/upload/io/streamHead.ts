/**
 * The first bytes of a binary stream, for type sniffing before any request.
 *
 * n8n's binary streams yield pieces of any size (filesystem mode its chunk size, database mode
 * the whole file as one piece, S3 its part sizes); only the head is copied, never the piece.
 * The upload engine reads segments itself (upload/appendPipeline.ts).
 *
 * Pure: no n8n runtime, no Node built-in imports (`Buffer` is a global).
 */

/** A piece of a binary stream as a Buffer (no copy); anything but bytes is refused. */
export function pieceToBuffer(piece: unknown): Buffer {
	if (Buffer.isBuffer(piece)) return piece;
	if (piece instanceof Uint8Array) return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
	throw new TypeError(
		`The binary data stream yielded ${typeof piece === 'string' ? 'text' : typeof piece} instead of bytes`,
	);
}

/**
 * Reads the first `bytes` bytes of `source` (fewer when it is shorter) into a new Buffer,
 * copying only those bytes. Stops reading there: a Node stream is destroyed by the early exit,
 * so open a new stream for the upload itself.
 */
export async function readHead(source: AsyncIterable<Uint8Array>, bytes: number): Promise<Buffer> {
	const parts: Buffer[] = [];
	let total = 0;
	if (!(bytes > 0)) return Buffer.alloc(0);
	for await (const raw of source) {
		const piece = pieceToBuffer(raw);
		const take = Math.min(piece.length, bytes - total);
		if (take > 0) {
			parts.push(piece.subarray(0, take));
			total += take;
		}
		if (total >= bytes) break;
	}
	return Buffer.concat(parts, total);
}
