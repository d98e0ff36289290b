/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Jest global setup and teardown: clears the record of what the suite showed, then, after all
 * tests, searches all of it (outputs, errors, descriptions, log lines) for any token or secret of the
 * test identities. A single hit fails the run.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ALL_TEST_SECRETS, URL_QUERY_SECRET } from '../emulator/testCredentials';
import { LEAK_LOG_DIR } from './leakRecorder';

export function clearLeakLog(): void {
	rmSync(LEAK_LOG_DIR, { recursive: true, force: true });
}

export function checkLeakLog(dir = LEAK_LOG_DIR): { bytes: number; records: number; hits: string[]; n8nLogLines: number } {
	let bytes = 0;
	let records = 0;
	/** Lines n8n's own logger wrote (to files here, see env.ts), included in `records`. */
	let n8nLogLines = 0;
	const hits: string[] = [];
	if (!existsSync(dir)) return { bytes, records, hits, n8nLogLines };
	for (const name of readdirSync(dir)) {
		const text = readFileSync(join(dir, name), 'utf8');
		bytes += text.length;
		const lines = text.split('\n');
		records += lines.length;
		if (name.startsWith('n8n-logger-')) n8nLogLines += lines.filter((l) => l !== '').length;
		for (const line of lines) {
			for (const secret of ALL_TEST_SECRETS) {
				if (line.includes(secret)) hits.push(`${name}: …${line.slice(Math.max(0, line.indexOf(secret) - 80), line.indexOf(secret) + 20)}…`);
			}
			// A URL's query (media from a URL) may sit in a run's record, as the workflow's own parameter
			// or an upstream item; in no log line, output or error (the tests check those of each run).
			if (!line.startsWith('[run]') && line.includes(URL_QUERY_SECRET)) hits.push(`${name}: a URL's query: …${line.slice(Math.max(0, line.indexOf(URL_QUERY_SECRET) - 80), line.indexOf(URL_QUERY_SECRET) + 20)}…`);
			if (/authorization["']?\s*[:=]\s*["']?(Bearer|OAuth)\s/i.test(line)) hits.push(`${name}: an Authorization header value: ${line.slice(0, 200)}`);
		}
	}
	return { bytes, records, hits, n8nLogLines };
}
