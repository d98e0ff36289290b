/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * @xdevplatform/xdk 0.6.6 (X's official TypeScript SDK), driven the way X's chunked-upload
 * quickstart shows it: read the file, `media.initializeUpload`, then `media.appendUpload` of 4 MiB
 * segments as base64 in a JSON body, one at a time, then `media.finalizeUpload` (and STATUS polls
 * only if processing is still pending). Pointed at the emulator with the client's `baseUrl` option.
 * Timed: reading the file into a Buffer + the whole upload.
 */
import { readFile } from 'node:fs/promises';

import { Client } from '@xdevplatform/xdk';

import { EmulatorClient } from '../../test/emulator/client';
import { oauth2Tokens } from '../../test/emulator/testCredentials';
import type { ChildInput, ChildResult } from '../lib/common';
import { MiB, measure } from '../lib/common';

/** 4 MiB, unless the parent found that the emulator cannot take that much base64 in one APPEND. */
const SEGMENT_BYTES = Number(process.env.BENCH_XDK_SEGMENT_BYTES ?? 4 * MiB);

interface UploadData {
	id?: string;
	processing_info?: { state?: string; check_after_secs?: number };
}

async function upload(baseUrl: string, file: string, mediaType: string, category: string): Promise<string> {
	const client = new Client({ baseUrl, accessToken: oauth2Tokens.userA });
	const media = await readFile(file);
	const init = (await client.media.initializeUpload({
		mediaType,
		totalBytes: media.length,
		mediaCategory: category,
	} as never)) as { data?: UploadData };
	const mediaId = init.data?.id;
	if (!mediaId) throw new Error(`xdk: initialize gave no id: ${JSON.stringify(init)}`);
	for (let index = 0, offset = 0; offset < media.length; index++, offset += SEGMENT_BYTES) {
		const chunk = media.subarray(offset, Math.min(offset + SEGMENT_BYTES, media.length));
		await client.media.appendUpload(mediaId, { media: chunk.toString('base64'), segmentIndex: index } as never);
	}
	let status = ((await client.media.finalizeUpload(mediaId)) as { data?: UploadData }).data;
	while (status?.processing_info && (status.processing_info.state === 'pending' || status.processing_info.state === 'in_progress')) {
		await new Promise((resolve) => setTimeout(resolve, (status?.processing_info?.check_after_secs ?? 1) * 1000));
		status = ((await client.media.getUploadStatus(mediaId as never)) as { data?: UploadData }).data;
	}
	if (status?.processing_info?.state === 'failed') throw new Error(`xdk: processing failed: ${JSON.stringify(status)}`);
	return mediaId;
}

export async function run(input: ChildInput): Promise<ChildResult> {
	await upload(input.baseUrl, input.warmup.file, input.warmup.mediaType, input.warmup.category);
	await new EmulatorClient(input.baseUrl).reset();
	const { value: mediaId, m } = await measure(() => upload(input.baseUrl, input.file, input.mediaType, input.category));
	return { contender: 'xdk', ...m, mediaId, extra: { segmentBytes: SEGMENT_BYTES } };
}
