/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console -- benchmark code: runs in plain Node, starts n8n and the emulator as processes, and never ships in the package (files: ["dist"]) */
/**
 * `npm run bench:n8n-memory`: X Media's memory inside the REAL n8n app (test/n8n-runtime, 2.41.1),
 * not the n8n-core harness: a workflow "Read/Write Files from Disk → X Media (upload, default
 * options)" run by `n8n execute` in filesystem binary mode, against the X API emulator in its own
 * process (sink mode: stores nothing, still checks the sha256).
 *
 *   tsx bench/n8n-app-memory.ts [--size-mib 512] [--runs 5] [--latency 0,50] [--moov-last]
 *
 * `--size-mib` above the bench's cases (e.g. 4608, a 4.5 GiB video) writes a fixture of that size
 * (disk: the file, and n8n's copy of it in its binary storage during a run): an upload past 1000 ×
 * 4 MiB, whose segment size rises by itself to ceil(size / 1000) (README, "Limits per account").
 * Every run reports the APPENDs (at most 1000, each at most 8 MiB, X's server maximum) and the
 * memory bound (Parallel Uploads + 1) × segment size the RSS growth is held against.
 *
 * `--url` (issue 19, media from a URL): the workflow is "Manual Trigger → X Media (upload, Source
 * URL)", the video (`--size-mib`, any size; moov at the end, never held whole) served by the tests'
 * file server (test/harness/fileServer.ts) in this process, with byte ranges; n8n runs in DATABASE
 * binary mode (queue mode's default; `--binary-mode` to change), where a binary file of that size
 * could not even be stored. The node's start is the file server's first request.
 *
 * `--moov-last` uploads a video laid out as ffmpeg and most exports write it (`ftyp`, `mdat`, then
 * `moov` at the END, with a correct chunk-offset table; bench/lib/fixtures.ts ensureMoovLastVideo)
 * instead of the moov-first one, so the node's media inspection has to find the `moov` past the
 * `mdat`.
 *
 * Besides RSS, n8n's /proc/<pid>/io `rchar`/`wchar` are sampled: the X Media node's start is when
 * n8n stopped writing the file into its binary storage (Read/Write Files done: the last sample
 * before INITIALIZE with more than 1 MiB written since the one before); the inspection window runs from there to INITIALIZE, and the bytes n8n
 * read in it (`rchar`) are what the type sniffing and the media inspection read. The node window
 * (inspection + upload) has its own RSS growth, from the RSS at the node's start.
 *
 * n8n's process RSS is sampled every 10 ms (/proc/<pid>/status). The upload's window is what the
 * emulator recorded: from the INITIALIZE request's start to the FINALIZE answer. The growth is the
 * largest RSS inside the window minus the RSS at its start. Wall time is the same window.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

import { EmulatorClient } from '../test/emulator/client';
import { n8nCredentialEntries, userA } from '../test/emulator/testCredentials';
import { freePort, killGroup, n8nEnv, nodeBin, packAndInstall, PACKAGE_ROOT } from '../test/e2e/n8nApp';
import { virtualMp4MoovLast } from '../test/fixtures/media';
import { FileServer, fileSha256 } from '../test/harness/fileServer';
import { CASES, MiB, TMP_DIR, median } from './lib/common';
import { ensureFixture, ensureMoovLastVideo } from './lib/fixtures';

const N8N_BIN = join(PACKAGE_ROOT, 'test', 'n8n-runtime', 'node_modules', 'n8n', 'bin', 'n8n');
// Not a secret: a fixed key for a throwaway n8n user folder.
const ENCRYPTION_KEY = 'x-media-bench-fixed-encryption-key';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(name);
	return i === -1 ? fallback : process.argv[i + 1];
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, onPid?: (pid: number) => void): Promise<{ code: number | null; out: string }> {
	return await new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd: PACKAGE_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		if (child.pid) onPid?.(child.pid);
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10 * 60_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, out });
		});
	});
}

function rssOf(pid: number): number | undefined {
	try {
		const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Bytes the process read and wrote through system calls so far (/proc/<pid>/io rchar, wchar). */
function ioOf(pid: number): [number, number] | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/io`, 'utf8');
		const r = /^rchar:\s+(\d+)/m.exec(text);
		const w = /^wchar:\s+(\d+)/m.exec(text);
		return r && w ? [Number(r[1]), Number(w[1])] : undefined;
	} catch {
		return undefined;
	}
}

async function startEmulator(): Promise<{ baseUrl: string; stop: () => void }> {
	const tsxCli = require.resolve('tsx/cli', { paths: [PACKAGE_ROOT] });
	const child = spawn(nodeBin(), [tsxCli, join('test', 'emulator', 'cli.ts'), '--port', '0', '--processing-steps', '0', '--sink'], {
		cwd: PACKAGE_ROOT,
		env: { ...process.env, NODE_OPTIONS: '' },
		detached: true,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const baseUrl = await new Promise<string>((resolve, reject) => {
		const rl = createInterface({ input: child.stdout! });
		rl.on('line', (line) => {
			if (line.startsWith('EMULATOR_READY ')) resolve(line.slice('EMULATOR_READY '.length).trim());
		});
		child.on('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
	});
	child.stdout!.resume();
	return { baseUrl, stop: () => killGroup(child, 'SIGTERM') };
}

interface Row {
	latencyMs: number;
	run: number;
	uploadMs: number;
	startRssMiB: number;
	peakRssMiB: number;
	growthMiB: number;
	verified: boolean;
	/** From the X Media node's start (n8n done storing the file) to INITIALIZE. */
	inspectionMs: number;
	/** Bytes n8n read in that window (sniffing + inspection). */
	inspectionReadBytes: number;
	/** RSS growth from the node's start to FINALIZE (inspection and upload). */
	nodeGrowthMiB: number;
	/** APPEND requests, and the largest segment sent (bytes of the `media` part). */
	segments: number;
	maxSegmentBytes: number;
	/** (Parallel Uploads + 1) × segment size: what the node's upload may hold (README, "Speed and memory"). */
	boundMiB: number;
}

/** The node's default Parallel Uploads (the bench workflow leaves the option out). */
const PARALLEL_UPLOADS = 3;

async function main(): Promise<void> {
	const sizeMiB = Number(arg('--size-mib', '512'));
	const runs = Number(arg('--runs', '5'));
	const latencies = arg('--latency', '0,50').split(',').map(Number);
	const fromUrl = process.argv.includes('--url');
	const binaryMode = arg('--binary-mode', fromUrl ? 'database' : 'filesystem');
	const files = new FileServer();
	let fixture: { path: string; sha256: string; size: number; moovBytes?: number };
	let label: string;
	const moovLast = fromUrl || process.argv.includes('--moov-last');
	if (fromUrl) {
		const video = virtualMp4MoovLast(sizeMiB * MiB);
		await files.start();
		files.serve('/bench/video.mp4', video, { contentType: 'video/mp4', etag: '"bench"' });
		fixture = { path: `${files.baseUrl}/bench/video.mp4?X-Amz-Signature=bench`, sha256: fileSha256(video), size: video.size };
		label = `${sizeMiB} MiB MP4 from a URL`;
	} else {
		const largest = Math.max(...CASES.filter((c) => c.kind === 'mp4').map((c) => c.bytes));
		const spec =
			CASES.find((c) => c.kind === 'mp4' && c.bytes === sizeMiB * MiB) ??
			(sizeMiB * MiB > largest
				? { id: String(sizeMiB), label: `${sizeMiB} MiB MP4`, kind: 'mp4' as const, bytes: sizeMiB * MiB, mediaType: 'video/mp4', category: 'tweet_video', fileName: `video-${sizeMiB}MiB.mp4` }
				: undefined);
		if (!spec) throw new Error(`no bench case of ${sizeMiB} MiB (use ${CASES.filter((c) => c.kind === 'mp4').map((c) => c.bytes / MiB).join(', ')}, or more than ${largest / MiB})`);
		fixture = moovLast ? await ensureMoovLastVideo(spec.bytes) : await ensureFixture(spec);
		label = spec.label;
	}
	// n8n checks the real path against N8N_RESTRICT_FILE_ACCESS_TO.
	const fixturePath = fromUrl ? fixture.path : realpathSync(fixture.path);
	const work = mkdtempSync(join(os.tmpdir(), 'x-media-n8n-memory-'));
	const emulator = await startEmulator();
	const control = new EmulatorClient(emulator.baseUrl);
	if (fromUrl) await control.setOptions({ premiumUserIds: [userA.id] });
	const rows: Row[] = [];
	try {
		const template = join(work, 'template');
		mkdirSync(join(template, '.n8n'), { recursive: true });
		packAndInstall(work, template);
		const entries = n8nCredentialEntries(emulator.baseUrl, 'A');
		const o2 = entries.find((e) => e.type === 'xOAuth2Api')!;
		const workflow = {
			id: 'xmBenchMemory',
			name: 'X Media memory bench',
			nodes: [
				{ parameters: {}, id: 'b1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
				{ parameters: { operation: 'read', fileSelector: fixturePath, options: {} }, id: 'b2', name: 'Read File', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1.1, position: [200, 0] },
				{
					parameters: fromUrl
						? // Allow Long Videos: files over the 512 MB standard cap of the limits table before issue 18.
							{ authentication: 'oAuth2', operation: 'upload', source: 'url', mediaUrl: fixturePath, options: { liftVideoLimit: true } }
						: { authentication: 'oAuth2', operation: 'upload', binaryPropertyName: 'data', options: {} },
					id: 'b3',
					name: 'Upload to X',
					type: 'n8n-nodes-x-media.xMedia',
					typeVersion: 1,
					position: [400, 0],
					credentials: { xOAuth2Api: { id: o2.id, name: o2.name } },
				},
			],
			connections: fromUrl
				? { Start: { main: [[{ node: 'Upload to X', type: 'main', index: 0 }]] } }
				: {
						Start: { main: [[{ node: 'Read File', type: 'main', index: 0 }]] },
						'Read File': { main: [[{ node: 'Upload to X', type: 'main', index: 0 }]] },
					},
			settings: { executionOrder: 'v1' },
			active: false,
		};
		writeFileSync(join(work, 'credentials.json'), JSON.stringify(entries));
		writeFileSync(join(work, 'workflows.json'), JSON.stringify([workflow]));
		const setupEnv = n8nEnv(template, ENCRYPTION_KEY, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		for (const what of ['credentials', 'workflow']) {
			const r = await run(nodeBin(), [N8N_BIN, `import:${what}`, `--input=${join(work, what === 'workflow' ? 'workflows.json' : 'credentials.json')}`], setupEnv);
			if (r.code !== 0) throw new Error(`import:${what} failed: ${r.out.slice(-2000)}`);
		}
		console.log(`n8n-app memory: ${label}${moovLast ? ` with moov at the end (moov ${fixture.moovBytes ?? '?'} bytes)` : ''}, ${runs} run(s) × latency ${latencies.join('/')} ms, ${binaryMode} binary mode, default options; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
		for (const latencyMs of latencies) {
			await control.setOptions({ latencyMs });
			for (let i = 1; i <= runs; i++) {
				await control.reset();
				files.requests.length = 0;
				const folder = join(work, `run-${latencyMs}-${i}`);
				cpSync(template, folder, { recursive: true });
				const env = n8nEnv(folder, ENCRYPTION_KEY, {
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					N8N_RESTRICT_FILE_ACCESS_TO: fromUrl ? os.tmpdir() : dirname(fixturePath),
					N8N_DEFAULT_BINARY_DATA_MODE: binaryMode,
				});
				const samples: Array<[number, number, number, number]> = [];
				let timer: NodeJS.Timeout | undefined;
				const r = await run(nodeBin(), [N8N_BIN, 'execute', '--id=xmBenchMemory', '--rawOutput'], env, (pid) => {
					timer = setInterval(() => {
						const rss = rssOf(pid);
						const io = ioOf(pid);
						if (rss !== undefined && io !== undefined) samples.push([Date.now(), rss, io[0], io[1]]);
					}, 10);
				});
				if (timer) clearInterval(timer);
				rmSync(folder, { recursive: true, force: true });
				if (r.code !== 0) throw new Error(`n8n execute failed: ${r.out.slice(-3000)}`);
				const requests = await control.requests();
				const init = requests.find((q) => q.endpoint === 'initialize');
				const fin = [...requests].reverse().find((q) => q.endpoint === 'finalize');
				if (!init || !fin?.endedAt) throw new Error('no initialize/finalize in the emulator records');
				const before = samples.filter(([t]) => t <= init.startedAt);
				const inside = samples.filter(([t]) => t >= init.startedAt && t <= fin.endedAt!);
				const startRss = (before[before.length - 1] ?? inside[0])[1];
				const peak = Math.max(startRss, ...inside.map(([, v]) => v));
				const atInit = before[before.length - 1] ?? inside[0];
				// The node's start: the end of n8n's last burst of writes before INITIALIZE (Read/Write
				// Files storing the file: > 1 MiB written between two samples).
				let nodeStart = samples[0];
				for (let k = 1; k < samples.length && samples[k][0] <= init.startedAt; k++) {
					if (fromUrl ? samples[k][0] <= (files.requests[0]?.at ?? 0) : samples[k][3] - samples[k - 1][3] > MiB) nodeStart = samples[k];
				}
				const nodeSamples = samples.filter(([t]) => t >= nodeStart[0] && t <= fin.endedAt!);
				const nodePeak = Math.max(nodeStart[1], ...nodeSamples.map(([, v]) => v));
				const media = (await control.allMedia())[0];
				const appends = requests.filter((q) => q.endpoint === 'append' && q.status === 200);
				const segmentSizes = appends.map((q) => q.multipart?.find((f) => f.name === 'media')?.size ?? 0);
				const maxSegmentBytes = Math.max(0, ...segmentSizes);
				const row: Row = {
					latencyMs,
					run: i,
					uploadMs: fin.endedAt - init.startedAt,
					startRssMiB: startRss / MiB,
					peakRssMiB: peak / MiB,
					growthMiB: (peak - startRss) / MiB,
					verified: media?.sha256 === fixture.sha256 && media?.size === fixture.size,
					inspectionMs: init.startedAt - nodeStart[0],
					inspectionReadBytes: atInit[2] - nodeStart[2],
					nodeGrowthMiB: (nodePeak - nodeStart[1]) / MiB,
					segments: appends.length,
					maxSegmentBytes,
					boundMiB: ((PARALLEL_UPLOADS + 1) * maxSegmentBytes) / MiB,
				};
				rows.push(row);
				console.log(`  ${String(latencyMs).padStart(3)} ms run ${i}: upload ${(row.uploadMs / 1000).toFixed(2)} s, RSS ${row.startRssMiB.toFixed(0)} → peak ${row.peakRssMiB.toFixed(0)} MiB (growth +${row.growthMiB.toFixed(1)} MiB), ${inside.length} samples, bytes ${row.verified ? 'verified' : 'NOT VERIFIED'}; before INITIALIZE ${row.inspectionMs.toFixed(0)} ms reading ${(row.inspectionReadBytes / 1024).toFixed(0)} KiB, node window growth +${row.nodeGrowthMiB.toFixed(1)} MiB; ${row.segments} APPENDs of at most ${row.maxSegmentBytes} bytes (${(row.maxSegmentBytes / MiB).toFixed(3)} MiB), bound (${PARALLEL_UPLOADS} + 1) × segment = ${row.boundMiB.toFixed(1)} MiB`);
			}
		}
	} finally {
		emulator.stop();
		await files.stop();
		rmSync(work, { recursive: true, force: true });
	}
	for (const latencyMs of latencies) {
		const mine = rows.filter((r) => r.latencyMs === latencyMs);
		console.log(
			`${latencyMs} ms: growth max +${Math.max(...mine.map((r) => r.growthMiB)).toFixed(1)} MiB, median +${median(mine.map((r) => r.growthMiB)).toFixed(1)} MiB; upload median ${(median(mine.map((r) => r.uploadMs)) / 1000).toFixed(2)} s; before INITIALIZE median ${median(mine.map((r) => r.inspectionMs)).toFixed(0)} ms (${((100 * median(mine.map((r) => r.inspectionMs))) / median(mine.map((r) => r.uploadMs))).toFixed(1)}% of the upload), read median ${(median(mine.map((r) => r.inspectionReadBytes)) / 1024).toFixed(0)} KiB; node window growth max +${Math.max(...mine.map((r) => r.nodeGrowthMiB)).toFixed(1)} MiB`,
		);
	}
	mkdirSync(TMP_DIR, { recursive: true });
	const out = join(TMP_DIR, `n8n-app-memory-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), load: os.loadavg(), sizeMiB, moovLast, fromUrl, binaryMode, rows }, null, 2));
	console.log(`raw: ${out}`);
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);
