/**
 * GIF (screen size, frames, delays), PNG/APNG (IHDR, acTL, fcTL), JPEG (SOFn) and WEBP
 * (VP8, VP8L, VP8X, ANIM/ANMF) readers. GIF, APNG and animated WEBP are walked to their end
 * (block by block, skipping pixel data) to count frames; still images stop at their header.
 * As they walk, the GIF, PNG and WEBP readers note whether the image is animated as far as they
 * got (`details.animated`): type detection runs them over the file's head to tell an animated
 * GIF from a still one. Also: how each image format ends (the truncation check).
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaInputError } from '../../errors';
import { KiB } from '../../limits';
import { ascii } from '../bytes';
import { MediaStructureError, readExactly, readUpTo, skipExactly } from '../types';
import type { MediaReader, ReadState } from '../types';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** GIF application extensions that make it loop (an animation). */
const LOOP_EXTENSIONS = ['NETSCAPE2.0', 'ANIMEXTS1.0'];

/** More frames than this is not an image X takes, and not worth walking further. */
const MAX_FRAMES = 1000000;

export function* readGif(state: ReadState): MediaReader {
	state.info.container = 'gif';
	const header = yield* readExactly(13, 'the GIF header');
	const signature = header.toString('latin1', 0, 6);
	if (signature !== 'GIF87a' && signature !== 'GIF89a') throw new MediaStructureError('the file does not start with a GIF header');
	state.info.width = header.readUInt16LE(6);
	state.info.height = header.readUInt16LE(8);
	if (header[10] & 0x80) yield* skipExactly(3 * (1 << ((header[10] & 0x07) + 1)), 'the global colour table');
	let frames = 0;
	let delayCs = 0;
	let pendingDelay = 0;
	// Animated: more than one image, or a looping extension until the trailer shows the whole
	// file (some tools write the looping extension into one-frame GIFs).
	let loop = false;
	state.details.animated = false;
	const subBlocks = function* (what: string) {
		for (;;) {
			const size = yield* readExactly(1, what);
			if (size[0] === 0) return;
			yield* skipExactly(size[0], what);
		}
	};
	for (;;) {
		const introducer = yield* readUpTo(1);
		if (introducer === null) throw new MediaStructureError('the GIF ends without its trailer (truncated file)');
		if (introducer[0] === 0x3b) {
			state.details.animated = frames > 1;
			break;
		}
		if (introducer[0] === 0x21) {
			const label = yield* readExactly(1, 'an extension');
			if (label[0] === 0xf9) {
				// Its first sub-block (4 bytes: flags, delay, transparent colour) and the next one's size.
				const size = (yield* readExactly(1, 'a graphic control extension'))[0];
				if (size === 0) continue;
				const block = yield* readExactly(size + 1, 'a graphic control extension');
				if (size >= 4) pendingDelay = block.readUInt16LE(1);
				if (block[size] !== 0) {
					yield* skipExactly(block[size], 'a graphic control extension');
					yield* subBlocks('a graphic control extension');
				}
				continue;
			}
			const size = (yield* readExactly(1, 'an extension'))[0];
			if (size === 0) continue;
			if (label[0] === 0xff && size === 11) {
				// An application extension: its identifier says whether the GIF loops.
				if (LOOP_EXTENSIONS.indexOf((yield* readExactly(11, 'an extension')).toString('latin1')) !== -1) {
					loop = true;
					state.details.animated = true;
				}
			} else {
				yield* skipExactly(size, 'an extension');
			}
			yield* subBlocks('an extension');
		} else if (introducer[0] === 0x2c) {
			if (++frames > MAX_FRAMES) throw new MediaStructureError(`more than ${MAX_FRAMES} frames`);
			state.details.animated = loop || frames > 1;
			delayCs += pendingDelay;
			pendingDelay = 0;
			const descriptor = yield* readExactly(9, 'an image descriptor');
			if (descriptor[8] & 0x80) yield* skipExactly(3 * (1 << ((descriptor[8] & 0x07) + 1)), 'a local colour table');
			yield* readExactly(1, 'image data');
			yield* subBlocks('image data');
		} else {
			throw new MediaStructureError(`an unknown GIF block (0x${introducer[0].toString(16)}) after ${frames} frame(s)`);
		}
	}
	if (frames === 0) throw new MediaStructureError('the GIF has no image');
	state.info.frame_count = frames;
	state.info.duration_ms = frames > 1 ? delayCs * 10 : null;
}

export function* readPng(state: ReadState): MediaReader {
	state.info.container = 'png';
	const signature = yield* readExactly(8, 'the PNG signature');
	if (signature.readUInt32BE(0) !== 0x89504e47) throw new MediaStructureError('the file does not start with a PNG signature');
	let frames: number | undefined;
	let delayMs = 0;
	let controls = 0;
	for (let first = true; ; first = false) {
		const head = yield* readUpTo(8);
		if (head === null) throw new MediaStructureError('the PNG ends without its IEND chunk (truncated file)');
		if (head.length < 8) throw new MediaStructureError('the file ends inside a PNG chunk header (truncated file)');
		const length = head.readUInt32BE(0);
		const type = head.toString('latin1', 4, 8);
		if (length > 0x7fffffff) throw new MediaStructureError(`PNG chunk "${type}" claims an impossible length`);
		if (first && type !== 'IHDR') throw new MediaStructureError('the PNG does not start with its IHDR chunk');
		if (type === 'IHDR' || type === 'acTL' || type === 'fcTL') {
			const data = yield* readExactly(length, `the ${type} chunk`);
			yield* skipExactly(4, `the ${type} chunk`);
			if (type === 'IHDR' && length >= 8) {
				state.info.width = data.readUInt32BE(0);
				state.info.height = data.readUInt32BE(4);
			} else if (type === 'acTL' && length >= 4) {
				frames = data.readUInt32BE(0);
				state.details.animated = frames > 1;
			} else if (type === 'fcTL' && length >= 26) {
				controls++;
				const den = data.readUInt16BE(22) || 100;
				delayMs += (data.readUInt16BE(20) / den) * 1000;
			}
			continue;
		}
		if (type === 'IEND') break;
		if (type === 'IDAT' && frames === undefined) break; // a still PNG: nothing more to learn
		yield* skipExactly(length + 4, `the ${type} chunk`);
	}
	state.info.frame_count = frames ?? 1;
	state.info.duration_ms = frames !== undefined && frames > 1 && controls > 0 ? Math.round(delayMs) : null;
}

export function* readJpeg(state: ReadState): MediaReader {
	state.info.container = 'jpeg';
	const soi = yield* readExactly(2, 'the JPEG start marker');
	if (soi[0] !== 0xff || soi[1] !== 0xd8) throw new MediaStructureError('the file does not start with a JPEG marker');
	for (let count = 0; count < 100000; count++) {
		let marker = (yield* readExactly(1, 'a JPEG marker'))[0];
		if (marker !== 0xff) throw new MediaStructureError('bytes between JPEG segments where a marker belongs');
		while (marker === 0xff) marker = (yield* readExactly(1, 'a JPEG marker'))[0];
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
		if (marker === 0xd9 || marker === 0xda) throw new MediaStructureError('the JPEG has no frame header (SOF) before its image data');
		const length = (yield* readExactly(2, 'a JPEG segment length')).readUInt16BE(0);
		if (length < 2) throw new MediaStructureError('a JPEG segment with an impossible length');
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			const sof = yield* readExactly(length - 2, 'the JPEG frame header');
			if (sof.length < 6) throw new MediaStructureError('a JPEG frame header too short');
			state.info.height = sof.readUInt16BE(1);
			state.info.width = sof.readUInt16BE(3);
			state.info.frame_count = 1;
			if (state.info.width === 0 || state.info.height === 0) throw new MediaStructureError('the JPEG frame header gives a size of 0');
			return;
		}
		yield* skipExactly(length - 2, 'a JPEG segment');
	}
	throw new MediaStructureError('too many JPEG segments before the frame header');
}

export function* readWebp(state: ReadState): MediaReader {
	state.info.container = 'webp';
	const riff = yield* readExactly(12, 'the RIFF header');
	if (riff.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WEBP') throw new MediaStructureError('the file does not start with a WEBP RIFF header');
	let animated = false;
	let frames = 0;
	let durationMs = 0;
	for (;;) {
		const head = yield* readUpTo(8);
		if (head === null) break;
		if (head.length < 8) throw new MediaStructureError('the file ends inside a WEBP chunk header (truncated file)');
		const type = head.toString('latin1', 0, 4);
		const size = head.readUInt32LE(4);
		const padded = size + (size & 1);
		if (type === 'VP8X' && size >= 10) {
			const d = yield* readExactly(10, 'the VP8X chunk');
			animated = (d[0] & 0x02) !== 0;
			state.details.animated = animated;
			state.info.width = 1 + d.readUIntLE(4, 3);
			state.info.height = 1 + d.readUIntLE(7, 3);
			yield* skipExactly(padded - 10, 'the VP8X chunk');
		} else if (type === 'ANMF' && size >= 16) {
			const d = yield* readExactly(16, 'an ANMF frame');
			if (++frames > MAX_FRAMES) throw new MediaStructureError(`more than ${MAX_FRAMES} frames`);
			durationMs += d.readUIntLE(12, 3);
			yield* skipExactly(padded - 16, 'an ANMF frame');
		} else if ((type === 'VP8 ' && size >= 10) || (type === 'VP8L' && size >= 5)) {
			const d = yield* readExactly(Math.min(10, size), `the ${type.trim()} chunk`);
			if (state.info.width === undefined) {
				if (type === 'VP8 ') {
					if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) throw new MediaStructureError('the VP8 frame has no start code');
					state.info.width = d.readUInt16LE(6) & 0x3fff;
					state.info.height = d.readUInt16LE(8) & 0x3fff;
				} else {
					if (d[0] !== 0x2f) throw new MediaStructureError('the VP8L image has no signature');
					const bits = d.readUInt32LE(1);
					state.info.width = 1 + (bits & 0x3fff);
					state.info.height = 1 + ((bits >> 14) & 0x3fff);
				}
			}
			if (!animated) {
				frames = 1;
				break;
			}
			yield* skipExactly(padded - d.length, `the ${type.trim()} chunk`);
		} else {
			yield* skipExactly(padded, `the ${type} chunk`);
		}
	}
	if (state.info.width === undefined) throw new MediaStructureError('the WEBP has no image chunk');
	state.info.frame_count = Math.max(frames, 1);
	state.info.duration_ms = animated && frames > 1 ? durationMs : null;
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
