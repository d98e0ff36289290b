import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { XApiClient } from '../transport/xApiClient';
import { runUpload } from '../upload/mediaUploader';
import { keepWholeFileOnlyForFirst, prepareUpload } from '../upload/preflight';
import type { UploadResult, UploadSettings } from '../upload/types';
import { prepareSubtitles, subtitlesVideoIndex, uploadAndAttachSubtitles } from '../upload/subtitles';
import type { SubtitlesRequest } from '../upload/subtitles';
import { forEachItem, readPropertyNames, readSubtitlesRequest, readUploadSettings, uploadOptionProperties } from './shared';

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
	subtitlesRequest?: SubtitlesRequest,
): Promise<UploadResult[]> {
	// X attaches subtitles only to a processed video: with subtitles the upload always waits.
	const fileSettings = subtitlesRequest ? { ...settings, waitForProcessing: true } : settings;
	const prepared = [];
	for (const name of propertyNames) prepared.push(await prepareUpload(ctx, itemIndex, name, fileSettings));
	const subtitles = subtitlesRequest ? await prepareSubtitles(ctx, itemIndex, subtitlesRequest) : undefined;
	const videoIndex = subtitles ? subtitlesVideoIndex(ctx, prepared, itemIndex) : -1;
	keepWholeFileOnlyForFirst([...prepared, subtitles?.prepared]);
	const results: UploadResult[] = [];
	for (const [index, p] of prepared.entries()) {
		const result = await runUpload(ctx, client, p, fileSettings, itemIndex);
		if (subtitles && index === videoIndex) {
			result.subtitles = [await uploadAndAttachSubtitles(ctx, client, subtitles, result, itemIndex)];
		}
		results.push(result);
	}
	return results;
}

/** The contract's output for one item: the first file's fields, all ids in `media_ids`. */
export function uploadOutputJson(results: UploadResult[]): IDataObject {
	const [first] = results;
	const json: IDataObject = { ...first, media_ids: results.map((r) => r.media_id) };
	if (results.length > 1) json.files = results as unknown as IDataObject[];
	const subtitles = results.flatMap((r) => (Array.isArray(r.subtitles) ? r.subtitles : []));
	if (subtitles.length) json.subtitles = subtitles;
	return json;
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		const propertyNames = readPropertyNames(this.getNodeParameter('binaryPropertyName', i));
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const settings = readUploadSettings(options, this.getNodeParameter('mediaCategory', i, 'auto'));
		const subtitles = readSubtitlesRequest(options);
		const results = await uploadItemFiles(this, client, i, propertyNames, settings, subtitles);
		// The input's files go on unchanged, so later nodes (Add Subtitles, Create Post…) can use them.
		const binary = this.getInputData()[i]?.binary;
		return [{ json: uploadOutputJson(results), ...(binary ? { binary } : {}), pairedItem: { item: i } }];
	});
}
