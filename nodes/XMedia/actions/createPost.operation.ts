import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import type { MediaKind } from '../helpers/limits';
import { CATEGORY_KIND, isMediaCategory, MAX_TAGGED_USERS } from '../helpers/limits';
import { assertCommunityId, assertPostId, parseMediaIds, parseUserIds } from '../helpers/mediaIds';
import { checkPostMedia } from '../helpers/postRules';
import type { XApiClient } from '../transport/xApiClient';
import { X_API } from '../transport/endpoints';
import { runUpload } from '../upload/mediaUploader';
import { keepWholeFileOnlyForFirst, prepareUpload } from '../upload/preflight';
import type { PreparedUpload, UploadResult, UploadSettings } from '../upload/types';
import { prepareSubtitles, subtitlesVideoIndex, uploadAndAttachSubtitles } from '../upload/subtitles';
import type { PreparedSubtitles } from '../upload/subtitles';
import {
	errorJson,
	forEachItem,
	liftVideoLimitBinaryField,
	processingTimeoutProperty,
	readProcessingTimeout,
	readPropertyNames,
	readString,
	readSubtitlesRequest,
	skipMediaChecksBinaryField,
	subtitlesOptionProperties,
	toNodeError,
} from './shared';

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
			liftVideoLimitBinaryField,
			{
				displayName: 'Alt Text',
				name: 'altText',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				displayOptions: { show: { '/mediaSource': ['binary'] } },
				description: 'Alt text for the uploaded images or GIF (up to 1000 characters)',
			},
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
			{ ...processingTimeoutProperty, displayOptions: { show: { '/mediaSource': ['binary'] } } },
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
			...subtitlesOptionProperties().map((property) => ({
				...property,
				displayOptions: { show: { '/mediaSource': ['binary'] } },
			})),
			skipMediaChecksBinaryField,
			{
				displayName: 'Tagged User IDs',
				name: 'taggedUserIds',
				type: 'string',
				default: '',
				description: 'Comma-separated IDs of up to 10 users to tag in the media',
			},
		],
	},
];

/** One piece of media of a post: its id once known, its kind when we know it. */
interface PostMedia {
	id?: string;
	/** How to name the media in messages before it has an id (the file name). */
	label?: string;
	kind?: MediaKind;
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	const combine = this.getNodeParameter('combineItems', 0, false) as boolean;
	if (!combine) {
		return await forEachItem(this, async (i) => {
			const json = await postItems(this, client, [i]);
			return [{ json, pairedItem: { item: i } }];
		});
	}
	const indexes = this.getInputData().map((_, i) => i);
	try {
		const json = await postItems(this, client, indexes);
		return [{ json, pairedItem: indexes.map((item) => ({ item })) }];
	} catch (error) {
		const nodeError = toNodeError(this, error, 0);
		if (this.continueOnFail()) {
			return [{ json: errorJson(nodeError), pairedItem: indexes.map((item) => ({ item })) }];
		}
		throw nodeError;
	}
}

/** Posts the media of the given items (one item, or all when combining): checks first, then uploads, then posts. */
async function postItems(ctx: IExecuteFunctions, client: XApiClient, itemIndexes: number[]): Promise<IDataObject> {
	const first = itemIndexes[0];
	const text = readString(ctx.getNodeParameter('text', first, ''), 'Text');
	const source = ctx.getNodeParameter('mediaSource', first, 'mediaIds') as string;
	const fields = ctx.getNodeParameter('additionalFields', first, {}) as IDataObject;
	const body = buildPostBody(text, fields);

	const media: PostMedia[] = [];
	const uploads: Array<{ itemIndex: number; prepared: PreparedUpload; subtitles?: PreparedSubtitles }> = [];
	let settings: UploadSettings | undefined;
	const subtitlesRequest = source === 'binary' ? readSubtitlesRequest(fields) : undefined;
	if (source === 'binary') {
		settings = {
			category: 'auto',
			method: 'auto',
			altText: fields.altText ? readString(fields.altText, 'Alt Text') : undefined,
			waitForProcessing: true,
			processingTimeoutSecs: readProcessingTimeout(fields.processingTimeout),
			additionalOwners: [],
			liftVideoLimit: fields.liftVideoLimit === true,
			skipMediaChecks: fields.skipMediaChecks === true,
		};
		for (const i of itemIndexes) {
			const names = readPropertyNames(ctx.getNodeParameter('binaryPropertyName', i, 'data'));
			for (const name of names) {
				const prepared = await prepareUpload(ctx, i, name, settings);
				uploads.push({ itemIndex: i, prepared });
				media.push({ label: `"${prepared.source.fileName ?? name}"`, kind: prepared.media.kind });
			}
		}
		if (subtitlesRequest) {
			// The subtitles file is read from the item that holds the video (checked before any request).
			const withVideo = uploads.find((u) => u.prepared.media.kind === 'video');
			const itemIndex = withVideo?.itemIndex ?? first;
			const itemUploads = uploads.filter((u) => u.itemIndex === itemIndex);
			const video = itemUploads[subtitlesVideoIndex(ctx, itemUploads.map((u) => u.prepared), itemIndex)];
			video.subtitles = await prepareSubtitles(ctx, itemIndex, subtitlesRequest);
		}
		keepWholeFileOnlyForFirst(uploads.flatMap((u) => [u.prepared, u.subtitles?.prepared]));
	} else {
		for (const i of itemIndexes) {
			const value = ctx.getNodeParameter('mediaIds', i, '');
			const ids = value === '' || value === null || value === undefined ? [] : parseMediaIds(value, 'Media IDs');
			const kinds = knownKinds(ctx.getInputData()[i]?.json ?? {});
			for (const id of ids) media.push({ id, kind: kinds.get(id) });
		}
	}
	checkPostMedia(
		media.map((m, index) => ({ id: m.id ?? m.label ?? `file ${index + 1}`, kind: m.kind })),
		text.trim() !== '',
	);
	if (body.media && media.length === 0) {
		throw new MediaInputError('"Tagged User IDs" need media in the post', 'Tag users only in posts with media, or remove the field.');
	}

	const results: UploadResult[] = [];
	for (const { itemIndex, prepared, subtitles } of uploads) {
		const result = await runUpload(ctx, client, prepared, settings as UploadSettings, itemIndex);
		if (subtitles) result.subtitles = [await uploadAndAttachSubtitles(ctx, client, subtitles, result, itemIndex)];
		results.push(result);
	}
	const mediaIds = source === 'binary' ? results.map((r) => r.media_id) : media.map((m) => m.id as string);
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
	const subtitles = results.flatMap((r) => (Array.isArray(r.subtitles) ? r.subtitles : []));
	if (subtitles.length) json.subtitles = subtitles;
	return json;
}

/** `POST /2/tweets` body from the text and additional fields (X's spec 2.167 `CreatePostsRequest`). */
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

/** Kinds of media named in an upload's output item (`media_category` of each file), when present. */
function knownKinds(json: IDataObject): Map<string, MediaKind> {
	const kinds = new Map<string, MediaKind>();
	const note = (entry: unknown) => {
		if (!entry || typeof entry !== 'object') return;
		const e = entry as IDataObject;
		if (typeof e.media_id === 'string' && isMediaCategory(e.media_category)) {
			kinds.set(e.media_id, CATEGORY_KIND[e.media_category]);
		}
	};
	note(json);
	if (Array.isArray(json.files)) json.files.forEach(note);
	if (Array.isArray(json.uploads)) json.uploads.forEach(note);
	return kinds;
}
