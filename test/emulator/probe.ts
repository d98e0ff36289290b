/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The emulator's own look inside a finalized MP4/MOV (independent from the product's readers, which
 * it must not import): what X's processing would fail it for. Reads the file from disk: top-level
 * box headers, then the `moov` box, whatever its place.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface VideoProbe {
	/** Set when the file has no readable movie header: X fails it as an unsupported format. */
	unreadable?: string;
	width?: number;
	height?: number;
	durationMs?: number;
	fps?: number;
	/** MPEG-4 audio object type of the first audio track (2 = AAC-LC, 5 = HE-AAC, 29 = HE-AACv2), or its sample entry name. */
	audio?: { format: string; objectType?: number; channels?: number };
}

interface Box {
	type: string;
	start: number;
	end: number;
}

function children(b: Buffer, start: number, end: number): Box[] {
	const out: Box[] = [];
	let at = start;
	while (at + 8 <= end) {
		let size = b.readUInt32BE(at);
		let header = 8;
		if (size === 1 && at + 16 <= end) {
			size = Number(b.readBigUInt64BE(at + 8));
			header = 16;
		} else if (size === 0) size = end - at;
		if (size < header || at + size > end) break;
		out.push({ type: b.toString('latin1', at + 4, at + 8), start: at + header, end: at + size });
		at += size;
	}
	return out;
}

const find = (b: Buffer, box: Box | undefined, type: string) => (box ? children(b, box.start, box.end).find((c) => c.type === type) : undefined);

function readMoov(path: string, size: number): Buffer | undefined {
	const fd = openSync(path, 'r');
	try {
		const head = Buffer.alloc(16);
		for (let at = 0; at + 8 <= size; ) {
			readSync(fd, head, 0, 16, at);
			let boxSize = head.readUInt32BE(0);
			if (boxSize === 1) boxSize = Number(head.readBigUInt64BE(8));
			else if (boxSize === 0) boxSize = size - at;
			if (boxSize < 8 || at + boxSize > size) return undefined;
			if (head.toString('latin1', 4, 8) === 'moov') {
				if (boxSize > 256 * 1024 * 1024) return undefined;
				const moov = Buffer.alloc(boxSize);
				readSync(fd, moov, 0, boxSize, at);
				return moov;
			}
			at += boxSize;
		}
		return undefined;
	} finally {
		closeSync(fd);
	}
}

function esdsObjectType(b: Buffer, esds: Box): number | undefined {
	const asc = esdsAsc(b, esds);
	return asc === undefined ? undefined : b[asc] >> 3;
}

/** The channel configuration of the AudioSpecificConfig (4 bits after object type and frequency index). */
function esdsChannelConfig(b: Buffer, esds: Box): number | undefined {
	const asc = esdsAsc(b, esds);
	return asc === undefined ? undefined : (b[asc + 1] >> 3) & 0x0f;
}

/** Where the AudioSpecificConfig starts inside an esds box (ES → DecoderConfig → DecoderSpecificInfo). */
function esdsAsc(b: Buffer, esds: Box): number | undefined {
	let at = esds.start + 4;
	const next = () => {
		const tag = b[at++];
		let len = 0;
		for (let i = 0; i < 4; i++) {
			const v = b[at++];
			len = (len << 7) | (v & 0x7f);
			if (!(v & 0x80)) break;
		}
		return { tag, len };
	};
	if (next().tag !== 3) return undefined;
	const flags = b[at + 2];
	at += 3 + (flags & 0x80 ? 2 : 0) + (flags & 0x20 ? 2 : 0);
	if (next().tag !== 4) return undefined;
	if (b[at] !== 0x40) return undefined;
	at += 13;
	if (next().tag !== 5) return undefined;
	return at;
}

export function probeIsoVideo(path: string, size: number): VideoProbe {
	const b = readMoov(path, size);
	if (!b) return { unreadable: 'no moov' };
	const moov: Box = { type: 'moov', start: 8, end: b.length };
	const probe: VideoProbe = {};
	for (const trak of children(b, moov.start, moov.end).filter((c) => c.type === 'trak')) {
		const mdia = find(b, trak, 'mdia');
		const hdlr = find(b, mdia, 'hdlr');
		const handler = hdlr ? b.toString('latin1', hdlr.start + 8, hdlr.start + 12) : '';
		const mdhd = find(b, mdia, 'mdhd');
		const stbl = find(b, find(b, mdia, 'minf'), 'stbl');
		const stsd = find(b, stbl, 'stsd');
		const entry = stsd ? children(b, stsd.start + 8, stsd.end)[0] : undefined;
		if (handler === 'vide' && probe.width === undefined && entry && mdhd) {
			probe.width = b.readUInt16BE(entry.start + 24);
			probe.height = b.readUInt16BE(entry.start + 26);
			const v1 = b[mdhd.start] === 1;
			const scale = b.readUInt32BE(mdhd.start + (v1 ? 20 : 12));
			const duration = v1 ? Number(b.readBigUInt64BE(mdhd.start + 24)) : b.readUInt32BE(mdhd.start + 16);
			// A fragmented file's moov has no samples (duration 0): left unknown.
			if (scale > 0 && duration > 0) probe.durationMs = Math.round((duration / scale) * 1000);
			const stts = find(b, stbl, 'stts');
			if (stts && duration > 0) {
				let frames = 0;
				const n = b.readUInt32BE(stts.start + 4);
				for (let i = 0; i < n && stts.start + 16 + i * 8 <= stts.end; i++) frames += b.readUInt32BE(stts.start + 8 + i * 8);
				probe.fps = (frames * scale) / duration;
			}
		} else if (handler === 'soun' && probe.audio === undefined && entry) {
			const format = b.toString('latin1', entry.start - 4, entry.start);
			const channels = b.readUInt16BE(entry.start + 16);
			const esds = children(b, entry.start + 28, entry.end).find((c) => c.type === 'esds');
			probe.audio = { format, channels, objectType: esds ? esdsObjectType(b, esds) : undefined };
			if (probe.audio.objectType === 29) probe.audio.channels = 2;
			const config = esds ? esdsChannelConfig(b, esds) : undefined;
			if (config && config >= 1 && config <= 7 && probe.audio.objectType !== 29) probe.audio.channels = config === 7 ? 8 : config;
		}
	}
	return probe;
}

/** X's processing failure for a probed video, in processing_info.error's shape; undefined when it passes. */
export function processingFailure(probe: VideoProbe, maxSecs: number): { code: number; name: string; message: string } | undefined {
	const invalid = (message: string) => ({ code: 1, name: 'InvalidMedia', message });
	if (probe.unreadable) return invalid('Unsupported video format');
	if (probe.durationMs !== undefined) {
		if (probe.durationMs > maxSecs * 1000) return invalid(`Video longer than ${maxSecs} seconds`);
		if (probe.durationMs < 500) return invalid('Video shorter than 0.5 seconds');
	}
	if (probe.fps !== undefined && probe.fps > 60.05) return invalid('Video frame rate above 60 fps');
	if (probe.width !== undefined && probe.height !== undefined) {
		if (probe.width < 32 || probe.height < 32) return invalid('Video dimensions below 32x32');
		const ratio = probe.width / probe.height;
		if (ratio > 3 || ratio < 1 / 3) return invalid('Video aspect ratio outside 1:3 to 3:1');
	}
	if (probe.audio) {
		if (probe.audio.format !== 'mp4a' || (probe.audio.objectType !== undefined && probe.audio.objectType !== 2)) return invalid('Unsupported audio codec: AAC-LC required');
		if ((probe.audio.channels ?? 0) > 2) return invalid('Unsupported audio: more than 2 channels');
	}
	return undefined;
}
