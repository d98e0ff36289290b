/**
 * The emulator's bench modes (issue 11): a sink that never stores segments but still knows the
 * file's sha256 (segments hashed in order as they arrive, in any order), and a shaped link.
 */
import { emulatorSuite } from '../harness/emulatorSuite';
import { b64, sha256 } from '../harness/scenario';
import { makeMp4 } from '../fixtures/media';

const { emulator, runWorkflow } = emulatorSuite({ processingSteps: 0, sink: true });
beforeEach(() => {
	emulator.setOptions({ bandwidthMbps: undefined });
});

const MiB = 1024 * 1024;

async function upload(bytes: Buffer, options: Record<string, number>) {
	return await runWorkflow({
		items: [{ binary: { data: { base64: b64(bytes), fileName: 'clip.mp4', mimeType: 'video/mp4' } } }],
		nodes: [{ parameters: { authentication: 'oAuth2', operation: 'upload', options } }],
	});
}

it('sink mode: segments arriving out of order are hashed in order; the sha256 is the file’s', async () => {
	const mp4 = makeMp4(9 * MiB + 11);
	const result = await upload(mp4, { chunkSize: 0.5, parallelUploads: 4 });
	expect(result.error).toBeUndefined();
	const id = result.output['X Media'][0].json.media_id as string;
	expect(emulator.media(id)?.size).toBe(mp4.length);
	expect(emulator.mediaSha256(id)).toBe(sha256(mp4));
	// Nothing was stored: the bytes cannot be read back.
	expect(() => emulator.mediaBytes(id)).toThrow();
});

it('a shaped link: 4 MiB at 40 Mbit/s take at least 0.8 s', async () => {
	emulator.setOptions({ bandwidthMbps: 40 });
	const mp4 = makeMp4(4 * MiB);
	const started = Date.now();
	const result = await upload(mp4, {});
	expect(result.error).toBeUndefined();
	expect(Date.now() - started).toBeGreaterThanOrEqual(800);
	expect(emulator.mediaSha256(result.output['X Media'][0].json.media_id as string)).toBe(sha256(mp4));
});
