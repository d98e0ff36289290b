/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmark tool: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, and
 * "total" (inclusive) time of the functions named with --focus.
 *   tsx bench/tools/cpuprofile-top.ts PROFILE [--last-ms N] [--top N] [--focus name1,name2]
 * --last-ms keeps only the samples of the last N ms (e.g. the timed upload at the end of a child).
 */
import { readFileSync } from 'node:fs';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const args = process.argv.slice(2);
const file = args[0];
const opt = (name: string) => {
	const i = args.indexOf(name);
	return i === -1 ? undefined : args[i + 1];
};
const lastMs = Number(opt('--last-ms') ?? 0);
const top = Number(opt('--top') ?? 30);
const focus = (opt('--focus') ?? '').split(',').filter(Boolean);

const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const times: number[] = [];
let t = p.startTime;
for (const d of p.timeDeltas) times.push((t += d));
const cutoff = lastMs > 0 ? p.endTime - lastMs * 1000 : -Infinity;

const self = new Map<number, number>();
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
	if (times[i] < cutoff) continue;
	const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
	self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
	total += dt;
}

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm/').replace(/.*\/work\/main\//, '');
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const fnSelf = new Map<string, number>();
const fileSelf = new Map<string, number>();
for (const [id, ms] of self) {
	const n = byId.get(id)!;
	fnSelf.set(label(n), (fnSelf.get(label(n)) ?? 0) + ms);
	const f = short(n.callFrame.url) || `(${n.callFrame.functionName})`;
	fileSelf.set(f, (fileSelf.get(f) ?? 0) + ms);
}
const print = (title: string, m: Map<string, number>) => {
	console.log(`\n${title}`);
	for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${file}: ${total.toFixed(0)} ms sampled${lastMs ? ` (last ${lastMs} ms)` : ''}`);
print('self time by function', fnSelf);
print('self time by file', fileSelf);
if (focus.length) {
	const incl = new Map<string, number>();
	for (const [id, ms] of self) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const n = byId.get(cur)!;
			const name = n.callFrame.functionName;
			if (focus.includes(name) && !seen.has(label(n))) {
				seen.add(label(n));
				incl.set(label(n), (incl.get(label(n)) ?? 0) + ms);
			}
		}
	}
	print('inclusive time of focused functions', incl);
}
