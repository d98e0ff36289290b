import type { PositionalReader, ReadableFrom } from './streams';

/**
 * The file one upload reads, wherever it is: n8n's binary data (binarySource.ts) or a URL
 * (urlSource.ts). The pre-flight, the inspection and the APPEND pipeline read it through this shape.
 */
export interface MediaSource {
	/** The input binary field (Upload's `binary_property`); empty for a URL. */
	propertyName: string;
	fileName: string | undefined;
	declaredMimeType: string | undefined;
	size: number;
	/** The file's id in n8n's binary storage; undefined for an inline (base64) binary and for a URL. */
	binaryDataId: string | undefined;
	/** A URL source: the URL as outputs show it (`source_url`: the query replaced by `?…`). */
	sourceUrl?: string;
	/**
	 * What identifies these bytes for continuing an X upload session on Retry On Fail
	 * (uploadSessions.ts): the binary data's id, or for a URL its host, path, size and validator.
	 */
	resumeId?: string;
	/**
	 * Reads at any position without a stream (a URL whose server takes byte ranges): the inspection
	 * reads only what the readers ask for, the upload reads each segment where it is.
	 */
	positional?: PositionalReader;
	/** `Readable.from`, for the upload's streamed request bodies, when the source knows it. */
	readableFrom?: ReadableFrom;
	/**
	 * Set when the file cannot be inspected before the upload (a URL whose server takes no ranges):
	 * the readers are fed while the upload reads, and X's rules are checked before FINALIZE.
	 */
	inspectWhileUploading?: boolean;
	/** Refuses a head that cannot be the file at all (a web page where media was expected). */
	checkHead?(head: Buffer): void;
	/** Opens a fresh stream of the whole file; pieces of about `pieceBytes` where the storage allows. */
	open(pieceBytes: number): Promise<AsyncIterable<Uint8Array>>;
	/** Reads the whole file (small files only: the one-request upload). */
	readAll(): Promise<Buffer>;
	/**
	 * Drops what this source keeps (a whole file held from database mode, an open connection); a
	 * later read opens the file again. Called when the upload of this file ends, and for files
	 * prepared but uploaded after others.
	 */
	release(): void;
	/** How many times the file's storage (or URL) was asked for the file (streams, buffers, requests). */
	readonly storageReads: number;
}
