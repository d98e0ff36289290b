import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertMediaId } from '../helpers/mediaIds';
import { checkVideoCategoryFits, normaliseLanguageCode, readSubtitlesVideoCategory } from '../helpers/subtitlesRules';
import type { XApiClient } from '../transport/xApiClient';
import { deleteSubtitles } from '../upload/subtitles';
import { subtitlesVideoCategoryProperty } from './common/descriptions';
import { forEachItem } from './common/itemLoop';
import { knownMediaCategory } from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Remove Subtitles',
	value: 'removeSubtitles',
	action: 'Remove subtitles from a video',
	description: 'Remove one language of subtitles from a video',
};

const showForRemoveSubtitles = { show: { operation: ['removeSubtitles'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Video Media ID',
		name: 'mediaId',
		type: 'string',
		default: '={{ $json.media_id }}',
		required: true,
		displayOptions: showForRemoveSubtitles,
		description: 'The media ID of the video whose subtitles to remove (1 to 19 digits)',
	},
	{
		displayName: 'Language Code',
		name: 'languageCode',
		type: 'string',
		default: 'EN',
		required: true,
		displayOptions: showForRemoveSubtitles,
		description: 'Two-letter language code of the subtitles to remove (EN, ES, FR…); en or en-US are sent as EN',
	},
	{ ...subtitlesVideoCategoryProperty, displayOptions: showForRemoveSubtitles },
];

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		const mediaId = assertMediaId(this.getNodeParameter('mediaId', i), 'Video Media ID');
		const language = normaliseLanguageCode(this.getNodeParameter('languageCode', i, 'EN'), 'Language Code');
		const videoCategory = readSubtitlesVideoCategory(this.getNodeParameter('videoCategory', i, 'TweetVideo'));
		checkVideoCategoryFits(knownMediaCategory(this.getInputData()[i]?.json ?? {}, mediaId), videoCategory, mediaId);
		const data = await deleteSubtitles(client, { videoId: mediaId, videoCategory, languageCode: language.code }, i);
		const json: IDataObject = {
			...data,
			media_id: mediaId,
			language_code: language.code,
			media_category: videoCategory,
			deleted: data.deleted === true,
		};
		if (language.given) json.language_code_given = language.given;
		return [{ json, pairedItem: { item: i } }];
	});
}
