/**
 * ISO base media (MP4, MOV, fragmented MP4): what the first box says (`ftyp` brand, or an old
 * QuickTime file's first atom), and a push reader that walks the top-level boxes through the
 * stream, reads `ftyp`, `moov` and `moof` boxes (see isoMoov.ts), and skips everything else
 * (`mdat` payload is never held). When `moov` comes first and the file is not fragmented it
 * stops right after it.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { ascii, fourcc, u32be, u64be } from '../bytes';
import { MediaStructureError, readExactly, readUpTo, round3, skipExactly } from '../types';
import type { MediaReader, ReadState } from '../types';
import { addFragment, parseMoov } from './isoMoov';
import type { MoovFacts } from './isoMoov';

const MAX_BOXES = 100000;

/** `ftyp` major brands that are not video (named in the refusal of a file X does not take). */
const HEIF_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'mif2', 'msf1'];
const AVIF_BRANDS = ['avif', 'avis', 'avio'];
const AUDIO_BRANDS = ['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B '];

/** Boxes an MP4/MOV may start with other than `ftyp` (old QuickTime files have none). */
const FIRST_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'uuid'];
/** Atoms that may follow such a first box in a QuickTime file. */
const NEXT_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'ftyp', 'uuid', 'PICT'];

export type IsoBmffFamily = 'video/mp4' | 'video/quicktime' | 'heif' | 'avif' | 'audio';

/** What a file's first box says it is, from its head; undefined when it is not ISO BMFF. */
export function probeIsoBmff(b: Uint8Array): IsoBmffFamily | undefined {
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
	if (FIRST_BOXES.indexOf(type) === -1 || !(size === 0 || size === 1 || size >= 8)) return undefined;
	if (type === 'moov' || type === 'mdat') return 'video/quicktime';
	// `wide`/`free`/`skip`/`pnot`/`uuid` are common words in other files: also check the next atom
	// when it lies within the head.
	if (size < 8) return undefined;
	const nextType = ascii(b, size + 4, 4);
	if (nextType === '') return b.length >= size ? 'video/quicktime' : undefined;
	return NEXT_BOXES.indexOf(nextType) !== -1 ? 'video/quicktime' : undefined;
}

/** The reader: `fileSize` is the size n8n stored (boxes may not claim more). */
export function* readIsoBmff(state: ReadState, fileSize: number): MediaReader {
	let pos = 0;
	let moov: MoovFacts | undefined;
	const fragments = { samples: 0, delta: 0 };
	let sawMoof = false;
	let count = 0;
	for (;;) {
		const head = yield* readUpTo(8);
		if (head === null) break;
		if (head.length < 8) throw new MediaStructureError(`the file ends inside a box header at byte ${pos} (truncated file)`);
		if (++count > MAX_BOXES) throw new MediaStructureError(`more than ${MAX_BOXES} top-level boxes`);
		let size = head.readUInt32BE(0);
		const type = head.toString('latin1', 4, 8);
		let headerBytes = 8;
		if (size === 1) {
			const large = yield* readExactly(8, `the 64-bit size of box "${fourcc(type)}"`);
			size = u64be(large, 0);
			headerBytes = 16;
		} else if (size === 0) {
			size = fileSize - pos; // the box runs to the end of the file
		}
		if (size < headerBytes) throw new MediaStructureError(`box "${fourcc(type)}" at byte ${pos} has an impossible size of ${size} bytes`);
		if (pos + size > fileSize) {
			throw new MediaStructureError(
				`box "${fourcc(type)}" at byte ${pos} claims ${size} bytes, past the end of the file (${fileSize} bytes): the file is truncated`,
			);
		}
		const payload = size - headerBytes;
		if (pos === 0 && type !== 'ftyp' && FIRST_BOXES.indexOf(type) === -1) {
			throw new MediaStructureError(`the file does not start with an MP4/MOV box (found "${fourcc(type)}")`);
		}
		if (type === 'moov' && moov === undefined) {
			state.details.moovOffset = pos;
			const bytes = yield* readExactly(payload, 'the "moov" box');
			moov = parseMoov(bytes, { type, start: 0, end: bytes.length }, state);
			if (!state.details.fragmented || moov.fragmentDuration) {
				if (!state.details.fragmented) break;
			}
		} else if (type === 'moof' && moov !== undefined && moov.video) {
			sawMoof = true;
			const bytes = yield* readExactly(payload, 'a "moof" box');
			addFragment(bytes, moov.video.id, moov.trexDurations.get(moov.video.id) ?? 0, fragments);
		} else if (type === 'ftyp') {
			const bytes = yield* readExactly(Math.min(payload, 4096), 'the "ftyp" box');
			state.info.container = bytes.toString('latin1', 0, 4) === 'qt  ' ? 'mov' : 'mp4';
			yield* skipExactly(payload - bytes.length, 'the "ftyp" box');
		} else {
			yield* skipExactly(payload, `box "${fourcc(type)}"`);
		}
		pos += size;
		if (pos >= fileSize) break;
	}
	if (state.info.container === undefined) state.info.container = 'mov';
	if (!moov) throw new MediaStructureError('the file has no "moov" box (no movie header): it is not a playable MP4/MOV');
	finish(state, moov, sawMoof ? fragments : undefined);
}

function finish(state: ReadState, moov: MoovFacts, fragments: { samples: number; delta: number } | undefined): void {
	const video = moov.video;
	if (!video) {
		state.info.video_codec = null;
		state.info.width = state.info.width ?? null;
		state.info.height = state.info.height ?? null;
		if (moov.movieTimescale > 0) state.info.duration_ms = Math.round((moov.movieDuration / moov.movieTimescale) * 1000);
		return;
	}
	const scale = video.timescale;
	let duration = video.duration === 0xffffffff ? 0 : video.duration;
	let samples = video.samples;
	let delta = video.sampleDelta;
	if (fragments && fragments.samples > 0) {
		samples += fragments.samples;
		delta += fragments.delta;
		if (duration < delta) duration = delta;
	}
	if (duration === 0 && moov.fragmentDuration && moov.movieTimescale > 0) {
		state.info.duration_ms = Math.round((moov.fragmentDuration / moov.movieTimescale) * 1000);
	} else if (scale > 0) {
		state.info.duration_ms = Math.round((duration / scale) * 1000);
	}
	if (scale > 0 && samples > 0 && delta > 0) state.info.frame_rate = round3((samples * scale) / delta);
}
