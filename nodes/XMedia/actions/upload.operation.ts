import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { XApiClient } from '../transport/xApiClient';
import { AccountTiers } from '../upload/accountTier';
import { batchSubtitles, prepareBatch, runBatch } from '../upload/batch';
import type { UploadResult } from '../upload/types';
import { MEDIA_URL_DESCRIPTION, uploadOptionProperties } from './common/descriptions';
import { forEachItem } from './common/itemLoop';
import { readItemFiles } from './common/mediaFiles';
import { readSubtitlesRequest, readUploadSettings } from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Upload',
	value: 'upload',
	action: 'Upload media',
	description: 'Upload a photo, GIF, video or subtitle file and get its media ID',
};

const showForUpload = { show: { operation: ['upload'] } };

const mediaCategoryOptions = [
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
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'The input item\'s binary data' },
			{ name: 'URL', value: 'url', description: 'A file at an http(s) URL, streamed to X without being stored in n8n' },
		],
		default: 'binary',
		displayOptions: showForUpload,
		description: 'Where the file comes from',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { operation: ['upload'], source: ['binary'] } },
		hint: 'The name of the input binary field with the file. Separate several with commas to upload them all.',
		description: 'Binary property (or comma-separated properties) of the input item that holds the file to upload',
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://cdn.example.com/video.mp4',
		displayOptions: { show: { operation: ['upload'], source: ['url'] } },
		hint: 'Separate several URLs with commas to upload them all',
		description: MEDIA_URL_DESCRIPTION,
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
		options: uploadOptionProperties,
	},
];

/** The output for one item (README, "Upload"): the first file's fields, all ids in `media_ids`. */
function uploadOutputJson(results: UploadResult[]): IDataObject {
	const [first] = results;
	const json: IDataObject = { ...first, media_ids: results.map((r) => r.media_id) };
	if (results.length > 1) json.files = results as unknown as IDataObject[];
	const subtitles = batchSubtitles(results);
	if (subtitles.length) json.subtitles = subtitles;
	return json;
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	const tiers = AccountTiers.forExecution(this, client);
	return await forEachItem(this, async (i) => {
		const from = this.getNodeParameter('source', i, 'binary') === 'url' ? 'url' : 'binary';
		const files = readItemFiles(this, i, from, { binary: 'binaryPropertyName', url: 'mediaUrl', urlLabel: 'Media URL', maxUrls: Infinity });
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const settings = readUploadSettings(options, { category: this.getNodeParameter('mediaCategory', i, 'auto') });
		const tier = tiers.forItem(settings.accountTier ?? 'auto', i);
		const batch = await prepareBatch(this, files, settings, { subtitles: readSubtitlesRequest(options), tier });
		const results = await runBatch(this, client, batch);
		// The input's files go on unchanged, so later nodes (Add Subtitles, Create Post…) can use them.
		const binary = this.getInputData()[i]?.binary;
		return [{ json: { ...uploadOutputJson(results), ...tier.output() }, ...(binary ? { binary } : {}), pairedItem: { item: i } }];
	});
}
