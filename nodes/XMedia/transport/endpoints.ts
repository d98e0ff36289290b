import type { ActionableCause, IHttpRequestMethods } from 'n8n-workflow';

/**
 * Every X endpoint the node calls, in one file: method, path, the OAuth 2.0 scopes X requires for
 * it, and, per kind of request, the label used in messages and the hints shown when X refuses it.
 *
 * Scopes are those of the `OAuth2UserToken` security of each operation in X's OpenAPI spec
 * (https://api.x.com/2/openapi.json, v2.167); OAuth 1.0a user tokens are accepted by all of them.
 * The README's "OAuth 2.0 credential" section lists the scopes a credential needs.
 */

/** How the node signs its requests: the node's `authentication` parameter. */
export type XAuthentication = 'oAuth2' | 'oAuth1';

/** What kind of X request it is: used in messages, hints and retry decisions. */
export type XEndpoint =
	| 'upload'
	| 'initialize'
	| 'append'
	| 'finalize'
	| 'status'
	| 'metadata'
	| 'subtitles'
	| 'tweets'
	| 'usersMe'
	| 'dmMessages'
	| 'mediaLookup';

export type XScope = 'media.write' | 'tweet.read' | 'tweet.write' | 'users.read' | 'dm.write';

/** One X endpoint: an HTTP method on a path under the credential's API Base URL. */
export interface XRoute {
	method: IHttpRequestMethods;
	/** The path; parameterised paths take their parts (ids the caller has checked). */
	path: (...parts: never[]) => string;
	/** The kind of request, for its label and hints. */
	endpoint: XEndpoint;
	/** OAuth 2.0 scopes X requires (spec `security`). */
	scopes: readonly XScope[];
	/** X's documentation of the endpoint. */
	docs: string;
}

const MEDIA_DOCS = 'https://docs.x.com/x-api/media/media-upload';

/** Every X endpoint the node calls. */
export const X_API = {
	mediaUpload: {
		method: 'POST',
		path: () => '/2/media/upload',
		endpoint: 'upload',
		scopes: ['media.write'],
		docs: MEDIA_DOCS,
	},
	mediaUploadStatus: {
		method: 'GET',
		path: () => '/2/media/upload',
		endpoint: 'status',
		scopes: ['media.write'],
		docs: 'https://docs.x.com/x-api/media/media-upload-status#media-upload-status',
	},
	initialize: {
		method: 'POST',
		path: () => '/2/media/upload/initialize',
		endpoint: 'initialize',
		scopes: ['media.write'],
		docs: MEDIA_DOCS,
	},
	append: {
		method: 'POST',
		path: (mediaId: string) => `/2/media/upload/${mediaId}/append`,
		endpoint: 'append',
		scopes: ['media.write'],
		docs: MEDIA_DOCS,
	},
	finalize: {
		method: 'POST',
		path: (mediaId: string) => `/2/media/upload/${mediaId}/finalize`,
		endpoint: 'finalize',
		scopes: ['media.write'],
		docs: MEDIA_DOCS,
	},
	metadata: {
		method: 'POST',
		path: () => '/2/media/metadata',
		endpoint: 'metadata',
		scopes: ['media.write'],
		docs: 'https://docs.x.com/x-api/media/media-metadata-create#metadata-create',
	},
	createSubtitles: {
		method: 'POST',
		path: () => '/2/media/subtitles',
		endpoint: 'subtitles',
		scopes: ['media.write'],
		docs: 'https://docs.x.com/x-api/media/media-subtitles-create',
	},
	deleteSubtitles: {
		method: 'DELETE',
		path: () => '/2/media/subtitles',
		endpoint: 'subtitles',
		scopes: ['media.write'],
		docs: 'https://docs.x.com/x-api/media/media-subtitles-delete',
	},
	mediaByKey: {
		method: 'GET',
		path: (mediaKey: string) => `/2/media/${encodeURIComponent(mediaKey)}`,
		endpoint: 'mediaLookup',
		scopes: ['tweet.read'],
		docs: 'https://docs.x.com/x-api/media/introduction',
	},
	mediaByKeys: {
		method: 'GET',
		path: () => '/2/media',
		endpoint: 'mediaLookup',
		scopes: ['tweet.read'],
		docs: 'https://docs.x.com/x-api/media/introduction',
	},
	createPost: {
		method: 'POST',
		path: () => '/2/tweets',
		endpoint: 'tweets',
		scopes: ['tweet.read', 'tweet.write', 'users.read'],
		docs: 'https://docs.x.com/x-api/posts/introduction',
	},
	usersMe: {
		method: 'GET',
		path: () => '/2/users/me',
		endpoint: 'usersMe',
		scopes: ['tweet.read', 'users.read'],
		docs: 'https://docs.x.com/x-api/users/introduction',
	},
	dmWithParticipant: {
		method: 'POST',
		path: (participantId: string) => `/2/dm_conversations/with/${participantId}/messages`,
		endpoint: 'dmMessages',
		scopes: ['dm.write', 'tweet.read', 'users.read'],
		docs: 'https://docs.x.com/x-api/direct-messages/introduction',
	},
	dmInConversation: {
		method: 'POST',
		path: (conversationId: string) => `/2/dm_conversations/${conversationId}/messages`,
		endpoint: 'dmMessages',
		scopes: ['dm.write', 'tweet.read', 'users.read'],
		docs: 'https://docs.x.com/x-api/direct-messages/introduction',
	},
} as const satisfies Record<string, XRoute>;

/** A text for both credentials, or one per credential. */
export type HintText = string | Readonly<Record<XAuthentication, string>>;

/** What the node says when X refuses a request of one kind with one status. */
export interface HintRow {
	status: number;
	hint: HintText;
	/** The failure cause n8n gets (none: n8n is not told why). */
	cause?: ActionableCause | 'quota-exhausted';
	/** Only when X's words match (the row's hint may then quote the match). */
	detail?: RegExp;
	/** Only when X's problem `type` matches (any status). */
	problemType?: RegExp;
	/** Said in the error's message after the status, in plain words. */
	says?: string;
}

/**
 * Answers about money and the account's tier, on any endpoint, before the endpoint's own rows
 * (https://docs.x.com/x-api/getting-started/pricing: pay-per-use, HTTP 402 when the app's credits
 * run out; https://docs.x.com/x-api/fundamentals/response-codes-and-errors: `usage-capped`;
 * https://docs.x.com/x-api/media/quickstart/best-practices: the post-time 403 for a video longer
 * than the account may post).
 */
export const ACCOUNT_HINTS: readonly HintRow[] = [
	{
		status: 0,
		problemType: /usage-capped$/,
		cause: 'quota-exhausted',
		says: 'the X app has reached its usage cap',
		hint: 'The X app\'s pay-per-use usage cap (its spending limit or its plan\'s cap) is used up, so X refuses requests until it is raised or resets. Raise the cap or add credits for the app in the X developer console (https://console.x.com, the app\'s billing), then run the workflow again. Nothing more was sent.',
	},
	{
		status: 402,
		cause: 'quota-exhausted',
		says: 'the X app has no API credits left',
		hint: 'X answers 402 Payment Required when the X app\'s pay-per-use credits are used up. Add credits for the app in the X developer console (https://console.x.com, the app\'s billing), then run the workflow again.',
	},
	{
		status: 403,
		detail: /not allowed to post a video longer than (\d+) minutes?/i,
		cause: 'configuration-invalid',
		says: 'the video is longer than this account may post',
		hint: 'X took the upload but refused the post: this account may post videos of at most {1} minutes (X applies the posting account\'s limits, X Premium or verified, when the post is created). Trim the video to {1} minutes and post it again. If Account Tier is set to Premium, the account may not have X Premium: set Account Tier to Auto (X is asked) or Standard, and the node refuses such a video before uploading it (README, "Limits per account").',
	},
];

/** What the node says about one kind of request. */
export interface EndpointInfo {
	/** Names the request in messages: "X refused the {label} request". */
	label: string;
	/** Refusals this kind of request has its own words for; any other status has the common ones. */
	hints: readonly HintRow[];
	/**
	 * Added when X's answer could not be read although the request may have taken effect (writes
	 * that are not repeated): said on a success answer, or on any answer when `anyStatus`.
	 */
	mayHaveTakenEffect?: { text: string; anyStatus: boolean };
}

const MEDIA_WRITE_REFUSED: HintRow = {
	status: 403,
	cause: 'credential-invalid',
	hint: {
		oAuth2:
			'The token lacks the media.write scope, or the X app is read-only. Make sure the credential\'s Scope includes media.write, give the app "Read and write" permissions in the X developer portal, then reconnect the credential.',
		oAuth1:
			'The X app is read-only or not allowed to upload media. Give the app "Read and write" permissions in the X developer portal, then reconnect the credential to get a new access token.',
	},
};

const MEDIA_UNKNOWN: HintRow = {
	status: 404,
	hint: 'X does not know this media: the id or key is wrong, belongs to another account, or the upload expired.',
};

/** The media endpoints (upload, its status, metadata, subtitles) share their refusals. */
const MEDIA_HINTS = [MEDIA_WRITE_REFUSED, MEDIA_UNKNOWN];

export const ENDPOINTS: Readonly<Record<XEndpoint, EndpointInfo>> = {
	upload: { label: 'media upload', hints: MEDIA_HINTS },
	initialize: { label: 'upload initialize', hints: MEDIA_HINTS },
	append: { label: 'upload append', hints: MEDIA_HINTS },
	finalize: { label: 'upload finalize', hints: MEDIA_HINTS },
	status: { label: 'upload status', hints: MEDIA_HINTS },
	metadata: { label: 'media metadata', hints: MEDIA_HINTS },
	subtitles: { label: 'media subtitles', hints: MEDIA_HINTS },
	mediaLookup: {
		label: 'media lookup',
		hints: [
			{
				// GET /2/media and /2/media/{media_key} need tweet.read (spec 2.167), not media.write.
				status: 403,
				cause: 'credential-invalid',
				hint: {
					oAuth2:
						'The token lacks the tweet.read scope, or the media is not visible to this account. Make sure the X OAuth2 credential\'s Scope includes tweet.read, then reconnect the credential.',
					oAuth1:
						'X refused to show this media to the account of the X OAuth1 credential: it may not be visible to it. Reconnect the credential if its access was revoked.',
				},
			},
			MEDIA_UNKNOWN,
		],
	},
	tweets: {
		label: 'create post',
		hints: [
			{
				status: 403,
				hint: 'X refused the post. Common causes: the app is read-only or the token lacks tweet.write (posting needs tweet.write, tweet.read and users.read; reconnect after fixing), a duplicate post, a reply the author did not invite, or a video longer than the account may post.',
			},
			{
				status: 400,
				cause: 'configuration-invalid',
				hint: 'Check the post: media must be fully processed, not expired (24 hours), uploaded by this account (or list it as an additional owner), and at most 4 images or 1 GIF or 1 video.',
			},
		],
		mayHaveTakenEffect: {
			text: 'X answered with success, so the post may exist: check the account before you run the workflow again, to avoid a duplicate post.',
			anyStatus: true,
		},
	},
	usersMe: {
		label: 'get user',
		hints: [
			{
				status: 403,
				cause: 'credential-invalid',
				hint: {
					oAuth2: 'The token lacks the users.read or tweet.read scope. Add them to the X OAuth2 credential\'s Scope, then reconnect the credential.',
					oAuth1: 'X refused to say which account the credential belongs to. Reconnect the X OAuth1 credential.',
				},
			},
		],
	},
	dmMessages: {
		label: 'send Direct Message',
		hints: [
			{
				status: 403,
				cause: 'credential-invalid',
				hint: {
					oAuth2:
						'The token lacks the dm.write scope (Direct Messages also need tweet.read and users.read), or the X app may not send Direct Messages. Add "dm.read dm.write" to the X OAuth2 credential\'s Scope, then reconnect the credential.',
					oAuth1:
						'The X app lacks the Direct Message permission. In the X developer portal set the app\'s permissions to "Read and write and Direct message", then reconnect the X OAuth1 credential to get a new access token.',
				},
			},
			{
				status: 400,
				cause: 'configuration-invalid',
				hint: 'Check the message: DM media must be uploaded by the sending account with a dm_image, dm_gif or dm_video category, be fully processed and not expired (24 hours), and be marked Shared to be sent in more than one message; the recipient must accept Direct Messages from you.',
			},
		],
		mayHaveTakenEffect: {
			text: 'X answered with success, so the message may have been sent: check the conversation before you run the workflow again, to avoid sending it twice.',
			anyStatus: false,
		},
	},
};

/** The text of a hint for the credential in use. */
export function hintText(hint: HintText, authentication: XAuthentication): string {
	return typeof hint === 'string' ? hint : hint[authentication];
}
