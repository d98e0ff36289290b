/**
 * X's media protocol: categories, types and the figures of its requests. The limits per posting
 * account (size, duration, text length, segments) are in one table: accountLimits.ts.
 *
 * Sources (X's documentation, https://docs.x.com):
 * - docs.x.com/x-api/media/quickstart/best-practices: 1-4 images or 1 GIF or 1 video per post.
 * - OpenAPI spec 2.167: `InitializeMediaUploadRequest` (media_type and media_category
 *   enums, `total_bytes` max 17179869184), `AppendMediaUploadRequest.segment_index` 0..999,
 *   `MediaUploadRequest.media_category` enum of the one-shot upload, alt text maxLength 1000,
 *   `media.tagged_user_ids` max 10.
 * - v1.1 docs: `additional_owners` at most 100 ids; metadata (alt text) for images and GIFs.
 *
 * X writes "MB" for binary megabytes (5 MB = 5,242,880 bytes), so the values here are MiB.
 */

import { SEGMENT_LIMITS } from './accountLimits';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** Every `media_category` X's initialize endpoint accepts. */
export const MEDIA_CATEGORIES = [
	'tweet_image',
	'tweet_gif',
	'tweet_video',
	'amplify_video',
	'dm_image',
	'dm_gif',
	'dm_video',
	'subtitles',
] as const;
export type MediaCategory = (typeof MEDIA_CATEGORIES)[number];

/** What a file is, as far as X's rules care. */
export type MediaKind = 'image' | 'gif' | 'video' | 'subtitles';

/** X's `media_type` enum for initialize (spec 2.167), without the 3D model types. */
export const X_MEDIA_TYPES = [
	'video/mp4',
	'video/webm',
	'video/mp2t',
	'video/quicktime',
	'text/srt',
	'text/vtt',
	'image/jpeg',
	'image/gif',
	'image/bmp',
	'image/png',
	'image/webp',
	'image/pjpeg',
	'image/tiff',
] as const;
export type XMediaType = (typeof X_MEDIA_TYPES)[number];

/** The kind of file each of X's media types carries (image/gif: see `resolveMediaType`). */
export const MEDIA_TYPE_KIND: Readonly<Record<XMediaType, MediaKind>> = {
	'video/mp4': 'video',
	'video/webm': 'video',
	'video/mp2t': 'video',
	'video/quicktime': 'video',
	'text/srt': 'subtitles',
	'text/vtt': 'subtitles',
	'image/jpeg': 'image',
	'image/gif': 'gif',
	'image/bmp': 'image',
	'image/png': 'image',
	'image/webp': 'image',
	'image/pjpeg': 'image',
	'image/tiff': 'image',
};

/** At most 1000 segments (`segment_index` 0..999): the limits table, accountLimits.ts. */
export const MAX_SEGMENTS = SEGMENT_LIMITS.maxSegments;
/** At most X's 8 MB server maximum per segment: the limits table, accountLimits.ts. */
export const MAX_SEGMENT_BYTES = SEGMENT_LIMITS.maxSegmentBytes;
/** What X's own tools (xurl, the Python samples) use. */
export const DEFAULT_CHUNK_BYTES = 4 * MiB;
/** The smallest chunk we shrink to after X refuses an APPEND as too large (413/431). */
export const MIN_CHUNK_BYTES = 256 * KiB;
/** Chunk sizes that we compute (raising for the segment cap, shrinking) are multiples of this. */
export const CHUNK_ROUNDING_BYTES = 64 * KiB;
/** `total_bytes` maximum of X's initialize schema (16 GiB, the Premium post-video limit). */
export const MAX_TOTAL_BYTES = 17179869184;


export const ALT_TEXT_MAX = 1000;
export const MAX_MEDIA_PER_POST = 4;
export const MAX_TAGGED_USERS = 10;
export const MAX_ADDITIONAL_OWNERS = 100;

export const DEFAULT_PARALLEL_UPLOADS = 3;
export const MAX_PARALLEL_UPLOADS = 8;
/**
 * Parallel Uploads left unset: the upload adapts how many APPENDs it keeps in flight, at most
 * MAX_PARALLEL_UPLOADS and at most this many bytes of segments in flight (so the segment pool,
 * (in flight + 1) × Chunk Size, stays under 32 MiB + one segment whatever the chunk size).
 */
export const AUTO_MAX_IN_FLIGHT_BYTES = 32 * MiB;
/**
 * Adapting never goes below 3 in flight (the former fixed default): on this project's 2-core bench
 * 2 never beat 3 near X, and lost 15% on a 100 Mbit/s link (bench/results.md, issue 19).
 */
export const AUTO_MIN_PARALLEL_UPLOADS = DEFAULT_PARALLEL_UPLOADS;
/** X's per-user limit on APPENDs: 1,875 per 15 minutes (https://docs.x.com/x-api/fundamentals/rate-limits). */
export const APPEND_RATE_LIMIT = { requests: 1875, windowMs: 15 * 60_000 } as const;

export const DEFAULT_PROCESSING_TIMEOUT_SECS = 600;

/** Pattern of media ids and user ids (spec 2.167). */
export const ID_PATTERN = /^[0-9]{1,19}$/;
/** Pattern of media keys, e.g. `13_1880028106020515840` (spec 2.159). */
export const MEDIA_KEY_PATTERN = /^[0-9]+_[0-9]+$/;

/** Categories whose media carry alt text (X: metadata is for images and GIFs). */
export const ALT_TEXT_CATEGORIES: readonly MediaCategory[] = [
	'tweet_image',
	'tweet_gif',
	'dm_image',
	'dm_gif',
];

/** Categories the one-shot `POST /2/media/upload` accepts (spec 2.167 `MediaUploadRequest`). */
export const SIMPLE_UPLOAD_CATEGORIES: readonly MediaCategory[] = [
	'tweet_image',
	'tweet_video',
	'tweet_gif',
	'dm_image',
	'dm_video',
	'dm_gif',
	'subtitles',
];

/** Categories X processes asynchronously (FINALIZE returns `processing_info`). */
export const ASYNC_CATEGORIES: readonly MediaCategory[] = [
	'tweet_gif',
	'tweet_video',
	'amplify_video',
	'dm_gif',
	'dm_video',
];

/** Which kind of media each category is for. */
export const CATEGORY_KIND: Readonly<Record<MediaCategory, MediaKind>> = {
	tweet_image: 'image',
	dm_image: 'image',
	tweet_gif: 'gif',
	dm_gif: 'gif',
	tweet_video: 'video',
	amplify_video: 'video',
	dm_video: 'video',
	subtitles: 'subtitles',
};

export function isMediaCategory(value: unknown): value is MediaCategory {
	return typeof value === 'string' && (MEDIA_CATEGORIES as readonly string[]).indexOf(value) !== -1;
}

export function isXMediaType(value: unknown): value is XMediaType {
	return typeof value === 'string' && (X_MEDIA_TYPES as readonly string[]).indexOf(value) !== -1;
}

/** "8 GB", "5 MB", "12.34 MB", "812 KB", "17 bytes": X's way of writing sizes (binary units). */
export function formatSize(bytes: number): string {
	if (bytes >= 1024 * MiB) return `${trimDecimals(bytes / (1024 * MiB))} GB`;
	if (bytes >= MiB) return `${trimDecimals(bytes / MiB)} MB`;
	if (bytes >= KiB) return `${trimDecimals(bytes / KiB)} KB`;
	return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** "5,242,881" without depending on the host's locale. */
export function formatBytes(bytes: number): string {
	return String(bytes).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "5.01 MB (5,252,881 bytes)". */
export function formatSizeWithBytes(bytes: number): string {
	return bytes < KiB ? formatSize(bytes) : `${formatSize(bytes)} (${formatBytes(bytes)} bytes)`;
}

function trimDecimals(value: number): string {
	return value.toFixed(2).replace(/\.?0+$/, '');
}
