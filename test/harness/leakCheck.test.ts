/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/** The suite-wide leak check is only worth something if it finds a leak: prove it on a planted one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { oauth1Credentials, oauth2Tokens } from '../emulator/testCredentials';
import { checkLeakLog } from './leakCheck';

describe('checkLeakLog', () => {
	it('finds a planted token, secret and Authorization header, and passes clean text', () => {
		const dir = mkdtempSync(join(tmpdir(), 'leak-'));
		writeFileSync(join(dir, 'a.log'), `[run] {"error":"bad ${oauth2Tokens.userA}"}\n[stdout] fine line\n`);
		writeFileSync(join(dir, 'b.log'), `[console.error] consumer secret ${oauth1Credentials.consumerSecret}\n[stdout] "authorization": "OAuth oauth_consumer_key=x"\n`);
		const { hits, records } = checkLeakLog(dir);
		expect(records).toBeGreaterThanOrEqual(4);
		expect(hits).toHaveLength(3);
		const clean = mkdtempSync(join(tmpdir(), 'leak-'));
		writeFileSync(join(clean, 'c.log'), 'X refused the media upload request (HTTP 401): Unauthorized\n');
		expect(checkLeakLog(clean).hits).toEqual([]);
	});
});
