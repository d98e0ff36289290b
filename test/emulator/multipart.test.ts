import fc from 'fast-check';

import { base64DecodingSink, boundaryFromContentType, MultipartError, parseMultipart, type PartInfo } from './multipart';
import { sniffMedia } from './sniff';
import { buildMultipart, gif, mp4, png } from './testHelpers';

async function* chunked(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
	let at = 0;
	for (const c of [...cuts].sort((a, b) => a - b)) {
		if (c <= at || c >= buf.length) continue;
		yield buf.subarray(at, c);
		at = c;
	}
	yield buf.subarray(at);
}

async function parseAll(body: Buffer, boundary: string, cuts: number[] = []): Promise<Array<PartInfo & { data: Buffer }>> {
	const out: Array<PartInfo & { data: Buffer }> = [];
	await parseMultipart(chunked(body, cuts), boundary, (info) => {
		const entry = { ...info, data: Buffer.alloc(0) };
		out.push(entry);
		return {
			write(c) {
				entry.data = Buffer.concat([entry.data, c]);
			},
			end() {},
		};
	});
	return out;
}

describe('multipart parser', () => {
	it('reads the boundary from Content-Type (quoted or not)', () => {
		expect(boundaryFromContentType('multipart/form-data; boundary=abc')).toBe('abc');
		expect(boundaryFromContentType('multipart/form-data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
		expect(boundaryFromContentType('application/json')).toBeUndefined();
		expect(boundaryFromContentType('multipart/form-data')).toBeUndefined();
	});

	it('parses fields and files split at any byte position (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({ name: fc.stringMatching(/^[a-z_]{1,10}$/), data: fc.uint8Array({ maxLength: 300 }), file: fc.boolean() }), { minLength: 1, maxLength: 4 }),
				fc.array(fc.nat(), { maxLength: 12 }),
				async (parts, cutSeeds) => {
					const boundary = 'xEmuBoundary1234';
					const { body } = buildMultipart(
						parts.map((p) => ({ name: p.name, value: Buffer.from(p.data), filename: p.file ? 'f.bin' : undefined, contentType: p.file ? 'application/octet-stream' : undefined })),
						boundary,
					);
					const cuts = cutSeeds.map((s) => s % body.length);
					const parsed = await parseAll(body, boundary, cuts);
					expect(parsed.map((p) => p.name)).toEqual(parts.map((p) => p.name));
					parsed.forEach((p, i) => {
						expect(Buffer.compare(p.data, Buffer.from(parts[i].data))).toBe(0);
						expect(p.filename).toBe(parts[i].file ? 'f.bin' : undefined);
					});
				},
			),
			{ numRuns: 150 },
		);
	});

	it('keeps bytes that look almost like a delimiter', async () => {
		const tricky = Buffer.from('\r\n--xEmuBoundar\r\n-\r\n--x');
		const { body } = buildMultipart([{ name: 'media', value: tricky, filename: 'a' }], 'xEmuBoundary');
		const [p] = await parseAll(body, 'xEmuBoundary', [3, 70, 71, 72]);
		expect(p.data.equals(tricky)).toBe(true);
	});

	it('is strict: missing closing delimiter, LF-only lines, no Content-Disposition', async () => {
		await expect(parseAll(Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'), 'b')).rejects.toThrow(MultipartError);
		await expect(parseAll(Buffer.from('--b\nContent-Disposition: form-data; name="a"\n\nx\n--b--\n'), 'b')).rejects.toThrow(MultipartError);
		await expect(parseAll(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n'), 'b')).rejects.toThrow(/Content-Disposition/);
		await expect(parseAll(Buffer.from('--b\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--b--\r\n'), 'b')).rejects.toThrow(/form-data/);
	});

	it('accepts a preamble and an epilogue; filename* is decoded', async () => {
		const body = Buffer.from('preamble\r\n--b\r\nContent-Disposition: form-data; name="m"; filename*=UTF-8\'\'caf%C3%A9.png\r\n\r\nxyz\r\n--b--\r\nepilogue');
		const [p] = await parseAll(body, 'b');
		expect(p).toMatchObject({ name: 'm', filename: 'café.png' });
		expect(p.data.toString()).toBe('xyz');
	});

	it('decodes Content-Transfer-Encoding: base64 in any chunking', async () => {
		const raw = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
		const text = raw.toString('base64').replace(/(.{76})/g, '$1\r\n');
		const got: Buffer[] = [];
		const sink = base64DecodingSink({ write: (c) => void got.push(Buffer.from(c)), end: () => undefined });
		for (let i = 0; i < text.length; i += 7) await sink.write(Buffer.from(text.slice(i, i + 7)));
		await sink.end();
		expect(Buffer.concat(got).equals(raw)).toBe(true);
	});
});

describe('sniffer', () => {
	it('tells formats and dimensions from magic numbers', () => {
		expect(sniffMedia(png(10, 20))).toMatchObject({ mime: 'image/png', kind: 'image', width: 10, height: 20 });
		expect(sniffMedia(gif(30, 40))).toMatchObject({ mime: 'image/gif', width: 30, height: 40, animated: true });
		const still = Buffer.concat([gif(5, 5).subarray(0, 13), Buffer.from([0x2c, 0, 0, 0, 0, 5, 0, 5, 0, 0, 2, 1, 0, 0, 0x3b])]);
		expect(sniffMedia(still)).toMatchObject({ mime: 'image/gif', animated: false });
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80, 3, 0, 0, 0]);
		expect(sniffMedia(jpeg)).toMatchObject({ mime: 'image/jpeg', width: 640, height: 480 });
		expect(sniffMedia(mp4(100))).toMatchObject({ mime: 'video/mp4', kind: 'video' });
		const mov = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypqt  '), Buffer.alloc(8)]);
		expect(sniffMedia(mov)?.mime).toBe('video/quicktime');
		expect(sniffMedia(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d]))?.mime).toBe('video/webm');
		expect(sniffMedia(Buffer.from('WEBVTT\n\n00:01.000 --> 00:02.000\nhi'))?.mime).toBe('text/vtt');
		expect(sniffMedia(Buffer.from('\uFEFF1\r\n00:00:01,000 --> 00:00:02,000\r\nhi'))?.mime).toBe('text/srt');
		const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8X'), Buffer.alloc(8), Buffer.from([99, 0, 0, 49, 0, 0])]);
		expect(sniffMedia(webp)).toMatchObject({ mime: 'image/webp', width: 100, height: 50 });
		expect(sniffMedia(Buffer.from('hello world, not media'))).toBeUndefined();
	});

	it('reads duration and size from mvhd/tkhd', () => {
		const mvhd = Buffer.alloc(108);
		mvhd.writeUInt32BE(108, 0);
		mvhd.write('mvhd', 4, 'latin1');
		mvhd.writeUInt32BE(1000, 20); // timescale
		mvhd.writeUInt32BE(12500, 24); // duration
		const tkhd = Buffer.alloc(92);
		tkhd.writeUInt32BE(92, 0);
		tkhd.write('tkhd', 4, 'latin1');
		tkhd.writeUInt32BE(1920 * 65536, 84);
		tkhd.writeUInt32BE(1080 * 65536, 88);
		const file = Buffer.concat([mp4(24), mvhd, tkhd]);
		expect(sniffMedia(file)).toMatchObject({ mime: 'video/mp4', durationMs: 12500, width: 1920, height: 1080 });
	});
});
