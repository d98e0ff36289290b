/**
 * The inside of an MP4/MOV `moov` box (held in memory, bounded by MAX_READ_BYTES): `mvhd`, each
 * `trak` (`tkhd` with its matrix, `edts/elst`, `mdia/mdhd`, `hdlr`, `minf/stbl/stsd` sample
 * entries with `avcC`, `hvcC`, `vpcC`, `av1C` (see codecConfig.ts), `pasp`, `esds`, `stts`),
 * `mvex` (`mehd`, `trex`); and the video track's sample
 * durations in a `moof` (`traf/tfhd`, `trun`), for fragmented files whose `moov` has no samples.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { fourcc, isoBoxes } from '../bytes';
import type { IsoBox } from '../bytes';
import type { ReadState } from '../types';
import { parseAv1C, parseAvcC, parseHvcC, parseVpcC } from './codecConfig';
import { parseEsds } from './mpeg4Audio';

function child(buf: Buffer, parent: IsoBox, type: string): IsoBox | undefined {
	return isoBoxes(buf, parent.start, parent.end).find((b) => b.type === type);
}

const VIDEO_CODECS: Record<string, string> = {
	avc1: 'h264',
	avc3: 'h264',
	hvc1: 'hevc',
	hev1: 'hevc',
	vp08: 'vp8',
	vp09: 'vp9',
	av01: 'av1',
	mp4v: 'mpeg4',
};

const AUDIO_CODECS: Record<string, string> = {
	'ac-3': 'ac-3',
	'ec-3': 'e-ac-3',
	Opus: 'opus',
	opus: 'opus',
	'.mp3': 'mp3',
	lpcm: 'pcm',
	sowt: 'pcm',
	twos: 'pcm',
	in24: 'pcm',
	in32: 'pcm',
	fl32: 'pcm',
	fl64: 'pcm',
	ipcm: 'pcm',
	fLaC: 'flac',
	alac: 'alac',
	samr: 'amr-nb',
	sawb: 'amr-wb',
};

function parseSampleEntry(buf: Buffer, entry: IsoBox, handler: string, state: ReadState, audio: { codec?: string; channels?: number }): void {
	const type = buf.toString('latin1', entry.start - 4, entry.start);
	if (handler === 'vide') {
		state.info.video_codec = VIDEO_CODECS[type] ?? fourcc(type);
		if (entry.end - entry.start >= 78) {
			state.info.width = buf.readUInt16BE(entry.start + 24);
			state.info.height = buf.readUInt16BE(entry.start + 26);
			for (const b of isoBoxes(buf, entry.start + 78, entry.end)) {
				if (b.type === 'avcC') parseAvcC(buf, b.start, b.end, state.details);
				else if (b.type === 'hvcC') parseHvcC(buf, b.start, b.end, state.details);
				else if (b.type === 'vpcC') parseVpcC(buf, b.start, b.end, state.details);
				else if (b.type === 'av1C') parseAv1C(buf, b.start, b.end, state.details);
				else if (b.type === 'pasp' && b.end - b.start >= 8) {
					const h = buf.readUInt32BE(b.start);
					const v = buf.readUInt32BE(b.start + 4);
					if (h > 0 && v > 0) state.details.pixelAspect = [h, v];
				}
			}
		}
		return;
	}
	// Audio sample entry: 8 bytes of SampleEntry, then the (QuickTime-versioned) sound description.
	audio.codec = type === 'mp4a' ? 'aac' : (AUDIO_CODECS[type] ?? fourcc(type));
	if (entry.end - entry.start < 28) return;
	const version = buf.readUInt16BE(entry.start + 8);
	let childStart = entry.start + 28;
	if (version === 1) childStart = entry.start + 44;
	if (version === 2) {
		childStart = entry.start + 64;
		if (entry.end - entry.start >= 44) audio.channels = buf.readUInt32BE(entry.start + 40);
	} else {
		audio.channels = buf.readUInt16BE(entry.start + 16);
	}
	if (childStart > entry.end) return;
	const children = isoBoxes(buf, childStart, entry.end);
	const wave = children.find((b) => b.type === 'wave');
	const esds = children.find((b) => b.type === 'esds') ?? (wave ? child(buf, wave, 'esds') : undefined);
	if (esds && type === 'mp4a') {
		const found = parseEsds(buf, esds.start, esds.end);
		if (found.codec) audio.codec = found.codec;
		if (found.channels) audio.channels = found.channels;
	}
	const dops = children.find((b) => b.type === 'dOps');
	if (dops && dops.end - dops.start >= 2) audio.channels = buf[dops.start + 1];
	const dac3 = children.find((b) => b.type === 'dac3');
	if (dac3 && dac3.end - dac3.start >= 3) {
		const bits = (buf[dac3.start] << 16) | (buf[dac3.start + 1] << 8) | buf[dac3.start + 2];
		const acmod = (bits >> 11) & 0x07;
		const lfe = (bits >> 10) & 0x01;
		audio.channels = [2, 1, 2, 3, 3, 4, 4, 5][acmod] + lfe;
	}
}

/** One `elst` entry: segment_duration in the movie's timescale, media_time in the track's (-1: an empty edit). */
export interface EditEntry {
	segment: number;
	mediaTime: number;
}

interface TrackFacts {
	id: number;
	handler: string;
	timescale: number;
	duration: number;
	samples: number;
	sampleDelta: number;
	/** Degrees the `tkhd` matrix turns the picture clockwise (0, 90, 180, 270). */
	rotation: number;
	/** The track's edit list (`edts/elst`), when it has one. */
	edits?: EditEntry[];
}

/** Version-dependent 32/64-bit field. */
function uintAt(buf: Buffer, at: number, wide: boolean): number {
	return wide ? buf.readUInt32BE(at) * 0x100000000 + buf.readUInt32BE(at + 4) : buf.readUInt32BE(at);
}

export interface MoovFacts {
	movieTimescale: number;
	movieDuration: number;
	fragmentDuration?: number;
	video?: TrackFacts;
	trexDurations: Map<number, number>;
}

export function parseMoov(buf: Buffer, moov: IsoBox, state: ReadState): MoovFacts {
	const facts: MoovFacts = { movieTimescale: 0, movieDuration: 0, trexDurations: new Map() };
	const audioTracks: Array<{ codec?: string; channels?: number }> = [];
	let videoTracks = 0;
	for (const b of isoBoxes(buf, moov.start, moov.end)) {
		if (b.type === 'mvhd' && b.end - b.start >= 20) {
			const wide = buf[b.start] === 1;
			if (wide && b.end - b.start < 32) continue;
			facts.movieTimescale = buf.readUInt32BE(b.start + (wide ? 20 : 12));
			facts.movieDuration = uintAt(buf, b.start + (wide ? 24 : 16), wide);
		} else if (b.type === 'mvex') {
			state.details.fragmented = true;
			for (const m of isoBoxes(buf, b.start, b.end)) {
				if (m.type === 'mehd' && m.end - m.start >= 8) facts.fragmentDuration = uintAt(buf, m.start + 4, buf[m.start] === 1);
				if (m.type === 'trex' && m.end - m.start >= 24) facts.trexDurations.set(buf.readUInt32BE(m.start + 4), buf.readUInt32BE(m.start + 16));
			}
		} else if (b.type === 'trak') {
			const track = parseTrak(buf, b, state, facts.video === undefined, audioTracks);
			if (track?.handler === 'vide') videoTracks++;
			if (track?.handler === 'vide' && facts.video === undefined) facts.video = track;
		}
	}
	state.details.audioTracks = audioTracks.length;
	state.details.videoTracks = videoTracks;
	const [audio] = audioTracks;
	state.info.audio_codec = audio ? (audio.codec ?? 'unknown') : null;
	state.info.audio_channels = audio ? (audio.channels ?? null) : null;
	return facts;
}

function parseTrak(
	buf: Buffer,
	trak: IsoBox,
	state: ReadState,
	firstVideo: boolean,
	audioTracks: Array<{ codec?: string; channels?: number }>,
): TrackFacts | undefined {
	// One walk over the track's boxes (a hostile file may hold many).
	const boxes = isoBoxes(buf, trak.start, trak.end);
	const tkhd = boxes.find((b) => b.type === 'tkhd');
	const mdia = boxes.find((b) => b.type === 'mdia');
	if (!mdia) return undefined;
	const facts: TrackFacts = { id: 0, handler: '', timescale: 0, duration: 0, samples: 0, sampleDelta: 0, rotation: 0 };
	if (tkhd && tkhd.end - tkhd.start >= 16) facts.id = buf.readUInt32BE(tkhd.start + (buf[tkhd.start] === 1 ? 20 : 12));
	if (tkhd) facts.rotation = matrixRotation(buf, tkhd);
	const edts = boxes.find((b) => b.type === 'edts');
	const elst = edts && child(buf, edts, 'elst');
	if (elst) facts.edits = parseElst(buf, elst);
	const hdlr = child(buf, mdia, 'hdlr');
	if (hdlr && hdlr.end - hdlr.start >= 12) facts.handler = buf.toString('latin1', hdlr.start + 8, hdlr.start + 12);
	if (facts.handler !== 'vide' && facts.handler !== 'soun') return facts;
	if (facts.handler === 'vide' && !firstVideo) return facts;
	const mdhd = child(buf, mdia, 'mdhd');
	if (mdhd && mdhd.end - mdhd.start >= 20) {
		const wide = buf[mdhd.start] === 1;
		if (!wide || mdhd.end - mdhd.start >= 32) {
			facts.timescale = buf.readUInt32BE(mdhd.start + (wide ? 20 : 12));
			facts.duration = uintAt(buf, mdhd.start + (wide ? 24 : 16), wide);
		}
	}
	const minf = child(buf, mdia, 'minf');
	const stbl = minf && child(buf, minf, 'stbl');
	const audio: { codec?: string; channels?: number } = {};
	if (stbl) {
		for (const b of isoBoxes(buf, stbl.start, stbl.end)) {
			if (b.type === 'stsd' && b.end - b.start >= 8) {
				const [entry] = isoBoxes(buf, b.start + 8, b.end);
				if (entry) parseSampleEntry(buf, entry, facts.handler, state, audio);
			} else if (b.type === 'stts' && b.end - b.start >= 8) {
				const count = buf.readUInt32BE(b.start + 4);
				const fit = Math.min(count, Math.floor((b.end - b.start - 8) / 8));
				for (let i = 0; i < fit; i++) {
					const n = buf.readUInt32BE(b.start + 8 + i * 8);
					facts.samples += n;
					facts.sampleDelta += n * buf.readUInt32BE(b.start + 12 + i * 8);
				}
			}
		}
	}
	if (facts.handler === 'soun') audioTracks.push(audio);
	return facts;
}

/**
 * The clockwise turn a `tkhd` matrix gives the picture. The matrix is a, b, u, c, d, v, x, y, w
 * (16.16 fixed point); a rotation by θ has c = -sin θ, d = cos θ, whatever a mirror does to a and b
 * (so a horizontally mirrored video is not taken for a turned one). 0 when there is no matrix or it
 * is not a quarter turn within 1°.
 */
function matrixRotation(buf: Buffer, tkhd: IsoBox): number {
	const at = tkhd.start + (buf[tkhd.start] === 1 ? 52 : 40);
	if (at + 20 > tkhd.end) return 0;
	const c = buf.readInt32BE(at + 12);
	const d = buf.readInt32BE(at + 16);
	if (c === 0 && d === 0) return 0;
	const degrees = (Math.atan2(-c, d) * 180) / Math.PI;
	const quarter = Math.round(degrees / 90) * 90;
	if (Math.abs(degrees - quarter) > 1) return 0;
	return (quarter + 360) % 360;
}

/** An `elst` box's entries (version 0: 32-bit fields, version 1: 64-bit), at most 1000 read. */
function parseElst(buf: Buffer, elst: IsoBox): EditEntry[] {
	if (elst.end - elst.start < 8) return [];
	const wide = buf[elst.start] === 1;
	const entryBytes = wide ? 20 : 12;
	const count = Math.min(buf.readUInt32BE(elst.start + 4), Math.floor((elst.end - elst.start - 8) / entryBytes), 1000);
	const edits: EditEntry[] = [];
	for (let i = 0, at = elst.start + 8; i < count; i++, at += entryBytes) {
		const segment = uintAt(buf, at, wide);
		const mediaTime = wide ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
		edits.push({ segment, mediaTime });
	}
	return edits;
}

/** Sums the video track's sample durations in one `moof` (tfhd/trun defaults, trex fallback). */
export function addFragment(buf: Buffer, videoId: number, trexDuration: number, totals: { samples: number; delta: number }): void {
	for (const traf of isoBoxes(buf, 0, buf.length)) {
		if (traf.type !== 'traf') continue;
		let trackId = -1;
		let defaultDuration = trexDuration;
		for (const b of isoBoxes(buf, traf.start, traf.end)) {
			if (b.type === 'tfhd' && b.end - b.start >= 8) {
				const flags = buf.readUIntBE(b.start + 1, 3);
				trackId = buf.readUInt32BE(b.start + 4);
				let at = b.start + 8;
				if (flags & 0x01) at += 8;
				if (flags & 0x02) at += 4;
				if (flags & 0x08 && at + 4 <= b.end) defaultDuration = buf.readUInt32BE(at);
			} else if (b.type === 'trun' && trackId === videoId && b.end - b.start >= 8) {
				const flags = buf.readUIntBE(b.start + 1, 3);
				const count = buf.readUInt32BE(b.start + 4);
				let at = b.start + 8;
				if (flags & 0x01) at += 4;
				if (flags & 0x04) at += 4;
				const perSample = ((flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0) + (flags & 0x400 ? 4 : 0) + (flags & 0x800 ? 4 : 0));
				const fit = perSample > 0 ? Math.min(count, Math.floor((b.end - at) / perSample)) : count;
				totals.samples += fit;
				if (flags & 0x100) {
					for (let i = 0; i < fit; i++) totals.delta += buf.readUInt32BE(at + i * perSample);
				} else {
					totals.delta += fit * defaultDuration;
				}
			}
		}
	}
}

