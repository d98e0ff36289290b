/**
 * ISO base media (MP4, MOV, fragmented MP4): a push reader that walks the top-level boxes through
 * the stream, reads `ftyp`, `moov` and `moof` boxes, and skips everything else (`mdat` payload is
 * never held). When `moov` comes first and the file is not fragmented it stops right after it.
 *
 * Inside `moov` (held in memory, bounded by MAX_READ_BYTES): `mvhd`, each `trak` (`tkhd`,
 * `mdia/mdhd`, `hdlr`, `minf/stbl/stsd` sample entries with `avcC`, `hvcC`, `vpcC`, `pasp`,
 * `esds`, `stts`, `stsz`), `mvex` (`mehd`, `trex`). Inside `moof`: `traf/tfhd` and `trun`
 * sample durations, for fragmented files whose `moov` has no samples.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaStructureError, readExactly, readUpTo, round3, skipExactly } from './types';
import type { MediaReader, ReadState } from './types';

const MAX_BOXES = 100000;

interface Box {
	type: string;
	/** Payload start and end within the buffer. */
	start: number;
	end: number;
}

/** Child boxes of `buf[start, end)`; stops (no throw) at a box that does not fit. */
function boxes(buf: Buffer, start: number, end: number): Box[] {
	const out: Box[] = [];
	let at = start;
	while (at + 8 <= end && out.length < MAX_BOXES) {
		let size = buf.readUInt32BE(at);
		const type = buf.toString('latin1', at + 4, at + 8);
		let header = 8;
		if (size === 1) {
			if (at + 16 > end) break;
			size = buf.readUInt32BE(at + 8) * 0x100000000 + buf.readUInt32BE(at + 12);
			header = 16;
		} else if (size === 0) {
			size = end - at;
		}
		if (size < header || at + size > end) break;
		out.push({ type, start: at + header, end: at + size });
		at += size;
	}
	return out;
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
	return boxes(buf, parent.start, parent.end).find((b) => b.type === type);
}

function fourcc(type: string): string {
	return type.replace(/[^\x20-\x7e]/g, '?').trim();
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

/** MPEG-4 audio object types by number (ISO/IEC 14496-3 Table 1.1), as the contract names them. */
export function aacObjectTypeName(aot: number): string {
	if (aot === 2) return 'aac-lc';
	if (aot === 5) return 'he-aac';
	if (aot === 29) return 'he-aac-v2';
	if (aot === 1) return 'aac-main';
	if (aot === 3) return 'aac-ssr';
	if (aot === 4) return 'aac-ltp';
	if (aot === 23) return 'aac-ld';
	if (aot === 39) return 'aac-eld';
	if (aot === 42) return 'xhe-aac';
	return `aac-${aot}`;
}

/** A bit reader over a few bytes (AudioSpecificConfig). */
class Bits {
	private pos = 0;
	constructor(private readonly b: Buffer) {}
	get left(): number {
		return this.b.length * 8 - this.pos;
	}
	read(n: number): number {
		if (n > this.left) throw new MediaStructureError('AudioSpecificConfig is cut short');
		let v = 0;
		for (let i = 0; i < n; i++) {
			v = v * 2 + ((this.b[this.pos >> 3] >> (7 - (this.pos & 7))) & 1);
			this.pos++;
		}
		return v;
	}
}

const AAC_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8];

/**
 * MPEG-4 AudioSpecificConfig: the object type (with SBR / PS signalled explicitly, AOT 5 / 29,
 * or implicitly by the 0x2b7 sync extension after the GA config) and the channel configuration.
 */
export function parseAudioSpecificConfig(asc: Buffer): { codec: string; channels?: number } {
	const bits = new Bits(asc);
	const objectType = () => {
		const t = bits.read(5);
		return t === 31 ? 32 + bits.read(6) : t;
	};
	const frequency = () => {
		if (bits.read(4) === 15) bits.read(24);
	};
	let aot = objectType();
	frequency();
	const channelConfig = bits.read(4);
	if (aot === 5 || aot === 29) {
		// Explicit hierarchical signalling: extension frequency, then the core object type.
		frequency();
		objectType();
		// HE-AACv2 codes a mono core; Parametric Stereo makes it two channels.
		const channels = aot === 29 && channelConfig === 1 ? 2 : AAC_CHANNELS[channelConfig] || undefined;
		return { codec: aacObjectTypeName(aot), channels };
	}
	if (aot === 2 && bits.left >= 3 + 16) {
		// GASpecificConfig: frameLengthFlag, dependsOnCoreCoder (+14 bits), extensionFlag.
		bits.read(1);
		if (bits.read(1)) bits.read(14);
		bits.read(1);
		// Backward-compatible signalling: syncExtensionType 0x2b7, extension AOT 5, sbrPresentFlag.
		if (bits.left >= 16 && bits.read(11) === 0x2b7) {
			const ext = objectType();
			if (ext === 5 && bits.left >= 1 && bits.read(1) === 1) {
				aot = 5;
				frequency();
				if (bits.left >= 12 && bits.read(11) === 0x548 && bits.left >= 1 && bits.read(1) === 1) aot = 29;
			}
		}
	}
	return { codec: aacObjectTypeName(aot), channels: AAC_CHANNELS[channelConfig] || undefined };
}

/** The expandable size of an MPEG-4 descriptor (1-4 bytes of 7 bits). */
function descriptorAt(buf: Buffer, at: number, end: number): { tag: number; start: number; end: number } | undefined {
	if (at >= end) return undefined;
	const tag = buf[at++];
	let size = 0;
	for (let i = 0; i < 4; i++) {
		if (at >= end) return undefined;
		const b = buf[at++];
		size = size * 128 + (b & 0x7f);
		if (!(b & 0x80)) break;
	}
	if (at + size > end) return undefined;
	return { tag, start: at, end: at + size };
}

/** `esds`: ES_Descriptor → DecoderConfigDescriptor (objectTypeIndication) → DecoderSpecificInfo. */
function parseEsds(buf: Buffer, esds: Box): { codec?: string; channels?: number } {
	const es = descriptorAt(buf, esds.start + 4, esds.end);
	if (!es || es.tag !== 0x03) return {};
	let at = es.start + 2;
	const flags = buf[at++];
	if (flags & 0x80) at += 2;
	if (flags & 0x40) at += 1 + (buf[at] ?? 0);
	if (flags & 0x20) at += 2;
	const dec = descriptorAt(buf, at, es.end);
	if (!dec || dec.tag !== 0x04) return {};
	const oti = buf[dec.start];
	if (oti === 0x69 || oti === 0x6b) return { codec: 'mp3' };
	if (oti === 0xa5) return { codec: 'ac-3' };
	if (oti === 0xa6) return { codec: 'e-ac-3' };
	if (oti === 0xad) return { codec: 'opus' };
	if (oti === 0xdd) return { codec: 'vorbis' };
	if (oti !== 0x40 && oti !== 0x66 && oti !== 0x67 && oti !== 0x68) return { codec: `mp4a-${oti.toString(16)}` };
	if (oti !== 0x40) return { codec: 'aac-lc' }; // MPEG-2 AAC profiles: 0x67 is LC
	const dsi = descriptorAt(buf, dec.start + 13, dec.end);
	if (!dsi || dsi.tag !== 0x05 || dsi.end - dsi.start < 2) return { codec: 'aac' };
	return parseAudioSpecificConfig(buf.subarray(dsi.start, dsi.end));
}

/** `avcC`: profile, and chroma_format for the High profiles that carry it. */
function parseAvcC(buf: Buffer, box: Box, state: ReadState): void {
	if (box.end - box.start < 7) return;
	const profile = buf[box.start + 1];
	state.details.profile = profile;
	let at = box.start + 5;
	const sps = buf[at++] & 0x1f;
	for (let i = 0; i < sps && at + 2 <= box.end; i++) at += 2 + buf.readUInt16BE(at);
	if (at >= box.end) {
		state.details.chroma = '4:2:0';
		return;
	}
	const pps = buf[at++];
	for (let i = 0; i < pps && at + 2 <= box.end; i++) at += 2 + buf.readUInt16BE(at);
	if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile) && at < box.end) {
		state.details.chroma = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'][buf[at] & 0x03];
	} else {
		state.details.chroma = '4:2:0';
	}
}

function parseSampleEntry(buf: Buffer, entry: Box, handler: string, state: ReadState, audio: { codec?: string; channels?: number }): void {
	const type = buf.toString('latin1', entry.start - 4, entry.start);
	if (handler === 'vide') {
		state.info.video_codec = VIDEO_CODECS[type] ?? fourcc(type);
		if (entry.end - entry.start >= 78) {
			state.info.width = buf.readUInt16BE(entry.start + 24);
			state.info.height = buf.readUInt16BE(entry.start + 26);
			for (const b of boxes(buf, entry.start + 78, entry.end)) {
				if (b.type === 'avcC') parseAvcC(buf, b, state);
				else if (b.type === 'hvcC' && b.end - b.start >= 17) {
					state.details.profile = buf[b.start + 1] & 0x1f;
					state.details.chroma = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'][buf[b.start + 16] & 0x03];
				} else if (b.type === 'vpcC' && b.end - b.start >= 7) {
					const sub = (buf[b.start + 6] >> 1) & 0x07;
					state.details.chroma = sub <= 1 ? '4:2:0' : sub === 2 ? '4:2:2' : '4:4:4';
				} else if (b.type === 'pasp' && b.end - b.start >= 8) {
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
	const children = boxes(buf, childStart, entry.end);
	const wave = children.find((b) => b.type === 'wave');
	const esds = children.find((b) => b.type === 'esds') ?? (wave ? child(buf, wave, 'esds') : undefined);
	if (esds && type === 'mp4a') {
		const found = parseEsds(buf, esds);
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

interface TrackFacts {
	id: number;
	handler: string;
	timescale: number;
	duration: number;
	samples: number;
	sampleDelta: number;
}

/** Version-dependent 32/64-bit field. */
function uintAt(buf: Buffer, at: number, wide: boolean): number {
	return wide ? buf.readUInt32BE(at) * 0x100000000 + buf.readUInt32BE(at + 4) : buf.readUInt32BE(at);
}

interface MoovFacts {
	movieTimescale: number;
	movieDuration: number;
	fragmentDuration?: number;
	video?: TrackFacts;
	trexDurations: Map<number, number>;
}

function parseMoov(buf: Buffer, moov: Box, state: ReadState): MoovFacts {
	const facts: MoovFacts = { movieTimescale: 0, movieDuration: 0, trexDurations: new Map() };
	const audioTracks: Array<{ codec?: string; channels?: number }> = [];
	for (const b of boxes(buf, moov.start, moov.end)) {
		if (b.type === 'mvhd' && b.end - b.start >= 20) {
			const wide = buf[b.start] === 1;
			if (wide && b.end - b.start < 32) continue;
			facts.movieTimescale = buf.readUInt32BE(b.start + (wide ? 20 : 12));
			facts.movieDuration = uintAt(buf, b.start + (wide ? 24 : 16), wide);
		} else if (b.type === 'mvex') {
			state.details.fragmented = true;
			for (const m of boxes(buf, b.start, b.end)) {
				if (m.type === 'mehd' && m.end - m.start >= 8) facts.fragmentDuration = uintAt(buf, m.start + 4, buf[m.start] === 1);
				if (m.type === 'trex' && m.end - m.start >= 24) facts.trexDurations.set(buf.readUInt32BE(m.start + 4), buf.readUInt32BE(m.start + 16));
			}
		} else if (b.type === 'trak') {
			const track = parseTrak(buf, b, state, facts.video === undefined, audioTracks);
			if (track?.handler === 'vide' && facts.video === undefined) facts.video = track;
		}
	}
	state.details.audioTracks = audioTracks.length;
	const [audio] = audioTracks;
	state.info.audio_codec = audio ? (audio.codec ?? 'unknown') : null;
	state.info.audio_channels = audio ? (audio.channels ?? null) : null;
	return facts;
}

function parseTrak(
	buf: Buffer,
	trak: Box,
	state: ReadState,
	firstVideo: boolean,
	audioTracks: Array<{ codec?: string; channels?: number }>,
): TrackFacts | undefined {
	const tkhd = child(buf, trak, 'tkhd');
	const mdia = child(buf, trak, 'mdia');
	if (!mdia) return undefined;
	const facts: TrackFacts = { id: 0, handler: '', timescale: 0, duration: 0, samples: 0, sampleDelta: 0 };
	if (tkhd && tkhd.end - tkhd.start >= 16) facts.id = buf.readUInt32BE(tkhd.start + (buf[tkhd.start] === 1 ? 20 : 12));
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
		for (const b of boxes(buf, stbl.start, stbl.end)) {
			if (b.type === 'stsd' && b.end - b.start >= 8) {
				const [entry] = boxes(buf, b.start + 8, b.end);
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

/** Sums the video track's sample durations in one `moof` (tfhd/trun defaults, trex fallback). */
function addFragment(buf: Buffer, videoId: number, trexDuration: number, totals: { samples: number; delta: number }): void {
	for (const traf of boxes(buf, 0, buf.length)) {
		if (traf.type !== 'traf') continue;
		let trackId = -1;
		let defaultDuration = trexDuration;
		for (const b of boxes(buf, traf.start, traf.end)) {
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
			size = large.readUInt32BE(0) * 0x100000000 + large.readUInt32BE(4);
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
		if (pos === 0 && type !== 'ftyp' && !['moov', 'mdat', 'wide', 'free', 'skip', 'pnot', 'uuid'].includes(type)) {
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
