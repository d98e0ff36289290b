/**
 * Reading the node's parameters: one reader (and so one validation, in one wording) per field,
 * and the one builder of the upload settings. Readers throw `MediaInputError`; the item loop
 * turns it into the node's error.
 */
import type { IDataObject } from 'n8n-workflow';

import { ACCOUNT_TIER_OPTIONS } from '../../helpers/accountLimits';
import type { AccountTierOption } from '../../helpers/accountLimits';
import { MediaInputError } from '../../helpers/errors';
import {
	DEFAULT_PROCESSING_TIMEOUT_SECS,
	isMediaCategory,
	MAX_PARALLEL_UPLOADS,
	MAX_SEGMENT_BYTES,
	MiB,
} from '../../helpers/limits';
import type { MediaCategory } from '../../helpers/limits';
import { parseUserIds } from '../../helpers/mediaIds';
import { parseMediaUrl } from '../../helpers/mediaUrl';
import type { MediaUrl } from '../../helpers/mediaUrl';
import { languageDisplayName, normaliseLanguageCode } from '../../helpers/subtitlesRules';
import type { UploadDestination } from '../../helpers/uploadPlanner';
import type { SubtitlesRequest } from '../../upload/subtitles';
import type { UploadSettings } from '../../upload/types';

/** A number parameter that must be a (whole) number within bounds; a clear error otherwise. */
function readBoundedNumber(value: unknown, label: string, min: number, max: number, integer: boolean): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
		throw new MediaInputError(
			`"${label}" must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value)}`,
			`Change "${label}" in the node.`,
		);
	}
	return n;
}

/** A string parameter that an expression may have turned into something else. */
export function readString(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new MediaInputError(
		`"${label}" must be text, but its expression gave ${Array.isArray(value) ? 'an array' : 'an object'}`,
		`Change the expression of "${label}" so that it yields text, for example {{ $json.field }} rather than {{ $json }}.`,
	);
}

const isUnset = (value: unknown) => value === undefined || value === '';

export function readProcessingTimeout(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_PROCESSING_TIMEOUT_SECS;
	return readBoundedNumber(value, 'Processing Timeout (Seconds)', 1, 86_400, false);
}

/** Options > Chunk Size (MiB): 0.25 to 8; undefined (the planner's default) when not set. */
export function readChunkSize(value: unknown): number | undefined {
	return isUnset(value) ? undefined : readBoundedNumber(value, 'Chunk Size (MiB)', 0.25, MAX_SEGMENT_BYTES / MiB, false);
}

/** Options > Parallel Uploads: a whole number from 1 to 8; undefined (the planner's default) when not set. */
export function readParallelUploads(value: unknown): number | undefined {
	return isUnset(value) ? undefined : readBoundedNumber(value, 'Parallel Uploads', 1, MAX_PARALLEL_UPLOADS, true);
}

/** Options > Additional Owners: user ids (X's limit on their number is the planner's). */
export function readAdditionalOwners(value: unknown): string[] {
	return isUnset(value) ? [] : parseUserIds(value, 'Additional Owners');
}

/**
 * Account Tier (`auto` when not set), from an options collection; the legacy "Allow Long Videos"
 * (`liftVideoLimit: true`) means `premium` when Account Tier is not set otherwise.
 */
export function readAccountTier(fields: IDataObject): AccountTierOption {
	const value = fields.accountTier;
	if (isUnset(value) || value === null) return fields.liftVideoLimit === true ? 'premium' : 'auto';
	const tier = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (typeof tier !== 'string' || !(ACCOUNT_TIER_OPTIONS as readonly string[]).includes(tier)) {
		throw new MediaInputError(
			`"Account Tier" must be auto, standard or premium, not ${JSON.stringify(value)}`,
			'Change "Account Tier" (or the expression that sets it) to auto (X is asked when it matters), standard or premium (X Premium or verified).',
		);
	}
	if (tier === 'auto' && fields.liftVideoLimit === true) return 'premium';
	return tier as AccountTierOption;
}

/** An optional text field: undefined when absent or empty. */
function readOptionalText(value: unknown, label: string): string | undefined {
	return value !== undefined ? readString(value, label) || undefined : undefined;
}

/**
 * The one builder of upload settings, from an options collection (Upload's Options, Create Post's
 * and Send Direct Message's Additional Fields: an operation that does not offer a field gets its
 * default). `category` is Upload's Media Category; `destination` says where the media goes.
 */
export function readUploadSettings(
	fields: IDataObject,
	{ category, destination }: { category?: unknown; destination?: UploadDestination } = {},
): UploadSettings {
	const settings: UploadSettings = {
		category: (typeof category === 'string' && category !== '' ? category : 'auto') as 'auto' | MediaCategory,
		method: (fields.uploadMethod as UploadSettings['method']) ?? 'auto',
		mediaType: readOptionalText(fields.mediaType, 'Media Type'),
		altText: readOptionalText(fields.altText, 'Alt Text'),
		waitForProcessing: fields.waitForProcessing === undefined ? true : fields.waitForProcessing !== false,
		processingTimeoutSecs: readProcessingTimeout(fields.processingTimeout),
		chunkSizeMiB: readChunkSize(fields.chunkSize),
		parallelUploads: readParallelUploads(fields.parallelUploads),
		additionalOwners: readAdditionalOwners(fields.additionalOwners),
		shared: fields.shared === true,
		accountTier: readAccountTier(fields),
		skipMediaChecks: fields.skipMediaChecks === true,
		urlTimeoutSecs: readUrlTimeout(fields.urlTimeout),
	};
	if (destination) settings.destination = destination;
	return settings;
}

/** Options > URL Timeout (Seconds): 1 to 600; undefined (the source's default) when not set. */
export function readUrlTimeout(value: unknown): number | undefined {
	return isUnset(value) ? undefined : readBoundedNumber(value, 'URL Timeout (Seconds)', 1, 600, false);
}

/**
 * The URLs of a parameter (comma-separated text, or an array from an expression), each checked
 * (http or https, a host) before any request; at least one, at most `max`.
 */
export function readMediaUrls(value: unknown, label: string, max: number): MediaUrl[] {
	// Commas separate URLs only before a scheme: a comma inside a URL (its path or query) stays.
	const entries = Array.isArray(value) ? value.map((v) => readString(v, label)) : readString(value, label).split(/,(?=\s*[a-z][a-z0-9+.-]*:)/i);
	const urls = entries.map((u) => u.trim()).filter((u) => u !== '');
	if (urls.length === 0) {
		throw new MediaInputError(`"${label}" is empty`, 'Enter the http(s) address of the file, for example https://cdn.example.com/video.mp4.');
	}
	if (urls.length > max) {
		throw new MediaInputError(
			`"${label}" has ${urls.length} URLs; ${max === 1 ? 'one file goes here' : `at most ${max} go here`}`,
			max === 1 ? 'Give one URL (one item per file).' : `A post holds up to ${max} images, or 1 GIF, or 1 video. Remove some URLs.`,
		);
	}
	return urls.map((u) => parseMediaUrl(u, label));
}

/** The binary property names of a comma-separated parameter, in order. */
export function readPropertyNames(value: unknown): string[] {
	const names = readString(value, 'Input Binary Field')
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '');
	if (names.length === 0) {
		throw new MediaInputError(
			'"Input Binary Field" is empty',
			'Enter the name of the binary property that holds the file, usually "data".',
		);
	}
	return names;
}

/** The subtitles asked for in an options collection, or undefined when none. Checked, no request. */
export function readSubtitlesRequest(options: IDataObject): SubtitlesRequest | undefined {
	const propertyName = readString(options.subtitlesBinaryPropertyName, 'Subtitles Binary Field').trim();
	if (propertyName === '') {
		if (readString(options.subtitlesDisplayName, 'Subtitles Display Name').trim() !== '') {
			throw new MediaInputError(
				'"Subtitles Display Name" is set, but "Subtitles Binary Field" is empty',
				'Enter the binary field that holds the SRT or VTT file, or remove the display name.',
			);
		}
		return undefined;
	}
	return readSubtitlesFields(
		propertyName,
		options.subtitlesLanguageCode,
		options.subtitlesDisplayName,
		'Subtitles Language Code',
		'Subtitles Display Name',
	);
}

/**
 * Language and display name of a subtitles file, as X takes them. The file itself is uploaded
 * with the default settings (one request; `auto` names a file that is not SRT or VTT as such).
 */
export function readSubtitlesFields(
	propertyName: string,
	languageValue: unknown,
	displayNameValue: unknown,
	languageLabel: string,
	displayNameLabel: string,
): SubtitlesRequest {
	const language = normaliseLanguageCode(isUnset(languageValue) ? 'EN' : languageValue, languageLabel);
	const displayName = readString(displayNameValue, displayNameLabel).trim() || languageDisplayName(language.code);
	return { propertyName, language, displayName, settings: readUploadSettings({}) };
}

/** The upload category the input item names for `mediaId` (an Upload's output: itself, `files`, `uploads`), if any. */
export function knownMediaCategory(json: IDataObject, mediaId: string): MediaCategory | undefined {
	const entries: unknown[] = [json];
	for (const list of [json.files, json.uploads]) if (Array.isArray(list)) entries.push(...list);
	for (const entry of entries) {
		if (!entry || typeof entry !== 'object') continue;
		const e = entry as IDataObject;
		if (e.media_id === mediaId && isMediaCategory(e.media_category)) return e.media_category;
	}
	return undefined;
}
