/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code: runs in plain Node and never ships in the package */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { clearLeakLog } from './leakCheck';

export default function globalSetup(): void {
	clearLeakLog();
	// One folder for the whole run: the workers' n8n user folders (and binary storage) go inside it.
	process.env.XMEDIA_TEST_ROOT = mkdtempSync(join(tmpdir(), 'x-media-run-'));
}
