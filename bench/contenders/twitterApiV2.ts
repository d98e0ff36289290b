/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * twitter-api-v2 1.29.1: `client.v2.uploadMedia(buffer, { media_type, media_category })` with its
 * defaults (1 MiB chunks, one at a time, then a STATUS call when finalize reports processing_info).
 *
 * Pointed at the emulator: the v2 sub-client's prefix (`https://api.x.com/2/`, globals.js) is set
 * with its `setPrefix(baseUrl + '/2/')`, and since the library always calls `https.request`, an http
 * agent is given in the client settings (`httpAgent: http.globalAgent`, keep-alive as Node's https
 * default agent) so that plain http to 127.0.0.1 works. Timed: reading the file into a Buffer (as
 * a user of the library must) + uploadMedia.
 */
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';

import { TwitterApi } from 'twitter-api-v2';

import { EmulatorClient } from '../../test/emulator/client';
import { oauth2Tokens } from '../../test/emulator/testCredentials';
import type { ChildInput, ChildResult } from '../lib/common';
import { measure } from '../lib/common';

function client(baseUrl: string) {
	const api = new TwitterApi(oauth2Tokens.userA, { httpAgent: http.globalAgent });
	const v2 = api.v2;
	// The public cloneWithPrefix() throws in 1.29.1 ("Class constructor TwitterApiv2 cannot be invoked
	// without 'new'"), so the v2 client's own (protected) setPrefix is called.
	(v2 as unknown as { setPrefix(prefix: string): void }).setPrefix(`${baseUrl}/2/`);
	return v2;
}

async function upload(baseUrl: string, file: string, mediaType: string, category: string): Promise<string> {
	const media = await readFile(file);
	return await client(baseUrl).uploadMedia(media, { media_type: mediaType as 'image/png', media_category: category as 'tweet_image' });
}

export async function run(input: ChildInput): Promise<ChildResult> {
	await upload(input.baseUrl, input.warmup.file, input.warmup.mediaType, input.warmup.category);
	await new EmulatorClient(input.baseUrl).reset();
	const { value: mediaId, m } = await measure(() => upload(input.baseUrl, input.file, input.mediaType, input.category));
	return { contender: 'twitter-api-v2', ...m, mediaId };
}
