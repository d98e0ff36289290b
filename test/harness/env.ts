/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Runs before every test file (jest `setupFiles`): gives n8n-core an isolated user folder, so its
 * instance settings and its filesystem binary storage live in a temporary directory.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
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
import { installLeakRecorder, LEAK_LOG_DIR } from './leakRecorder';

installLeakRecorder();

// n8n's logger (its ErrorReporter logs every node error, at error level, hundreds in a run) writes
// to a file in the leak-log folder instead of the console: the run shows only jest's own output,
// and the secret leak check (leakCheck.ts reads every file there) still searches every log line.
// XMEDIA_TEST_N8N_LOG=console prints them as well.
mkdirSync(LEAK_LOG_DIR, { recursive: true });
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'info';
process.env.N8N_LOG_OUTPUT = process.env.XMEDIA_TEST_N8N_LOG === 'console' ? 'console,file' : 'file';
process.env.N8N_LOG_FILE_LOCATION = join(LEAK_LOG_DIR, `n8n-logger-${process.pid}.log`);
