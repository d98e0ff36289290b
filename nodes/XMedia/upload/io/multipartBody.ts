import type { BinaryStream, ReadableFrom } from './streams';

/**
 * One APPEND's multipart/form-data body (`segment_index`, then the `media` file part), streamed
 * from the segment itself: no copy of the segment, no re-reading in small pieces. Built anew for
 * every try: a stream can be sent once.
 *
 * It carries its own `Content-Type` (with the boundary) and `Content-Length`, and presents itself
 * the way a body of the `form-data` package does (`getHeaders()`, `getLength()`, `append()`, and
 * `toString()` giving `[object FormData]`), so that both of n8n's request paths send those headers,
 * whatever the credential (OAuth 1.0a signing replaces the request's own headers):
 * - n8n 2.x recognises a form-data body by `getHeaders` + `append` and copies its headers;
 * - n8n 1.x only copies them for its own `form-data` class, and hands any other body to its HTTP
 *   client as it is; the client (axios) then sets the headers of a form-data body itself, and it
 *   recognises one by `append` and that `toString()`. Without them, n8n 1.x sent every streamed
 *   APPEND as `application/x-www-form-urlencoded` and X refused it (README, "n8n versions").
 */
export function streamedSegmentBody(readableFrom: ReadableFrom, segmentIndex: number, segment: Buffer): BinaryStream {
	const boundary = `x-media-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	const head = Buffer.from(
		`--${boundary}\r\n` +
			'Content-Disposition: form-data; name="segment_index"\r\n\r\n' +
			`${segmentIndex}\r\n` +
			`--${boundary}\r\n` +
			'Content-Disposition: form-data; name="media"; filename="segment"\r\n' +
			'Content-Type: application/octet-stream\r\n\r\n',
		'latin1',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
	const length = head.length + segment.length + tail.length;
	const body = readableFrom([head, segment, tail], { objectMode: false });
	Object.assign(body, {
		getHeaders: () => ({
			'content-type': `multipart/form-data; boundary=${boundary}`,
			'content-length': String(length),
		}),
		getLength: (callback: (error: Error | null, length: number) => void) => callback(null, length),
		getLengthSync: () => length,
		append: () => {
			throw new Error('A streamed segment body cannot take more fields');
		},
		toString: () => '[object FormData]',
	});
	return body;
}

/**
 * One APPEND's body: streamed from the segment when the stream module is at hand, else a FormData
 * (Blob) of the segment.
 */
export function segmentBody(readableFrom: ReadableFrom | undefined, segmentIndex: number, segment: Buffer): BinaryStream | FormData {
	if (readableFrom) return streamedSegmentBody(readableFrom, segmentIndex, segment);
	const form = new FormData();
	form.append('segment_index', String(segmentIndex));
	form.append('media', new Blob([segment]), 'segment');
	return form;
}
