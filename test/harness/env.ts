/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Runs before every test file (jest `setupFiles`): gives n8n-core an isolated user folder, so its
 * instance settings and its filesystem binary storage live in a temporary directory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.XMEDIA_TEST_USER_FOLDER) {
	// Under the run's folder when jest made one (globalSetup; removed by globalTeardown): n8n's binary
	// storage of a run holds hundreds of MB of test files.
	process.env.XMEDIA_TEST_USER_FOLDER = mkdtempSync(join(process.env.XMEDIA_TEST_ROOT ?? tmpdir(), 'x-media-n8n-'));
}
process.env.N8N_USER_FOLDER = process.env.XMEDIA_TEST_USER_FOLDER;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = process.env.N8N_DEFAULT_BINARY_DATA_MODE ?? 'filesystem';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';

// Record every line and output a person could see, for the suite-wide secret leak check.
import { installLeakRecorder } from './leakRecorder';

installLeakRecorder();
