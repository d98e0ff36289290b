/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading the sources and X's spec */
/**
 * The endpoints table is the one place that knows X's endpoints: every route is one of X's spec
 * with the scopes the spec requires, no path is written anywhere else in the node, and every
 * request sends the method and kind its route says. The hint rows are reachable.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ENDPOINTS, X_API } from '../../../nodes/XMedia/transport/endpoints';
import type { XRoute } from '../../../nodes/XMedia/transport/endpoints';

const nodeDir = join(__dirname, '../../../nodes/XMedia');
const spec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/x-openapi-subset.json'), 'utf8')) as {
	paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
};

/** The spec's path template a concrete path is an instance of (a literal path first). */
function specPathOf(path: string): string | undefined {
	const templates = Object.keys(spec.paths);
	if (templates.includes(path)) return path;
	return templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

const routes = Object.entries(X_API) as Array<[string, XRoute]>;

describe.each(routes)('X_API.%s', (_id, route) => {
	const path = (route.path as (...parts: string[]) => string)(...Array.from({ length: route.path.length }, () => '1880028106020515840'));
	const template = specPathOf(path);

	test('is an endpoint of X\'s spec', () => {
		expect(template).toBeDefined();
		expect(spec.paths[template!][route.method.toLowerCase()]).toBeDefined();
	});

	test('names the OAuth 2.0 scopes the spec requires', () => {
		const security = spec.paths[template!][route.method.toLowerCase()].security ?? [];
		const oauth2 = security.find((s) => s.OAuth2UserToken)?.OAuth2UserToken ?? [];
		expect([...route.scopes].sort()).toEqual([...oauth2].sort());
	});
});

function sources(): Array<{ file: string; text: string }> {
	return readdirSync(nodeDir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts'))
		.map((file) => ({ file, text: readFileSync(join(nodeDir, file), 'utf8') }));
}

function withoutComments(text: string): string {
	return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

test('no X path is written outside transport/endpoints.ts', () => {
	const found = sources()
		.filter(({ file }) => file !== join('transport', 'endpoints.ts'))
		.flatMap(({ file, text }) => [...withoutComments(text).matchAll(/['`]\/(?:1\.1|2)\/[^'`]*['`]/g)].map((m) => `${file}: ${m[0]}`));
	expect(found).toEqual([]);
});

test('every request sends the method and kind of the route its path comes from', () => {
	const used = new Set<string>();
	let requests = 0;
	for (const { file, text } of sources()) {
		const code = withoutComments(text);
		for (const m of code.matchAll(/\.request(?:<[^(]*>)?\(\{/g)) {
			const block = code.slice(m.index, code.indexOf('});', m.index) + 3);
			const method = /method: '([A-Z]+)'/.exec(block)?.[1];
			const endpoint = /endpoint: '([A-Za-z]+)'/.exec(block)?.[1];
			const pathLine = /path(?::[^\n]*)?,/.exec(block)?.[0] ?? '';
			// A path given by name (`path,`) is computed just above the request.
			const pathCode = /X_API/.test(pathLine) ? pathLine : code.slice(Math.max(0, m.index - 400), m.index);
			const ids = [...pathCode.matchAll(/X_API\.(\w+)\.path\(/g)].map((p) => p[1] as keyof typeof X_API);
			requests++;
			for (const id of ids) used.add(id);
			expect({ file, ids: ids.length > 0 }).toEqual({ file, ids: true });
			for (const id of ids) {
				expect({ file, id, method, endpoint }).toEqual({ file, id, method: X_API[id].method, endpoint: X_API[id].endpoint });
			}
		}
	}
	expect(requests).toBeGreaterThan(0);
	// Every route of the table is called.
	expect([...used].sort()).toEqual(Object.keys(X_API).sort());
});

test('every hint row can be reached (429 and 5xx have their own words)', () => {
	for (const info of Object.values(ENDPOINTS)) {
		const statuses = info.hints.map((r) => r.status);
		expect(new Set(statuses).size).toBe(statuses.length);
		for (const s of statuses) expect(s === 429 || s >= 500 || s < 400).toBe(false);
	}
});
