/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
import { rmSync } from 'node:fs';

import { checkLeakLog } from './leakCheck';

export default function globalTeardown(): void {
	if (process.env.XMEDIA_TEST_ROOT) rmSync(process.env.XMEDIA_TEST_ROOT, { recursive: true, force: true });
	const { bytes, records, hits, n8nLogLines } = checkLeakLog();
	console.log(
		`\nSecret leak check: ${records} recorded lines (${(bytes / 1024).toFixed(0)} KiB of outputs, errors and logs, ${n8nLogLines} of them from n8n's logger, not printed) searched; ${hits.length} secrets found.`,
	);
	if (hits.length) {
		console.error(hits.slice(0, 20).join('\n'));
		process.exitCode = 1;
		throw new Error(`${hits.length} secret(s) or Authorization header value(s) appeared in test outputs, errors or logs`);
	}
}
