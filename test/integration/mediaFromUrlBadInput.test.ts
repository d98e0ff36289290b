/**
 * Issue 19, bad input from a URL: each gets a clear error that names the host, the path and the
 * HTTP status where there is one (never the query: every URL here carries a secret in it), before
 * any request to X where the fault is visible before the upload, and never a FINALIZE of a file
 * that fails while it is read.
 */
import { emulatorSuite } from '../harness/emulatorSuite';
import { showsUrlQuery, URL_QUERY_SECRET, useFileServer } from '../harness/fileServer';
import type { ServeOptions } from '../harness/fileServer';
import { AUTHENTICATIONS, findSecrets } from '../harness/scenario';
import { makeMp4, makeMp4MoovLast, makePng } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({
	checkAfterSecs: 1,
	processingSteps: 0,
});
const files = useFileServer();

const MiB = 1024 * 1024;
const QUERY = `sig=${URL_QUERY_SECRET}`;

async function upload(url: string, authentication = 'oAuth2', options: Record<string, unknown> = {}) {
	return await runWorkflow({
		items: [{ json: {} }],
		nodes: [
			{
				parameters: {
					authentication,
					operation: 'upload',
					source: 'url',
					mediaUrl: url,
					options: { chunkSize: 1, ...options },
				},
			},
		],
	});
}

/** The run failed with `message`; nothing of the query or the credentials shows; X got what `x` says. */
function expectRefused(result: Awaited<ReturnType<typeof upload>>, message: RegExp, x: 'nothing' | 'not finalized'): void {
	expect(result.error?.message).toMatch(message);
	expect(`${result.error?.message} ${result.error?.description}`).not.toContain('sig=');
	expect(findSecrets(result)).toEqual([]);
	expect(showsUrlQuery(result)).toBe(false);
	if (x === 'nothing') expect(emulator.requests()).toHaveLength(0);
	else expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(0);
}

describe.each(AUTHENTICATIONS)('bad URLs, before any request (%s)', (authentication) => {
	it.each([
		['ftp://files.example.com/video.mp4', /uses ftp:\/\/, but X Media reads files over http and https only/],
		['file:///tmp/video.mp4', /uses file:\/\//],
		['https://', /has no host/],
		['not a url at all', /is not a URL/],
	])('%s', async (url, message) => {
		expectRefused(await upload(url, authentication), message, 'nothing');
		expect(files.requests).toHaveLength(0);
	});

	it.each<[string, ServeOptions, RegExp]>([
		['404', { status: 404 }, /The server at 127\.0\.0\.1:\d+\/bad\/file\.mp4 answered HTTP 404 instead of the file/],
		['403', { status: 403 }, /answered HTTP 403/],
		['no Content-Length', { ranges: false, noLength: true }, /does not say how large the file is \(no Content-Length\)/],
		['an HTML page', { contentType: 'text/html; charset=utf-8' }, /The URL points at a web page, not at the file/],
		['more than 5 redirects', { redirects: 6 }, /redirects more than 5 times/],
		['a redirect to ftp', { redirectTo: 'ftp://files.example.com/x.mp4' }, /redirects to an address that is not http\(s\)/],
	])('%s', async (_label, options, message) => {
		const url = files.serve('/bad/file.mp4', makeMp4(2 * MiB), options, QUERY);
		expectRefused(await upload(url, authentication), message, 'nothing');
	});
});

describe('bad files at a URL', () => {
	it('an HTML page served as a binary type', async () => {
		const page = Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in to download</body></html>');
		const url = files.serve('/share/abc', page, { contentType: 'application/octet-stream' }, QUERY);
		const result = await upload(url);
		expectRefused(result, /The URL points at a web page, not at the file/, 'nothing');
		expect(result.error?.description).toMatch(/direct link/);
	});

	it('a server error that lasts: retried within the policy, then reported', async () => {
		const url = files.serve('/bad/busy.mp4', makeMp4(MiB), { status: 500 }, QUERY);
		const result = await upload(url);
		expectRefused(result, /answered HTTP 500/, 'nothing');
		expect(files.requests).toHaveLength(5);
	});

	it('a server that stalls: a bounded wait, tried again, then reported', async () => {
		const url = files.serve('/bad/stall.mp4', makeMp4(2 * MiB), { stallAt: 100 }, QUERY);
		const result = await upload(url, 'oAuth2', { urlTimeout: 1 });
		expectRefused(result, /sent nothing for 1 s/, 'nothing');
	});

	it('a stall once is resumed', async () => {
		const mp4 = makeMp4(3 * MiB);
		const url = files.serve('/ok/stall-once.mp4', mp4, { stallAt: 2 * MiB, stallOn: [2] }, QUERY);
		const result = await upload(url, 'oAuth1', { urlTimeout: 1 });
		expect(result.error).toBeUndefined();
		expect(files.requests.map((r) => r.range)).toEqual(['bytes=0-', 'bytes=0-', expect.stringMatching(/^bytes=\d+-$/)]);
	});

	it('a body shorter than announced (with ranges): the upload fails, nothing is finalized', async () => {
		const mp4 = makeMp4(4 * MiB);
		const url = files.serve('/bad/short.mp4', mp4, { announce: mp4.length + 1000 }, QUERY);
		const result = await upload(url);
		expectRefused(result, /answered HTTP 416/, 'not finalized');
		expect(result.error?.description).toMatch(/shorter than the server announced/);
	});

	it('a body shorter than announced (no ranges): the upload fails, nothing is finalized', async () => {
		const mp4 = makeMp4(3 * MiB);
		const url = files.serve('/bad/short2.mp4', mp4, { announce: mp4.length + 1000, ranges: false }, QUERY);
		expectRefused(await upload(url), /dropped at byte|fewer/, 'not finalized');
	});

	it('a body longer than announced: refused (here the readers see the mdat run past the announced end), nothing finalized', async () => {
		const mp4 = makeMp4MoovLast(3 * MiB);
		const url = files.serve('/bad/long.mp4', mp4, { announce: mp4.length - 4096, ranges: false }, QUERY);
		expectRefused(await upload(url), /more bytes than|past the end of the file/, 'not finalized');
	});

	it('a file that breaks a rule, from a server without ranges: checked while uploading, never finalized', async () => {
		const mp4 = makeMp4MoovLast(3 * MiB, { durationMs: 10_000, fps: 120 });
		const url = files.serve('/bad/fps.mp4', mp4, { ranges: false }, QUERY);
		const result = await upload(url);
		expectRefused(result, /120 frames per second; X takes at most 60/, 'not finalized');
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
		expect(result.error?.description).toMatch(/takes no byte ranges.*not finalized/s);
	});

	it('the same file from a server with ranges is refused before any request to X', async () => {
		const url = files.serve('/bad/fps2.mp4', makeMp4MoovLast(3 * MiB, { durationMs: 10_000, fps: 120 }), {}, QUERY);
		expectRefused(await upload(url), /120 frames per second/, 'nothing');
	});
});

describe('several URLs', () => {
	it('Create Post refuses a fifth URL before any request', async () => {
		const urls = [1, 2, 3, 4, 5].map((n) => files.serve(`/p/${n}.png`, makePng(8, 8), {}, QUERY));
		const result = await runWorkflow({
			items: [{ json: {} }],
			nodes: [
				{
					parameters: {
						authentication: 'oAuth2',
						operation: 'createPost',
						text: 'five',
						mediaSource: 'url',
						mediaUrls: urls.join(', '),
					},
				},
			],
		});
		expectRefused(result, /"Media URLs" has 5 URLs; at most 4/, 'nothing');
		expect(files.requests).toHaveLength(0);
	});

	it('Continue On Fail: the item with a 404 says so, the next is uploaded', async () => {
		const good = files.serve('/ok/a.png', makePng(16, 16), {}, QUERY);
		const result = await runWorkflow({
			items: [{ json: { u: `${files.baseUrl}/missing.png?${QUERY}` } }, { json: { u: good } }],
			nodes: [
				{
					parameters: {
						authentication: 'oAuth1',
						operation: 'upload',
						source: 'url',
						mediaUrl: '={{ $json.u }}',
					},
					continueOnFail: true,
				},
			],
		});
		const out = result.output['X Media'];
		expect(out[0].json.error).toMatch(/missing\.png answered HTTP 404/);
		expect(out[1].json.media_id).toMatch(/^\d+$/);
		expect(findSecrets(result)).toEqual([]);
		expect(showsUrlQuery(result)).toBe(false);
	});
});
