import { makeGif, makeJpeg, makeMov, makeMp4, makeMp4Header, makePng, makeWebm } from './fixtures';

describe('fixtures pad to the exact size asked', () => {
	test.each([100, 1000, 4096, 70_000, 5 * 1024 * 1024 + 1])('PNG %p bytes', (n) => {
		expect(makePng(2, 2, { sizeBytes: n }).length).toBe(n);
	});

	test('GIF: every size from the minimum up (except base+1, +2, +4)', () => {
		const base = makeGif({ frames: 2 }).length;
		for (let n = base; n < base + 1100; n++) {
			if ([1, 2, 4].includes(n - base)) {
				expect(() => makeGif({ frames: 2, sizeBytes: n })).toThrow(RangeError);
				continue;
			}
			expect(makeGif({ frames: 2, sizeBytes: n }).length).toBe(n);
		}
		expect(makeGif({ frames: 3, sizeBytes: 16 * 1024 * 1024 }).length).toBe(16 * 1024 * 1024);
	});

	test.each([159, 163, 1000, 65_600, 200_000, 6 * 1024 * 1024])('JPEG %p bytes', (n) => {
		const jpeg = makeJpeg(n);
		expect(jpeg.length).toBe(n);
		expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
	});

	test('MP4 / MOV / WebM', () => {
		expect(makeMp4(5000).length).toBe(5000);
		expect(makeMov(5000).length).toBe(5000);
		expect(makeMov(5000, 'moov').length).toBe(5000);
		expect(makeWebm('webm', 3000).length).toBe(3000);
		const header = makeMp4Header(5 * 1024 ** 3);
		expect(header.readUInt32BE(header.length - 16)).toBe(1); // 64-bit mdat size
		expect(Number(header.readBigUInt64BE(header.length - 8)) + header.length - 16).toBe(5 * 1024 ** 3);
	});
});

describe('fixture internals agree with Node', () => {
	test('crc32 and the stored zlib stream of PNGs', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
		const zlib = await import('node:zlib');
		const { crc32 } = await import('./fixtures');
		const data = Buffer.from('IHDR and some bytes');
		expect(crc32(data)).toBe(zlib.crc32(data));
		// Inflate the IDAT of a PNG larger than one stored block (65535 bytes).
		const png = makePng(200, 120);
		let pos = 8;
		const idat: Buffer[] = [];
		while (pos < png.length) {
			const length = png.readUInt32BE(pos);
			const type = png.toString('latin1', pos + 4, pos + 8);
			expect(crc32(png.subarray(pos + 4, pos + 8 + length))).toBe(png.readUInt32BE(pos + 8 + length));
			if (type === 'IDAT') idat.push(png.subarray(pos + 8, pos + 8 + length));
			pos += 12 + length;
		}
		expect(zlib.inflateSync(Buffer.concat(idat)).length).toBe(120 * (1 + 200 * 3));
	});
});
