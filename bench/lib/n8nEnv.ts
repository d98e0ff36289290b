/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Imported first by the X Media child, before anything loads n8n-core: the same environment as
 * test/harness/env.ts (an isolated n8n user folder, filesystem binary storage), without the test
 * suite's leak recorder, which wraps stdout and console with synchronous writes to
 * test/.tmp/leak-log/ (and makes the process fail if a concurrent jest teardown removes that folder).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.XMEDIA_TEST_USER_FOLDER) {
	process.env.XMEDIA_TEST_USER_FOLDER = mkdtempSync(join(tmpdir(), 'x-media-bench-'));
}
process.env.N8N_USER_FOLDER = process.env.XMEDIA_TEST_USER_FOLDER;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
