/**
 * X's limits per posting account, in one table: size and duration per media category, post text
 * length, segments. Every check of the node reads them from here (README, "Limits per account").
 *
 * X's limits follow the authenticated user (X Premium or verified), not the developer plan:
 * "Limits follow the authenticated user (X Premium / verified status), not your developer API plan."
 * Sources:
 * - MEDIA: https://docs.x.com/x-api/media/quickstart/best-practices, "Size and duration limits"
 *   (rewritten September 2026), and https://docs.x.com/x-api/media/quickstart/media-upload-chunked.
 * - ADVANCED: the same page, "Video specifications and recommendations" → "Advanced":
 *   "Duration: must be at least 0.5 seconds".
 * - TEXT: https://docs.x.com/changelog (2024-08-20: 25,000 characters for Premium) and
 *   https://docs.x.com/x-api/fundamentals/counting-characters (280, twitter-text weights).
 * - SPEC: X's OpenAPI spec 2.167 (https://api.x.com/2/openapi.json): `segment_index` 0..999,
 *   `total_bytes` at most 17179869184.
 *
 * X writes "MB" and "GB" for binary units (5 MB = 5,242,880 bytes; 16 GB = the spec's
 * 17,179,869,184), so the values here are MiB and GiB.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaInputError } from './errors';

/** A `media_category` (limits.ts lists them; this table names them as text, so that it imports nothing). */
type MediaCategory = string;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The posting account's tier, as X's limits know it. */
export type AccountTier = 'standard' | 'premium';
/** The Account Tier option: `auto` asks X when a verdict depends on it. */
export type AccountTierOption = 'auto' | AccountTier;
export const ACCOUNT_TIER_OPTIONS: readonly AccountTierOption[] = ['auto', 'standard', 'premium'];

const MEDIA_SOURCE = 'https://docs.x.com/x-api/media/quickstart/best-practices ("Size and duration limits")';
const MIN_DURATION_SOURCE = 'https://docs.x.com/x-api/media/quickstart/best-practices ("Advanced": "Duration: must be at least 0.5 seconds")';
const TEXT_SOURCE = 'https://docs.x.com/changelog (2024-08-20, long posts) and https://docs.x.com/x-api/fundamentals/counting-characters';
const SEGMENT_SOURCE = 'https://docs.x.com/x-api/media/quickstart/media-upload-chunked ("the server maximum is 8 MB"); OpenAPI spec 2.167 (segment_index 0..999)';

/** One tier's limit for a kind of media. */
export interface MediaLimit {
	maxBytes: number;
	/** Videos only. */
	minDurationMs?: number;
	maxDurationMs?: number;
}

/** A row of the table: the categories it covers, each tier's limit, and where X says so. */
export interface MediaLimitRow {
	/** For people: "video in a post". */
	media: string;
	categories: readonly MediaCategory[];
	standard: MediaLimit;
	premium: MediaLimit;
	source: string;
}

const VIDEO_MIN_MS = 500;

/** X's media limits per category and tier. */
export const MEDIA_LIMIT_ROWS = {
	image: {
		media: 'image',
		categories: ['tweet_image', 'dm_image'],
		standard: { maxBytes: 5 * MiB },
		premium: { maxBytes: 5 * MiB },
		source: MEDIA_SOURCE,
	},
	gif: {
		media: 'animated GIF',
		categories: ['tweet_gif', 'dm_gif'],
		standard: { maxBytes: 15 * MiB },
		premium: { maxBytes: 15 * MiB },
		source: MEDIA_SOURCE,
	},
	postVideo: {
		media: 'video in a post',
		categories: ['tweet_video', 'amplify_video'],
		standard: { maxBytes: 8 * GiB, minDurationMs: VIDEO_MIN_MS, maxDurationMs: 20 * 60_000 },
		premium: { maxBytes: 16 * GiB, minDurationMs: VIDEO_MIN_MS, maxDurationMs: 125 * 60_000 },
		source: `${MEDIA_SOURCE}; minimum: ${MIN_DURATION_SOURCE}`,
	},
	dmVideo: {
		media: 'video in a Direct Message',
		categories: ['dm_video'],
		standard: { maxBytes: 512 * MiB, minDurationMs: VIDEO_MIN_MS, maxDurationMs: 140_000 },
		premium: { maxBytes: 1 * GiB, minDurationMs: VIDEO_MIN_MS, maxDurationMs: 10 * 60_000 },
		source: `${MEDIA_SOURCE}; minimum: ${MIN_DURATION_SOURCE}`,
	},
	subtitles: {
		media: 'subtitles (SRT, WebVTT)',
		categories: ['subtitles'],
		standard: { maxBytes: 1 * MiB },
		premium: { maxBytes: 1 * MiB },
		source: MEDIA_SOURCE,
	},
} as const satisfies Record<string, MediaLimitRow>;

export type MediaLimitGroup = keyof typeof MEDIA_LIMIT_ROWS;

/** A post's text, as X counts it (weighted length). */
export const POST_TEXT_LIMITS = { standard: 280, premium: 25_000, source: TEXT_SOURCE } as const;

/** Segments of a chunked upload: at most 1000 (`segment_index` 0..999), each at most X's server maximum. */
export const SEGMENT_LIMITS = { maxSegments: 1000, maxSegmentBytes: 8 * MiB, source: SEGMENT_SOURCE } as const;

/** Largest file the one-request upload sends (it is held in memory): the GIF limit. */
export const MAX_SIMPLE_UPLOAD_BYTES = MEDIA_LIMIT_ROWS.gif.standard.maxBytes;

/** The row of a category. */
export function limitRow(category: MediaCategory): MediaLimitRow {
	for (const row of Object.values(MEDIA_LIMIT_ROWS) as MediaLimitRow[]) {
		if ((row.categories as readonly string[]).includes(category)) return row;
	}
	throw new Error(`No limit row for ${category}`);
}

/** One tier's limit of a category. */
export function mediaLimit(category: MediaCategory, tier: AccountTier): MediaLimit {
	return limitRow(category)[tier];
}

/** True when the tier decides whether `size` bytes of `category` are allowed (standard refuses, Premium takes). */
export function sizeDependsOnTier(category: MediaCategory, size: number): boolean {
	const row = limitRow(category);
	return size > row.standard.maxBytes && size <= row.premium.maxBytes;
}

/** True when the tier decides whether a video of `durationMs` is allowed. */
export function durationDependsOnTier(category: MediaCategory, durationMs: number): boolean {
	const { standard, premium } = limitRow(category);
	return standard.maxDurationMs !== undefined && premium.maxDurationMs !== undefined && durationMs > standard.maxDurationMs && durationMs <= premium.maxDurationMs;
}

/** True when the tier decides whether a text of `weightedLength` may be posted. */
export function textDependsOnTier(weightedLength: number): boolean {
	return weightedLength > POST_TEXT_LIMITS.standard && weightedLength <= POST_TEXT_LIMITS.premium;
}

/** "20 min", "140 s", "125 min". */
export function formatDuration(ms: number): string {
	return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

/** How the tier used for a verdict was known (the output's `account_tier_source`). */
export type AccountTierSource = 'option' | 'x';

/** The tier a verdict used, and how it was known; `unanswered` says why X could not tell (standard applied). */
export interface TierVerdict {
	tier: AccountTier;
	source: AccountTierSource | null;
	unanswered?: string;
}

/**
 * A refusal under the standard limits that X Premium would not make: with Account Tier `auto` the
 * node then asks X for the account's tier and decides again.
 */
export class TierLimitError extends MediaInputError {
	constructor(message: string, description: string) {
		super(message, description);
		this.name = 'TierLimitError';
	}
}

/**
 * What a refusal says about the tier it applied: the option, X's answer, or X's silence (then it
 * names the Account Tier option).
 */
export function tierNote(verdict: TierVerdict | undefined): string {
	if (!verdict) return '';
	if (verdict.unanswered !== undefined) {
		return ` X did not say whether the posting account has X Premium (${verdict.unanswered}), so the standard limits applied: if it has, set Account Tier to Premium.`;
	}
	if (verdict.source === 'x') {
		return verdict.tier === 'premium'
			? ' X says the posting account has X Premium or is verified.'
			: ' X says the posting account has neither X Premium nor a verification; if that changed, set Account Tier to Premium.';
	}
	return verdict.tier === 'premium' ? ' (Account Tier: Premium.)' : ' If the posting account has X Premium, set Account Tier to Premium (or Auto).';
}
