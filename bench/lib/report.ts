/**
 * Turns the runs into medians, pairwise ratios, target checks, a text table, Markdown and an SVG
 * bar chart (drawn by hand: no chart library).
 */
import type { CaseSpec, Contender } from './common';
import { CASES, CONTENDER_LABELS, CONTENDERS, MiB, median } from './common';
import { conditionsOf, linkLabel, sameLink } from './conditions';

export interface RunRecord {
	latencyMs: number;
	/** The emulator's link shaped to this many Mbit/s (undefined: not shaped). */
	bandwidthMbps?: number;
	caseId: string;
	run: number;
	contender: Contender;
	ok: boolean;
	error?: string;
	wallMs: number;
	idleRss: number;
	peakRss: number;
	hwmReset: boolean;
	cpuMs: number;
	requests: number;
	verified: boolean;
	/** CPU time the emulator process used during the child's life (warm-up included), ms. */
	emulatorCpuMs: number;
	/** Server-side duration of the FINALIZE request (reassembly + sha256 + sniffing), ms. */
	emulatorFinalizeMs?: number;
	/** Major (mark-compact) GCs in the uploading process during the timed section, and their pause time. */
	gcMajor?: number;
	gcMajorMs?: number;
	extra?: Record<string, number | string>;
}

export interface Summary {
	latencyMs: number;
	bandwidthMbps?: number;
	caseId: string;
	contender: Contender;
	runs: number;
	failures: number;
	wallMs: number;
	mibPerSec: number;
	idleRss: number;
	peakRss: number;
	growth: number;
	requests: number;
	emulatorCpuMs: number;
	emulatorFinalizeMs: number;
	gcMajor: number;
	gcMajorMs: number;
	/** CPU time of the uploading process during the timed section (all its threads), ms. */
	cpuMs: number;
	/** Median over runs of (X Media time / this contender's time) in the same run round. */
	xmediaRatio: number;
	note?: string;
}

export interface MachineInfo {
	date: string;
	cpus: number;
	cpuModel: string;
	totalMemMiB: number;
	node: string;
	platform: string;
	loadBefore: number[];
	loadAfter: number[];
	runs: number;
	latencies: number[];
	totalSeconds: number;
	command: string;
}

export interface EmulatorCheck {
	caseLabel: string;
	floorEmulatorMs: number;
	floorDiscardMs: number;
	base64Probe: string;
	xdkSegmentMiB: number;
}

const caseOf = (id: string): CaseSpec => CASES.find((c) => c.id === id)!;

export function summarise(records: RunRecord[], notes: Partial<Record<Contender, string>> = {}): Summary[] {
	const out: Summary[] = [];
	for (const { latencyMs, bandwidthMbps } of conditionsOf(records)) {
		for (const spec of CASES) {
			const rows = records.filter((r) => sameLink(r, latencyMs, bandwidthMbps) && r.caseId === spec.id);
			if (rows.length === 0) continue;
			for (const contender of CONTENDERS) {
				const mine = rows.filter((r) => r.contender === contender);
				if (mine.length === 0) continue;
				const good = mine.filter((r) => r.ok && r.verified);
				const ratios: number[] = [];
				for (const r of good) {
					const xm = rows.find((x) => x.contender === 'xmedia' && x.run === r.run && x.ok && x.verified);
					if (xm) ratios.push(xm.wallMs / r.wallMs);
				}
				const wallMs = median(good.map((r) => r.wallMs));
				out.push({
					latencyMs,
					bandwidthMbps,
					caseId: spec.id,
					contender,
					runs: mine.length,
					failures: mine.length - good.length,
					wallMs,
					mibPerSec: spec.bytes / MiB / (wallMs / 1000),
					idleRss: median(good.map((r) => r.idleRss)),
					peakRss: median(good.map((r) => r.peakRss)),
					growth: median(good.map((r) => r.peakRss - r.idleRss)),
					requests: median(good.map((r) => r.requests)),
					emulatorCpuMs: median(good.map((r) => r.emulatorCpuMs)),
					emulatorFinalizeMs: median(good.map((r) => r.emulatorFinalizeMs ?? NaN)),
					gcMajor: median(good.map((r) => r.gcMajor ?? NaN)),
					gcMajorMs: median(good.map((r) => r.gcMajorMs ?? NaN)),
					cpuMs: median(good.map((r) => r.cpuMs)),
					xmediaRatio: median(ratios),
					note: notes[contender],
				});
			}
		}
	}
	return out;
}

// ------------------------------------------------------------------------------------------ figures

const fmtS = (ms: number) => (Number.isFinite(ms) ? (ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2)) : '–');
const fmtMiB = (bytes: number) => (Number.isFinite(bytes) ? (bytes / MiB).toFixed(0) : '–');
const fmtRate = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
const fmtRatio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');

function speedup(xmRatio: number): string {
	if (!Number.isFinite(xmRatio)) return '–';
	return xmRatio <= 1 ? `${(1 / xmRatio).toFixed(1)}× faster` : `${xmRatio.toFixed(1)}× slower`;
}

export interface TargetCheck {
	name: string;
	met: boolean | undefined;
	detail: string;
}

export function checkTargets(summary: Summary[]): TargetCheck[] {
	const get = (lat: number, c: string, who: Contender) => summary.find((s) => sameLink(s, lat) && s.caseId === c && s.contender === who);
	const checks: TargetCheck[] = [];
	const xm0 = get(0, '512', 'xmedia');
	const fl0 = get(0, '512', 'floor');
	checks.push({
		name: '512 MiB video, no added latency: X Media within 1.3× of the floor',
		met: xm0 && fl0 ? fl0.xmediaRatio <= 1.3 : undefined,
		detail: xm0 && fl0 ? `${fmtS(xm0.wallMs)} s vs floor ${fmtS(fl0.wallMs)} s: ${fmtRatio(fl0.xmediaRatio)}` : 'not measured',
	});
	const latencies = [...new Set(summary.filter((s) => !s.bandwidthMbps).map((s) => s.latencyMs))];
	const fifty = latencies.filter((l) => l > 0);
	for (const lat of fifty) {
		const parts: string[] = [];
		let met: boolean | undefined = true;
		let any = false;
		for (const spec of CASES) {
			for (const who of ['twitter-api-v2', 'xdk'] as const) {
				const s = get(lat, spec.id, who);
				if (!s || !Number.isFinite(s.xmediaRatio)) continue;
				any = true;
				const factor = 1 / s.xmediaRatio;
				if (factor < 2) met = false;
				parts.push(`${spec.label} vs ${CONTENDER_LABELS[who]}: ${factor.toFixed(1)}×`);
			}
		}
		checks.push({
			name: `${lat} ms per request: X Media at least 2× faster than twitter-api-v2 and the SDK (every case)`,
			met: any ? met : undefined,
			detail: any ? parts.join('; ') : 'not measured',
		});
	}
	for (const lat of latencies) {
		const s = get(lat, '512', 'xmedia');
		checks.push({
			name: `512 MiB video, ${lat} ms: X Media peak RSS growth ≤ 64 MiB over idle (default options)`,
			met: s ? s.growth <= 64 * MiB : undefined,
			detail: s ? `+${fmtMiB(s.growth)} MiB (idle ${fmtMiB(s.idleRss)}, peak ${fmtMiB(s.peakRss)} MiB)` : 'not measured',
		});
	}
	for (const lat of latencies) {
		const pts = ['64', '256', '512'].map((c) => get(lat, c, 'xmedia'));
		if (pts.some((p) => !p)) {
			checks.push({ name: `${lat} ms: X Media cost linear from 64 to 512 MiB`, met: undefined, detail: 'not measured' });
			continue;
		}
		const perMiB = (pts as Summary[]).map((p) => p.wallMs / (caseOf(p.caseId).bytes / MiB));
		const worst = Math.max(perMiB[1], perMiB[2]) / perMiB[0];
		checks.push({
			name: `${lat} ms: X Media cost linear from 64 to 512 MiB (time per MiB at 256 and 512 MiB at most 1.25× that at 64 MiB)`,
			met: worst <= 1.25,
			detail: `ms per MiB at 64 / 256 / 512 MiB: ${perMiB.map((v) => v.toFixed(1)).join(' / ')} (largest ${worst.toFixed(2)}× the 64 MiB figure)`,
		});
	}
	return checks;
}

// --------------------------------------------------------------------------------------------- text

interface Column {
	head: string;
	cell: (s: Summary) => string;
	right?: boolean;
}

const COLUMNS: Column[] = [
	{ head: 'link', cell: (s) => linkLabel(s) },
	{ head: 'case', cell: (s) => caseOf(s.caseId).label },
	{ head: 'contender', cell: (s) => CONTENDER_LABELS[s.contender] + (s.note ? ' *' : '') },
	{ head: 'time s', cell: (s) => fmtS(s.wallMs) + (s.failures ? ` (${s.failures} failed)` : ''), right: true },
	{ head: 'MiB/s', cell: (s) => fmtRate(s.mibPerSec), right: true },
	{ head: 'peak RSS MiB', cell: (s) => fmtMiB(s.peakRss), right: true },
	{ head: 'growth MiB', cell: (s) => `+${fmtMiB(s.growth)}`, right: true },
	{ head: 'requests', cell: (s) => (Number.isFinite(s.requests) ? String(s.requests) : '–'), right: true },
	{ head: 'X Media / this', cell: (s) => (s.contender === 'xmedia' ? '' : fmtRatio(s.xmediaRatio)), right: true },
	{ head: 'X Media is', cell: (s) => (s.contender === 'xmedia' ? '' : speedup(s.xmediaRatio)) },
];

export function textTable(summary: Summary[]): string {
	const rows = summary.map((s) => COLUMNS.map((c) => c.cell(s)));
	const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((v, i) => (COLUMNS[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
	const out = [line(COLUMNS.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  ')];
	let prev = '';
	for (const [i, s] of summary.entries()) {
		const key = `${linkLabel(s)}/${s.caseId}`;
		if (prev && key !== prev) out.push('');
		prev = key;
		out.push(line(rows[i]));
	}
	return out.join('\n');
}

export function markdown(summary: Summary[], checks: TargetCheck[], machine: MachineInfo, emu: EmulatorCheck | undefined, extraNotes: string[]): string {
	const md: string[] = [];
	md.push('# Benchmark: X Media vs the alternatives and the transfer floor', '');
	md.push(
		`Generated by \`npm run bench\` (bench/run-bench.ts) on ${machine.date}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemMiB} MiB RAM, Node ${machine.node}, ${machine.platform}. ` +
			`Median of ${machine.runs} run(s) per case; load average ${machine.loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${machine.loadAfter.map((l) => l.toFixed(2)).join(' ')} after; ${Math.round(machine.totalSeconds)} s in all (\`${machine.command}\`).`,
		'',
	);
	md.push('![Upload time and memory per contender](results.svg)', '');
	md.push('## Results', '');
	md.push(`| ${COLUMNS.map((c) => c.head).join(' | ')} |`);
	md.push(`| ${COLUMNS.map((c) => (c.right ? '---:' : '---')).join(' | ')} |`);
	for (const s of summary) md.push(`| ${COLUMNS.map((c) => c.cell(s).replace(/\|/g, '\\|')).join(' | ')} |`);
	md.push('');
	md.push(
		'"X Media / this" is the median, over the runs, of X Media\'s time divided by this contender\'s time in the same run round (below 1: X Media is faster). ' +
			'"growth" is the median of (peak RSS − idle RSS) of the uploading process. MiB/s = file size / median time.',
		'',
	);
	for (const n of extraNotes) md.push(`\\* ${n}`, '');
	md.push('## Targets (issues 5 and 19)', '');
	md.push('| target | met | figures |', '| --- | --- | --- |');
	for (const c of checks) md.push(`| ${c.name} | ${c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**'} | ${c.detail} |`);
	md.push('');
	md.push('## What is measured', '');
	md.push(
		'- Every contender runs in its own child process (`node --expose-gc --import tsx bench/child.ts`), the same way; the X API emulator (test/emulator, `--processing-steps 0` so processing is finished at FINALIZE and no polling wait is counted) runs in another process, one per latency setting (`--latency-ms N` delays every API request by N ms).',
		'- Each child first uploads a 64 KiB PNG once (untimed, same for all: loads code, opens connections), resets the emulator\'s counters, runs a full GC, reads its idle RSS, resets the kernel\'s peak-RSS counter (VmHWM, `/proc/self/clear_refs`; a 20 ms RSS sampler where that is not possible) and times one upload. Peak RSS = VmHWM at the end of the timed section; major GCs are counted with a PerformanceObserver.',
		'- **X Media**: the `upload` operation (default options: 4 MiB segments, Parallel Uploads unset so the APPEND window adapts to the link, up to 8; images go in one request; OAuth2 credential) executed by n8n-core\'s `WorkflowExecute` through the test harness with filesystem binary storage. The workflow is "Test Files" → "X Media"; the Test Files node puts the file in n8n\'s binary storage (`prepareBinaryData` of a file stream) before the X Media node runs. **Timed: the X Media node\'s `execute()` only** (the built node class\'s `execute` is wrapped in the child; n8n\'s own `executionTime` of the node is recorded beside it in the raw data), i.e. reading the file from n8n\'s binary storage, all requests, the processing check and the output. Memory: the same section, in the same process.',
		'- **twitter-api-v2** 1.29.1: `client.v2.uploadMedia(buffer, { media_type, media_category })`, defaults (1 MiB chunks, sequential, a STATUS call after FINALIZE), v2 prefix set to the emulator with `setPrefix`, `httpAgent: http.globalAgent`. Timed: `readFile` + `uploadMedia`.',
		'- **@xdevplatform/xdk** 0.6.6: `media.initializeUpload`, `media.appendUpload` with base64 JSON segments (sequential), `media.finalizeUpload`, `baseUrl` = the emulator. Timed: `readFile` + the upload.',
		'- **floor**: one streaming request with the whole file as body (`fs.createReadStream` with 1 MiB reads → `http.request`, Content-Length) to the emulator\'s `GET /2/users/me`, whose handler reads any body to the end and discards it (latency, token check and recording as for every API call; no parsing, hashing or disk). Timed: the whole request.',
		...(summary.some((s) => s.contender === 'plain')
			? [
					'- **plain streaming client (reference)**: INITIALIZE, 4 MiB multipart APPENDs read from disk into a reused buffer, 3 in parallel, keep-alive `node:http`, FINALIZE (bench/contenders/plain.ts): the least client work for a chunked upload, so its distance to the floor is the emulator\'s chunked path.',
				]
			: []),
		'- Every upload is verified: size and sha256 of the reassembled media from `/__emulator/media/:id` (the floor: the byte count the emulator recorded). Requests are counted by the emulator (`/__emulator/stats`).',
		'',
	);
	if (emu) {
		md.push('## Is the emulator fast enough?', '');
		md.push(
			`- The floor's request for the ${emu.caseLabel} sent to the emulator took ${fmtS(emu.floorEmulatorMs)} s; the same request to a raw discard server in its own process (bench/lib/discardServer.ts) took ${fmtS(emu.floorDiscardMs)} s (median of the runs).`,
			`- Base64 JSON append probe (4 MiB segment, as the SDK sends it): ${emu.base64Probe}. The SDK ran with ${emu.xdkSegmentMiB} MiB segments.`,
			'- Per case, the emulator\'s CPU time and its FINALIZE time (server side: reassembling the segments from disk, sha256, sniffing) are in the table below; a chunked upload cannot finish before its FINALIZE does.',
		);
		const lat0 = Math.min(...summary.map((s) => s.latencyMs));
		const big = [...CASES].reverse().find((c) => summary.some((s) => s.caseId === c.id && sameLink(s, lat0) && s.contender === 'plain'));
		const pick = (who: Contender) => (big ? summary.find((s) => s.caseId === big.id && sameLink(s, lat0) && s.contender === who) : undefined);
		const plain = pick('plain');
		const floor = pick('floor');
		const xm = pick('xmedia');
		if (big && plain && floor) {
			md.push(
				`- ${big.label}, ${lat0} ms: the plain streaming client needs ${fmtS(plain.cpuMs)} s of CPU on its side but takes ${fmtS(plain.wallMs)} s, ${(plain.wallMs / floor.wallMs).toFixed(1)}× the floor, while the emulator uses ${fmtS(plain.emulatorCpuMs)} s of CPU (the floor's request: ${fmtS(floor.emulatorCpuMs)} s) and its FINALIZE takes ${fmtS(plain.emulatorFinalizeMs)} s: the emulator's chunked path, not the client, sets the pace of every chunked upload here.` +
					(xm ? ` X Media: ${fmtS(xm.wallMs)} s, ${fmtS(xm.cpuMs)} s of CPU in its process, ${xm.gcMajor} major GCs.` : ''),
			);
		}
		md.push('');
		md.push(
			'| link | case | contender | time s | uploader CPU s | uploader major GCs (pause s) | emulator CPU s | emulator FINALIZE s |',
			'| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
		);
		for (const s of summary) {
			md.push(
				`| ${linkLabel(s)} | ${caseOf(s.caseId).label} | ${CONTENDER_LABELS[s.contender]} | ${fmtS(s.wallMs)} | ${fmtS(s.cpuMs)} | ${Number.isFinite(s.gcMajor) ? s.gcMajor : '–'} (${fmtS(s.gcMajorMs)}) | ${fmtS(s.emulatorCpuMs)} | ${fmtS(s.emulatorFinalizeMs)} |`,
			);
		}
		md.push('');
	}
	return md.join('\n');
}

// ---------------------------------------------------------------------------------------------- SVG

const COLORS: Record<Contender, string> = {
	xmedia: '#1d9bf0',
	'xmedia-url': '#0b5f99',
	'twitter-api-v2': '#f4900c',
	xdk: '#7856ff',
	floor: '#8899a6',
	plain: '#17bf63',
};

function esc(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Two panels of horizontal bars: time per contender for every latency × case (each group on its
 * own scale, the value written at the bar's end), then peak RSS growth for every case.
 */
export function svg(summary: Summary[], title: string): string {
	const W = 960;
	const labelW = 190;
	const barMax = W - labelW - 250;
	const barH = 13;
	const gap = 3;
	const groupGap = 14;
	const parts: string[] = [];
	let y = 0;
	const text = (x: number, yy: number, s: string, extra = '') => parts.push(`<text x="${x}" y="${yy}"${extra}>${esc(s)}</text>`);

	y += 26;
	text(16, y, title, ' font-size="16" font-weight="bold"');
	y += 20;
	// legend
	let lx = 16;
	for (const c of CONTENDERS) {
		if (!summary.some((s) => s.contender === c)) continue;
		parts.push(`<rect x="${lx}" y="${y - 10}" width="12" height="12" fill="${COLORS[c]}"/>`);
		text(lx + 16, y, CONTENDER_LABELS[c]);
		lx += 30 + CONTENDER_LABELS[c].length * 7;
	}

	const panel = (heading: string, groups: Array<{ label: string; rows: Summary[] }>, value: (s: Summary) => number, fmt: (s: Summary) => string) => {
		y += 30;
		text(16, y, heading, ' font-size="14" font-weight="bold"');
		y += 8;
		for (const g of groups) {
			y += groupGap;
			const max = Math.max(...g.rows.map(value).filter(Number.isFinite), 1e-9);
			const top = y;
			for (const s of g.rows) {
				const v = value(s);
				const w = Number.isFinite(v) ? Math.max(1, (v / max) * barMax) : 0;
				parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[s.contender]}"/>`);
				text(Math.round(labelW + w + 6), y + barH - 2, fmt(s), ' font-size="11"');
				y += barH + gap;
			}
			text(16, Math.round(top + (y - top) / 2 + 4), g.label, ' font-size="12"');
		}
	};

	const timeGroups: Array<{ label: string; rows: Summary[] }> = [];
	for (const link of conditionsOf(summary)) {
		for (const spec of CASES) {
			const rows = summary.filter((s) => sameLink(s, link.latencyMs, link.bandwidthMbps) && s.caseId === spec.id);
			if (rows.length) timeGroups.push({ label: `${spec.label}, ${linkLabel(link)}`, rows });
		}
	}
	panel('Upload time, median (each group on its own scale; shorter is better)', timeGroups, (s) => s.wallMs, (s) => `${fmtS(s.wallMs)} s${s.contender === 'xmedia' || !Number.isFinite(s.xmediaRatio) ? '' : `  (X Media ${speedup(s.xmediaRatio)})`}`);

	const memGroups: Array<{ label: string; rows: Summary[] }> = [];
	const lat0 = Math.min(...summary.map((s) => s.latencyMs));
	for (const spec of CASES) {
		const rows = summary.filter((s) => sameLink(s, lat0) && s.caseId === spec.id);
		if (rows.length) memGroups.push({ label: spec.label, rows });
	}
	panel(`Peak RSS growth over idle, MiB (${lat0} ms latency; shorter is better)`, memGroups, (s) => s.growth, (s) => `+${fmtMiB(s.growth)} MiB (peak ${fmtMiB(s.peakRss)})`);

	y += 20;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#14171a">`,
		`<rect width="${W}" height="${y}" fill="#ffffff"/>`,
		...parts,
		'</svg>',
		'',
	].join('\n');
}
