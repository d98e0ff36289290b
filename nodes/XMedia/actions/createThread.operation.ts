/**
 * Create Thread with Media: every input item becomes one post (or several, when its text or its
 * media do not fit one), in item order, each replying to the one before. Everything the thread
 * needs is checked, and every upload finished, before the first post.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { POST_TEXT_LIMITS } from '../helpers/accountLimits';
import { assertPostId } from '../helpers/mediaIds';
import { weightedLength } from '../helpers/postText';
import { checkPostMedia } from '../helpers/postRules';
import { planThreadPosts } from '../helpers/threadPlan';
import type { PlannedPost, ThreadItemInput, ThreadMedia, ThreadMediaKind } from '../helpers/threadPlan';
import type { XApiClient } from '../transport/xApiClient';
import { AccountTiers } from '../upload/accountTier';
import type { ItemTier } from '../upload/accountTier';
import { keepWholeFileOnlyForFirst, prepareBatch, runBatch } from '../upload/batch';
import type { PreparedBatch } from '../upload/batch';
import { once } from '../upload/exactlyOnce';
import type { UploadResult } from '../upload/types';
import {
	accountTierProperty,
	altTextProperty,
	liftVideoLimitProperty,
	processingTimeoutProperty,
	skipMediaChecksProperty,
	urlTimeoutProperty,
	whenUploadingBinary,
	whenUploadingFromUrl,
} from './common/descriptions';
import { errorJson } from './common/itemLoop';
import { readItemFiles } from './common/mediaFiles';
import { readAccountTier, readString, readUploadSettings } from './common/parameters';
import { buildPostBody, postFieldOptions, postMediaProperties, postTextProperty, readItemMediaIds, sendPost } from './common/post';
import { threadFailure } from './common/threadErrors';
import type { ThreadPost, ThreadProgress } from './common/threadErrors';

export const option: INodePropertyOptions = {
	name: 'Create Thread with Media',
	value: 'createThread',
	action: 'Create a thread with media',
	description: 'Post the input items as one thread, each post replying to the one before',
};

const showForCreateThread = { show: { operation: ['createThread'] } };

export const description: INodeProperties[] = [
	postTextProperty(
		'createThread',
		'The text of this item\'s post. A text over X\'s limit continues over several posts when Split Long Text is on.',
		'Each input item becomes one post of the thread, in order. X counts each link as 23 characters.',
	),
	...postMediaProperties('createThread'),
	{
		displayName: 'Split Long Text',
		name: 'splitLongText',
		type: 'boolean',
		default: true,
		displayOptions: showForCreateThread,
		description:
			'Whether a text over X\'s limit (280; 25,000 with X Premium) becomes several consecutive posts, cut at paragraph, sentence or word boundaries, never inside a link, mention or hashtag. The item\'s media go on the first of them.',
	},
	{
		displayName: 'Split Media',
		name: 'splitMedia',
		type: 'boolean',
		default: true,
		displayOptions: showForCreateThread,
		description:
			'Whether an item with more than 4 images continues them on the next posts, 4 per post (a video or GIF gets a post of its own, as X requires)',
	},
	{
		displayName: 'Number Parts',
		name: 'numberParts',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['createThread'], splitLongText: [true] } },
		description: 'Whether posts cut from one text end with " 1/3", " 2/3", … (counted in the limit)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForCreateThread,
		options: [
			{ ...accountTierProperty },
			{ ...liftVideoLimitProperty, displayOptions: whenUploadingBinary },
			{ ...altTextProperty, displayOptions: whenUploadingBinary },
			{ ...postFieldOptions.excludeReplyUserIds, description: 'Comma-separated user IDs to leave out of the first post\'s mentions (with Reply to Post ID)' },
			postFieldOptions.madeWithAi,
			postFieldOptions.paidPartnership,
			{ ...processingTimeoutProperty, displayOptions: whenUploadingBinary },
			postFieldOptions.replySettings,
			{
				...postFieldOptions.inReplyToTweetId,
				description: 'ID of a post for the thread\'s first post to reply to, for example to continue an existing thread (taken from the first item)',
			},
			{ ...skipMediaChecksProperty, displayOptions: whenUploadingBinary },
			postFieldOptions.taggedUserIds,
			{ ...urlTimeoutProperty, displayOptions: whenUploadingFromUrl },
		],
	},
];

/** A media of a planned post: an uploaded file of the item's batch, or an id given upstream. */
interface ItemMedia extends ThreadMedia {
	fileIndex?: number;
	id?: string;
}

/** One input item, read and checked. */
interface ThreadItem {
	fields: IDataObject;
	tier: ItemTier;
	batch?: PreparedBatch;
	results?: UploadResult[];
}

/**
 * The text limit of the posting account (README, "Limits per account"): with Account Tier `auto`, X
 * is asked only when the text is longer than a standard account may post in one post.
 */
async function postTextLimit(text: string, tier: ItemTier): Promise<number> {
	if (tier.used === undefined && weightedLength(text) > POST_TEXT_LIMITS.standard) await tier.resolve();
	return POST_TEXT_LIMITS[tier.used?.tier ?? 'standard'];
}

/** A media id from upstream whose kind the item does not name is planned as an image (X refuses a wrong mix). */
function threadKind(kind: string | undefined, id: string): ThreadMediaKind {
	if (kind === 'subtitles') checkPostMedia([{ id, kind }], true);
	return kind === 'gif' || kind === 'video' ? kind : 'image';
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	const posted: ThreadPost[] = [];
	const failing: ThreadProgress = { stage: 'check', itemIndex: 0, total: 0 };
	try {
		await createThread(this, client, posted, failing);
		return posted.map((p) => p.item);
	} catch (error) {
		const nodeError = threadFailure(this, error, posted, failing);
		if (!this.continueOnFail()) throw nodeError;
		// The thread is one unit: the posts made, then one error item for the items not (fully) posted
		// (all of them when nothing was posted).
		const done = posted.map((p) => p.item);
		const count = this.getInputData().length;
		const from = posted.length ? failing.itemIndex : 0;
		const rest = Array.from({ length: count }, (_, item) => item).filter((item) => item >= from);
		const json: IDataObject = { ...errorJson(nodeError), posted_ids: posted.map((p) => p.item.json.id as string) };
		if (posted.length) json.thread_id = posted[0].item.json.thread_id;
		return [...done, { json, pairedItem: (rest.length ? rest : [failing.itemIndex]).map((item) => ({ item })) }];
	}
}

async function createThread(
	ctx: IExecuteFunctions,
	client: XApiClient,
	posted: ThreadPost[],
	failing: ThreadProgress,
): Promise<void> {
	const count = ctx.getInputData().length;
	const firstFields = count ? (ctx.getNodeParameter('additionalFields', 0, {}) as IDataObject) : {};
	const replyToExisting = firstFields.inReplyToTweetId ? assertPostId(firstFields.inReplyToTweetId, 'Reply to Post ID') : undefined;

	// 1. Every item read and checked (parameters, files), nothing sent.
	const items: ThreadItem[] = [];
	const tiers = AccountTiers.forExecution(ctx, client);
	const inputs: Array<ThreadItemInput<ItemMedia>> = [];
	for (let i = 0; i < count; i++) {
		failing.itemIndex = i;
		const fields = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const tier = tiers.forItem(readAccountTier(fields), i);
		const item: ThreadItem = { fields, tier };
		const media: ItemMedia[] = [];
		const mediaSource = ctx.getNodeParameter('mediaSource', i, 'mediaIds') as string;
		if (mediaSource === 'binary' || mediaSource === 'url') {
			// Files of the item, or at its URLs (README, "Media from a URL"): up to 4 URLs a post, more spread by Split Media.
			const files = readItemFiles(ctx, i, mediaSource, { binary: 'binaryPropertyName', url: 'mediaUrls', urlLabel: 'Media URLs', maxUrls: Infinity });
			item.batch = await prepareBatch(ctx, files, readUploadSettings(fields), { tier });
			item.batch.files.forEach(({ prepared }, fileIndex) => {
				const name = `"${prepared.source.fileName ?? prepared.source.sourceUrl ?? prepared.source.propertyName}"`;
				media.push({ kind: threadKind(prepared.media.kind, name), fileIndex });
			});
		} else {
			for (const m of readItemMediaIds(ctx, i)) media.push({ kind: threadKind(m.kind, m.id), id: m.id });
		}
		if (fields.taggedUserIds && media.length === 0) {
			throw new MediaInputError('"Tagged User IDs" need media in the post', 'Tag users only in items with media, or remove the field.');
		}
		items.push(item);
		const text = readString(ctx.getNodeParameter('text', i, ''), 'Text');
		inputs.push({
			text,
			media,
			splitLongText: ctx.getNodeParameter('splitLongText', i, true) as boolean,
			splitMedia: ctx.getNodeParameter('splitMedia', i, true) as boolean,
			numberParts: ctx.getNodeParameter('numberParts', i, false) as boolean,
			limit: await postTextLimit(text, tier),
			limitOptions: { account: tier.used?.tier ?? 'standard', premiumLimit: POST_TEXT_LIMITS.premium },
		});
	}
	// Only the first file to upload keeps what its source may hold; the others are read again at their upload.
	keepWholeFileOnlyForFirst(items.flatMap((item) => item.batch?.files.map((f) => f.prepared) ?? []));
	const plan = planInputs(ctx, inputs);
	failing.total = plan.length;
	refuseRepeatedTexts(plan, failing);
	// Every post's body checked (a placeholder id stands for the post it will reply to).
	plan.forEach((post, k) => postBody(plan, items, k, k === 0 ? replyToExisting : '1'));

	// 2. Every upload finished (and processed), still nothing posted.
	failing.stage = 'upload';
	for (const [i, item] of items.entries()) {
		failing.itemIndex = i;
		if (item.batch) item.results = await runBatch(ctx, client, item.batch);
	}

	// 3. The posts, each replying to the one before; a post already made in this execution is not made again.
	failing.stage = 'post';
	let replyTo = replyToExisting;
	for (const [k, post] of plan.entries()) {
		failing.itemIndex = post.itemIndex;
		failing.replyTo = replyTo;
		const body = postBody(plan, items, k, replyTo);
		const mediaIds = ((body.media as IDataObject | undefined)?.media_ids as string[] | undefined) ?? [];
		const fingerprint = { text: body.text, media_ids: mediaIds, in_reply_to: replyTo ?? null };
		const json = await once(ctx, { itemIndex: post.itemIndex, kind: 'threadPost', part: k + 1, fingerprint }, async () => await sendPost(client, body, post.itemIndex));
		const uploads = post.media.filter((m) => m.fileIndex !== undefined).map((m) => items[post.itemIndex].results?.[m.fileIndex as number]);
		const out: IDataObject = {
			...json,
			in_reply_to_id: replyTo ?? null,
			thread_id: posted.length ? posted[0].item.json.id : json.id,
			position: k + 1,
			...items[post.itemIndex].tier.output(),
		};
		if (uploads.length) out.uploads = uploads as unknown as IDataObject[];
		posted.push({ item: { json: out, pairedItem: { item: post.itemIndex } } });
		replyTo = json.id as string;
	}
}

/** The thread's posts; an error names its item (1-based, "Item 3: …"), and the node's error points at it. */
function planInputs(ctx: IExecuteFunctions, inputs: Array<ThreadItemInput<ItemMedia>>): Array<PlannedPost<ItemMedia>> {
	try {
		return planThreadPosts(inputs);
	} catch (error) {
		const item = error instanceof MediaInputError ? /^(?:Item|The text of item) (\d+)\b/.exec(error.message) : null;
		const itemIndex = item ? Number(item[1]) - 1 : Math.max(0, inputs.length - 1);
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex, description: (error as MediaInputError).description });
	}
}

/** X refuses a text the account already posted: two posts of one thread with the same text would stop it half-way. */
function refuseRepeatedTexts(plan: Array<PlannedPost<ItemMedia>>, failing: ThreadProgress): void {
	const seen = new Map<string, number>();
	plan.forEach((post, k) => {
		if (post.text.trim() === '') return;
		const earlier = seen.get(post.text);
		if (earlier !== undefined) {
			failing.itemIndex = plan[k].itemIndex;
			throw new MediaInputError(
				`Posts ${earlier + 1} and ${k + 1} of the thread have the same text`,
				'X refuses a text that the account already posted (403 "duplicate content"), so the thread would stop at the second one. Make the texts differ, or turn on Number Parts for texts cut from one item.',
			);
		}
		seen.set(post.text, k);
	});
}

/** The `POST /2/tweets` body of the thread's post `k`, replying to `replyTo`. */
function postBody(plan: Array<PlannedPost<ItemMedia>>, items: ThreadItem[], k: number, replyTo: string | undefined): IDataObject {
	const post = plan[k];
	const item = items[post.itemIndex];
	const fields: IDataObject = { ...item.fields, inReplyToTweetId: replyTo ?? '' };
	// Exclude Reply User IDs is the first post's (a reply to someone else's post); the others reply to the thread.
	if (k > 0) delete fields.excludeReplyUserIds;
	const body = buildPostBody(post.text, fields);
	const mediaIds = post.media.map((m) =>
		m.id !== undefined ? m.id : (item.results?.[m.fileIndex as number]?.media_id ?? `file-${String(m.fileIndex)}`),
	);
	if (mediaIds.length) body.media = { ...((body.media as IDataObject) ?? {}), media_ids: mediaIds };
	else delete body.media; // Tagged users go with the posts of the item that carry media.
	return body;
}
