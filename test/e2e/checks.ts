/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: reads n8n's folders and /proc, runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Checks the end-to-end runner applies to every run, whatever the n8n version:
 * - the secret audit: no credential secret in plain text anywhere in the n8n user folder a run
 *   leaves (its SQLite database with the execution data, logs, settings, binary data);
 * - every APPEND X received was multipart/form-data (n8n 1.x once sent them as
 *   application/x-www-form-urlencoded, issue 21);
 * - n8n's resident memory, sampled from /proc while it runs (the memory case reads it).
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { RecordedRequest } from '../emulator/types';

export interface AuditResult {
	files: number;
	bytes: number;
	/** "<file> holds secret #<n>" (the index into the secrets list, never the secret). */
	found: string[];
}

const AUDIT_READ_BYTES = 4 * 1024 * 1024;

/**
 * Searches every file under `folder` for each secret, as bytes, reading in pieces (with an
 * overlap, so that no secret is missed across two pieces).
 */
export function auditSecrets(folder: string, secrets: string[], into: AuditResult = { files: 0, bytes: 0, found: [] }): AuditResult {
	const needles = secrets.filter((s) => s.length >= 8).map((s) => Buffer.from(s, 'utf8'));
	const overlap = Math.max(0, ...needles.map((n) => n.length)) - 1;
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) scan(path);
		}
	};
	const scan = (path: string) => {
		into.files++;
		const size = statSync(path).size;
		into.bytes += size;
		const fd = openSync(path, 'r');
		try {
			const buf = Buffer.alloc(Math.min(size, AUDIT_READ_BYTES) + overlap);
			let carry = 0;
			let position = 0;
			const hit = new Set<number>();
			for (;;) {
				const n = readSync(fd, buf, carry, buf.length - carry, position);
				if (n === 0) break;
				position += n;
				const view = buf.subarray(0, carry + n);
				needles.forEach((needle, i) => {
					if (view.includes(needle)) hit.add(i);
				});
				carry = Math.min(overlap, view.length);
				view.copy(buf, 0, view.length - carry);
			}
			for (const i of hit) into.found.push(`${relative(folder, path) || path} holds secret #${i}`);
		} finally {
			closeSync(fd);
		}
	};
	walk(folder);
	return into;
}

/** APPENDs that did not arrive as multipart/form-data with a boundary (X refuses them). */
export function nonMultipartAppends(requests: RecordedRequest[]): string[] {
	return requests
		.filter((r) => r.endpoint === 'append' && !/^multipart\/form-data;\s*boundary=/i.test(r.contentType ?? String(r.headers['content-type'] ?? '')))
		.map((r) => `#${r.seq} ${r.method} ${r.path}: Content-Type ${JSON.stringify(r.contentType ?? r.headers['content-type'])} (answered ${r.status})`);
}

/** Resident memory of a process, bytes (undefined once it is gone). */
export function rssOf(pid: number): number | undefined {
	try {
		const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** [epoch ms, RSS bytes] of a process every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 50): { samples: Array<[number, number]>; stop: () => void } {
	const samples: Array<[number, number]> = [];
	const timer = setInterval(() => {
		const rss = rssOf(pid);
		if (rss !== undefined) samples.push([Date.now(), rss]);
	}, everyMs);
	return { samples, stop: () => clearInterval(timer) };
}

/**
 * RSS growth of n8n inside the upload: the largest sample between INITIALIZE's start and
 * FINALIZE's answer (as the emulator recorded them) minus the last sample before INITIALIZE.
 */
export function uploadRssGrowth(samples: Array<[number, number]>, requests: RecordedRequest[]): { startMiB: number; peakMiB: number; growthMiB: number; samples: number } | undefined {
	const init = requests.find((r) => r.endpoint === 'initialize');
	const fin = [...requests].reverse().find((r) => r.endpoint === 'finalize');
	if (!init || !fin?.endedAt) return undefined;
	const before = samples.filter(([t]) => t <= init.startedAt);
	const inside = samples.filter(([t]) => t >= init.startedAt && t <= (fin.endedAt ?? 0));
	const start = (before[before.length - 1] ?? inside[0])?.[1];
	if (start === undefined) return undefined;
	const peak = Math.max(start, ...inside.map(([, v]) => v));
	const MiB = 1024 * 1024;
	return { startMiB: start / MiB, peakMiB: peak / MiB, growthMiB: (peak - start) / MiB, samples: inside.length };
}
