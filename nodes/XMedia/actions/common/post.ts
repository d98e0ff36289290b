/**
 * What Create Post and Create Thread share: their media and text properties (each operation places
 * them with its own `displayOptions`), their additional fields, the `POST /2/tweets` body built from
 * them, and the request that makes one post.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MediaInputError } from '../../helpers/errors';
import { CATEGORY_KIND, MAX_TAGGED_USERS } from '../../helpers/limits';
import { assertCommunityId, assertPostId, parseMediaIds, parseUserIds } from '../../helpers/mediaIds';
import type { PostMedia } from '../../helpers/postRules';
import { X_API } from '../../transport/endpoints';
import type { XApiClient } from '../../transport/xApiClient';
import { knownMediaCategory, readString } from './parameters';
import { MEDIA_URL_DESCRIPTION } from './descriptions';

const forOperation = (operation: string, more: IDataObject = {}) => ({ show: { operation: [operation], ...more } });

/** The post's text. */
export function postTextProperty(operation: string, description: string, hint: string): INodeProperties {
	return {
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: forOperation(operation),
		description,
		hint,
	};
}

/** Media Source, Media IDs and Input Binary Field. */
export function postMediaProperties(operation: string): INodeProperties[] {
	return [
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
			displayOptions: forOperation(operation),
		},
		{
			displayName: 'Media IDs',
			name: 'mediaIds',
			type: 'string',
			default: '={{ $json.media_ids ?? $json.media_id }}',
			displayOptions: forOperation(operation, { mediaSource: ['mediaIds'] }),
			description: 'Up to 4 media IDs: an array or comma-separated text. Leave empty for a post without media.',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			displayOptions: forOperation(operation, { mediaSource: ['binary'] }),
			hint: 'Separate several fields with commas: up to 4 images, or 1 GIF, or 1 video',
			description: 'Binary property (or comma-separated properties) of the input item with the files to post',
		},
		{
			displayName: 'Media URLs',
			name: 'mediaUrls',
			type: 'string',
			default: '',
			placeholder: 'https://cdn.example.com/video.mp4',
			displayOptions: forOperation(operation, { mediaSource: ['url'] }),
			hint: '1 to 4 URLs, separated by commas (or an array from an expression): up to 4 images, or 1 GIF, or 1 video',
			description: MEDIA_URL_DESCRIPTION,
		},
	];
}

/** The additional fields of a post, each described once (an operation lists those it takes). */
export const postFieldOptions = {
	communityId: {
		displayName: 'Community ID',
		name: 'communityId',
		type: 'string',
		default: '',
		description: 'Post into this X Community',
	},
	excludeReplyUserIds: {
		displayName: 'Exclude Reply User IDs',
		name: 'excludeReplyUserIds',
		type: 'string',
		default: '',
		description: 'Comma-separated user IDs to leave out of the reply\'s mentions',
	},
	madeWithAi: {
		displayName: 'Made with AI',
		name: 'madeWithAi',
		type: 'boolean',
		default: false,
		description: 'Whether to label the post\'s media as made with AI',
	},
	paidPartnership: {
		displayName: 'Paid Partnership',
		name: 'paidPartnership',
		type: 'boolean',
		default: false,
		description: 'Whether to label the post as a paid partnership',
	},
	replySettings: {
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
	inReplyToTweetId: {
		displayName: 'Reply to Post ID',
		name: 'inReplyToTweetId',
		type: 'string',
		default: '',
		description: 'ID of the post to reply to',
	},
	shareWithFollowers: {
		displayName: 'Share with Followers',
		name: 'shareWithFollowers',
		type: 'boolean',
		default: false,
		description: 'Whether a Community post is also shown to your followers',
	},
	taggedUserIds: {
		displayName: 'Tagged User IDs',
		name: 'taggedUserIds',
		type: 'string',
		default: '',
		description: 'Comma-separated IDs of up to 10 users to tag in the media',
	},
} satisfies Record<string, INodeProperties>;

/** The Media IDs of one item (none when the field is empty), with their kind when the item's upload output names it. */
export function readItemMediaIds(ctx: IExecuteFunctions, itemIndex: number): PostMedia[] {
	const value = ctx.getNodeParameter('mediaIds', itemIndex, '');
	const ids = value === '' || value === null || value === undefined ? [] : parseMediaIds(value, 'Media IDs');
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	return ids.map((id) => {
		const category = knownMediaCategory(json, id);
		return { id, kind: category && CATEGORY_KIND[category] };
	});
}

/** `POST /2/tweets` body from the text and additional fields (X's spec 2.167 `CreatePostsRequest`, docs.x.com/x-api/posts/create-post). */
export function buildPostBody(text: string, fields: IDataObject): IDataObject {
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

/**
 * Makes one post (`POST /2/tweets`, never retried after a lost connection: X may have made it) and
 * returns what X answered plus `id`, `text`, `media_ids` and `url`.
 */
export async function sendPost(client: XApiClient, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const response = await client.request<{ data?: IDataObject }>({
		method: 'POST',
		path: X_API.createPost.path(),
		endpoint: 'tweets',
		json: body,
		itemIndex,
		idempotent: false,
	});
	const data = response.body && typeof response.body === 'object' ? response.body.data : undefined;
	const id = data && typeof data.id === 'string' ? data.id : undefined;
	if (!data || !id || !/^[0-9]{1,19}$/.test(id)) {
		throw client.unexpectedAnswer({ endpoint: 'tweets', itemIndex }, response, 'post id ("data.id")');
	}
	const mediaIds = ((body.media as IDataObject | undefined)?.media_ids as string[] | undefined) ?? [];
	return {
		...data,
		id,
		text: typeof data.text === 'string' ? data.text : (body.text as string),
		media_ids: mediaIds,
		url: `https://x.com/i/web/status/${id}`,
	};
}
