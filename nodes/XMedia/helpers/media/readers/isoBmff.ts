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
import type { EditEntry, MoovFacts } from './isoMoov';

const MAX_BOXES = 100000;

/**
 * `ftyp` brands of still images and image sequences (HEIF, ISO/IEC 23008-12; AVIF): formats X
 * takes in neither its docs nor its API's media types. A generic HEIF major brand (`mif1`,
 * `msf1`, `miaf`) with an AVIF compatible brand is an AVIF.
 */
const HEIF_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'mif2', 'msf1', 'miaf'];
const AVIF_BRANDS = ['avif', 'avis', 'avio'];

/** Boxes an MP4/MOV may start with other than `ftyp` (old QuickTime files have none). */
const FIRST_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'uuid'];
/** Atoms that may follow such a first box in a QuickTime file. */
const NEXT_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'ftyp', 'uuid', 'PICT'];

/**
 * An M4A (`M4A `, `M4B `…) is an MP4 file like any other: it goes to the MP4 reader, and X's rule
 * that a video has a picture refuses it when it holds audio alone (the same as an audio-only .mp4).
 */
export type IsoBmffFamily = 'video/mp4' | 'video/quicktime' | 'heif' | 'avif';

/** The `ftyp` compatible brands within the head (at most 64). */
function compatibleBrands(b: Uint8Array, size: number): string[] {
	const out: string[] = [];
	for (let at = 16; at + 4 <= Math.min(size, b.length) && out.length < 64; at += 4) out.push(ascii(b, at, 4));
	return out;
}

/** What a file's first box says it is, from its head; undefined when it is not ISO BMFF. */
export function probeIsoBmff(b: Uint8Array): IsoBmffFamily | undefined {
	const size = u32be(b, 0);
	const type = ascii(b, 4, 4);
	if (type === 'ftyp') {
		if (size < 12 && size !== 1) return undefined;
		const brand = ascii(b, 8, 4);
		if (brand === '') return undefined;
		if (brand === 'qt  ') return 'video/quicktime';
		if (AVIF_BRANDS.indexOf(brand) !== -1) return 'avif';
		if (HEIF_BRANDS.indexOf(brand) !== -1) {
			return compatibleBrands(b, size).some((c) => AVIF_BRANDS.indexOf(c) !== -1) ? 'avif' : 'heif';
		}
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
		const played = state.details.fragmented ? undefined : playedMs(video.edits, moov.movieTimescale, duration / scale);
		if (played !== undefined && played !== state.info.duration_ms) {
			if (played < state.info.duration_ms) state.details.storedDurationMs = state.info.duration_ms;
			state.info.duration_ms = played;
		}
	}
	if (scale > 0 && samples > 0 && delta > 0) state.info.frame_rate = round3((samples * scale) / delta);
	state.info.rotation = video.rotation;
	if (video.rotation % 180 === 90 && typeof state.info.width === 'number' && typeof state.info.height === 'number') {
		[state.info.width, state.info.height] = [state.info.height, state.info.width];
	}
}

/**
 * How long the track plays, in ms, as players apply its edit list: each edit plays its
 * segment_duration (movie timescale), an empty edit (media_time -1) as a pause, a media edit at
 * most the media the track stores. A non-zero media_time alone trims nothing (encoders write the
 * B-frame delay there); a played length shorter than the stored one is a trim. Undefined without
 * a usable edit list (none, or a segment_duration of 0, which fragmented files use for "all").
 */
function playedMs(edits: EditEntry[] | undefined, movieTimescale: number, storedSecs: number): number | undefined {
	if (!edits || edits.length === 0 || movieTimescale <= 0) return undefined;
	let secs = 0;
	for (const edit of edits) {
		if (edit.segment <= 0) return undefined;
		const length = edit.segment / movieTimescale;
		secs += edit.mediaTime === -1 ? length : Math.min(length, storedSecs);
	}
	return Math.round(secs * 1000);
}
