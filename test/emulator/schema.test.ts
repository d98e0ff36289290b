/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

import { componentSchema, openApiSubset, validateQuery, validateRequestBody, validateResponseBody, validateSchema } from './schema';
import { useEmulator } from '../harness/emulatorSuite';
import { oauth2Tokens, userB } from './testCredentials';
import { authA, gif, mp4, png, xfetch } from './testHelpers';

const INVALID_REQUEST = {
	title: 'Invalid Request',
	detail: 'One or more parameters to your request was invalid.',
	type: 'https://api.x.com/2/problems/invalid-request',
};

describe('OpenAPI subset', () => {
	it('is X\'s spec 2.167 with its source noted, and every $ref resolves', () => {
		const spec = openApiSubset();
		expect(spec.info.version).toBe('2.167');
		expect(spec['x-source']).toMatch(/xdevplatform\/xdk specs\/openapi\.json.*extract-openapi-subset\.ts/s);
		expect(spec.components.securitySchemes.OAuth2UserToken).toBeDefined();
		const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
		for (const r of refs) {
			const ref = r.slice(8, -1);
			const parts = ref.slice(2).split('/');
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			expect(parts.reduce((n: any, p) => n?.[p], spec)).toBeDefined();
		}
	});
});

describe('schema validator (X-style messages)', () => {
	it('reports type, additionalProperties, enum, bounds, arrays', () => {
		expect(validateRequestBody('/2/media/upload/initialize', 'post', { total_bytes: '10' })).toEqual(['$.total_bytes: string found, integer expected']);
		expect(validateRequestBody('/2/media/upload/initialize', 'post', { media_type: 'image/png', shared: 'true', foo: 1 })).toEqual([
			'$.shared: string found, boolean expected',
			'$.foo: is not defined in the schema and the schema does not allow additional properties',
		]);
		expect(validateRequestBody('/2/media/upload/initialize', 'post', { media_category: 'TweetVideo' })[0]).toMatch(
			/^\$\.media_category: does not have a value in the enumeration \[amplify_video, tweet_gif/,
		);
		expect(validateRequestBody('/2/media/upload/{id}/append', 'post', { media: 'AA==', segment_index: 1000 })).toEqual(['$.segment_index: must have a maximum value of 999']);
		expect(validateRequestBody('/2/tweets', 'post', { text: 'x', media: { media_ids: [] } })).toEqual(['$.media.media_ids: there must be a minimum of 1 item in the array']);
		expect(validateRequestBody('/2/tweets', 'post', { media: { media_ids: ['1', '2', '3', '4', '5'] } })).toEqual([
			'$.media.media_ids: there must be a maximum of 4 items in the array',
		]);
		expect(validateRequestBody('/2/tweets', 'post', { media: { media_ids: [1] } })).toEqual(['$.media.media_ids[0]: integer found, string expected']);
		expect(validateRequestBody('/2/media/metadata', 'post', { id: '1', metadata: { alt_text: { text: 'a'.repeat(1001) } } })).toEqual([
			'$.metadata.alt_text.text: may only be 1000 characters long',
		]);
		expect(validateRequestBody('/2/media/metadata', 'post', { metadata: {} })).toEqual(['$.id: is missing but it is required']);
	});

	it('validates query parameters like X (unknown names, required, enums, patterns)', () => {
		expect(validateQuery('/2/media/upload', 'get', { media_id: ['123'], command: ['STATUS'] })).toEqual([]);
		expect(validateQuery('/2/media/upload', 'get', { media_id: ['123'], command: ['INIT'] })[0].message).toBe(
			'The `command` query parameter value [INIT] is not one of [STATUS]',
		);
		expect(validateQuery('/2/media/upload', 'get', { command: ['STATUS'] })[0].message).toBe('The `media_id` query parameter can not be empty');
		expect(validateQuery('/2/media/upload', 'get', { media_id: ['1'], foo: ['bar'] })[0]).toEqual({
			parameters: { foo: ['bar'] },
			message: 'The query parameter [foo] is not one of [media_id,command]',
		});
		expect(validateQuery('/2/media', 'get', { media_keys: ['3_1,x'], 'media.fields': ['width,nope'] }).map((e) => e.message)).toEqual([
			'The `media_keys` query parameter value [x] does not match ^([0-9]+)_([0-9]+)$',
			expect.stringMatching(/^The `media.fields` query parameter value \[nope\] is not one of \[alt_text,duration_ms/),
		]);
	});

	const ajvPath = path.join(__dirname, '..', '..', 'node_modules', 'ajv', 'dist', '2019.js');
	const haveAjv8 = existsSync(ajvPath);
	(haveAjv8 ? it : it.skip)('agrees with ajv 8 on valid/invalid for a set of request bodies', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const Ajv = require('ajv').default;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const addFormats = require('ajv-formats').default ?? require('ajv-formats');
		const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false });
		addFormats(ajv);
		const spec = openApiSubset();
		ajv.addSchema({ components: spec.components }, 'spec');
		const refTo = (name: string) => ({ $ref: `spec#/components/schemas/${name}` });
		const cases: Array<[string, unknown]> = [
			['InitializeMediaUploadRequest', { media_type: 'video/mp4', total_bytes: 10, media_category: 'tweet_video', additional_owners: ['1'], shared: false }],
			['InitializeMediaUploadRequest', { media_type: 'video/mp4', total_bytes: -1 }],
			['InitializeMediaUploadRequest', { media_type: 'video/avi' }],
			['InitializeMediaUploadRequest', { additional_owners: ['12345678901234567890'] }],
			['InitializeMediaUploadRequest', { additional_owners: '1,2' }],
			['MediaUploadRequest', { media: 'AAAA', media_category: 'tweet_image', additional_owners: '1,2' }],
			['MediaUploadRequest', { media: 'AAAA', media_category: 'tweet_image', shared: true }],
			['MediaUploadRequest', { media: 'AAAA', media_category: 'amplify_video' }],
			['MediaUploadRequest', { media_category: 'tweet_image' }],
			['AppendMediaUploadRequest', { media: 'AAAA', segment_index: 0 }],
			['AppendMediaUploadRequest', { media: 'AAAA', segment_index: '0' }],
			['AppendMediaUploadRequest', { media: 'AAAA', segment_index: -1 }],
			['CreatePostsRequest', { text: 'hi', media: { media_ids: ['1'], tagged_user_ids: ['2'] } }],
			['CreatePostsRequest', { text: 'hi', media: { media_ids: ['1'], extra: 1 } }],
			['CreatePostsRequest', { text: 'hi', poll: { options: ['a'], duration_minutes: 5 } }],
			['CreatePostsRequest', { text: 'hi', reply: { in_reply_to_tweet_id: 'abc' } }],
			['CreatePostsRequest', { text: 5 }],
			['CreateMediaMetadataRequest', { id: '1', metadata: { alt_text: { text: 'ok' } } }],
			['CreateMediaMetadataRequest', { id: '1', metadata: { alt_text: {} } }],
			['CreateMediaSubtitlesRequest', { id: '1', media_category: 'TweetVideo', subtitles: { id: '2', language_code: 'en' } }],
			['DeleteMediaSubtitlesRequest', { id: '1', language_code: 'EN' }],
		];
		for (const [name, body] of cases) {
			const ours = validateSchema(componentSchema(name), body).length === 0;
			const theirs = ajv.validate(refTo(name), body) as boolean;
			expect({ name, body, valid: ours }).toEqual({ name, body, valid: theirs });
		}
	});
});

describe('validation over HTTP: X\'s 400 shape', () => {
	const emu = useEmulator({ processingSteps: 1 });

	const expect400 = (res: { status: number; json: unknown; headers: Headers }, message: string | RegExp) => {
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toBe('application/problem+json');
		expect(res.json).toMatchObject(INVALID_REQUEST);
		const messages = (res.json as { errors: Array<{ message: string }> }).errors.map((e) => e.message);
		expect(messages).toContainEqual(typeof message === 'string' ? message : expect.stringMatching(message));
	};

	it('initialize: total_bytes as a string, an unknown property, a category not in the enum', async () => {
		const b = emu.baseUrl;
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: '1000', media_category: 'tweet_video' } }), '$.total_bytes: string found, integer expected');
		expect400(
			await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 1000, media_category: 'tweet_video', command: 'INIT' } }),
			'$.command: is not defined in the schema and the schema does not allow additional properties',
		);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 1000, media_category: 'TweetVideo' } }), /^\$\.media_category: does not have a value/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 1000, additional_owners: '1,2' } }), '$.additional_owners: string found, array expected');
		expect(emu.allMedia()).toHaveLength(0);
	});

	it('initialize: per-category size limits, type/category mismatch, JSON only', async () => {
		const b = emu.baseUrl;
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'image/png', total_bytes: 5 * 1024 * 1024 + 1, media_category: 'tweet_image' } }), /exceeds the 5242880 byte limit/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'image/gif', total_bytes: 15 * 1024 * 1024 + 1, media_category: 'tweet_gif' } }), /15728640/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 512 * 1024 * 1024 + 1, media_category: 'dm_video' } }), /536870912/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 8 * 1024 * 1024 * 1024 + 1, media_category: 'tweet_video' } }), /8589934592/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'text/srt', total_bytes: 1024 * 1024 + 1, media_category: 'subtitles' } }), /1048576/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 10, media_category: 'tweet_image' } }), /not valid for media_category tweet_image/);
		expect400(await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { total_bytes: 10 } }), '$.media_type: is missing but it is required');
		expect400(
			await xfetch(b, 'POST', '/2/media/upload/initialize', { body: 'media_type=video%2Fmp4&total_bytes=10', contentType: 'application/x-www-form-urlencoded' }),
			'Requests with bodies must have content-type of application/json.',
		);
		emu.setOptions({ premiumUserIds: ['1880000000000000001'] });
		const big = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 16 * 1024 * 1024 * 1024, media_category: 'tweet_video' } });
		expect(big.status).toBe(200);
		const bigDm = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 1024 * 1024 * 1024 + 1, media_category: 'dm_video' } });
		expect(bigDm.status).toBe(400);
		emu.setOptions({ premiumUserIds: [] });
	});

	it('append: segment_index 1000 (multipart and JSON) and a missing media part', async () => {
		const b = emu.baseUrl;
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 10, media_category: 'tweet_video' } });
		const id = init.json.data.id as string;
		expect400(
			await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { multipart: [{ name: 'segment_index', value: '1000' }, { name: 'media', value: Buffer.alloc(10), filename: 'c' }] }),
			'$.segment_index: must have a maximum value of 999',
		);
		expect400(await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: Buffer.alloc(10).toString('base64'), segment_index: 1000 } }), '$.segment_index: must have a maximum value of 999');
		expect400(await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { multipart: [{ name: 'segment_index', value: 'one' }, { name: 'media', value: Buffer.alloc(10), filename: 'c' }] }), '$.segment_index: string found, integer expected');
		expect400(await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { multipart: [{ name: 'segment_index', value: '0' }] }), '$.media: is missing but it is required');
		expect400(
			await xfetch(b, 'POST', `/2/media/upload/${id}/append`, {
				multipart: [
					{ name: 'segment_index', value: '0' },
					{ name: 'media_data', value: 'AAAA' },
				],
			}),
			'$.media_data: is not defined in the schema and the schema does not allow additional properties',
		);
		expect400(await xfetch(b, 'POST', '/2/media/upload/abc/append', { json: { media: 'AA==', segment_index: 0 } }), 'The `id` path parameter value [abc] does not match ^[0-9]{1,19}$');
		expect(emu.media(id)!.segments).toEqual([]);
	});

	it('one-shot: media_type, shared and array additional_owners are refused (spec 2.167)', async () => {
		const b = emu.baseUrl;
		const file = { name: 'media', value: png(), filename: 'a.png', contentType: 'image/png' };
		expect400(
			await xfetch(b, 'POST', '/2/media/upload', { multipart: [file, { name: 'media_category', value: 'tweet_image' }, { name: 'media_type', value: 'image/png' }] }),
			'$.media_type: is not defined in the schema and the schema does not allow additional properties',
		);
		expect400(
			await xfetch(b, 'POST', '/2/media/upload', { multipart: [file, { name: 'media_category', value: 'tweet_image' }, { name: 'shared', value: 'true' }] }),
			'$.shared: is not defined in the schema and the schema does not allow additional properties',
		);
		expect400(await xfetch(b, 'POST', '/2/media/upload', { json: { media: png().toString('base64'), media_category: 'tweet_image', additional_owners: ['1'] } }), '$.additional_owners: array found, string expected');
		expect400(await xfetch(b, 'POST', '/2/media/upload', { multipart: [file] }), '$.media_category: is missing but it is required');
		expect400(await xfetch(b, 'POST', '/2/media/upload?command=INIT', { multipart: [file, { name: 'media_category', value: 'tweet_image' }] }), 'The query parameter [command] is not one of []');
		expect(emu.allMedia()).toHaveLength(0);
	});

	it('status: unknown query parameters and a bad command', async () => {
		expect400(await xfetch(emu.baseUrl, 'GET', '/2/media/upload?command=STATUS&media_id=1&foo=1'), 'The query parameter [foo] is not one of [media_id,command]');
		expect400(await xfetch(emu.baseUrl, 'GET', '/2/media/upload?command=status&media_id=1'), 'The `command` query parameter value [status] is not one of [STATUS]');
	});

	it('answers conform to the spec\'s response schemas', async () => {
		const b = emu.baseUrl;
		const check = (specPath: string, method: string, res: { status: number; json: unknown }) => expect(validateResponseBody(specPath, method, res.status, res.json)).toEqual([]);
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 2000, media_category: 'tweet_video' } });
		check('/2/media/upload/initialize', 'post', init);
		const id = init.json.data.id;
		const app = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { multipart: [{ name: 'segment_index', value: '0' }, { name: 'media', value: mp4(2000), filename: 'c' }] });
		check('/2/media/upload/{id}/append', 'post', app);
		const fin = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		check('/2/media/upload/{id}/finalize', 'post', fin);
		const st = await xfetch(b, 'GET', `/2/media/upload?command=STATUS&media_id=${id}`);
		check('/2/media/upload', 'get', st);
		const one = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: gif(), filename: 'a.gif' }, { name: 'media_category', value: 'tweet_image' }] });
		check('/2/media/upload', 'post', one);
		const md = await xfetch(b, 'POST', '/2/media/metadata', { json: { id: one.json.data.id, metadata: { alt_text: { text: 'a cat' } } } });
		check('/2/media/metadata', 'post', md);
		const post = await xfetch(b, 'POST', '/2/tweets', { json: { text: 'hi', media: { media_ids: [id] } } });
		check('/2/tweets', 'post', post);
		const me = await xfetch(b, 'GET', '/2/users/me', { auth: authA });
		check('/2/users/me', 'get', me);
		const lookup = await xfetch(b, 'GET', `/2/media?media_keys=${fin.json.data.media_key},3_1&media.fields=variants,duration_ms,public_metrics,alt_text,width,height`, {
			auth: { bearer: oauth2Tokens.appOnly },
		});
		check('/2/media', 'get', lookup);
		const single = await xfetch(b, 'GET', `/2/media/${one.json.data.media_key}?media.fields=url,alt_text`);
		check('/2/media/{media_key}', 'get', single);
		expect(single.json.data.alt_text).toBe('a cat');
	});

	it("subtitles and Direct Message answers conform to the spec's response schemas", async () => {
		const b = emu.baseUrl;
		const check = (specPath: string, method: string, res: { status: number; json: unknown }) => expect(validateResponseBody(specPath, method, res.status, res.json)).toEqual([]);
		emu.setOptions({ processingSteps: 0 });
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 2000, media_category: 'tweet_video' } });
		const video = init.json.data.id;
		await xfetch(b, 'POST', `/2/media/upload/${video}/append`, { multipart: [{ name: 'segment_index', value: '0' }, { name: 'media', value: mp4(2000), filename: 'c' }] });
		await xfetch(b, 'POST', `/2/media/upload/${video}/finalize`);
		const srt = Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nHello\n');
		const sub = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: srt, filename: 'a.srt' }, { name: 'media_category', value: 'subtitles' }] });
		check('/2/media/upload', 'post', sub);
		const add = await xfetch(b, 'POST', '/2/media/subtitles', { json: { id: video, media_category: 'TweetVideo', subtitles: { id: sub.json.data.id, language_code: 'EN', display_name: 'English' } } });
		expect(add.status).toBe(200);
		check('/2/media/subtitles', 'post', add);
		const del = await xfetch(b, 'DELETE', '/2/media/subtitles', { json: { id: video, language_code: 'EN', media_category: 'TweetVideo' } });
		expect(del.json).toEqual({ data: { deleted: true } });
		check('/2/media/subtitles', 'delete', del);
		const image = await xfetch(b, 'POST', '/2/media/upload', { multipart: [{ name: 'media', value: png(), filename: 'p.png' }, { name: 'media_category', value: 'dm_image' }] });
		const dm = await xfetch(b, 'POST', `/2/dm_conversations/with/${userB.id}/messages`, { json: { attachments: [{ media_id: image.json.data.id }] }, auth: authA });
		expect(dm.status).toBe(201);
		check('/2/dm_conversations/with/{participant_id}/messages', 'post', dm);
		const into = await xfetch(b, 'POST', `/2/dm_conversations/${dm.json.data.dm_conversation_id}/messages`, { json: { text: 'hi' }, auth: authA });
		expect(into.status).toBe(201);
		check('/2/dm_conversations/{dm_conversation_id}/messages', 'post', into);
	});

	it("Direct Message bodies as the spec has them: text or attachments, text at least 1 character, no other field", async () => {
		const b = emu.baseUrl;
		const send = (json: unknown) => xfetch(b, 'POST', `/2/dm_conversations/with/${userB.id}/messages`, { json, auth: authA });
		expect400(await send({}), /^\$: should be valid to any of the schemas/);
		expect400(await send({ text: '' }), '$.text: must be at least 1 character long');
		expect400(await send({ text: 'hi', media_id: '1' }), /^\$\.media_id: is not defined in the schema/);
		expect400(await send({ attachments: [{ media_id: 'abc' }] }), /^\$\.attachments\[0\]\.media_id: does not match the regex pattern/);
		expect(emu.directMessages()).toHaveLength(0);
	});
});
