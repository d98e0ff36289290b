/**
 * The helpers ship inside the n8n node and must pass n8n's strict community lint and run on
 * es2019: no imports but relative ones (not even n8n-workflow here), no banned globals.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading the sources */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '../../nodes/XMedia/helpers');
// The helpers and their sub-folders (mediaInfo/: the media readers).
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

function code(file: string): string {
	// Drop comments and string contents so that words in messages do not count.
	return readFileSync(join(dir, file), 'utf8')
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/\/\/.*$/gm, '')
		.replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
		.replace(/`(?:[^`\\]|\\.)*`/g, '``');
}

describe.each(files)('%s', (file) => {
	test('imports only relative paths', () => {
		const text = readFileSync(join(dir, file), 'utf8');
		const specifiers = [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
		for (const s of specifiers) expect(s).toMatch(/^\.\.?\//);
	});

	test('uses no banned globals or post-es2019 APIs', () => {
		const text = code(file);
		for (const banned of [
			/\bprocess\./,
			/\bglobalThis\b/,
			/\bglobal\./,
			/\bsetTimeout\b/,
			/\bsetInterval\b/,
			/\bsetImmediate\b/,
			/\bconsole\./,
			/\b__dirname\b/,
			/\brequire\(/,
			/\.at\(/,
			/Object\.hasOwn\b/,
			/\.replaceAll\(/,
			/\.findLast(Index)?\(/,
			/\beval\(/,
		]) {
			expect({ file, match: text.match(banned)?.[0] }).toEqual({ file, match: undefined });
		}
	});
});
