/**
 * Issue 20, exactly once: n8n's Retry On Fail (honoured by n8n-core's WorkflowExecute) runs the node
 * again with all of its input items. What the node already finished in the execution — a post, a
 * Direct Message, a finished upload — is not sent again: those items return their first output,
 * and only the rest is done. Faults in the emulator make the Nth request of an endpoint fail once.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets, sha256 } from '../harness/scenario';
import { userB } from '../emulator';
import type { EndpointName } from '../emulator/types';
import { makeMp4, makePng, makeSrt } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 0 });

const MiB = 1024 * 1024;
const RETRY = { retryOnFail: true, maxTries: 2, waitBetweenTries: 50 } as const;

function fileItem(bytes: Buffer, fileName: string, json: IDataObject = {}): TestItemSpec {
	return { json, binary: { data: { base64: b64(bytes), fileName } } };
}

async function run(items: TestItemSpec[], node: XMediaNodeSpec): Promise<RunResult> {
	return await runWorkflow({ items, nodes: [{ name: 'X Media', ...node }] });
}

/**
 * An output with what X assigns anew in every run (ids, media keys, t.co links, expiry times)
 * replaced by its place of first appearance: two runs of the same workflow then compare equal.
 */
function normalized(items: INodeExecutionData[]): unknown {
	const seen = new Map<string, string>();
	const name = (kind: string, value: string) => {
		if (!seen.has(value)) seen.set(value, `<${kind}${seen.size}>`);
		return seen.get(value) as string;
	};
	const walk = (value: unknown): unknown => {
		if (typeof value === 'string') {
			return value
				.replace(/https:\/\/t\.co\/[A-Za-z0-9_-]+/g, (m) => name('link', m))
				.replace(/^\d{4}-\d\d-\d\dT[0-9:.]+Z$/, '<time>')
				.replace(/\b[0-9]+_[0-9]+\b/g, (m) => name('key', m))
				.replace(/\b[0-9]{10,19}\b/g, (m) => name('id', m));
		}
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
		return value;
	};
	return walk(items.map(({ json, pairedItem }) => ({ json, pairedItem })));
}

/** Requests of an endpoint that X answered with success, and those it refused. */
function answered(endpoint: EndpointName) {
	const all = emulator.requests({ endpoint });
	return { ok: all.filter((r) => r.status < 300).length, failed: all.filter((r) => r.status >= 300).length };
}

describe.each(AUTHENTICATIONS)('Retry On Fail does nothing twice (%s)', (authentication) => {
	it('Create Post from binary, 3 items, the 3rd POST /2/tweets fails once: three posts, each made once', async () => {
		const images = [makePng(20, 21), makePng(22, 23), makePng(24, 25)];
		const items = images.map((png, i) => fileItem(png, `img${i}.png`, { caption: `Post number ${i + 1}` }));
		const node: XMediaNodeSpec = {
			parameters: { authentication, operation: 'createPost', text: '={{ $json.caption }}', mediaSource: 'binary', additionalFields: { altText: 'A test image' } },
		};
		const clean = await run(items, { ...node, ...RETRY });
		expect(clean.error).toBeUndefined();
		emulator.reset();

		emulator.addFault({ endpoint: 'tweets', nth: 3, status: 500 });
		const result = await run(items, { ...node, ...RETRY });
		expect(result.error).toBeUndefined();
		const out = result.output['X Media'];
		// n8n ran the node twice (4 POST /2/tweets: 3 made, 1 refused); one run recorded.
		expect(answered('tweets')).toEqual({ ok: 3, failed: 1 });
		expect(result.run.data.resultData.runData['X Media']).toHaveLength(1);
		const posts = emulator.posts();
		expect(posts.map((p) => p.text)).toEqual(['Post number 1', 'Post number 2', 'Post number 3']);
		expect(out.map((o) => o.json.id)).toEqual(posts.map((p) => p.id));
		// Each image uploaded once (3 uploads, 3 alt texts), and posted with its own post.
		expect(answered('upload')).toEqual({ ok: 3, failed: 0 });
		expect(answered('metadata')).toEqual({ ok: 3, failed: 0 });
		expect(emulator.allMedia()).toHaveLength(3);
		out.forEach((o, i) => {
			const [mediaId] = o.json.media_ids as string[];
			expect(emulator.mediaSha256(mediaId)).toBe(sha256(images[i]));
			expect(posts[i].media_ids).toEqual([mediaId]);
		});
		// The output is the one of a run that never failed.
		expect(normalized(out)).toEqual(normalized(clean.output['X Media']));
		expect(findSecrets(result)).toEqual([]);
	});

	it('Create Post combining items: the one post is made once though the node runs twice', async () => {
		const images = [makePng(30, 30), makePng(31, 31)];
		const items = images.map((png, i) => fileItem(png, `c${i}.png`));
		// The post itself is refused once (a 500 after the uploads): the retry posts it, uploads nothing.
		emulator.addFault({ endpoint: 'tweets', nth: 1, status: 500 });
		const result = await run(items, {
			parameters: { authentication, operation: 'createPost', text: 'Two images', mediaSource: 'binary', combineItems: true },
			...RETRY,
		});
		expect(result.error).toBeUndefined();
		expect(answered('tweets')).toEqual({ ok: 1, failed: 1 });
		expect(answered('upload')).toEqual({ ok: 2, failed: 0 });
		expect(emulator.posts()).toHaveLength(1);
		expect(emulator.posts()[0].media_ids).toEqual(result.output['X Media'][0].json.media_ids);
	});

	it('Send Direct Message, the 2nd message fails once: exactly two messages', async () => {
		const items: TestItemSpec[] = [{ json: { text: 'First message' } }, { json: { text: 'Second message' } }];
		const node: XMediaNodeSpec = {
			parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: '={{ $json.text }}' },
			...RETRY,
		};
		const clean = await run(items, node);
		expect(clean.error).toBeUndefined();
		emulator.reset();

		emulator.addFault({ endpoint: 'dmMessages', nth: 2, status: 500 });
		const result = await run(items, node);
		expect(result.error).toBeUndefined();
		expect(answered('dmMessages')).toEqual({ ok: 2, failed: 1 });
		const sent = emulator.directMessages();
		expect(sent.map((m) => m.text)).toEqual(['First message', 'Second message']);
		expect(result.output['X Media'].map((o) => o.json.dm_event_id)).toEqual(sent.map((m) => m.dm_event_id));
		expect(normalized(result.output['X Media'])).toEqual(normalized(clean.output['X Media']));
	});

	it('Send Direct Message from binary, the 2nd message fails once: each file uploaded once, two messages', async () => {
		const items = [fileItem(makePng(26, 26), 'a.png', { text: 'one' }), fileItem(makePng(27, 27), 'b.png', { text: 'two' })];
		emulator.addFault({ endpoint: 'dmMessages', nth: 2, status: 500 });
		const result = await run(items, {
			parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: '={{ $json.text }}', mediaSource: 'binary' },
			...RETRY,
		});
		expect(result.error).toBeUndefined();
		expect(answered('upload')).toEqual({ ok: 2, failed: 0 });
		expect(answered('dmMessages')).toEqual({ ok: 2, failed: 1 });
		expect(emulator.directMessages().map((m) => m.media_ids)).toEqual(result.output['X Media'].map((o) => [o.json.media_id]));
	});

	it('Upload, 3 images, the 3rd upload fails once: exactly three media, each uploaded once', async () => {
		const images = [makePng(40, 40), makePng(41, 41), makePng(42, 42)];
		const items = images.map((png, i) => fileItem(png, `u${i}.png`));
		const node: XMediaNodeSpec = { parameters: { authentication, operation: 'upload' }, ...RETRY };
		const clean = await run(items, node);
		expect(clean.error).toBeUndefined();
		emulator.reset();

		// A 400 the transport does not try again: the node fails at the 3rd file.
		emulator.addFault({ endpoint: 'upload', nth: 3, status: 400, body: { title: 'Invalid Request', detail: 'test: refused once' } });
		const result = await run(items, node);
		expect(result.error).toBeUndefined();
		expect(answered('upload')).toEqual({ ok: 3, failed: 1 });
		expect(emulator.allMedia()).toHaveLength(3);
		const out = result.output['X Media'];
		out.forEach((o, i) => expect(emulator.mediaSha256(o.json.media_id as string)).toBe(sha256(images[i])));
		expect(normalized(out)).toEqual(normalized(clean.output['X Media']));
	});

	it('Upload, 3 videos, the 3rd FINALIZE fails: the retry finalizes the 3rd session, nothing else is sent again', async () => {
		const videos = [makeMp4(2 * MiB + 1), makeMp4(2 * MiB + 2), makeMp4(2 * MiB + 3)];
		const items = videos.map((mp4, i) => fileItem(mp4, `v${i}.mp4`));
		// 5 refusals: more than the transport tries, so the node fails once.
		emulator.addFault({ endpoint: 'finalize', nth: 3, times: 5, status: 503 });
		const result = await run(items, { parameters: { authentication, operation: 'upload', options: { chunkSize: 1 } }, ...RETRY });
		expect(result.error).toBeUndefined();
		expect(answered('initialize')).toEqual({ ok: 3, failed: 0 });
		expect(answered('append')).toEqual({ ok: 9, failed: 0 });
		expect(answered('finalize')).toEqual({ ok: 3, failed: 5 });
		expect(emulator.allMedia()).toHaveLength(3);
		result.output['X Media'].forEach((o, i) => expect(emulator.mediaSha256(o.json.media_id as string)).toBe(sha256(videos[i])));
	});
});

describe('subtitles under Retry On Fail', () => {
	it('the attach fails once: the video and the SRT are not uploaded again, the attach is redone', async () => {
		const mp4 = makeMp4(300_001);
		const srt = makeSrt();
		const items: TestItemSpec[] = [
			{ binary: { data: { base64: b64(mp4), fileName: 'clip.mp4' }, subs: { base64: b64(srt), fileName: 'clip.en.srt' } } },
		];
		emulator.addFault({ endpoint: 'subtitles', nth: 1, status: 400, body: { title: 'Invalid Request', detail: 'test: refused once' } });
		const result = await run(items, {
			parameters: { operation: 'upload', options: { subtitlesBinaryPropertyName: 'subs', subtitlesLanguageCode: 'en' } },
			...RETRY,
		});
		expect(result.error).toBeUndefined();
		expect(answered('initialize')).toEqual({ ok: 1, failed: 0 });
		expect(answered('upload')).toEqual({ ok: 1, failed: 0 });
		expect(answered('subtitles')).toEqual({ ok: 1, failed: 1 });
		const json = result.output['X Media'][0].json;
		const [entry] = json.subtitles as IDataObject[];
		expect(emulator.media(json.media_id as string)?.subtitles).toEqual([{ id: entry.media_id, language_code: 'EN', display_name: 'English' }]);
		expect(emulator.allMedia()).toHaveLength(2);
	});
});

describe('what tells steps apart', () => {
	it('two nodes sending the same message in one execution both send it', async () => {
		const dm = { operation: 'sendDirectMessage', participantId: userB.id, text: 'Same words' };
		const result = await runWorkflow({
			items: [{ json: {} }],
			nodes: [
				{ name: 'First', parameters: dm, ...RETRY },
				{ name: 'Second', parameters: dm, ...RETRY },
			],
		});
		expect(result.error).toBeUndefined();
		expect(emulator.directMessages().map((m) => m.text)).toEqual(['Same words', 'Same words']);
	});

	it('two executions of the same workflow each post', async () => {
		const node: XMediaNodeSpec = { parameters: { operation: 'sendDirectMessage', participantId: userB.id, text: 'Daily note' }, ...RETRY };
		expect((await run([{ json: {} }], node)).error).toBeUndefined();
		expect((await run([{ json: {} }], node)).error).toBeUndefined();
		expect(emulator.directMessages()).toHaveLength(2);
	});

	it('without Retry On Fail nothing is remembered: a failure stays a failure, nothing is replayed', async () => {
		emulator.addFault({ endpoint: 'dmMessages', nth: 2, status: 500 });
		const result = await run([{ json: { t: 'a' } }, { json: { t: 'b' } }], {
			parameters: { operation: 'sendDirectMessage', participantId: userB.id, text: '={{ $json.t }}' },
		});
		expect(result.error?.message).toBeDefined();
		expect(emulator.directMessages().map((m) => m.text)).toEqual(['a']);
	});
});
