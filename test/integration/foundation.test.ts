/**
 * Issue 2: requests signed by n8n itself with each credential type reach the emulator and are
 * accepted; credential problems, retries and rate limits end the way a person needs.
 */
import { oauth1Credentials, oauth2RefreshTokens, oauth2Tokens } from '../emulator';
import { emulatorSuite } from '../harness/emulatorSuite';
import { AUTHENTICATIONS, b64, findSecrets, oauth1Data, oauth2Data } from '../harness/scenario';
import { makeMp4, makePng } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite();

const png = makePng(16, 16);
const pngItems = [{ binary: { data: { base64: b64(png), fileName: 'pixel.png', mimeType: 'image/png' } } }];
const uploadNode = (authentication: string) => ({ parameters: { authentication, operation: 'upload' } });

describe.each(AUTHENTICATIONS)('with %s', (authentication) => {
	it('sends requests that n8n signed and the emulator accepts', async () => {
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode(authentication)],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output['X Media'];
		expect(item.json.media_id).toMatch(/^[0-9]{19}$/);
		const requests = emulator.requests();
		expect(requests).toHaveLength(1);
		expect(requests[0].auth).toMatchObject({
			scheme: authentication === 'oAuth1' ? 'oauth1' : 'oauth2',
			valid: true,
		});
	});

	it('retries a 503 and succeeds', async () => {
		emulator.addFault({ endpoint: 'upload', nth: 1, status: 503 });
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode(authentication)],
		});
		expect(result.error).toBeUndefined();
		const statuses = emulator.requests({ endpoint: 'upload' }).map((r) => r.status);
		expect(statuses).toEqual([503, 200]);
		expect(result.output['X Media'][0].json.media_id).toMatch(/^[0-9]{19}$/);
	});

	it('waits for the rate-limit reset X gives on a 429, then succeeds', async () => {
		emulator.addFault({ endpoint: 'upload', nth: 1, status: 429, rateLimitResetInSecs: 2 });
		const started = Date.now();
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode(authentication)],
		});
		expect(result.error).toBeUndefined();
		const [first, second] = emulator.requests({ endpoint: 'upload' });
		expect(first.status).toBe(429);
		expect(second.status).toBe(200);
		// The reset is 2 s ahead in whole epoch seconds: the retry waited for it (at least ~1 s),
		// instead of an immediate backoff.
		expect(second.startedAt - (first.endedAt ?? first.startedAt)).toBeGreaterThanOrEqual(1000);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});
});

describe('credential problems', () => {
	it('refuses a wrong OAuth1 consumer secret with an actionable 401 error that carries no secret', async () => {
		const wrongSecret = 'WrongConsumerSecretWrongConsumerSecretWrongConsume';
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode('oAuth1')],
			credentials: { xOAuth1Api: oauth1Data(emulator.baseUrl, { consumerSecret: wrongSecret }) },
		});
		expect(result.error).toBeDefined();
		expect(result.error?.message).toContain('HTTP 401');
		expect(result.error?.description).toContain('Consumer Key and Secret');
		expect(emulator.requests()[0].status).toBe(401);
		expect(findSecrets(result)).toEqual([]);
		expect(JSON.stringify(result.run)).not.toContain(wrongSecret);
		expect(JSON.stringify(result.run)).not.toContain(oauth1Credentials.userA.accessTokenSecret);
	});

	it('refuses a bearer token without media.write with the media.write hint', async () => {
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode('oAuth2')],
			credentials: { xOAuth2Api: oauth2Data(emulator.baseUrl, oauth2Tokens.userANoMediaWrite) },
		});
		expect(result.error?.message).toContain('HTTP 403');
		expect(result.error?.message).toContain('Forbidden');
		expect(result.error?.description).toContain('media.write');
		expect(result.error?.description).toContain('reconnect');
		expect(findSecrets(result)).toEqual([]);
		// A 403 is final: one request, no retries.
		expect(emulator.requests()).toHaveLength(1);
	});

	it("quotes X's own words from a problem object and never a token", async () => {
		emulator.addFault({
			endpoint: 'upload',
			nth: 1,
			status: 400,
			body: {
				title: 'Invalid Request',
				detail: 'One or more parameters to your request was invalid.',
				type: 'https://api.x.com/2/problems/invalid-request',
				errors: [{ message: 'media_category is not allowed for this media', parameters: {} }],
			},
		});
		const result = await runWorkflow({
			items: pngItems,
			nodes: [uploadNode('oAuth2')],
		});
		expect(result.error?.message).toContain('One or more parameters to your request was invalid.');
		expect(result.error?.description).toContain('media_category is not allowed for this media');
		expect(result.error?.httpCode).toBe('400');
		expect(findSecrets(result)).toEqual([]);
	});

	it.each([
		['a one-request upload (multipart body)', makePng(8, 8), 'a.png'],
		['a chunked upload (JSON, multipart and empty bodies)', makeMp4(300_000), 'v.mp4'],
	])('refreshes an expired OAuth 2.0 token and resends %s', async (_label, bytes, fileName) => {
		emulator.expireAccessToken(oauth2Tokens.userA);
		const result = await runWorkflow({
			items: [{ binary: { data: { base64: b64(bytes), fileName } } }],
			nodes: [uploadNode('oAuth2')],
			credentials: { xOAuth2Api: oauth2Data(emulator.baseUrl, oauth2Tokens.userA, oauth2RefreshTokens.userA) },
		});
		expect(result.error).toBeUndefined();
		// n8n refreshed the token once and stored it; the refused request was sent again with it.
		expect(result.tokenUpdates).toHaveLength(1);
		const [fresh] = emulator.issuedAccessTokens();
		expect((result.tokenUpdates[0].data.oauthTokenData as { access_token: string }).access_token).toBe(fresh);
		const first = emulator.requests()[0];
		expect(first.status).toBe(401);
		expect(emulator.requests().filter((r) => r.status === 200 && r.endpoint).length).toBeGreaterThanOrEqual(1);
		expect(emulator.media(String(result.output['X Media'][0].json.media_id))?.sha256).toBeDefined();
		expect(findSecrets(result)).toEqual([]);
		expect(JSON.stringify(result.run)).not.toContain(fresh);
	});
});
