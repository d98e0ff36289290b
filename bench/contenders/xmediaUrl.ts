/**
 * X Media with the file from a URL (issue 19, "Media from a URL"): the same workflow and timing as
 * contenders/xmedia.ts, but the X Media node's `source` is `url` and `mediaUrl` points at the
 * bench's file server on 127.0.0.1 (bench/lib/fileServer.ts, which run-bench.ts starts beside the
 * emulator), so the bytes go from that server to X's APPENDs without n8n's binary storage.
 */
import type { ChildInput, ChildResult } from '../lib/common';
import { run as runXMedia } from './xmedia';

export async function run(input: ChildInput): Promise<ChildResult> {
	return await runXMedia(input, true);
}
