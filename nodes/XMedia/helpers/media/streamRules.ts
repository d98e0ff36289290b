/**
 * X's rules about a video file's streams (rows `video.track`, `video.scan`, `video.codec`,
 * `video.container`, `video.bit_depth` of the table in rules.ts): a picture track, progressive
 * scan, and what X only recommends (H.264 in MP4/MOV, 8 bits). Called by `checkMediaRules`.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import type { MediaDetails, MediaInfo } from './types';

type Add = (rule: string, message: string, fix?: string) => void;
type Names = (suffix: string) => { input: string; output: string };

const CODEC_NAMES: Record<string, string> = { hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mpeg4: 'MPEG-4 Part 2', mpeg2: 'MPEG-2' };
const CONTAINER_NAMES: Record<string, string> = { webm: 'WebM', ts: 'MPEG-TS', mkv: 'Matroska' };
const MAX_BIT_DEPTH = 8;

function audioDescription(info: MediaInfo): string {
	const parts = [info.audio_codec ?? 'audio'];
	if (info.audio_channels !== null) parts.push(`${info.audio_channels} channel${info.audio_channels === 1 ? '' : 's'}`);
	if (info.duration_ms !== null) parts.push(`${(info.duration_ms / 1000).toFixed(1)} s`);
	return parts.join(', ');
}

/** Checks one inspected video's streams; `n` gives ffmpeg's input and output names. */
export function checkVideoStreams(info: MediaInfo, details: MediaDetails, n: Names, add: Add): void {
	if (details.videoTracks === 0) {
		const out = n('video');
		add(
			'video.track',
			`The file has audio only (${audioDescription(info)}) and no video track; X takes video files with a picture`,
			`To post the sound, make a video of it with a still picture: ffmpeg -loop 1 -i cover.jpg -i ${out.input} -map 0:v -map 1:a -c:v libx264 -tune stillimage -pix_fmt yuv420p -vf "scale=trunc(iw/2)*2:trunc(ih/2)*2" -c:a aac -ac 2 -shortest -movflags +faststart ${out.output} (cover.jpg: any picture)`,
		);
		return;
	}
	if (details.interlaced === true) {
		add(
			'video.scan',
			`The video is interlaced (coded as fields); X takes progressive scan only`,
			`Deinterlace it: ffmpeg -i ${n('progressive').input} -vf yadif -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('progressive').output}`,
		);
	}
	const h264 = `ffmpeg -i ${n('h264').input} -c:v libx264 -profile:v high -pix_fmt yuv420p -c:a aac -movflags +faststart ${n('h264').output.replace(/\.webm"$/, '.mp4"')}`;
	if (info.video_codec !== null && info.video_codec !== 'h264') {
		add(
			'video.codec',
			`The video codec is ${CODEC_NAMES[info.video_codec] ?? info.video_codec}; X recommends H.264 and does not say that other codecs survive its processing`,
			`If X fails it in processing, re-encode it to H.264: ${h264}`,
		);
	}
	if (info.container !== 'mp4' && info.container !== 'mov') {
		add(
			'video.container',
			`The container is ${CONTAINER_NAMES[info.container] ?? info.container}; X recommends MP4 or MOV`,
			info.video_codec === 'h264'
				? `If X fails it in processing, remux it to MP4 (no re-encoding): ffmpeg -i ${n('remux').input} -c copy -movflags +faststart ${n('remux').output.replace(/\.(webm|ts)"$/, '.mp4"')}`
				: `If X fails it in processing, convert it to MP4: ${h264}`,
		);
	}
	if (details.bitDepth !== undefined && details.bitDepth > MAX_BIT_DEPTH) {
		add(
			'video.bit_depth',
			`The video has ${details.bitDepth} bits per sample; X recommends H.264 High Profile, which is 8-bit`,
			`If X fails it in processing, re-encode it to 8-bit: ${h264}`,
		);
	}
}
