/**
 * What a file is, from its first bytes (magic numbers) alone: one of X's formats (its MIME
 * type), or a common format X does not take (named in the refusal). Format knowledge deeper than
 * a signature (ISO BMFF first boxes and brands, the EBML doc type, MPEG-TS packets) is the
 * format's reader's (readers/), asked here.
 *
 * Pure: no n8n runtime, no Node built-in imports. Never throws on arbitrary bytes.
 */
import type { XMediaType } from '../limits';
import { ascii, startsWith, u16le, u32le, u8 } from './bytes';
import { PNG_SIGNATURE } from './readers/images';
import { probeIsoBmff } from './readers/isoBmff';
import { ebmlDocType, isEbml } from './readers/matroska';
import { isMpegTs } from './readers/mpegTs';
import { headText, identifySubtitles, looksLikeText } from './text';

const BMP_DIB_HEADER_SIZES = [12, 16, 40, 52, 56, 64, 108, 124];

/**
 * Which of X's formats a file is from its first bytes, or `undefined` when it is none of them.
 * Pass at least `SNIFF_HEAD_BYTES` bytes (or the whole file when smaller) so that the EBML doc
 * type (and, in the readers, GIF animation) can be read.
 */
export function identify(b: Uint8Array): XMediaType | undefined {
	if (!b || b.length < 2) return undefined;
	if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(b, PNG_SIGNATURE)) return 'image/png';
	const sig6 = ascii(b, 0, 6);
	// A GIF is at least its 6-byte signature and 7-byte logical screen descriptor.
	if ((sig6 === 'GIF87a' || sig6 === 'GIF89a') && b.length >= 13) return 'image/gif';
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
	if (u8(b, 0) === 0x42 && u8(b, 1) === 0x4d && BMP_DIB_HEADER_SIZES.indexOf(u32le(b, 14)) !== -1) return 'image/bmp';
	if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
	const iso = probeIsoBmff(b);
	if (iso === 'video/mp4' || iso === 'video/quicktime') return iso;
	if (isEbml(b) && ebmlDocType(b) === 'webm') return 'video/webm';
	if (isMpegTs(b)) return 'video/mp2t';
	return identifySubtitles(b);
}

export interface KnownOther {
	what: string;
	hint?: string;
}

/** X's image formats, and where it says so (HEIC/HEIF and AVIF are in neither list). */
const X_IMAGE_FORMATS =
	'X takes JPG, PNG, GIF and WEBP images (https://docs.x.com/x-api/media/introduction; its API\'s media types add BMP and TIFF)';

/** A shell-safe file name for a command line, with another extension. */
function renamed(fileName: string | undefined, fallback: string, ext: string): { input: string; output: string } {
	const clean = (fileName ?? fallback).replace(/["\r\n`$\\]/g, '_');
	const dot = clean.lastIndexOf('.');
	return { input: `"${clean}"`, output: `"${dot > 0 ? clean.slice(0, dot) : clean}.${ext}"` };
}

/** Names common formats X does not take, so the error can say what the file really is. */
export function identifyUnsupported(b: Uint8Array, fileName?: string): KnownOther | undefined {
	const iso = probeIsoBmff(b);
	if (iso === 'heif') {
		const n = renamed(fileName, 'photo.heic', 'jpg');
		return {
			what: 'a HEIC/HEIF image',
			hint: `${X_IMAGE_FORMATS}. Convert it to JPEG or PNG first: heif-convert ${n.input} ${n.output} (libheif; or n8n's "Edit Image" node, or any image tool); on an iPhone, Settings > Camera > Formats > "Most Compatible" saves JPEG.`,
		};
	}
	if (iso === 'avif') {
		const still = renamed(fileName, 'image.avif', 'png');
		const moving = renamed(fileName, 'image.avif', 'mp4');
		return {
			what: 'an AVIF image',
			hint: `${X_IMAGE_FORMATS}. Convert it to PNG or JPEG first: ffmpeg -i ${still.input} ${still.output} (an animated AVIF to a video: ffmpeg -i ${moving.input} -c:v libx264 -pix_fmt yuv420p ${moving.output}).`,
		};
	}
	if (isEbml(b)) {
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
