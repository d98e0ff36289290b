/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 18, the limits per posting account, through n8n-core and the emulator with the real
 * ffmpeg-made media of test/media/files-2026: what each tier may upload and post, Account Tier
 * (auto asks X only when a verdict depends on it, once per credential), the text as X counts it
 * before anything is uploaded, the segment rule, and X's answers about money and tier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, sha256 } from '../harness/scenario';
import { userA } from '../emulator/testCredentials';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 1 });
beforeEach(() => emulator.setOptions({ premiumUserIds: [], accountTiers: {} }));

const MEDIA = join(__dirname, '../media/files-2026');
const media = (name: string) => readFileSync(join(MEDIA, name));
const fileItem = (name: string, bytes = media(name)): TestItemSpec => ({ binary: { data: { base64: b64(bytes), fileName: name } } });

/** A fresh credential id per run: X's answer about the tier is kept per credential in the process. */
let credentialRun = 0;
function freshCredentials(): XMediaNodeSpec['credentials'] {
	credentialRun++;
	return { xOAuth2Api: { id: `tier-o2-${credentialRun}`, name: 'X OAuth2 (test)' }, xOAuth1Api: { id: `tier-o1-${credentialRun}`, name: 'X OAuth1 (test)' } };
}

async function run(items: TestItemSpec[], parameters: XMediaNodeSpec['parameters'], credentials = freshCredentials()): Promise<RunResult> {
	return await runWorkflow({ items, nodes: [{ parameters, credentials }] });
}

const usersMeCount = () => emulator.requests({ endpoint: 'usersMe' }).length;
const xMediaJson = (result: RunResult, index = 0) => result.output['X Media'][index].json;
const premiumUserA = () => emulator.setOptions({ premiumUserIds: [userA.id] });
const TEXT_300 = 'x'.repeat(300);

describe.each(AUTHENTICATIONS)('with %s', (authentication) => {
	test('a 3-minute post video uploads (it was refused as "over 140 s"): no question to X on auto', async () => {
		const result = await run([fileItem('long-3min.mp4')], { authentication, operation: 'upload' });
		expect(result.error).toBeUndefined();
		const json = xMediaJson(result);
		expect(json).toMatchObject({ media_category: 'tweet_video', account_tier: null, account_tier_source: null });
		expect(json.media_info).toMatchObject({ duration_ms: 180000 });
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(media('long-3min.mp4')));
		expect(usersMeCount()).toBe(0);
	});

	test('a 21-minute post video on Account Tier standard: refused before any request', async () => {
		const result = await run([fileItem('long-21min.mp4')], { authentication, operation: 'upload', options: { accountTier: 'standard' } });
		expect(result.error?.message).toBe(
			'File "long-21min.mp4": The video is 1260.0 s (21 min 0 s) long; X takes a video in a post of up to 20 min from a standard account.',
		);
		expect(result.error?.description).toMatch(/ffmpeg -i "long-21min\.mp4" -t 1200 .*X Premium or verified accounts may post up to 125 min\. If the posting account has X Premium, set Account Tier to Premium/s);
		expect(emulator.requests()).toEqual([]);
	});

	test('a 21-minute post video on auto, standard account: X is asked once, says standard, refused before any upload', async () => {
		const result = await run([fileItem('long-21min.mp4')], { authentication, operation: 'upload' });
		expect(result.error?.message).toMatch(/up to 20 min from a standard account/);
		expect(result.error?.description).toMatch(/X says the posting account has neither X Premium nor a verification/);
		expect(usersMeCount()).toBe(1);
		expect(emulator.requests()).toHaveLength(1);
		expect(emulator.requests()[0].query).toMatchObject({ 'user.fields': 'subscription_type,verified_type' });
	});

	test('a 21-minute post video on auto, Premium account: asked once, uploaded and posted; the answer is kept for the next run', async () => {
		premiumUserA();
		const credentials = freshCredentials();
		const parameters = { authentication, operation: 'createPost', text: 'A long one', mediaSource: 'binary' };
		const first = await run([fileItem('long-21min.mp4')], parameters, credentials);
		expect(first.error).toBeUndefined();
		expect(xMediaJson(first)).toMatchObject({ account_tier: 'premium', account_tier_source: 'x' });
		expect(usersMeCount()).toBe(1);
		expect(emulator.posts()).toHaveLength(1);
		// Another text: X refuses the same text twice from one account (duplicate content).
		const second = await run([fileItem('long-21min.mp4')], { ...parameters, text: 'A long one, again' }, credentials);
		expect(second.error).toBeUndefined();
		expect(xMediaJson(second)).toMatchObject({ account_tier: 'premium', account_tier_source: 'x' });
		expect(usersMeCount()).toBe(1);
	});

	test('two items with 21-minute videos on auto: one question to X', async () => {
		emulator.setOptions({ accountTiers: { [userA.id]: { subscription_type: 'None', verified_type: 'business' } } });
		const result = await run([fileItem('long-21min.mp4'), fileItem('long-21min.mp4')], { authentication, operation: 'upload', options: { waitForProcessing: false } });
		expect(result.error).toBeUndefined();
		expect(result.output['X Media']).toHaveLength(2);
		expect(usersMeCount()).toBe(1);
	});

	test('Account Tier premium (or the legacy Allow Long Videos): no question to X', async () => {
		premiumUserA();
		for (const options of [{ accountTier: 'premium' }, { liftVideoLimit: true }]) {
			emulator.reset();
			const result = await run([fileItem('long-21min.mp4')], { authentication, operation: 'upload', options });
			expect(result.error).toBeUndefined();
			expect(xMediaJson(result)).toMatchObject({ account_tier: 'premium', account_tier_source: 'option' });
			expect(usersMeCount()).toBe(0);
		}
	});
});

describe('Direct Message videos', () => {
	const dm = { operation: 'sendDirectMessage', participantId: '1880000000000000002', mediaSource: 'binary' };

	test('a 150 s DM video on a standard account: refused before any request', async () => {
		const result = await run([fileItem('dm-150s.mp4')], { ...dm, additionalFields: { accountTier: 'standard' } });
		expect(result.error?.message).toBe(
			'File "dm-150s.mp4": The video is 150.0 s (2 min 30 s) long; X takes a Direct Message video of up to 140 s from a standard account.',
		);
		expect(result.error?.description).toMatch(/up to 10 min/);
		expect(emulator.requests()).toEqual([]);
	});

	test('the 150 s video goes to a Premium account on auto (asked once), and as a post video without asking', async () => {
		premiumUserA();
		const sent = await run([fileItem('dm-150s.mp4')], dm);
		expect(sent.error).toBeUndefined();
		expect(xMediaJson(sent)).toMatchObject({ account_tier: 'premium', account_tier_source: 'x' });
		expect(emulator.directMessages()).toHaveLength(1);
		emulator.reset();
		const posted = await run([fileItem('dm-150s.mp4')], { operation: 'upload' });
		expect(posted.error).toBeUndefined();
		expect(usersMeCount()).toBe(0);
	});
});

describe('when X does not say the tier', () => {
	test.each([
		[403, /HTTP 403, the credential may lack the users\.read scope/],
		[429, /HTTP 429, its rate limit for the account look-up was reached/],
		[500, /account look-up failed/],
	])('users/me answers %i: the standard limits apply and the refusal says so, naming Account Tier', async (status, why) => {
		emulator.addFault({ endpoint: 'usersMe', status, times: 5 });
		const result = await run([fileItem('long-21min.mp4')], { operation: 'upload' });
		expect(result.error?.message).toMatch(/up to 20 min from a standard account/);
		expect(result.error?.description).toMatch(why);
		expect(result.error?.description).toMatch(/so the standard limits applied: if it has, set Account Tier to Premium/);
		expect(emulator.requests().filter((r) => r.endpoint !== 'usersMe')).toEqual([]);
	});
});

describe('post text as X counts it', () => {
	test('a 300-character text on a standard account: Create Post from binary refuses before uploading anything', async () => {
		const result = await run([fileItem('long-3min.mp4')], { operation: 'createPost', text: TEXT_300, mediaSource: 'binary', additionalFields: { accountTier: 'standard' } });
		expect(result.error?.message).toBe('The text is 300 characters as X counts them, over the limit of 280 for a standard account');
		expect(result.error?.description).toMatch(/set Account Tier to Premium if the posting account has X Premium \(25,000 characters\)/);
		expect(emulator.requests()).toEqual([]);
	});

	test('on auto a text over 280 asks X once; a standard answer refuses before any upload, a Premium one posts', async () => {
		const refused = await run([fileItem('long-3min.mp4')], { operation: 'createPost', text: TEXT_300, mediaSource: 'binary' });
		expect(refused.error?.message).toMatch(/300 characters as X counts them, over the limit of 280 for a standard account/);
		expect(emulator.requests().map((r) => r.endpoint)).toEqual(['usersMe']);
		emulator.reset();
		premiumUserA();
		const posted = await run([{ json: {} }], { operation: 'createPost', text: TEXT_300, mediaIds: '' });
		expect(posted.error).toBeUndefined();
		expect(xMediaJson(posted)).toMatchObject({ account_tier: 'premium', account_tier_source: 'x' });
		expect(emulator.posts()[0].text).toBe(TEXT_300);
	});

	test('a 100-character text asks nothing; links count 23', async () => {
		const text = `${'a'.repeat(250)} https://example.com/${'p'.repeat(200)}`;
		const result = await run([{ json: {} }], { operation: 'createPost', text, mediaIds: '' });
		expect(result.error).toBeUndefined();
		expect(usersMeCount()).toBe(0);
		expect(xMediaJson(result)).toMatchObject({ account_tier: null, account_tier_source: null });
	});
});

describe('bad Account Tier and the segment rule', () => {
	test('Account Tier set to an unknown value through an expression: a clear error, nothing sent', async () => {
		const result = await run([fileItem('long-3min.mp4')], { operation: 'upload', options: { accountTier: '={{ "gold" }}' } });
		expect(result.error?.message).toBe('"Account Tier" must be auto, standard or premium, not "gold"');
		expect(emulator.requests()).toEqual([]);
	});

	test('a file needing segments over 8 MB is refused before any request, with the numbers (no question to X)', async () => {
		const bytes = 1000 * 8 * 1024 * 1024 + 1;
		const item: TestItemSpec = { binary: { data: { base64: b64(media('long-3min.mp4')), fileName: 'huge.mp4', claimedBytes: bytes } } };
		const result = await run([item], { operation: 'upload' });
		expect(result.error?.message).toBe('File "huge.mp4": The file is 7.81 GB (8,388,608,001 bytes): too large to upload in 1000 segments of at most 8 MB');
		expect(result.error?.description).toMatch(/largest file that can be sent is 7\.81 GB \(8,388,608,000 bytes\); this one would need segments of 8 MB \(8,388,609 bytes\)/);
		expect(emulator.requests()).toEqual([]);
	});
});

describe("X's answers about money and tier", () => {
	test('402 on the post: the app\'s credits are used up, where to add them; not retried', async () => {
		emulator.addFault({ endpoint: 'tweets', status: 402, times: 5 });
		const result = await run([{ json: {} }], { operation: 'createPost', text: 'hello', mediaIds: '' });
		expect(result.error?.message).toMatch(/^X refused the create post request \(HTTP 402\): the X app has no API credits left/);
		expect(result.error?.description).toMatch(/Add credits for the app in the X developer console \(https:\/\/console\.x\.com/);
		expect(emulator.requests({ endpoint: 'tweets' })).toHaveLength(1);
	});

	test('usage-capped on initialize: the cap, in plain words; not waited for as a rate limit', async () => {
		emulator.addFault({ endpoint: 'initialize', status: 429, times: 5, body: { title: 'Usage cap exceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped', status: 429 } });
		const result = await run([fileItem('long-3min.mp4')], { operation: 'upload' });
		expect(result.error?.message).toMatch(/^X refused the upload initialize request \(HTTP 429\): the X app has reached its usage cap/);
		expect(result.error?.description).toMatch(/console\.x\.com/);
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
	});

	test('the post-time 403 for a long video says what the account allows and points at Account Tier', async () => {
		// Account Tier says premium, but X (the emulator's standard user A) refuses the post.
		const result = await run([fileItem('long-21min.mp4')], { operation: 'createPost', text: 'long', mediaSource: 'binary', additionalFields: { accountTier: 'premium' } });
		expect(result.error?.message).toMatch(/^X refused the create post request \(HTTP 403\): the video is longer than this account may post/);
		expect(result.error?.description).toMatch(/this account may post videos of at most 20 minutes.*set Account Tier to Auto \(X is asked\) or Standard/s);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(1);
		expect(emulator.posts()).toEqual([]);
	});
});
