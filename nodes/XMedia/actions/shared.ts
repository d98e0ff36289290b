import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import {
	DEFAULT_PARALLEL_UPLOADS,
	DEFAULT_PROCESSING_TIMEOUT_SECS,
	isMediaCategory,
	MAX_PARALLEL_UPLOADS,
	MAX_SEGMENT_BYTES,
	MiB,
	X_MEDIA_TYPES,
} from '../helpers/limits';
import type { MediaCategory } from '../helpers/limits';
import { parseUserIds } from '../helpers/mediaIds';
import { languageDisplayName, normaliseLanguageCode } from '../helpers/subtitlesRules';
import type { UploadSettings } from '../upload/types';
import type { SubtitlesRequest } from '../upload/subtitles';

/** Runs `work` for each item; with "Continue On Fail" a failing item yields `{ error }` and the rest go on. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...(await work(i)));
		} catch (error) {
			const nodeError = toNodeError(ctx, error, i);
			if (ctx.continueOnFail()) {
				out.push({ json: errorJson(nodeError), pairedItem: { item: i } });
				continue;
			}
			throw nodeError;
		}
	}
	return out;
}

/** The `error` item of Continue On Fail: message, description and HTTP status, nothing else. */
export function errorJson(error: Error & { description?: string | null; httpCode?: string | null }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.error_description = error.description;
	if (error.httpCode) json.http_code = error.httpCode;
	return json;
}

export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof MediaInputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
	}
	if (error instanceof Error && 'node' in error) {
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/** A number parameter that must be a whole number within bounds; a clear error otherwise. */
export function readBoundedNumber(
	value: unknown,
	label: string,
	min: number,
	max: number,
	integer: boolean,
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
		throw new MediaInputError(
			`"${label}" must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value)}`,
			`Change "${label}" in the node.`,
		);
	}
	return n;
}

export function readProcessingTimeout(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_PROCESSING_TIMEOUT_SECS;
	return readBoundedNumber(value, 'Processing Timeout (Seconds)', 1, 86_400, false);
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

export const processingTimeoutProperty: INodeProperties = {
	displayName: 'Processing Timeout (Seconds)',
	name: 'processingTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_PROCESSING_TIMEOUT_SECS,
	description:
		'How long to wait for X to finish processing a GIF or video. After it, the node stops with an error that gives the media ID to check later with Get Status.',
};

/** Upload options, shared with Create Post's binary mode. */
/** Create Post and Send Direct Message, when they upload the item's files (Media Source: Binary File). */
const whenUploadingBinary = { show: { '/mediaSource': ['binary'] } };

export const liftVideoLimitBinaryField: INodeProperties = {
	displayName: 'Allow Long Videos (Premium)',
	name: 'liftVideoLimit',
	type: 'boolean',
	default: false,
	displayOptions: whenUploadingBinary,
	description:
		'Whether to lift the 512 MB and 140 s video limits, for accounts with X Premium (post video up to 125 min, DM video up to 10 min)',
};

export const skipMediaChecksBinaryField: INodeProperties = {
	displayName: 'Skip Media Checks',
	name: 'skipMediaChecks',
	type: 'boolean',
	default: false,
	displayOptions: whenUploadingBinary,
	description:
		'Whether to upload a file even when it breaks X\'s media rules (duration, frame rate, size, aspect ratio, audio). File type and size limits still apply.',
};

export function uploadOptionProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Additional Owners',
			name: 'additionalOwners',
			type: 'string',
			default: '',
			placeholder: '1234567890, 2345678901',
			description: 'Comma-separated user IDs of other accounts that may post this media',
		},
		{
			displayName: 'Allow Long Videos (Premium)',
			name: 'liftVideoLimit',
			type: 'boolean',
			default: false,
			description:
				'Whether to lift the 512 MB and 140 s video limits, for accounts with X Premium that may post longer (up to 125 min) and larger videos',
		},
		{
			displayName: 'Alt Text',
			name: 'altText',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'Description of the image or GIF for people who cannot see it (up to 1000 characters)',
		},
		{
			displayName: 'Chunk Size (MiB)',
			name: 'chunkSize',
			type: 'number',
			typeOptions: { minValue: 0.25, maxValue: MAX_SEGMENT_BYTES / MiB, numberPrecision: 2 },
			default: 4,
			description:
				'Size of each uploaded segment. Raised automatically when a file would need more than 1000 segments, and lowered if X refuses a segment as too large.',
		},
		{
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			options: [{ name: 'Detect From the File', value: '' }, ...X_MEDIA_TYPES.map((t) => ({ name: t, value: t }))],
			default: '',
			description: 'Overrides the type read from the file\'s bytes. Leave it out unless the detection is wrong.',
		},
		{
			displayName: 'Parallel Uploads',
			name: 'parallelUploads',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_UPLOADS },
			default: DEFAULT_PARALLEL_UPLOADS,
			description: 'How many segments of a large file are sent at the same time',
		},
		{ ...processingTimeoutProperty },
		{
			displayName: 'Shared (DM Media)',
			name: 'shared',
			type: 'boolean',
			default: false,
			description:
				'Whether DM media may be reused in several Direct Messages. X makes shared media reachable by anyone with its URL: ask the user\'s consent first.',
		},
		{
			displayName: 'Skip Media Checks',
			name: 'skipMediaChecks',
			type: 'boolean',
			default: false,
			description:
				'Whether to upload a file even when it breaks X\'s media rules (duration, frame rate, size, aspect ratio, audio), for example after X changed them. File type and size limits still apply; what was not checked goes to the output\'s warnings.',
		},
		...subtitlesOptionProperties(),
		{
			displayName: 'Upload Method',
			name: 'uploadMethod',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto', description: 'One request for images and subtitles, chunked for GIFs and videos' },
				{ name: 'Chunked', value: 'chunked', description: 'Initialize, parallel segments, finalize' },
				{ name: 'Simple', value: 'simple', description: 'One request (files up to 15 MB)' },
			],
			default: 'auto',
		},
		{
			displayName: 'Wait for Processing',
			name: 'waitForProcessing',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until X has processed a GIF or video. Turn off to get the media ID at once and check it later with Get Status.',
		},
	];
}

/** Reads the upload settings of one item from an options collection. */
export function readUploadSettings(options: IDataObject, category: unknown): UploadSettings {
	const chunkSize = options.chunkSize;
	return {
		category: (typeof category === 'string' && category !== '' ? category : 'auto') as 'auto' | MediaCategory,
		method: (options.uploadMethod as UploadSettings['method']) ?? 'auto',
		mediaType: options.mediaType !== undefined ? readString(options.mediaType, 'Media Type') || undefined : undefined,
		altText: options.altText !== undefined ? readString(options.altText, 'Alt Text') || undefined : undefined,
		waitForProcessing: options.waitForProcessing === undefined ? true : options.waitForProcessing !== false,
		processingTimeoutSecs: readProcessingTimeout(options.processingTimeout),
		chunkSizeMiB:
			chunkSize === undefined || chunkSize === ''
				? undefined
				: readBoundedNumber(chunkSize, 'Chunk Size (MiB)', 0.25, MAX_SEGMENT_BYTES / MiB, false),
		parallelUploads:
			options.parallelUploads === undefined || options.parallelUploads === ''
				? undefined
				: readBoundedNumber(options.parallelUploads, 'Parallel Uploads', 1, MAX_PARALLEL_UPLOADS, true),
		additionalOwners:
			options.additionalOwners === undefined || options.additionalOwners === ''
				? []
				: parseUserIds(options.additionalOwners, 'Additional Owners'),
		shared: options.shared === true,
		liftVideoLimit: options.liftVideoLimit === true,
		skipMediaChecks: options.skipMediaChecks === true,
	};
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

/** The subtitles fields of Upload's options and Create Post's additional fields (binary mode). */
export function subtitlesOptionProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Subtitles Binary Field',
			name: 'subtitlesBinaryPropertyName',
			type: 'string',
			default: '',
			placeholder: 'subtitles',
			description:
				'Binary field of the same item with an SRT or WebVTT file. It is uploaded once the video is processed and attached to it (the upload then always waits for processing).',
		},
		{
			displayName: 'Subtitles Display Name',
			name: 'subtitlesDisplayName',
			type: 'string',
			default: '',
			placeholder: 'English',
			description: 'Name of the subtitles track shown to viewers. Default: the language\'s English name.',
		},
		{
			displayName: 'Subtitles Language Code',
			name: 'subtitlesLanguageCode',
			type: 'string',
			default: 'EN',
			description: 'Two-letter language code of the subtitles (EN, ES, FR…). en or en-US are accepted and sent as EN, as X requires.',
		},
	];
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
	return readSubtitlesFields(propertyName, options.subtitlesLanguageCode, options.subtitlesDisplayName, 'Subtitles Language Code', 'Subtitles Display Name');
}

/** Language and display name of a subtitles file, as X takes them. */
export function readSubtitlesFields(
	propertyName: string,
	languageValue: unknown,
	displayNameValue: unknown,
	languageLabel: string,
	displayNameLabel: string,
): SubtitlesRequest {
	const language = normaliseLanguageCode(languageValue === undefined || languageValue === '' ? 'EN' : languageValue, languageLabel);
	const displayName = readString(displayNameValue, displayNameLabel).trim() || languageDisplayName(language.code);
	return { propertyName, language, displayName };
}

/** `media_category` of `POST/DELETE /2/media/subtitles`, spelt as X spells it. */
export const subtitlesVideoCategoryProperty: INodeProperties = {
	displayName: 'Video Category',
	name: 'videoCategory',
	type: 'options',
	options: [
		{ name: 'Tweet Video', value: 'TweetVideo', description: 'A video uploaded as tweet_video (the Upload default)' },
		{ name: 'Amplify Video', value: 'AmplifyVideo', description: 'A video uploaded as amplify_video' },
	],
	default: 'TweetVideo',
	description: 'How the video was uploaded, as X names it for subtitles',
};

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
