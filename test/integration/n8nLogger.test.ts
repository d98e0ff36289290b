/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in plain Node and never ships in the package */
/**
 * The suite keeps n8n's logger off the console (test/harness/env.ts) but not out of the secret leak
 * check: its lines go to a file in the leak-log folder, which the global teardown searches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorSuite } from '../harness/emulatorSuite';
import { LEAK_LOG_DIR } from '../harness/leakRecorder';

describe("n8n's logger during the tests", () => {
	const { runWorkflow } = emulatorSuite();

	it('writes a node error to the leak-log folder at error level, not to the console', async () => {
		expect(process.env.N8N_LOG_OUTPUT).toBe(process.env.XMEDIA_TEST_N8N_LOG === 'console' ? 'console,file' : 'file');
		const file = join(LEAK_LOG_DIR, `n8n-logger-${process.pid}.log`);
		expect(process.env.N8N_LOG_FILE_LOCATION).toBe(file);
		const marker = `logger-check-${Date.now()}.png`;
		const res = await runWorkflow({
			items: [{ binary: { data: { base64: '', fileName: marker, mimeType: 'image/png' } } }],
			nodes: [{ parameters: { operation: 'upload' } }],
		});
		expect(res.error?.message).toContain(marker);
		// winston writes the file asynchronously.
		let lines: Array<{ level?: string; message?: string }> = [];
		for (let i = 0; i < 50; i++) {
			lines = existsSync(file)
				? readFileSync(file, 'utf8')
						.split('\n')
						.filter(Boolean)
						.map((l) => JSON.parse(l) as { level?: string; message?: string })
				: [];
			if (lines.some((l) => l.message?.includes(marker))) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(lines.find((l) => l.message?.includes(marker))).toMatchObject({ level: 'error' });
	});
});
