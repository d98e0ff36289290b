/**
 * A file at an http(s) URL, read without storing it in n8n (README, "Media from a URL"): the one
 * place that knows URL sources, as binarySource.ts is for n8n's binary data.
 *
 * - The first GET asks for `bytes=0-`: its answer gives the size (X needs `total_bytes` before the
 *   first APPEND), the validator (ETag, Last-Modified) and whether the server takes ranges. No
 *   size, no upload: the file is refused before any request to X.
 * - With ranges, the source reads at any position (`positional`): one connection reads forward
 *   (the head, box headers, then the segments in order), a jump (a `moov` at the end, a segment
 *   X already holds) is a new range request. Each read fills the caller's buffer (the segment
 *   pool's): nothing is kept but the unread rest of one network piece.
 * - Without ranges, the file is read as one stream (`open`), and the upload checks X's rules while
 *   it reads (`inspectWhileUploading`).
 * - A connection that drops, stalls (no byte for the timeout) or answers 5xx/429 is opened again
 *   from the first byte not yet read (a range request; without ranges, a new GET read past what was
 *   read), within the transport's retry policy. An answer for another size, start or validator is
 *   a file that changed: the read fails, nothing is finalized.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { MediaInputError } from '../../helpers/errors';
import type { MediaUrl } from '../../helpers/mediaUrl';
import { fileNameFor, hostAndPath, isHtmlType, looksLikeHtml, parseContentLength, parseContentRange, urlResumeId } from '../../helpers/mediaUrl';
import type { MediaSource } from './source';
import { findReadableFrom } from './streams';
import { UrlCursor } from './urlCursor';

/** Default bound on the wait for a URL's server: for its answer, and for each next piece of the body. */
export const DEFAULT_URL_TIMEOUT_SECS = 30;

/** Opens the URL (the first GET, no request to X) and returns the file as a source. */
export async function openUrlSource(ctx: IExecuteFunctions, target: MediaUrl, timeoutSecs = DEFAULT_URL_TIMEOUT_SECS): Promise<MediaSource> {
	const cursor = new UrlCursor(ctx, target.url, timeoutSecs * 1000);
	const first = await cursor.first();
	const { headers } = first;
	const where = hostAndPath(first.url);
	if (isHtmlType(headers['content-type'])) {
		cursor.close();
		throw webPageError(where);
	}
	const range = first.status === 206 ? parseContentRange(headers['content-range']) : undefined;
	const size = range ? range.total : first.status === 200 ? parseContentLength(headers['content-length']) : undefined;
	if (size === undefined || (range && range.first !== 0)) {
		cursor.close();
		throw new MediaInputError(
			`The server at ${where} does not say how large the file is (no Content-Length)`,
			'X needs the size of a file before its upload starts, so X Media refuses it before any request to X. Download the file with the HTTP Request node (Response Format: File) and use Binary File as the source, or serve it with a Content-Length header.',
		);
	}
	const ranges = first.status === 206 || /\bbytes\b/i.test(headers['accept-ranges'] ?? '');
	cursor.start(first, size, ranges, headers.etag, headers['last-modified']);
	const declared = headers['content-type']?.split(';')[0].trim().toLowerCase();
	let whole: Buffer | undefined;
	return {
		propertyName: '',
		fileName: fileNameFor(first.url, headers['content-disposition']),
		declaredMimeType: declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream' ? declared : undefined,
		size,
		binaryDataId: undefined,
		sourceUrl: target.display,
		resumeId: urlResumeId(first.url, size, headers.etag, headers['last-modified']),
		positional: ranges ? cursor : undefined,
		readableFrom: findReadableFrom(first.body),
		inspectWhileUploading: !ranges,
		checkHead(head: Buffer) {
			if (looksLikeHtml(head)) throw webPageError(where);
		},
		get storageReads() {
			return cursor.requests;
		},
		async open() {
			if (whole) return wholeStream(whole);
			return cursor.stream();
		},
		async readAll() {
			if (whole) return whole;
			const bytes = Buffer.alloc(size);
			const { bytesRead } = await cursor.read(bytes, 0, size, 0);
			if (bytesRead !== size) throw cursor.shortError(bytesRead);
			whole = bytes;
			return bytes;
		},
		release() {
			whole = undefined;
			cursor.close();
		},
	};
}

function webPageError(where: string): MediaInputError {
	return new MediaInputError(
		`The URL points at a web page, not at the file: ${where} answered with an HTML page`,
		'Use the direct link to the file itself (a share page of a cloud drive is a web page; its "download" link is the file).',
	);
}

function wholeStream(bytes: Buffer): AsyncIterable<Uint8Array> {
	return (async function* () {
		yield bytes;
	})();
}
