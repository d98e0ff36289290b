// Prints expected-2026.json for make-media-2026.sh: for every file in the folder, what ffprobe
// reports (after edit lists, as players do; and with -ignore_editlist 1, every stored frame), and
// what the ISO BMFF boxes themselves hold (ftyp, moov position, mvhd/tkhd/mdhd, elst, tkhd matrix;
// for HEIF/AVIF the meta box's handler and the ispe size), walked here without ffprobe.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];

const rate = (r) => {
	const [n, d] = String(r ?? '0/0').split('/').map(Number);
	return d ? Math.round((n / d) * 1000) / 1000 : null;
};
const ms = (s) => (s === undefined || s === null || s === 'N/A' || !Number.isFinite(Number(s)) ? null : Math.round(Number(s) * 1000));
const audioName = (s) => {
	if (s.codec_name === 'aac') return { LC: 'aac-lc', 'HE-AAC': 'he-aac', 'HE-AACv2': 'he-aac-v2' }[s.profile] ?? `aac (${s.profile})`;
	return { ac3: 'ac-3', eac3: 'e-ac-3' }[s.codec_name] ?? s.codec_name;
};
const bitDepth = (v) => {
	const raw = Number(v.bits_per_raw_sample);
	if (raw) return raw;
	const m = /p(\d+)(le|be)$/.exec(v.pix_fmt ?? '');
	return m ? Number(m[1]) : v.pix_fmt ? 8 : null;
};
const probe = (file, extra = []) => {
	try {
		return JSON.parse(
			execFileSync('ffprobe', ['-v', 'error', ...extra, '-show_format', '-show_streams', '-of', 'json', file], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			}),
		);
	} catch (e) {
		return { error: String(e.stderr ?? e.message).trim().split('\n').pop() };
	}
};

// ---- ISO BMFF boxes ----------------------------------------------------------------------------
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'iprp', 'ipco', 'udta']);
function* boxes(b, start, end) {
	for (let p = start; p + 8 <= end; ) {
		let size = b.readUInt32BE(p);
		const type = b.toString('latin1', p + 4, p + 8);
		let header = 8;
		if (size === 1) {
			size = Number(b.readBigUInt64BE(p + 8));
			header = 16;
		} else if (size === 0) size = end - p;
		if (size < header || p + size > end) return;
		yield { type, start: p, body: p + header, end: p + size };
		p += size;
	}
}
const child = (b, box, type) => {
	for (const c of boxes(b, box.body + (box.type === 'meta' ? 4 : 0), box.end)) if (c.type === type) return c;
	return undefined;
};
const children = (b, box, type) => [...boxes(b, box.body, box.end)].filter((c) => c.type === type);
const fullHeader = (b, box) => ({ version: b[box.body], p: box.body + 4 });
/** version 0: 32-bit times and duration; version 1: 64-bit. Returns timescale and duration. */
const headerTimes = (b, box) => {
	const { version, p } = fullHeader(b, box);
	return version === 1
		? { timescale: b.readUInt32BE(p + 16), duration: Number(b.readBigUInt64BE(p + 20)) }
		: { timescale: b.readUInt32BE(p + 8), duration: b.readUInt32BE(p + 12) };
};
const tkhd = (b, box) => {
	const { version, p } = fullHeader(b, box);
	const duration = version === 1 ? Number(b.readBigUInt64BE(p + 24)) : b.readUInt32BE(p + 16);
	const m = p + (version === 1 ? 32 : 20) + 8 + 8; // after duration: reserved, layer/group/volume/reserved
	const matrix = Array.from({ length: 9 }, (_, i) => b.readInt32BE(m + i * 4));
	return {
		track_id: b.readUInt32BE(p + (version === 1 ? 16 : 8)),
		duration,
		// a, b, u, c, d, v, tx, ty, w as stored (a-d, tx, ty 16.16; u, v, w 2.30)
		matrix,
		width: b.readUInt32BE(m + 36) / 65536,
		height: b.readUInt32BE(m + 40) / 65536,
	};
};
const elst = (b, box) => {
	const { version, p } = fullHeader(b, box);
	const n = b.readUInt32BE(p);
	const entries = [];
	for (let i = 0, q = p + 4; i < n; i++) {
		if (version === 1) {
			entries.push({ segment_duration: Number(b.readBigUInt64BE(q)), media_time: Number(b.readBigInt64BE(q + 8)), media_rate: b.readInt16BE(q + 16) });
			q += 20;
		} else {
			entries.push({ segment_duration: b.readUInt32BE(q), media_time: b.readInt32BE(q + 4), media_rate: b.readInt16BE(q + 8) });
			q += 12;
		}
	}
	return { version, entries };
};
/** Degrees a player turns the picture clockwise, from the tkhd matrix (a, b, c, d). */
const matrixRotation = ([a, b2, , c, d]) => {
	const k = (x) => Math.sign(x);
	if (k(a) === 1 && k(d) === 1 && !b2 && !c) return 0;
	if (!a && !d && k(b2) === 1 && k(c) === -1) return 90;
	if (k(a) === -1 && k(d) === -1 && !b2 && !c) return 180;
	if (!a && !d && k(b2) === -1 && k(c) === 1) return 270;
	return null;
};
function isoBoxes(file) {
	const b = readFileSync(file);
	const top = [...boxes(b, 0, b.length)];
	if (!top.length || top[0].type !== 'ftyp') return null;
	const f = top[0];
	const result = {
		ftyp: {
			major_brand: b.toString('latin1', f.body, f.body + 4),
			minor_version: b.readUInt32BE(f.body + 4),
			compatible_brands: Array.from({ length: (f.end - f.body - 8) / 4 }, (_, i) => b.toString('latin1', f.body + 8 + i * 4, f.body + 12 + i * 4)),
		},
		top_level: top.map((x) => `${x.type}@${x.start}+${x.end - x.start}`),
	};
	const moov = top.find((x) => x.type === 'moov');
	const mdat = top.find((x) => x.type === 'mdat');
	if (moov && mdat) result.moov_before_mdat = moov.start < mdat.start;
	if (moov) {
		const mvhd = child(b, moov, 'mvhd');
		result.mvhd = mvhd ? headerTimes(b, mvhd) : null;
		result.tracks = children(b, moov, 'trak').map((trak) => {
			const mdia = child(b, trak, 'mdia');
			const hdlr = mdia && child(b, mdia, 'hdlr');
			const mdhd = mdia && child(b, mdia, 'mdhd');
			const stbl = mdia && child(b, mdia, 'minf') && child(b, child(b, mdia, 'minf'), 'stbl');
			const stsz = stbl && child(b, stbl, 'stsz');
			const stts = stbl && child(b, stbl, 'stts');
			let storedTicks = 0;
			if (stts) for (let i = 0, q = stts.body + 8; i < b.readUInt32BE(stts.body + 4); i++, q += 8) storedTicks += b.readUInt32BE(q) * b.readUInt32BE(q + 4);
			const edts = child(b, trak, 'edts');
			const el = edts && child(b, edts, 'elst');
			const th = tkhd(b, child(b, trak, 'tkhd'));
			return {
				handler: hdlr ? b.toString('latin1', hdlr.body + 8, hdlr.body + 12) : null,
				tkhd: th,
				matrix_rotation_cw: matrixRotation(th.matrix),
				mdhd: mdhd ? headerTimes(b, mdhd) : null,
				sample_count: stsz ? b.readUInt32BE(stsz.body + 8) : null,
				stts_total: storedTicks,
				elst: el ? elst(b, el) : null,
			};
		});
	}
	const meta = top.find((x) => x.type === 'meta');
	if (meta) {
		const hdlr = child(b, meta, 'hdlr');
		const iprp = child(b, meta, 'iprp');
		const ipco = iprp && child(b, iprp, 'ipco');
		const ispe = ipco && child(b, ipco, 'ispe');
		result.meta = {
			handler: hdlr ? b.toString('latin1', hdlr.body + 8, hdlr.body + 12) : null,
			ispe: ispe ? { width: b.readUInt32BE(ispe.body + 4), height: b.readUInt32BE(ispe.body + 8) } : null,
		};
	}
	return result;
}

// ---- per file -------------------------------------------------------------------------------------
const out = {};
for (const name of readdirSync(dir).filter((n) => !n.startsWith('.')).sort()) {
	const file = join(dir, name);
	const p = probe(file, ['-count_frames']);
	const raw = probe(file, ['-ignore_editlist', '1']);
	const entry = { bytes: statSync(file).size };
	if (p.error) {
		entry.ffprobe_error = p.error;
	} else {
		const video = p.streams.find((s) => s.codec_type === 'video');
		const audio = p.streams.find((s) => s.codec_type === 'audio');
		const rawVideo = raw.streams?.find((s) => s.codec_type === 'video');
		const rawAudio = raw.streams?.find((s) => s.codec_type === 'audio');
		const rotation = video?.side_data_list?.find((d) => d.side_data_type === 'Display Matrix')?.rotation ?? null;
		const turned = rotation !== null && Math.abs(rotation) % 180 === 90;
		Object.assign(entry, {
			ffprobe_format: p.format.format_name,
			has_video: Boolean(video),
			has_audio: Boolean(audio),
			duration_ms: ms((video ?? audio)?.duration ?? p.format.duration),
			stored_duration_ms: ms((rawVideo ?? rawAudio)?.duration ?? raw.format?.duration),
			format_duration_ms: ms(p.format.duration),
			video_codec: video?.codec_name ?? null,
			video_profile: video?.profile ?? null,
			width: video?.width ?? null,
			height: video?.height ?? null,
			ffprobe_rotation: rotation,
			display_width: video ? (turned ? video.height : video.width) : null,
			display_height: video ? (turned ? video.width : video.height) : null,
			frame_rate: video ? rate(video.avg_frame_rate) : null,
			frames_played: video ? Number(video.nb_read_frames) || null : null,
			frames_stored: video ? Number(rawVideo?.nb_frames ?? video.nb_frames) || null : null,
			field_order: video?.field_order ?? null,
			pix_fmt: video?.pix_fmt ?? null,
			bit_depth: video ? bitDepth(video) : null,
			audio_codec: audio ? audioName(audio) : null,
			audio_profile: audio?.profile ?? null,
			audio_channels: audio?.channels ?? null,
		});
	}
	const iso = isoBoxes(file);
	if (iso) entry.boxes = iso;
	out[name] = entry;
}
console.log(JSON.stringify(out, null, 2));
