/**
 * MPEG-4 audio (ISO/IEC 14496-3, 14496-1): audio object types by name, AudioSpecificConfig (with
 * SBR / PS signalling), the `esds` descriptors of MP4/MOV, and ADTS frame headers (MPEG-TS). Used
 * by the MP4/MOV, Matroska and MPEG-TS readers.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaStructureError } from '../types';

/** MPEG-4 audio object types by number (ISO/IEC 14496-3 Table 1.1), as media_info names them. */
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
/** `esds` payload `buf[start, end)`. */
export function parseEsds(buf: Buffer, start: number, end: number): { codec?: string; channels?: number } {
	const es = descriptorAt(buf, start + 4, end);
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

/** The first ADTS header at `p[at]`: profile (2 bits) + 1 is the object type; the channel configuration. */
export function parseAdtsHeader(p: Buffer, at: number): { codec: string; channels: number | null } {
	const config = ((p[at + 2] & 0x01) << 2) | (p[at + 3] >> 6);
	return { codec: aacObjectTypeName((p[at + 2] >> 6) + 1), channels: config === 7 ? 8 : config || null };
}

/** Whether an ADTS sync word (12 ones, layer 0) starts at `p[at]`. */
export function isAdtsSync(p: Buffer, at: number): boolean {
	return p[at] === 0xff && (p[at + 1] & 0xf6) === 0xf0;
}
