/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 19, media from a URL (README, "Media from a URL"), through n8n-core against the emulator
 * and the tests' file server: a moov-at-end MP4 read by ranges (head, then the `moov` with a range
 * request, before INITIALIZE), a server without ranges (inspected while uploading), a dropped
 * connection resumed from the first byte not read, Retry On Fail continuing the X session, and
 * that nothing of the credentials reaches the URL's host (redirects included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { userB } from '../emulator';
import { emulatorSuite } from '../harness/emulatorSuite';
import type { XMediaNodeSpec } from '../harness/n8nHarness';
import { showsUrlQuery, URL_QUERY_SECRET, useFileServer } from '../harness/fileServer';
import type { FileRequestRecord } from '../harness/fileServer';
import { AUTHENTICATIONS, findSecrets, SECRETS, sha256 } from '../harness/scenario';
import { makeMoov, makeMp4MoovLast, makePng } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({
	checkAfterSecs: 1,
	processingSteps: 0,
});
const files = useFileServer();

const MiB = 1024 * 1024;
const QUERY = `X-Amz-Expires=900&X-Amz-Signature=${URL_QUERY_SECRET}`;

async function uploadFromUrl(url: string, authentication: string, options: INodeParameters = {}, node: Partial<XMediaNodeSpec> = {}) {
	return await runWorkflow({
		items: [{ json: {} }],
		nodes: [
			{
				parameters: {
					authentication,
					operation: 'upload',
					source: 'url',
					mediaUrl: url,
					options,
				},
				...node,
			},
		],
	});
}

/** What reached the URL's host: no credential, no X header, only what a plain download sends. */
function expectNothingOfTheCredentials(records: FileRequestRecord[]): void {
	expect(records.length).toBeGreaterThan(0);
	for (const r of records) {
		const text = JSON.stringify(r.headers);
		for (const secret of SECRETS.filter((s) => s !== URL_QUERY_SECRET)) expect(text).not.toContain(secret);
		expect(Object.keys(r.headers).filter((h) => /authorization|cookie|oauth|x-rate|x-media|^x-/i.test(h))).toEqual([]);
	}
}

const acknowledged = () =>
	emulator
		.requests({ endpoint: 'append' })
		.filter((r) => r.status === 200)
		.map((r) => r.segmentIndex as number)
		.sort((a, b) => a - b);

describe.each(AUTHENTICATIONS)('Upload from a URL (%s)', (authentication) => {
	it('a moov-at-end MP4 from a server with ranges: head and moov by range before INITIALIZE, segments by range', async () => {
		const mp4 = makeMp4MoovLast(6 * MiB + 123);
		const url = files.serve('/media/clip%20final.mp4', mp4, { contentType: 'video/mp4', etag: '"v1"' }, QUERY);
		const result = await uploadFromUrl(url, authentication, { chunkSize: 1 });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.source_url).toBe(`${files.baseUrl}/media/clip%20final.mp4?…`);
		expect(json.file_name).toBe('clip final.mp4');
		expect(json.binary_property).toBeUndefined();
		expect(json.size).toBe(mp4.length);
		expect(json.media_info).toMatchObject({
			kind: 'video',
			container: 'mp4',
			duration_ms: 10_000,
		});
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(acknowledged()).toEqual([...Array(7).keys()]);
		const records = files.requestsFor('/media/clip%20final.mp4');
		// Three requests: the head (the first asks from byte 0; the pre-flight reads 64 KiB of it), the
		// moov by a range near the end, and the upload's, which reads the file once.
		expect(records.map((r) => r.range)).toEqual(['bytes=0-', `bytes=${mp4.length - makeMoov({ durationMs: 10_000 }).length}-`, 'bytes=0-']);
		expect(records.every((r) => r.query === QUERY)).toBe(true);
		expectNothingOfTheCredentials(records);
		expect(findSecrets(result)).toEqual([]);
		expect(showsUrlQuery(result)).toBe(false);
	});

	it('follows redirects (each hop checked): nothing of the credential reaches any hop', async () => {
		const png = makePng(64, 48);
		const url = files.serve('/img/photo.png', png, { redirects: 3, contentType: 'image/png' }, QUERY);
		const result = await uploadFromUrl(url, authentication);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.upload_method).toBe('simple');
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(png));
		const records = files.requests;
		expect(records.filter((r) => r.status === 302)).toHaveLength(3);
		expectNothingOfTheCredentials(records);
		expect(findSecrets(result)).toEqual([]);
		expect(showsUrlQuery(result)).toBe(false);
	});

	it('a server without ranges: checked while uploading, in one pass', async () => {
		const mp4 = makeMp4MoovLast(5 * MiB + 7);
		const url = files.serve('/v/noranges.mp4', mp4, { ranges: false }, QUERY);
		const result = await uploadFromUrl(url, authentication, { chunkSize: 1 });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.media_info).toMatchObject({
			kind: 'video',
			duration_ms: 10_000,
			video_codec: 'h264',
		});
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		// The head (pre-flight), then one pass for the upload.
		const records = files.requestsFor('/v/noranges.mp4');
		expect(records).toHaveLength(2);
		expect(records[1].sent).toBe(mp4.length);
		expectNothingOfTheCredentials(records);
	});

	it('a connection dropped mid-file resumes with a range from the first byte not read; no segment twice', async () => {
		const mp4 = makeMp4MoovLast(8 * MiB);
		const dropAt = 3 * MiB + 12345;
		// Requests: the head (moov-last: then the moov's range), the upload's (dropped), its resume.
		const url = files.serve('/v/drop.mp4', mp4, { dropAt, dropOn: [3] }, QUERY);
		const result = await uploadFromUrl(url, authentication, { chunkSize: 1 });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(acknowledged()).toEqual([...Array(8).keys()]);
		expect(emulator.requests({ endpoint: 'append' })).toHaveLength(8);
		const records = files.requestsFor('/v/drop.mp4');
		expect(records).toHaveLength(4);
		// The resume starts at the first byte the upload had not read (the segment being filled).
		const resumedAt = Number(/^bytes=(\d+)-$/.exec(records[3].range ?? '')?.[1]);
		expect(resumedAt).toBeGreaterThan(3 * MiB);
		expect(resumedAt).toBeLessThanOrEqual(dropAt);
	});
});

describe('Retry On Fail and URL sources', () => {
	it.each(AUTHENTICATIONS)('continues the X session: one INITIALIZE, the URL read again only for the missing segments (%s)', async (authentication) => {
		const mp4 = makeMp4MoovLast(10 * MiB + 5);
		const url = files.serve('/v/retry.mp4', mp4, { etag: '"abc"' }, QUERY);
		emulator.addFault({ endpoint: 'append', nth: 5, times: 5, status: 503 });
		const result = await uploadFromUrl(url, authentication, { chunkSize: 1, parallelUploads: 1 }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 100 });
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
		expect(acknowledged()).toEqual([...Array(11).keys()]);
		// The second run read the file from the segment X did not have (4 MiB), not from 0.
		const ranges = files.requestsFor('/v/retry.mp4').map((r) => r.range);
		expect(ranges).toContain(`bytes=${4 * MiB}-`);
		expect(findSecrets(result)).toEqual([]);
		expect(showsUrlQuery(result)).toBe(false);
	});
});

describe('a real ffmpeg file', () => {
	it('h264-aac-moov-last.mp4 from a URL', async () => {
		const bytes = readFileSync(join(__dirname, '..', 'media', 'files', 'h264-aac-moov-last.mp4'));
		const url = files.serve('/ff/moov-last.mp4', bytes, {
			contentType: 'video/mp4',
		});
		const result = await uploadFromUrl(url, 'oAuth2');
		expect(result.error).toBeUndefined();
		expect(emulator.mediaSha256(result.output['X Media'][0].json.media_id as string)).toBe(sha256(bytes));
	});
});

describe.each(AUTHENTICATIONS)('Create Post and Send Direct Message from URLs (%s)', (authentication) => {
	it('Create Post: two images from two URLs (an array from an expression), then the post', async () => {
		const [a, b] = [makePng(40, 30), makePng(30, 40)];
		const urls = [files.serve('/p/a.png', a, {}, QUERY), files.serve('/p/b.png', b, { contentDisposition: 'attachment; filename="second.png"' }, QUERY)];
		const result = await runWorkflow({
			items: [{ json: { urls } }],
			nodes: [{ parameters: { authentication, operation: 'createPost', text: 'from URLs', mediaSource: 'url', mediaUrls: '={{ $json.urls }}' } }],
		});
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		const uploads = json.uploads as Array<{ media_id: string; file_name: string; source_url: string }>;
		expect(uploads.map((u) => u.file_name)).toEqual(['a.png', 'second.png']);
		expect(uploads.map((u) => emulator.mediaSha256(u.media_id))).toEqual([sha256(a), sha256(b)]);
		expect(emulator.posts()[0].media_ids).toEqual(uploads.map((u) => u.media_id));
		expect(showsUrlQuery(result)).toBe(false);
	});

	it('Send Direct Message: a video from a URL as dm_video', async () => {
		const mp4 = makeMp4MoovLast(2 * MiB);
		const url = files.serve('/dm/clip.mp4', mp4, {}, QUERY);
		const result = await runWorkflow({
			items: [{ json: {} }],
			nodes: [{ parameters: { authentication, operation: 'sendDirectMessage', participantId: userB.id, text: 'clip', mediaSource: 'url', mediaUrl: url } }],
		});
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect((json.upload as { media_category: string }).media_category).toBe('dm_video');
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(emulator.directMessages()).toHaveLength(1);
		expect(showsUrlQuery(result)).toBe(false);
	});
});
