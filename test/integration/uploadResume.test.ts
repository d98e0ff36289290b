/**
 * Issue 11, every byte once: a chunked upload that fails part-way goes on, when n8n runs the node
 * again (the node setting Retry On Fail, honoured by n8n-core's WorkflowExecute), with the same X
 * upload session: one INITIALIZE, no acknowledged segment sent twice, the bytes intact. And the
 * segment pool: bytes intact whatever the pieces n8n's storage yields.
 */
import { emulatorSuite } from '../harness/emulatorSuite';
import type { RunResult } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { AUTHENTICATIONS, b64, findSecrets, sha256 } from '../harness/scenario';
import { makeMp4 } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 0 });

const MiB = 1024 * 1024;

function fileItem(bytes: Buffer, fileName: string, inline = false): TestItemSpec {
	return { binary: { data: { base64: b64(bytes), fileName, mimeType: 'video/mp4', inline } } };
}

async function uploadWithRetry(
	items: TestItemSpec[],
	parameters: Record<string, unknown>,
	authentication: string,
	retryOnFail = true,
): Promise<RunResult> {
	return await runWorkflow({
		items,
		nodes: [
			{
				parameters: { authentication, operation: 'upload', ...parameters },
				retryOnFail,
				maxTries: 2,
				waitBetweenTries: 100,
			},
		],
	});
}

/** Segment indexes X acknowledged (200), each as many times as it was acknowledged. */
function acknowledgedIndexes(): number[] {
	return emulator
		.requests({ endpoint: 'append' })
		.filter((r) => r.status === 200)
		.map((r) => r.segmentIndex as number)
		.sort((a, b) => a - b);
}

describe.each(AUTHENTICATIONS)('Retry On Fail continues the upload (%s)', (authentication) => {
	it('a segment refused more times than the transport tries: the retry sends only the missing segments', async () => {
		const mp4 = makeMp4(10 * MiB + 5); // 11 segments of 1 MiB
		// Segment 4 (the 5th APPEND, one at a time) fails all 5 tries of the transport: the node fails.
		emulator.addFault({ endpoint: 'append', nth: 5, times: 5, status: 503 });
		const result = await uploadWithRetry([fileItem(mp4, 'clip.mp4')], { options: { chunkSize: 1, parallelUploads: 1 } }, authentication);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.segments).toBe(11);
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		// n8n ran the node twice: one INITIALIZE, one FINALIZE, every segment acknowledged once.
		expect(result.run.data.resultData.runData['X Media']).toHaveLength(1);
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(1);
		expect(acknowledgedIndexes()).toEqual([...Array(11).keys()]);
		const appends = emulator.requests({ endpoint: 'append' });
		expect(appends.filter((r) => r.status === 503)).toHaveLength(5);
		expect(appends).toHaveLength(11 + 5);
		expect(findSecrets(result)).toEqual([]);
	});

	it('a segment refused for good with appends in flight: those finish, and the retry resends none of them', async () => {
		const mp4 = makeMp4(12 * MiB + 3); // 13 segments of 1 MiB, 3 in flight
		emulator.addFault({ endpoint: 'append', nth: 4, status: 400, body: { title: 'Invalid Request', detail: 'test: refused once' } });
		const result = await uploadWithRetry([fileItem(mp4, 'clip.mp4')], { options: { chunkSize: 1 } }, authentication);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(emulator.requests({ endpoint: 'initialize' })).toHaveLength(1);
		expect(acknowledgedIndexes()).toEqual([...Array(13).keys()]);
		expect(emulator.requests({ endpoint: 'append' })).toHaveLength(13 + 1);
	});
});

describe('what is not continued', () => {
	it('starts over with a new INITIALIZE when X no longer holds the session on the retry', async () => {
		const mp4 = makeMp4(6 * MiB + 1);
		emulator.addFault({ endpoint: 'append', nth: 3, status: 400, body: { title: 'Invalid Request', detail: 'test: refused' } });
		// The retry's first APPEND: X says the media id is unknown (the session expired).
		emulator.addFault({ endpoint: 'append', nth: 4, status: 400, body: { errors: [{ message: 'id is invalid' }] } });
		const result = await uploadWithRetry([fileItem(mp4, 'clip.mp4')], { options: { chunkSize: 1, parallelUploads: 1 } }, 'oAuth2');
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		const inits = emulator.requests({ endpoint: 'initialize' });
		expect(inits).toHaveLength(2);
		expect(json.media_id).toBe(inits[1].mediaId);
	});

	it('without Retry On Fail the failure is reported and nothing more is sent', async () => {
		const mp4 = makeMp4(4 * MiB + 1);
		emulator.addFault({ endpoint: 'append', nth: 2, status: 400, body: { title: 'Invalid Request', detail: 'test: refused' } });
		const result = await uploadWithRetry([fileItem(mp4, 'clip.mp4')], { options: { chunkSize: 1, parallelUploads: 1 } }, 'oAuth2', false);
		expect(result.error?.message).toContain('test: refused');
		expect(emulator.requests({ endpoint: 'append' })).toHaveLength(2);
		expect(emulator.requests({ endpoint: 'finalize' })).toHaveLength(0);
	});
});

describe('segment pool: bytes intact from any piece size', () => {
	it('an inline binary (one piece, like database mode) goes as views into it', async () => {
		const mp4 = makeMp4(9 * MiB + 17);
		const result = await uploadWithRetry([fileItem(mp4, 'inline.mp4', true)], { options: { chunkSize: 2 } }, 'oAuth1', false);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(json.segments).toBe(5);
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
	});

	it('chunk sizes that are not multiples of the read pieces', async () => {
		const mp4 = makeMp4(5 * MiB + 999);
		const result = await uploadWithRetry([fileItem(mp4, 'odd.mp4')], { options: { chunkSize: 0.3 } }, 'oAuth2', false);
		expect(result.error).toBeUndefined();
		const json = result.output['X Media'][0].json;
		expect(emulator.mediaSha256(json.media_id as string)).toBe(sha256(mp4));
		expect(acknowledgedIndexes()).toEqual([...Array(json.segments as number).keys()]);
	});
});
