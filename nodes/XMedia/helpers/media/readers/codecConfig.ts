/**
 * What a video codec's own configuration says: the H.264 sequence parameter set (inside `avcC`),
 * HEVC's `hvcC`, VP9's `vpcC` and AV1's `av1C` — chroma subsampling, bit depth, profile, and
 * whether the picture is coded as fields (interlaced). Used by the MP4/MOV reader (isoMoov.ts)
 * and the Matroska reader (the same records sit in CodecPrivate).
 *
 * Sources: ITU-T H.264 §7.3.2.1.1 (seq_parameter_set_data) and ISO/IEC 14496-15 §5.3.3 (avcC),
 * §8.3.3 (hvcC); VP9 codec ISO media binding (vpcC); AV1 ISOBMFF binding §2.3 (av1C).
 *
 * Pure: no n8n runtime, no Node built-in imports. Never throws on arbitrary bytes.
 */
import type { MediaDetails } from '../types';

const CHROMA = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'];

/** H.264 profiles whose SPS carries chroma_format_idc, bit depths and scaling lists. */
const HIGH_PROFILES = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

/** Reads bits MSB first from an RBSP (emulation prevention bytes already removed). */
class BitReader {
	private bit = 0;
	constructor(private readonly b: Uint8Array) {}

	get exhausted(): boolean {
		return this.bit > this.b.length * 8;
	}

	u(n: number): number {
		let v = 0;
		for (let i = 0; i < n; i++) {
			const byte = this.bit >> 3;
			const value = byte < this.b.length ? (this.b[byte] >> (7 - (this.bit & 7))) & 1 : 0;
			this.bit++;
			v = v * 2 + value;
		}
		return v;
	}

	/** Exp-Golomb ue(v); more than 31 leading zeros is a broken stream (returns -1). */
	ue(): number {
		let zeros = 0;
		while (this.u(1) === 0) {
			if (++zeros > 31 || this.exhausted) return -1;
		}
		return zeros === 0 ? 0 : 2 ** zeros - 1 + this.u(zeros);
	}

	se(): number {
		const k = this.ue();
		return k < 0 ? 0 : k % 2 ? (k + 1) / 2 : -(k / 2);
	}
}

/** The NAL unit's payload without its header byte and without emulation prevention (00 00 03). */
function rbsp(nal: Uint8Array): Uint8Array {
	const out = new Uint8Array(nal.length);
	let n = 0;
	let zeros = 0;
	for (let i = 1; i < nal.length; i++) {
		if (zeros >= 2 && nal[i] === 0x03) {
			zeros = 0;
			continue;
		}
		zeros = nal[i] === 0 ? zeros + 1 : 0;
		out[n++] = nal[i];
	}
	return out.subarray(0, n);
}

export interface H264SpsFacts {
	profile: number;
	chroma: string;
	bitDepth: number;
	/** frame_mbs_only_flag == 0: the stream codes fields (interlaced, PAFF or MBAFF). */
	interlaced: boolean;
}

/** H.264 seq_parameter_set_data from one SPS NAL unit (its header byte first); undefined when unreadable. */
export function parseH264Sps(nal: Uint8Array): H264SpsFacts | undefined {
	if (nal.length < 4 || (nal[0] & 0x1f) !== 7) return undefined;
	const r = new BitReader(rbsp(nal));
	const profile = r.u(8);
	r.u(16); // constraint flags, level_idc
	if (r.ue() < 0) return undefined; // seq_parameter_set_id
	let chromaFormat = 1;
	let bitDepth = 8;
	if (HIGH_PROFILES.includes(profile)) {
		chromaFormat = r.ue();
		if (chromaFormat < 0 || chromaFormat > 3) return undefined;
		if (chromaFormat === 3) r.u(1); // separate_colour_plane_flag
		const lumaMinus8 = r.ue();
		const chromaMinus8 = r.ue();
		if (lumaMinus8 < 0 || lumaMinus8 > 6 || chromaMinus8 < 0 || chromaMinus8 > 6) return undefined;
		bitDepth = 8 + Math.max(lumaMinus8, chromaMinus8);
		r.u(1); // qpprime_y_zero_transform_bypass_flag
		if (r.u(1)) {
			// seq_scaling_matrix_present_flag: skip the scaling lists (§7.3.2.1.1.1).
			for (let i = 0; i < (chromaFormat !== 3 ? 8 : 12); i++) {
				if (!r.u(1)) continue;
				let last = 8;
				let next = 8;
				for (let j = 0; j < (i < 6 ? 16 : 64) && next !== 0; j++) {
					next = (last + r.se() + 256) % 256;
					last = next === 0 ? last : next;
				}
			}
		}
	}
	if (r.ue() < 0) return undefined; // log2_max_frame_num_minus4
	const pocType = r.ue();
	if (pocType === 0) {
		r.ue(); // log2_max_pic_order_cnt_lsb_minus4
	} else if (pocType === 1) {
		r.u(1);
		r.se();
		r.se();
		const cycle = r.ue();
		if (cycle < 0 || cycle > 255) return undefined;
		for (let i = 0; i < cycle; i++) r.se();
	} else if (pocType !== 2) {
		return undefined;
	}
	r.ue(); // max_num_ref_frames
	r.u(1); // gaps_in_frame_num_value_allowed_flag
	if (r.ue() < 0 || r.ue() < 0) return undefined; // pic_width_in_mbs_minus1, pic_height_in_map_units_minus1
	const frameMbsOnly = r.u(1);
	if (r.exhausted) return undefined;
	return { profile, chroma: CHROMA[chromaFormat], bitDepth, interlaced: frameMbsOnly === 0 };
}

/** `avcC` (AVCDecoderConfigurationRecord): the first SPS, else the record's own fields. */
export function parseAvcC(b: Uint8Array, start: number, end: number, details: MediaDetails): void {
	if (end - start < 7) return;
	const profile = b[start + 1];
	details.profile = profile;
	let at = start + 5;
	const spsCount = b[at++] & 0x1f;
	let sps: H264SpsFacts | undefined;
	for (let i = 0; i < spsCount && at + 2 <= end; i++) {
		const length = (b[at] << 8) | b[at + 1];
		if (i === 0 && at + 2 + length <= end) sps = parseH264Sps(b.subarray(at + 2, at + 2 + length));
		at += 2 + length;
	}
	if (sps) {
		applyH264Sps(sps, details);
		return;
	}
	// No readable SPS: the high-profile extension of the record (after the PPS list), when there.
	details.chroma = '4:2:0';
	if (at >= end) return;
	const ppsCount = b[at++];
	for (let i = 0; i < ppsCount && at + 2 <= end; i++) at += 2 + ((b[at] << 8) | b[at + 1]);
	if (HIGH_PROFILES.includes(profile) && at + 3 <= end) {
		details.chroma = CHROMA[b[at] & 0x03];
		details.bitDepth = 8 + Math.max(b[at + 1] & 0x07, b[at + 2] & 0x07);
	}
}

export function applyH264Sps(sps: H264SpsFacts, details: MediaDetails): void {
	details.profile = sps.profile;
	details.chroma = sps.chroma;
	details.bitDepth = sps.bitDepth;
	details.interlaced = sps.interlaced;
}

/**
 * `hvcC` (HEVCDecoderConfigurationRecord): profile, chroma, bit depth, and the general constraint
 * flags' progressive_source_flag / interlaced_source_flag (interlaced when only the latter is set).
 */
export function parseHvcC(b: Uint8Array, start: number, end: number, details: MediaDetails): void {
	if (end - start < 19) return;
	details.profile = b[start + 1] & 0x1f;
	const progressiveSource = (b[start + 6] & 0x80) !== 0;
	const interlacedSource = (b[start + 6] & 0x40) !== 0;
	details.interlaced = interlacedSource && !progressiveSource;
	details.chroma = CHROMA[b[start + 16] & 0x03];
	details.bitDepth = 8 + Math.max(b[start + 17] & 0x07, b[start + 18] & 0x07);
}

/** `vpcC` (VP Codec Configuration, a full box: version and flags first). */
export function parseVpcC(b: Uint8Array, start: number, end: number, details: MediaDetails): void {
	if (end - start < 7) return;
	const sub = (b[start + 6] >> 1) & 0x07;
	details.chroma = sub <= 1 ? '4:2:0' : sub === 2 ? '4:2:2' : '4:4:4';
	details.bitDepth = b[start + 6] >> 4;
}

/** `av1C` (AV1CodecConfigurationRecord): bit depth and chroma subsampling from its third byte. */
export function parseAv1C(b: Uint8Array, start: number, end: number, details: MediaDetails): void {
	if (end - start < 4 || (b[start] & 0x80) === 0) return;
	const flags = b[start + 2];
	const highBitDepth = (flags & 0x40) !== 0;
	const twelveBit = (flags & 0x20) !== 0;
	details.bitDepth = highBitDepth ? (twelveBit ? 12 : 10) : 8;
	const mono = (flags & 0x10) !== 0;
	const ssx = (flags & 0x08) !== 0;
	const ssy = (flags & 0x04) !== 0;
	details.chroma = mono ? '4:0:0' : ssx && ssy ? '4:2:0' : ssx ? '4:2:2' : '4:4:4';
}
