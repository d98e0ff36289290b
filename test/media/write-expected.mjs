// Prints expected.json: for every file in the folder, what ffprobe reports, in media_info's terms.
// HE-AAC files report the profile their (rewritten) AudioSpecificConfig signals, as ffprobe does.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const rate = (r) => {
	const [n, d] = String(r ?? '0/0').split('/').map(Number);
	return d ? Math.round((n / d) * 1000) / 1000 : null;
};
const audioName = (s) => {
	if (s.codec_name === 'aac') return { LC: 'aac-lc', 'HE-AAC': 'he-aac', 'HE-AACv2': 'he-aac-v2' }[s.profile] ?? `aac (${s.profile})`;
	return { ac3: 'ac-3', eac3: 'e-ac-3', opus: 'opus', mp3: 'mp3', vorbis: 'vorbis' }[s.codec_name] ?? s.codec_name;
};
const videoName = (c) => ({ h264: 'h264', hevc: 'hevc', vp9: 'vp9', vp8: 'vp8', av1: 'av1' })[c] ?? c;
/** The AAC object type from the AudioSpecificConfig ffprobe prints as the stream's extradata. */
const ascObjectType = (file) => {
	const text = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_data', '-show_streams', file], { encoding: 'utf8' });
	const hex = /extradata=\s*\n0+:\s*([0-9a-f ]+)/.exec(text)?.[1].replace(/ /g, '').slice(0, 2);
	return hex ? parseInt(hex, 16) >> 3 : undefined;
};
// ffprobe's webp demuxer decodes still WebP only: for an animated WebP it reports 0x0 and no
// frames. Its values come from its RIFF chunks, walked here (libwebp_anim merges identical
// consecutive frames, so 10 input frames can become fewer ANMF frames with longer durations).
const webpChunks = (file) => {
	const b = readFileSync(file);
	const found = { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3), frame_count: 0, duration_ms: 0 };
	for (let p = 12; p + 8 <= b.length; ) {
		const size = b.readUInt32LE(p + 4);
		if (b.toString('latin1', p, p + 4) === 'ANMF') {
			found.frame_count++;
			found.duration_ms += b.readUIntLE(p + 20, 3);
		}
		p += 8 + size + (size & 1);
	}
	return { ...found, source: 'its RIFF chunks (ffprobe cannot read animated WebP)' };
};
const declared = { 'animated.webp': webpChunks(join(dir, 'animated.webp')) };
const out = {};
for (const name of readdirSync(dir).filter((n) => !n.startsWith('.')).sort()) {
	const file = join(dir, name);
	const probe = JSON.parse(
		execFileSync('ffprobe', ['-v', 'quiet', '-count_frames', '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
	);
	const video = probe.streams.find((s) => s.codec_type === 'video');
	const audio = probe.streams.find((s) => s.codec_type === 'audio');
	const image = /\.(gif|png|jpg|webp)$/.test(name);
	const frames = video ? Number(video.nb_read_frames ?? video.nb_frames) || null : null;
	const duration = Number(video?.duration ?? probe.format.duration);
	const entry = {
		bytes: statSync(file).size,
		ffprobe_format: probe.format.format_name,
		width: video?.width ?? null,
		height: video?.height ?? null,
		duration_ms: Number.isFinite(duration) ? Math.round(duration * 1000) : null,
		frame_rate: image ? null : rate(video?.avg_frame_rate),
		frame_count: image ? frames : null,
		video_codec: image ? null : video ? videoName(video.codec_name) : null,
		pix_fmt: video?.pix_fmt ?? null,
		audio_codec: audio ? audioName(audio) : null,
		audio_channels: audio ? audio.channels : null,
	};
	if (audio?.codec_name === 'aac') {
		// ffprobe's "profile" comes from decoding the frames; the rewritten HE-AAC files keep AAC-LC
		// frames, so the object type is read from the AudioSpecificConfig ffprobe prints.
		const aot = ascObjectType(file);
		entry.ffprobe_profile = audio.profile;
		entry.asc_object_type = aot;
		entry.audio_codec = { 2: 'aac-lc', 5: 'he-aac', 29: 'he-aac-v2' }[aot] ?? entry.audio_codec;
	}
	out[name] = { ...entry, ...(declared[name] ?? {}) };
}
console.log(JSON.stringify(out, null, 2));
