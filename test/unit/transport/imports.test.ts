/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading the sources */
/**
 * The transport is the bottom layer: it imports n8n-workflow and its own files, nothing of the
 * node. The stream modules (upload/io) import no other part of the node and not each other in a
 * cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const nodeDir = join(__dirname, '../../../nodes/XMedia');

function importsOf(file: string): string[] {
	const text = readFileSync(join(nodeDir, file), 'utf8');
	return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

function filesIn(dir: string): string[] {
	return readdirSync(join(nodeDir, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
}

test.each(filesIn('transport'))('%s imports only n8n-workflow and transport/ files', (file) => {
	for (const s of importsOf(file)) expect({ file, s, ok: s === 'n8n-workflow' || /^\.\/[^/]+$/.test(s) }).toEqual({ file, s, ok: true });
});

test.each(filesIn('upload/io'))('%s imports only n8n-workflow and upload/io/ files', (file) => {
	for (const s of importsOf(file)) expect({ file, s, ok: s === 'n8n-workflow' || /^\.\/[^/]+$/.test(s) }).toEqual({ file, s, ok: true });
});

test('no import cycle among transport/ and upload/io/ files', () => {
	const files = [...filesIn('transport'), ...filesIn('upload/io')];
	const edges = new Map(
		files.map((f) => [
			f,
			importsOf(f)
				.filter((s) => s.startsWith('./'))
				.map((s) => `${f.slice(0, f.lastIndexOf('/'))}/${s.slice(2)}.ts`),
		]),
	);
	const state = new Map<string, 'open' | 'done'>();
	const visit = (f: string, trail: string[]): void => {
		if (state.get(f) === 'done') return;
		expect({ cycle: state.get(f) === 'open' ? [...trail, f] : undefined }).toEqual({ cycle: undefined });
		state.set(f, 'open');
		for (const g of edges.get(f) ?? []) visit(g, [...trail, f]);
		state.set(f, 'done');
	};
	for (const f of files) visit(f, []);
});
