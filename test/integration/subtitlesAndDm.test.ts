/**
 * Issue 13: subtitles (with the upload, Add Subtitles, Remove Subtitles) and Send Direct Message
 * with Media, through n8n-core and the emulator, with both credentials.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { oauth1Credentials, oauth2Tokens, userA, userB } from '../emulator';
import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult, TestCredentials, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets, oauth1Data, oauth2Data, sha256 } from '../harness/scenario';
import { makeGif, makeMp4, makePng, makeSrt, makeVtt } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 2 });

type Files = Record<string, { bytes: Buffer; fileName: string }>;

function item(files: Files, json: IDataObject = {}): TestItemSpec {
	const binary: TestItemSpec['binary'] = {};
	for (const [name, f] of Object.entries(files)) binary[name] = { base64: b64(f.bytes), fileName: f.fileName };
	return { json, binary };
}

const video = () => ({ bytes: makeMp4(300_000), fileName: 'clip.mp4' });
const srt = () => ({ bytes: makeSrt(), fileName: 'clip.en.srt' });

async function run(items: TestItemSpec[], nodes: XMediaNodeSpec[], credentials?: TestCredentials): Promise<RunResult> {
	const result = await runWorkflow({ items, nodes, credentials });
	expect(findSecrets(result)).toEqual([]);
	return result;
}

/** Requests that reached the emulator's API (the control API is not recorded). */
const requestCount = () => emulator.requests().length;

describe.each(AUTHENTICATIONS)('subtitles with %s', (authentication) => {
	it('uploads a video with English subtitles: waits for processing, uploads the SRT, attaches it; media_ids holds the video only', async () => {
		const v = video();
		const s = srt();
		const result = await run(
			[item({ data: v, subtitles: s })],
			[
				{
					name: 'Upload',
					parameters: {
						authentication,
						operation: 'upload',
						// Subtitles make the upload wait whatever this says.
						options: { waitForProcessing: false, subtitlesBinaryPropertyName: 'subtitles', subtitlesLanguageCode: 'en-US' },
					},
				},
			],
		);
		expect(result.error).toBeUndefined();
		const [out] = result.output['Upload'];
		const json = out.json;
		expect(json.media_ids).toEqual([json.media_id]);
		expect(json.media_category).toBe('tweet_video');
		const subtitles = json.subtitles as IDataObject[];
		expect(subtitles).toEqual([
			{ media_id: expect.stringMatching(/^[0-9]{19}$/), language_code: 'EN', display_name: 'English', language_code_given: 'en-US' },
		]);
		expect(subtitles[0].media_id).not.toBe(json.media_id);
		// What X holds: the SRT as a subtitles media, attached to the processed video.
		const videoRecord = emulator.media(json.media_id as string)!;
		expect(videoRecord.processing?.state).toBe('succeeded');
		expect(videoRecord.subtitles).toEqual([{ id: subtitles[0].media_id, language_code: 'EN', display_name: 'English' }]);
		const subtitlesRecord = emulator.media(subtitles[0].media_id as string)!;
		expect(subtitlesRecord.category).toBe('subtitles');
		expect(emulator.mediaSha256(subtitlesRecord.id)).toBe(sha256(s.bytes));
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(v.bytes));
		// Order: the video's processing finished before the subtitles were uploaded and attached.
		const endpoints = emulator.requests().map((r) => r.endpoint);
		expect(endpoints.slice(-2)).toEqual(['upload', 'subtitles']);
		expect(endpoints.filter((e) => e === 'status').length).toBeGreaterThanOrEqual(1);
		const attach = emulator.requests({ endpoint: 'subtitles' })[0];
		expect(attach.json).toEqual({
			id: json.media_id,
			media_category: 'TweetVideo',
			subtitles: { id: subtitles[0].media_id, language_code: 'EN', display_name: 'English' },
		});
		// The input's files go on unchanged.
		expect(Object.keys(out.binary ?? {}).sort()).toEqual(['data', 'subtitles']);
		expect(out.binary?.subtitles.fileName).toBe('clip.en.srt');
		expect(out.pairedItem).toEqual({ item: 0 });
	});

	it('Upload → Add Subtitles → Create Post → Remove Subtitles on one item', async () => {
		const result = await run(
			[item({ data: video(), subtitles: { bytes: makeVtt(), fileName: 'clip.es.vtt' } })],
			[
				{ name: 'Upload', parameters: { authentication, operation: 'upload' } },
				{ name: 'Add Subtitles', parameters: { authentication, operation: 'addSubtitles', languageCode: 'es', displayName: 'Español' } },
				{ name: 'Post', parameters: { authentication, operation: 'createPost', text: 'With Spanish subtitles' } },
				{ name: 'Remove', parameters: { authentication, operation: 'removeSubtitles', mediaId: "={{ $('Upload').item.json.media_id }}", languageCode: 'ES' } },
			],
		);
		expect(result.error).toBeUndefined();
		const uploaded = result.output['Upload'][0].json;
		const added = result.output['Add Subtitles'][0].json;
		expect(added).toMatchObject({
			media_id: uploaded.media_id,
			subtitles_media_id: expect.stringMatching(/^[0-9]{19}$/),
			language_code: 'ES',
			display_name: 'Español',
			media_category: 'TweetVideo',
			language_code_given: 'es',
		});
		expect(added.associated_subtitles).toBeDefined();
		expect(emulator.media(added.subtitles_media_id as string)?.category).toBe('subtitles');
		const post = result.output['Post'][0].json;
		expect(post.media_ids).toEqual([uploaded.media_id]);
		expect(emulator.posts()[0].media_ids).toEqual([uploaded.media_id]);
		expect(result.output['Remove'][0].json).toMatchObject({ media_id: uploaded.media_id, language_code: 'ES', deleted: true, media_category: 'TweetVideo' });
		expect(emulator.media(uploaded.media_id as string)?.subtitles).toEqual([]);
		const del = emulator.requests({ endpoint: 'subtitles' }).find((r) => r.method === 'DELETE');
		expect(del?.json).toEqual({ id: uploaded.media_id, language_code: 'ES', media_category: 'TweetVideo' });
	});

	it('Create Post from binary takes the same subtitles fields', async () => {
		const result = await run(
			[item({ data: video(), subs: srt() })],
			[
				{
					name: 'Post',
					parameters: {
						authentication,
						operation: 'createPost',
						text: 'Captioned',
						mediaSource: 'binary',
						additionalFields: { subtitlesBinaryPropertyName: 'subs', subtitlesLanguageCode: 'EN', subtitlesDisplayName: 'English (CC)' },
					},
				},
			],
		);
		expect(result.error).toBeUndefined();
		const post = result.output['Post'][0].json;
		const [videoId] = post.media_ids as string[];
		expect((post.media_ids as string[]).length).toBe(1);
		expect(post.subtitles).toEqual([{ media_id: expect.any(String), language_code: 'EN', display_name: 'English (CC)' }]);
		expect(emulator.media(videoId)?.subtitles).toHaveLength(1);
		const order = emulator.requests().map((r) => r.endpoint);
		expect(order.indexOf('subtitles')).toBeLessThan(order.indexOf('tweets'));
	});
});

describe('subtitles refused before any request', () => {
	it.each<[string, Files, IDataObject, RegExp]>([
		['a subtitles field that holds an image', { data: video(), subtitles: { bytes: makePng(4, 4), fileName: 'x.png' } }, { subtitlesBinaryPropertyName: 'subtitles' }, /not an SRT or WebVTT/],
		['a missing subtitles field', { data: video() }, { subtitlesBinaryPropertyName: 'subtitles' }, /subtitles/i],
		['a three-letter language code', { data: video(), subtitles: srt() }, { subtitlesBinaryPropertyName: 'subtitles', subtitlesLanguageCode: 'eng' }, /two-letter/],
		['subtitles with an image', { data: { bytes: makePng(8, 8), fileName: 'a.png' }, subtitles: srt() }, { subtitlesBinaryPropertyName: 'subtitles' }, /need a video/],
		['a display name without a subtitles field', { data: video() }, { subtitlesDisplayName: 'English' }, /Subtitles Binary Field/],
	])('%s', async (_label, files, options, message) => {
		const result = await run([item(files)], [{ name: 'Upload', parameters: { operation: 'upload', options: options as INodeParameters } }]);
		expect(result.error?.message).toMatch(message);
		expect(requestCount()).toBe(0);
	});

	it('a DM video (X attaches subtitles to tweet_video and amplify_video)', async () => {
		const result = await run(
			[item({ data: video(), subtitles: srt() })],
			[{ name: 'Upload', parameters: { operation: 'upload', mediaCategory: 'dm_video', options: { subtitlesBinaryPropertyName: 'subtitles' } } }],
		);
		expect(result.error?.message).toMatch(/dm_video/);
		expect(requestCount()).toBe(0);
	});

	it.each([
		['a video id with letters', { mediaId: 'abc' }, /abc/],
		['a language code that is not one', { mediaId: '123', languageCode: 'English' }, /two-letter/],
	])('Add Subtitles: %s', async (_label, parameters, message) => {
		const result = await run([item({ subtitles: srt() })], [{ name: 'Add', parameters: { operation: 'addSubtitles', ...parameters } }]);
		expect(result.error?.message).toMatch(message);
		expect(requestCount()).toBe(0);
	});

	it.each([
		['amplify_video', /Video Category" is TweetVideo, but media 1880028106020515840 was uploaded as amplify_video/],
		['dm_video', /Subtitles cannot be attached to dm_video/],
	])('Add and Remove Subtitles: a Video Category that does not fit the %s upload the item names', async (category, message) => {
		const input = item({ subtitles: srt() }, { media_id: '1880028106020515840', media_category: category });
		for (const operation of ['addSubtitles', 'removeSubtitles']) {
			const result = await run([input], [{ name: 'Subtitles', parameters: { operation } }]);
			expect(result.error?.message).toMatch(message);
		}
		expect(requestCount()).toBe(0);
	});

	it('Remove Subtitles: an id that is not 1–19 digits', async () => {
		const result = await run([{ json: { media_id: '12345678901234567890' } }], [{ name: 'Remove', parameters: { operation: 'removeSubtitles' } }]);
		expect(result.error?.message).toMatch(/12345678901234567890/);
		expect(requestCount()).toBe(0);
	});
});

describe('subtitles refused by X', () => {
	it("Add Subtitles to a video that is still processing: X's words, the status", async () => {
		emulator.setProcessing({ steps: 50, checkAfterSecs: 1 });
		const result = await run(
			[item({ data: video(), subtitles: srt() })],
			[
				{ name: 'Upload', parameters: { operation: 'upload', options: { waitForProcessing: false } } },
				{ name: 'Add', parameters: { operation: 'addSubtitles' } },
			],
		);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toMatch(/media subtitles/);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/has not finished processing/);
	});

	it('Continue On Fail: a bad item gets an error item, the next item its subtitles', async () => {
		const upload = await run([item({ data: video() })], [{ name: 'Upload', parameters: { operation: 'upload' } }]);
		const videoId = upload.output['Upload'][0].json.media_id as string;
		const result = await run(
			[item({ subtitles: srt() }, { media_id: 'nope' }), item({ subtitles: srt() }, { media_id: videoId })],
			[{ name: 'Add', parameters: { operation: 'addSubtitles' }, continueOnFail: true }],
		);
		expect(result.error).toBeUndefined();
		const [bad, good] = result.output['Add'];
		expect(bad.json.error).toMatch(/nope/);
		expect(bad.pairedItem).toEqual({ item: 0 });
		expect(good.json).toMatchObject({ media_id: videoId, language_code: 'EN', display_name: 'English' });
		expect(good.pairedItem).toEqual({ item: 1 });
	});
});

// ---------------------------------------------------------------------------------------------

describe.each(AUTHENTICATIONS)('Direct Messages with %s', (authentication) => {
	it('sends an image straight from binary: uploaded as dm_image, then sent to the participant', async () => {
		const png = makePng(40, 30);
		const result = await run(
			[item({ data: { bytes: png, fileName: 'chart.png' } })],
			[{ name: 'DM', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: 'Your chart', mediaSource: 'binary' } }],
		);
		expect(result.error).toBeUndefined();
		const json = result.output['DM'][0].json;
		const conversation = `${userA.id}-${userB.id}`;
		expect(json).toMatchObject({ dm_conversation_id: conversation, dm_event_id: expect.stringMatching(/^[0-9]+$/), participant_id: userB.id, text: 'Your chart' });
		const upload = json.upload as IDataObject;
		expect(upload.media_category).toBe('dm_image');
		expect(json.media_id).toBe(upload.media_id);
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(png));
		const [dm] = emulator.directMessages();
		expect(dm).toMatchObject({ sender_id: userA.id, participant_id: userB.id, media_ids: [json.media_id], text: 'Your chart' });
		expect(dm.body).toEqual({ text: 'Your chart', attachments: [{ media_id: json.media_id }] });
		expect(emulator.requests({ endpoint: 'dmMessages' })[0].path).toBe(`/2/dm_conversations/with/${userB.id}/messages`);
		expect(emulator.requests({ endpoint: 'usersMe' })).toHaveLength(1);
	});

	it('sends a GIF and a video from binary as dm_gif and dm_video, processed before sending', async () => {
		const result = await run(
			[item({ data: { bytes: makeGif({ frames: 3 }), fileName: 'a.gif' } }), item({ data: video() })],
			[{ name: 'DM', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, mediaSource: 'binary' } }],
		);
		expect(result.error).toBeUndefined();
		const [gif, mp4] = result.output['DM'].map((o) => o.json.upload as IDataObject);
		expect(gif.media_category).toBe('dm_gif');
		expect(mp4.media_category).toBe('dm_video');
		expect((mp4.processing_info as IDataObject).state).toBe('succeeded');
		expect(emulator.directMessages().map((m) => m.media_ids[0])).toEqual([gif.media_id, mp4.media_id]);
		// One sender lookup for the whole execution.
		expect(emulator.requests({ endpoint: 'usersMe' })).toHaveLength(1);
		expect(result.output['DM'].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('sends shared DM media by id twice: to the participant, then into the conversation', async () => {
		const result = await run(
			[item({ data: { bytes: makePng(9, 9), fileName: 'p.png' } })],
			[
				{ name: 'Upload', parameters: { authentication, operation: 'upload', mediaCategory: 'dm_image', options: { shared: true } } },
				{ name: 'First', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: 'one' } },
				{
					name: 'Again',
					parameters: {
						authentication,
						operation: 'sendDirectMessage',
						text: 'two',
						mediaIds: "={{ $('Upload').item.json.media_id }}",
						additionalFields: { dmConversationId: '={{ $json.dm_conversation_id }}' },
					},
				},
			],
		);
		expect(result.error).toBeUndefined();
		const mediaId = result.output['Upload'][0].json.media_id;
		expect(emulator.media(mediaId as string)?.shared).toBe(true);
		const again = result.output['Again'][0].json;
		expect(again).toMatchObject({ media_id: mediaId, dm_conversation_id: result.output['First'][0].json.dm_conversation_id });
		expect(emulator.requests({ endpoint: 'dmMessages' }).map((r) => r.path)).toEqual([
			`/2/dm_conversations/with/${userB.id}/messages`,
			`/2/dm_conversations/${userA.id}-${userB.id}/messages`,
		]);
		// Into a conversation, no participant to compare with the sender: no lookup.
		expect(emulator.requests({ endpoint: 'usersMe' })).toHaveLength(1);
	});

	it("X refuses DM media that is not shared a second time: X's words and a hint", async () => {
		const result = await run(
			[item({ data: { bytes: makePng(9, 9), fileName: 'p.png' } })],
			[
				{ name: 'Upload', parameters: { authentication, operation: 'upload', mediaCategory: 'dm_image' } },
				{ name: 'First', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id } },
				{ name: 'Again', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, mediaIds: "={{ $('Upload').item.json.media_id }}" } },
			],
		);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toMatch(/send Direct Message.*not shared/);
		expect(result.error?.description).toMatch(/Shared/);
		expect(emulator.directMessages()).toHaveLength(1);
	});
});

describe('Direct Message rules, checked before any request', () => {
	const dm = (parameters: IDataObject): XMediaNodeSpec => ({ name: 'DM', parameters: { operation: 'sendDirectMessage', participantId: userB.id, ...parameters } });

	it.each<[string, TestItemSpec, IDataObject, RegExp]>([
		['two binary files', item({ a: { bytes: makePng(3, 3), fileName: 'a.png' }, b: { bytes: makePng(4, 4), fileName: 'b.png' } }), { mediaSource: 'binary', binaryPropertyName: 'a, b' }, /one file/],
		['two media ids', { json: { media_ids: ['1880028106020515840', '1880028106020515841'] } }, {}, /one media/],
		['a media id that is not 1–19 digits', { json: { media_id: '12ab' } }, {}, /12ab/],
		['a participant id that is not a user id', { json: {} }, { participantId: 'bob', text: 'hi' }, /bob/],
		['no participant and no conversation', { json: {} }, { participantId: '', text: 'hi' }, /Participant ID/],
		['a conversation id that is not one', { json: {} }, { text: 'hi', additionalFields: { dmConversationId: 'abc def' } }, /conversation id/],
		['no text and no media', { json: {} }, { text: '', mediaIds: '' }, /no text and no media/],
		['a tweet_image id known from the upload output', { json: { media_id: '1880028106020515840', media_category: 'tweet_image' } }, { text: 'x' }, /tweet_image/],
		['a subtitles file from binary', item({ data: srt() }), { mediaSource: 'binary' }, /Direct Message cannot carry/],
	])('%s', async (_label, input, parameters, message) => {
		const result = await run([input], [dm(parameters)]);
		expect(result.error?.message).toMatch(message);
		expect(requestCount()).toBe(0);
	});

	it('a participant that is the sender: one look-up of the sending account, no upload, no message', async () => {
		const result = await run(
			[item({ data: { bytes: makePng(3, 3), fileName: 'a.png' } })],
			[dm({ participantId: userA.id, mediaSource: 'binary' })],
		);
		expect(result.error?.message).toMatch(/sending account itself/);
		expect(emulator.requests().map((r) => r.endpoint)).toEqual(['usersMe']);
	});

	it('Continue On Fail: error items keep their place, the other messages are sent', async () => {
		const result = await run(
			[{ json: { to: userB.id } }, { json: { to: userA.id } }, { json: { to: 'x1' } }, { json: { to: userB.id } }],
			[{ name: 'DM', parameters: { operation: 'sendDirectMessage', participantId: '={{ $json.to }}', text: 'hello', mediaIds: '' }, continueOnFail: true }],
		);
		expect(result.error).toBeUndefined();
		const out = result.output['DM'];
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.dm_event_id).toBeDefined();
		expect(out[1].json.error).toMatch(/sending account itself/);
		expect(out[2].json.error).toMatch(/x1/);
		expect(out[3].json.dm_event_id).toBeDefined();
		expect(emulator.directMessages()).toHaveLength(2);
		expect(emulator.requests({ endpoint: 'usersMe' })).toHaveLength(1);
	});
});

describe('Direct Message permission refused by X', () => {
	it('OAuth 2.0 token without dm.write: 403 naming the dm.write scope', async () => {
		const credentials = { xOAuth2Api: oauth2Data(emulator.baseUrl, oauth2Tokens.userANoDmWrite) };
		const result = await run([{ json: {} }], [{ name: 'DM', parameters: { operation: 'sendDirectMessage', participantId: userB.id, text: 'hi', mediaIds: '' } }], credentials);
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.message).toMatch(/send Direct Message.*Forbidden/);
		expect(result.error?.description).toMatch(/dm\.write/);
		expect(result.error?.description).toMatch(/dm\.read dm\.write/);
	});

	it('OAuth 1.0a app without the Direct Message permission: 403 naming the permission', async () => {
		const token = oauth1Credentials.noDmUserA;
		const credentials = {
			xOAuth1Api: oauth1Data(emulator.baseUrl, { oauthTokenData: { oauth_token: token.accessToken, oauth_token_secret: token.accessTokenSecret, user_id: token.userId } }),
		};
		const result = await run(
			[{ json: {} }],
			[{ name: 'DM', parameters: { authentication: 'oAuth1', operation: 'sendDirectMessage', participantId: userB.id, text: 'hi', mediaIds: '' } }],
			credentials,
		);
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.message).toMatch(/oauth1 app permissions/);
		expect(result.error?.description).toMatch(/Direct message/);
	});
});
