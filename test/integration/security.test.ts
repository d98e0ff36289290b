/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 6 (security): cancelling an execution stops an upload in flight; credentials only go to
 * the credential's API base URL, never along a redirect.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { emulatorSuite } from '../harness/emulatorSuite';
import { AUTHENTICATIONS, b64, findSecrets } from '../harness/scenario';
import { makeMp4, makePng } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ latencyMs: 150 });

const MiB = 1024 * 1024;

describe('cancelling an execution', () => {
	it('stops an upload in flight promptly, with no request sent after it', async () => {
		const video = makeMp4(40 * MiB);
		// Cancelled 300 ms after the first APPEND arrived: on a busy machine the decoding and the
		// checks before it can take longer than any fixed delay.
		const cancelAfterMs = 300;
		const started = Date.now();
		const result = await runWorkflow({
			items: [{ binary: { data: { base64: b64(video), fileName: 'long.mp4' } } }],
			nodes: [{ parameters: { operation: 'upload', options: { parallelUploads: 1, chunkSize: 1 } } }],
			cancelAfterMs,
			cancelOnceTrue: () => emulator.requests({ endpoint: 'append' }).length > 0,
		});
		const cancelledAt = result.cancelledAt as number;
		expect(cancelledAt).toBeDefined();
		const elapsed = Date.now() - started;
		// 40 segments at 150 ms each would take 6 s; it stopped within about a request's time.
		expect(Date.now() - cancelledAt).toBeLessThan(3000);
		expect(elapsed).toBeGreaterThan(cancelAfterMs);
		const appends = emulator.requests({ endpoint: 'append' });
		expect(appends.length).toBeGreaterThan(0);
		expect(appends.length).toBeLessThan(40);
		// Nothing started after the cancel (a request already in flight may finish or be cut; the
		// margin covers a request sent just before the cancel and received late on a busy machine).
		const late = emulator.requests().filter((r) => r.startedAt > cancelledAt + 1000);
		expect(late).toEqual([]);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(0);
		// Wait a little more: nothing further arrives.
		const count = emulator.requests().length;
		await new Promise((r) => setTimeout(r, 600));
		expect(emulator.requests().length).toBe(count);
		expect(result.run.status === 'canceled' || result.run.data.resultData.error !== undefined).toBe(true);
	});
});

describe('credentials and redirects', () => {
	let seen: Array<{ url?: string; authorization?: string }> = [];
	let otherHost: ReturnType<typeof createServer>;
	let otherUrl = '';

	beforeAll(async () => {
		otherHost = createServer((req, res) => {
			seen.push({ url: req.url, authorization: req.headers.authorization });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ data: { id: '1', media_key: '3_1' } }));
		});
		await new Promise<void>((r) => otherHost.listen(0, '127.0.0.1', r));
		// "localhost" is another origin than the emulator's 127.0.0.1.
		otherUrl = `http://localhost:${(otherHost.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((r) => otherHost.close(r));
	});
	beforeEach(() => {
		seen = [];
	});

	it.each(AUTHENTICATIONS)('does not follow a redirect to another host with %s', async (authentication) => {
		emulator.addFault({ endpoint: 'upload', nth: 1, status: 307, headers: { location: `${otherUrl}/2/media/upload` }, body: '' });
		const result = await runWorkflow({
			items: [{ binary: { data: { base64: b64(makePng(4, 4)), fileName: 'a.png' } } }],
			nodes: [{ parameters: { authentication, operation: 'upload' } }],
		});
		expect(seen).toEqual([]);
		expect(result.error?.message).toContain('HTTP 307');
		expect(findSecrets(result)).toEqual([]);
	});
});
