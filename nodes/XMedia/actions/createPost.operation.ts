import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { CATEGORY_KIND, MAX_TAGGED_USERS } from '../helpers/limits';
import { assertCommunityId, assertPostId, parseMediaIds, parseUserIds } from '../helpers/mediaIds';
import { checkPostMedia } from '../helpers/postRules';
import type { PostMedia } from '../helpers/postRules';
import { X_API } from '../transport/endpoints';
import type { XApiClient } from '../transport/xApiClient';
import { batchSubtitles, prepareBatch, runBatch } from '../upload/batch';
import type { PreparedBatch } from '../upload/batch';
import type { UploadResult } from '../upload/types';
import {
	altTextProperty,
	liftVideoLimitProperty,
	processingTimeoutProperty,
	skipMediaChecksProperty,
	subtitlesOptionProperties,
	urlTimeoutProperty,
	whenUploadingBinary,
	whenUploadingFromUrl,
	MEDIA_URL_DESCRIPTION,
} from './common/descriptions';
import { readItemFiles } from './common/mediaFiles';
import { forAllItems, forEachItem } from './common/itemLoop';
import {
	knownMediaCategory,
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
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: showForCreatePost,
		description: 'The text of the post. May be empty when the post has media.',
		hint: 'X allows 280 characters (more with X Premium) and counts each link as 23. May be empty when the post has media.',
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Media IDs', value: 'mediaIds', description: 'IDs of media already uploaded, for example by an Upload step' },
			{ name: 'Binary Files', value: 'binary', description: 'Upload the item\'s files first, then post them' },
			{ name: 'URLs', value: 'url', description: 'Upload the files at http(s) URLs first (streamed, not stored in n8n), then post them' },
		],
		default: 'mediaIds',
		displayOptions: showForCreatePost,
	},
	{
		displayName: 'Media IDs',
		name: 'mediaIds',
		type: 'string',
		default: '={{ $json.media_ids ?? $json.media_id }}',
		displayOptions: { show: { operation: ['createPost'], mediaSource: ['mediaIds'] } },
		description: 'Up to 4 media IDs: an array or comma-separated text. Leave empty for a post without media.',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { operation: ['createPost'], mediaSource: ['binary'] } },
		hint: 'Separate several fields with commas: up to 4 images, or 1 GIF, or 1 video',
		description: 'Binary property (or comma-separated properties) of the input item with the files to post',
	},
	{
		displayName: 'Media URLs',
		name: 'mediaUrls',
		type: 'string',
		default: '',
		placeholder: 'https://cdn.example.com/video.mp4',
		displayOptions: { show: { operation: ['createPost'], mediaSource: ['url'] } },
		hint: '1 to 4 URLs, separated by commas (or an array from an expression): up to 4 images, or 1 GIF, or 1 video',
		description: MEDIA_URL_DESCRIPTION,
	},
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
			{ ...liftVideoLimitProperty, displayOptions: whenUploadingBinary },
			{ ...altTextProperty, displayOptions: whenUploadingBinary },
			{
				displayName: 'Community ID',
				name: 'communityId',
				type: 'string',
				default: '',
				description: 'Post into this X Community',
			},
			{
				displayName: 'Exclude Reply User IDs',
				name: 'excludeReplyUserIds',
				type: 'string',
				default: '',
				description: 'Comma-separated user IDs to leave out of the reply\'s mentions',
			},
			{
				displayName: 'Made with AI',
				name: 'madeWithAi',
				type: 'boolean',
				default: false,
				description: 'Whether to label the post\'s media as made with AI',
			},
			{
				displayName: 'Paid Partnership',
				name: 'paidPartnership',
				type: 'boolean',
				default: false,
				description: 'Whether to label the post as a paid partnership',
			},
			{ ...processingTimeoutProperty, displayOptions: whenUploadingBinary },
			{
				displayName: 'Reply Settings',
				name: 'replySettings',
				type: 'options',
				options: [
					{ name: 'Following', value: 'following' },
					{ name: 'Mentioned Users', value: 'mentionedUsers' },
					{ name: 'Subscribers', value: 'subscribers' },
					{ name: 'Verified', value: 'verified' },
				],
				default: 'following',
				description: 'Who may reply. Everyone may, unless you set this.',
			},
			{
				displayName: 'Reply to Post ID',
				name: 'inReplyToTweetId',
				type: 'string',
				default: '',
				description: 'ID of the post to reply to',
			},
			{
				displayName: 'Share with Followers',
				name: 'shareWithFollowers',
				type: 'boolean',
				default: false,
				description: 'Whether a Community post is also shown to your followers',
			},
			...subtitlesOptionProperties.map((property) => ({ ...property, displayOptions: whenUploadingBinary })),
			{ ...skipMediaChecksProperty, displayOptions: whenUploadingBinary },
			{
				displayName: 'Tagged User IDs',
				name: 'taggedUserIds',
				type: 'string',
				default: '',
				description: 'Comma-separated IDs of up to 10 users to tag in the media',
			},
			{ ...urlTimeoutProperty, displayOptions: whenUploadingFromUrl },
		],
	},
];

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	const combine = this.getNodeParameter('combineItems', 0, false) as boolean;
	if (!combine) {
		return await forEachItem(this, async (i) => [{ json: await postItems(this, client, [i]), pairedItem: { item: i } }]);
	}
	return await forAllItems(this, async (indexes) => [
		{ json: await postItems(this, client, indexes), pairedItem: indexes.map((item) => ({ item })) },
	]);
}

/** Posts the media of the given items (one item, or all when combining): checks first, then uploads, then posts. */
async function postItems(ctx: IExecuteFunctions, client: XApiClient, itemIndexes: number[]): Promise<IDataObject> {
	const first = itemIndexes[0];
	const text = readString(ctx.getNodeParameter('text', first, ''), 'Text');
	const source = ctx.getNodeParameter('mediaSource', first, 'mediaIds') as string;
	const fields = ctx.getNodeParameter('additionalFields', first, {}) as IDataObject;
	const body = buildPostBody(text, fields);

	// Every file is checked and planned, and the post's media checked, before the first request.
	let batch: PreparedBatch | undefined;
	const media: PostMedia[] = [];
	if (source === 'binary' || source === 'url') {
		const subtitlesRequest = readSubtitlesRequest(fields);
		const settings = readUploadSettings(fields);
		const files = itemIndexes.flatMap((itemIndex) =>
			readItemFiles(ctx, itemIndex, source, { binary: 'binaryPropertyName', url: 'mediaUrls', urlLabel: 'Media URLs', maxUrls: 4 }),
		);
		batch = await prepareBatch(ctx, files, settings, subtitlesRequest);
		for (const { prepared } of batch.files) {
			const { fileName, propertyName, sourceUrl } = prepared.source;
			media.push({ id: `"${fileName ?? sourceUrl ?? propertyName}"`, kind: prepared.media.kind });
		}
	} else {
		for (const i of itemIndexes) {
			const value = ctx.getNodeParameter('mediaIds', i, '');
			const ids = value === '' || value === null || value === undefined ? [] : parseMediaIds(value, 'Media IDs');
			const json = ctx.getInputData()[i]?.json ?? {};
			for (const id of ids) {
				const category = knownMediaCategory(json, id);
				media.push({ id, kind: category && CATEGORY_KIND[category] });
			}
		}
	}
	checkPostMedia(media, text.trim() !== '');
	if (body.media && media.length === 0) {
		throw new MediaInputError('"Tagged User IDs" need media in the post', 'Tag users only in posts with media, or remove the field.');
	}

	const results: UploadResult[] = batch ? await runBatch(ctx, client, batch) : [];
	const mediaIds = batch ? results.map((r) => r.media_id) : media.map((m) => m.id);
	if (mediaIds.length) body.media = { ...((body.media as IDataObject) ?? {}), media_ids: mediaIds };

	const response = await client.request<{ data?: IDataObject }>({
		method: 'POST',
		path: X_API.createPost.path(),
		endpoint: 'tweets',
		json: body,
		itemIndex: first,
		idempotent: false,
	});
	const data = response.body && typeof response.body === 'object' ? response.body.data : undefined;
	const id = data && typeof data.id === 'string' ? data.id : undefined;
	if (!data || !id || !/^[0-9]{1,19}$/.test(id)) {
		throw client.unexpectedAnswer({ endpoint: 'tweets', itemIndex: first }, response, 'post id ("data.id")');
	}
	const json: IDataObject = {
		...data,
		id,
		text: typeof data.text === 'string' ? data.text : text,
		media_ids: mediaIds,
		url: `https://x.com/i/web/status/${id}`,
	};
	if (results.length) json.uploads = results as unknown as IDataObject[];
	const subtitles = batchSubtitles(results);
	if (subtitles.length) json.subtitles = subtitles;
	return json;
}

/** `POST /2/tweets` body from the text and additional fields (X's spec 2.167 `CreatePostsRequest`, docs.x.com/x-api/posts/create-post). */
function buildPostBody(text: string, fields: IDataObject): IDataObject {
	const body: IDataObject = { text };
	if (fields.taggedUserIds) {
		const tagged = parseUserIds(fields.taggedUserIds, 'Tagged User IDs');
		if (tagged.length > MAX_TAGGED_USERS) {
			throw new MediaInputError(
				`"Tagged User IDs" has ${tagged.length} users; X allows at most ${MAX_TAGGED_USERS}`,
				'Remove some user IDs.',
			);
		}
		if (tagged.length) body.media = { tagged_user_ids: tagged };
	}
	if (fields.inReplyToTweetId) {
		const reply: IDataObject = { in_reply_to_tweet_id: assertPostId(fields.inReplyToTweetId, 'Reply to Post ID') };
		if (fields.excludeReplyUserIds) {
			reply.exclude_reply_user_ids = parseUserIds(fields.excludeReplyUserIds, 'Exclude Reply User IDs');
		}
		body.reply = reply;
	} else if (fields.excludeReplyUserIds) {
		throw new MediaInputError('"Exclude Reply User IDs" only applies to replies', 'Set "Reply to Post ID" too, or remove the field.');
	}
	if (fields.replySettings) body.reply_settings = readString(fields.replySettings, 'Reply Settings');
	if (fields.communityId) {
		body.community_id = assertCommunityId(fields.communityId, 'Community ID');
		if (fields.shareWithFollowers === true) body.share_with_followers = true;
	} else if (fields.shareWithFollowers === true) {
		throw new MediaInputError('"Share with Followers" only applies to Community posts', 'Set "Community ID" too, or remove the field.');
	}
	if (fields.madeWithAi === true) body.made_with_ai = true;
	if (fields.paidPartnership === true) body.paid_partnership = true;
	return body;
}
