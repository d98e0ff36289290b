/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * `npm run bench`: X Media's upload against the plain streaming client and the transfer floor (and,
 * on request, twitter-api-v2 and X's official SDK), on this machine, against the package's X API
 * emulator (each in its own process).
 *
 *   tsx bench/run-bench.ts [--runs N] [--sizes image,gif,64,256,512] [--latency 0,50,200]
 *                          [--shaped-mbps 100] [--contenders xmedia,xmedia-url,twitter-api-v2,xdk,floor,plain]
 *                          [--quick] [--out DIR] [--xdk-segment-mib N]
 *                          [--report-from bench/.tmp/results-<date>.json] [--emulator sink|disk] [--bandwidth-mbps N]
 *
 * Default (issue 19, where X is far away): the 512 MiB video at 0, 50 and 200 ms per request and on
 * a 100 Mbit/s link (0 ms), X Media against the plain client and the floor, 3 runs; the table
 * "Where X is far away" gives X Media / plain and X Media / floor per link. The earlier full
 * comparison: `--sizes image,gif,64,256,512 --latency 0,50 --shaped-mbps '' --contenders
 * xmedia,twitter-api-v2,xdk,floor,plain`.
 * --shaped-mbps: links shaped to this many Mbit/s at 0 ms, measured after the latencies ('' for none).
 * URL contenders (xmedia-url: X Media with Source "url") read the file from bench/lib/fileServer.ts
 * on 127.0.0.1, which the bench starts beside the emulator when one of them runs.
 *
 * --emulator sink (default): the emulator hashes segments in order in memory and stores nothing, so it
 * is not the bottleneck (it still checks sizes and the sha256); disk: it writes and reassembles them.
 * --bandwidth-mbps: the emulator reads request bodies at most this fast (a shaped link; the floor is the link).
 *
 * --quick: 1 run of the 4 MiB image and the 64 MiB video at 0 and 50 ms (a smoke run of about a
 * minute); its results go to bench/.tmp/ unless --out is given. A full run writes bench/results.md
 * and bench/results.svg; the raw runs always go to bench/.tmp/results-<date>.json.
 * --report-from re-renders results.md/.svg from the raw runs of an earlier run (no measuring).
 * Needs `npm run build` first (X Media is loaded from dist/ as n8n loads it).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

import { EmulatorClient } from '../test/emulator/client';
import { oauth2Tokens } from '../test/emulator/testCredentials';
import type { CaseSpec, ChildInput, ChildResult, Contender } from './lib/common';
import { BENCH_DIR, CASES, CONTENDER_LABELS, CONTENDERS, DEFAULT_CONTENDERS, MiB, PACKAGE_ROOT, RESULT_PREFIX, TMP_DIR, URL_CONTENDERS, median } from './lib/common';
import { farLinkMarkdown, farLinkRows, linkLabel, linksFor, sameLink } from './lib/conditions';
import type { Fixture } from './lib/fixtures';
import { FIXTURE_DIR, ensureFixture, ensureWarmup } from './lib/fixtures';
import type { EmulatorCheck, MachineInfo, RunRecord } from './lib/report';
import { checkTargets, markdown, summarise, svg, textTable } from './lib/report';

interface Options {
	runs: number;
	sizes: string[];
	latencies: number[];
	contenders: Contender[];
	outDir: string;
	quick: boolean;
	xdkSegmentMiB?: number;
	reportFrom?: string;
	/** The emulator keeps segments on disk and reassembles them (`disk`), or hashes them in order in memory (`sink`, default). */
	emulatorMode: 'sink' | 'disk';
	/** Shapes the emulator's link to this many Mbit/s (request bodies), for every latency. */
	bandwidthMbps?: number;
	/** Links shaped to these Mbit/s at 0 ms, measured after the latencies. */
	shapedMbps: number[];
}

function parseArgs(argv: string[]): Options {
	const opts: Options = {
		runs: 3,
		sizes: ['512'],
		latencies: [0, 50, 200],
		shapedMbps: [100],
		contenders: [...DEFAULT_CONTENDERS],
		outDir: BENCH_DIR,
		quick: false,
		emulatorMode: 'sink',
	};
	let outGiven = false;
	const list = (v: string | undefined, flag: string) => {
		if (!v) throw new Error(`${flag} needs a value`);
		return v.split(',').map((s) => s.trim()).filter(Boolean);
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--runs':
				opts.runs = Math.max(1, Math.floor(Number(value())));
				break;
			case '--sizes':
				opts.sizes = list(value(), flag).map((s) => s.replace(/mib$|mb$/i, ''));
				break;
			case '--latency':
				opts.latencies = list(value(), flag).map(Number);
				break;
			case '--contenders':
				opts.contenders = list(value(), flag) as Contender[];
				break;
			case '--out':
				opts.outDir = value();
				outGiven = true;
				break;
			case '--xdk-segment-mib':
				opts.xdkSegmentMiB = Number(value());
				break;
			case '--quick':
				opts.quick = true;
				break;
			case '--emulator':
				opts.emulatorMode = value() === 'disk' ? 'disk' : 'sink';
				break;
			case '--bandwidth-mbps':
				opts.bandwidthMbps = Number(value());
				break;
			case '--shaped-mbps': {
				const v = inline ?? argv[++i] ?? '';
				opts.shapedMbps = v.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
				break;
			}
			case '--report-from':
				opts.reportFrom = value();
				break;
			case '--help':
			case '-h':
				console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${a}`);
		}
	}
	if (opts.quick) {
		if (!argv.some((a) => a.startsWith('--runs'))) opts.runs = 1;
		if (!argv.some((a) => a.startsWith('--sizes'))) opts.sizes = ['image', '64'];
		if (!argv.some((a) => a.startsWith('--latency'))) opts.latencies = [0, 50];
		if (!argv.some((a) => a.startsWith('--shaped-mbps'))) opts.shapedMbps = [];
	}
	if (opts.quick && !outGiven) opts.outDir = TMP_DIR;
	for (const s of opts.sizes) if (!CASES.some((c) => c.id === s)) throw new Error(`unknown size ${s} (use ${CASES.map((c) => c.id).join(', ')})`);
	for (const c of opts.contenders) if (!CONTENDERS.includes(c)) throw new Error(`unknown contender ${c}`);
	for (const l of opts.latencies) if (!Number.isFinite(l) || l < 0) throw new Error(`bad latency ${l}`);
	for (const m of opts.shapedMbps) if (!Number.isFinite(m) || m <= 0) throw new Error(`bad --shaped-mbps ${m}`);
	return opts;
}

// ------------------------------------------------------------------------------------- processes

interface Server {
	proc: ChildProcess;
	baseUrl: string;
	stop(): Promise<void>;
}

/** Starts a tsx script in its own process and waits for its `<marker> <baseUrl>` line. */
async function startServer(args: string[], marker: string): Promise<Server> {
	const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	proc.stderr!.on('data', (d: Buffer) => {
		stderr += d.toString();
		if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
	});
	const baseUrl = await new Promise<string>((resolve, reject) => {
		const rl = createInterface({ input: proc.stdout! });
		const timer = setTimeout(() => reject(new Error(`${args[0]} did not start: ${stderr}`)), 60_000);
		rl.on('line', (line) => {
			if (line.startsWith(`${marker} `)) {
				clearTimeout(timer);
				resolve(line.slice(marker.length + 1).trim());
			}
		});
		proc.on('exit', (code) => reject(new Error(`${args[0]} exited (${code}): ${stderr}`)));
	});
	proc.stdout!.resume();
	return {
		proc,
		baseUrl,
		stop: async () => {
			if (proc.exitCode !== null) return;
			const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
			proc.kill('SIGTERM');
			await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
			if (proc.exitCode === null) proc.kill('SIGKILL');
		},
	};
}

const CLK_TCK = 100;

/** utime + stime of a process, ms (Linux /proc). */
function processCpuMs(pid: number | undefined): number {
	if (!pid) return NaN;
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
	} catch {
		return NaN;
	}
}

let childSeq = 0;

async function runChild(input: ChildInput, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
	const userFolder = join(TMP_DIR, `n8n-${process.pid}-${++childSeq}`);
	const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(BENCH_DIR, 'child.ts'), JSON.stringify(input)], {
		cwd: PACKAGE_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, ...env, XMEDIA_TEST_USER_FOLDER: userFolder },
	});
	let out = '';
	let err = '';
	proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	proc.stderr!.on('data', (d: Buffer) => {
		err += d.toString();
		if (err.length > 40_000) err = err.slice(-20_000);
	});
	const timer = setTimeout(() => proc.kill('SIGKILL'), 15 * 60_000);
	const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
	clearTimeout(timer);
	rmSync(userFolder, { recursive: true, force: true });
	const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
	if (code !== 0 || !line) throw new Error(`child ${input.contender} failed (exit ${code}): ${(err || out).trim().slice(-1500)}`);
	return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

// ---------------------------------------------------------------------------------- emulator checks

/** Sends one 4 MiB segment as base64 JSON, as the SDK does: does the emulator take it? */
async function probeBase64Append(baseUrl: string, segmentMiB: number): Promise<string | undefined> {
	const headers = { authorization: `Bearer ${oauth2Tokens.userA}`, 'content-type': 'application/json' };
	const size = segmentMiB * MiB;
	const init = await fetch(`${baseUrl}/2/media/upload/initialize`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ media_type: 'video/mp4', total_bytes: size, media_category: 'tweet_video' }),
	});
	const id = ((await init.json()) as { data?: { id?: string } }).data?.id;
	if (!id) return `initialize failed (${init.status})`;
	const res = await fetch(`${baseUrl}/2/media/upload/${id}/append`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ media: Buffer.alloc(size, 0x41).toString('base64'), segment_index: 0 }),
	});
	const text = await res.text();
	await new EmulatorClient(baseUrl).reset();
	return res.ok ? undefined : `HTTP ${res.status}: ${text.slice(0, 300)}`;
}

// ------------------------------------------------------------------------------------------- main

function rotate<T>(list: T[], by: number): T[] {
	const k = by % list.length;
	return [...list.slice(k), ...list.slice(0, k)];
}

interface SavedRun {
	machine: MachineInfo;
	records: RunRecord[];
	emuCheck?: EmulatorCheck;
	notes?: string[];
	contenderNotes?: Partial<Record<Contender, string>>;
}

function writeReports(outDir: string, saved: SavedRun): void {
	const summary = summarise(saved.records, saved.contenderNotes ?? {});
	const checks = checkTargets(summary);
	// Issue 19: X Media against plain and the floor on every link, for the largest case measured.
	const big = [...CASES].reverse().find((c) => summary.some((r) => r.caseId === c.id && r.contender === 'plain'));
	const far = big ? farLinkRows(summary, big.id) : [];
	for (const r of far) {
		checks.push({
			name: `${big!.label}, ${linkLabel(r.link)}: ${CONTENDER_LABELS[r.who]} ${r.target === undefined ? 'against plain (reported)' : `≤ ${r.target.toFixed(2)}× the plain client`}`,
			met: r.met,
			detail: `${(r.ours / 1000).toFixed(2)} s vs plain ${(r.plain / 1000).toFixed(2)} s (${r.vsPlain.toFixed(2)}×), floor ${(r.floor / 1000).toFixed(2)} s (${r.vsFloor.toFixed(2)}× the floor)`,
		});
	}
	console.log(`\n${textTable(summary)}\n`);
	for (const c of checks) console.log(`${c.met === undefined ? 'n/a ' : c.met ? 'MET ' : 'MISS'}  ${c.name}: ${c.detail}`);
	mkdirSync(outDir, { recursive: true });
	let md = markdown(summary, checks, saved.machine, saved.emuCheck, saved.notes ?? []);
	if (big) md = md.replace('## Targets', [...farLinkMarkdown(summary, big.id, big.label), '## Targets'].join('\n'));
	writeFileSync(join(outDir, 'results.md'), md);
	writeFileSync(join(outDir, 'results.svg'), svg(summary, `X Media upload vs twitter-api-v2, @xdevplatform/xdk and the floor (${saved.machine.cpus} CPUs, Node ${saved.machine.node})`));
	console.log(`\nwrote ${join(outDir, 'results.md')} and ${join(outDir, 'results.svg')}`);
}

async function main(): Promise<void> {
	const opts = parseArgs(process.argv.slice(2));
	if (opts.reportFrom) {
		const saved = JSON.parse(readFileSync(opts.reportFrom, 'utf8')) as SavedRun & { extraNotes?: string[] };
		writeReports(opts.outDir, { ...saved, notes: saved.notes ?? saved.extraNotes });
		return;
	}
	const t0 = performance.now();
	if (!existsSync(join(PACKAGE_ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js'))) {
		throw new Error('The package is not built: run `npm run build` first (npm run bench does it).');
	}
	mkdirSync(TMP_DIR, { recursive: true });
	const loadBefore = os.loadavg();
	const cases = CASES.filter((c) => opts.sizes.includes(c.id));
	console.log(`bench: ${opts.runs} run(s) × ${cases.map((c) => c.label).join(', ')} × latency ${opts.latencies.join('/')} ms × ${opts.contenders.map((c) => CONTENDER_LABELS[c]).join(', ')}`);
	console.log(`machine: ${os.cpus().length} CPUs, Node ${process.version}, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

	const fixtures = new Map<string, Fixture>();
	for (const c of cases) fixtures.set(c.id, await ensureFixture(c));
	const warm = ensureWarmup();
	const warmup = { file: warm.path, mediaType: warm.mediaType, category: warm.category, fileName: warm.fileName };

	const records: RunRecord[] = [];
	const extraNotes: string[] = [];
	let emuCheck: EmulatorCheck | undefined;
	let xdkSegmentMiB = opts.xdkSegmentMiB ?? 4;
	const contenderNotes: Partial<Record<Contender, string>> = {};

	// URL contenders read the fixtures from a file server of their own, beside the emulator.
	const files = opts.contenders.some((c) => URL_CONTENDERS.includes(c)) ? await startServer(['bench/lib/fileServer.ts', FIXTURE_DIR], 'FILES_READY') : undefined;
	for (const link of linksFor(opts.latencies, opts.shapedMbps, opts.bandwidthMbps)) {
		const { latencyMs, bandwidthMbps } = link;
		const emulatorArgs = ['test/emulator/cli.ts', '--port', '0', '--latency-ms', String(latencyMs), '--processing-steps', '0'];
		if (opts.emulatorMode === 'sink') emulatorArgs.push('--sink');
		if (bandwidthMbps) emulatorArgs.push('--bandwidth-mbps', String(bandwidthMbps));
		const emulator = await startServer(emulatorArgs, 'EMULATOR_READY');
		const control = new EmulatorClient(emulator.baseUrl);
		console.log(`\nemulator (${linkLabel(link)}) on ${emulator.baseUrl}, pid ${emulator.proc.pid}, load ${os.loadavg()[0].toFixed(2)}`);
		try {
			if (opts.contenders.includes('xdk') && opts.xdkSegmentMiB === undefined && !emuCheck) {
				const problem = await probeBase64Append(emulator.baseUrl, 4);
				if (problem) {
					let fallback = 4;
					while (fallback > 1 && (await probeBase64Append(emulator.baseUrl, fallback - 1))) fallback--;
					xdkSegmentMiB = fallback - 1;
					const note = `The emulator refuses a 4 MiB base64 JSON APPEND (${problem.replace(/\s+/g, ' ')}): its base64 check (test/emulator/endpoints.ts, BASE64_RE in decodeBase64) overflows V8's regexp stack at about 4 MiB. The SDK therefore ran with ${xdkSegmentMiB} MiB segments (more requests than with 4 MiB).`;
					console.log(`warning: ${note}`);
					extraNotes.push(`@xdevplatform/xdk: ${note}`);
					contenderNotes.xdk = note;
				}
				emuCheck = { caseLabel: '', floorEmulatorMs: NaN, floorDiscardMs: NaN, base64Probe: problem ? `refused (${problem.slice(0, 120)}…)` : 'accepted', xdkSegmentMiB };
			}
			for (const spec of cases) {
				const fx = fixtures.get(spec.id)!;
				for (let run = 1; run <= opts.runs; run++) {
					for (const contender of rotate(opts.contenders, run - 1)) {
						const record = await runOne({ contender, spec, fx, run, latencyMs, bandwidthMbps, emulator, control, warmup, xdkSegmentMiB, filesUrl: files?.baseUrl, warmFile: warm.path });
						records.push(record);
						const status = record.ok ? (record.verified ? 'ok' : 'NOT VERIFIED') : `FAILED: ${record.error?.slice(0, 400)}`;
						console.log(
							`  ${linkLabel(link).padStart(16)}  ${spec.label.padEnd(12)} run ${run}  ${CONTENDER_LABELS[contender].padEnd(18)} ${(record.wallMs / 1000).toFixed(2).padStart(7)} s  peak ${(record.peakRss / MiB).toFixed(0).padStart(5)} MiB (+${((record.peakRss - record.idleRss) / MiB).toFixed(0)})  ${String(record.requests).padStart(4)} req  emu cpu ${(record.emulatorCpuMs / 1000).toFixed(2)} s  ${status}`,
						);
					}
				}
			}
		} finally {
			await emulator.stop();
		}
	}
	await files?.stop();

	// The emulator's own speed: the floor's request to the emulator vs to a raw discard server.
	if (opts.contenders.includes('floor')) {
		const spec = [...cases].reverse().find((c) => c.kind === 'mp4') ?? cases[cases.length - 1];
		const fx = fixtures.get(spec.id)!;
		const discard = await startServer(['bench/lib/discardServer.ts', '0'], 'DISCARD_READY');
		const times: number[] = [];
		try {
			for (let run = 1; run <= opts.runs; run++) {
				const r = await runChild({ contender: 'floor', baseUrl: discard.baseUrl, file: fx.path, size: fx.size, mediaType: spec.mediaType, category: spec.category, fileName: spec.fileName, warmup });
				times.push(r.wallMs);
			}
		} finally {
			await discard.stop();
		}
		const viaEmulator = median(records.filter((r) => r.contender === 'floor' && r.caseId === spec.id && sameLink(r, Math.min(...opts.latencies), opts.bandwidthMbps) && r.ok).map((r) => r.wallMs));
		emuCheck = {
			caseLabel: spec.label,
			floorEmulatorMs: viaEmulator,
			floorDiscardMs: median(times),
			base64Probe: emuCheck?.base64Probe ?? 'not probed',
			xdkSegmentMiB,
		};
		console.log(`\nemulator check: floor ${spec.label} via emulator ${(viaEmulator / 1000).toFixed(2)} s, via raw discard server ${(median(times) / 1000).toFixed(2)} s`);
	}

	const loadAfter = os.loadavg();
	const totalSeconds = (performance.now() - t0) / 1000;
	const machine: MachineInfo = {
		date: new Date().toISOString(),
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? 'unknown',
		totalMemMiB: Math.round(os.totalmem() / MiB),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		loadBefore,
		loadAfter,
		runs: opts.runs,
		latencies: opts.latencies,
		totalSeconds,
		command: `tsx bench/run-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
	};
	const stamp = machine.date.replace(/[:.]/g, '-');
	const saved: SavedRun = { machine, records, emuCheck, notes: extraNotes, contenderNotes };
	writeFileSync(join(TMP_DIR, `results-${stamp}.json`), JSON.stringify({ ...saved, options: opts }, null, 2));
	writeReports(opts.outDir, saved);
	console.log(`raw runs: bench/.tmp/results-${stamp}.json; ${totalSeconds.toFixed(0)} s in all`);
}

interface OneRun {
	contender: Contender;
	spec: CaseSpec;
	fx: Fixture;
	run: number;
	latencyMs: number;
	bandwidthMbps?: number;
	emulator: Server;
	control: EmulatorClient;
	warmup: ChildInput['warmup'];
	xdkSegmentMiB: number;
	/** The file server's address, when URL contenders run. */
	filesUrl?: string;
	warmFile: string;
}

async function runOne(o: OneRun): Promise<RunRecord> {
	const { contender, spec, fx, run, latencyMs, emulator, control } = o;
	const base: RunRecord = {
		latencyMs,
		bandwidthMbps: o.bandwidthMbps,
		caseId: spec.id,
		run,
		contender,
		ok: false,
		wallMs: NaN,
		idleRss: NaN,
		peakRss: NaN,
		hwmReset: false,
		cpuMs: NaN,
		requests: NaN,
		verified: false,
		emulatorCpuMs: NaN,
	};
	await control.reset();
	const cpu0 = processCpuMs(emulator.proc.pid);
	let result: ChildResult;
	try {
		result = await runChild(
			{
				contender,
				baseUrl: emulator.baseUrl,
				file: fx.path,
				size: fx.size,
				mediaType: spec.mediaType,
				category: spec.category,
				fileName: spec.fileName,
				warmup: o.warmup,
				...(o.filesUrl ? { fileUrl: `${o.filesUrl}/${basename(fx.path)}`, warmupUrl: `${o.filesUrl}/${basename(o.warmFile)}` } : {}),
			},
			{ BENCH_XDK_SEGMENT_BYTES: String(Math.round(o.xdkSegmentMiB * MiB)) },
		);
	} catch (error) {
		await control.reset().catch(() => undefined);
		return { ...base, error: (error as Error).message };
	}
	const emulatorCpuMs = processCpuMs(emulator.proc.pid) - cpu0;
	const stats = await control.stats();
	const requests = await control.requests();
	let verified = false;
	let error: string | undefined;
	if (contender === 'floor') {
		const r = requests[0];
		verified = requests.length === 1 && r?.bodySize === fx.size && r.status === 200;
		if (!verified) error = `emulator recorded ${requests.length} request(s), body ${r?.bodySize} bytes, status ${r?.status}`;
	} else {
		const media = result.mediaId ? await control.media(result.mediaId) : undefined;
		verified = media?.size === fx.size && media?.sha256 === fx.sha256;
		if (!verified) error = `media ${result.mediaId}: size ${media?.size} (want ${fx.size}), sha256 ${media?.sha256 === fx.sha256 ? 'ok' : 'differs'}`;
	}
	const finalize = requests.find((r) => r.endpoint === 'finalize');
	await control.reset();
	return {
		...base,
		ok: true,
		error,
		verified,
		wallMs: result.wallMs,
		idleRss: result.idleRss,
		peakRss: result.peakRss,
		hwmReset: result.hwmReset,
		cpuMs: result.cpuUserMs + result.cpuSystemMs,
		requests: stats.requests,
		emulatorCpuMs,
		emulatorFinalizeMs: finalize?.endedAt !== undefined ? finalize.endedAt - finalize.startedAt - latencyMs : undefined,
		gcMajor: result.gc?.major,
		gcMajorMs: result.gc?.majorMs,
		extra: { ...result.extra, appendsInFlightMax: Math.max(0, ...Object.values(stats.appendConcurrency?.maxInFlightByMedia ?? {})) },
	};
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
