/**
 * Issue 20: Create Thread with Media through n8n-core and the emulator, both credentials: the reply
 * chain as X records it, long texts and many images spread over posts, all or nothing before the
 * first post, errors that list what was posted, and n8n's Retry On Fail that posts nothing twice.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { weightedLength } from '../../nodes/XMedia/helpers/postText';
import { makeMp4, makePng } from '../fixtures/media';
import { emulatorSuite } from '../harness/emulatorSuite';
import { useFileServer } from '../harness/fileServer';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import { AUTHENTICATIONS, b64, findSecrets, sha256 } from '../harness/scenario';
import type { TestBinarySpec, TestItemSpec } from '../harness/testFilesNode';
import { userA, userB } from '../emulator/testCredentials';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 0, processingSteps: 1 });
const files = useFileServer();

const bin = (bytes: Buffer, fileName: string): TestBinarySpec => ({ base64: b64(bytes), fileName });
const imageItem = (text: string, n: number): TestItemSpec => ({ json: { text }, binary: { data: bin(makePng(8 + n, 8 + n), `${n}.png`) } });

function threadNode(parameters: IDataObject, more: Partial<XMediaNodeSpec> = {}): XMediaNodeSpec {
	return { name: 'Thread', parameters: { operation: 'createThread', text: '={{ $json.text }}', ...parameters }, ...more };
}

async function run(items: TestItemSpec[], node: XMediaNodeSpec): Promise<RunResult> {
	const result = await runWorkflow({ items, nodes: [node] });
	expect(findSecrets(result)).toEqual([]);
	return result;
}

/** The emulator's posts as a chain: each replies to the one before, all in the first one's conversation. */
function expectChain(out: INodeExecutionData[], replyToFirst?: string): void {
	const posts = emulator.posts().filter((p) => p.author_id !== userB.id);
	expect(posts.map((p) => p.id)).toEqual(out.map((o) => o.json.id));
	const root = replyToFirst ? emulator.posts().find((p) => p.id === replyToFirst)!.conversation_id : posts[0].id;
	posts.forEach((p, k) => {
		expect(p.in_reply_to_tweet_id).toBe(k === 0 ? replyToFirst : posts[k - 1].id);
		expect(p.conversation_id).toBe(root);
		expect(out[k].json).toMatchObject({
			id: p.id,
			media_ids: p.media_ids,
			url: `https://x.com/i/web/status/${p.id}`,
			in_reply_to_id: k === 0 ? (replyToFirst ?? null) : posts[k - 1].id,
			thread_id: posts[0].id,
			position: k + 1,
		});
	});
}

describe.each(AUTHENTICATIONS)('with %s', (authentication) => {
	it('posts three items with an image each as a thread, each replying to the one before', async () => {
		const items = [imageItem('First of three', 1), imageItem('Second of three', 2), imageItem('Third of three', 3)];
		const result = await run(items, threadNode({ authentication, mediaSource: 'binary' }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expectChain(out);
		expect(emulator.posts().map((p) => p.text)).toEqual(['First of three', 'Second of three', 'Third of three']);
		out.forEach((o, k) => {
			const [id] = o.json.media_ids as string[];
			expect(emulator.mediaSha256(id)).toBe(sha256(Buffer.from(items[k].binary!.data.base64!, 'base64')));
		});
		// Every upload finished before the first post.
		const requests = emulator.requests();
		const firstPost = requests.findIndex((r) => r.endpoint === 'tweets');
		expect(requests.slice(firstPost).every((r) => r.endpoint === 'tweets')).toBe(true);
		expect(requests.every((r) => r.auth?.scheme === (authentication === 'oAuth1' ? 'oauth1' : 'oauth2'))).toBe(true);
	});

	it('cuts a 700-character text into posts of at most 280 that give the text back', async () => {
		const sentences = Array.from({ length: 14 }, (_, i) => `Sentence number ${i + 1} of a long story, told in parts.`);
		const text = sentences.join(' ').slice(0, 700).trimEnd();
		expect(weightedLength(text)).toBeGreaterThan(650);
		const result = await run([{ json: { text } }], threadNode({ authentication }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out.length).toBe(3);
		const sent = emulator.posts().map((p) => p.text);
		for (const part of sent) expect(weightedLength(part)).toBeLessThanOrEqual(280);
		expect(sent.join(' ')).toBe(text);
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
		expectChain(out);
	});

	it('a text over 280 on Account Tier auto: X is asked once; a Premium account posts it whole, a standard one as parts', async () => {
		const text = Array.from({ length: 9 }, (_, i) => `Line ${i + 1} of a text for a Premium account.`).join(' ');
		expect(weightedLength(text)).toBeGreaterThan(280);
		const usersMe = () => emulator.requests({ endpoint: 'usersMe' }).length;
		emulator.setOptions({ accountTiers: { [userA.id]: { subscription_type: 'Premium', verified_type: 'blue' } } });
		// A credential of its own: the answer X gave for the credential of the other tests is kept for an hour.
		const credentials = { xOAuth2Api: { id: `thread-tier-o2`, name: 'X OAuth2 (test)' }, xOAuth1Api: { id: `thread-tier-o1`, name: 'X OAuth1 (test)' } };
		const premium = await run([{ json: { text } }], threadNode({ authentication }, { credentials }));
		expect(premium.error).toBeUndefined();
		expect(premium.output['Thread']).toHaveLength(1);
		expect(premium.output['Thread'][0].json).toMatchObject({ text, account_tier: 'premium', account_tier_source: 'x' });
		expect(usersMe()).toBe(1);
		emulator.reset();
		emulator.setOptions({ accountTiers: { [userA.id]: { subscription_type: 'None', verified_type: 'none' } } });
		const standard = await run([{ json: { text: `${text} Again.` } }], threadNode({ authentication, additionalFields: { accountTier: 'standard' } }, { credentials }));
		expect(standard.error).toBeUndefined();
		expect(standard.output['Thread']).toHaveLength(2);
		expect(usersMe()).toBe(0);
	});

	it('takes each item\'s images from URLs (the query never in the output): uploads first, then the chain', async () => {
		const urls = [1, 2, 3].map((n) => files.serve(`/img/${n}.png`, makePng(10 + n, 10 + n), { contentType: 'image/png' }, 'X-Amz-Signature=secret-query'));
		const items = urls.map((url, k) => ({ json: { text: `From a URL, part ${k + 1}`, url } }));
		const result = await run(items, threadNode({ authentication, mediaSource: 'url', mediaUrls: '={{ $json.url }}' }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out).toHaveLength(3);
		expectChain(out);
		out.forEach((o) => expect((o.json.media_ids as string[]).length).toBe(1));
		expect(JSON.stringify(out.map((o) => o.json))).not.toContain('secret-query');
		const order = emulator.requests().map((r) => r.endpoint);
		expect(order.lastIndexOf('upload')).toBeLessThan(order.indexOf('tweets'));
		expect(files.requests.length).toBeGreaterThanOrEqual(3);
	});

	it('spreads 7 images of one item over two posts, 4 then 3', async () => {
		const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
		const item: TestItemSpec = { json: { text: 'Seven pictures' }, binary: Object.fromEntries(names.map((n, i) => [n, bin(makePng(4 + i, 4 + i), `${n}.png`)])) };
		const result = await run([item], threadNode({ authentication, mediaSource: 'binary', binaryPropertyName: names.join(',') }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out.map((o) => (o.json.media_ids as string[]).length)).toEqual([4, 3]);
		expect(out.map((o) => o.json.position)).toEqual([1, 2]);
		expect(emulator.posts().map((p) => p.text)).toEqual(['Seven pictures', '']);
		expectChain(out);
	});

	it('a bad file at item 3 posts nothing and uploads nothing', async () => {
		const items = [imageItem('One', 1), imageItem('Two', 2), { json: { text: 'Three' }, binary: { data: bin(Buffer.alloc(0), 'empty.jpg') } }, imageItem('Four', 4)];
		const result = await run(items, threadNode({ authentication, mediaSource: 'binary' }));
		expect(result.error?.message).toMatch(/empty/);
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
		expect(emulator.requests()).toEqual([]);
		expect(emulator.posts()).toEqual([]);
	});
});

describe('Retry On Fail (n8n runs the node again with all its items)', () => {
	it('goes on with the third post after it failed: three posts, each made once, the third replying to the second', async () => {
		emulator.addFault({ endpoint: 'tweets', nth: 3, status: 500 });
		const items = ['Retry one', 'Retry two', 'Retry three'].map((text) => ({ json: { text } }));
		const result = await run(items, threadNode({}, { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out).toHaveLength(3);
		expect(emulator.posts().map((p) => p.text)).toEqual(['Retry one', 'Retry two', 'Retry three']);
		expect(emulator.requests({ endpoint: 'tweets' }).map((r) => r.status)).toEqual([201, 201, 500, 201]);
		expectChain(out);
	});

	// Uploads are made once too (upload/batch): the retry reuses the first media ids, so post 1 and 2
	// return their first output and post 3 replies to post 2.
	it('with images from binary: no image uploaded twice, no post made twice', async () => {
		emulator.addFault({ endpoint: 'tweets', nth: 3, status: 500 });
		const items = [imageItem('Image retry one', 1), imageItem('Image retry two', 2), imageItem('Image retry three', 3)];
		const result = await run(items, threadNode({ mediaSource: 'binary' }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 }));
		expect(result.error).toBeUndefined();
		expect(emulator.posts()).toHaveLength(3);
		expect(emulator.allMedia()).toHaveLength(3);
		expectChain(result.output['Thread']);
	});
});

describe('a thread that fails part-way', () => {
	const items = ['Part one', 'Part two', 'Part three'].map((text) => ({ json: { text } }));

	it('names the posts already made, with their ids, and how to go on', async () => {
		emulator.addFault({ endpoint: 'tweets', nth: 3, status: 500 });
		const result = await run(items, threadNode({}));
		const [one, two] = emulator.posts();
		expect(result.error?.message).toMatch(/^The thread stopped at post 3 of 3: X had a server error on the create post request \(HTTP 500\)/);
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(2);
		expect(result.error?.description).toContain(`Posts already made (2; do not post them again by hand): 1. ${one.id} (https://x.com/i/web/status/${one.id}); 2. ${two.id}`);
		expect(result.error?.description).toContain(`set "Reply to Post ID" to ${two.id} and pass only the posts from post 3 on`);
	});

	it('Continue On Fail: the posts made, then one error item for the rest, with the ids posted', async () => {
		emulator.addFault({ endpoint: 'tweets', nth: 2, status: 500 });
		const result = await run(items, threadNode({}, { continueOnFail: true }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		const [one] = emulator.posts();
		expect(out).toHaveLength(2);
		expect(out[0].json).toMatchObject({ id: one.id, position: 1, thread_id: one.id });
		expect(out[1].json).toMatchObject({ posted_ids: [one.id], thread_id: one.id, http_code: '500' });
		expect(out[1].json.error).toMatch(/^The thread stopped at post 2 of 3/);
		expect(out[1].pairedItem).toEqual([{ item: 1 }, { item: 2 }]);
	});

	it('Continue On Fail with a bad file at item 3: one error item for the whole thread, nothing sent', async () => {
		const bad = [imageItem('One', 1), imageItem('Two', 2), { json: { text: 'Three' }, binary: { data: bin(Buffer.alloc(0), 'empty.jpg') } }];
		const result = await run(bad, threadNode({ mediaSource: 'binary' }, { continueOnFail: true }));
		expect(result.error).toBeUndefined();
		const out = result.output['Thread'];
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/empty/);
		expect(out[0].json.posted_ids).toEqual([]);
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(emulator.requests()).toEqual([]);
	});

	it('a refused reply to an existing post names X\'s reply restriction', async () => {
		const other = emulator.addPost({ author_id: userB.id, text: 'A post by someone else' });
		emulator.addFault({ endpoint: 'tweets', nth: 1, status: 403 });
		const result = await run(items, threadNode({ additionalFields: { inReplyToTweetId: other.id } }));
		expect(result.error?.message).toMatch(/^The thread stopped at post 1 of 3: X refused the create post request \(HTTP 403\)/);
		expect(result.error?.description).toMatch(new RegExp(`This post replies to post ${other.id}\\. Since February 2026 X lets the API post a reply only where the original post's author summoned the account`));
		expect(result.error?.description).toContain('No post of the thread was made.');
	});

	it('a reply to a post that does not exist: X\'s words and the restriction, nothing posted', async () => {
		const result = await run(items, threadNode({ additionalFields: { inReplyToTweetId: '1234567890123456789' } }));
		expect(result.error?.message).toContain('You attempted to reply to a Tweet that is deleted or not visible to you.');
		expect(result.error?.description).toContain('This post replies to post 1234567890123456789.');
		expect(emulator.posts()).toEqual([]);
	});

	it('continues an existing thread: the first post replies to the given post', async () => {
		const other = emulator.addPost({ author_id: userB.id, text: 'Start of a thread' });
		const result = await run(items, threadNode({ additionalFields: { inReplyToTweetId: other.id } }));
		expect(result.error).toBeUndefined();
		expectChain(result.output['Thread'], other.id);
	});
});

describe('bad input: a clear error before the first request', () => {
	const text = (t: string): TestItemSpec => ({ json: { text: t } });
	const video = (n: number): TestBinarySpec => bin(makeMp4(2000 + n), `v${n}.mp4`);
	it.each<[string, TestItemSpec[], IDataObject, RegExp]>([
		['an item with no text and no media', [text('Fine'), text('')], {}, /^Item 2 has no text and no media$/],
		['a text that cannot be split (one 300-character word)', [text(`Intro ${'w'.repeat(300)}`)], {}, /^Item 1: The text cannot be split into posts of at most 280 characters/],
		['2 videos on one item with Split Media off', [{ json: { text: 'Two videos' }, binary: { a: video(1), b: video(2) } }], { mediaSource: 'binary', binaryPropertyName: 'a,b', splitMedia: false }, /^Item 1 has 2 videos, which cannot go in one post$/],
		['a reply-to id with letters', [text('Reply')], { additionalFields: { inReplyToTweetId: '12ab' } }, /^Reply to Post ID contains "12ab"/],
		['a reply-to id of 20 digits', [text('Reply')], { additionalFields: { inReplyToTweetId: '12345678901234567890' } }, /^Reply to Post ID contains "12345678901234567890"/],
		['Split Long Text off and a text over the limit', [text('x'.repeat(281))], { splitLongText: false }, /^The text of item 1 is 281 characters as X counts them, over the limit of 280 for a standard account$/],
		['two posts with the same text', [text('Same'), text('Other'), text('Same')], {}, /^Posts 1 and 3 of the thread have the same text/],
		['tagged users on an item without media', [text('Tag')], { additionalFields: { taggedUserIds: '1880000000000000002' } }, /^"Tagged User IDs" need media in the post$/],
		['a file that is not media, at item 2', [imageItem('One', 1), { json: { text: 'Two' }, binary: { data: bin(Buffer.from('not an image at all'), 'notes.jpg') } }], { mediaSource: 'binary' }, /notes\.jpg/],
	])('%s', async (_label, items, parameters, message) => {
		const result = await run(items, threadNode(parameters));
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toBeTruthy();
		expect(emulator.requests()).toEqual([]);
	});
});
