/**
 * Builders of tiny, structurally valid media files for tests (and for generating test files).
 *
 * Images (PNG, GIF, JPEG, BMP, TIFF, WEBP) are complete, decodable files. Videos are
 * structurally valid containers whose headers say what a real file's would (an MP4 with `ftyp`,
 * `moov` with H.264 and AAC-LC tracks, then `mdat`; a WebM with Info and Tracks); their media data
 * is filler, so they pass the node's checks and X's container checks but do not decode. Real
 * ffmpeg-made media for the readers and rules is in test/media.
 * Every builder that takes a size pads with data the format defines as ignorable
 * (comments, ancillary chunks, `free`/`mdat` payload), so the padded file stays valid.
 */

// No imports, so these builders can be used from anywhere (tests, emulator, scripts).

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 as PNG uses it. */
export function crc32(data: Uint8Array): number {
	let c = 0xffffffff;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** A zlib stream with stored (uncompressed) deflate blocks: valid for every inflater. */
function zlibStored(data: Buffer): Buffer {
	const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
	let pos = 0;
	do {
		const n = Math.min(65535, data.length - pos);
		const head = Buffer.alloc(5);
		head[0] = pos + n >= data.length ? 1 : 0; // BFINAL, BTYPE 00
		head.writeUInt16LE(n, 1);
		head.writeUInt16LE(~n & 0xffff, 3);
		parts.push(head, data.subarray(pos, pos + n));
		pos += n;
	} while (pos < data.length);
	let a = 1;
	let b = 0;
	for (let i = 0; i < data.length; i++) {
		a = (a + data[i]) % 65521;
		b = (b + a) % 65521;
	}
	const adler = Buffer.alloc(4);
	adler.writeUInt32BE(((b << 16) | a) >>> 0);
	parts.push(adler);
	return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// PNG

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData) >>> 0);
	return Buffer.concat([length, typeAndData, crc]);
}

export interface PngOptions {
	/** Pad the file to exactly this many bytes with an ancillary chunk (min ~70 bytes). */
	sizeBytes?: number;
	/** Write an APNG `acTL` chunk announcing this many frames (frame data is not added). */
	apngFrames?: number;
}

/** An RGB PNG of `width`×`height` (a red/blue pattern). */
export function makePng(width = 1, height = 1, options: PngOptions = {}): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	const raw = Buffer.alloc(height * (1 + width * 3));
	for (let y = 0; y < height; y++) {
		const row = y * (1 + width * 3);
		raw[row] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			const p = row + 1 + x * 3;
			raw[p] = (x + y) % 2 ? 0 : 255;
			raw[p + 2] = (x + y) % 2 ? 255 : 0;
		}
	}
	const chunks = [
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
	];
	if (options.apngFrames !== undefined) {
		const actl = Buffer.alloc(8);
		actl.writeUInt32BE(options.apngFrames, 0);
		chunks.push(pngChunk('acTL', actl));
	}
	const idat = pngChunk('IDAT', zlibStored(raw));
	const iend = pngChunk('IEND', Buffer.alloc(0));
	const base = Buffer.concat([...chunks, idat, iend]);
	if (options.sizeBytes === undefined) return base;
	const padding = options.sizeBytes - base.length - 12;
	if (padding < 0) throw new RangeError(`A ${width}x${height} PNG needs at least ${base.length + 12} bytes`);
	// `pADd`: ancillary (lower-case first letter), private, safe to copy: decoders skip it.
	return Buffer.concat([...chunks, pngChunk('pADd', Buffer.alloc(padding)), idat, iend]);
}

// ---------------------------------------------------------------------------------------------
// GIF

export interface GifOptions {
	/** Number of images (frames); default 1. */
	frames?: number;
	width?: number;
	height?: number;
	/** Write the NETSCAPE2.0 looping extension; default: when frames > 1. */
	loop?: boolean;
	/** 'GIF87a' has no extensions at all (no loop, no frame delays). Default 'GIF89a'. */
	version?: '87a' | '89a';
	/** Pad to exactly this many bytes with a comment extension (GIF89a only). */
	sizeBytes?: number;
	/** Put the padding before the first image (default) or after the last. */
	padAt?: 'start' | 'end';
}

/** LZW data for `count` pixels of colour index 0/1 (min code size 2, a clear code before every pixel). */
function gifLzw(count: number, frame: number): Buffer {
	const codes: number[] = [];
	for (let i = 0; i < count; i++) codes.push(4, (i + frame) % 2); // clear, pixel
	codes.push(5); // end of information
	const bytes: number[] = [];
	let acc = 0;
	let bits = 0;
	for (const code of codes) {
		acc |= code << bits;
		bits += 3;
		while (bits >= 8) {
			bytes.push(acc & 0xff);
			acc >>= 8;
			bits -= 8;
		}
	}
	if (bits > 0) bytes.push(acc & 0xff);
	const blocks: number[] = [2]; // LZW minimum code size
	for (let i = 0; i < bytes.length; i += 255) {
		const part = bytes.slice(i, i + 255);
		blocks.push(part.length, ...part);
	}
	blocks.push(0);
	return Buffer.from(blocks);
}

function gifSubBlocks(introducer: number[], payloadLength: number): Buffer {
	const parts: Buffer[] = [Buffer.from(introducer)];
	let left = payloadLength;
	while (left > 0) {
		const n = Math.min(255, left);
		const block = Buffer.alloc(n + 1, 0x20);
		block[0] = n;
		parts.push(block);
		left -= n;
	}
	parts.push(Buffer.from([0]));
	return Buffer.concat(parts);
}

/** Bytes a comment extension needs to carry `payload` bytes. */
function gifCommentSize(payload: number): number {
	return 2 + payload + Math.ceil(payload / 255) + 1;
}

/** Comment extensions of exactly `room` bytes in total (undefined for 1, 2 and 4). */
function gifPadding(room: number): Buffer[] | undefined {
	if (room === 0) return [];
	const payloadFor = (bytes: number): number | undefined => {
		for (let p = Math.max(0, Math.floor(((bytes - 3) * 255) / 256) - 2); gifCommentSize(p) <= bytes; p++) {
			if (gifCommentSize(p) === bytes) return p;
		}
		return undefined;
	};
	const one = payloadFor(room);
	if (one !== undefined) return [gifSubBlocks([0x21, 0xfe], one)];
	const rest = payloadFor(room - 3); // plus an empty comment (3 bytes)
	if (rest !== undefined) return [gifSubBlocks([0x21, 0xfe], rest), gifSubBlocks([0x21, 0xfe], 0)];
	return undefined;
}

/** A GIF with `frames` images of `width`×`height` (2-colour palette). */
export function makeGif(options: GifOptions = {}): Buffer {
	const { frames = 1, width = 1, height = 1, version = '89a' } = options;
	const loop = options.loop ?? frames > 1;
	const header = Buffer.alloc(13);
	header.write(`GIF${version}`, 0, 'latin1');
	header.writeUInt16LE(width, 6);
	header.writeUInt16LE(height, 8);
	header[10] = 0x80; // global colour table of 2 entries
	const palette = Buffer.from([0xff, 0x00, 0x00, 0x00, 0x00, 0xff]);
	const parts: Buffer[] = [header, palette];
	if (loop && version === '89a') {
		parts.push(Buffer.from([0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0', 'latin1'), 3, 1, 0, 0, 0]));
	}
	const body: Buffer[] = [];
	for (let f = 0; f < frames; f++) {
		if (version === '89a') body.push(Buffer.from([0x21, 0xf9, 4, 0x04, 10, 0, 0, 0])); // 0.1 s delay
		const descriptor = Buffer.alloc(10);
		descriptor[0] = 0x2c;
		descriptor.writeUInt16LE(width, 5);
		descriptor.writeUInt16LE(height, 7);
		body.push(descriptor, gifLzw(width * height, f));
	}
	const trailer = Buffer.from([0x3b]);
	const base = Buffer.concat([...parts, ...body, trailer]);
	if (options.sizeBytes === undefined) return base;
	if (version !== '89a') throw new RangeError('Padding needs GIF89a (comment extension)');
	const room = options.sizeBytes - base.length;
	const comments = gifPadding(room);
	if (!comments) throw new RangeError(`Cannot pad this GIF to ${options.sizeBytes} bytes (it has ${base.length})`);
	const padding = Buffer.concat(comments);
	return options.padAt === 'end'
		? Buffer.concat([...parts, ...body, padding, trailer])
		: Buffer.concat([...parts, padding, ...body, trailer]);
}

// ---------------------------------------------------------------------------------------------
// JPEG

function jpegSegment(marker: number, data: Buffer): Buffer {
	const head = Buffer.from([0xff, marker, 0, 0]);
	head.writeUInt16BE(data.length + 2, 2);
	return Buffer.concat([head, data]);
}

/**
 * A baseline greyscale 8×8 JPEG (mid grey). `sizeBytes` pads it to exactly that many bytes
 * with comment (COM) segments after SOI (each at least 4 bytes, so `base + 1..3` is impossible).
 */
export function makeJpeg(sizeBytes?: number): Buffer {
	const soi = Buffer.from([0xff, 0xd8]);
	const app0 = jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
	const dqt = jpegSegment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
	const sof0 = jpegSegment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
	// One code ("0") per table: DC category 0, AC end-of-block.
	const dhtDc = jpegSegment(0xc4, Buffer.from([0x00, 1, ...new Array(15).fill(0), 0x00]));
	const dhtAc = jpegSegment(0xc4, Buffer.from([0x10, 1, ...new Array(15).fill(0), 0x00]));
	const sos = jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
	const scan = Buffer.from([0x3f]); // bits 00 (DC diff 0, EOB) padded with 1s
	const eoi = Buffer.from([0xff, 0xd9]);
	const rest = [app0, dqt, sof0, dhtDc, dhtAc, sos, scan, eoi];
	const base = Buffer.concat([soi, ...rest]);
	if (sizeBytes === undefined) return base;
	let room = sizeBytes - base.length;
	if (room < 0 || (room > 0 && room < 4)) {
		throw new RangeError(`A JPEG can be padded to ${base.length} bytes or to ${base.length + 4} and more`);
	}
	const comments: Buffer[] = [];
	while (room > 0) {
		let n = Math.min(room, 65535 + 2);
		if (room - n > 0 && room - n < 4) n -= 4; // leave room for a last segment of at least 4 bytes
		comments.push(jpegSegment(0xfe, Buffer.alloc(n - 4, 0x20)));
		room -= n;
	}
	return Buffer.concat([soi, ...comments, ...rest]);
}

// ---------------------------------------------------------------------------------------------
// WEBP, BMP, TIFF

/** A 1×1 lossy WebP (the one browsers use for WebP feature detection). */
export function makeWebp(): Buffer {
	return Buffer.from('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA', 'base64');
}

/** The first chunks of an extended (VP8X) WebP with the animation flag: a header for sniffing tests. */
export function makeAnimatedWebpHeader(): Buffer {
	const vp8x = Buffer.alloc(18);
	vp8x.write('VP8X', 0, 'latin1');
	vp8x.writeUInt32LE(10, 4);
	vp8x[8] = 0x02; // animation
	const anim = Buffer.alloc(14);
	anim.write('ANIM', 0, 'latin1');
	anim.writeUInt32LE(6, 4);
	const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), vp8x, anim]);
	const riff = Buffer.alloc(8);
	riff.write('RIFF', 0, 'latin1');
	riff.writeUInt32LE(body.length, 4);
	return Buffer.concat([riff, body]);
}

/** A 24-bit BMP of `width`×`height` (BITMAPINFOHEADER). */
export function makeBmp(width = 1, height = 1): Buffer {
	const rowBytes = Math.ceil((width * 3) / 4) * 4;
	const pixels = Buffer.alloc(rowBytes * height, 0x80);
	const header = Buffer.alloc(54);
	header.write('BM', 0, 'latin1');
	header.writeUInt32LE(54 + pixels.length, 2);
	header.writeUInt32LE(54, 10);
	header.writeUInt32LE(40, 14);
	header.writeInt32LE(width, 18);
	header.writeInt32LE(height, 22);
	header.writeUInt16LE(1, 26);
	header.writeUInt16LE(24, 28);
	header.writeUInt32LE(pixels.length, 34);
	header.writeInt32LE(2835, 38);
	header.writeInt32LE(2835, 42);
	return Buffer.concat([header, pixels]);
}

/** A baseline, uncompressed 8-bit greyscale TIFF; little-endian (II) unless `bigEndian`. */
export function makeTiff(width = 1, height = 1, bigEndian = false): Buffer {
	const entries: [number, number, number][] = [
		// tag, type (3 SHORT, 4 LONG), value
		[256, 3, width],
		[257, 3, height],
		[258, 3, 8],
		[259, 3, 1],
		[262, 3, 1],
		[273, 4, 0], // StripOffsets: patched below
		[277, 3, 1],
		[278, 4, height],
		[279, 4, width * height],
	];
	const ifdOffset = 8;
	const ifdSize = 2 + entries.length * 12 + 4;
	const dataOffset = ifdOffset + ifdSize;
	const out = Buffer.alloc(dataOffset + width * height, 0x80);
	const w16 = (v: number, o: number) => (bigEndian ? out.writeUInt16BE(v, o) : out.writeUInt16LE(v, o));
	const w32 = (v: number, o: number) => (bigEndian ? out.writeUInt32BE(v, o) : out.writeUInt32LE(v, o));
	out.write(bigEndian ? 'MM' : 'II', 0, 'latin1');
	w16(42, 2);
	w32(ifdOffset, 4);
	w16(entries.length, ifdOffset);
	entries.forEach(([tag, type, value], i) => {
		const o = ifdOffset + 2 + i * 12;
		w16(tag, o);
		w16(type, o + 2);
		w32(1, o + 4);
		const v = tag === 273 ? dataOffset : value;
		if (type === 3) {
			out.fill(0, o + 8, o + 12);
			w16(v, o + 8);
		} else {
			w32(v, o + 8);
		}
	});
	w32(0, ifdOffset + 2 + entries.length * 12);
	return out;
}

// ---------------------------------------------------------------------------------------------
// ISO base media (MP4, MOV)

export function isoBox(type: string, payload: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(payload.length + 8, 0);
	head.write(type, 4, 'latin1');
	return Buffer.concat([head, payload]);
}

function ftyp(major: string, compatible: string[]): Buffer {
	const minor = Buffer.alloc(4);
	minor.writeUInt32BE(major === 'qt  ' ? 0x20050300 : 0x200);
	return isoBox('ftyp', Buffer.concat([Buffer.from(major, 'latin1'), minor, Buffer.from(compatible.join(''), 'latin1')]));
}

function u32(...values: number[]): Buffer {
	const b = Buffer.alloc(values.length * 4);
	values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
	return b;
}

function fullBox(type: string, version: number, flags: number, payload: Buffer): Buffer {
	return isoBox(type, Buffer.concat([u32(((version & 0xff) << 24) | (flags & 0xffffff)), payload]));
}

/** What the generated `moov` says: a 640×360 H.264 (High, 4:2:0) video at 30 fps with AAC-LC stereo. */
export interface MovieOptions {
	durationMs?: number;
	width?: number;
	height?: number;
	fps?: number;
	/** Without the AAC-LC audio track. */
	noAudio?: boolean;
}

const MATRIX = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

function trak(options: { id: number; video: boolean; timescale: number; duration: number; samples: number; delta: number; width: number; height: number; entry: Buffer; movieDuration: number; chunkOffset: number }): Buffer {
	const tkhd = fullBox('tkhd', 0, 3, Buffer.concat([u32(0, 0, options.id, 0, options.movieDuration, 0, 0), Buffer.from([0, 0, 0, 0, options.video ? 0 : 1, 0, 0, 0]), MATRIX, u32(options.video ? options.width * 65536 : 0, options.video ? options.height * 65536 : 0)]));
	const mdhd = fullBox('mdhd', 0, 0, Buffer.concat([u32(0, 0, options.timescale, options.duration), Buffer.from([0x55, 0xc4, 0, 0])]));
	const hdlr = fullBox('hdlr', 0, 0, Buffer.concat([u32(0), Buffer.from(options.video ? 'vide' : 'soun', 'latin1'), u32(0, 0, 0), Buffer.from([0])]));
	const header = options.video ? fullBox('vmhd', 0, 1, Buffer.alloc(8)) : fullBox('smhd', 0, 0, Buffer.alloc(4));
	const dinf = isoBox('dinf', fullBox('dref', 0, 0, Buffer.concat([u32(1), fullBox('url ', 0, 1, Buffer.alloc(0))])));
	const stbl = isoBox(
		'stbl',
		Buffer.concat([
			fullBox('stsd', 0, 0, Buffer.concat([u32(1), options.entry])),
			fullBox('stts', 0, 0, u32(1, options.samples, options.delta)),
			fullBox('stsc', 0, 0, u32(1, 1, options.samples, 1)),
			fullBox('stsz', 0, 0, u32(1, options.samples)),
			fullBox('stco', 0, 0, u32(1, options.chunkOffset)),
		]),
	);
	return isoBox('trak', Buffer.concat([tkhd, isoBox('mdia', Buffer.concat([mdhd, hdlr, isoBox('minf', Buffer.concat([header, dinf, stbl]))]))]));
}

/**
 * A `moov` box X's processing would take: `mvhd`, an H.264 video track (`avc1` with `avcC`, High
 * profile, 4:2:0) and an AAC-LC stereo track (`mp4a` with `esds`), sample tables pointing at
 * `chunkOffset` (the `mdat` payload). Every size is the box's own.
 */
export function makeMoov(options: MovieOptions = {}, chunkOffset = 0): Buffer {
	const { durationMs = 10000, width = 640, height = 360, fps = 30 } = options;
	const movieDuration = Math.round(durationMs);
	const frames = Math.max(1, Math.round((durationMs / 1000) * fps));
	const mvhd = fullBox('mvhd', 0, 0, Buffer.concat([u32(0, 0, 1000, movieDuration, 0x10000), Buffer.from([1, 0]), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(3)]));
	// avcC: version 1, High profile (100), level 3.0, 4-byte lengths, one tiny SPS and PPS, chroma 4:2:0 (1), 8-bit.
	const avcC = isoBox('avcC', Buffer.from([1, 100, 0, 30, 0xff, 0xe1, 0, 4, 0x67, 100, 0, 30, 1, 0, 2, 0x68, 0xce, 0xfc | 1, 0xf8, 0xf8, 0]));
	const avc1 = isoBox(
		'avc1',
		Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), Buffer.alloc(16), Buffer.from([width >> 8, width & 0xff, height >> 8, height & 0xff]), u32(0x480000, 0x480000, 0), Buffer.from([0, 1]), Buffer.alloc(32), Buffer.from([0, 0x18, 0xff, 0xff]), avcC, isoBox('pasp', u32(1, 1))]),
	);
	const video = trak({ id: 1, video: true, timescale: fps * 1000, duration: frames * 1000, samples: frames, delta: 1000, width, height, entry: avc1, movieDuration, chunkOffset });
	const tracks = [video];
	if (!options.noAudio) {
		// esds: ES_Descriptor > DecoderConfigDescriptor (0x40 MPEG-4 audio) > AudioSpecificConfig 12 10 (AAC-LC, 44.1 kHz, stereo).
		const esds = fullBox('esds', 0, 0, Buffer.from([0x03, 25, 0, 2, 0, 0x04, 17, 0x40, 0x15, 0, 0, 0, 0, 1, 0xf4, 0, 0, 1, 0xf4, 0, 0x05, 2, 0x12, 0x10, 0x06, 1, 2]));
		const mp4a = isoBox('mp4a', Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), u32(0, 0), Buffer.from([0, 2, 0, 16, 0, 0, 0, 0]), u32(44100 * 65536), esds]));
		const audioFrames = Math.max(1, Math.round(((durationMs / 1000) * 44100) / 1024));
		tracks.push(trak({ id: 2, video: false, timescale: 44100, duration: audioFrames * 1024, samples: audioFrames, delta: 1024, width: 0, height: 0, entry: mp4a, movieDuration, chunkOffset }));
	}
	return isoBox('moov', Buffer.concat([mvhd, ...tracks]));
}

function mdatHeader(payload: number): Buffer {
	if (payload + 8 <= 0xffffffff) {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(payload + 8, 0);
		head.write('mdat', 4, 'latin1');
		return head;
	}
	const head = Buffer.alloc(16);
	head.writeUInt32BE(1, 0);
	head.write('mdat', 4, 'latin1');
	head.writeUInt32BE(Math.floor((payload + 16) / 0x100000000), 8);
	head.writeUInt32BE((payload + 16) % 0x100000000, 12);
	return head;
}

/**
 * The header of an MP4 of `totalBytes` bytes: `ftyp`, `moov` (see `makeMoov`; moov first, as
 * `-movflags +faststart` writes it) and the header of an `mdat` box covering the rest of the file
 * (64-bit size when needed). Write `totalBytes - header.length` more bytes after it (e.g. zeros,
 * streamed) to get the whole file. Files too small for a `moov` (under about 1 KiB, for type
 * detection tests only) get `ftyp` + `mdat` alone, which is not playable.
 */
export function makeMp4Header(totalBytes: number, brand = 'isom', movie: MovieOptions = {}): Buffer {
	const type = ftyp(brand, brand === 'qt  ' ? ['qt  '] : [brand, 'iso2', 'avc1', 'mp41']);
	for (const candidate of [movie, { ...movie, noAudio: true }, undefined]) {
		const mdatBytes = totalBytes > 0xffffffff ? 16 : 8;
		const moovLength = candidate ? makeMoov(candidate).length : 0;
		const rest = totalBytes - type.length - moovLength - mdatBytes;
		if (rest < 0) continue;
		const moov = candidate ? makeMoov(candidate, type.length + moovLength + mdatBytes) : Buffer.alloc(0);
		return Buffer.concat([type, moov, mdatHeader(rest)]);
	}
	throw new RangeError(`An MP4 needs at least ${type.length + 8} bytes`);
}

/** An MP4 (`ftyp`, `moov`, `mdat` of filler) of exactly `sizeBytes` bytes (default 1 KiB). */
export function makeMp4(sizeBytes = 1024, brand = 'isom', movie: MovieOptions = {}): Buffer {
	const header = makeMp4Header(sizeBytes, brand, movie);
	const out = Buffer.alloc(sizeBytes);
	header.copy(out);
	for (let i = header.length; i < sizeBytes; i++) out[i] = i & 0xff;
	return out;
}

/**
 * A QuickTime movie of `sizeBytes` bytes: with an `ftyp` "qt  " box by default, or starting
 * with a `firstAtom` (`moov`, `mdat`, `wide`, `free`) and no `ftyp`, as older .mov files do.
 */
export function makeMov(sizeBytes = 1024, firstAtom?: 'moov' | 'mdat' | 'wide' | 'free'): Buffer {
	if (firstAtom === undefined) return makeMp4(sizeBytes, 'qt  ');
	const parts: Buffer[] = [];
	if (firstAtom === 'wide' || firstAtom === 'free') parts.push(isoBox(firstAtom, Buffer.alloc(0)));
	const moovFirst = firstAtom === 'moov';
	const movie = makeMoov({ noAudio: true }, 0);
	if (moovFirst) parts.push(makeMoov({ noAudio: true }, movie.length + 8));
	const used = parts.reduce((n, p) => n + p.length, 0);
	const mdatPayload = sizeBytes - used - 8 - (moovFirst ? 0 : movie.length);
	if (mdatPayload < 0) throw new RangeError(`This MOV needs at least ${sizeBytes - mdatPayload} bytes`);
	parts.push(isoBox('mdat', Buffer.alloc(mdatPayload, 0x11)));
	if (!moovFirst) parts.push(makeMoov({ noAudio: true }, used + 8)); // moov after mdat
	return Buffer.concat(parts);
}

/** An `ftyp` box with another major brand (HEIC `heic`, AVIF `avif`, audio `M4A `): for refusal tests. */
export function makeIsoWithBrand(brand: string, sizeBytes = 256): Buffer {
	const type = ftyp(brand, [brand, 'mif1']);
	return Buffer.concat([type, mdatHeader(sizeBytes - type.length - 8), Buffer.alloc(sizeBytes - type.length - 8, 0x22)]);
}

// ---------------------------------------------------------------------------------------------
// WebM / Matroska, MPEG-TS

function ebmlElement(id: number[], data: Buffer): Buffer {
	if (data.length > 126) throw new RangeError('small elements only');
	return Buffer.concat([Buffer.from(id), Buffer.from([0x80 | data.length]), data]);
}

/** An EBML element whose size is written in 8 bytes (any payload length). */
function ebmlLong(id: number[], data: Buffer): Buffer {
	const size = Buffer.alloc(8);
	size[0] = 0x01;
	size.writeUIntBE(data.length, 2, 6);
	return Buffer.concat([Buffer.from(id), size, data]);
}

function ebmlFloat(id: number[], value: number): Buffer {
	const b = Buffer.alloc(8);
	b.writeDoubleBE(value);
	return ebmlElement(id, b);
}

/**
 * A WebM (or Matroska) file: EBML header with the given DocType, then a Segment with Info
 * (TimecodeScale 1 ms, Duration 10 s) and Tracks (VP9 640×360 at 30 fps, Opus stereo), padded to
 * `sizeBytes` with a Void element.
 */
export function makeWebm(docType = 'webm', sizeBytes?: number): Buffer {
	const header = Buffer.concat([
		ebmlElement([0x42, 0x86], Buffer.from([1])), // EBMLVersion
		ebmlElement([0x42, 0xf7], Buffer.from([1])), // EBMLReadVersion
		ebmlElement([0x42, 0xf2], Buffer.from([4])), // EBMLMaxIDLength
		ebmlElement([0x42, 0xf3], Buffer.from([8])), // EBMLMaxSizeLength
		ebmlElement([0x42, 0x82], Buffer.from(docType, 'latin1')), // DocType
		ebmlElement([0x42, 0x87], Buffer.from([4])), // DocTypeVersion
		ebmlElement([0x42, 0x85], Buffer.from([2])), // DocTypeReadVersion
	]);
	const ebml = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length]), header]);
	const info = ebmlElement([0x15, 0x49, 0xa9, 0x66], Buffer.concat([
		ebmlElement([0x2a, 0xd7, 0xb1], Buffer.from([0x0f, 0x42, 0x40])), // TimecodeScale 1,000,000 ns
		ebmlFloat([0x44, 0x89], 10000), // Duration, in TimecodeScale units
	]));
	const videoTrack = ebmlElement([0xae], Buffer.concat([
		ebmlElement([0xd7], Buffer.from([1])), // TrackNumber
		ebmlElement([0x83], Buffer.from([1])), // TrackType video
		ebmlElement([0x86], Buffer.from('V_VP9', 'latin1')),
		ebmlElement([0x23, 0xe3, 0x83], Buffer.from([0x01, 0xfc, 0xa0, 0x55])), // DefaultDuration 33,333,333 ns
		ebmlElement([0xe0], Buffer.concat([ebmlElement([0xb0], Buffer.from([0x02, 0x80])), ebmlElement([0xba], Buffer.from([0x01, 0x68]))])),
	]));
	const audioTrack = ebmlElement([0xae], Buffer.concat([
		ebmlElement([0xd7], Buffer.from([2])),
		ebmlElement([0x83], Buffer.from([2])), // TrackType audio
		ebmlElement([0x86], Buffer.from('A_OPUS', 'latin1')),
		ebmlElement([0xe1], Buffer.concat([ebmlElement([0x9f], Buffer.from([2])), ebmlFloat([0xb5], 48000)])),
	]));
	const tracks = ebmlElement([0x16, 0x54, 0xae, 0x6b], Buffer.concat([videoTrack, audioTrack]));
	const body = Buffer.concat([info, tracks]);
	const segmentHead = Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0, 0, 0, 0, 0, 0, 0]);
	const minimum = ebml.length + segmentHead.length + body.length;
	const total = sizeBytes ?? minimum + 16;
	const room = total - minimum;
	if (room !== 0 && room < 9) throw new RangeError(`A WebM needs ${minimum} bytes, or at least ${minimum + 9}`);
	const voidElement = room === 0 ? Buffer.alloc(0) : ebmlLong([0xec], Buffer.alloc(room - 9));
	segmentHead.writeUIntBE(body.length + voidElement.length, 6, 6);
	return Buffer.concat([ebml, segmentHead, body, voidElement]);
}

/** CRC-32/MPEG-2, as PSI sections use it. */
function crc32Mpeg(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) {
		crc ^= byte << 24;
		for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
	}
	return crc >>> 0;
}

function tsSection(pid: number, section: Buffer): Buffer {
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32Mpeg(section));
	const packet = Buffer.alloc(188, 0xff);
	packet[0] = 0x47;
	packet[1] = 0x40 | (pid >> 8);
	packet[2] = pid & 0xff;
	packet[3] = 0x10;
	packet[4] = 0; // pointer field
	Buffer.concat([section, crc]).copy(packet, 5);
	return packet;
}

/**
 * An MPEG transport stream of `packets` 188-byte packets: a PAT and a PMT (program 1, H.264 on
 * PID 0x100, AAC on PID 0x101) when there is room for them, then null packets (PID 0x1FFF).
 */
export function makeTs(packets = 10): Buffer {
	const out = Buffer.alloc(packets * 188, 0xff);
	for (let i = 0; i < packets; i++) {
		const p = i * 188;
		out[p] = 0x47;
		out[p + 1] = 0x1f;
		out[p + 2] = 0xff;
		out[p + 3] = 0x10 | (i & 0x0f);
	}
	if (packets >= 3) {
		// PAT: table 0, section length 13, program 1 -> PMT PID 0x1000.
		tsSection(0, Buffer.from([0x00, 0xb0, 13, 0, 1, 0xc1, 0, 0, 0, 1, 0xf0, 0x00])).copy(out, 0);
		// PMT: table 2, program 1, PCR PID 0x100, streams 0x1b (H.264) PID 0x100 and 0x0f (AAC) PID 0x101.
		tsSection(0x1000, Buffer.from([0x02, 0xb0, 23, 0, 1, 0xc1, 0, 0, 0xe1, 0x00, 0xf0, 0, 0x1b, 0xe1, 0x00, 0xf0, 0, 0x0f, 0xe1, 0x01, 0xf0, 0])).copy(out, 188);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Subtitles

export const SRT_TEXT = '1\n00:00:00,500 --> 00:00:02,000\nHello from n8n\n\n2\n00:00:02,500 --> 00:00:04,000\nSecond line\n';
export const VTT_TEXT = 'WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello from n8n\n\n00:00:02.500 --> 00:00:04.000\nSecond line\n';

/** A two-cue SRT file (UTF-8; `bom` adds a byte-order mark, `crlf` Windows line ends). */
export function makeSrt(options: { bom?: boolean; crlf?: boolean } = {}): Buffer {
	const text = options.crlf ? SRT_TEXT.replace(/\n/g, '\r\n') : SRT_TEXT;
	return Buffer.concat([Buffer.from(options.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
}

/** A two-cue WebVTT file. */
export function makeVtt(options: { bom?: boolean } = {}): Buffer {
	return Buffer.concat([Buffer.from(options.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(VTT_TEXT, 'utf8')]);
}
