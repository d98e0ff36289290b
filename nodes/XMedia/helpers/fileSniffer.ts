/**
 * Recognise X's media formats from their first bytes (magic numbers), and reconcile that with
 * the MIME type and file name n8n stored with the binary (upstream nodes often say
 * `application/octet-stream`, or guess from a wrong extension).
 *
 * Pure: no n8n runtime, no Node built-in imports. Never throws on arbitrary bytes.
 */
import { MediaInputError } from './errors';
import { KiB, MEDIA_TYPE_KIND, X_MEDIA_TYPES } from './limits';
import type { MediaKind, XMediaType } from './limits';

/** How many leading bytes callers should pass to `sniffMediaType` / `resolveMediaType`. */
export const SNIFF_HEAD_BYTES = 64 * KiB;

export interface SniffResult {
	mimeType: XMediaType;
	/** A still GIF is `image` (mimeType image/gif); an animated GIF is `gif`. */
	kind: MediaKind;
	/**
	 * More than one frame: an animated GIF, an APNG, an animated WebP, and every video.
	 * Only GIFs change `kind` with it (an APNG or animated WebP still goes as an image).
	 */
	animated: boolean;
}

export type MediaTypeSource = 'override' | 'bytes' | 'mimeType' | 'fileName';

export interface ResolvedMediaType extends SniffResult {
	/** What decided the type. */
	source: MediaTypeSource;
	/** Human name of the format, e.g. "animated GIF", "MP4 video". */
	label: string;
	/** Set when the binary's declared MIME type (or the override) disagrees with the bytes. */
	mismatch?: string;
}

export interface ResolveMediaTypeInput {
	head: Uint8Array;
	declaredMimeType?: string;
	fileName?: string;
	/** `options.mediaType`: the user's MIME override. */
	override?: string;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers (bounds-checked: -1 / '' when out of range)

function u8(b: Uint8Array, i: number): number {
	return i >= 0 && i < b.length ? b[i] : -1;
}

function u16le(b: Uint8Array, i: number): number {
	return i >= 0 && i + 2 <= b.length ? b[i] | (b[i + 1] << 8) : -1;
}

function u32le(b: Uint8Array, i: number): number {
	return i >= 0 && i + 4 <= b.length
		? (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000
		: -1;
}

function u32be(b: Uint8Array, i: number): number {
	return i >= 0 && i + 4 <= b.length
		? b[i] * 0x1000000 + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3])
		: -1;
}

function ascii(b: Uint8Array, start: number, length: number): string {
	if (start < 0 || start + length > b.length) return '';
	let s = '';
	for (let i = start; i < start + length; i++) s += String.fromCharCode(b[i]);
	return s;
}

function startsWith(b: Uint8Array, bytes: readonly number[], at = 0): boolean {
	if (at + bytes.length > b.length) return false;
	for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
	return true;
}

function indexOfAscii(b: Uint8Array, needle: string, from: number, to: number): number {
	const end = Math.min(to, b.length) - needle.length;
	outer: for (let i = Math.max(0, from); i <= end; i++) {
		for (let j = 0; j < needle.length; j++) {
			if (b[i + j] !== needle.charCodeAt(j)) continue outer;
		}
		return i;
	}
	return -1;
}

/** The first `max` bytes as latin1 text, after a UTF-8 BOM if there is one. */
function headText(b: Uint8Array, max = 2048): string {
	const start = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
	return ascii(b, start, Math.max(0, Math.min(b.length, start + max) - start));
}

/** First bytes in hex, e.g. "89 50 4e 47" (for error messages). */
export function hexPreview(b: Uint8Array, count = 16): string {
	const parts: string[] = [];
	for (let i = 0; i < Math.min(count, b.length); i++) parts.push(b[i].toString(16).padStart(2, '0'));
	return parts.join(' ') + (b.length > count ? ' …' : '');
}

// ---------------------------------------------------------------------------------------------
// Formats

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** APNG: an `acTL` chunk with more than one frame before the first `IDAT`. */
function isAnimatedPng(b: Uint8Array): boolean {
	let pos = 8;
	while (pos + 8 <= b.length) {
		const length = u32be(b, pos);
		const type = ascii(b, pos + 4, 4);
		if (length < 0 || type === 'IDAT' || type === 'IEND') return false;
		if (type === 'acTL') return u32be(b, pos + 8) > 1;
		pos += 12 + length;
	}
	return false;
}

/**
 * Walks the GIF block structure as far as `b` reaches.
 * Animated when a NETSCAPE2.0 / ANIMEXTS1.0 looping extension is present or more than one
 * image is found; but when the whole file is in `b` (the trailer was reached), only the
 * number of images counts (some tools write the looping extension into one-frame GIFs).
 */
function isAnimatedGif(b: Uint8Array): boolean {
	let pos = 13; // header (6) + logical screen descriptor (7)
	const screenFlags = u8(b, 10);
	if (screenFlags < 0) return false;
	if (screenFlags & 0x80) pos += 3 * (1 << ((screenFlags & 0x07) + 1));
	let images = 0;
	let loopExtension = false;

	/** Skips data sub-blocks; returns the position after the terminator, or -1 past the end. */
	const skipSubBlocks = (p: number): number => {
		while (p < b.length) {
			const size = b[p];
			if (size === 0) return p + 1;
			p += size + 1;
		}
		return -1;
	};

	while (pos < b.length) {
		const introducer = b[pos];
		if (introducer === 0x3b) return images > 1; // trailer: the whole file was seen
		if (introducer === 0x21) {
			const label = u8(b, pos + 1);
			if (label < 0) break;
			if (label === 0xff && u8(b, pos + 2) === 11) {
				const app = ascii(b, pos + 3, 11);
				if (app === 'NETSCAPE2.0' || app === 'ANIMEXTS1.0') loopExtension = true;
			}
			const next = skipSubBlocks(pos + 2);
			if (next < 0) break;
			pos = next;
		} else if (introducer === 0x2c) {
			images++;
			if (images > 1) return true;
			const flags = u8(b, pos + 9);
			if (flags < 0) break;
			pos += 10;
			if (flags & 0x80) pos += 3 * (1 << ((flags & 0x07) + 1));
			pos += 1; // LZW minimum code size
			const next = skipSubBlocks(pos);
			if (next < 0) break;
			pos = next;
		} else {
			break; // not a valid block: stop walking, keep what was learnt
		}
	}
	return loopExtension || images > 1;
}

/** WebP extended format (`VP8X`) with the animation flag. */
function isAnimatedWebp(b: Uint8Array): boolean {
	return ascii(b, 12, 4) === 'VP8X' && (u8(b, 20) & 0x02) === 0x02;
}

const BMP_DIB_HEADER_SIZES = [12, 16, 40, 52, 56, 64, 108, 124];

/** ISO base media (`ftyp`) major brands that are not video. */
const HEIF_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'mif2', 'msf1'];
const AVIF_BRANDS = ['avif', 'avis', 'avio'];
const AUDIO_BRANDS = ['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B '];

/** QuickTime atoms that may come first in a `.mov` without an `ftyp` atom. */
const QUICKTIME_FIRST_ATOMS = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'];
const QUICKTIME_ATOMS = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'ftyp', 'uuid', 'PICT'];

function isoBoxSizeValid(size: number): boolean {
	return size === 0 || size === 1 || size >= 8;
}

type IsoBmff = 'video/mp4' | 'video/quicktime' | 'heif' | 'avif' | 'audio' | undefined;

function sniffIsoBmff(b: Uint8Array): IsoBmff {
	const size = u32be(b, 0);
	const type = ascii(b, 4, 4);
	if (type === 'ftyp') {
		if (size < 12 && size !== 1) return undefined;
		const brand = ascii(b, 8, 4);
		if (brand === '') return undefined;
		if (brand === 'qt  ') return 'video/quicktime';
		if (HEIF_BRANDS.indexOf(brand) !== -1) return 'heif';
		if (AVIF_BRANDS.indexOf(brand) !== -1) return 'avif';
		if (AUDIO_BRANDS.indexOf(brand) !== -1) return 'audio';
		return 'video/mp4';
	}
	if (QUICKTIME_FIRST_ATOMS.indexOf(type) === -1 || !isoBoxSizeValid(size)) return undefined;
	if (type === 'moov' || type === 'mdat') return 'video/quicktime';
	// `wide`/`free`/`skip`/`pnot` are common words in other files: also check the next atom
	// when it lies within the head.
	if (size < 8) return undefined;
	const nextType = ascii(b, size + 4, 4);
	if (nextType === '') return b.length >= size ? 'video/quicktime' : undefined;
	return QUICKTIME_ATOMS.indexOf(nextType) !== -1 ? 'video/quicktime' : undefined;
}

/** EBML variable-length integer at `pos`: `{ value, length }`; `keepMarker` for element ids. */
function readVint(
	b: Uint8Array,
	pos: number,
	keepMarker: boolean,
): { value: number; length: number } | undefined {
	const first = u8(b, pos);
	if (first <= 0) return undefined;
	let length = 1;
	while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
	if (length > 8 || pos + length > b.length) return undefined;
	let value = keepMarker ? first : first & (0xff >> length);
	for (let i = 1; i < length; i++) value = value * 256 + b[pos + i];
	return { value, length };
}

/** The DocType of an EBML file (`webm`, `matroska`), read from its EBML header. */
function ebmlDocType(b: Uint8Array): string | undefined {
	const headerSize = readVint(b, 4, false);
	if (headerSize) {
		let pos = 4 + headerSize.length;
		const end = Math.min(b.length, pos + headerSize.value);
		while (pos < end) {
			const id = readVint(b, pos, true);
			if (!id) break;
			const size = readVint(b, pos + id.length, false);
			if (!size) break;
			const dataStart = pos + id.length + size.length;
			if (id.value === 0x4282) {
				if (dataStart + size.value > b.length) break;
				return ascii(b, dataStart, size.value).replace(/\0+$/, '');
			}
			pos = dataStart + size.value;
		}
	}
	// Header cut short or malformed: look for the doc type string itself.
	if (indexOfAscii(b, 'webm', 4, 64) !== -1) return 'webm';
	if (indexOfAscii(b, 'matroska', 4, 64) !== -1) return 'matroska';
	return undefined;
}

/** MPEG transport stream: sync byte 0x47 every 188 bytes, at least 3 packets seen. */
function isMpegTs(b: Uint8Array): boolean {
	if (u8(b, 0) !== 0x47) return false;
	let checked = 0;
	for (let pos = 0; pos < b.length && checked < 10; pos += 188) {
		if (b[pos] !== 0x47) return false;
		checked++;
	}
	return checked >= 3;
}

const SRT_START =
	/^\s*\d+[ \t]*\r?\n[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}[ \t]*-->[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}/;
const VTT_START = /^WEBVTT(?:[ \t\r\n]|$)/;

function sniffText(b: Uint8Array): 'text/srt' | 'text/vtt' | undefined {
	const text = headText(b);
	if (VTT_START.test(text)) return 'text/vtt';
	if (SRT_START.test(text)) return 'text/srt';
	return undefined;
}

/**
 * The format of a file from its first bytes, or `undefined` when it is none of X's formats.
 * Pass at least `SNIFF_HEAD_BYTES` bytes (or the whole file when smaller) so that GIF animation
 * and the EBML doc type can be read.
 */
export function sniffMediaType(head: Uint8Array): SniffResult | undefined {
	const b = head;
	if (!b || b.length < 2) return undefined;

	if (startsWith(b, [0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', kind: 'image', animated: false };
	if (startsWith(b, PNG_SIGNATURE)) {
		return { mimeType: 'image/png', kind: 'image', animated: isAnimatedPng(b) };
	}
	const sig6 = ascii(b, 0, 6);
	// A GIF is at least its 6-byte signature and 7-byte logical screen descriptor.
	if ((sig6 === 'GIF87a' || sig6 === 'GIF89a') && b.length >= 13) {
		const animated = isAnimatedGif(b);
		return { mimeType: 'image/gif', kind: animated ? 'gif' : 'image', animated };
	}
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
		return { mimeType: 'image/webp', kind: 'image', animated: isAnimatedWebp(b) };
	}
	if (u8(b, 0) === 0x42 && u8(b, 1) === 0x4d && BMP_DIB_HEADER_SIZES.indexOf(u32le(b, 14)) !== -1) {
		return { mimeType: 'image/bmp', kind: 'image', animated: false };
	}
	if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
		return { mimeType: 'image/tiff', kind: 'image', animated: false };
	}
	const iso = sniffIsoBmff(b);
	if (iso === 'video/mp4' || iso === 'video/quicktime') return { mimeType: iso, kind: 'video', animated: true };
	if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) && ebmlDocType(b) === 'webm') {
		return { mimeType: 'video/webm', kind: 'video', animated: true };
	}
	if (isMpegTs(b)) return { mimeType: 'video/mp2t', kind: 'video', animated: true };
	const text = sniffText(b);
	if (text) return { mimeType: text, kind: 'subtitles', animated: false };
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Naming what was found (for messages)

const LABELS: Readonly<Record<XMediaType, string>> = {
	'image/jpeg': 'JPEG image',
	'image/pjpeg': 'JPEG image',
	'image/png': 'PNG image',
	'image/gif': 'GIF',
	'image/webp': 'WEBP image',
	'image/bmp': 'BMP image',
	'image/tiff': 'TIFF image',
	'video/mp4': 'MP4 video',
	'video/quicktime': 'QuickTime (MOV) video',
	'video/webm': 'WebM video',
	'video/mp2t': 'MPEG-TS video',
	'text/srt': 'SRT subtitles',
	'text/vtt': 'WebVTT subtitles',
};

/** "animated GIF", "still GIF", "PNG image", "MP4 video", … */
export function describeMediaType(media: SniffResult): string {
	if (media.mimeType === 'image/gif') return media.kind === 'gif' ? 'animated GIF' : 'still GIF';
	return LABELS[media.mimeType];
}

/** The formats X accepts, for messages. */
export const ACCEPTED_FORMATS_TEXT =
	'JPEG, PNG, GIF, WEBP, BMP or TIFF images, MP4, MOV, WebM or MPEG-TS videos, and SRT or VTT subtitles';

interface KnownOther {
	what: string;
	hint?: string;
}

/** Names common formats X does not take, so the error can say what the file really is. */
export function identifyUnsupported(b: Uint8Array): KnownOther | undefined {
	const iso = sniffIsoBmff(b);
	if (iso === 'heif') {
		return {
			what: 'a HEIC/HEIF image',
			hint: 'Convert it to JPEG or PNG first (for example with n8n\'s "Edit Image" node); on an iPhone, Settings > Camera > Formats > "Most Compatible" saves JPEG.',
		};
	}
	if (iso === 'avif') return { what: 'an AVIF image', hint: 'Convert it to JPEG, PNG or WEBP first.' };
	if (iso === 'audio') return { what: 'an audio file (M4A/AAC)', hint: 'X takes video, not audio alone.' };
	if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
		const docType = ebmlDocType(b);
		return {
			what: docType === 'matroska' ? 'a Matroska (MKV) video' : 'a Matroska/EBML file',
			hint: 'X does not take MKV. Convert it to MP4 (H.264 video, AAC audio). If it is really a WebM-compatible file (VP8/VP9 video), set Options > Media Type to video/webm.',
		};
	}
	const t4 = ascii(b, 0, 4);
	if (t4 === 'RIFF') {
		const form = ascii(b, 8, 4);
		if (form === 'WAVE') return { what: 'a WAV audio file', hint: 'X takes video, not audio alone.' };
		if (form === 'AVI ') return { what: 'an AVI video', hint: 'Convert it to MP4 (H.264 video, AAC audio).' };
	}
	if (t4 === '%PDF') return { what: 'a PDF document' };
	if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { what: 'a ZIP archive (or a .docx/.xlsx/.pptx document)' };
	if (startsWith(b, [0x1f, 0x8b])) return { what: 'a gzip-compressed file', hint: 'Decompress it first.' };
	if (t4 === 'Rar!') return { what: 'a RAR archive' };
	if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { what: 'a 7-Zip archive' };
	if (t4 === 'OggS') return { what: 'an Ogg audio/video file', hint: 'Convert it to MP4 or WebM.' };
	if (t4 === 'fLaC') return { what: 'a FLAC audio file', hint: 'X takes video, not audio alone.' };
	if (ascii(b, 0, 3) === 'ID3' || (u8(b, 0) === 0xff && (u8(b, 1) & 0xe0) === 0xe0 && (u8(b, 1) & 0x06) !== 0)) {
		return { what: 'an MP3 audio file', hint: 'X takes video, not audio alone.' };
	}
	if (ascii(b, 0, 3) === 'FLV') return { what: 'an FLV video', hint: 'Convert it to MP4 (H.264 video, AAC audio).' };
	if (t4 === '8BPS') return { what: 'a Photoshop (PSD) file', hint: 'Export it as PNG or JPEG.' };
	if (startsWith(b, [0x00, 0x00, 0x01, 0x00]) && u16le(b, 4) > 0) return { what: 'an ICO icon' };
	if (startsWith(b, [0xff, 0x0a]) || startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
		return { what: 'a JPEG XL image', hint: 'Convert it to JPEG or PNG first.' };
	}
	if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) {
		return { what: 'a JPEG 2000 image', hint: 'Convert it to JPEG or PNG first.' };
	}
	if (startsWith(b, [0x00, 0x00, 0x01, 0xba]) || startsWith(b, [0x00, 0x00, 0x01, 0xb3])) {
		return { what: 'an MPEG-PS/MPEG-1 video', hint: 'Convert it to MP4 (H.264 video, AAC audio).' };
	}
	if (looksLikeText(b)) {
		const text = headText(b, 512).replace(/^\s+/, '').toLowerCase();
		if (text.startsWith('<!doctype html') || text.startsWith('<html') || /^<head|^<body/.test(text)) {
			return {
				what: 'an HTML page',
				hint: 'The node before this one probably downloaded an error or login page instead of the file. Check its URL and authentication.',
			};
		}
		if (/^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<svg/.test(text) || text.startsWith('<svg')) {
			return { what: 'an SVG image', hint: 'Convert it to PNG first (for example with n8n\'s "Edit Image" node).' };
		}
		if (text.startsWith('<?xml')) return { what: 'an XML document' };
		if (text.startsWith('{') || text.startsWith('[')) {
			return {
				what: 'JSON text',
				hint: 'The node before this one returned JSON, not the file. In an HTTP Request node, set Response > Response Format to "File".',
			};
		}
		if (/^data:[a-z]+\/[a-z0-9.+-]+;base64,/.test(text)) {
			return {
				what: 'a base64 data URL (text)',
				hint: 'Decode it into binary first (for example with the "Convert to File" node, "Move Base64 String to File").',
			};
		}
		return { what: 'a text file' };
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text plausibility (for SRT/VTT named by MIME type or extension)

/**
 * Valid UTF-8 (a sequence cut by the end of the head is allowed) with no NUL and no control
 * characters other than tab, line feed, form feed and carriage return.
 */
export function looksLikeText(b: Uint8Array): boolean {
	if (b.length === 0) return false;
	let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
	while (i < b.length) {
		const c = b[i];
		if (c < 0x80) {
			if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
			if (c === 0x7f) return false;
			i++;
			continue;
		}
		let extra: number;
		let min: number;
		if (c >= 0xc2 && c <= 0xdf) {
			extra = 1;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			extra = 2;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			extra = 3;
			min = 0x10000;
		} else {
			return false;
		}
		let cp = c & (0x3f >> extra);
		for (let k = 1; k <= extra; k++) {
			if (i + k >= b.length) return true; // cut by the end of the head
			const cc = b[i + k];
			if ((cc & 0xc0) !== 0x80) return false;
			cp = cp * 64 + (cc & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
		i += extra + 1;
	}
	return true;
}

/** Text that could be subtitles: plausible text containing a cue timing arrow. */
function looksLikeSubtitles(b: Uint8Array): boolean {
	return looksLikeText(b) && indexOfAscii(b, '-->', 0, b.length) !== -1;
}

// ---------------------------------------------------------------------------------------------
// MIME types and file names

const MIME_ALIASES: Readonly<Record<string, XMediaType>> = {
	'image/jpg': 'image/jpeg',
	'image/x-png': 'image/png',
	'image/apng': 'image/png',
	'image/x-ms-bmp': 'image/bmp',
	'image/x-bmp': 'image/bmp',
	'image/tif': 'image/tiff',
	'image/x-tiff': 'image/tiff',
	'video/x-m4v': 'video/mp4',
	'video/mov': 'video/quicktime',
	'video/x-quicktime': 'video/quicktime',
	'video/vnd.dlna.mpeg-tts': 'video/mp2t',
	'application/x-subrip': 'text/srt',
	'application/x-srt': 'text/srt',
	'text/x-srt': 'text/srt',
	'text/x-subrip': 'text/srt',
	'text/webvtt': 'text/vtt',
};

/** MIME types that say nothing about the content. */
const GENERIC_MIME_TYPES = [
	'',
	'application/octet-stream',
	'binary/octet-stream',
	'application/binary',
	'application/unknown',
	'application/x-binary',
	'unknown/unknown',
];

function bareMimeType(value: string | undefined): string {
	return (value ?? '').split(';')[0].trim().toLowerCase();
}

/** X's spelling of a MIME type (`image/jpg` → `image/jpeg`), or undefined when X has no such type. */
export function normalizeMimeType(value: string | undefined): XMediaType | undefined {
	const bare = bareMimeType(value);
	if ((X_MEDIA_TYPES as readonly string[]).indexOf(bare) !== -1) return bare as XMediaType;
	return MIME_ALIASES[bare];
}

/** Lower-case extension without the dot, or '' (`photo.JPG` → `jpg`). */
export function fileExtension(fileName: string | undefined): string {
	const name = (fileName ?? '').trim();
	const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
	const base = name.slice(slash + 1);
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

const SUBTITLE_EXTENSIONS: Readonly<Record<string, XMediaType>> = { srt: 'text/srt', vtt: 'text/vtt' };

function sameType(a: XMediaType, b: XMediaType): boolean {
	const canon = (t: XMediaType): XMediaType => (t === 'image/pjpeg' ? 'image/jpeg' : t);
	return canon(a) === canon(b);
}

function mediaFromType(mimeType: XMediaType): SniffResult {
	const kind = MEDIA_TYPE_KIND[mimeType];
	// A forced image/gif whose bytes are not a recognisable GIF is taken as animated: the GIF
	// categories accept still GIFs too, and allow 15 MB instead of 5 MB.
	return { mimeType, kind, animated: kind === 'video' || kind === 'gif' };
}

function result(media: SniffResult, source: MediaTypeSource, mismatch?: string): ResolvedMediaType {
	const resolved: ResolvedMediaType = { ...media, source, label: describeMediaType(media) };
	if (mismatch) resolved.mismatch = mismatch;
	return resolved;
}

/**
 * Decide which of X's media types a binary is.
 *
 * 1. `override` (Options > Media Type) wins when it is one of X's types (aliases such as
 *    `image/jpg` are accepted); otherwise a MediaInputError lists the accepted types.
 * 2. The bytes (magic numbers), whatever the declared MIME type or file name say.
 * 3. SRT/VTT named by the declared MIME type, then by the `.srt`/`.vtt` extension, when the
 *    bytes are plausible subtitle text (UTF-8 text containing `-->`).
 * 4. Otherwise a MediaInputError naming what was found.
 *
 * Binary formats are never taken from the MIME type or name alone: a wrong guess upstream
 * would only fail later at X, after the whole file was uploaded.
 */
export function resolveMediaType(input: ResolveMediaTypeInput): ResolvedMediaType {
	const head = input.head ?? new Uint8Array(0);
	const sniffed = sniffMediaType(head);
	const declaredBare = bareMimeType(input.declaredMimeType);
	const declared = normalizeMimeType(input.declaredMimeType);
	const extension = fileExtension(input.fileName);

	const overrideText = (input.override ?? '').trim();
	if (overrideText !== '') {
		const forced = normalizeMimeType(overrideText);
		if (!forced) {
			throw new MediaInputError(
				`The Media Type option "${overrideText}" is not a type X accepts`,
				`Use one of: ${X_MEDIA_TYPES.join(', ')}. Or leave Media Type empty to detect the type from the file's content.`,
			);
		}
		if (sniffed && sameType(sniffed.mimeType, forced)) {
			return result({ ...sniffed, mimeType: forced }, 'override');
		}
		const mismatch = sniffed
			? `Media Type is set to ${forced}, but the file's content looks like a ${describeMediaType(sniffed)} (${sniffed.mimeType}); uploading as ${forced} as set.`
			: undefined;
		return result(mediaFromType(forced), 'override', mismatch);
	}

	if (head.length === 0) {
		throw new MediaInputError(
			`The file${input.fileName ? ` "${input.fileName}"` : ''} is empty (0 bytes)`,
			'X cannot take an empty file. Check the node that produced the binary data.',
		);
	}

	if (sniffed) {
		let mismatch: string | undefined;
		if (
			GENERIC_MIME_TYPES.indexOf(declaredBare) === -1 &&
			!(declared && sameType(declared, sniffed.mimeType)) &&
			!(sniffed.kind === 'subtitles' && !declared && declaredBare.startsWith('text/'))
		) {
			mismatch = `The binary's MIME type says ${declaredBare}, but its content is a ${describeMediaType(sniffed)}; uploading as ${sniffed.mimeType}.`;
		}
		return result(sniffed, 'bytes', mismatch);
	}

	if (looksLikeSubtitles(head)) {
		if (declared === 'text/srt' || declared === 'text/vtt') return result(mediaFromType(declared), 'mimeType');
		const byName = SUBTITLE_EXTENSIONS[extension];
		if (byName) return result(mediaFromType(byName), 'fileName');
	}

	throw unsupportedError(head, input.declaredMimeType, input.fileName, extension);
}

function unsupportedError(
	head: Uint8Array,
	declaredMimeType: string | undefined,
	fileName: string | undefined,
	extension: string,
): MediaInputError {
	const known = identifyUnsupported(head);
	const name = fileName ? ` "${fileName}"` : '';
	const message = known
		? `The file${name} is ${known.what}, which X does not accept`
		: `The file${name} is not a format X accepts`;
	const found: string[] = [];
	found.push(`MIME type ${bareMimeType(declaredMimeType) || '(none)'}`);
	found.push(`extension ${extension ? `.${extension}` : '(none)'}`);
	found.push(`first bytes ${hexPreview(head)}`);
	const parts = [
		`Found: ${found.join(', ')}.`,
		`X accepts ${ACCEPTED_FORMATS_TEXT}; the type is read from the file's content, not from its name.`,
	];
	const declared = normalizeMimeType(declaredMimeType) ?? SUBTITLE_EXTENSIONS[extension];
	if (declared && MEDIA_TYPE_KIND[declared] === 'subtitles') {
		parts.push(
			'A subtitle file must be UTF-8 text with cue timings ("00:00:01,000 --> 00:00:02,000" for SRT, a "WEBVTT" first line for VTT).',
		);
	}
	if (known?.hint) parts.push(known.hint);
	parts.push('If you are sure the file is one of these formats, set Options > Media Type to its MIME type.');
	return new MediaInputError(message, parts.join(' '));
}

/** How many trailing bytes `checkImageComplete` looks at. */
export const TAIL_CHECK_BYTES = 64 * KiB;

/**
 * Refuses an image whose end is missing (a download or conversion cut short): a PNG ends with
 * its IEND chunk, a GIF with its 0x3B trailer, a JPEG has its end-of-image marker (FFD9) near
 * the end (some cameras append data after it). Other types are not checked.
 */
export function checkImageComplete(mimeType: string, tail: Uint8Array, fileLabel: string): void {
	const n = tail.length;
	let complete = true;
	let what = '';
	if (mimeType === 'image/png') {
		complete = n >= 12 && ascii(tail, n - 8, 4) === 'IEND';
		what = 'a PNG ends with an IEND chunk';
	} else if (mimeType === 'image/gif') {
		complete = n >= 1 && tail[n - 1] === 0x3b;
		what = 'a GIF ends with its trailer byte (0x3B)';
	} else if (mimeType === 'image/jpeg' || mimeType === 'image/pjpeg') {
		complete = false;
		for (let i = n - 2; i >= 0; i--) {
			if (tail[i] === 0xff && tail[i + 1] === 0xd9) {
				complete = true;
				break;
			}
		}
		what = 'a JPEG ends with an end-of-image marker (FFD9)';
	}
	if (!complete) {
		throw new MediaInputError(
			`${fileLabel} is cut short: ${what}, and this one does not`,
			'The file was probably truncated by a failed download or conversion. Check the node that produced it and run the workflow again.',
		);
	}
}
