/**
 * The emulator's own magic-number sniffer (independent from the product's): tells what media a
 * file is from its first bytes, and reads dimensions / duration where that is cheap.
 */

export type MediaKind = 'image' | 'video' | 'subtitles' | 'model';

export interface SniffResult {
	mime: string;
	kind: MediaKind;
	width?: number;
	height?: number;
	durationMs?: number;
	/** GIF with more than one frame or a NETSCAPE2.0 loop extension. */
	animated?: boolean;
}

function ascii(buf: Buffer, start: number, end: number): string {
	return buf.subarray(start, Math.min(end, buf.length)).toString('latin1');
}

function jpegSize(b: Buffer): { width?: number; height?: number } {
	let i = 2;
	while (i + 9 < b.length) {
		if (b[i] !== 0xff) {
			i++;
			continue;
		}
		const marker = b[i + 1];
		if (marker === 0xff) {
			i++;
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			i += 2;
			continue;
		}
		const len = b.readUInt16BE(i + 2);
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
		}
		if (marker === 0xda) break; // start of scan: no SOF before it
		i += 2 + len;
	}
	return {};
}

function gifInfo(b: Buffer): { width: number; height: number; animated: boolean } {
	const width = b.readUInt16LE(6);
	const height = b.readUInt16LE(8);
	let animated = false;
	let frames = 0;
	let i = 13;
	const packed = b[10];
	if (packed & 0x80) i += 3 * (1 << ((packed & 0x07) + 1));
	const skipSubBlocks = (at: number): number => {
		while (at < b.length) {
			const size = b[at];
			at += 1;
			if (size === 0) return at;
			at += size;
		}
		return at;
	};
	while (i < b.length) {
		const block = b[i];
		if (block === 0x3b) break;
		if (block === 0x21) {
			const label = b[i + 1];
			if (label === 0xff && ascii(b, i + 3, i + 14) === 'NETSCAPE2.0') animated = true;
			i = skipSubBlocks(i + 2);
		} else if (block === 0x2c) {
			frames++;
			if (frames > 1) {
				animated = true;
				break;
			}
			const p = b[i + 9];
			i += 10;
			if (p & 0x80) i += 3 * (1 << ((p & 0x07) + 1));
			i = skipSubBlocks(i + 1); // LZW minimum code size, then data
		} else {
			break;
		}
	}
	return { width, height, animated };
}

function webpSize(b: Buffer): { width?: number; height?: number } {
	const chunk = ascii(b, 12, 16);
	if (chunk === 'VP8 ' && b.length >= 30) return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	if (chunk === 'VP8L' && b.length >= 25) {
		const b0 = b[21];
		const b1 = b[22];
		const b2 = b[23];
		const b3 = b[24];
		return { width: 1 + (((b1 & 0x3f) << 8) | b0), height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)) };
	}
	if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
	return {};
}

/** Scans ISO-BMFF / QuickTime bytes for mvhd (duration) and tkhd (display size). */
function isoBmffInfo(...parts: Buffer[]): { width?: number; height?: number; durationMs?: number } {
	const out: { width?: number; height?: number; durationMs?: number } = {};
	for (const b of parts) {
		let at = b.indexOf('mvhd', 0, 'latin1');
		if (at >= 4 && out.durationMs === undefined && at + 32 <= b.length) {
			const v = b[at + 4];
			const base = at + 4;
			if (v === 0) {
				const scale = b.readUInt32BE(base + 12);
				const dur = b.readUInt32BE(base + 16);
				if (scale > 0) out.durationMs = Math.round((dur / scale) * 1000);
			} else if (v === 1 && base + 32 <= b.length) {
				const scale = b.readUInt32BE(base + 20);
				const dur = Number(b.readBigUInt64BE(base + 24));
				if (scale > 0) out.durationMs = Math.round((dur / scale) * 1000);
			}
		}
		at = b.indexOf('tkhd', 0, 'latin1');
		while (at >= 4 && out.width === undefined) {
			const size = b.readUInt32BE(at - 4);
			const end = at - 4 + size;
			if (size >= 84 && end <= b.length) {
				const w = b.readUInt32BE(end - 8) / 65536;
				const h = b.readUInt32BE(end - 4) / 65536;
				if (w > 0 && h > 0) {
					out.width = Math.round(w);
					out.height = Math.round(h);
				}
			}
			at = b.indexOf('tkhd', at + 4, 'latin1');
		}
	}
	return out;
}

/**
 * Sniffs `head` (the first bytes of the file, 64 KiB or more is best). `tail` (the last bytes) helps
 * with MP4s whose moov box is at the end.
 */
export function sniffMedia(head: Buffer, tail?: Buffer): SniffResult | undefined {
	const b = head;
	if (b.length < 4) return undefined;
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', kind: 'image', ...jpegSize(b) };
	if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
		return { mime: 'image/png', kind: 'image', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
	}
	if (b.length >= 13 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return { mime: 'image/gif', kind: 'image', ...gifInfo(b) };
	if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { mime: 'image/webp', kind: 'image', ...webpSize(b) };
	if (b.length >= 26 && ascii(b, 0, 2) === 'BM' && b.readUInt32LE(2) > 26) {
		return { mime: 'image/bmp', kind: 'image', width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) };
	}
	if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a)) {
		return { mime: 'image/tiff', kind: 'image' };
	}
	if (b.length >= 12) {
		const box = ascii(b, 4, 8);
		if (box === 'ftyp') {
			const brand = ascii(b, 8, 12);
			if (/^(avif|avis|heic|heix|mif1|msf1)$/.test(brand)) return undefined; // still-image HEIF/AVIF: not accepted
			const mime = brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
			return { mime, kind: 'video', ...isoBmffInfo(b, ...(tail ? [tail] : [])) };
		}
		if (box === 'moov' || box === 'wide' || box === 'mdat' || (box === 'free' && b.indexOf('moov', 0, 'latin1') !== -1)) {
			return { mime: 'video/quicktime', kind: 'video', ...isoBmffInfo(b, ...(tail ? [tail] : [])) };
		}
	}
	if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
		const docType = b.indexOf('webm', 0, 'latin1') !== -1 && b.indexOf('webm', 0, 'latin1') < 64 ? 'webm' : 'matroska';
		return docType === 'webm' ? { mime: 'video/webm', kind: 'video' } : undefined;
	}
	if (b[0] === 0x47 && b.length >= 189 && b[188] === 0x47 && (b.length < 377 || b[376] === 0x47)) return { mime: 'video/mp2t', kind: 'video' };
	if (ascii(b, 0, 4) === 'glTF') return { mime: 'model/gltf-binary', kind: 'model' };
	if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04 && b.length >= 30) {
		const nameLen = b.readUInt16LE(26);
		const name = ascii(b, 30, 30 + nameLen);
		if (/\.usd[acz]?$/i.test(name)) return { mime: 'model/vnd.usdz+zip', kind: 'model' };
		return undefined;
	}
	const text = b.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
	if (/^WEBVTT(?:[ \t\r\n]|$)/.test(text)) return { mime: 'text/vtt', kind: 'subtitles' };
	if (/^\s*\d+[ \t]*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/.test(text)) {
		return { mime: 'text/srt', kind: 'subtitles' };
	}
	return undefined;
}
