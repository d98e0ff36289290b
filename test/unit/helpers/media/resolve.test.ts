import fc from 'fast-check';
import { hexPreview } from '../../../../nodes/XMedia/helpers/media/bytes';
import { identifyUnsupported } from '../../../../nodes/XMedia/helpers/media/identify';
import {
	SNIFF_HEAD_BYTES,
	describeMediaType,
	fileExtension,
	normalizeMimeType,
	resolveMediaType,
	sniffMediaType,
} from '../../../../nodes/XMedia/helpers/media/resolve';
import { looksLikeText } from '../../../../nodes/XMedia/helpers/media/text';
import { X_MEDIA_TYPES } from '../../../../nodes/XMedia/helpers/limits';
import { expectInputError } from '../../../harness/expectError';
import {
	isoBox,
	makeAnimatedWebpHeader,
	makeBmp,
	makeGif,
	makeIsoWithBrand,
	makeJpeg,
	makeMov,
	makeMp4,
	makeMp4Header,
	makePng,
	makeSrt,
	makeTiff,
	makeTs,
	makeVtt,
	makeWebm,
	makeWebp,
} from '../../../fixtures/media';

const head = (b: Buffer) => b.subarray(0, SNIFF_HEAD_BYTES);

describe('sniffMediaType: real file headers', () => {
	test.each([
		['JPEG', makeJpeg(), 'image/jpeg', 'image', false],
		['padded JPEG', makeJpeg(100_000), 'image/jpeg', 'image', false],
		['PNG', makePng(3, 2), 'image/png', 'image', false],
		['APNG (3 frames)', makePng(1, 1, { apngFrames: 3 }), 'image/png', 'image', true],
		['APNG with 1 frame', makePng(1, 1, { apngFrames: 1 }), 'image/png', 'image', false],
		['still GIF89a', makeGif(), 'image/gif', 'image', false],
		['still GIF87a', makeGif({ version: '87a' }), 'image/gif', 'image', false],
		['animated GIF (loop + 3 frames)', makeGif({ frames: 3, width: 4, height: 3 }), 'image/gif', 'gif', true],
		['animated GIF87a (2 frames, no extension)', makeGif({ frames: 2, version: '87a' }), 'image/gif', 'gif', true],
		['2 frames without loop extension', makeGif({ frames: 2, loop: false }), 'image/gif', 'gif', true],
		['1 frame with a loop extension (whole file seen)', makeGif({ frames: 1, loop: true }), 'image/gif', 'image', false],
		['WEBP', makeWebp(), 'image/webp', 'image', false],
		['animated WEBP header', makeAnimatedWebpHeader(), 'image/webp', 'image', true],
		['BMP', makeBmp(3, 2), 'image/bmp', 'image', false],
		['TIFF little-endian', makeTiff(3, 2), 'image/tiff', 'image', false],
		['TIFF big-endian', makeTiff(2, 2, true), 'image/tiff', 'image', false],
		['MP4 (isom)', makeMp4(4096), 'video/mp4', 'video', true],
		['MP4 (mp42)', makeMp4(512, 'mp42'), 'video/mp4', 'video', true],
		['M4V', makeMp4(512, 'M4V '), 'video/mp4', 'video', true],
		['3GP', makeMp4(512, '3gp4'), 'video/mp4', 'video', true],
		['MOV with ftyp qt', makeMov(1024), 'video/quicktime', 'video', true],
		['MOV starting with moov', makeMov(1024, 'moov'), 'video/quicktime', 'video', true],
		['MOV starting with mdat', makeMov(1024, 'mdat'), 'video/quicktime', 'video', true],
		['MOV starting with wide', makeMov(1024, 'wide'), 'video/quicktime', 'video', true],
		['MOV starting with free', makeMov(1024, 'free'), 'video/quicktime', 'video', true],
		['MOV starting with uuid (the boxes the reader takes first)', Buffer.concat([isoBox('uuid', Buffer.alloc(16)), makeMov(1024, 'moov')]), 'video/quicktime', 'video', true],
		['WebM', makeWebm(), 'video/webm', 'video', true],
		['MPEG-TS', makeTs(10), 'video/mp2t', 'video', true],
		['MPEG-TS, 3 packets', makeTs(3), 'video/mp2t', 'video', true],
		['SRT', makeSrt(), 'text/srt', 'subtitles', false],
		['SRT with BOM and CRLF', makeSrt({ bom: true, crlf: true }), 'text/srt', 'subtitles', false],
		['VTT', makeVtt(), 'text/vtt', 'subtitles', false],
		['VTT with BOM', makeVtt({ bom: true }), 'text/vtt', 'subtitles', false],
	])('%s', (_name, bytes, mimeType, kind, animated) => {
		expect(sniffMediaType(head(bytes))).toEqual({ mimeType, kind, animated });
	});

	test('an M4A is an MP4 file: the MP4 reader finds it has no picture (the rule refuses it, as an audio-only .mp4)', () => {
		expect(sniffMediaType(makeIsoWithBrand('M4A '))).toEqual({ mimeType: 'video/mp4', kind: 'video', animated: true });
	});

	test('HEIF and AVIF by brand: the major brand, or a generic HEIF brand with an AVIF compatible brand', () => {
		expect(identifyUnsupported(makeIsoWithBrand('msf1'))?.what).toBe('a HEIC/HEIF image');
		expect(identifyUnsupported(makeIsoWithBrand('heix'))?.what).toBe('a HEIC/HEIF image');
		expect(identifyUnsupported(makeIsoWithBrand('avis'))?.what).toBe('an AVIF image');
		// ftyp "mif1", compatible "avif": an AVIF written by a generic HEIF muxer.
		const mif1Avif = Buffer.from(makeIsoWithBrand('mif1'));
		mif1Avif.write('avif', 16, 'latin1');
		expect(identifyUnsupported(mif1Avif)?.what).toBe('an AVIF image');
	});

	test('a large MP4 header alone (mdat with 64-bit size) is enough', () => {
		expect(sniffMediaType(makeMp4Header(6 * 1024 ** 3))?.mimeType).toBe('video/mp4');
	});

	test.each([
		['HEIC', makeIsoWithBrand('heic')],
		['HEIF mif1', makeIsoWithBrand('mif1')],
		['AVIF', makeIsoWithBrand('avif')],
		['Matroska', makeWebm('matroska')],
		['empty', Buffer.alloc(0)],
		['one byte', Buffer.from([0xff])],
		['JPEG signature cut to 2 bytes', Buffer.from([0xff, 0xd8])],
		['MPEG-TS of 2 packets only', makeTs(2)],
		['TS sync bytes broken', Buffer.concat([makeTs(2), Buffer.alloc(188)])],
		['BMP magic without a DIB header', Buffer.from('BM hello world, this is text')],
		['plain text', Buffer.from('hello world\n')],
		['SRT with dots (not SRT timing)', Buffer.from('1\n00:00:01.000 --> 00:00:02.000\nx\n')],
		['WEBVTTX is not VTT', Buffer.from('WEBVTTX\n')],
		['"free" text is not a MOV', Buffer.from('\0\0\0\x10free software is great, really')],
		['PDF', Buffer.from('%PDF-1.7\n')],
	])('refuses %s', (_name, bytes) => {
		expect(sniffMediaType(bytes)).toBeUndefined();
	});

	test('GIF animation is found from the loop extension when the head ends before the 2nd frame', () => {
		const gif = makeGif({ frames: 2, sizeBytes: SNIFF_HEAD_BYTES + 10_000, padAt: 'start' });
		expect(gif.length).toBe(SNIFF_HEAD_BYTES + 10_000);
		expect(sniffMediaType(head(gif))).toEqual({ mimeType: 'image/gif', kind: 'gif', animated: true });
	});

	test('a GIF without loop extension whose 2nd frame is beyond the head counts as still', () => {
		const gif = makeGif({ frames: 2, loop: false, sizeBytes: SNIFF_HEAD_BYTES + 10_000, padAt: 'start' });
		expect(sniffMediaType(head(gif))?.kind).toBe('image');
		expect(sniffMediaType(gif)?.kind).toBe('gif'); // the whole file shows it
	});

	test('a graphic control extension is walked by its sub-block sizes, as decoders do', () => {
		// Header, then a GCE whose first sub-block is 6 bytes long (not 4) and hides a 0x2c byte.
		const gif = makeGif({ frames: 1, loop: false });
		const at = gif.indexOf(Buffer.from([0x21, 0xf9]));
		const odd = Buffer.concat([gif.subarray(0, at), Buffer.from([0x21, 0xf9, 6, 0, 10, 0, 0, 0x2c, 0x2c, 0]), gif.subarray(at + 8)]);
		expect(sniffMediaType(odd)).toEqual({ mimeType: 'image/gif', kind: 'image', animated: false });
	});

	test('the GIF walker handles padding after the frames and a truncated file', () => {
		const gif = makeGif({ frames: 3, loop: false, sizeBytes: 5000, padAt: 'end' });
		expect(sniffMediaType(gif)?.kind).toBe('gif');
		expect(sniffMediaType(gif.subarray(0, 20))).toEqual({ mimeType: 'image/gif', kind: 'image', animated: false });
	});

	test('sniffing a Buffer view in the middle of a larger ArrayBuffer', () => {
		const big = Buffer.concat([Buffer.alloc(100, 7), makePng(1, 1)]);
		expect(sniffMediaType(big.subarray(100))?.mimeType).toBe('image/png');
		expect(sniffMediaType(new Uint8Array(makeWebp()))?.mimeType).toBe('image/webp');
	});

	test('never throws on random bytes, and only returns X types', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
				const r = sniffMediaType(bytes);
				if (r) expect((X_MEDIA_TYPES as readonly string[]).includes(r.mimeType)).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});

	test('never throws on random bytes behind real magic numbers', () => {
		const prefixes = [
			Buffer.from('GIF89a'),
			Buffer.from('GIF87a'),
			makeGif({ frames: 2 }).subarray(0, 30),
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
			Buffer.from('RIFF\0\0\0\0WEBP'),
			Buffer.from('\0\0\0\x18ftyp'),
			Buffer.from('\0\0\0\x08wide'),
			Buffer.from('BM'),
			Buffer.from([0x47]),
			Buffer.from('WEBVTT'),
			Buffer.from('1\n00:00:01,000 --> '),
		];
		fc.assert(
			fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 600 }), (prefix, tail) => {
				sniffMediaType(Buffer.concat([prefix, tail]));
				identifyUnsupported(Buffer.concat([prefix, tail]));
				looksLikeText(Buffer.concat([prefix, tail]));
			}),
			{ numRuns: 3000 },
		);
	});
});

describe('identifyUnsupported names what the file really is', () => {
	test.each([
		['HEIC', makeIsoWithBrand('heic'), /HEIC/],
		['AVIF', makeIsoWithBrand('avif'), /AVIF/],
		['MKV', makeWebm('matroska'), /Matroska \(MKV\)/],
		['PDF', Buffer.from('%PDF-1.4 ...'), /PDF/],
		['ZIP', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), /ZIP/],
		['gzip', Buffer.from([0x1f, 0x8b, 8, 0]), /gzip/],
		['WAV', Buffer.from('RIFF\0\0\0\0WAVEfmt '), /WAV/],
		['AVI', Buffer.from('RIFF\0\0\0\0AVI LIST'), /AVI/],
		['Ogg', Buffer.from('OggS\0\x02'), /Ogg/],
		['MP3 (ID3)', Buffer.from('ID3\x04\0\0'), /MP3/],
		['MP3 (frame sync)', Buffer.from([0xff, 0xfb, 0x90, 0x64]), /MP3/],
		['FLAC', Buffer.from('fLaC\0'), /FLAC/],
		['PSD', Buffer.from('8BPS\0\x01'), /Photoshop/],
		['HTML', Buffer.from('\n  <!DOCTYPE html><html><body>Login</body></html>'), /HTML page/],
		['SVG', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), /SVG/],
		['bare SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /SVG/],
		['XML', Buffer.from('<?xml version="1.0"?><feed/>'), /XML/],
		['JSON', Buffer.from('{"data":{"id":"1"}}'), /JSON/],
		['data URL', Buffer.from('data:image/png;base64,iVBORw0KGgo='), /base64 data URL/],
		['text', Buffer.from('just some words'), /text file/],
	])('%s', (_name, bytes, what) => {
		expect(identifyUnsupported(bytes)?.what).toMatch(what);
	});

	test('unknown binary gives undefined', () => {
		expect(identifyUnsupported(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04]))).toBeUndefined();
	});
});

describe('looksLikeText', () => {
	test.each([
		['ASCII', Buffer.from('hello\r\n\tworld\f'), true],
		['UTF-8 with BOM', Buffer.from('\ufeffHéllo → 世界 🎬', 'utf8'), true],
		['UTF-8 cut mid-character at the end', Buffer.from('ab🎬', 'utf8').subarray(0, 4), true],
		['NUL byte', Buffer.from('ab\0cd'), false],
		['control character', Buffer.from('ab\x01cd'), false],
		['DEL', Buffer.from('ab\x7f'), false],
		['Latin-1 é (invalid UTF-8)', Buffer.from([0x61, 0xe9, 0x62]), false],
		['overlong encoding', Buffer.from([0xc0, 0xaf]), false],
		['surrogate', Buffer.from([0xed, 0xa0, 0x80]), false],
		['empty', Buffer.alloc(0), false],
	])('%s', (_name, bytes, expected) => {
		expect(looksLikeText(bytes)).toBe(expected);
	});
});

describe('small helpers', () => {
	test.each([
		['image/JPG', 'image/jpeg'],
		['image/jpeg; charset=binary', 'image/jpeg'],
		[' Video/MP4 ', 'video/mp4'],
		['application/x-subrip', 'text/srt'],
		['text/x-srt', 'text/srt'],
		['video/x-m4v', 'video/mp4'],
		['image/pjpeg', 'image/pjpeg'],
		['image/heic', undefined],
		['', undefined],
		[undefined, undefined],
	])('normalizeMimeType(%p) = %p', (value, expected) => {
		expect(normalizeMimeType(value)).toBe(expected);
	});

	test.each([
		['photo.JPG', 'jpg'],
		['/tmp/a.b/c', ''],
		['C:\\x\\movie.mov', 'mov'],
		['.hidden', ''],
		['noext', ''],
		[undefined, ''],
	])('fileExtension(%p) = %p', (name, expected) => {
		expect(fileExtension(name)).toBe(expected);
	});

	test('hexPreview', () => {
		expect(hexPreview(Buffer.from([0, 1, 0xab]))).toBe('00 01 ab');
		expect(hexPreview(Buffer.alloc(20, 0xff))).toBe(`${new Array(16).fill('ff').join(' ')} …`);
	});

	test('describeMediaType', () => {
		expect(describeMediaType({ mimeType: 'image/gif', kind: 'gif', animated: true })).toBe('animated GIF');
		expect(describeMediaType({ mimeType: 'image/gif', kind: 'image', animated: false })).toBe('still GIF');
		expect(describeMediaType({ mimeType: 'video/quicktime', kind: 'video', animated: true })).toBe('QuickTime (MOV) video');
	});
});

describe('resolveMediaType', () => {
	test('bytes win over a generic MIME type, without a mismatch note', () => {
		const r = resolveMediaType({ head: makePng(1, 1), declaredMimeType: 'application/octet-stream', fileName: 'x.bin' });
		expect(r).toEqual({ mimeType: 'image/png', kind: 'image', animated: false, source: 'bytes', label: 'PNG image' });
	});

	test('bytes win over a wrong MIME type, with a mismatch note', () => {
		const r = resolveMediaType({ head: makeJpeg(), declaredMimeType: 'image/png', fileName: 'photo.png' });
		expect(r.mimeType).toBe('image/jpeg');
		expect(r.source).toBe('bytes');
		expect(r.mismatch).toMatch(/says image\/png.*JPEG image.*uploading as image\/jpeg/);
	});

	test('matching MIME type (or an alias) gives no mismatch', () => {
		expect(resolveMediaType({ head: makeJpeg(), declaredMimeType: 'image/jpg' }).mismatch).toBeUndefined();
		expect(resolveMediaType({ head: makeJpeg(), declaredMimeType: 'image/pjpeg' }).mismatch).toBeUndefined();
		expect(resolveMediaType({ head: makeMp4(100), declaredMimeType: 'video/mp4' }).mismatch).toBeUndefined();
	});

	test('MP4 declared as quicktime is noted', () => {
		expect(resolveMediaType({ head: makeMp4(100), declaredMimeType: 'video/quicktime' }).mismatch).toMatch(/MP4 video/);
	});

	test('SRT bytes with text/plain: no mismatch; with text/vtt: mismatch', () => {
		expect(resolveMediaType({ head: makeSrt(), declaredMimeType: 'text/plain' }).mismatch).toBeUndefined();
		expect(resolveMediaType({ head: makeSrt(), declaredMimeType: 'text/vtt' }).mismatch).toMatch(/SRT subtitles/);
	});

	test('animated GIF from bytes', () => {
		const r = resolveMediaType({ head: makeGif({ frames: 2 }), declaredMimeType: 'image/gif', fileName: 'a.gif' });
		expect(r).toMatchObject({ mimeType: 'image/gif', kind: 'gif', animated: true, source: 'bytes', label: 'animated GIF' });
	});

	describe('override', () => {
		test('wins when it is one of X types, even over the bytes (with a note)', () => {
			const r = resolveMediaType({ head: makeWebm('matroska'), declaredMimeType: 'video/x-matroska', override: 'video/webm' });
			expect(r).toMatchObject({ mimeType: 'video/webm', kind: 'video', animated: true, source: 'override' });
			expect(r.mismatch).toBeUndefined(); // the bytes identified nothing X takes
			const r2 = resolveMediaType({ head: makePng(1, 1), override: 'image/jpeg' });
			expect(r2).toMatchObject({ mimeType: 'image/jpeg', source: 'override' });
			expect(r2.mismatch).toMatch(/Media Type is set to image\/jpeg.*PNG image/);
		});

		test('agreeing with the bytes keeps what the bytes know (still GIF)', () => {
			const r = resolveMediaType({ head: makeGif(), override: 'image/gif' });
			expect(r).toMatchObject({ mimeType: 'image/gif', kind: 'image', animated: false, source: 'override' });
			expect(r.mismatch).toBeUndefined();
		});

		test('pjpeg override on JPEG bytes keeps image/pjpeg', () => {
			expect(resolveMediaType({ head: makeJpeg(), override: 'image/pjpeg' })).toMatchObject({ mimeType: 'image/pjpeg', kind: 'image' });
		});

		test('image/gif forced on unrecognised bytes counts as an animated GIF', () => {
			expect(resolveMediaType({ head: Buffer.from([1, 2, 3]), override: 'image/gif' })).toMatchObject({ kind: 'gif', animated: true });
		});

		test.each([
			['text/srt', 'subtitles', false],
			['video/mp2t', 'video', true],
			['image/tiff', 'image', false],
			[' IMAGE/JPG ', 'image', false],
		])('%s on unknown bytes → kind %s', (override, kind, animated) => {
			expect(resolveMediaType({ head: Buffer.from([9, 9, 9]), override })).toMatchObject({ kind, animated, source: 'override' });
		});

		test('blank override is ignored', () => {
			expect(resolveMediaType({ head: makePng(1, 1), override: '  ' }).source).toBe('bytes');
		});

		test('an override X does not take lists the accepted types', () => {
			expectInputError(
				() => resolveMediaType({ head: makePng(1, 1), override: 'image/heic' }),
				'The Media Type option "image/heic" is not a type X accepts',
				/video\/mp4, video\/webm, .*image\/tiff/,
			);
		});
	});

	describe('subtitles by MIME type or name', () => {
		const looseSrt = Buffer.from('1\n00:00:01.000 --> 00:00:02.000\nDots, not commas\n');
		test('MIME type text/srt or application/x-subrip', () => {
			expect(resolveMediaType({ head: looseSrt, declaredMimeType: 'application/x-subrip' })).toMatchObject({
				mimeType: 'text/srt',
				kind: 'subtitles',
				source: 'mimeType',
			});
			expect(resolveMediaType({ head: looseSrt, declaredMimeType: 'text/vtt', fileName: 'a.srt' }).source).toBe('mimeType');
		});
		test('.srt / .vtt file name', () => {
			expect(resolveMediaType({ head: looseSrt, declaredMimeType: 'text/plain', fileName: 'Movie.SRT' })).toMatchObject({
				mimeType: 'text/srt',
				source: 'fileName',
			});
			expect(resolveMediaType({ head: looseSrt, fileName: 'movie.vtt' })).toMatchObject({ mimeType: 'text/vtt', source: 'fileName' });
		});
		test('binary content named .srt is refused with what a subtitle file must look like', () => {
			expectInputError(
				() => resolveMediaType({ head: Buffer.from([0, 1, 2, 3, 0x2d, 0x2d, 0x3e]), fileName: 'x.srt', declaredMimeType: 'text/srt' }),
				'The file "x.srt" is not a format X accepts',
				/MIME type text\/srt, extension \.srt, first bytes 00 01 02 03 2d 2d 3e\..*UTF-8 text with cue timings/,
			);
		});
		test('text without cue timings named .srt is refused', () => {
			expectInputError(
				() => resolveMediaType({ head: Buffer.from('hello'), fileName: 'x.srt' }),
				'The file "x.srt" is a text file, which X does not accept',
			);
		});
	});

	describe('errors', () => {
		test('empty file', () => {
			expectInputError(() => resolveMediaType({ head: Buffer.alloc(0), fileName: 'a.png' }), 'The file "a.png" is empty (0 bytes)');
			expectInputError(() => resolveMediaType({ head: Buffer.alloc(0) }), 'The file is empty (0 bytes)');
		});

		test('binary formats are never taken from the MIME type or name alone', () => {
			expectInputError(
				() => resolveMediaType({ head: Buffer.from([0xde, 0xad, 0xbe, 0xef]), declaredMimeType: 'video/mp4', fileName: 'clip.mp4' }),
				'The file "clip.mp4" is not a format X accepts',
				/Found: MIME type video\/mp4, extension \.mp4, first bytes de ad be ef\. X accepts JPEG, PNG, GIF, WEBP, BMP or TIFF images, MP4, MOV, WebM or MPEG-TS videos, and SRT or VTT subtitles.*Options > Media Type/,
			);
		});

		test.each([
			['HEIC', makeIsoWithBrand('heic'), 'IMG_0001.HEIC', 'image/heic', /is a HEIC\/HEIF image, which X does not accept/, /Most Compatible/],
			['MKV', makeWebm('matroska'), 'movie.mkv', 'video/x-matroska', /is a Matroska \(MKV\) video/, /Convert it to MP4.*video\/webm/],
			['HTML error page', Buffer.from('<!doctype html><title>403</title>'), 'photo.jpg', 'image/jpeg', /is an HTML page/, /error or login page/],
			['JSON', Buffer.from('{"error":"x"}'), undefined, 'application/json', /is JSON text/, /Response Format to "File"/],
		])('%s is named', (_name, bytes, fileName, declaredMimeType, message, description) => {
			expectInputError(() => resolveMediaType({ head: bytes, fileName, declaredMimeType }), message, description);
		});

		test('without MIME type and name, says so', () => {
			expectInputError(
				() => resolveMediaType({ head: Buffer.from([1, 2]) }),
				'The file is not a format X accepts',
				/MIME type \(none\), extension \(none\), first bytes 01 02/,
			);
		});
	});
});
