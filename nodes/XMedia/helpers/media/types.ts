/**
 * What the readers report about a file, and the protocol they use to read it.
 *
 * A reader is a generator that asks for bytes: `{ read: n }` (it receives the next n bytes, fewer
 * only at the end of the file, or null when nothing is left) or `{ skip: n }` (it receives an
 * empty buffer once n bytes went by, or null when the file ended first). The driver
 * (`feeder.ts`) answers from whatever pieces a stream yields, or from bytes in memory, so a
 * reader never holds more than it asked to read, never sees a stream, and makes no request.
 *
 * Pure: no n8n runtime, no Node built-in imports (`Buffer` is a global).
 */

/** The `media_info` output of an upload (see the README). */
export interface MediaInfo {
	kind: 'image' | 'gif' | 'video' | 'subtitles';
	container: string;
	width: number | null;
	height: number | null;
	duration_ms: number | null;
	frame_rate: number | null;
	frame_count: number | null;
	video_codec: string | null;
	audio_codec: string | null;
	audio_channels: number | null;
	/** Degrees the player turns the picture clockwise (0, 90, 180, 270); width/height are after it. Videos only. */
	rotation: number | null;
}

/** What a reader found beyond media_info's fields: used by the rules, not output. */
export interface MediaDetails {
	/** Chroma subsampling of the video, e.g. '4:2:0', '4:2:2', '4:4:4', '4:0:0'. */
	chroma?: string;
	/** Pixel aspect ratio from `pasp` (h/v spacing), when not 1:1 only matters. */
	pixelAspect?: [number, number];
	/** H.264 / HEVC profile number (avcC AVCProfileIndication, hvcC general_profile_idc). */
	profile?: number;
	/** How many audio tracks the file has (the first one is reported). */
	audioTracks?: number;
	/** How many video (picture) tracks the file has; 0 is an audio-only file. */
	videoTracks?: number;
	/** Bits per sample of the video (8, 10, 12), from the SPS or the codec configuration. */
	bitDepth?: number;
	/** The video is coded as fields (H.264 frame_mbs_only_flag 0, HEVC interlaced source, Matroska FlagInterlaced). */
	interlaced?: boolean;
	/** The video's stored length when an edit list makes it play shorter (duration_ms is what plays). */
	storedDurationMs?: number;
	/** ISO BMFF: fragmented (`mvex` in `moov`). */
	fragmented?: boolean;
	/** ISO BMFF: where `moov` started (bytes), to tell moov-first from moov-last files. */
	moovOffset?: number;
	/** GIF, PNG, WEBP: animated, as far as the reader got (type detection reads the head only). */
	animated?: boolean;
}

/** What inspecting one file gave: media_info, the rules' details, a structure problem. */
export interface MediaInspection {
	info: MediaInfo;
	details: MediaDetails;
	/** Set when the file's structure is broken (truncated, not what its type says). */
	problem?: string;
}

/** The fields a reader fills in (everything is optional until the reader finds it). */
export interface ReadState {
	info: Partial<Omit<MediaInfo, 'kind'>>;
	details: MediaDetails;
}

export type ReadRequest = { read: number } | { skip: number };

/** A reader: yields requests, receives bytes (or null at the end of the file), returns when done. */
export type MediaReader = Generator<ReadRequest, void, Buffer | null>;

/** A file whose structure is broken or not what its type says: a clear message, no stack. */
export class MediaStructureError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MediaStructureError';
		Object.setPrototypeOf(this, new.target.prototype);
	}
}

/** Largest single read any reader asks for (a `moov` box, Matroska `Tracks`): bounds memory. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/** Reads exactly `n` bytes or throws `what` when the file ends first. */
export function* readExactly(n: number, what: string): Generator<ReadRequest, Buffer, Buffer | null> {
	if (n > MAX_READ_BYTES) throw new MediaStructureError(`${what} claims ${n} bytes, more than the ${MAX_READ_BYTES} a header may take`);
	const got = yield { read: n };
	if (!got || got.length < n) throw new MediaStructureError(`the file ends inside ${what} (truncated file)`);
	return got;
}

/** Reads up to `n` bytes; null at the end of the file. */
export function* readUpTo(n: number): Generator<ReadRequest, Buffer | null, Buffer | null> {
	const got = yield { read: n };
	return got && got.length > 0 ? got : null;
}

/** Skips `n` bytes or throws `what` when the file ends first. */
export function* skipExactly(n: number, what: string): Generator<ReadRequest, void, Buffer | null> {
	if (n <= 0) return;
	const got = yield { skip: n };
	if (got === null) throw new MediaStructureError(`the file ends inside ${what} (truncated file)`);
}

/** Rounds to at most 3 decimals (29.97002997 → 29.97). */
export function round3(value: number): number {
	return Math.round(value * 1000) / 1000;
}
