/**
 * X's rules for what is inside a media file, in one table, and the check of an inspected file
 * against them (see readers/ for what is read).
 *
 * Every row names where X states it and whether X states it as a requirement (the node refuses
 * the file before any request, unless Skip Media Checks is on) or as a recommendation (the file is
 * uploaded and the break goes to `warnings`). Sources:
 * - BP: docs.x.com/x-api/media/quickstart/best-practices (xdevplatform/docs,
 *   x-api/media/quickstart/best-practices.mdx): "Video specifications and recommendations" →
 *   "Advanced" (the "must" list), "Animated GIF recommendations", "Size and duration limits".
 * - Duration limits per category and account tier: the one limits table, ../accountLimits.ts.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import type { MediaCategory } from '../limits';
import { durationDependsOnTier, formatDuration, limitRow, mediaLimit, tierNote } from '../accountLimits';
import type { TierVerdict } from '../accountLimits';
import { checkVideoStreams } from './streamRules';
import type { MediaInspection } from './types';

export type RuleSeverity = 'refuse' | 'warn';

export interface MediaRuleRow {
	id: string;
	/** What the rule looks at, for people. */
	subject: string;
	/** X's limit, for people. */
	limit: string;
	severity: RuleSeverity;
	/** Where X states it. */
	source: string;
}

const BP_ADVANCED = 'docs.x.com/x-api/media/quickstart/best-practices, "Video specifications and recommendations" → "Advanced"';
const BP_RECOMMENDED = 'docs.x.com/x-api/media/quickstart/best-practices, "Video specifications and recommendations" → "Recommended"';
const BP_GIF = 'docs.x.com/x-api/media/quickstart/best-practices, "Animated GIF recommendations"';
const POST_VIDEO = limitRow('tweet_video');
const DM_VIDEO = limitRow('dm_video');
const VIDEO_MAX_FPS = 60;
/** Average frame rates from sample tables are not exact (60000/1001 is fine, 60.0004 is 60). */
const FPS_TOLERANCE = 0.05;
const VIDEO_MIN_SIDE = 32;
const VIDEO_MAX_LONG_SIDE = 1280;
const VIDEO_MAX_SHORT_SIDE = 1024;
const MAX_ASPECT = 3;
const MAX_AUDIO_CHANNELS = 2;
const GIF_MAX_WIDTH = 1280;
const GIF_MAX_HEIGHT = 1080;
const GIF_MAX_FRAMES = 350;
const GIF_MAX_PIXELS = 300_000_000;

export const MEDIA_RULES: readonly MediaRuleRow[] = [
	{ id: 'structure', subject: 'File structure (MP4/MOV moov, WebM Tracks, image headers)', limit: 'readable, not truncated', severity: 'refuse', source: 'X fails unplayable files in processing (processing_info.error InvalidMedia); not a published rule' },
	{ id: 'video.duration.min', subject: 'Video duration', limit: `at least ${formatDuration(POST_VIDEO.standard.minDurationMs as number)}`, severity: 'refuse', source: `${BP_ADVANCED}: "Duration: must be at least 0.5 seconds"` },
	{ id: 'video.duration.max', subject: 'Video duration (per account tier)', limit: `post video: ${formatDuration(POST_VIDEO.standard.maxDurationMs as number)} (standard), ${formatDuration(POST_VIDEO.premium.maxDurationMs as number)} (X Premium or verified); DM video: ${formatDuration(DM_VIDEO.standard.maxDurationMs as number)}, ${formatDuration(DM_VIDEO.premium.maxDurationMs as number)}`, severity: 'refuse', source: POST_VIDEO.source },
	{ id: 'video.frame_rate', subject: 'Video frame rate', limit: `at most ${VIDEO_MAX_FPS} fps`, severity: 'refuse', source: `${BP_ADVANCED}: "Frame rate: must be 60 FPS or less"` },
	{ id: 'video.size.min', subject: 'Video width and height', limit: `at least ${VIDEO_MIN_SIDE}×${VIDEO_MIN_SIDE} px`, severity: 'refuse', source: `${BP_ADVANCED}: "Dimensions: must be between 32x32 and 1280x1024"` },
	{ id: 'video.aspect', subject: 'Video aspect ratio', limit: 'between 1:3 and 3:1', severity: 'refuse', source: `${BP_ADVANCED}: "Aspect ratio: must be between 1:3 and 3:1"` },
	{ id: 'video.pixel_aspect', subject: 'Pixel aspect ratio (pasp)', limit: '1:1 (square pixels)', severity: 'refuse', source: `${BP_ADVANCED}: "Pixel aspect ratio: must have 1:1"` },
	{ id: 'video.chroma', subject: 'Pixel format (H.264, HEVC, VP9)', limit: 'YUV 4:2:0', severity: 'refuse', source: `${BP_ADVANCED}: "Pixel format: Only YUV 4:2:0 is supported"` },
	{ id: 'audio.codec', subject: 'Audio codec in MP4/MOV', limit: 'AAC-LC (HE-AAC, HE-AACv2, AC-3, MP3, Opus… refused)', severity: 'refuse', source: `${BP_ADVANCED}: "Audio must be AAC with Low Complexity profile. (High-Efficiency AAC is not supported)"` },
	{ id: 'audio.channels', subject: 'Audio channels', limit: `at most ${MAX_AUDIO_CHANNELS} (mono or stereo)`, severity: 'refuse', source: `${BP_ADVANCED}: "Audio must be mono or stereo, not 5.1 or greater"` },
	{ id: 'video.size.max', subject: 'Video width and height', limit: `at most ${VIDEO_MAX_LONG_SIDE}×${VIDEO_MAX_SHORT_SIDE} (either orientation)`, severity: 'warn', source: `${BP_ADVANCED}: "Dimensions: must be between 32x32 and 1280x1024"; this node makes the upper bound a warning, see the README (X takes and downscales 1080p and 4K)` },
	{ id: 'video.track', subject: 'Video track (a picture)', limit: 'present: a file with audio only (MP4, M4A, MOV, WebM, MPEG-TS) is refused', severity: 'refuse', source: `${BP_ADVANCED}: every requirement is about the picture ("Dimensions", "Frame rate", "Pixel format"); the video categories (tweet_video, amplify_video, dm_video) are for video. X documents no audio-only upload` },
	{ id: 'video.scan', subject: 'Scan type (H.264 SPS frame_mbs_only_flag, HEVC interlaced_source_flag, Matroska FlagInterlaced)', limit: 'progressive (interlaced refused)', severity: 'refuse', source: `${BP_ADVANCED}: "must use progressive scan"` },
	{ id: 'video.codec', subject: 'Video codec', limit: 'H.264 (HEVC, VP9, AV1, VP8, MPEG-4… warned)', severity: 'warn', source: `${BP_RECOMMENDED}: "H.264 High Profile"; X says nothing of other codecs surviving processing` },
	{ id: 'video.container', subject: 'Container', limit: 'MP4 or MOV (WebM, MPEG-TS warned)', severity: 'warn', source: `${BP_RECOMMENDED} (MP4 with H.264 and AAC-LC); X's OpenAPI spec (InitializeMediaUploadRequest.media_type, https://api.x.com/2/openapi.json) also takes video/webm and video/mp2t` },
	{ id: 'video.bit_depth', subject: 'Bit depth (H.264 SPS, hvcC, vpcC, av1C, Matroska Colour)', limit: '8 bits (10 and 12 warned)', severity: 'warn', source: `${BP_RECOMMENDED}: "H.264 High Profile" (8-bit; High 10 is another profile); X says nothing of 10-bit` },
	{ id: 'gif.size', subject: 'Animated GIF width and height', limit: `at most ${GIF_MAX_WIDTH}×${GIF_MAX_HEIGHT}`, severity: 'warn', source: `${BP_GIF}: "Resolution: <= 1280x1080"` },
	{ id: 'gif.frames', subject: 'Animated GIF frames', limit: `at most ${GIF_MAX_FRAMES}`, severity: 'warn', source: `${BP_GIF}: "Number of frames: <= 350"` },
	{ id: 'gif.pixels', subject: 'Animated GIF pixels (width × height × frames)', limit: 'at most 300 million', severity: 'warn', source: `${BP_GIF}: "Number of pixels: <= 300 million"` },
];

export interface RuleBreak {
	rule: string;
	severity: RuleSeverity;
	/** What was found and X's limit. */
	message: string;
	/** How to fix it (an ffmpeg command line where one does it). */
	fix?: string;
	/** A standard account's limit that X Premium does not have: the account's tier decides. */
	tierDependent?: boolean;
}

export interface MediaRuleContext {
	category: MediaCategory;
	/** The account tier the limits are for: undefined = standard, not asked yet (Account Tier `auto`). */
	tier?: TierVerdict;
	/** The file's name, for the ffmpeg command lines. */
	fileName?: string;
}

export interface MediaRuleResult {
	refusals: RuleBreak[];
	warnings: RuleBreak[];
}

function seconds(ms: number): string {
	const s = ms / 1000;
	const text = `${s < 10 ? s.toFixed(2).replace(/0$/, '') : s.toFixed(1)} s`;
	return s >= 60 ? `${text} (${Math.floor(s / 60)} min ${Math.round(s % 60)} s)` : text;
}

function even(n: number): number {
	return Math.ceil(n / 2) * 2;
}

/** ffmpeg's input and output names for a file (quoted for a shell; quotes and line ends removed). */
function names(fileName: string | undefined, suffix: string): { input: string; output: string } {
	const clean = (fileName ?? 'input.mp4').replace(/["\r\n`$\\]/g, '_');
	const dot = clean.lastIndexOf('.');
	const base = dot > 0 ? clean.slice(0, dot) : clean;
	const ext = dot > 0 ? clean.slice(dot) : '.mp4';
	return { input: `"${clean}"`, output: `"${base}-${suffix}${ext === '.webm' ? '.webm' : '.mp4'}"` };
}


/** Checks one inspected file against X's rules. Unknown values (null) are not judged. */
export function checkMediaRules(inspection: MediaInspection, context: MediaRuleContext): MediaRuleResult {
	const refusals: RuleBreak[] = [];
	const warnings: RuleBreak[] = [];
	const { info, details } = inspection;
	const add = (rule: string, message: string, fix?: string, tierDependent?: boolean) => {
		const row = MEDIA_RULES.find((r) => r.id === rule) as MediaRuleRow;
		(row.severity === 'refuse' ? refusals : warnings).push({ rule, severity: row.severity, message, fix, ...(tierDependent ? { tierDependent } : {}) });
	};
	if (inspection.problem !== undefined) {
		add(
			'structure',
			`X Media could not read this ${info.kind === 'video' ? 'video' : 'file'}: ${inspection.problem}`,
			`X would fail it in processing. Make the file again with the tool that produced it, or re-encode it: ffmpeg -i ${names(context.fileName, 'fixed').input} -c:v libx264 -pix_fmt yuv420p -c:a aac -movflags +faststart ${names(context.fileName, 'fixed').output}`,
		);
		return { refusals, warnings };
	}
	const { width, height } = info;
	if (info.kind === 'video') {
		const tier = context.tier?.tier ?? 'standard';
		const limits = mediaLimit(context.category, tier);
		const minMs = limits.minDurationMs ?? 0;
		const n = (suffix: string) => names(context.fileName, suffix);
		checkVideoStreams(info, details, n, add);
		if (info.duration_ms !== null && info.duration_ms < minMs) {
			add(
				'video.duration.min',
				details.storedDurationMs !== undefined
					? `The video plays ${seconds(info.duration_ms)} (its edit list trims the ${seconds(details.storedDurationMs)} of frames it stores); X takes videos of at least ${minMs / 1000} s`
					: `The video is ${seconds(info.duration_ms)} long; X takes videos of at least ${minMs / 1000} s`,
				`Make it longer, for example by holding the last frame: ffmpeg -i ${n('long').input} -vf tpad=stop_mode=clone:stop_duration=1 -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('long').output}`,
			);
		}
		const maxMs = limits.maxDurationMs;
		if (info.duration_ms !== null && maxMs !== undefined && info.duration_ms > maxMs) {
			const byTier = tier === 'standard' && durationDependsOnTier(context.category, info.duration_ms);
			const premiumMs = mediaLimit(context.category, 'premium').maxDurationMs as number;
			const account = tier === 'premium' ? 'an X Premium or verified account' : 'a standard account';
			const what = context.category === 'dm_video' ? 'a Direct Message video' : 'a video in a post';
			const premium = byTier ? ` X Premium or verified accounts may post up to ${formatDuration(premiumMs)}.${tierNote(context.tier)}` : '';
			const secs = Math.floor(maxMs / 1000);
			add(
				'video.duration.max',
				`The video is ${seconds(info.duration_ms)} long; X takes ${what} of up to ${formatDuration(maxMs)} from ${account}`,
				`Trim it: ffmpeg -i ${n(`${secs}s`).input} -t ${secs} -c:v libx264 -pix_fmt yuv420p -c:a aac -movflags +faststart ${n(`${secs}s`).output}.${premium}`,
				byTier,
			);
		}
		if (info.frame_rate !== null && info.frame_rate > VIDEO_MAX_FPS + FPS_TOLERANCE) {
			add(
				'video.frame_rate',
				`The video has ${info.frame_rate} frames per second; X takes at most ${VIDEO_MAX_FPS}`,
				`Change the frame rate: ffmpeg -i ${n('60fps').input} -vf fps=60 -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('60fps').output} (or fps=30)`,
			);
		}
		if (width !== null && height !== null && width > 0 && height > 0) {
			if (width < VIDEO_MIN_SIDE || height < VIDEO_MIN_SIDE) {
				const factor = Math.ceil(VIDEO_MIN_SIDE / Math.min(width, height));
				add(
					'video.size.min',
					`The video is ${width}×${height} pixels; X takes videos of at least ${VIDEO_MIN_SIDE}×${VIDEO_MIN_SIDE}`,
					`Scale it up: ffmpeg -i ${n('scaled').input} -vf scale=${even(width * factor)}:${even(height * factor)}:flags=neighbor -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('scaled').output}`,
				);
			}
			const ratio = width / height;
			if (ratio > MAX_ASPECT || ratio < 1 / MAX_ASPECT) {
				const wide = ratio > MAX_ASPECT;
				const pad = wide ? `pad=${width}:${even(width / MAX_ASPECT)}:0:(oh-ih)/2` : `pad=${even(height / MAX_ASPECT)}:${height}:(ow-iw)/2:0`;
				const crop = wide ? `crop=${Math.floor((height * MAX_ASPECT) / 2) * 2}:${height}` : `crop=${width}:${Math.floor((width * MAX_ASPECT) / 2) * 2}`;
				add(
					'video.aspect',
					`The video's aspect ratio is ${ratio >= 1 ? `${round2(ratio)}:1` : `1:${round2(1 / ratio)}`} (${width}×${height}); X takes 1:3 to 3:1`,
					`Pad it with bars: ffmpeg -i ${n('3x1').input} -vf ${pad} -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('3x1').output}, or crop it: -vf ${crop}`,
				);
			}
			const long = Math.max(width, height);
			const short = Math.min(width, height);
			if (long > VIDEO_MAX_LONG_SIDE || short > VIDEO_MAX_SHORT_SIDE) {
				add(
					'video.size.max',
					`The video is ${width}×${height} pixels, above the ${VIDEO_MAX_LONG_SIDE}×${VIDEO_MAX_SHORT_SIDE} X's docs give as the largest size; X may downscale or refuse it`,
					`To stay within it: ffmpeg -i ${n('720p').input} -vf "scale='if(gt(iw,ih),1280,-2)':'if(gt(iw,ih),-2,1280)'" -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('720p').output}`,
				);
			}
		}
		const pasp = details.pixelAspect;
		if (pasp && pasp[0] !== pasp[1]) {
			add(
				'video.pixel_aspect',
				`The video's pixels are not square (pixel aspect ratio ${pasp[0]}:${pasp[1]}); X takes 1:1 only`,
				`Scale it to square pixels: ffmpeg -i ${n('square').input} -vf "scale=trunc(iw*sar/2)*2:ih,setsar=1" -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('square').output}`,
			);
		}
		if (details.chroma !== undefined && details.chroma !== '4:2:0') {
			add(
				'video.chroma',
				`The video's pixel format is YUV ${details.chroma}; X takes YUV 4:2:0 only`,
				`Re-encode it: ffmpeg -i ${n('yuv420p').input} -c:v libx264 -pix_fmt yuv420p -c:a copy ${n('yuv420p').output}`,
			);
		}
		const audioFix = `Re-encode the audio to AAC-LC stereo: ffmpeg -i ${n('aac').input} -c:v copy -c:a aac -profile:a aac_low -ac 2 -b:a 128k ${n('aac').output}`;
		if ((info.container === 'mp4' || info.container === 'mov') && info.audio_codec !== null && info.audio_codec !== 'aac-lc') {
			add('audio.codec', `The audio is ${audioName(info.audio_codec)}; X takes AAC-LC audio only${info.audio_codec.startsWith('he-aac') ? ' (HE-AAC is refused)' : ''}`, audioFix);
		}
		if (info.audio_channels !== null && info.audio_channels > MAX_AUDIO_CHANNELS) {
			add('audio.channels', `The audio has ${info.audio_channels} channels${info.audio_channels === 6 ? ' (5.1)' : ''}; X takes mono or stereo only`, audioFix);
		}
	}
	if (info.kind === 'gif' && width !== null && height !== null) {
		if (width > GIF_MAX_WIDTH || height > GIF_MAX_HEIGHT) {
			add('gif.size', `The GIF is ${width}×${height}, above the ${GIF_MAX_WIDTH}×${GIF_MAX_HEIGHT} X recommends; posting it may fail`);
		}
		const frames = info.frame_count;
		if (frames !== null && frames > GIF_MAX_FRAMES) {
			add('gif.frames', `The GIF has ${frames} frames, more than the ${GIF_MAX_FRAMES} X recommends; posting it may fail`);
		}
		if (frames !== null && width * height * frames > GIF_MAX_PIXELS) {
			add('gif.pixels', `The GIF has ${Math.round((width * height * frames) / 1e6)} million pixels (${width}×${height}×${frames} frames), more than the 300 million X recommends; posting it may fail`);
		}
	}
	return { refusals, warnings };
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}

function audioName(codec: string): string {
	const names: Record<string, string> = { 'he-aac': 'HE-AAC', 'he-aac-v2': 'HE-AACv2', 'ac-3': 'AC-3 (Dolby Digital)', 'e-ac-3': 'E-AC-3 (Dolby Digital Plus)', mp3: 'MP3', opus: 'Opus', vorbis: 'Vorbis', pcm: 'PCM (uncompressed)' };
	return names[codec] ?? codec;
}

/** One line per break, with its fix, for `warnings` (and for refusals when Skip Media Checks is on). */
export function describeBreak(item: RuleBreak): string {
	return item.fix ? `${item.message}. ${item.fix}` : `${item.message}.`;
}
