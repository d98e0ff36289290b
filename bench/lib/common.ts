/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Shared by the benchmark's parent (run-bench.ts) and its child processes (child.ts): what a case
 * and a contender are, what a child is told and what it reports, and the memory probes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';

export const MiB = 1024 * 1024;
export const BENCH_DIR = join(__dirname, '..');
export const PACKAGE_ROOT = join(BENCH_DIR, '..');
export const TMP_DIR = join(BENCH_DIR, '.tmp');

/** Every contender; `plain` is a reference from the anchor figures (see contenders/plain.ts), not a library. */
export const CONTENDERS = ['xmedia', 'xmedia-url', 'twitter-api-v2', 'xdk', 'floor', 'plain'] as const;
/** `npm run bench` (issue 19): X Media against the plain streaming client and the floor. */
export const DEFAULT_CONTENDERS: Contender[] = ['xmedia', 'plain', 'floor'];
/** Contenders that read the file from a URL: the bench serves the fixtures on 127.0.0.1 for them. */
export const URL_CONTENDERS: readonly Contender[] = ['xmedia-url'];
export type Contender = (typeof CONTENDERS)[number];

export const CONTENDER_LABELS: Record<Contender, string> = {
	xmedia: 'X Media',
	'xmedia-url': 'X Media from a URL',
	'twitter-api-v2': 'twitter-api-v2',
	xdk: '@xdevplatform/xdk',
	floor: 'floor',
	plain: 'plain streaming client (reference)',
};

export interface CaseSpec {
	/** Short id used by --sizes: image, gif, 64, 256, 512. */
	id: string;
	label: string;
	kind: 'png' | 'gif' | 'mp4';
	bytes: number;
	mediaType: string;
	category: string;
	fileName: string;
}

export const CASES: CaseSpec[] = [
	{ id: 'image', label: '4 MiB PNG', kind: 'png', bytes: 4 * MiB, mediaType: 'image/png', category: 'tweet_image', fileName: 'image-4MiB.png' },
	{ id: 'gif', label: '14 MiB GIF', kind: 'gif', bytes: 14 * MiB, mediaType: 'image/gif', category: 'tweet_gif', fileName: 'anim-14MiB.gif' },
	{ id: '64', label: '64 MiB MP4', kind: 'mp4', bytes: 64 * MiB, mediaType: 'video/mp4', category: 'tweet_video', fileName: 'video-64MiB.mp4' },
	{ id: '256', label: '256 MiB MP4', kind: 'mp4', bytes: 256 * MiB, mediaType: 'video/mp4', category: 'tweet_video', fileName: 'video-256MiB.mp4' },
	{ id: '512', label: '512 MiB MP4', kind: 'mp4', bytes: 512 * MiB, mediaType: 'video/mp4', category: 'tweet_video', fileName: 'video-512MiB.mp4' },
];

/** What the parent tells a child (JSON in argv[2]). */
export interface ChildInput {
	contender: Contender;
	baseUrl: string;
	file: string;
	size: number;
	mediaType: string;
	category: string;
	fileName: string;
	/** A small file uploaded once before the timed upload (same for every contender), not timed. */
	warmup: { file: string; mediaType: string; category: string; fileName: string };
	/** URL contenders: where the bench's file server serves `file` and the warm-up file. */
	fileUrl?: string;
	warmupUrl?: string;
}

export interface Measurement {
	/** Wall time of the timed section, ms. */
	wallMs: number;
	/** RSS right before the timed section (after a warm-up upload and a full GC), bytes. */
	idleRss: number;
	/** Peak RSS during the timed section: VmHWM reset at its start (else a 20 ms RSS sampler), bytes. */
	peakRss: number;
	/** Largest RSS the 20 ms sampler saw (only when VmHWM cannot be reset; else the RSS at the end), bytes. */
	sampledPeakRss: number;
	/** Whether the kernel's peak counter could be reset (else peakRss is the sampler's). */
	hwmReset: boolean;
	cpuUserMs: number;
	cpuSystemMs: number;
	/** Garbage collections during the timed section: count and pause time (ms) of major (mark-compact) and minor ones. */
	gc: { major: number; majorMs: number; minor: number; minorMs: number; incremental: number; incrementalMs: number };
}

/** What a child reports on stdout as one `BENCH_RESULT {json}` line. */
export interface ChildResult extends Measurement {
	contender: Contender;
	mediaId?: string;
	/** Contender-specific figures (X Media: n8n's executionTime of the node, the whole workflow). */
	extra?: Record<string, number | string>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

// ------------------------------------------------------------------------------------ memory probes

function statusBytes(field: 'VmHWM' | 'VmRSS'): number | undefined {
	try {
		const text = readFileSync('/proc/self/status', 'utf8');
		const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets the kernel's peak-RSS counter (VmHWM) to the current RSS (Linux: clear_refs 5). */
function resetPeak(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

function fullGc(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc) {
		gc();
		gc();
	}
}

/**
 * Runs `fn` as the timed section: full GC, idle RSS, peak counter reset, 20 ms RSS sampler,
 * wall and CPU time.
 */
export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; m: Measurement }> {
	fullGc();
	const idleRss = process.memoryUsage.rss();
	const hwmReset = resetPeak();
	let sampled = idleRss;
	// The kernel's counter sees every peak; the 20 ms sampler is the fallback where it cannot be reset
	// (reading RSS 50 times a second costs the uploading process about 1.5% of its time).
	const timer = hwmReset
		? undefined
		: setInterval(() => {
				const rss = process.memoryUsage.rss();
				if (rss > sampled) sampled = rss;
			}, 20);
	const gc = { major: 0, majorMs: 0, minor: 0, minorMs: 0, incremental: 0, incrementalMs: 0 };
	const observer = new PerformanceObserver((list) => {
		for (const e of list.getEntries()) {
			const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
			if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
				gc.major++;
				gc.majorMs += e.duration;
			} else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
				gc.minor++;
				gc.minorMs += e.duration;
			} else if (kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL) {
				gc.incremental++;
				gc.incrementalMs += e.duration;
			}
		}
	});
	observer.observe({ entryTypes: ['gc'] });
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	let value: T;
	try {
		value = await fn();
	} finally {
		if (timer) clearInterval(timer);
	}
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	await new Promise((resolve) => setImmediate(resolve)); // let the last gc entries arrive
	observer.disconnect();
	const last = process.memoryUsage.rss();
	if (last > sampled) sampled = last;
	const hwm = hwmReset ? statusBytes('VmHWM') : undefined;
	return {
		value,
		m: {
			wallMs,
			idleRss,
			peakRss: Math.max(hwm ?? 0, sampled),
			sampledPeakRss: sampled,
			hwmReset: hwmReset && hwm !== undefined,
			cpuUserMs: cpu.user / 1000,
			cpuSystemMs: cpu.system / 1000,
			gc,
		},
	};
}

export function median(values: number[]): number {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
