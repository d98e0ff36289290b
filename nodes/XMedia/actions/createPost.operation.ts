import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { POST_TEXT_LIMITS } from '../helpers/accountLimits';
import { MediaInputError } from '../helpers/errors';
import { checkPostMedia } from '../helpers/postRules';
import type { PostMedia } from '../helpers/postRules';
import type { XApiClient } from '../transport/xApiClient';
import { AccountTiers, checkPostTextLength } from '../upload/accountTier';
import { batchSubtitles, prepareBatch, runBatch } from '../upload/batch';
import type { PreparedBatch } from '../upload/batch';
import { once } from '../upload/exactlyOnce';
import type { UploadResult } from '../upload/types';
import {
	accountTierProperty,
	altTextProperty,
	liftVideoLimitProperty,
	processingTimeoutProperty,
	skipMediaChecksProperty,
	subtitlesOptionProperties,
	urlTimeoutProperty,
	whenUploadingBinary,
	whenUploadingFromUrl,
} from './common/descriptions';
import { readItemFiles } from './common/mediaFiles';
import { forAllItems, forEachItem } from './common/itemLoop';
import { buildPostBody, postFieldOptions, postMediaProperties, postTextProperty, readItemMediaIds, sendPost } from './common/post';
import {
	readAccountTier,
	readString,
	readSubtitlesRequest,
	readUploadSettings,
} from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Create Post with Media',
	value: 'createPost',
	action: 'Create a post with media',
	description: 'Post text with media IDs, or upload the item\'s files and post them',
};

const showForCreatePost = { show: { operation: ['createPost'] } };

export const description: INodeProperties[] = [
	postTextProperty(
		'createPost',
		'The text of the post. May be empty when the post has media.',
		`X allows ${POST_TEXT_LIMITS.standard} characters (${POST_TEXT_LIMITS.premium.toLocaleString('en-US')} with X Premium: see Account Tier) and counts each link as 23. May be empty when the post has media.`,
	),
	...postMediaProperties('createPost'),
	{
		displayName: 'Combine Items Into One Post',
		name: 'combineItems',
		type: 'boolean',
		default: false,
		displayOptions: showForCreatePost,
		description:
			'Whether to make one post from the media of all input items (the text comes from the first item) instead of one post per item',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForCreatePost,
		options: [
			{ ...accountTierProperty },
			{ ...liftVideoLimitProperty, displayOptions: whenUploadingBinary },
			{ ...altTextProperty, displayOptions: whenUploadingBinary },
			postFieldOptions.communityId,
			postFieldOptions.excludeReplyUserIds,
			postFieldOptions.madeWithAi,
			postFieldOptions.paidPartnership,
			{ ...processingTimeoutProperty, displayOptions: whenUploadingBinary },
			postFieldOptions.replySettings,
			postFieldOptions.inReplyToTweetId,
			postFieldOptions.shareWithFollowers,
			...subtitlesOptionProperties.map((property) => ({ ...property, displayOptions: whenUploadingBinary })),
			{ ...skipMediaChecksProperty, displayOptions: whenUploadingBinary },
			postFieldOptions.taggedUserIds,
			{ ...urlTimeoutProperty, displayOptions: whenUploadingFromUrl },
		],
	},
];

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	const combine = this.getNodeParameter('combineItems', 0, false) as boolean;
	const tiers = AccountTiers.forExecution(this, client);
	if (!combine) {
		return await forEachItem(this, async (i) => [{ json: await postItems(this, client, tiers, [i]), pairedItem: { item: i } }]);
	}
	return await forAllItems(this, async (indexes) => [
		{ json: await postItems(this, client, tiers, indexes), pairedItem: indexes.map((item) => ({ item })) },
	]);
}

/** Posts the media of the given items (one item, or all when combining): checks first, then uploads, then posts. */
async function postItems(ctx: IExecuteFunctions, client: XApiClient, tiers: AccountTiers, itemIndexes: number[]): Promise<IDataObject> {
	const first = itemIndexes[0];
	const text = readString(ctx.getNodeParameter('text', first, ''), 'Text');
	const source = ctx.getNodeParameter('mediaSource', first, 'mediaIds') as string;
	const fields = ctx.getNodeParameter('additionalFields', first, {}) as IDataObject;
	const body = buildPostBody(text, fields);
	// The text as X counts it, against the account's limit, before any file is read or sent.
	const tier = tiers.forItem(readAccountTier(source === 'mediaIds' ? { accountTier: fields.accountTier } : fields), first);
	await checkPostTextLength(text, tier);

	// Every file is checked and planned, and the post's media checked, before the first request.
	let batch: PreparedBatch | undefined;
	const media: PostMedia[] = [];
	if (source === 'binary' || source === 'url') {
		const subtitlesRequest = readSubtitlesRequest(fields);
		const settings = readUploadSettings(fields);
		const files = itemIndexes.flatMap((itemIndex) =>
			readItemFiles(ctx, itemIndex, source, { binary: 'binaryPropertyName', url: 'mediaUrls', urlLabel: 'Media URLs', maxUrls: 4 }),
		);
		batch = await prepareBatch(ctx, files, settings, { subtitles: subtitlesRequest, tier });
		for (const { prepared } of batch.files) {
			const { fileName, propertyName, sourceUrl } = prepared.source;
			media.push({ id: `"${fileName ?? sourceUrl ?? propertyName}"`, kind: prepared.media.kind });
		}
	} else {
		for (const i of itemIndexes) media.push(...readItemMediaIds(ctx, i));
	}
	checkPostMedia(media, text.trim() !== '');
	if (body.media && media.length === 0) {
		throw new MediaInputError('"Tagged User IDs" need media in the post', 'Tag users only in posts with media, or remove the field.');
	}

	const results: UploadResult[] = batch ? await runBatch(ctx, client, batch) : [];
	const mediaIds = batch ? results.map((r) => r.media_id) : media.map((m) => m.id);
	if (mediaIds.length) body.media = { ...((body.media as IDataObject) ?? {}), media_ids: mediaIds };

	// Once per execution (README, "Exactly once"): when n8n runs the node again, a post already
	// made returns its first output instead of being posted twice.
	return await once(ctx, { itemIndex: first, kind: 'post', fingerprint: { body } }, async () => {
		const json = await sendPost(client, body, first);
		Object.assign(json, tier.output());
		if (results.length) json.uploads = results as unknown as IDataObject[];
		const subtitles = batchSubtitles(results);
		if (subtitles.length) json.subtitles = subtitles;
		return json;
	});
}
