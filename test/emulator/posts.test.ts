import { useEmulator } from '../harness/emulatorSuite';
import { oauth2Tokens, userA, userB } from './testCredentials';
import { authB, gif, mp4, oauth1A, png, xfetch, type Auth } from './testHelpers';

describe('POST /2/tweets rules and OAuth 2.0 scopes', () => {
	const emu = useEmulator({ processingSteps: 1 });
	let b: string;
	beforeAll(() => {
		b = emu.baseUrl;
	});

	async function photo(auth?: Auth, owners?: string): Promise<string> {
		const res = await xfetch(b, 'POST', '/2/media/upload', {
			auth,
			multipart: [
				{ name: 'media', value: png(), filename: 'p.png' },
				{ name: 'media_category', value: 'tweet_image' },
				...(owners ? [{ name: 'additional_owners', value: owners }] : []),
			],
		});
		expect(res.status).toBe(200);
		return res.json.data.id;
	}

	async function chunked(type: string, category: string, bytes: Buffer, poll = true): Promise<string> {
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: type, total_bytes: bytes.length, media_category: category } });
		const id = init.json.data.id;
		await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: bytes.toString('base64'), segment_index: 0 } });
		await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		if (poll) await xfetch(b, 'GET', `/2/media/upload?media_id=${id}`);
		return id;
	}

	const post = (body: unknown, auth?: Auth) => xfetch(b, 'POST', '/2/tweets', { json: body, auth });
	const invalidIds = (res: { status: number; json: { errors: Array<{ message: string }> } }) => {
		expect(res.status).toBe(400);
		expect(res.json.errors[0].message).toBe('Your media IDs are invalid.');
	};

	it('posts up to 4 photos and answers 201 with X\'s shape', async () => {
		const ids = [await photo(), await photo(), await photo(), await photo()];
		const res = await post({ text: 'four photos', media: { media_ids: ids } });
		expect(res.status).toBe(201);
		expect(res.json.data.id).toMatch(/^[0-9]{19}$/);
		expect(res.json.data.text).toMatch(/^four photos https:\/\/t\.co\/[A-Za-z0-9_-]{10}$/);
		expect(res.json.data.edit_history_tweet_ids).toEqual([res.json.data.id]);
		expect(emu.posts()).toEqual([expect.objectContaining({ id: res.json.data.id, author_id: userA.id, text: 'four photos', media_ids: ids, auth_scheme: 'oauth2' })]);
		const five = await post({ text: 'five', media: { media_ids: [...ids, await photo()] } });
		expect(five.status).toBe(400);
		expect(five.json.errors[0].message).toBe('$.media.media_ids: there must be a maximum of 4 items in the array');
		expect((await post({ text: 'none', media: { media_ids: [] } })).json.errors[0].message).toBe('$.media.media_ids: there must be a minimum of 1 item in the array');
	});

	it('a GIF or a video stands alone', async () => {
		const g = await chunked('image/gif', 'tweet_gif', gif());
		const v = await chunked('video/mp4', 'tweet_video', mp4(2000));
		const p = await photo();
		expect((await post({ text: 'gif', media: { media_ids: [g] } })).status).toBe(201);
		expect((await post({ text: 'video', media: { media_ids: [v] } })).status).toBe(201);
		invalidIds(await post({ text: 'mix', media: { media_ids: [p, v] } }));
		invalidIds(await post({ text: 'two gifs', media: { media_ids: [g, g] } }));
		invalidIds(await post({ text: 'gif+video', media: { media_ids: [g, v] } }));
	});

	it('media must exist, be processed, unexpired, postable and the poster\'s', async () => {
		const unprocessed = await chunked('video/mp4', 'tweet_video', mp4(2000), false);
		invalidIds(await post({ text: 'too early', media: { media_ids: [unprocessed] } }));
		await xfetch(b, 'GET', `/2/media/upload?command=STATUS&media_id=${unprocessed}`);
		expect((await post({ text: 'now', media: { media_ids: [unprocessed] } })).status).toBe(201);

		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'image/png', total_bytes: 10, media_category: 'tweet_image' } });
		invalidIds(await post({ text: 'not finalized', media: { media_ids: [init.json.data.id] } }));
		invalidIds(await post({ text: 'unknown', media: { media_ids: ['1880028106020515999'] } }));

		const expired = await photo();
		emu.expireMedia(expired);
		invalidIds(await post({ text: 'expired', media: { media_ids: [expired] } }));

		const dm = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: png(), filename: 'p.png' }, { name: 'media_category', value: 'dm_image' }] });
		invalidIds(await post({ text: 'dm media', media: { media_ids: [dm.json.data.id] } }));

		const failing = await chunked('video/mp4', 'tweet_video', Buffer.alloc(500, 1)); // not a video → processing failed
		invalidIds(await post({ text: 'failed', media: { media_ids: [failing] } }));

		const mine = await photo();
		invalidIds(await post({ text: 'not yours', media: { media_ids: [mine] } }, authB));
		const shared = await photo(undefined, userB.id);
		expect((await post({ text: 'additional owner', media: { media_ids: [shared] } }, authB)).status).toBe(201);
		const all = emu.posts();
		expect(all[all.length - 1].author_id).toBe(userB.id);
	});

	it('text rules: required without media, 280 weighted characters, exclusive fields', async () => {
		expect((await post({ text: '' })).status).toBe(400);
		expect((await post({ text: 'a'.repeat(280) })).status).toBe(201);
		const long = await post({ text: 'a'.repeat(281) });
		expect(long.status).toBe(403);
		expect(long.json.detail).toMatch(/^Your Tweet text is too long/);
		expect((await post({ text: '日'.repeat(141) })).status).toBe(403); // CJK weighs 2
		expect((await post({ text: `${'a'.repeat(250)} https://example.com/${'x'.repeat(100)}` })).status).toBe(201); // URL weighs 23
		const p = await photo();
		expect((await post({ media: { media_ids: [p] } })).json.data.text).toMatch(/^https:\/\/t\.co\//);
		expect((await post({ text: 'x', media: { media_ids: [p] }, poll: { options: ['a', 'b'], duration_minutes: 5 } })).status).toBe(400);
		expect((await post({ text: 'x', media: { media_ids: [Number(p)] } })).json.errors[0].message).toBe('$.media.media_ids[0]: integer found, string expected');
	});

	it('OAuth 2.0 scopes: no media.write → 403 on every /2/media* endpoint; text posts still work', async () => {
		const noMedia: Auth = { bearer: oauth2Tokens.userANoMediaWrite };
		const forbidden = { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' };
		const calls = [
			xfetch(b, 'POST', '/2/media/upload/initialize', { auth: noMedia, json: { media_type: 'image/png', total_bytes: 10 } }),
			xfetch(b, 'POST', '/2/media/upload/1/append', { auth: noMedia, json: { media: 'AA==', segment_index: 0 } }),
			xfetch(b, 'POST', '/2/media/upload/1/finalize', { auth: noMedia }),
			xfetch(b, 'GET', '/2/media/upload?media_id=1', { auth: noMedia }),
			xfetch(b, 'POST', '/2/media/upload', { auth: noMedia, multipart: [{ name: 'media', value: png(), filename: 'a' }, { name: 'media_category', value: 'tweet_image' }] }),
			xfetch(b, 'POST', '/2/media/metadata', { auth: noMedia, json: { id: '1' } }),
			xfetch(b, 'POST', '/2/media/subtitles', { auth: noMedia, json: { id: '1' } }),
		];
		for (const res of await Promise.all(calls)) {
			expect(res.status).toBe(403);
			expect(res.json).toEqual(forbidden);
		}
		expect(emu.requests().every((r) => r.auth?.reason === 'missing scope media.write')).toBe(true);
		expect((await post({ text: 'text only' }, noMedia)).status).toBe(201);
		expect(emu.allMedia()).toHaveLength(0);
	});

	it('app-only bearer: refused on user-context endpoints, allowed on media lookup; no auth → 401', async () => {
		const app: Auth = { bearer: oauth2Tokens.appOnly };
		const res = await post({ text: 'x' }, app);
		expect(res.status).toBe(403);
		expect(res.json.type).toBe('https://api.x.com/2/problems/unsupported-authentication');
		expect((await xfetch(b, 'GET', '/2/users/me', { auth: app })).status).toBe(403);
		expect((await xfetch(b, 'GET', '/2/media/3_1', { auth: app })).status).toBe(200);
		const none = await xfetch(b, 'GET', '/2/users/me', { auth: 'none' });
		expect(none.status).toBe(401);
		expect(none.json).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
	});

	it('works the same with OAuth 1.0a', async () => {
		const p = await photo(oauth1A);
		const res = await post({ text: 'via oauth1', media: { media_ids: [p] } }, oauth1A);
		expect(res.status).toBe(201);
		expect(emu.posts()[0]).toMatchObject({ author_id: userA.id, auth_scheme: 'oauth1' });
		const me = await xfetch(b, 'GET', '/2/users/me', { auth: oauth1A });
		expect(me.json).toEqual({ data: { id: userA.id, name: userA.name, username: userA.username } });
	});

	it('refuses a text the account already posted, as X does (403 duplicate content); other accounts and media-only posts may repeat', async () => {
		expect((await post({ text: 'same words' })).status).toBe(201);
		const again = await post({ text: 'same words' }, oauth1A);
		expect(again.status).toBe(403);
		expect(again.json).toEqual({ detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });
		expect((await post({ text: 'same words' }, authB)).status).toBe(201);
		expect((await post({ text: 'same words ' })).status).toBe(201); // X compares the text as sent
		const p = await photo();
		const q = await photo();
		expect((await post({ media: { media_ids: [p] } })).status).toBe(201);
		expect((await post({ media: { media_ids: [q] } })).status).toBe(201);
		expect(emu.posts()).toHaveLength(5);
	});

	it('records reply chains and refuses a reply to a post it does not hold', async () => {
		const other = emu.addPost({ author_id: userB.id, text: 'someone else\'s post' });
		const first = await post({ text: 'one', reply: { in_reply_to_tweet_id: other.id } });
		expect(first.status).toBe(201);
		const second = await post({ text: 'two', reply: { in_reply_to_tweet_id: first.json.data.id } });
		const loose = await post({ text: 'three' });
		const chain = emu.posts().map((p) => [p.id, p.in_reply_to_tweet_id, p.conversation_id]);
		expect(chain).toEqual([
			[other.id, undefined, other.id],
			[first.json.data.id, other.id, other.id],
			[second.json.data.id, first.json.data.id, other.id],
			[loose.json.data.id, undefined, loose.json.data.id],
		]);
		const missing = await post({ text: 'to nowhere', reply: { in_reply_to_tweet_id: '1234567890123456789' } });
		expect(missing.status).toBe(403);
		expect(missing.json.detail).toBe('You attempted to reply to a Tweet that is deleted or not visible to you.');
		expect(emu.posts()).toHaveLength(4);
	});

	it('unknown routes get a 404 problem', async () => {
		const res = await xfetch(b, 'POST', '/1.1/media/upload.json', { json: {} });
		expect(res.status).toBe(404);
		expect(res.json).toMatchObject({ title: 'Not Found Error', status: 404 });
		expect((await xfetch(b, 'GET', '/2/tweets')).status).toBe(404);
	});
});
