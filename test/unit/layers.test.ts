/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test reading the sources */
/**
 * The layers of the source, held by a test (README, "Development"). Imports flow downward only:
 *
 *   XMedia.node.ts → actions/ → upload/ → helpers/ | transport/
 *
 * A layer may import its own folder and any layer below it; helpers/ and transport/ are both the
 * bottom and import neither each other nor anything of the node (transport/ takes only n8n-workflow,
 * helpers/ not even that). No cycle among the modules (type-only imports count: a type cycle is the
 * same knot for a reader). helpers/ is pure: it consumes no stream and sends no request. The only
 * package the source may import is n8n-workflow (the package has no runtime dependency) and no
 * node built-in (n8n's strict lint bans them; the source imports none).
 *
 * The sources are parsed with TypeScript's parser: every `import`, `import type`, `export … from`,
 * `import()`, `require()` and `import('…').Type` counts; words in comments and strings do not.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const NODE_DIR = 'nodes/XMedia';

type Layer = 'node' | 'actions' | 'upload' | 'helpers' | 'transport' | 'credentials';

/** The layers each layer may import, besides its own folder. */
const MAY_IMPORT: Record<Layer, Layer[]> = {
	node: ['actions', 'upload', 'helpers', 'transport'],
	actions: ['upload', 'helpers', 'transport'],
	upload: ['helpers', 'transport'],
	helpers: [],
	transport: [],
	credentials: [],
};

/** The packages each layer may import (exact names; no node built-in anywhere). */
const PACKAGES: Record<Layer, string[]> = {
	node: ['n8n-workflow'],
	actions: ['n8n-workflow'],
	upload: ['n8n-workflow'],
	helpers: [],
	transport: ['n8n-workflow'],
	credentials: ['n8n-workflow'],
};

const LAYER_NAMES: Record<Layer, string> = {
	node: 'XMedia.node.ts',
	actions: 'actions/',
	upload: 'upload/',
	helpers: 'helpers/',
	transport: 'transport/',
	credentials: 'credentials/',
};

const ORDER = 'imports flow XMedia.node.ts → actions/ → upload/ → helpers/ | transport/';

/** Source files, as paths relative to the package root ('nodes/XMedia/helpers/limits.ts'). */
function sourceFiles(): string[] {
	const files: string[] = [];
	for (const dir of [NODE_DIR, 'credentials']) {
		for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
			if (f.endsWith('.ts') && !f.endsWith('.d.ts')) files.push(`${dir}/${f.split('\\').join('/')}`);
		}
	}
	return files.sort();
}

function layerOf(file: string): Layer | undefined {
	if (file.startsWith('credentials/')) return 'credentials';
	if (!file.startsWith(`${NODE_DIR}/`)) return undefined;
	const inNode = file.slice(NODE_DIR.length + 1);
	if (inNode === 'XMedia.node.ts') return 'node';
	const folder = inNode.split('/')[0];
	return (['actions', 'upload', 'helpers', 'transport'] as const).find((l) => l === folder);
}

interface Import {
	specifier: string;
	line: number;
	/** How it is written, for the messages: `import`, `import type`, `export from`, `import()`, `require()`. */
	form: string;
}

function parse(file: string): ts.SourceFile {
	return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2019, true);
}

function importsOf(source: ts.SourceFile): Import[] {
	const found: Import[] = [];
	const add = (literal: ts.Node, form: string) => {
		if (ts.isStringLiteralLike(literal)) {
			found.push({ specifier: literal.text, line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1, form });
		}
	};
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node)) {
			add(node.moduleSpecifier, node.importClause?.isTypeOnly ? 'import type' : 'import');
		} else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
			add(node.moduleSpecifier, node.isTypeOnly ? 'export type from' : 'export from');
		} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
			add(node.moduleReference.expression, 'import =');
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
			add(node.argument.literal, "import('…') type");
		} else if (ts.isCallExpression(node) && node.arguments.length > 0) {
			if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'import()');
			else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'require()');
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** The source file a relative specifier names, relative to the package root, if there is one. */
function resolveRelative(from: string, specifier: string): string | undefined {
	const base = resolve(ROOT, dirname(from), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate).split('\\').join('/');
	}
	return undefined;
}

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

/** The rules one file breaks, one line each: `file:line form 'specifier' (target): rule`. */
function violationsOf(file: string, imports: Import[]): string[] {
	const layer = layerOf(file) as Layer;
	const out: string[] = [];
	for (const { specifier, line, form } of imports) {
		const where = `${file}:${line} ${form} '${specifier}'`;
		if (!isRelative(specifier)) {
			if (PACKAGES[layer].includes(specifier)) continue;
			const builtin = specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
			if (layer === 'helpers' && /^(node:)?(stream|fs|http|https|net|readline)(\/|$)/.test(specifier)) {
				out.push(`${where}: helpers/ consume no stream and do no I/O (pure: bytes in, answers out)`);
			} else if (builtin) {
				out.push(`${where}: no layer imports a node built-in (n8n's strict lint bans them; derive types from n8n-workflow)`);
			} else {
				const allowed = PACKAGES[layer].length ? `only ${PACKAGES[layer].map((p) => `'${p}'`).join(', ')} and` : 'no package, only';
				out.push(`${where}: ${LAYER_NAMES[layer]} may import ${allowed} relative paths (the package has no runtime dependency)`);
			}
			continue;
		}
		const target = resolveRelative(file, specifier);
		if (!target) {
			out.push(`${where}: names no source file of the package`);
			continue;
		}
		const targetLayer = layerOf(target);
		if (!targetLayer) {
			out.push(`${where} (${target}): imports a file outside the package's source layers (${NODE_DIR}/, credentials/)`);
			continue;
		}
		if (targetLayer === layer || MAY_IMPORT[layer].includes(targetLayer)) continue;
		let rule: string;
		if (layer === 'transport') rule = 'transport/ imports nothing of the node (only n8n-workflow and transport/ itself)';
		else if (layer === 'helpers') rule = 'helpers/ import only helpers/ (pure: nothing of upload/, actions/, transport/)';
		else if (layer === 'credentials' || targetLayer === 'credentials') rule = 'credentials/ and the node import nothing of each other';
		else {
			const allowed = [layer, ...MAY_IMPORT[layer]].map((l) => LAYER_NAMES[l]).join(', ');
			rule = `${LAYER_NAMES[layer]} may import only ${allowed}: this import runs upward (${ORDER})`;
		}
		out.push(`${where} (${target}): ${rule}`);
	}
	return out;
}

/** The cycles among the modules, as paths `a.ts → b.ts → a.ts`: the shortest one through each module in a cycle. */
function cycles(graph: Map<string, string[]>): string[] {
	const found = new Set<string>();
	for (const start of [...graph.keys()].sort()) {
		// Breadth first from `start` until an import leads back to it.
		const cameFrom = new Map<string, string>();
		const queue = [start];
		search: while (queue.length) {
			const v = queue.shift()!;
			for (const w of graph.get(v) ?? []) {
				if (w === start) {
					const path: string[] = [];
					for (let u: string | undefined = v; u !== undefined; u = cameFrom.get(u)) path.unshift(u);
					// The same cycle found from another of its modules is written from its first module.
					const first = path.indexOf([...path].sort()[0]);
					const rotated = [...path.slice(first), ...path.slice(0, first)];
					found.add([...rotated, rotated[0]].join(' → '));
					break search;
				}
				if (w !== start && !cameFrom.has(w)) {
					cameFrom.set(w, v);
					queue.push(w);
				}
			}
		}
	}
	return [...found].sort();
}

const files = sourceFiles();
const imports = new Map(files.map((f) => [f, importsOf(parse(f))]));

test('every source file sits in a layer', () => {
	expect(files.filter((f) => !layerOf(f))).toEqual([]);
	expect(files).toContain(`${NODE_DIR}/XMedia.node.ts`);
});

describe.each(files.filter((f) => layerOf(f)))('%s', (file) => {
	test('imports downward only, and only allowed packages', () => {
		expect(violationsOf(file, imports.get(file)!)).toEqual([]);
	});
});

test('no cycle among the source modules', () => {
	const graph = new Map<string, string[]>();
	for (const [file, list] of imports) {
		const targets = list.filter((i) => isRelative(i.specifier)).map((i) => resolveRelative(file, i.specifier));
		graph.set(file, [...new Set(targets.filter((t): t is string => t !== undefined && imports.has(t)))]);
	}
	expect(cycles(graph).map((c) => `cycle: ${c}`)).toEqual([]);
});

describe('helpers/ are pure', () => {
	const helpers = files.filter((f) => layerOf(f) === 'helpers');

	/** Names that read a stream, reach n8n's binary storage, or send a request. */
	const IMPURE = new Set([
		'Readable',
		'Writable',
		'Duplex',
		'Transform',
		'PassThrough',
		'ReadableStream',
		'WritableStream',
		'pipe',
		'pipeTo',
		'pipeline',
		'asyncIterator',
		'createReadStream',
		'getBinaryStream',
		'getBinaryDataBuffer',
		'getBinaryMetadata',
		'getReader',
		'httpRequest',
		'httpRequestWithAuthentication',
		'requestWithAuthentication',
		'requestOAuth1',
		'requestOAuth2',
		'fetch',
		'XMLHttpRequest',
	]);

	function impurities(file: string): string[] {
		const source = parse(file);
		const out: string[] = [];
		const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
		const visit = (node: ts.Node): void => {
			if (ts.isForOfStatement(node) && node.awaitModifier) out.push(`${at(node)} for await: helpers/ consume no stream`);
			else if (ts.isIdentifier(node) && IMPURE.has(node.text)) {
				out.push(`${at(node)} ${node.text}: helpers/ consume no stream, reach no storage and send no request`);
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
		return out;
	}

	test.each(helpers)('%s consumes no stream and sends no request', (file) => {
		expect(impurities(file)).toEqual([]);
	});

	function code(file: string): string {
		// Drop comments and string contents so that words in messages do not count.
		return readFileSync(join(ROOT, file), 'utf8')
			.replace(/\/\*[\s\S]*?\*\//g, '')
			.replace(/\/\/.*$/gm, '')
			.replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
			.replace(/`(?:[^`\\]|\\.)*`/g, '``');
	}

	// They ship inside the node and run on es2019 under n8n's strict community lint.
	test.each(helpers)('%s uses no banned globals or post-es2019 APIs', (file) => {
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
