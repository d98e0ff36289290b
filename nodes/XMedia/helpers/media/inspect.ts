/**
 * Picks the reader for a file's type and turns what it found into `media_info`; tells from a
 * file's head whether an image is animated (its reader run over the head).
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { feedBytes, MediaFeeder } from './feeder';
import type { FeedOutcome } from './feeder';
import { readGif, readJpeg, readPng, readWebp } from './readers/images';
import { readIsoBmff } from './readers/isoBmff';
import { readMatroska } from './readers/matroska';
import { readMpegTs } from './readers/mpegTs';
import type { MediaInfo, MediaInspection, MediaReader, ReadState } from './types';

const CONTAINERS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
	'video/webm': 'webm',
	'video/mp2t': 'ts',
	'image/gif': 'gif',
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'image/pjpeg': 'jpeg',
	'image/webp': 'webp',
	'image/bmp': 'bmp',
	'image/tiff': 'tiff',
	'text/srt': 'srt',
	'text/vtt': 'vtt',
};

/** A reader for the MIME type, or undefined when the node reads nothing of it (BMP, TIFF, subtitles). */
function readerFor(mimeType: string, state: ReadState, fileSize: number): MediaReader | undefined {
	switch (mimeType) {
		case 'video/mp4':
		case 'video/quicktime':
			return readIsoBmff(state, fileSize);
		case 'video/webm':
			return readMatroska(state, fileSize);
		case 'video/mp2t':
			return readMpegTs(state);
		case 'image/gif':
			return readGif(state);
		case 'image/png':
			return readPng(state);
		case 'image/jpeg':
		case 'image/pjpeg':
			return readJpeg(state);
		case 'image/webp':
			return readWebp(state);
		default:
			return undefined;
	}
}

/** One file's inspection in progress: feed it the file's pieces, then `result()`. */
export class MediaInspector {
	private readonly state: ReadState = { info: {}, details: {} };
	private readonly feeder: MediaFeeder | undefined;

	constructor(
		private readonly mimeType: string,
		private readonly kind: MediaInfo['kind'],
		fileSize: number,
	) {
		const reader = readerFor(mimeType, this.state, fileSize);
		this.feeder = reader ? new MediaFeeder(reader) : undefined;
	}

	/** True when no more bytes are needed (or none ever were). */
	get done(): boolean {
		return this.feeder === undefined || this.feeder.done;
	}

	/** Feeds the next piece (push mode; `handOver`: see MediaFeeder.push). */
	push(piece: Uint8Array, handOver = false): boolean {
		return this.feeder ? this.feeder.push(piece, handOver) : true;
	}

	/** Seek mode: where the next needed byte is, and what the reader wants there (see MediaFeeder). */
	get position(): number {
		return this.feeder ? this.feeder.position : 0;
	}

	nextNeed(): { read: number } | { skip: number } | undefined {
		return this.feeder?.nextNeed();
	}

	/** Seek mode: jumps over `n` bytes the reader skips, without reading them. */
	skip(n: number): boolean {
		return this.feeder ? this.feeder.skip(n) : true;
	}

	result(): MediaInspection {
		const outcome: FeedOutcome | undefined = this.feeder?.end();
		return toInspection(this.mimeType, this.kind, this.state, outcome?.error);
	}
}

/** `media_info` before any byte was read: the kind and container, every measure null. */
export function unreadMediaInfo(mimeType: string, kind: MediaInfo['kind']): MediaInfo {
	return toInspection(mimeType, kind, { info: {}, details: {} }, undefined).info;
}

function toInspection(mimeType: string, kind: MediaInfo['kind'], state: ReadState, problem: string | undefined): MediaInspection {
	const i = state.info;
	const value = (v: number | undefined | null) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
	const info: MediaInfo = {
		kind,
		container: i.container ?? CONTAINERS[mimeType] ?? mimeType,
		width: value(i.width),
		height: value(i.height),
		duration_ms: value(i.duration_ms),
		frame_rate: kind === 'video' ? value(i.frame_rate) : null,
		frame_count: kind === 'video' ? null : value(i.frame_count),
		video_codec: kind === 'video' ? (i.video_codec ?? null) : null,
		audio_codec: kind === 'video' ? (i.audio_codec ?? null) : null,
		audio_channels: kind === 'video' ? value(i.audio_channels) : null,
		// A picture no reader found turned is shown as stored (MP4/MOV: the tkhd matrix).
		rotation: kind === 'video' && i.video_codec ? (value(i.rotation) ?? 0) : null,
	};
	return problem === undefined ? { info, details: state.details } : { info, details: state.details, problem };
}

/** Inspects a file held in memory (tests; the driver is the same as for streams). */
export function inspectBytes(bytes: Uint8Array, mimeType: string, kind: MediaInfo['kind'], pieceBytes?: number): MediaInspection {
	const state: ReadState = { info: {}, details: {} };
	const reader = readerFor(mimeType, state, bytes.length);
	const outcome = reader ? feedBytes(reader, bytes, pieceBytes) : undefined;
	return toInspection(mimeType, kind, state, outcome?.error);
}

/**
 * Whether a GIF, PNG or WEBP is animated as far as `head` shows: its reader is run over the head
 * and stops where the head ends. A GIF is animated when it has more than one image, or a looping
 * extension, unless the head is the whole file (its trailer seen) and that shows one image.
 */
export function animatedInHead(mimeType: 'image/gif' | 'image/png' | 'image/webp', head: Uint8Array): boolean {
	const state: ReadState = { info: {}, details: {} };
	new MediaFeeder(readerFor(mimeType, state, head.length) as MediaReader).push(head);
	return state.details.animated === true;
}
