/**
 * Answers that X's published spec (v2.167) allows, read by the node through n8n-core: optional
 * fields absent, ids as X types them, `errors[]` in a success status, X's Problem objects. The
 * emulator answers as X usually does; these answers come from its fault hook, so that the node
 * is held to the spec and not to the emulator's habits.
 */
import type { IDataObject } from 'n8n-workflow';

import { userA, userB } from '../emulator';
import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets } from '../harness/scenario';
import { makeMp4, makePng, makeSrt, makeVtt } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 1 });

async function run(items: TestItemSpec[], nodes: XMediaNodeSpec[]): Promise<RunResult> {
	const result = await runWorkflow({ items, nodes });
	expect(findSecrets(result)).toEqual([]);
	return result;
}

const VIDEO_ID = '1880028106020515840';
const CONVERSATION = `${userA.id}-${userB.id}`;
const INVALID_REQUEST = {
	type: 'https://api.x.com/2/problems/invalid-request',
	title: 'Invalid Request',
	detail: 'One or more parameters to your request was invalid.',
};
const srtItem = (json: IDataObject = { media_id: VIDEO_ID }): TestItemSpec => ({ json, binary: { subtitles: { base64: b64(makeSrt()), fileName: 'clip.en.srt' } } });

describe.each(AUTHENTICATIONS)('Send Direct Message with %s: answers the spec allows', (authentication) => {
	const intoConversation: XMediaNodeSpec = {
		name: 'DM',
		parameters: { authentication, operation: 'sendDirectMessage', text: 'hi', mediaIds: '', additionalFields: { dmConversationId: CONVERSATION } },
	};
	const toParticipant: XMediaNodeSpec = { name: 'DM', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: 'hi', mediaIds: '' } };

	it('no usable GET /2/users/me (404, or no user id): the self-check is skipped and the message is sent', async () => {
		emulator.addFault({ endpoint: 'usersMe', status: 404, body: { title: 'Not Found Error', detail: 'no such route', type: 'about:blank' } });
		const first = await run([{ json: {} }], [toParticipant]);
		expect(first.error).toBeUndefined();
		expect(first.output['DM'][0].json.dm_event_id).toEqual(expect.any(String));
		emulator.addFault({ endpoint: 'usersMe', status: 200, body: { data: {} } });
		const second = await run([{ json: {} }], [toParticipant]);
		expect(second.error).toBeUndefined();
		expect(emulator.directMessages()).toHaveLength(2);
	});

	it('GET /2/users/me refused (401): the refusal is the error, no message is sent', async () => {
		emulator.addFault({ endpoint: 'usersMe', status: 401 });
		const result = await run([{ json: {} }], [toParticipant]);
		// OAuth 1.0a: X's 401. OAuth 2.0: n8n tries to refresh the token, and these test credentials
		// have no refresh token, so n8n stops before sending again: the error says to reconnect.
		expect(result.error?.message).toMatch(authentication === 'oAuth1' ? /HTTP 401/ : /could not authorize the get user request with the X OAuth2 API credential/);
		if (authentication === 'oAuth2') expect(result.error?.description).toMatch(/no refresh token.*connect it again/);
		expect(emulator.directMessages()).toHaveLength(0);
	});

	it('201 with data.dm_event_id only: the message is reported sent, into the conversation it was sent to', async () => {
		emulator.addFault({ endpoint: 'dmMessages', status: 201, body: { data: { dm_event_id: '1880000000000000099' } } });
		const result = await run([{ json: {} }], [intoConversation]);
		expect(result.error).toBeUndefined();
		expect(result.output['DM'][0].json).toMatchObject({ dm_conversation_id: CONVERSATION, dm_event_id: '1880000000000000099', media_id: null, text: 'hi' });
		expect(emulator.requests({ endpoint: 'dmMessages' })).toHaveLength(1);
	});

	it('201 with an empty body object: no error (no second message invited), ids null', async () => {
		emulator.addFault({ endpoint: 'dmMessages', status: 201, body: {} });
		const result = await run([{ json: {} }], [toParticipant]);
		expect(result.error).toBeUndefined();
		expect(result.output['DM'][0].json).toMatchObject({ dm_conversation_id: null, dm_event_id: null, participant_id: userB.id });
	});

	it('ids sent as numbers are output as strings', async () => {
		emulator.addFault({ endpoint: 'dmMessages', status: 201, body: { data: { dm_conversation_id: 42, dm_event_id: 4242 } } });
		const result = await run([{ json: {} }], [toParticipant]);
		expect(result.output['DM'][0].json).toMatchObject({ dm_conversation_id: '42', dm_event_id: '4242' });
	});

	it('201 with errors[] and no data: an error with X\'s words that warns of a second message', async () => {
		emulator.addFault({ endpoint: 'dmMessages', status: 201, body: { errors: [INVALID_REQUEST] } });
		const result = await run([{ json: {} }], [toParticipant]);
		expect(result.error?.message).toMatch(/send Direct Message request has no message ids.*One or more parameters to your request was invalid/);
		expect(result.error?.description).toMatch(/may have been sent/);
		expect(emulator.requests({ endpoint: 'dmMessages' })).toHaveLength(1);
	});

	it('a 400 Problem object: X\'s title and detail, the status, the DM hint', async () => {
		emulator.addFault({ endpoint: 'dmMessages', status: 400, body: { ...INVALID_REQUEST, status: 400 }, headers: { 'content-type': 'application/problem+json' } });
		const result = await run([{ json: {} }], [toParticipant]);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toBe('X refused the send Direct Message request (HTTP 400): Invalid Request: One or more parameters to your request was invalid.');
		expect(result.error?.description).toMatch(/dm_image, dm_gif or dm_video/);
	});
});

describe.each(AUTHENTICATIONS)('Add and Remove Subtitles with %s: answers the spec allows', (authentication) => {
	const add: XMediaNodeSpec = { name: 'Add', parameters: { authentication, operation: 'addSubtitles' } };
	const remove: XMediaNodeSpec = { name: 'Remove', parameters: { authentication, operation: 'removeSubtitles', languageCode: 'fr' } };

	it('POST /2/media/subtitles answered with data but no associated_subtitles: the contract\'s fields', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: { data: { id: VIDEO_ID, media_category: 'TweetVideo' } } });
		const result = await run([srtItem()], [add]);
		expect(result.error).toBeUndefined();
		const json = result.output['Add'][0].json;
		expect(json).toMatchObject({ media_id: VIDEO_ID, subtitles_media_id: expect.stringMatching(/^[0-9]{1,19}$/), language_code: 'EN', display_name: 'English', media_category: 'TweetVideo' });
		expect(json.associated_subtitles).toBeUndefined();
	});

	it('POST /2/media/subtitles answered with {}: a success all the same', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: {} });
		const result = await run([srtItem()], [add]);
		expect(result.error).toBeUndefined();
		expect(result.output['Add'][0].json).toMatchObject({ media_id: VIDEO_ID, language_code: 'EN', display_name: 'English', media_category: 'TweetVideo' });
	});

	it('POST /2/media/subtitles answered 200 with errors[] only: X\'s words', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: { errors: [INVALID_REQUEST] } });
		const result = await run([srtItem()], [add]);
		expect(result.error?.message).toMatch(/media subtitles request has no "data": Invalid Request: One or more parameters/);
	});

	it('DELETE answered { data: { deleted: false } } (nothing in that language): deleted false, no error', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: { data: { deleted: false } } });
		const answered = await run([{ json: { media_id: VIDEO_ID } }], [remove]);
		expect(answered.error).toBeUndefined();
		expect(answered.output['Remove'][0].json).toMatchObject({ media_id: VIDEO_ID, language_code: 'FR', deleted: false, language_code_given: 'fr' });
	});

	it('DELETE answered 200 {}: deleted (X said the request succeeded)', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: {} });
		const result = await run([{ json: { media_id: VIDEO_ID } }], [remove]);
		expect(result.error).toBeUndefined();
		expect(result.output['Remove'][0].json).toMatchObject({ media_id: VIDEO_ID, language_code: 'FR', deleted: true });
	});

	it('DELETE answered 200 with errors[] only: X\'s words', async () => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: { errors: [{ ...INVALID_REQUEST, detail: 'No subtitles in FR' }] } });
		const result = await run([{ json: { media_id: VIDEO_ID } }], [remove]);
		expect(result.error?.message).toMatch(/media subtitles request has no "data.deleted": Invalid Request: No subtitles in FR/);
	});

	it('Remove Subtitles on a real video: the DELETE carries its JSON body (signed and read by the emulator), deleted false for a language never added', async () => {
		const result = await run(
			[{ json: {}, binary: { data: { base64: b64(makeMp4(200_000)), fileName: 'v.mp4' } } }],
			[{ name: 'Upload', parameters: { authentication, operation: 'upload' } }, remove],
		);
		expect(result.error).toBeUndefined();
		const videoId = result.output['Upload'][0].json.media_id;
		expect(result.output['Remove'][0].json).toMatchObject({ media_id: videoId, language_code: 'FR', deleted: false });
		const [del] = emulator.requests({ endpoint: 'subtitles' });
		expect(del.method).toBe('DELETE');
		expect(del.json).toEqual({ id: videoId, language_code: 'FR', media_category: 'TweetVideo' });
		expect(del.status).toBe(200);
		// Sent with the node's own credential and accepted: OAuth 1.0a signed over query + oauth_* only.
		expect(del.contentType).toBe('application/json');
		expect(del.bodySize).toBe(Buffer.byteLength(JSON.stringify(del.json)));
		expect(del.auth).toMatchObject({ scheme: authentication === 'oAuth1' ? 'oauth1' : 'oauth2', valid: true });
	});
});

describe.each(AUTHENTICATIONS)('403 hints name what the spec\'s security asks for, with %s', (authentication) => {
	const FORBIDDEN = { type: 'about:blank', title: 'Forbidden', detail: 'You are not permitted to perform this action.', status: 403 };

	it('Get Media (GET /2/media/{media_key} needs tweet.read, not media.write)', async () => {
		emulator.addFault({ endpoint: 'mediaLookup', status: 403, body: FORBIDDEN });
		const result = await run([{ json: { media_key: '3_1880028106020515840' } }], [{ name: 'Get', parameters: { authentication, operation: 'getMedia' } }]);
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.message).toBe('X refused the media lookup request (HTTP 403): Forbidden: You are not permitted to perform this action.');
		expect(result.error?.description).not.toMatch(/media\.write/);
		if (authentication === 'oAuth2') expect(result.error?.description).toMatch(/tweet\.read/);
		else expect(result.error?.description).toMatch(/not be visible/);
	});

	it('Create Post (POST /2/tweets needs tweet.write, tweet.read and users.read)', async () => {
		emulator.addFault({ endpoint: 'tweets', status: 403, body: FORBIDDEN });
		const result = await run([{ json: {} }], [{ name: 'Post', parameters: { authentication, operation: 'createPost', text: 'hello', mediaIds: '' } }]);
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.description).toMatch(/tweet\.write, tweet\.read and users\.read/);
	});
});

describe.each(AUTHENTICATIONS)('request bodies as the spec has them, with %s', (authentication) => {
	it.each([
		['SRT', 'text/srt', () => makeSrt(), 'clip.en.srt'],
		['WebVTT', 'text/vtt', () => makeVtt(), 'clip.en.vtt'],
	])('the %s file of Add Subtitles goes by the one-request upload: media + media_category subtitles, the part typed %s', async (_label, type, bytes, fileName) => {
		emulator.addFault({ endpoint: 'subtitles', status: 200, body: { data: { id: VIDEO_ID, media_category: 'TweetVideo' } } });
		const result = await run(
			[{ json: { media_id: VIDEO_ID }, binary: { subtitles: { base64: b64(bytes()), fileName } } }],
			[{ name: 'Add', parameters: { authentication, operation: 'addSubtitles' } }],
		);
		expect(result.error).toBeUndefined();
		const [upload] = emulator.requests({ endpoint: 'upload' });
		expect(upload.status).toBe(200);
		expect(upload.multipart?.map((f) => f.name)).toEqual(['media', 'media_category']);
		expect(upload.multipart?.find((f) => f.name === 'media_category')?.value).toBe('subtitles');
		expect(upload.multipart?.find((f) => f.name === 'media')?.contentType).toBe(type);
		expect(emulator.media(result.output['Add'][0].json.subtitles_media_id as string)?.category).toBe('subtitles');
	});

	it('a media-only Direct Message has no text key (the spec\'s text has minLength 1); attachments holds one { media_id }', async () => {
		const result = await run(
			[{ json: {}, binary: { data: { base64: b64(makePng(20, 20)), fileName: 'p.png' } } }],
			[{ name: 'DM', parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, mediaSource: 'binary' } }],
		);
		expect(result.error).toBeUndefined();
		const json = result.output['DM'][0].json;
		expect(emulator.requests({ endpoint: 'dmMessages' })[0].json).toEqual({ attachments: [{ media_id: json.media_id }] });
		expect(emulator.requests({ endpoint: 'upload' })[0].multipart?.map((f) => [f.name, f.value ?? f.contentType])).toEqual([
			['media', 'image/png'],
			['media_category', 'dm_image'],
		]);
	});
});
