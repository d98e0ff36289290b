/**
 * MPEG transport stream, as far as it is cheap: the PAT and PMT of the first packets give the
 * stream types (H.264, HEVC, AAC in ADTS, AC-3…); the first ADTS header of the audio gives the
 * AAC profile and channels. Sizes, frame rate and duration would need the codec's bitstream or the
 * file's last packets: left unknown.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { u8 } from '../bytes';
import { MediaStructureError, readUpTo } from '../types';
import type { MediaReader, ReadState } from '../types';
import { isAdtsSync, parseAdtsHeader } from './mpeg4Audio';

const PACKET = 188;
const SYNC = 0x47;

/** A transport stream from its head: the sync byte every 188 bytes, at least 3 packets seen. */
export function isMpegTs(b: Uint8Array): boolean {
	if (u8(b, 0) !== SYNC) return false;
	let checked = 0;
	for (let pos = 0; pos < b.length && checked < 10; pos += PACKET) {
		if (b[pos] !== SYNC) return false;
		checked++;
	}
	return checked >= 3;
}
/** Enough packets for the tables and the first audio frame of any real file. */
const MAX_PACKETS = 20000;

const VIDEO_TYPES: Record<number, string> = { 0x01: 'mpeg2', 0x02: 'mpeg2', 0x10: 'mpeg4', 0x1b: 'h264', 0x24: 'hevc' };
const AUDIO_TYPES: Record<number, string> = { 0x03: 'mp3', 0x04: 'mp3', 0x0f: 'aac', 0x11: 'aac-latm', 0x81: 'ac-3', 0x87: 'e-ac-3' };

export function* readMpegTs(state: ReadState): MediaReader {
	state.info.container = 'ts';
	let pmtPid = -1;
	let audioPid = -1;
	let tablesRead = false;
	for (let n = 0; n < MAX_PACKETS; n++) {
		const p = yield* readUpTo(PACKET);
		if (p === null || p.length < PACKET) break;
		if (p[0] !== SYNC) throw new MediaStructureError(`packet ${n} does not start with the MPEG-TS sync byte`);
		const pid = ((p[1] & 0x1f) << 8) | p[2];
		const start = (p[1] & 0x40) !== 0;
		let at = 4;
		if (p[3] & 0x20) at += 1 + p[4];
		if (!(p[3] & 0x10) || at >= PACKET) continue;
		if (start && (pid === 0 || pid === pmtPid)) at += 1 + p[at]; // pointer field
		if (pid === 0 && start && pmtPid < 0 && at + 12 <= PACKET) {
			const sectionEnd = Math.min(PACKET - 4, at + 3 + (((p[at + 1] & 0x0f) << 8) | p[at + 2]) - 4);
			for (let i = at + 8; i + 4 <= sectionEnd; i += 4) {
				const program = (p[i] << 8) | p[i + 1];
				if (program !== 0) {
					pmtPid = ((p[i + 2] & 0x1f) << 8) | p[i + 3];
					break;
				}
			}
		} else if (pid === pmtPid && start && !tablesRead && at + 12 <= PACKET) {
			tablesRead = true;
			const sectionEnd = Math.min(PACKET - 4, at + 3 + (((p[at + 1] & 0x0f) << 8) | p[at + 2]) - 4);
			let i = at + 12 + (((p[at + 10] & 0x0f) << 8) | p[at + 11]);
			state.info.video_codec = null;
			state.info.audio_codec = null;
			state.info.audio_channels = null;
			let audioTracks = 0;
			// Streams that may carry a picture: the known video types and any type not known as audio
			// (so that only a file whose every stream is audio counts as audio-only).
			let maybeVideo = 0;
			while (i + 5 <= sectionEnd) {
				const type = p[i];
				const esPid = ((p[i + 1] & 0x1f) << 8) | p[i + 2];
				const infoLength = ((p[i + 3] & 0x0f) << 8) | p[i + 4];
				let codec = AUDIO_TYPES[type];
				if (type === 0x06) {
					// Private data: AC-3 / E-AC-3 descriptors (DVB), Opus registration.
					for (let d = i + 5; d + 2 <= i + 5 + infoLength && d + 2 <= sectionEnd; d += 2 + p[d + 1]) {
						if (p[d] === 0x6a) codec = 'ac-3';
						if (p[d] === 0x7a) codec = 'e-ac-3';
						if (p[d] === 0x05 && p.toString('latin1', d + 2, d + 6) === 'Opus') codec = 'opus';
					}
				}
				if (!codec) maybeVideo++;
				if (VIDEO_TYPES[type] && state.info.video_codec === null) state.info.video_codec = VIDEO_TYPES[type];
				else if (codec) {
					audioTracks++;
					if (audioTracks === 1) {
						state.info.audio_codec = codec;
						audioPid = esPid;
					}
				}
				i += 5 + infoLength;
			}
			state.details.audioTracks = audioTracks;
			state.details.videoTracks = maybeVideo;
			if (state.info.audio_codec !== 'aac') return;
		} else if (pid === audioPid && start) {
			// PES header, then the first ADTS header.
			if (at + 9 > PACKET) continue;
			const es = at + 9 + p[at + 8];
			for (let i = es; i + 4 <= PACKET; i++) {
				if (isAdtsSync(p, i)) {
					const adts = parseAdtsHeader(p, i);
					state.info.audio_codec = adts.codec;
					state.info.audio_channels = adts.channels;
					return;
				}
			}
		}
	}
	if (!tablesRead) throw new MediaStructureError('no program map table (PMT) in the first packets: not a playable MPEG-TS video');
}
