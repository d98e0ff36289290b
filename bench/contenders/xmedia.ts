/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * X Media: the `upload` operation run through n8n-core's real engine (WorkflowExecute) by the test
 * harness, with n8n's filesystem binary storage, default options and the OAuth2 credential
 * (environment: bench/lib/n8nEnv.ts, the same as test/harness/env.ts).
 *
 * The workflow is "Test Files" (streams the file into n8n's binary storage with prepareBinaryData)
 * → "X Media" (upload). Only the X Media node is timed: the built node class's `execute` is wrapped
 * (the harness loads dist/ through n8n's PackageDirectoryLoader, which `require`s the same module),
 * so the timed section is exactly the node's execute(): reading the file from n8n's binary storage,
 * INITIALIZE/APPEND/FINALIZE (or the one-request upload for images), the processing check, building
 * the output. Peak memory is measured over that section too (full GC and idle RSS right before it).
 */
import '../lib/n8nEnv';

import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { EmulatorClient } from '../../test/emulator/client';
import { PACKAGE_ROOT, runWorkflow } from '../../test/harness/n8nHarness';
import type { RunResult } from '../../test/harness/n8nHarness';
import { credentialsFor } from '../../test/harness/scenario';
import type { ChildInput, ChildResult, Measurement } from '../lib/common';
import { measure } from '../lib/common';

type Execute = (this: unknown, ...args: unknown[]) => Promise<unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the very module n8n's loader requires
const nodeModule = require(join(PACKAGE_ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js')) as { XMedia: { prototype: { execute: Execute } } };
const originalExecute = nodeModule.XMedia.prototype.execute;
let armed = false;
let measured: Measurement | undefined;
nodeModule.XMedia.prototype.execute = async function (this: unknown, ...args: unknown[]) {
	if (!armed) return await originalExecute.apply(this, args);
	const { value, m } = await measure(() => originalExecute.apply(this, args));
	measured = m;
	return value;
};

/**
 * The test harness appends each workflow's output to test/.tmp/leak-log/<pid>.log for the test
 * suite's secret-leak check. A benchmark run is not part of that suite, and a concurrent jest
 * teardown may remove the folder mid-run (ENOENT after the upload): in this process those appends
 * are dropped (they happen after the timed section either way).
 */
const LEAK_LOG_DIR = join(PACKAGE_ROOT, 'test', '.tmp', 'leak-log');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, which the harness calls through
const fsModule = require('node:fs') as { appendFileSync: (...args: unknown[]) => void };
const originalAppend = fsModule.appendFileSync;
fsModule.appendFileSync = (path: unknown, ...rest: unknown[]) => {
	if (typeof path === 'string' && path.startsWith(LEAK_LOG_DIR)) return;
	originalAppend(path, ...rest);
};

/**
 * XMEDIA_BENCH_OPTIONS='{"parallelUploads":6}': the node's Options for a what-if run (default: none,
 * the node's defaults, as the bench reports).
 */
const OPTIONS = process.env.XMEDIA_BENCH_OPTIONS ? (JSON.parse(process.env.XMEDIA_BENCH_OPTIONS) as Record<string, number>) : undefined;

/** Where the file comes from: n8n's binary data (the Test Files node puts it there), or a URL. */
export type Source = { url?: undefined } | { url: string };

async function upload(baseUrl: string, file: string, fileName: string, mimeType: string, source: Source = {}): Promise<RunResult> {
	const result = await runWorkflow({
		items: source.url ? [{ json: {} }] : [{ binary: { data: { path: file, fileName, mimeType } } }],
		nodes: [
			{
				parameters: {
					authentication: 'oAuth2',
					operation: 'upload',
					...(source.url ? { source: 'url', mediaUrl: source.url } : {}),
					...(OPTIONS ? { options: OPTIONS } : {}),
				},
			},
		],
		credentials: credentialsFor(baseUrl),
	});
	if (result.error) throw new Error(`X Media failed: ${result.error.message} ${result.error.description ?? ''}`);
	return result;
}

/** `fromUrl`: the node reads the file from the bench's file server (`input.fileUrl`), not from n8n. */
export async function run(input: ChildInput, fromUrl = false): Promise<ChildResult> {
	if (fromUrl && (!input.fileUrl || !input.warmupUrl)) throw new Error('no file URL given to a URL contender');
	try {
		await upload(input.baseUrl, input.warmup.file, input.warmup.fileName, input.warmup.mediaType, fromUrl ? { url: input.warmupUrl! } : {});
		await new EmulatorClient(input.baseUrl).reset();
		armed = true;
		const t0 = Date.now();
		const result = await upload(input.baseUrl, input.file, input.fileName, input.mediaType, fromUrl ? { url: input.fileUrl! } : {});
		const workflowMs = Date.now() - t0;
		armed = false;
		if (!measured) throw new Error('the X Media node was not timed (execute wrapper not called)');
		const out = result.output['X Media']?.[0]?.json ?? {};
		const runData = result.run.data.resultData.runData;
		return {
			contender: fromUrl ? 'xmedia-url' : 'xmedia',
			...measured,
			mediaId: String(out.media_id),
			extra: {
				n8nExecutionTimeMs: runData['X Media']?.[0]?.executionTime ?? NaN,
				testFilesExecutionTimeMs: runData['Test Files']?.[0]?.executionTime ?? NaN,
				workflowMs,
				segments: Number(out.segments),
				uploadMethod: String(out.upload_method),
			},
		};
	} finally {
		const folder = process.env.XMEDIA_TEST_USER_FOLDER;
		if (folder && folder.includes('.tmp')) rmSync(folder, { recursive: true, force: true });
	}
}
