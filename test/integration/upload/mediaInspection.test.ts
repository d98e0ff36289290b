/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading files */
/**
 * The upload engine's inspection step with a counting stand-in for n8n's binary storage: how many
 * passes it opens and how many bytes it reads beyond the head, per layout and per storage mode
 * (a stream of pieces of the asked size, as S3 or a stream without a file handle; database: the
 * whole file as one piece). These streams hold no file handle, so the inspection streams; the seek
 * pass of filesystem mode is tested in mediaInspectionSeek.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { resolveMediaType, SNIFF_HEAD_BYTES, TAIL_CHECK_BYTES } from '../../../nodes/XMedia/helpers/media';
import type { BinarySource } from '../../../nodes/XMedia/upload/io/binarySource';
import { applyMediaChecks, inspectMedia } from '../../../nodes/XMedia/upload/mediaInspection';
import { makeGif, makeMoov, makeMp4 } from '../../fixtures/media';

const media = (name: string) => readFileSync(join(__dirname, '../../media/files', name));

function countingSource(bytes: Buffer, mode: 'filesystem' | 'database', fileName = 'f.mp4') {
	const stats = { opens: 0, bytesYielded: 0 };
	const source: BinarySource = {
		propertyName: 'data',
		binaryDataId: undefined,
		fileName,
		declaredMimeType: undefined,
		size: bytes.length,
		async open(pieceBytes: number) {
			stats.opens++;
			return (async function* () {
				const step = mode === 'database' ? bytes.length : pieceBytes;
				for (let at = 0; at < bytes.length; at += step) {
					const piece = bytes.subarray(at, at + step);
					stats.bytesYielded += piece.length;
					yield piece;
				}
			})();
		},
		async readAll() {
			return bytes;
		},
		release() {},
		storageReads: 0,
	};
	return { source, stats };
}

async function inspect(bytes: Buffer, mode: 'filesystem' | 'database', tail = false) {
	const { source, stats } = countingSource(bytes, mode);
	const head = Buffer.from(bytes.subarray(0, SNIFF_HEAD_BYTES));
	const type = resolveMediaType({ head });
	const result = await inspectMedia(source, type, head, { category: 'tweet_video', tailBytes: tail ? TAIL_CHECK_BYTES : undefined });
	return { result, stats };
}

describe.each(['filesystem', 'database'] as const)('%s mode', (mode) => {
	test('moov first: the head is enough, no pass is opened', async () => {
		const { result, stats } = await inspect(makeMp4(3 * 1024 * 1024), mode);
		expect(stats.opens).toBe(0);
		expect(result.extraBytesRead).toBe(0);
		expect(result.mediaInfo).toMatchObject({ video_codec: 'h264', width: 640 });
	});

	test('a file smaller than the head (the real moov-last test file): nothing more is read', async () => {
		const { result, stats } = await inspect(media('h264-aac-moov-last.mp4'), mode);
		expect(stats.opens).toBe(0);
		expect(result.mediaInfo).toMatchObject({ duration_ms: 3000, audio_codec: 'aac-lc' });
	});

	test('moov last: one pass to the moov, reading only beyond the head', async () => {
		const ftyp = media('h264-aac-moov-last.mp4').subarray(0, 32);
		const payload = 3 * 1024 * 1024;
		const mdat = Buffer.alloc(8 + payload, 0x5a);
		mdat.writeUInt32BE(8 + payload, 0);
		mdat.write('mdat', 4, 'latin1');
		const bytes = Buffer.concat([ftyp, mdat, makeMoov({ durationMs: 42000 }, 40)]);
		const { result, stats } = await inspect(bytes, mode);
		expect(stats.opens).toBe(1);
		expect(result.pass).toBe('stream');
		expect(result.extraBytesRead).toBe(bytes.length - SNIFF_HEAD_BYTES);
		expect(result.mediaInfo).toMatchObject({ duration_ms: 42000, audio_codec: 'aac-lc', width: 640 });
	});

	test('an image with the completeness check: one pass gives both the tail and the frames', async () => {
		const gif = makeGif({ frames: 600, width: 16, height: 16 });
		expect(gif.length).toBeGreaterThan(SNIFF_HEAD_BYTES);
		const { result, stats } = await inspect(gif, mode, true);
		expect(stats.opens).toBe(1);
		expect(result.tail?.length).toBe(TAIL_CHECK_BYTES);
		expect(result.tail?.subarray(-1)[0]).toBe(0x3b);
		expect(result.mediaInfo.frame_count).toBe(600);
	});
});

test('a refusal names the value, the limit and the fix; Skip Media Checks turns it into a warning', async () => {
	const { source } = countingSource(media('fps-120.mp4'), 'filesystem', 'screen.mp4');
	const bytes = media('fps-120.mp4');
	const head = Buffer.from(bytes.subarray(0, SNIFF_HEAD_BYTES));
	const result = await inspectMedia(source, resolveMediaType({ head }), head, { category: 'tweet_video' });
	expect(() => applyMediaChecks(result, false)).toThrow('The video has 120 frames per second; X takes at most 60.');
	try {
		applyMediaChecks(result, false);
	} catch (error) {
		expect((error as { description: string }).description).toMatch(/^Change the frame rate: ffmpeg -i "screen\.mp4" -vf fps=60 .* "screen-60fps\.mp4"/);
	}
	expect(applyMediaChecks(result, true)).toEqual([expect.stringMatching(/^Not checked \(Skip Media Checks is on\), X may refuse it: The video has 120 frames/)]);
});
