import { useEmulator } from '../harness/emulatorSuite';
import { oauth1Credentials, oauth2Tokens, userA, userB } from './testCredentials';
import { authB, mp4, png, xfetch, type Auth } from './testHelpers';

/** The emulator's Direct Message endpoints and the subtitles rules, under the spec's schemas and scopes. */
describe('Direct Messages and subtitles', () => {
	const emu = useEmulator({ processingSteps: 1 });
	let b: string;
	beforeAll(() => {
		b = emu.baseUrl;
	});

	async function simple(category: string, auth?: Auth, bytes = png(), filename = 'p.png'): Promise<string> {
		const res = await xfetch(b, 'POST', '/2/media/upload', {
			auth,
			multipart: [
				{ name: 'media', value: bytes, filename },
				{ name: 'media_category', value: category },
			],
		});
		expect(res.status).toBe(200);
		return res.json.data.id;
	}

	async function chunked(type: string, category: string, bytes: Buffer, opts: { poll?: boolean; shared?: boolean } = {}): Promise<string> {
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', {
			json: { media_type: type, total_bytes: bytes.length, media_category: category, ...(opts.shared ? { shared: true } : {}) },
		});
		const id = init.json.data.id;
		await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: bytes.toString('base64'), segment_index: 0 } });
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		if (opts.poll !== false) await xfetch(b, 'GET', `/2/media/upload?media_id=${id}`);
		return id;
	}

	const send = (to: string, body: unknown, auth?: Auth) => xfetch(b, 'POST', `/2/dm_conversations/with/${to}/messages`, { json: body, auth });
	const sendInto = (conversation: string, body: unknown, auth?: Auth) => xfetch(b, 'POST', `/2/dm_conversations/${conversation}/messages`, { json: body, auth });
	const message = (res: { json: { errors: Array<{ message: string }> } }) => res.json.errors[0].message;

	it('sends DM media to a participant and into the conversation: 201 with X\'s shape', async () => {
		const id = await simple('dm_image');
		const res = await send(userB.id, { text: 'hi', attachments: [{ media_id: id }] });
		expect(res.status).toBe(201);
		expect(res.json.data).toEqual({ dm_conversation_id: `${userA.id}-${userB.id}`, dm_event_id: expect.stringMatching(/^[0-9]+$/) });
		const again = await sendInto(res.json.data.dm_conversation_id, { text: 'text only' });
		expect(again.status).toBe(201);
		// B answers in the same conversation.
		expect((await sendInto(res.json.data.dm_conversation_id, { text: 'hello back' }, authB)).status).toBe(201);
		expect(emu.directMessages().map((m) => [m.sender_id, m.media_ids])).toEqual([
			[userA.id, [id]],
			[userA.id, []],
			[userB.id, []],
		]);
	});

	it('validates the body against the spec: text or attachments, nothing else', async () => {
		expect((await send(userB.id, {})).status).toBe(400);
		expect((await send(userB.id, { text: '' })).status).toBe(400);
		expect((await send(userB.id, { text: 'x', media_ids: ['1'] })).status).toBe(400);
		expect((await send(userB.id, { attachments: [{ media_id: 'abc' }] })).status).toBe(400);
		expect((await send('not-a-user', { text: 'x' })).status).toBe(400);
		expect(emu.directMessages()).toHaveLength(0);
	});

	it('refuses post media, unprocessed media, media of another user, two attachments and media sent twice unless shared', async () => {
		const tweetImage = await simple('tweet_image');
		expect(message(await send(userB.id, { attachments: [{ media_id: tweetImage }] }))).toMatch(/^Invalid Media ID of category TweetImage/);
		const pending = await chunked('video/mp4', 'dm_video', mp4(4096), { poll: false });
		expect(message(await send(userB.id, { attachments: [{ media_id: pending }] }))).toMatch(/has not finished processing/);
		const ofB = await simple('dm_image', authB);
		expect(message(await send(userB.id, { attachments: [{ media_id: ofB }] }))).toMatch(/is invalid or has expired/);
		const one = await simple('dm_image');
		const two = await simple('dm_image');
		expect(message(await send(userB.id, { attachments: [{ media_id: one }, { media_id: two }] }))).toMatch(/at most 1 attachment/);
		expect((await send(userB.id, { attachments: [{ media_id: one }] })).status).toBe(201);
		expect(message(await send(userB.id, { attachments: [{ media_id: one }] }))).toMatch(/not shared/);
		const shared = await chunked('image/png', 'dm_image', png(), { shared: true });
		expect((await send(userB.id, { attachments: [{ media_id: shared }] })).status).toBe(201);
		expect((await send(userB.id, { attachments: [{ media_id: shared }] })).status).toBe(201);
	});

	it('refuses a message to yourself and a conversation you are not in', async () => {
		expect(message(await send(userA.id, { text: 'me' }))).toMatch(/yourself/);
		expect(message(await sendInto('1-2', { text: 'x' }))).toMatch(/Could not find a conversation/);
		expect(message(await sendInto('1582838803000000000', { text: 'x' }))).toMatch(/Could not find a conversation/);
	});

	it('needs dm.write, tweet.read and users.read (OAuth 2.0) or the Direct Message permission (OAuth 1.0a)', async () => {
		const noDm = await send(userB.id, { text: 'x' }, { bearer: oauth2Tokens.userANoDmWrite });
		expect(noDm.status).toBe(403);
		expect(noDm.json).toMatchObject({ title: 'Forbidden', detail: 'Forbidden' });
		const oauth1NoDm = await send(userB.id, { text: 'x' }, { oauth1: oauth1Credentials.noDmUserA });
		expect(oauth1NoDm.status).toBe(403);
		expect(oauth1NoDm.json.type).toBe('https://api.x.com/2/problems/oauth1-permissions');
		expect((await send(userB.id, { text: 'x' }, { oauth1: oauth1Credentials.userA })).status).toBe(201);
	});

	it('attaches subtitles only to a processed video', async () => {
		const subtitles = await simple('subtitles', undefined, Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nHi\n'), 's.srt');
		const pending = await chunked('video/mp4', 'tweet_video', mp4(4096), { poll: false });
		const attach = (id: string, sub = subtitles) =>
			xfetch(b, 'POST', '/2/media/subtitles', { json: { id, media_category: 'TweetVideo', subtitles: { id: sub, language_code: 'EN', display_name: 'English' } } });
		expect(message(await attach(pending))).toMatch(/has not finished processing/);
		await xfetch(b, 'GET', `/2/media/upload?media_id=${pending}`);
		expect((await attach(pending)).status).toBe(200);
		const image = await simple('tweet_image');
		expect(message(await attach(pending, image))).toMatch(/invalid/);
	});
});
