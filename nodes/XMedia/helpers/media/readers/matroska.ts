/**
 * WebM / Matroska (EBML): reads the EBML header's DocType, then the Segment's `Info`
 * (TimecodeScale, Duration) and `Tracks` (CodecID, PixelWidth/Height, FlagInterlaced, Colour's
 * BitsPerChannel, the codec configuration in CodecPrivate, Channels, DefaultDuration),
 * skipping every other element; stops as soon as both are read, or at the first Cluster.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { ebmlElements, ebmlString, indexOfAscii, readVint, startsWith, vintLength } from '../bytes';
import type { EbmlElement } from '../bytes';
import { MediaStructureError, readExactly, readUpTo, round3, skipExactly } from '../types';
import type { MediaReader, ReadRequest, ReadState } from '../types';
import { parseAv1C, parseAvcC, parseHvcC } from './codecConfig';
import { aacObjectTypeName, parseAudioSpecificConfig } from './mpeg4Audio';

const ID = {
	EBML: 0x1a45dfa3,
	DocType: 0x4282,
	Segment: 0x18538067,
	Info: 0x1549a966,
	TimecodeScale: 0x2ad7b1,
	Duration: 0x4489,
	Tracks: 0x1654ae6b,
	TrackEntry: 0xae,
	TrackType: 0x83,
	CodecID: 0x86,
	CodecPrivate: 0x63a2,
	DefaultDuration: 0x23e383,
	Video: 0xe0,
	PixelWidth: 0xb0,
	PixelHeight: 0xba,
	FlagInterlaced: 0x9a,
	Colour: 0x55b0,
	BitsPerChannel: 0x55b2,
	Audio: 0xe1,
	Channels: 0x9f,
	Cluster: 0x1f43b675,
} as const;

const UNKNOWN = -1;
const MAX_ELEMENTS = 100000;

/** The EBML magic number, the id of the EBML header every WebM / Matroska file starts with. */
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

export function isEbml(b: Uint8Array): boolean {
	return startsWith(b, EBML_MAGIC);
}

/** The DocType of an EBML file (`webm`, `matroska`) from its head (its EBML header). */
export function ebmlDocType(b: Uint8Array): string | undefined {
	const headerSize = readVint(b, 4, false);
	if (headerSize) {
		const start = 4 + headerSize.length;
		const docType = ebmlElements(b, start, Math.min(b.length, start + headerSize.value)).find((e) => e.id === ID.DocType);
		if (docType) return ebmlString(b, docType);
	}
	// Header cut short or malformed: look for the doc type string itself.
	if (indexOfAscii(b, 'webm', 4, 64) !== -1) return 'webm';
	if (indexOfAscii(b, 'matroska', 4, 64) !== -1) return 'matroska';
	return undefined;
}

function uint(buf: Buffer, e: EbmlElement): number {
	let v = 0;
	for (let i = e.start; i < e.end && i < e.start + 7; i++) v = v * 256 + buf[i];
	return v;
}

function float(buf: Buffer, e: EbmlElement): number {
	if (e.end - e.start === 4) return buf.readFloatBE(e.start);
	if (e.end - e.start === 8) return buf.readDoubleBE(e.start);
	return NaN;
}

const VIDEO_CODECS: Record<string, string> = {
	V_VP8: 'vp8',
	V_VP9: 'vp9',
	V_AV1: 'av1',
	'V_MPEG4/ISO/AVC': 'h264',
	'V_MPEGH/ISO/HEVC': 'hevc',
	'V_MPEG4/ISO/SP': 'mpeg4',
	'V_MPEG4/ISO/ASP': 'mpeg4',
};

function audioCodec(codecId: string, privateData: Buffer | undefined): string {
	if (codecId === 'A_OPUS') return 'opus';
	if (codecId === 'A_VORBIS') return 'vorbis';
	if (codecId === 'A_AC3') return 'ac-3';
	if (codecId === 'A_EAC3') return 'e-ac-3';
	if (codecId === 'A_MPEG/L3') return 'mp3';
	if (codecId === 'A_FLAC') return 'flac';
	if (codecId.startsWith('A_PCM/')) return 'pcm';
	if (codecId === 'A_AAC') {
		if (privateData && privateData.length >= 2) {
			try {
				return parseAudioSpecificConfig(privateData).codec;
			} catch {
				return 'aac';
			}
		}
		return 'aac';
	}
	const legacy = /^A_AAC\/MPEG[24]\/(MAIN|LC|SSR|LTP)(\/SBR)?$/.exec(codecId);
	if (legacy) return legacy[2] ? 'he-aac' : aacObjectTypeName({ MAIN: 1, LC: 2, SSR: 3, LTP: 4 }[legacy[1] as 'LC']);
	return codecId;
}

/** The video's codec configuration in CodecPrivate (the same records MP4 carries, see codecConfig.ts). */
function parseVideoPrivate(codecId: string, priv: Buffer, state: ReadState): void {
	if (codecId === 'V_MPEG4/ISO/AVC') parseAvcC(priv, 0, priv.length, state.details);
	else if (codecId === 'V_MPEGH/ISO/HEVC') parseHvcC(priv, 0, priv.length, state.details);
	else if (codecId === 'V_AV1') parseAv1C(priv, 0, priv.length, state.details);
	else if (codecId === 'V_VP9') {
		// VP9 CodecPrivate: feature records (id, length, value); id 3 is the bit depth.
		for (let at = 0; at + 3 <= priv.length; at += 2 + priv[at + 1]) {
			if (priv[at] === 3 && priv[at + 1] === 1) state.details.bitDepth = priv[at + 2];
		}
	}
}

function parseTracks(buf: Buffer, state: ReadState): void {
	let videoSeen = false;
	let videoTracks = 0;
	let audioTracks = 0;
	for (const entry of ebmlElements(buf, 0, buf.length)) {
		if (entry.id !== ID.TrackEntry) continue;
		const fields = ebmlElements(buf, entry.start, entry.end);
		const type = fields.find((f) => f.id === ID.TrackType);
		const codec = fields.find((f) => f.id === ID.CodecID);
		const codecId = codec ? ebmlString(buf, codec) : '';
		const trackType = type ? uint(buf, type) : 0;
		if (trackType === 1) videoTracks++;
		if (trackType === 1 && !videoSeen) {
			videoSeen = true;
			state.info.video_codec = VIDEO_CODECS[codecId] ?? (codecId || 'unknown');
			const priv = fields.find((f) => f.id === ID.CodecPrivate);
			if (priv) parseVideoPrivate(codecId, buf.subarray(priv.start, priv.end), state);
			const video = fields.find((f) => f.id === ID.Video);
			if (video) {
				for (const v of ebmlElements(buf, video.start, video.end)) {
					if (v.id === ID.PixelWidth) state.info.width = uint(buf, v);
					if (v.id === ID.PixelHeight) state.info.height = uint(buf, v);
					// FlagInterlaced: 1 interlaced, 2 progressive, 0 undetermined.
					if (v.id === ID.FlagInterlaced && uint(buf, v) === 1) state.details.interlaced = true;
					if (v.id === ID.Colour) {
						const bits = ebmlElements(buf, v.start, v.end).find((c) => c.id === ID.BitsPerChannel);
						if (bits && uint(buf, bits) > 0) state.details.bitDepth = uint(buf, bits);
					}
				}
			}
			const dd = fields.find((f) => f.id === ID.DefaultDuration);
			if (dd && uint(buf, dd) > 0) state.info.frame_rate = round3(1e9 / uint(buf, dd));
		} else if (trackType === 2) {
			audioTracks++;
			if (audioTracks > 1) continue;
			const priv = fields.find((f) => f.id === ID.CodecPrivate);
			state.info.audio_codec = audioCodec(codecId, priv ? buf.subarray(priv.start, priv.end) : undefined);
			const audio = fields.find((f) => f.id === ID.Audio);
			const channels = audio ? ebmlElements(buf, audio.start, audio.end).find((a) => a.id === ID.Channels) : undefined;
			state.info.audio_channels = channels ? uint(buf, channels) : 1; // Matroska's default is 1
		}
	}
	if (!videoSeen) state.info.video_codec = null;
	if (audioTracks === 0) {
		state.info.audio_codec = null;
		state.info.audio_channels = null;
	}
	state.details.audioTracks = audioTracks;
	state.details.videoTracks = videoTracks;
}

/** Reads one element header from the stream: id, payload size (UNKNOWN allowed), header bytes. */
function* elementHeader(): Generator<ReadRequest, { id: number; size: number; bytes: number } | null, Buffer | null> {
	const first = yield* readUpTo(1);
	if (first === null) return null;
	const idLength = vintLength(first[0], 4);
	if (idLength > 4) throw new MediaStructureError(`an invalid EBML element id (byte 0x${first[0].toString(16)})`);
	const idRest = idLength > 1 ? yield* readExactly(idLength - 1, 'an EBML element id') : Buffer.alloc(0);
	const sizeFirst = yield* readExactly(1, 'an EBML element size');
	const sizeLength = vintLength(sizeFirst[0], 8);
	if (sizeLength > 8) throw new MediaStructureError('an invalid EBML element size');
	const sizeRest = sizeLength > 1 ? yield* readExactly(sizeLength - 1, 'an EBML element size') : Buffer.alloc(0);
	const id = readVint(Buffer.concat([first, idRest]), 0, true);
	const size = readVint(Buffer.concat([sizeFirst, sizeRest]), 0, false);
	if (!id || !size) throw new MediaStructureError('an unreadable EBML element header');
	return { id: id.value, size: size.unknown ? UNKNOWN : size.value, bytes: idLength + sizeLength };
}

export function* readMatroska(state: ReadState, fileSize: number): MediaReader {
	const ebml = yield* elementHeader();
	if (!ebml || ebml.id !== ID.EBML || ebml.size === UNKNOWN) throw new MediaStructureError('the file does not start with an EBML header');
	const header = yield* readExactly(Math.min(ebml.size, 4096), 'the EBML header');
	yield* skipExactly(ebml.size - header.length, 'the EBML header');
	const docType = ebmlElements(header, 0, header.length).find((e) => e.id === ID.DocType);
	state.info.container = docType && ebmlString(header, docType) === 'webm' ? 'webm' : 'mkv';
	let pos = ebml.bytes + ebml.size;
	const segment = yield* elementHeader();
	if (!segment || segment.id !== ID.Segment) throw new MediaStructureError('the EBML header is not followed by a Segment');
	pos += segment.bytes;
	let timecodeScale = 1000000;
	let duration: number | undefined;
	let info = false;
	let tracks = false;
	for (let count = 0; !(info && tracks); count++) {
		if (count > MAX_ELEMENTS) throw new MediaStructureError(`more than ${MAX_ELEMENTS} Segment elements before the tracks`);
		const e = yield* elementHeader();
		if (e === null) break;
		if (e.id === ID.Cluster) break; // Info and Tracks come before the media
		if (e.size === UNKNOWN) throw new MediaStructureError('a Segment element of unknown size before the tracks');
		if (pos + e.bytes + e.size > fileSize) throw new MediaStructureError(`an element at byte ${pos} claims ${e.size} bytes, past the end of the file (${fileSize} bytes): the file is truncated`);
		if (e.id === ID.Info || e.id === ID.Tracks) {
			const bytes = yield* readExactly(e.size, e.id === ID.Info ? 'the Segment Info' : 'the Tracks');
			if (e.id === ID.Info) {
				info = true;
				for (const f of ebmlElements(bytes, 0, bytes.length)) {
					if (f.id === ID.TimecodeScale) timecodeScale = uint(bytes, f) || timecodeScale;
					if (f.id === ID.Duration) duration = float(bytes, f);
				}
			} else {
				tracks = true;
				parseTracks(bytes, state);
			}
		} else {
			yield* skipExactly(e.size, 'a Segment element');
		}
		pos += e.bytes + e.size;
	}
	if (!tracks) throw new MediaStructureError('the file has no Tracks element: it is not a playable WebM/Matroska video');
	if (duration !== undefined && Number.isFinite(duration) && duration >= 0) state.info.duration_ms = Math.round((duration * timecodeScale) / 1e6);
}
