/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * `npm run demo`: the package's main job, with no X account and no network.
 *
 * Starts the local X API emulator, then runs two workflows through n8n's real execution engine
 * (n8n-core, filesystem binary storage), the way a person would build them in the editor:
 *   1. two generated images  → X Media "Upload" → X Media "Create Post with Media" (combined: one post)
 *   2. one generated video   → X Media "Create Post with Media" from binary (a video stands alone)
 * and prints each file, its media id, method, segments, time, and the post URLs.
 */
import '../harness/env';

import { startEmulator } from '../emulator';
import { runWorkflow } from '../harness/n8nHarness';
import type { RunResult } from '../harness/n8nHarness';
import { b64, credentialsFor, sha256 } from '../harness/scenario';
import { makeMp4, makePng } from '../fixtures/media';

const MiB = 1024 * 1024;

function fail(result: RunResult): never {
	console.error(`\nThe workflow failed: ${result.error?.message}\n${result.error?.description ?? ''}`);
	process.exit(1);
}

function row(cells: string[], widths: number[]): string {
	return cells.map((c, i) => c.padEnd(widths[i])).join('  ');
}

async function main() {
	const emulator = await startEmulator({ checkAfterSecs: 1, processingSteps: 2 });
	const credentials = credentialsFor(emulator.baseUrl);
	console.log(`X API emulator on ${emulator.baseUrl} (nothing leaves this machine)\n`);

	const images = [makePng(1200, 675), makePng(1080, 1080)];
	const video = makeMp4(24 * MiB + 4321);

	const t1 = Date.now();
	const imagesRun = await runWorkflow({
		items: [
			{ json: { caption: 'Two charts from n8n' }, binary: { data: { base64: b64(images[0]), fileName: 'chart-wide.png' } } },
			{ binary: { data: { base64: b64(images[1]), fileName: 'chart-square.png' } } },
		],
		nodes: [
			{ name: 'Upload', parameters: { operation: 'upload', options: { altText: 'A chart made by n8n' } } },
			{
				name: 'Post Images',
				parameters: { operation: 'createPost', text: 'Two charts, one post, uploaded by n8n', combineItems: true },
			},
		],
		credentials,
	});
	if (imagesRun.error) fail(imagesRun);
	const imagesMs = Date.now() - t1;

	const t2 = Date.now();
	const videoRun = await runWorkflow({
		items: [{ binary: { data: { base64: b64(video), fileName: 'clip.mp4' } } }],
		nodes: [
			{
				name: 'Post Video',
				parameters: { authentication: 'oAuth1', operation: 'createPost', text: 'A video, posted straight from binary', mediaSource: 'binary' },
			},
		],
		credentials,
	});
	if (videoRun.error) fail(videoRun);
	const videoMs = Date.now() - t2;

	const uploads = imagesRun.output['Upload'].map((i) => i.json);
	const videoPost = videoRun.output['Post Video'][0].json;
	const videoUpload = (videoPost.uploads as Array<Record<string, unknown>>)[0];
	const widths = [18, 10, 21, 8, 9, 9];
	console.log(row(['file', 'size', 'media id', 'method', 'segments', 'time'], widths));
	console.log(row(widths.map((w) => '-'.repeat(w)), widths));
	for (const u of uploads) {
		console.log(row([String(u.file_name), `${(Number(u.size) / 1024).toFixed(0)} KB`, String(u.media_id), String(u.upload_method), String(u.segments), `${(imagesMs / 1000).toFixed(2)} s*`], widths));
	}
	console.log(row([String(videoUpload.file_name), `${(Number(videoUpload.size) / MiB).toFixed(1)} MB`, String(videoUpload.media_id), String(videoUpload.upload_method), String(videoUpload.segments), `${(videoMs / 1000).toFixed(2)} s`], widths));
	console.log('  * both images together, uploads and post\n');

	const imagesPost = imagesRun.output['Post Images'][0].json;
	console.log(`Post with the two images: ${imagesPost.url}  (media ${(imagesPost.media_ids as string[]).join(', ')})`);
	console.log(`Post with the video:      ${videoPost.url}  (media ${(videoPost.media_ids as string[]).join(', ')})`);
	const received = emulator.posts().map((p) => `${p.id}: ${p.media_ids.length} media`);
	console.log(`\nThe emulator holds ${emulator.posts().length} posts (${received.join('; ')}).`);
	const originals: Record<string, Buffer> = { 'chart-wide.png': images[0], 'chart-square.png': images[1], 'clip.mp4': video };
	for (const u of [...uploads, videoUpload]) {
		const held = emulator.mediaSha256(String(u.media_id));
		if (held !== sha256(originals[String(u.file_name)])) {
			console.error(`Mismatch for ${u.file_name}: the emulator holds other bytes than the file's`);
			process.exit(1);
		}
	}
	console.log('Every uploaded file was checked byte for byte (sha256) against what the emulator received.');
	await emulator.stop();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
