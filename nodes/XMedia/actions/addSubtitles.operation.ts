import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertMediaId } from '../helpers/mediaIds';
import { checkVideoCategoryFits, readSubtitlesVideoCategory } from '../helpers/subtitlesRules';
import type { XApiClient } from '../transport/xApiClient';
import { uploadOnce } from '../upload/batch';
import { attachSubtitles, prepareSubtitles, subtitlesEntry } from '../upload/subtitles';
import { subtitlesDisplayNameProperty, subtitlesLanguageProperty, subtitlesVideoCategoryProperty } from './common/descriptions';
import { forEachItem } from './common/itemLoop';
import { knownMediaCategory, readString, readSubtitlesFields } from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Add Subtitles',
	value: 'addSubtitles',
	action: 'Add subtitles to a video',
	description: 'Upload an SRT or WebVTT file and attach it to a video uploaded earlier',
};

const showForAddSubtitles = { show: { operation: ['addSubtitles'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Video Media ID',
		name: 'mediaId',
		type: 'string',
		default: '={{ $json.media_id }}',
		required: true,
		displayOptions: showForAddSubtitles,
		description: 'The media ID of the video, from an earlier Upload (1 to 19 digits). X attaches subtitles only once the video is processed.',
	},
	{
		displayName: 'Subtitles Binary Field',
		name: 'subtitlesBinaryPropertyName',
		type: 'string',
		default: 'subtitles',
		required: true,
		displayOptions: showForAddSubtitles,
		hint: 'The name of the input binary field with the SRT or WebVTT file',
		description: 'Binary property of the input item that holds the subtitles file',
	},
	{ ...subtitlesLanguageProperty, displayOptions: showForAddSubtitles },
	{ ...subtitlesDisplayNameProperty, displayOptions: showForAddSubtitles },
	{ ...subtitlesVideoCategoryProperty, displayOptions: showForAddSubtitles },
];

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		// Everything is checked before the first request: ids, language, category, the file itself.
		const mediaId = assertMediaId(this.getNodeParameter('mediaId', i), 'Video Media ID');
		const propertyName = readString(this.getNodeParameter('subtitlesBinaryPropertyName', i, 'subtitles'), 'Subtitles Binary Field').trim() || 'subtitles';
		const request = readSubtitlesFields(
			propertyName,
			this.getNodeParameter('languageCode', i, 'EN'),
			this.getNodeParameter('displayName', i, ''),
			'Language Code',
			'Display Name',
		);
		const videoCategory = readSubtitlesVideoCategory(this.getNodeParameter('videoCategory', i, 'TweetVideo'));
		checkVideoCategoryFits(knownMediaCategory(this.getInputData()[i]?.json ?? {}, mediaId), videoCategory, mediaId);
		const subtitles = await prepareSubtitles(this, i, request);

		// Once per execution: on n8n's retry the subtitles file is not uploaded again (README, "Exactly once").
		const uploaded = await uploadOnce(this, client, subtitles.prepared, request.settings, i, 0);
		const data = await attachSubtitles(
			client,
			{ videoId: mediaId, videoCategory, subtitlesId: uploaded.media_id, languageCode: request.language.code, displayName: request.displayName },
			i,
		);
		const entry = subtitlesEntry(uploaded.media_id, request);
		const json: IDataObject = {
			...data,
			media_id: mediaId,
			subtitles_media_id: uploaded.media_id,
			language_code: entry.language_code,
			display_name: entry.display_name,
			media_category: typeof data.media_category === 'string' ? data.media_category : videoCategory,
		};
		if (entry.language_code_given) json.language_code_given = entry.language_code_given;
		const binary = this.getInputData()[i]?.binary;
		return [{ json, ...(binary ? { binary } : {}), pairedItem: { item: i } }];
	});
}
