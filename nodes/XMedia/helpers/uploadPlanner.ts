/**
 * Decide how a file goes to X — category, simple or chunked, chunk size, parallelism — and
 * refuse, before the first request, everything X would refuse or that cannot work.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MAX_SIMPLE_UPLOAD_BYTES, mediaLimit, sizeDependsOnTier, TierLimitError, tierNote } from './accountLimits';
import type { TierVerdict } from './accountLimits';
import { MediaInputError, quoteValue } from './errors';
import {
	ALT_TEXT_CATEGORIES,
	ALT_TEXT_MAX,
	ASYNC_CATEGORIES,
	CATEGORY_KIND,
	CHUNK_ROUNDING_BYTES,
	DEFAULT_CHUNK_BYTES,
	MAX_ADDITIONAL_OWNERS,
	MAX_SEGMENTS,
	MAX_SEGMENT_BYTES,
	MEDIA_CATEGORIES,
	MIN_CHUNK_BYTES,
	MiB,
	SIMPLE_UPLOAD_CATEGORIES,
	formatSize,
	formatSizeWithBytes,
	isMediaCategory,
} from './limits';
import type { MediaCategory, MediaKind, XMediaType } from './limits';

type UploadMethod = 'simple' | 'chunked';

export interface PlannedMedia {
	mimeType: XMediaType;
	kind: MediaKind;
	animated: boolean;
}

export interface UploadPlanInput {
	/** File size in bytes. */
	size: number;
	/** From `resolveMediaType` (a `ResolvedMediaType` fits). */
	media: PlannedMedia;
	category: 'auto' | MediaCategory;
	method: 'auto' | UploadMethod;
	/** Options > Chunk Size, in MiB (fractions allowed; checked with the node's parameters); default 4. */
	chunkSizeMiB?: number;
	/** Options > Parallel Uploads (checked with the node's parameters); unset: the upload adapts it. */
	parallelUploads?: number;
	/** The posting account's tier the limits are for: undefined = standard, not asked yet (Account Tier `auto`). */
	tier?: TierVerdict;
	altText?: string;
	/** DM media reused across conversations. */
	shared?: boolean;
	additionalOwners?: string[];
	/** Where the media goes: `auto` picks the post (tweet_*) or Direct Message (dm_*) category. Default post. */
	destination?: UploadDestination;
}

/** Where uploaded media is used: in a post, or in a Direct Message. */
export type UploadDestination = 'post' | 'dm';

export interface UploadPlan {
	category: MediaCategory;
	method: UploadMethod;
	mediaType: XMediaType;
	/** Bytes per APPEND segment; 0 for a simple upload. */
	chunkBytes: number;
	/** Number of APPEND requests; 0 for a simple upload. */
	segmentCount: number;
	/**
	 * Parallel Uploads as set (1..MAX_PARALLEL_UPLOADS): exactly that many APPENDs in flight;
	 * undefined: as many as the link needs, up to a cap (helpers/appendWindow.ts).
	 */
	parallelUploads?: number;
	/** Size limit applied to this upload, in bytes. */
	limitBytes: number;
	/** X processes the media after FINALIZE (GIF and video categories): poll the status. */
	asyncProcessing: boolean;
}

const KIND_NAMES: Readonly<Record<MediaKind, string>> = {
	image: 'an image',
	gif: 'an animated GIF',
	video: 'a video',
	subtitles: 'a subtitles file',
};

const CATEGORY_PURPOSE: Readonly<Record<MediaKind, string>> = {
	image: 'images',
	gif: 'GIFs',
	video: 'videos',
	subtitles: 'subtitle files',
};

/** The categories each kind of file may be uploaded as (first = the `auto` choice). */
const CATEGORIES_FOR_KIND: Readonly<Record<MediaKind, readonly MediaCategory[]>> = {
	image: ['tweet_image', 'dm_image'],
	// An animated GIF may also go as an image (X: images up to 5 MB include GIFs).
	gif: ['tweet_gif', 'dm_gif', 'tweet_image', 'dm_image'],
	video: ['tweet_video', 'amplify_video', 'dm_video'],
	subtitles: ['subtitles'],
};

function mediaName(media: PlannedMedia): string {
	if (media.mimeType === 'image/gif') return media.kind === 'gif' ? 'an animated GIF' : 'a still GIF';
	return `${KIND_NAMES[media.kind]} (${media.mimeType})`;
}

/** Categories a file may take. A still GIF may also go as tweet_gif/dm_gif. */
export function allowedCategories(media: PlannedMedia): MediaCategory[] {
	const list = CATEGORIES_FOR_KIND[media.kind].slice();
	if (media.kind === 'image' && media.mimeType === 'image/gif') list.push('tweet_gif', 'dm_gif');
	return list;
}

/** The categories `auto` picks for a Direct Message. */
const DM_CATEGORY_FOR_KIND: Readonly<Record<MediaKind, MediaCategory | undefined>> = {
	image: 'dm_image',
	gif: 'dm_gif',
	video: 'dm_video',
	subtitles: undefined,
};

/** The category `auto` picks: still image → tweet_image (dm_image for a DM), animated GIF → tweet_gif, … */
export function autoCategory(media: PlannedMedia, destination: UploadDestination = 'post'): MediaCategory {
	if (destination === 'dm') {
		const category = DM_CATEGORY_FOR_KIND[media.kind];
		if (category === undefined) {
			throw new MediaInputError(
				`A Direct Message cannot carry ${mediaName(media)}`,
				'Direct Messages take one image, GIF or video. Subtitles are attached to a video with Add Subtitles.',
			);
		}
		return category;
	}
	return CATEGORIES_FOR_KIND[media.kind][0];
}

/** Whether a category's media may be sent in a Direct Message (dm_image, dm_gif, dm_video). */
export function isDmCategory(category: MediaCategory): boolean {
	return category === 'dm_image' || category === 'dm_gif' || category === 'dm_video';
}

function resolveCategory(media: PlannedMedia, requested: string, destination: UploadDestination = 'post'): MediaCategory {
	if (requested === 'auto' || requested === '' || requested === undefined) return autoCategory(media, destination);
	if (!isMediaCategory(requested)) {
		throw new MediaInputError(
			`Unknown media category ${quoteValue(String(requested))}`,
			`Use auto or one of: ${MEDIA_CATEGORIES.join(', ')}.`,
		);
	}
	const allowed = allowedCategories(media);
	if (allowed.indexOf(requested) === -1) {
		throw new MediaInputError(
			`Media Category ${requested} is for ${CATEGORY_PURPOSE[CATEGORY_KIND[requested]]}, but this file is ${mediaName(media)}`,
			`For this file use ${allowed.join(' or ')}, or set Media Category to auto.`,
		);
	}
	if (destination === 'dm' && !isDmCategory(requested)) {
		throw new MediaInputError(
			`Media Category ${requested} cannot be sent in a Direct Message`,
			`X takes only dm_image, dm_gif and dm_video media in Direct Messages. For this file use ${autoCategory(media, 'dm')}, or set Media Category to auto.`,
		);
	}
	return requested;
}

function checkAltText(altText: string | undefined, category: MediaCategory): void {
	if (altText === undefined || altText === null) return;
	if (typeof altText !== 'string') {
		throw new MediaInputError('Alt Text must be text', `Got ${typeof altText}.`);
	}
	if (altText.trim() === '') return;
	const length = [...altText].length;
	if (length > ALT_TEXT_MAX) {
		throw new MediaInputError(
			`Alt Text is ${length} characters long; X allows at most ${ALT_TEXT_MAX}`,
			`Shorten the alt text by ${length - ALT_TEXT_MAX} character${length - ALT_TEXT_MAX === 1 ? '' : 's'}.`,
		);
	}
	if (ALT_TEXT_CATEGORIES.indexOf(category) === -1) {
		throw new MediaInputError(
			`Alt Text cannot be set on ${category} media`,
			`X takes alt text only for images and GIFs (${ALT_TEXT_CATEGORIES.join(', ')}). Remove the Alt Text option for this file.`,
		);
	}
}

/** X's limit on additional owners; the ids themselves are read (and checked) with the node's parameters. */
function checkAdditionalOwners(owners: string[] | undefined): void {
	if (owners && owners.length > MAX_ADDITIONAL_OWNERS) {
		throw new MediaInputError(
			`Additional Owners has ${owners.length} user ids; X allows at most ${MAX_ADDITIONAL_OWNERS}`,
			'Remove some user ids.',
		);
	}
}

function roundUp(value: number, multiple: number): number {
	return Math.ceil(value / multiple) * multiple;
}

/** Smallest chunk size (a multiple of 64 KiB) that fits `size` bytes in MAX_SEGMENTS segments. */
function minChunkBytesFor(size: number): number {
	return roundUp(Math.max(1, Math.ceil(size / MAX_SEGMENTS)), CHUNK_ROUNDING_BYTES);
}

/**
 * The chunk size to use: the requested one, raised (to a multiple of 64 KiB) when the file
 * would otherwise need more than 1000 segments. Undefined when even 8 MiB segments are not
 * enough.
 */
export function chunkBytesFor(size: number, requested: number): number | undefined {
	let chunk = requested;
	if (Math.ceil(size / chunk) > MAX_SEGMENTS) chunk = minChunkBytesFor(size);
	return chunk > MAX_SEGMENT_BYTES ? undefined : chunk;
}

function overLimitError(size: number, category: MediaCategory, media: PlannedMedia, verdict: TierVerdict | undefined): MediaInputError {
	const tier = verdict?.tier ?? 'standard';
	const limit = mediaLimit(category, tier).maxBytes;
	const kind = CATEGORY_KIND[category];
	const byTier = tier === 'standard' && sizeDependsOnTier(category, size);
	const account = kind === 'video' ? ` on ${tier === 'premium' ? 'an X Premium or verified account' : 'a standard account'}` : '';
	const what = `The file is ${formatSizeWithBytes(size)}, over X's ${formatSizeWithBytes(limit)} limit for ${category}${account}`;
	let todo: string;
	if (kind === 'video') {
		const premium = byTier ? ` X Premium or verified accounts may post up to ${formatSize(mediaLimit(category, 'premium').maxBytes)}.${tierNote(verdict)}` : '';
		todo = `Compress or shorten the video (X recommends H.264, 1280x720, 30 fps).${premium}`;
	} else if (kind === 'image' && media.kind === 'gif') {
		todo = `Upload the GIF as tweet_gif or dm_gif (up to ${formatSize(mediaLimit('tweet_gif', tier).maxBytes)}), or make it smaller.`;
	} else if (kind === 'image') {
		todo = 'Make the image smaller (resize it or save it as JPEG with more compression, for example with the "Edit Image" node).';
	} else if (kind === 'gif') {
		todo = 'Make the GIF smaller (fewer frames, smaller size; X recommends at most 1280x1080 and 350 frames), or convert it to an MP4 video.';
	} else {
		todo = 'Check that this is really a subtitles file; subtitle files are normally a few hundred KB at most.';
	}
	return byTier ? new TierLimitError(what, todo) : new MediaInputError(what, todo);
}

/**
 * Plan one upload. Throws MediaInputError (with what to do) for anything X would refuse.
 */
export function planUpload(input: UploadPlanInput): UploadPlan {
	const { size, media } = input;
	if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
		throw new MediaInputError(
			`The file size is unknown or invalid (${String(size)})`,
			'The binary data has no usable size. Check the node that produced it.',
		);
	}

	const category = resolveCategory(media, input.category, input.destination);
	checkAltText(input.altText, category);
	checkAdditionalOwners(input.additionalOwners);
	const parallelUploads = input.parallelUploads;
	const requestedChunk = input.chunkSizeMiB === undefined ? DEFAULT_CHUNK_BYTES : Math.floor(input.chunkSizeMiB * MiB);

	const limitBytes = mediaLimit(category, input.tier?.tier ?? 'standard').maxBytes;
	if (size > limitBytes) throw overLimitError(size, category, media, input.tier);
	const asyncProcessing = ASYNC_CATEGORIES.indexOf(category) !== -1;
	const method = chooseMethod(input, category, size);

	if (method === 'simple') {
		return { category, method, mediaType: media.mimeType, chunkBytes: 0, segmentCount: 0, parallelUploads, limitBytes, asyncProcessing };
	}

	const chunkBytes = chunkBytesFor(size, requestedChunk);
	if (chunkBytes === undefined) {
		throw new MediaInputError(
			`The file is ${formatSizeWithBytes(size)}: too large to upload in ${MAX_SEGMENTS} segments of at most ${formatSize(MAX_SEGMENT_BYTES)}`,
			`X takes at most ${MAX_SEGMENTS} segments (segment_index 0-999) of at most ${formatSize(MAX_SEGMENT_BYTES)} (X's server maximum) per upload, so the largest file that can be sent is ${formatSizeWithBytes(MAX_SEGMENTS * MAX_SEGMENT_BYTES)}; this one would need segments of ${formatSizeWithBytes(Math.ceil(size / MAX_SEGMENTS))}. Nothing was sent to X. Compress or shorten the video.`,
		);
	}
	const segmentCount = Math.ceil(size / chunkBytes);
	return { category, method, mediaType: media.mimeType, chunkBytes, segmentCount, parallelUploads, limitBytes, asyncProcessing };
}

function chooseMethod(input: UploadPlanInput, category: MediaCategory, size: number): UploadMethod {
	const method = input.method ?? 'auto';
	if (method === 'chunked') return 'chunked';
	if (method === 'simple') {
		if (SIMPLE_UPLOAD_CATEGORIES.indexOf(category) === -1) {
			throw new MediaInputError(
				`Upload Method "simple" cannot be used for ${category}`,
				`X's one-request upload does not take ${category}. Set Upload Method to auto or chunked.`,
			);
		}
		if (input.shared) {
			throw new MediaInputError(
				'Upload Method "simple" cannot mark media as shared',
				'X accepts the Shared flag only in a chunked upload. Set Upload Method to auto or chunked.',
			);
		}
		if (size > MAX_SIMPLE_UPLOAD_BYTES) {
			throw new MediaInputError(
				`The file is ${formatSizeWithBytes(size)}, too large for Upload Method "simple" (at most ${formatSize(MAX_SIMPLE_UPLOAD_BYTES)})`,
				'A simple upload sends the whole file in one request and holds it in memory. Set Upload Method to auto or chunked.',
			);
		}
		return 'simple';
	}
	if (method !== 'auto') {
		throw new MediaInputError(`Unknown upload method ${quoteValue(String(method))}`, 'Use auto, simple or chunked.');
	}
	const kind = CATEGORY_KIND[category];
	const simpleKind = kind === 'image' || kind === 'subtitles';
	return simpleKind && !input.shared && size <= mediaLimit('tweet_image', 'standard').maxBytes && SIMPLE_UPLOAD_CATEGORIES.indexOf(category) !== -1
		? 'simple'
		: 'chunked';
}

/**
 * The chunk size to retry with after X refused a segment as too large (413, 431): half the
 * current segment size, rounded down to 64 KiB, but at least MIN_CHUNK_BYTES and at least
 * what keeps the file within 1000 segments. Undefined when that is not smaller than now.
 */
export function shrinkChunkBytes(current: number, size: number): number | undefined {
	if (!(current > 0) || !(size > 0)) return undefined;
	const effective = Math.min(current, size);
	const halved = Math.floor(effective / 2 / CHUNK_ROUNDING_BYTES) * CHUNK_ROUNDING_BYTES;
	const next = Math.max(halved, MIN_CHUNK_BYTES, minChunkBytesFor(size));
	return next < effective ? next : undefined;
}
