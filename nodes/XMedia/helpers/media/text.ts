/**
 * Text in a file's head: plausible UTF-8 text, and SRT / WebVTT subtitles by their first cue.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { ascii, indexOfAscii, startsWith } from './bytes';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The first `max` bytes as latin1 text, after a UTF-8 BOM if there is one. */
export function headText(b: Uint8Array, max = 2048): string {
	const start = startsWith(b, UTF8_BOM) ? 3 : 0;
	return ascii(b, start, Math.max(0, Math.min(b.length, start + max) - start));
}

/**
 * Valid UTF-8 (a sequence cut by the end of the head is allowed) with no NUL and no control
 * characters other than tab, line feed, form feed and carriage return.
 */
export function looksLikeText(b: Uint8Array): boolean {
	if (b.length === 0) return false;
	let i = startsWith(b, UTF8_BOM) ? 3 : 0;
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

const SRT_START =
	/^\s*\d+[ \t]*\r?\n[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}[ \t]*-->[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}/;
const VTT_START = /^WEBVTT(?:[ \t\r\n]|$)/;

/** SRT or VTT by its first cue (SRT) or its WEBVTT first line. */
export function identifySubtitles(b: Uint8Array): 'text/srt' | 'text/vtt' | undefined {
	const text = headText(b);
	if (VTT_START.test(text)) return 'text/vtt';
	if (SRT_START.test(text)) return 'text/srt';
	return undefined;
}

/** Text that could be subtitles (named so by MIME type or extension): plausible text with a cue timing arrow. */
export function looksLikeSubtitles(b: Uint8Array): boolean {
	return looksLikeText(b) && indexOfAscii(b, '-->', 0, b.length) !== -1;
}
