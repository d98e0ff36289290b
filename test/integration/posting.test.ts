/**
 * Issue 8: Get Status, Get Media and Create Post with Media through n8n-core and the emulator.
 */
import type { IDataObject } from 'n8n-workflow';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets, sha256 } from '../harness/scenario';
import { makeGif, makeMp4, makePng } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 2 });

const MiB = 1024 * 1024;

function fileItem(bytes: Buffer, fileName: string, json: IDataObject = {}): TestItemSpec {
	return { json, binary: { data: { base64: b64(bytes), fileName } } };
}

async function run(items: TestItemSpec[], nodes: XMediaNodeSpec[]): Promise<RunResult> {
	return await runWorkflow({ items, nodes });
}

describe.each(AUTHENTICATIONS)('with %s', (authentication) => {
	it('uploads, then posts with the ids from the upload', async () => {
		const png = makePng(32, 32);
		const result = await run(
			[fileItem(png, 'a.png')],
			[
				{ name: 'Upload', parameters: { authentication, operation: 'upload' } },
				{ name: 'Post', parameters: { authentication, operation: 'createPost', text: 'Hello from n8n' } },
			],
		);
		expect(result.error).toBeUndefined();
		const uploaded = result.output['Upload'][0].json;
		const post = result.output['Post'][0].json;
		expect(post.media_ids).toEqual([uploaded.media_id]);
		expect(post.id).toMatch(/^[0-9]{19}$/);
		expect(post.url).toBe(`https://x.com/i/web/status/${post.id}`);
		expect(typeof post.text).toBe('string');
		const [stored] = emulator.posts();
		expect(stored).toMatchObject({ id: post.id, text: 'Hello from n8n', media_ids: [uploaded.media_id] });
		expect(emulator.requests({ endpoint: 'tweets' })[0].auth?.scheme).toBe(authentication === 'oAuth1' ? 'oauth1' : 'oauth2');
	});

	it.each([
		['an image', makePng(20, 20), 'photo.png'],
		['a video', makeMp4(5 * MiB + 11), 'clip.mp4'],
	])('posts %s straight from binary', async (_label, bytes, name) => {
		const result = await run(
			[fileItem(bytes, name)],
			[{ name: 'Post', parameters: { authentication, operation: 'createPost', text: 'From binary', mediaSource: 'binary' } }],
		);
		expect(result.error).toBeUndefined();
		const post = result.output['Post'][0].json;
		const [id] = post.media_ids as string[];
		expect(emulator.mediaSha256(id)).toBe(sha256(bytes));
		expect(emulator.posts()[0].media_ids).toEqual([id]);
	});
});

describe('combining items', () => {
	const images = [1, 2, 3, 4, 5].map((n) => makePng(n + 2, n + 2));

	it('posts four images from four items in one post, paired to all four', async () => {
		const items = images.slice(0, 4).map((b, i) => fileItem(b, `img${i}.png`, { caption: i === 0 ? 'first item text' : 'ignored' }));
		const result = await run(items, [
			{ name: 'Upload', parameters: { operation: 'upload' } },
			{ name: 'Post', parameters: { operation: 'createPost', text: '={{ $json.file_name }} and friends', combineItems: true } },
		]);
		expect(result.error).toBeUndefined();
		const out = result.output['Post'];
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.media_ids).toEqual(result.output['Upload'].map((i) => i.json.media_id));
		expect(emulator.posts()).toHaveLength(1);
		expect(emulator.posts()[0].text).toBe('img0.png and friends');
	});

	it('refuses a fifth image before any request', async () => {
		const items = images.map((b, i) => fileItem(b, `img${i}.png`));
		const result = await run(items, [
			{ name: 'Post', parameters: { operation: 'createPost', text: 'Five', mediaSource: 'binary', combineItems: true } },
		]);
		expect(result.error?.message).toMatch(/5 media|five|at most 4/i);
		expect(emulator.requests()).toHaveLength(0);
	});

	it('refuses a video with an image before any request', async () => {
		const items = [fileItem(makePng(4, 4), 'a.png'), fileItem(makeMp4(100_000), 'b.mp4')];
		const result = await run(items, [
			{ name: 'Post', parameters: { operation: 'createPost', text: 'Mixed', mediaSource: 'binary', combineItems: true } },
		]);
		expect(result.error?.message).toMatch(/video/i);
		expect(emulator.requests()).toHaveLength(0);
	});

	it('refuses an uploaded GIF combined with an uploaded image, knowing their kinds from the upload', async () => {
		const items = [fileItem(makePng(4, 4), 'a.png'), fileItem(makeGif({ frames: 2 }), 'b.gif')];
		const result = await run(items, [
			{ name: 'Upload', parameters: { operation: 'upload' } },
			{ name: 'Post', parameters: { operation: 'createPost', text: 'Mixed', combineItems: true } },
		]);
		expect(result.error?.message).toMatch(/GIF/);
		expect(emulator.requests({ endpoint: 'tweets' })).toHaveLength(0);
	});
});

describe('ids', () => {
	it.each([
		['an id with letters', '12345abc', /12345abc/],
		['five ids', '1,2,3,4,5', /at most 4|5 media/i],
		['a 20-digit id', '12345678901234567890', /12345678901234567890/],
	])('refuses %s before any request', async (_label, mediaIds, message) => {
		const result = await run([{ json: {} }], [{ name: 'Post', parameters: { operation: 'createPost', text: 'x', mediaIds } }]);
		expect(result.error?.message).toMatch(message);
		expect(emulator.requests()).toHaveLength(0);
	});

	it('refuses a number beyond 2^53 that lost its precision', async () => {
		const result = await run(
			[{ json: { media_id: 1880028106020515840 } }],
			[{ name: 'Post', parameters: { operation: 'createPost', text: 'x', mediaIds: '={{ $json.media_id }}' } }],
		);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/precision|string/i);
		expect(emulator.requests()).toHaveLength(0);
	});

	it('refuses a post with neither text nor media', async () => {
		const result = await run([{ json: {} }], [{ name: 'Post', parameters: { operation: 'createPost', text: '', mediaIds: '' } }]);
		expect(result.error?.message).toMatch(/text|media/i);
		expect(emulator.requests()).toHaveLength(0);
	});
});

describe('X refuses the post', () => {
	it("ends in an error with X's words and a hint when the media is still processing", async () => {
		const result = await run(
			[fileItem(makeMp4(200_000), 'v.mp4')],
			[
				{ name: 'Upload', parameters: { operation: 'upload', options: { waitForProcessing: false } } },
				{ name: 'Post', parameters: { operation: 'createPost', text: 'too early' } },
			],
		);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toMatch(/media/i);
		expect(result.error?.description).toMatch(/processed/);
		expect(findSecrets(result)).toEqual([]);
	});
});

describe('Get Status', () => {
	it('turns a processing video into succeeded after waiting', async () => {
		emulator.setProcessing({ steps: 4, checkAfterSecs: 1 });
		const started = Date.now();
		const result = await run(
			[fileItem(makeMp4(300_000), 'v.mp4')],
			[
				{ name: 'Upload', parameters: { operation: 'upload', options: { waitForProcessing: false } } },
				{ name: 'Status Now', parameters: { operation: 'getStatus' } },
				{ name: 'Status Wait', parameters: { operation: 'getStatus', waitForProcessing: true, processingTimeout: 30 } },
			],
		);
		expect(result.error).toBeUndefined();
		const upload = result.output['Upload'][0].json;
		const now = result.output['Status Now'][0].json;
		const done = result.output['Status Wait'][0].json;
		expect(now.media_id).toBe(upload.media_id);
		expect(['pending', 'in_progress']).toContain(now.state);
		expect(done).toMatchObject({ media_id: upload.media_id, state: 'succeeded' });
		expect((done.processing_info as { state: string }).state).toBe('succeeded');
		// It polled on, honouring check_after_secs, rather than returning the first answer.
		expect(emulator.requests({ endpoint: 'status' }).length).toBeGreaterThanOrEqual(4);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		// The two operations each read the status once when they start (that is what Get Status is
		// for); every call the waiting loop made came after the check_after_secs X gave.
		expect(emulator.requests({ endpoint: 'status' }).slice(2).some((r) => r.early)).toBe(false);
	});

	it('refuses an id that is not 1–19 digits before any request', async () => {
		const result = await run([{ json: { media_id: 'abc' } }], [{ name: 'Status', parameters: { operation: 'getStatus' } }]);
		expect(result.error?.message).toMatch(/abc/);
		expect(emulator.requests()).toHaveLength(0);
	});
});

describe('Get Media', () => {
	it("returns the uploaded video's media object with variants", async () => {
		const result = await run(
			[fileItem(makeMp4(400_000), 'v.mp4')],
			[
				{ name: 'Upload', parameters: { operation: 'upload' } },
				{ name: 'Media', parameters: { operation: 'getMedia' } },
			],
		);
		expect(result.error).toBeUndefined();
		const upload = result.output['Upload'][0].json;
		const [media] = result.output['Media'];
		expect(media.json).toMatchObject({ media_key: upload.media_key, type: 'video' });
		expect(Array.isArray(media.json.variants)).toBe(true);
		expect((media.json.variants as unknown[]).length).toBeGreaterThan(0);
	});

	it('looks up several keys in one batch request', async () => {
		const result = await run(
			[fileItem(makePng(4, 4), 'a.png'), fileItem(makePng(5, 5), 'b.png')],
			[{ name: 'Upload', parameters: { operation: 'upload' } }],
		);
		const keys = result.output['Upload'].map((i) => i.json.media_key).join(',');
		emulator.reset();
		const lookup = await run([{ json: { keys } }], [{ name: 'Media', parameters: { operation: 'getMedia', mediaKey: '={{ $json.keys }}' } }]);
		// The media belong to the first run's emulator state; after reset they are gone: X says so.
		expect(lookup.error?.message).toMatch(/found no media/);
		expect(emulator.requests({ endpoint: 'mediaLookup' })).toHaveLength(1);
		expect(emulator.requests({ endpoint: 'mediaLookup' })[0].path).toBe('/2/media');
	});
});

describe('Continue On Fail', () => {
	it("keeps the other items' posts", async () => {
		const png = makePng(4, 4);
		const upload = await run([fileItem(png, 'a.png')], [{ name: 'Upload', parameters: { operation: 'upload' } }]);
		const id = upload.output['Upload'][0].json.media_id as string;
		const result = await runWorkflow({
			items: [{ json: { media_ids: [id] } }, { json: { media_ids: ['1', '2', '3', '4', '5'] } }, { json: { media_ids: [] } }],
			// Each item its own text: X refuses a text the account already posted.
			nodes: [{ name: 'Post', parameters: { operation: 'createPost', text: '=hello {{ $itemIndex }}' }, continueOnFail: true }],
		});
		expect(result.error).toBeUndefined();
		const out = result.output['Post'];
		expect(out).toHaveLength(3);
		expect(out[0].json.media_ids).toEqual([id]);
		expect(out[1].json.error).toMatch(/4/);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.id).toMatch(/^[0-9]{19}$/);
		expect(emulator.posts()).toHaveLength(2);
	});
});
