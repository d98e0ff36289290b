/**
 * Properties that several operations show, each described once. An operation places them with
 * its own `displayOptions`.
 */
import type { INodeProperties } from 'n8n-workflow';

import { formatDuration, MEDIA_LIMIT_ROWS, POST_TEXT_LIMITS } from '../../helpers/accountLimits';
import {
	DEFAULT_PARALLEL_UPLOADS,
	DEFAULT_PROCESSING_TIMEOUT_SECS,
	MAX_PARALLEL_UPLOADS,
	MAX_SEGMENT_BYTES,
	MiB,
	X_MEDIA_TYPES,
	formatSize,
} from '../../helpers/limits';

/** Shown only when the operation uploads files (Create Post and Send Direct Message, Media Source: Binary File or URL). */
export const whenUploadingBinary = { show: { '/mediaSource': ['binary', 'url'] } };

/** Shown only when the files come from URLs (Media Source: URL). */
export const whenUploadingFromUrl = { show: { '/mediaSource': ['url'] } };

/** What a media URL field says (Upload, Create Post, Send Direct Message; README, "Media from a URL"). */
export const MEDIA_URL_DESCRIPTION =
	'http(s) address of the file. It is streamed to X without being stored in n8n; the server must say the file\'s size (Content-Length). Nothing of the X credential is sent to it, and its query (a presigned link\'s signature) never appears in outputs or errors.';

/** Options > URL Timeout (Seconds), wherever files may come from URLs. */
export const urlTimeoutProperty: INodeProperties = {
	displayName: 'URL Timeout (Seconds)',
	name: 'urlTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: 30,
	description:
		'Media from a URL: how long to wait for the server\'s answer, and for each next part of the file. A stalled connection is opened again from where it stopped, a few times, then the node fails; it never hangs.',
};

export const processingTimeoutProperty: INodeProperties = {
	displayName: 'Processing Timeout (Seconds)',
	name: 'processingTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_PROCESSING_TIMEOUT_SECS,
	description:
		'How long to wait for X to finish processing a GIF or video. After it, the node stops with an error that gives the media ID to check later with Get Status.',
};

const { postVideo, dmVideo } = MEDIA_LIMIT_ROWS;
const limitsOf = (row: typeof postVideo | typeof dmVideo, tier: 'standard' | 'premium') =>
	`${formatDuration(row[tier].maxDurationMs)} and ${formatSize(row[tier].maxBytes)}`;

/** Account Tier: whose limits apply (README, "Limits per account"); the figures come from the limits table. */
export const accountTierProperty: INodeProperties = {
	displayName: 'Account Tier',
	name: 'accountTier',
	type: 'options',
	options: [
		{
			name: 'Auto (Ask X When It Matters)',
			value: 'auto',
			description: 'Asks X whether the posting account has X Premium, only when a file or text is within the Premium limits but over the standard ones (needs the users.read scope)',
		},
		{
			name: 'Premium or Verified',
			value: 'premium',
			description: `Post video ${limitsOf(postVideo, 'premium')}, DM video ${limitsOf(dmVideo, 'premium')}, post text ${POST_TEXT_LIMITS.premium.toLocaleString('en-US')} characters`,
		},
		{
			name: 'Standard',
			value: 'standard',
			description: `Post video ${limitsOf(postVideo, 'standard')}, DM video ${limitsOf(dmVideo, 'standard')}, post text ${POST_TEXT_LIMITS.standard} characters`,
		},
	],
	default: 'auto',
	description: 'Whose limits X applies: they follow the posting account (X Premium or verified), not the developer plan',
};

/** The option of earlier versions, kept for existing workflows: on means Account Tier Premium. */
export const liftVideoLimitProperty: INodeProperties = {
	displayName: 'Allow Long Videos (Legacy)',
	name: 'liftVideoLimit',
	type: 'boolean',
	default: false,
	description: 'Whether to apply the Premium limits. Kept for older workflows: use Account Tier instead (on means Account Tier Premium).',
};

export const skipMediaChecksProperty: INodeProperties = {
	displayName: 'Skip Media Checks',
	name: 'skipMediaChecks',
	type: 'boolean',
	default: false,
	description:
		'Whether to upload a file even when it breaks X\'s media rules (duration, frame rate, size, aspect ratio, audio), for example after X changed them. File type and size limits still apply; what was not checked goes to the output\'s warnings.',
};

export const altTextProperty: INodeProperties = {
	displayName: 'Alt Text',
	name: 'altText',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	description: 'Description of the image or GIF for people who cannot see it (up to 1000 characters)',
};

export const sharedProperty: INodeProperties = {
	displayName: 'Shared (DM Media)',
	name: 'shared',
	type: 'boolean',
	default: false,
	description:
		'Whether DM media may be reused in several Direct Messages. X makes shared media reachable by anyone with its URL: ask the user\'s consent first.',
};

/** The language code of a subtitles file, as Add Subtitles and the subtitles options take it. */
const SUBTITLES_LANGUAGE_DESCRIPTION =
	'Two-letter language code of the subtitles (EN, ES, FR…). en or en-US are accepted and sent as EN, as X requires.';
/** The display name of a subtitles track, as Add Subtitles and the subtitles options take it. */
const SUBTITLES_DISPLAY_NAME_DESCRIPTION = 'Name of the subtitles track shown to viewers. Default: the language\'s English name.';

/** Add Subtitles' own language and display name fields. */
export const subtitlesLanguageProperty: INodeProperties = {
	displayName: 'Language Code',
	name: 'languageCode',
	type: 'string',
	default: 'EN',
	required: true,
	description: SUBTITLES_LANGUAGE_DESCRIPTION,
};

export const subtitlesDisplayNameProperty: INodeProperties = {
	displayName: 'Display Name',
	name: 'displayName',
	type: 'string',
	default: '',
	placeholder: 'English',
	description: SUBTITLES_DISPLAY_NAME_DESCRIPTION,
};

/** The subtitles fields of Upload's options and Create Post's additional fields (binary mode). */
export const subtitlesOptionProperties: INodeProperties[] = [
	{
		displayName: 'Subtitles Binary Field',
		name: 'subtitlesBinaryPropertyName',
		type: 'string',
		default: '',
		placeholder: 'subtitles',
		description:
			'Binary field of the same item with an SRT or WebVTT file. It is uploaded once the video is processed and attached to it (the upload then always waits for processing).',
	},
	{
		displayName: 'Subtitles Display Name',
		name: 'subtitlesDisplayName',
		type: 'string',
		default: '',
		placeholder: 'English',
		description: SUBTITLES_DISPLAY_NAME_DESCRIPTION,
	},
	{
		displayName: 'Subtitles Language Code',
		name: 'subtitlesLanguageCode',
		type: 'string',
		default: 'EN',
		description: SUBTITLES_LANGUAGE_DESCRIPTION,
	},
];

/** `media_category` of `POST/DELETE /2/media/subtitles`, spelt as X spells it. */
export const subtitlesVideoCategoryProperty: INodeProperties = {
	displayName: 'Video Category',
	name: 'videoCategory',
	type: 'options',
	options: [
		{ name: 'Tweet Video', value: 'TweetVideo', description: 'A video uploaded as tweet_video (the Upload default)' },
		{ name: 'Amplify Video', value: 'AmplifyVideo', description: 'A video uploaded as amplify_video' },
	],
	default: 'TweetVideo',
	description: 'How the video was uploaded, as X names it for subtitles',
};

/** Upload's options (sorted by display name, as the editor lists them). */
export const uploadOptionProperties: INodeProperties[] = [
	{ ...accountTierProperty },
	{
		displayName: 'Additional Owners',
		name: 'additionalOwners',
		type: 'string',
		default: '',
		placeholder: '1234567890, 2345678901',
		description: 'Comma-separated user IDs of other accounts that may post this media',
	},
	{ ...liftVideoLimitProperty },
	{ ...altTextProperty },
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
		description:
			'How many segments of a large file are sent at the same time. Without this option each upload measures its link to X and keeps as many in flight as it needs (3 to 8). Set it to send exactly this many.',
	},
	{ ...processingTimeoutProperty },
	{ ...sharedProperty },
	{ ...skipMediaChecksProperty },
	...subtitlesOptionProperties,
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
	{ ...urlTimeoutProperty, displayOptions: { show: { '/source': ['url'] } } },
	{
		displayName: 'Wait for Processing',
		name: 'waitForProcessing',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until X has processed a GIF or video. Turn off to get the media ID at once and check it later with Get Status.',
	},
];
