import type { BinaryStream, ReadableFrom } from './streams';

/**
 * One APPEND's multipart/form-data body (`segment_index`, then the `media` file part), streamed
 * from the segment itself: no copy of the segment, no re-reading in small pieces. It carries its
 * own `Content-Type` (with the boundary) and `Content-Length` the way n8n's request helper takes them
 * from a form-data body (`getHeaders()`), so they survive OAuth 1.0a signing, which replaces the
 * request's headers. Built anew for every try: a stream can be sent once.
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
