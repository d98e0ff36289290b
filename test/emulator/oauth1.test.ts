/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]); the secrets are fake test identities of the local emulator */
import {
	baseStringUri,
	hmacSha1Signature,
	NonceStore,
	parseAuthorizationHeader,
	percentEncode,
	signatureBaseString,
	signOAuth1,
	verifyOAuth1,
} from './oauth1';
import { useEmulator } from '../harness/emulatorSuite';
import { oauth1Credentials, oauth2Tokens } from './testCredentials';
import { buildMultipart, rawRequest, xfetch } from './testHelpers';

/**
 * The worked example of X's "Creating a signature" page
 * (https://docs.x.com/fundamentals/authentication/oauth-1-0a/creating-a-signature, formerly
 * developer.twitter.com/en/docs/authentication/oauth-1-0a/creating-a-signature). The published
 * signature hCtSmYh+iHYCEqBWrE7C7hYmtUk= is for the base URL https://api.twitter.com/1.1/statuses/update.json
 * (the current page text says api.x.com but keeps the old signature; with api.x.com it does not reproduce).
 */
const DOC = {
	consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
	consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
	token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
	tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
	nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
	timestamp: '1318622958',
	url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
	body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
	signature: 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
	baseString:
		'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
};

function docHeader(signature = DOC.signature): string {
	return (
		`OAuth oauth_consumer_key="${DOC.consumerKey}", oauth_nonce="${DOC.nonce}", ` +
		`oauth_signature="${percentEncode(signature)}", oauth_signature_method="HMAC-SHA1", ` +
		`oauth_timestamp="${DOC.timestamp}", oauth_token="${DOC.token}", oauth_version="1.0"`
	);
}

const docSecrets = {
	consumerSecret: (k: string) => (k === DOC.consumerKey ? DOC.consumerSecret : undefined),
	tokenSecret: (t: string) => (t === DOC.token ? DOC.tokenSecret : undefined),
};

describe('OAuth 1.0a signature (pure)', () => {
	it('reproduces the base string and signature of X\'s worked example', () => {
		const pairs: Array<[string, string]> = [
			['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
			['include_entities', 'true'],
			['oauth_consumer_key', DOC.consumerKey],
			['oauth_nonce', DOC.nonce],
			['oauth_signature_method', 'HMAC-SHA1'],
			['oauth_timestamp', DOC.timestamp],
			['oauth_token', DOC.token],
			['oauth_version', '1.0'],
		];
		const base = signatureBaseString('POST', baseStringUri(DOC.url), pairs);
		expect(base).toBe(DOC.baseString);
		expect(hmacSha1Signature(base, DOC.consumerSecret, DOC.tokenSecret)).toBe(DOC.signature);
	});

	it('verifies the documented request (form body signed, query signed)', () => {
		const v = verifyOAuth1({ method: 'POST', url: DOC.url, authorization: docHeader(), formBody: DOC.body }, docSecrets);
		expect(v).toMatchObject({ ok: true, consumerKey: DOC.consumerKey, token: DOC.token, nonce: DOC.nonce, timestamp: 1318622958 });
	});

	it('refuses a tampered body, a different host, and a wrong signature', () => {
		expect(verifyOAuth1({ method: 'POST', url: DOC.url, authorization: docHeader(), formBody: DOC.body.replace('Ladies', 'Lads') }, docSecrets).ok).toBe(false);
		expect(verifyOAuth1({ method: 'POST', url: DOC.url.replace('api.twitter.com', 'api.x.com'), authorization: docHeader(), formBody: DOC.body }, docSecrets).ok).toBe(false);
		expect(verifyOAuth1({ method: 'POST', url: DOC.url, authorization: docHeader('tnnArxj06cWHq44gCs1OSKk/jLY='), formBody: DOC.body }, docSecrets)).toMatchObject({
			ok: false,
			reason: 'signature mismatch',
		});
	});

	it('requires every oauth_* parameter and HMAC-SHA1', () => {
		const without = docHeader().replace(/oauth_nonce="[^"]*", /, '');
		expect(verifyOAuth1({ method: 'POST', url: DOC.url, authorization: without, formBody: DOC.body }, docSecrets)).toMatchObject({ ok: false, reason: 'missing oauth_nonce' });
		const plaintext = docHeader().replace('HMAC-SHA1', 'PLAINTEXT');
		expect(verifyOAuth1({ method: 'POST', url: DOC.url, authorization: plaintext, formBody: DOC.body }, docSecrets).ok).toBe(false);
		const dup = docHeader() + ', oauth_nonce="x"';
		expect(parseAuthorizationHeader(dup).error).toMatch(/duplicate/);
	});

	it('percent-encodes per RFC 3986 (not encodeURIComponent)', () => {
		expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
		expect(percentEncode('a b+c~')).toBe('a%20b%2Bc~');
		expect(percentEncode('☃')).toBe('%E2%98%83');
	});

	it('base string URI drops default ports and lowercases scheme and host', () => {
		expect(baseStringUri('HTTP://Example.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
		expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
	});

	it('NonceStore refuses a nonce reused within the window', () => {
		const s = new NonceStore(1000);
		expect(s.use('c', 't', 'n', 1, 0)).toBe(true);
		expect(s.use('c', 't', 'n', 1, 10)).toBe(false);
		expect(s.use('c', 't', 'n2', 1, 10)).toBe(true);
		expect(s.use('c', 't', 'n', 1, 2000)).toBe(true);
	});
});

describe('OAuth 1.0a over HTTP', () => {
	const emu = useEmulator();

	const sign = (method: string, url: string, extra: { nonce?: string; timestamp?: number; token?: typeof oauth1Credentials.userA; formBody?: string } = {}) =>
		signOAuth1({
			method,
			url,
			consumerKey: oauth1Credentials.consumerKey,
			consumerSecret: oauth1Credentials.consumerSecret,
			token: (extra.token ?? oauth1Credentials.userA).accessToken,
			tokenSecret: (extra.token ?? oauth1Credentials.userA).accessTokenSecret,
			nonce: extra.nonce,
			timestamp: extra.timestamp,
			formBody: extra.formBody,
		});

	it('accepts a signed GET with query parameters and identifies the user', async () => {
		const url = `${emu.baseUrl}/2/users/me?user.fields=created_at,description`;
		const res = await fetch(url, { headers: { authorization: sign('GET', url) } });
		expect(res.status).toBe(200);
		expect(((await res.json()) as { data: { id: string } }).data.id).toBe(oauth1Credentials.userA.userId);
		expect(emu.requests()[0].auth).toEqual({ scheme: 'oauth1', userId: oauth1Credentials.userA.userId, valid: true });
	});

	it('signs the query: a header signed without it is refused with X\'s 401', async () => {
		const url = `${emu.baseUrl}/2/users/me`;
		const res = await fetch(`${url}?user.fields=created_at`, { headers: { authorization: sign('GET', url) } });
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
		expect(emu.requests()[0].auth).toMatchObject({ scheme: 'oauth1', valid: false, reason: 'signature mismatch' });
	});

	it('does not sign JSON or multipart bodies', async () => {
		const url = `${emu.baseUrl}/2/media/upload/initialize`;
		const res = await fetch(url, {
			method: 'POST',
			headers: { authorization: sign('POST', url), 'content-type': 'application/json' },
			body: JSON.stringify({ media_type: 'image/png', total_bytes: 10, media_category: 'tweet_image' }),
		});
		expect(res.status).toBe(200);
		const mp = buildMultipart([
			{ name: 'media', value: Buffer.from('x'), filename: 'a' },
			{ name: 'media_category', value: 'tweet_image' },
		]);
		const up = `${emu.baseUrl}/2/media/upload`;
		const r2 = await fetch(up, { method: 'POST', headers: { authorization: sign('POST', up), 'content-type': mp.contentType }, body: mp.body });
		expect(r2.status).toBe(400); // authenticated; 'x' is not an image
		expect(emu.requests({ endpoint: 'upload' })[0].auth?.valid).toBe(true);
	});

	it('uses the Host header (and its port) in the base string', async () => {
		const url = `${emu.baseUrl}/2/users/me`;
		const other = url.replace('127.0.0.1', 'localhost');
		const wrong = await rawRequest(emu.baseUrl, { method: 'GET', path: '/2/users/me', headers: { authorization: sign('GET', other) } });
		expect(wrong.status).toBe(401);
		const port = new URL(emu.baseUrl).port;
		const right = await rawRequest(emu.baseUrl, { method: 'GET', path: '/2/users/me', headers: { host: `localhost:${port}`, authorization: sign('GET', other) } });
		expect(right.status).toBe(200);
	});

	it('refuses a reused nonce and a stale timestamp', async () => {
		const url = `${emu.baseUrl}/2/users/me`;
		const h = sign('GET', url, { nonce: 'fixed-nonce-1' });
		expect((await fetch(url, { headers: { authorization: h } })).status).toBe(200);
		expect((await fetch(url, { headers: { authorization: h } })).status).toBe(401);
		expect(emu.requests()[1].auth?.reason).toBe('oauth_nonce reused');
		const stale = sign('GET', url, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect((await fetch(url, { headers: { authorization: stale } })).status).toBe(401);
		expect(emu.requests()[2].auth?.reason).toBe('oauth_timestamp out of bounds');
	});

	it('signs form-urlencoded bodies (and then refuses the content type on a JSON endpoint)', async () => {
		const url = `${emu.baseUrl}/2/tweets`;
		const formBody = 'text=hello%20world';
		const good = await fetch(url, { method: 'POST', headers: { authorization: sign('POST', url, { formBody }), 'content-type': 'application/x-www-form-urlencoded' }, body: formBody });
		expect(good.status).toBe(400);
		expect(JSON.stringify(await good.json())).toContain('content-type of application/json');
		const unsigned = await fetch(url, { method: 'POST', headers: { authorization: sign('POST', url), 'content-type': 'application/x-www-form-urlencoded' }, body: formBody });
		expect(unsigned.status).toBe(401);
	});

	it('a token of a read-only app gets X\'s oauth1-permissions 403 on writes, 200 on reads', async () => {
		const url = `${emu.baseUrl}/2/tweets`;
		const res = await fetch(url, {
			method: 'POST',
			headers: { authorization: sign('POST', url, { token: oauth1Credentials.readOnlyUserA }), 'content-type': 'application/json' },
			body: JSON.stringify({ text: 'hi' }),
		});
		expect(res.status).toBe(403);
		expect(((await res.json()) as { type: string }).type).toBe('https://api.x.com/2/problems/oauth1-permissions');
		const me = `${emu.baseUrl}/2/users/me`;
		expect((await fetch(me, { headers: { authorization: sign('GET', me, { token: oauth1Credentials.readOnlyUserA }) } })).status).toBe(200);
	});

	it('unknown consumer or token → 401', async () => {
		const url = `${emu.baseUrl}/2/users/me`;
		const h = signOAuth1({ method: 'GET', url, consumerKey: 'nope', consumerSecret: 'x', token: oauth1Credentials.userA.accessToken, tokenSecret: oauth1Credentials.userA.accessTokenSecret });
		expect((await fetch(url, { headers: { authorization: h } })).status).toBe(401);
		expect((await xfetch(emu.baseUrl, 'GET', '/2/users/me', { auth: { bearer: oauth2Tokens.userA + 'x' } })).status).toBe(401);
	});
});
