/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a loopback HTTP server and n8n's HTTP client, runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The streamed APPEND body on n8n 1.x's request path. n8n 1.x (n8n-core 1.122, `httpRequest` →
 * `convertN8nRequestToAxios`) copies a body's headers only for its own `form-data` class: our
 * stream is handed to axios as it is, and with OAuth 1.0a the request's own headers are replaced
 * by the Authorization header. What the request then carries is axios's doing, so this sends the
 * body through axios (the version n8n 1.123 and 2.41 both ship) exactly so: no Content-Type from
 * the caller. Before the body presented itself as a form-data body, axios labelled it
 * `application/x-www-form-urlencoded` and X refused every such APPEND (issue 21). The end-to-end
 * smoke set on n8n 1.123.81 checks the same in the real application.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import axios from 'axios';

import { streamedSegmentBody } from '../../../../nodes/XMedia/upload/io/multipartBody';
import type { ReadableFrom } from '../../../../nodes/XMedia/upload/io/streams';
import { boundaryFromContentType, bufferSink, parseMultipart } from '../../../emulator/multipart';

const readableFrom: ReadableFrom = (iterable, options) => Readable.from(iterable, options);

interface Received {
	contentType: string | undefined;
	contentLength: string | undefined;
	fields: Record<string, Buffer>;
	filenames: Record<string, string | undefined>;
}

async function receive(req: IncomingMessage): Promise<Received> {
	const contentType = req.headers['content-type'];
	const boundary = boundaryFromContentType(contentType);
	const fields: Record<string, Buffer> = {};
	const filenames: Record<string, string | undefined> = {};
	if (boundary) {
		await parseMultipart(req, boundary, (part) => {
			filenames[part.name] = part.filename;
			return bufferSink(64 * 1024 * 1024, (data) => (fields[part.name] = data));
		});
	} else {
		req.resume();
		await new Promise((r) => req.on('end', r));
	}
	return { contentType, contentLength: req.headers['content-length'], fields, filenames };
}

describe('streamed APPEND body on n8n 1.x request path (axios, no caller Content-Type)', () => {
	let server: Server;
	let url: string;
	let received: Received[] = [];

	beforeAll(async () => {
		server = createServer((req, res) => {
			void receive(req).then((r) => {
				received.push(r);
				res.writeHead(204).end();
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2/media/upload/1/append`;
	});
	afterAll(async () => await new Promise((r) => server.close(r)));
	beforeEach(() => (received = []));

	it('arrives as multipart/form-data with its boundary, its length and the exact segment bytes', async () => {
		const segment = Buffer.alloc(3 * 1024 * 1024 + 17);
		for (let i = 0; i < segment.length; i++) segment[i] = (i * 31 + 7) & 0xff;
		const body = streamedSegmentBody(readableFrom, 5, segment);
		// What n8n 1.x hands axios for an OAuth 1.0a request: the body, and only the Authorization header.
		await axios({ method: 'POST', url, data: body, headers: { Authorization: 'OAuth oauth_consumer_key="k"' }, maxBodyLength: -1 });
		expect(received).toHaveLength(1);
		const [r] = received;
		expect(r.contentType).toMatch(/^multipart\/form-data; boundary=x-media-[0-9a-f]+$/);
		const expectedLength = (body as unknown as { getLengthSync: () => number }).getLengthSync();
		expect(r.contentLength).toBe(String(expectedLength));
		expect(r.fields.segment_index?.toString()).toBe('5');
		expect(r.filenames.media).toBe('segment');
		expect(r.fields.media?.equals(segment)).toBe(true);
	});

	it('keeps a Content-Type the caller set (n8n 2.x copies the body headers itself)', async () => {
		const segment = Buffer.from('0123456789');
		const body = streamedSegmentBody(readableFrom, 0, segment);
		const headers = (body as unknown as { getHeaders: () => Record<string, string> }).getHeaders();
		await axios({ method: 'POST', url, data: body, headers: { ...headers, Authorization: 'Bearer t' } });
		expect(received[0].contentType).toBe(headers['content-type']);
		expect(received[0].fields.media?.toString()).toBe('0123456789');
	});
});
