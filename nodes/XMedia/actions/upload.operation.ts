import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { DEFAULT_PARALLEL_UPLOADS, MAX_PARALLEL_UPLOADS, MAX_SEGMENT_BYTES, MiB, X_MEDIA_TYPES } from '../helpers/limits';
import type { MediaCategory } from '../helpers/limits';
import { parseUserIds } from '../helpers/mediaIds';
import type { XApiClient } from '../transport/xApiClient';
import { prepareUpload, runUpload } from '../upload/mediaUploader';
import type { UploadResult, UploadSettings } from '../upload/mediaUploader';
import { forEachItem, processingTimeoutProperty, readBoundedNumber, readProcessingTimeout, readString } from './shared';

const showForUpload = { show: { operation: ['upload'] } };

export const mediaCategoryOptions = [
	{ name: 'Auto (From the File)', value: 'auto', description: 'Image, animated GIF, video or subtitles, read from the file\'s bytes' },
	{ name: 'Amplify Video', value: 'amplify_video', description: 'Video for X Ads (Amplify)' },
	{ name: 'DM GIF', value: 'dm_gif' },
	{ name: 'DM Image', value: 'dm_image' },
	{ name: 'DM Video', value: 'dm_video' },
	{ name: 'Subtitles', value: 'subtitles', description: 'SRT or WebVTT file to attach to a video' },
	{ name: 'Tweet GIF', value: 'tweet_gif' },
	{ name: 'Tweet Image', value: 'tweet_image' },
	{ name: 'Tweet Video', value: 'tweet_video' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: showForUpload,
		hint: 'The name of the input binary field with the file. Separate several with commas to upload them all.',
		description: 'Binary property (or comma-separated properties) of the input item that holds the file to upload',
	},
	{
		displayName: 'Media Category',
		name: 'mediaCategory',
		type: 'options',
		options: mediaCategoryOptions,
		default: 'auto',
		displayOptions: showForUpload,
		description: 'What X should treat the media as. Auto picks the post category from the file itself.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForUpload,
		options: uploadOptionProperties(),
	},
];

/** Upload options, shared with Create Post's binary mode. */
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

/**
 * Uploads every file of one item: all files are checked and planned before the first request,
 * then uploaded in order.
 */
export async function uploadItemFiles(
	ctx: IExecuteFunctions,
	client: XApiClient,
	itemIndex: number,
	propertyNames: string[],
	settings: UploadSettings,
): Promise<UploadResult[]> {
	const prepared = [];
	for (const name of propertyNames) prepared.push(await prepareUpload(ctx, itemIndex, name, settings));
	const results: UploadResult[] = [];
	for (const p of prepared) results.push(await runUpload(ctx, client, p, settings, itemIndex));
	return results;
}

/** The contract's output for one item: the first file's fields, all ids in `media_ids`. */
export function uploadOutputJson(results: UploadResult[]): IDataObject {
	const [first] = results;
	const json: IDataObject = { ...first, media_ids: results.map((r) => r.media_id) };
	if (results.length > 1) json.files = results as unknown as IDataObject[];
	return json;
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		const propertyNames = readPropertyNames(this.getNodeParameter('binaryPropertyName', i));
		const settings = readUploadSettings(
			this.getNodeParameter('options', i, {}) as IDataObject,
			this.getNodeParameter('mediaCategory', i, 'auto'),
		);
		const results = await uploadItemFiles(this, client, i, propertyNames, settings);
		return [{ json: uploadOutputJson(results), pairedItem: { item: i } }];
	});
}
