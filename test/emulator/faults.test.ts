import { EmulatorClient } from './client';
import { useEmulator } from '../harness/emulatorSuite';
import { oauth2Tokens } from './testCredentials';
import { buildMultipart, mp4, rawRequest, xfetch } from './testHelpers';

describe('faults, latency, rate-limit headers, control API', () => {
	const emu = useEmulator();
	let b: string;
	beforeAll(() => {
		b = emu.baseUrl;
	});
	beforeEach(() => {
		emu.setOptions({ latencyMs: 0, rateLimitHeaders: false, enforceRateLimits: false });
	});

	const me = () => xfetch(b, 'GET', '/2/users/me');

	it('fails the nth request of an endpoint, `times` times, counted from when the fault was added', async () => {
		await me(); // before the fault: not counted
		emu.addFault({ endpoint: 'usersMe', nth: 2, times: 2, status: 503 });
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await me()).status);
		expect(statuses).toEqual([200, 503, 503, 200, 200]);
		const failed = emu.requests({ endpoint: 'usersMe' }).filter((r) => r.status === 503);
		expect(failed.map((r) => r.fault)).toEqual([
			{ kind: 'status', status: 503 },
			{ kind: 'status', status: 503 },
		]);
		expect(failed[0].responseBody).toEqual({ title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
	});

	it('faults only hit their endpoint; `*` hits all; custom body and headers', async () => {
		emu.addFault({ endpoint: 'tweets', status: 500 });
		expect((await me()).status).toBe(200);
		emu.addFault({ endpoint: '*', status: 500, body: { oops: true }, headers: { 'x-custom': 'yes' } });
		const res = await me();
		expect(res.status).toBe(500);
		expect(res.json).toEqual({ oops: true });
		expect(res.headers.get('x-custom')).toBe('yes');
		const t = await xfetch(b, 'POST', '/2/tweets', { json: { text: 'x' } });
		expect(t.status).toBe(500); // the tweets fault (its first tweets request)
		expect((await xfetch(b, 'POST', '/2/tweets', { json: { text: 'x' } })).status).toBe(201);
	});

	it('holdUntilReset: every request answers 429 with the same reset until that second, then passes', async () => {
		emu.addFault({ endpoint: 'usersMe', status: 429, rateLimitResetInSecs: 1, holdUntilReset: true });
		const first = await me();
		const second = await me();
		expect([first.status, second.status]).toEqual([429, 429]);
		const reset = Number(first.headers.get('x-rate-limit-reset'));
		expect(second.headers.get('x-rate-limit-reset')).toBe(String(reset));
		expect(reset * 1000).toBeGreaterThan(Date.now());
		expect(emu.faultsList()[0]).toMatchObject({ holdUntil: reset, fired: 2 });
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code: waits for the announced reset
		await new Promise((r) => setTimeout(r, reset * 1000 - Date.now() + 20));
		expect((await me()).status).toBe(200);
	});

	it('429 carries x-rate-limit-* (reset = now + N) and retry-after', async () => {
		emu.addFault({ endpoint: 'usersMe', status: 429, rateLimitResetInSecs: 30, retryAfterSecs: 7 });
		const before = Math.floor(Date.now() / 1000);
		const res = await me();
		expect(res.status).toBe(429);
		expect(res.json).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
		expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
		expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(before + 30);
		expect(Number(res.headers.get('x-rate-limit-reset'))).toBeLessThanOrEqual(before + 32);
		expect(res.headers.get('x-rate-limit-limit')).toBe('75');
		expect(res.headers.get('retry-after')).toBe('7');
	});

	it('413 and 431 faults have an empty body', async () => {
		emu.addFault({ endpoint: 'append', status: 413 });
		emu.addFault({ endpoint: 'append', status: 431, nth: 2 });
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 100, media_category: 'tweet_video' } });
		const id = init.json.data.id;
		const a1 = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: mp4(100).toString('base64'), segment_index: 0 } });
		const a2 = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: mp4(100).toString('base64'), segment_index: 0 } });
		expect([a1.status, a1.text, a2.status, a2.text]).toEqual([413, '', 431, '']);
		expect(emu.media(id)!.segments).toEqual([]); // a failed append stores nothing
		const a3 = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: mp4(100).toString('base64'), segment_index: 0 } });
		expect(a3.status).toBe(200);
		expect(emu.media(id)!.segments).toEqual([{ index: 0, size: 100 }]);
	});

	it('drop: destroys the socket mid-body without an answer and stores nothing', async () => {
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 4 * 1024 * 1024, media_category: 'tweet_video' } });
		const id = init.json.data.id;
		emu.addFault({ endpoint: 'append', drop: true });
		const mp = buildMultipart([
			{ name: 'segment_index', value: '0' },
			{ name: 'media', value: mp4(4 * 1024 * 1024), filename: 'c' },
		]);
		const out = await rawRequest(b, {
			method: 'POST',
			path: `/2/media/upload/${id}/append`,
			headers: { authorization: `Bearer ${oauth2Tokens.userA}`, 'content-type': mp.contentType, 'content-length': String(mp.body.length) },
			body: mp.body,
		});
		expect(out.status).toBeUndefined();
		expect(out.error?.code).toMatch(/ECONNRESET|EPIPE|socket hang up/);
		const rec = emu.requests({ endpoint: 'append' })[0];
		expect(rec.status).toBe(0);
		expect(rec.fault).toEqual({ kind: 'drop' });
		expect(rec.bodySize).toBeGreaterThan(0);
		expect(rec.bodySize).toBeLessThan(mp.body.length);
		expect(emu.media(id)!.segments).toEqual([]);
		// the next request works
		const retry = await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { multipart: [{ name: 'segment_index', value: '0' }, { name: 'media', value: Buffer.alloc(10), filename: 'c' }] });
		expect(retry.status).toBe(200);
		// fetch sees a network error too
		emu.addFault({ endpoint: 'usersMe', drop: true });
		await expect(me()).rejects.toThrow();
	});

	it('latency: global latencyMs and per-fault delays', async () => {
		emu.setOptions({ latencyMs: 60 });
		let t = Date.now();
		expect((await me()).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(55);
		emu.setOptions({ latencyMs: 0 });
		emu.addFault({ endpoint: 'usersMe', delayMs: 80 });
		t = Date.now();
		expect((await me()).status).toBe(200); // a pure delay, then the normal answer
		expect(Date.now() - t).toBeGreaterThanOrEqual(75);
		emu.addFault({ endpoint: 'usersMe', delayMs: 50, status: 502 });
		t = Date.now();
		expect((await me()).status).toBe(502);
		expect(Date.now() - t).toBeGreaterThanOrEqual(45);
	});

	it('rate-limit headers on every answer when asked; enforcement optional', async () => {
		emu.setOptions({ rateLimitHeaders: true });
		const r1 = await me();
		const r2 = await me();
		expect(r1.headers.get('x-rate-limit-limit')).toBe('75');
		expect(Number(r1.headers.get('x-rate-limit-remaining')) - Number(r2.headers.get('x-rate-limit-remaining'))).toBe(1);
		expect(Number(r1.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
		emu.setOptions({ enforceRateLimits: true });
		for (let i = 0; i < 73; i++) await me();
		const over = await me();
		expect(over.status).toBe(429);
		expect(over.headers.get('x-rate-limit-remaining')).toBe('0');
	});

	it('records requests: auth, content type, sizes, timings', async () => {
		await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'image/png', total_bytes: 10, media_category: 'tweet_image' } });
		const [r] = emu.requests({ endpoint: 'initialize' });
		expect(r).toMatchObject({
			endpoint: 'initialize',
			method: 'POST',
			path: '/2/media/upload/initialize',
			contentType: 'application/json',
			json: { media_type: 'image/png', total_bytes: 10, media_category: 'tweet_image' },
			auth: { scheme: 'oauth2', userId: '1880000000000000001', valid: true },
			status: 200,
		});
		expect(r.bodySize).toBe(Buffer.byteLength(JSON.stringify(r.json)));
		expect(r.endedAt!).toBeGreaterThanOrEqual(r.startedAt);
		expect(r.mediaId).toMatch(/^[0-9]{19}$/);
	});

	it('HTTP control API and EmulatorClient', async () => {
		const client = new EmulatorClient(b);
		await client.addFault({ endpoint: 'usersMe', status: 500 });
		expect((await me()).status).toBe(500);
		await expect(client.addFault({ endpoint: 'nope' as never })).rejects.toThrow(/endpoint must be one of/);
		await client.setProcessing({ steps: 1, checkAfterSecs: 3 });
		// A playable MP4 (ftyp, moov, mdat): one without a movie header fails processing, as at X.
		const init = await xfetch(b, 'POST', '/2/media/upload/initialize', { json: { media_type: 'video/mp4', total_bytes: 2000, media_category: 'tweet_video' } });
		const id = init.json.data.id;
		await xfetch(b, 'POST', `/2/media/upload/${id}/append`, { json: { media: mp4(2000).toString('base64'), segment_index: 0 } });
		const fin = await xfetch(b, 'POST', `/2/media/upload/${id}/finalize`);
		expect(fin.json.data.processing_info.check_after_secs).toBe(3);
		expect((await client.media(id))!.sha256).toBe(emu.mediaSha256(id));
		expect(await client.mediaBytes(id)).toEqual(emu.mediaBytes(id));
		expect((await client.allMedia()).map((m) => m.id)).toEqual([id]);
		expect((await client.requests({ endpoint: 'append' })).length).toBe(1);
		expect((await client.stats()).appendConcurrency.maxInFlight).toBe(1);
		await xfetch(b, 'GET', `/2/media/upload?media_id=${id}`);
		await xfetch(b, 'POST', '/2/tweets', { json: { text: 'x', media: { media_ids: [id] } } });
		expect((await client.posts()).length).toBe(1);
		await client.setOptions({ latencyMs: 1 });
		expect(emu.options().latencyMs).toBe(1);
		await client.reset();
		expect(await client.allMedia()).toEqual([]);
		expect(await client.media(id)).toBeUndefined();
		expect(emu.requests()).toEqual([]); // control calls are not recorded
	});
});
