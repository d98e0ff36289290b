/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling: runs in plain Node, starts n8n, Redis, PostgreSQL and the emulator as processes, and never ships in the package (files: ["dist"]) */
/**
 * Queue mode in the REAL n8n 2.41.1: an n8n main (EXECUTIONS_MODE=queue, binary data in the
 * database, PostgreSQL) takes webhooks, Redis queues the executions, two `n8n worker` processes run
 * them; the packed package is installed in all three as a community package; X is the emulator.
 *
 *   npm run build && bash test/e2e/ensure-n8n.sh && npx tsx test/e2e/queue/run-queue-e2e.ts
 *
 * The workflow is the one people build: Webhook (multipart POST of a file) → X Media "Create Post
 * with Media" from binary → Respond to Webhook with the post URL. Scenarios:
 *   1. concurrent: 6 requests at once (MP4s of 30–60 MB and PNGs): every execution succeeds, every
 *      post holds exactly its own media (sha256), both workers ran some, worker RSS stays bounded.
 *   2. rate limit: a 429 with x-rate-limit-reset answers every append from both workers until the
 *      reset; both wait it out; nothing lost.
 *   3. killed worker: SIGKILL of one worker while its appends are in flight: no post with missing or
 *      foreign media, the other executions finish; what n8n reports for the killed ones is printed.
 *   4. media from a URL (issue 19): a second webhook takes JSON with a URL (not a file) of a 1 GiB
 *      video (QUEUE_E2E_URL_VIDEO_MIB; generated on the fly by the tests' file server, never on disk)
 *      and makes Create Post with Media Source URL on the workers, while a second execution posts a
 *      PNG from a URL: both posted, the bytes identical (sha256), each worker's RSS growth bounded
 *      (URL_RSS_BOUND: 256 MiB, not the issue's 64 MiB; see there).
 *
 * QUEUE_E2E_KEEP=1 keeps the temporary folder (logs of every process); QUEUE_E2E_ONLY=<substring>
 * runs only the scenarios whose name contains it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { EmulatorClient } from '../../emulator/client';
import { ALL_TEST_SECRETS, n8nCredentialEntries, userA } from '../../emulator/testCredentials';
import type { MediaRecord, PostRecord, RecordedRequest } from '../../emulator/types';
import { freePort, killGroup, n8nEnv, n8nRuntime, nodeBin, packAndInstall } from '../n8nApp';
import { virtualMp4MoovLast } from '../../fixtures/media';
import { FileServer, fileSha256 } from '../../harness/fileServer';
import { makeQueueTestMedia, type QueueTestMedia } from './media';
import { cleanup, installSignalCleanup, onCleanup, sampleRss, startManaged, startPostgres, startRedis, type Managed, type Postgres, type RssSampler } from './services';

const ROOT = resolve(__dirname, '..', '..', '..');
// The pinned n8n of N8N_VERSION (2.41.1 by default; queue mode has been run on 2.41.1 only).
const RUNTIME = n8nRuntime().dir;
const N8N_BIN = join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
const runtimeRequire = createRequire(join(RUNTIME, 'node_modules', 'n8n', 'package.json'));
// Not a secret: a fixed instance key shared by main and workers (they must decrypt the same credentials).
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
const ENCRYPTION_KEY = 'x-media-queue-e2e-fixed-key';
const WORKFLOW_ID = 'xmQueueWebhookPost';
const WEBHOOK_PATH = 'x-media-queue';
const URL_WORKFLOW_ID = 'xmQueueUrlPost';
const URL_WEBHOOK_PATH = 'x-media-queue-url';
const URL_VIDEO_MIB = Number(process.env.QUEUE_E2E_URL_VIDEO_MIB ?? '1024');
/**
 * Worker RSS growth allowed while it uploads from URLs. Issue 19's goal is 64 MiB; it is not met:
 * the node's own buffers are the segment pool ((Parallel Uploads + 1) × Chunk Size = 16 MiB by
 * default), but every network piece n8n's request helper (axios, stream mode) hands over is a new
 * buffer that V8 collects only when its external-memory trigger fires. Reading 1 GiB through axios in
 * plain Node grows RSS by 90–120 MiB (plain http.get: ~70 MiB), independent of the file size beyond
 * that; measured here +127 to +156 MiB in three runs (1 GiB video and a PNG at once). The bound sits
 * above that plateau with room for a busy machine, and far below a leak that follows the file (1 GiB).
 */
const URL_RSS_BOUND = 256 * 1024 * 1024;
const WORKER_CONCURRENCY = 2;
const MiB = 1024 * 1024;
const KEEP = process.env.QUEUE_E2E_KEEP === '1';
const ONLY = process.env.QUEUE_E2E_ONLY ?? '';

class AssertionFailure extends Error {}
function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new AssertionFailure(message);
}
function log(msg: string): void {
	process.stdout.write(`[queue-e2e] ${msg}\n`);
}
const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- one-shot n8n commands

async function n8nOnce(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<{ code: number | null; out: string }> {
	return await new Promise((resolveRun) => {
		const child = spawn(nodeBin(), [N8N_BIN, ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolveRun({ code, out });
		});
	});
}

// ---------------------------------------------------------------- the workflow

function workflow(credential: { id: string; name: string }): object {
	return {
		id: WORKFLOW_ID,
		name: 'X Media queue mode: webhook file → post',
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'responseNode', options: {} },
				id: '7d1c2f70-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '7d1c2f70-0000-4000-8000-00000000aaaa',
			},
			{
				parameters: {
					authentication: 'oAuth2',
					operation: 'createPost',
					text: '={{ $json.body.caption }}',
					mediaSource: 'binary',
					binaryPropertyName: 'data',
					additionalFields: {},
				},
				id: '7d1c2f70-0000-4000-8000-000000000002',
				name: 'Post File on X',
				type: 'n8n-nodes-x-media.xMedia',
				typeVersion: 1,
				position: [220, 0],
				credentials: { xOAuth2Api: credential },
			},
			{
				parameters: {
					respondWith: 'json',
					responseBody: '={{ JSON.stringify({ id: $json.id, url: $json.url, media_ids: $json.media_ids }) }}',
					options: {},
				},
				id: '7d1c2f70-0000-4000-8000-000000000003',
				name: 'Respond with Post URL',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [440, 0],
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Post File on X', type: 'main', index: 0 }]] },
			'Post File on X': { main: [[{ node: 'Respond with Post URL', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/** Webhook (JSON: caption, url) → Create Post with Media from the URL → Respond to Webhook. */
function urlWorkflow(credential: { id: string; name: string }): object {
	const wf = workflow(credential) as { nodes: Array<Record<string, unknown>>; [k: string]: unknown };
	const [hook, postNode, respond] = wf.nodes;
	return {
		...wf,
		id: URL_WORKFLOW_ID,
		name: 'X Media queue mode: webhook URL → post',
		nodes: [
			{ ...hook, id: '7d1c2f70-0000-4000-8000-000000000011', webhookId: '7d1c2f70-0000-4000-8000-00000000bbbb', parameters: { httpMethod: 'POST', path: URL_WEBHOOK_PATH, responseMode: 'responseNode', options: {} } },
			{
				...postNode,
				id: '7d1c2f70-0000-4000-8000-000000000012',
				// Allow Long Videos: a 1 GiB video is over the 512 MB standard cap of the limits table before issue 18.
				parameters: { authentication: 'oAuth2', operation: 'createPost', text: '={{ $json.body.caption }}', mediaSource: 'url', mediaUrls: '={{ $json.body.url }}', additionalFields: { liftVideoLimit: true } },
			},
			{ ...respond, id: '7d1c2f70-0000-4000-8000-000000000013' },
		],
	};
}

// ---------------------------------------------------------------- the deployment

interface Deployment {
	pg: Postgres;
	emu: EmulatorClient;
	main: Managed;
	workers: Managed[];
	webhookUrl: string;
	urlWebhookUrl: string;
	filesDir: string;
}

async function startEmulator(): Promise<EmulatorClient> {
	const tsxCli = require.resolve('tsx/cli', { paths: [ROOT] });
	const m = startManaged('x-api-emulator', nodeBin(), [tsxCli, join('test', 'emulator', 'cli.ts'), '--port', '0'], {
		cwd: ROOT,
		env: { ...process.env, NODE_OPTIONS: '' },
	});
	const [, base] = await m.waitFor(/^EMULATOR_READY (\S+)$/m, 60_000);
	return new EmulatorClient(base);
}

async function deploy(work: string): Promise<Deployment> {
	let t = Date.now();
	const redis = await startRedis(join(work, 'redis'));
	const pg = await startPostgres(runtimeRequire);
	log(`redis-server on 127.0.0.1:${redis.port}, PostgreSQL on 127.0.0.1:${pg.port} (${secs(Date.now() - t)})`);
	const emu = await startEmulator();
	log(`X API emulator at ${emu.baseUrl}`);

	const template = join(work, 'template');
	mkdirSync(join(template, '.n8n'), { recursive: true });
	const packed = packAndInstall(work, template);
	log(`packed ${packed.tarball}; installed as a community package`);

	const lockMs = 20_000;
	const common = (folder: string, brokerPort: number): NodeJS.ProcessEnv =>
		n8nEnv(folder, ENCRYPTION_KEY, {
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Webhook bodies up to 256 MiB (default 16 MiB), multipart files too.
			N8N_PAYLOAD_SIZE_MAX: '256',
			N8N_FORMDATA_FILE_SIZE_MAX: '256',
			// A dead worker's job is seen as stalled after ~20 s instead of ~60 s.
			QUEUE_WORKER_LOCK_DURATION: String(lockMs),
			QUEUE_WORKER_LOCK_RENEW_TIME: String(lockMs / 5),
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		});

	const creds = n8nCredentialEntries(emu.baseUrl, 'A');
	const oauth2 = creds.find((c) => c.type === 'xOAuth2Api');
	check(oauth2, 'no xOAuth2Api test credential');
	writeFileSync(join(work, 'credentials.json'), JSON.stringify(creds, null, 2));
	writeFileSync(join(work, 'workflow.json'), JSON.stringify([workflow({ id: oauth2.id, name: oauth2.name }), urlWorkflow({ id: oauth2.id, name: oauth2.name })], null, 2));
	const setupEnv = common(template, await freePort());
	t = Date.now();
	for (const args of [
		['import:credentials', `--input=${join(work, 'credentials.json')}`],
		['import:workflow', `--input=${join(work, 'workflow.json')}`],
		['publish:workflow', `--id=${WORKFLOW_ID}`],
		['publish:workflow', `--id=${URL_WORKFLOW_ID}`],
	]) {
		const r = await n8nOnce(args, setupEnv);
		check(r.code === 0, `n8n ${args[0]} failed (${r.code}):\n${r.out.slice(-3000)}`);
	}
	log(`PostgreSQL migrated, credentials and workflow imported, workflow published (${secs(Date.now() - t)})`);

	const filesDir = join(work, 'files');
	mkdirSync(filesDir, { recursive: true });
	const folders = ['main', 'worker-1', 'worker-2'].map((n) => {
		const f = join(work, n);
		cpSync(template, f, { recursive: true });
		return f;
	});
	const port = await freePort();
	t = Date.now();
	const main = startManaged('n8n main', nodeBin(), [N8N_BIN, 'start'], {
		cwd: ROOT,
		env: { ...common(folders[0], await freePort()), N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', WEBHOOK_URL: `http://127.0.0.1:${port}/`, N8N_SECURE_COOKIE: 'false' },
	});
	const workers = [];
	for (const [i, folder] of folders.slice(1).entries()) {
		workers.push(startManaged(`n8n worker-${i + 1}`, nodeBin(), [N8N_BIN, 'worker', `--concurrency=${WORKER_CONCURRENCY}`], { cwd: ROOT, env: common(folder, await freePort()) }));
	}
	await Promise.all([main.waitFor(/Editor is now accessible via/, 240_000), ...workers.map((w) => w.waitFor(/n8n worker is now ready/, 240_000))]);
	const webhookUrl = `http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`;
	const urlWebhookUrl = `http://127.0.0.1:${port}/webhook/${URL_WEBHOOK_PATH}`;
	// The published workflow's webhook is registered once a GET says it is there for POST only.
	for (const hook of [webhookUrl, urlWebhookUrl]) {
		for (let i = 0; ; i++) {
			const res = await fetch(hook).catch(() => undefined);
			const text = res ? await res.text() : '';
			if (/POST/.test(text)) break;
			check(i < 60, `the webhook ${hook} was not registered: ${res?.status} ${text}`);
			await sleep(500);
		}
	}
	log(`n8n main on 127.0.0.1:${port} and 2 workers (concurrency ${WORKER_CONCURRENCY}) ready in ${secs(Date.now() - t)}`);
	return { pg, emu, main, workers, webhookUrl, urlWebhookUrl, filesDir };
}

// ---------------------------------------------------------------- requests and what came of them

interface Sent {
	caption: string;
	media: QueueTestMedia;
	status?: number;
	body?: { id?: string; url?: string; media_ids?: string[]; [k: string]: unknown } | string;
	error?: string;
	ms: number;
}

function makeBatch(d: Deployment, label: string, specs: Array<['mp4' | 'png', number]>): Array<{ caption: string; media: QueueTestMedia; path: string }> {
	return specs.map(([kind, bytes], i) => {
		const media = makeQueueTestMedia(kind, bytes, `${label}-${i + 1}`);
		const path = join(d.filesDir, media.fileName);
		writeFileSync(path, media.bytes);
		return { caption: `queue e2e ${label} #${i + 1}: ${media.fileName} (${mib(media.bytes.length)})`, media, path };
	});
}

async function post(d: Deployment, item: { caption: string; media: QueueTestMedia; path: string }, timeoutMs: number): Promise<Sent> {
	const t0 = Date.now();
	const form = new FormData();
	form.append('caption', item.caption);
	form.append('data', await openAsBlob(item.path, { type: item.media.mimeType }), item.media.fileName);
	try {
		const res = await fetch(d.webhookUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) });
		const text = await res.text();
		let body: Sent['body'] = text;
		try {
			body = JSON.parse(text) as Sent['body'];
		} catch {
			/* not JSON */
		}
		return { caption: item.caption, media: item.media, status: res.status, body, ms: Date.now() - t0 };
	} catch (e) {
		return { caption: item.caption, media: item.media, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: Date.now() - t0 };
	}
}

interface ExecutionRow {
	id: string;
	status: string;
	finished: boolean;
	startedAt: Date | null;
	stoppedAt: Date | null;
}

interface ExecutionInfo extends ExecutionRow {
	worker?: string;
	caption?: string;
	postId?: string;
	mediaIds?: string[];
	error?: string;
}

/** The executions since `sinceId` once `count` of them exist and none is still new or running (at most 30 s). */
async function endedExecutions(d: Deployment, sinceId: number, count: number, workflowId = WORKFLOW_ID): Promise<ExecutionInfo[]> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const execs = await executions(d, sinceId, workflowId);
		const open = execs.some((e) => e.status === 'new' || e.status === 'running');
		if ((execs.length >= count && !open) || Date.now() > deadline) return execs;
		await sleep(250);
	}
}

async function executions(d: Deployment, sinceId: number, workflowId = WORKFLOW_ID): Promise<ExecutionInfo[]> {
	const { parse } = runtimeRequire('flatted') as { parse: (s: string) => unknown };
	const rows = await d.pg.query<ExecutionRow & { data: string | null }>(
		`SELECT e.id::text AS id, e.status, e.finished, e."startedAt", e."stoppedAt", x.data
		 FROM execution_entity e LEFT JOIN execution_data x ON x."executionId" = e.id
		 WHERE e."workflowId" = $1 AND e.id > $2 ORDER BY e.id`,
		[workflowId, sinceId],
	);
	const started = new Map<string, string>();
	for (const w of d.workers) for (const m of w.output().matchAll(/Worker started execution (\d+)/g)) started.set(m[1], w.name);
	return rows.map((r) => {
		const info: ExecutionInfo = { id: r.id, status: r.status, finished: r.finished, startedAt: r.startedAt, stoppedAt: r.stoppedAt, worker: started.get(r.id) };
		try {
			const data = r.data ? (parse(r.data) as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>>; error?: { message?: string } } }) : undefined;
			const run = data?.resultData?.runData ?? {};
			const hook = run.Webhook?.[0]?.data?.main?.[0]?.[0]?.json as { body?: { caption?: string } } | undefined;
			info.caption = hook?.body?.caption;
			const out = run['Post File on X']?.[0]?.data?.main?.[0]?.[0]?.json as { id?: string; media_ids?: string[] } | undefined;
			info.postId = out?.id;
			info.mediaIds = out?.media_ids;
			info.error = data?.resultData?.error?.message;
		} catch (e) {
			info.error = `execution data unreadable: ${(e as Error).message}`;
		}
		return info;
	});
}

async function lastExecutionId(d: Deployment): Promise<number> {
	const [row] = await d.pg.query<{ max: string | null }>('SELECT max(id)::text AS max FROM execution_entity');
	return Number(row?.max ?? 0);
}

/**
 * Every post made since `postsBefore` holds exactly one media, finalized, whose bytes (sha256 and
 * size of the emulator's reassembled file) are the file sent with the request whose caption is the
 * post's text. Returns the posts by caption.
 */
async function checkPosts(d: Deployment, sent: Sent[], postsBefore: Set<string>): Promise<Map<string, PostRecord>> {
	const byCaption = new Map(sent.map((s) => [s.caption, s]));
	const posts = (await d.emu.posts()).filter((p) => !postsBefore.has(p.id));
	const out = new Map<string, PostRecord>();
	const usedMedia = new Set<string>();
	for (const p of posts) {
		const s = byCaption.get(p.text);
		check(s, `post ${p.id} has text ${JSON.stringify(p.text)} that no request of this batch sent`);
		check(!out.has(p.text), `two posts for the request "${p.text}"`);
		check(p.media_ids.length === 1, `post ${p.id} ("${p.text}") holds ${p.media_ids.length} media, not exactly its own one`);
		const [mediaId] = p.media_ids;
		check(!usedMedia.has(mediaId), `media ${mediaId} is in two posts`);
		usedMedia.add(mediaId);
		const rec = (await d.emu.media(mediaId)) as MediaRecord | undefined;
		check(rec && rec.state === 'finalized', `post ${p.id}: media ${mediaId} is not finalized (${rec?.state})`);
		check(rec.size === s.media.bytes.length, `post ${p.id}: media ${mediaId} has ${rec.size} bytes, the file sent with "${p.text}" has ${s.media.bytes.length}`);
		check(rec.sha256 === s.media.sha256, `post ${p.id}: media ${mediaId} sha256 ${rec.sha256} differs from the file sent with "${p.text}" (${s.media.sha256})`);
		out.set(p.text, p);
	}
	return out;
}

/** The media id of an append, from its path (set before any fault or delay, unlike `mediaId`). */
function appendMedia(r: RecordedRequest): string | undefined {
	return r.mediaId ?? /^\/2\/media\/upload\/([^/]+)\/append$/.exec(r.path)?.[1];
}

function mediaOfRequests(reqs: RecordedRequest[]): string[] {
	const ids = new Set<string>();
	for (const r of reqs) {
		if (r.endpoint === 'initialize') {
			const id = (r.responseBody as { data?: { id?: string } } | undefined)?.data?.id;
			if (id) ids.add(id);
		} else if (appendMedia(r)) ids.add(appendMedia(r)!);
	}
	return [...ids];
}

interface WorkerMemory {
	name: string;
	startRss: number;
	peakRss: number;
	hwm?: number;
	executions: number;
	largestFile: number;
}

function memoryRows(samplers: RssSampler[], d: Deployment, execs: ExecutionInfo[], sent: Sent[]): WorkerMemory[] {
	const sizeByCaption = new Map(sent.map((s) => [s.caption, s.media.bytes.length]));
	return d.workers.map((w, i) => {
		const mine = execs.filter((e) => e.worker === w.name);
		return {
			name: w.name,
			startRss: samplers[i].startRss,
			peakRss: Math.max(samplers[i].peakRss(), samplers[i].hwm() ?? 0),
			hwm: samplers[i].hwm(),
			executions: mine.length,
			largestFile: Math.max(0, ...mine.map((e) => sizeByCaption.get(e.caption ?? '') ?? 0)),
		};
	});
}

// ---------------------------------------------------------------- scenarios

interface Figures {
	[k: string]: unknown;
}

/** 1. Six requests at once, mixed sizes. */
async function concurrent(d: Deployment): Promise<Figures> {
	const batch = makeBatch(d, 'concurrent', [
		['mp4', 60 * MiB],
		['mp4', 30 * MiB],
		['png', 3 * MiB],
		['mp4', 45 * MiB],
		['mp4', 38 * MiB],
		['png', 1.5 * MiB],
	]);
	const sinceExec = await lastExecutionId(d);
	const postsBefore = new Set((await d.emu.posts()).map((p) => p.id));
	await sleep(1000);
	const samplers = d.workers.map((w) => sampleRss(w.child.pid!));
	const t0 = Date.now();
	const sent = await Promise.all(batch.map((b) => post(d, b, 240_000)));
	const wallMs = Date.now() - t0;
	samplers.forEach((s) => s.stop());
	const execs = await checkBatch(d, sent, sinceExec, postsBefore);
	const perWorker = d.workers.map((w) => execs.filter((e) => e.worker === w.name).length);
	check(perWorker.every((n) => n > 0), `the work did not run on both workers: ${perWorker.join(' + ')}`);
	const memory = memoryRows(samplers, d, execs, sent);
	// Database mode hands the node each file as ONE buffer (n8n reads it from PostgreSQL as hex
	// text, then decodes it): measured about 4 × the file per concurrent upload, plus segments in
	// flight. Bounded by the files a worker runs AT ONCE, not by all it ran (3 each here).
	for (const m of memory) {
		const bound = WORKER_CONCURRENCY * 4.5 * m.largestFile + 256 * MiB;
		check(m.peakRss - m.startRss <= bound, `${m.name}: RSS grew by ${mib(m.peakRss - m.startRss)}, more than ${mib(bound)} (concurrency ${WORKER_CONCURRENCY} × 4.5 × largest file ${mib(m.largestFile)} + 256 MiB)`);
	}
	const totalBytes = sent.reduce((n, s) => n + s.media.bytes.length, 0);
	return {
		requests: sent.length,
		sizes: sent.map((s) => `${s.media.kind} ${mib(s.media.bytes.length)}`).join(', '),
		totalMiB: Math.round(totalBytes / MiB),
		wall: secs(wallMs),
		slowestRequest: secs(Math.max(...sent.map((s) => s.ms))),
		executionsPerWorker: perWorker.join(' + '),
		workerRss: memory.map((m) => `${m.name}: ${mib(m.startRss)} → peak ${mib(m.peakRss)} (+${mib(m.peakRss - m.startRss)}, ${m.executions} executions, largest file ${mib(m.largestFile)})`),
	};
}

/**
 * Checks shared by the scenarios where every request must succeed: each was answered 200 with its
 * own post's id, URL and media; each post holds exactly its own file; each n8n execution succeeded
 * on a worker and its output is that post. Returns the executions.
 */
async function checkBatch(d: Deployment, sent: Sent[], sinceExec: number, postsBefore: Set<string>): Promise<ExecutionInfo[]> {
	for (const s of sent) check(s.status === 200 && typeof s.body === 'object', `request "${s.caption}": HTTP ${s.status ?? s.error} ${JSON.stringify(s.body)}`);
	const posts = await checkPosts(d, sent, postsBefore);
	check(posts.size === sent.length, `${posts.size} posts for ${sent.length} requests`);
	for (const s of sent) {
		const p = posts.get(s.caption)!;
		const body = s.body as { id?: string; url?: string; media_ids?: string[] };
		check(body.id === p.id && typeof body.url === 'string' && body.url.endsWith(`/status/${p.id}`), `request "${s.caption}" answered ${JSON.stringify(body)}, its post is ${p.id}`);
		check(JSON.stringify(body.media_ids) === JSON.stringify(p.media_ids), `request "${s.caption}" answered media ${JSON.stringify(body.media_ids)}, the post holds ${JSON.stringify(p.media_ids)}`);
	}
	// Respond to Webhook answers the caller before the worker has stored the execution's end:
	// wait (bounded) until n8n has recorded every execution as ended.
	const execs = await endedExecutions(d, sinceExec, sent.length);
	check(execs.length === sent.length, `${execs.length} executions in n8n for ${sent.length} requests`);
	for (const e of execs) {
		check(e.status === 'success' && e.finished, `execution ${e.id} ("${e.caption}") is ${e.status}${e.error ? `: ${e.error}` : ''}`);
		check(e.worker, `execution ${e.id} ran on no worker that logged it`);
		const p = e.caption ? posts.get(e.caption) : undefined;
		check(p && p.id === e.postId && JSON.stringify(p.media_ids) === JSON.stringify(e.mediaIds), `execution ${e.id}: its output (post ${e.postId}, media ${JSON.stringify(e.mediaIds)}) is not the post of its request`);
	}
	return execs;
}

/** 2. A 429 with x-rate-limit-reset answers every append, from both workers, until the reset. */
async function rateLimited(d: Deployment): Promise<Figures> {
	const batch = makeBatch(d, 'ratelimit', [
		['mp4', 32 * MiB],
		['mp4', 34 * MiB],
		['mp4', 30 * MiB],
		['mp4', 36 * MiB],
	]);
	const sinceExec = await lastExecutionId(d);
	const postsBefore = new Set((await d.emu.posts()).map((p) => p.id));
	const seqBefore = (await d.emu.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
	// Appends take a while (as on a real network), so all four uploads are under way in the window.
	await d.emu.addFault({ endpoint: 'append', delayMs: 150, times: 1_000_000 });
	await d.emu.addFault({ endpoint: 'append', status: 429, rateLimitResetInSecs: 5, holdUntilReset: true });
	const t0 = Date.now();
	const sent = await Promise.all(batch.map((b) => post(d, b, 300_000)));
	const wallMs = Date.now() - t0;
	const hold = (await d.emu.faults()).find((f) => f.holdUntilReset);
	await d.emu.clearFaults();
	const execs = await checkBatch(d, sent, sinceExec, postsBefore);
	check(hold?.holdUntil, 'the 429 fault never fired');
	const resetMs = hold.holdUntil * 1000;
	const reqs = (await d.emu.requests()).filter((r) => r.seq > seqBefore && r.endpoint === 'append');
	const limited = reqs.filter((r) => r.status === 429);
	check(limited.length > 0, 'no append was answered 429');
	// Who got the 429s: media → execution (its output) → worker (its log).
	const workerOfMedia = new Map<string, string>();
	for (const e of execs) for (const m of e.mediaIds ?? []) workerOfMedia.set(m, e.worker ?? '?');
	const limitedWorkers = new Set(limited.map((r) => workerOfMedia.get(appendMedia(r) ?? '') ?? '?'));
	check(d.workers.every((w) => limitedWorkers.has(w.name)), `the 429 reached only ${[...limitedWorkers].join(', ')}, not both workers`);
	// Waited out: each upload slot that got a 429 waited for the reset instead of trying again at once,
	// so a media got at most one 429 per append it had in flight; after the reset its appends passed.
	const maxInFlight = (await d.emu.stats()).appendConcurrency.maxInFlightByMedia;
	let waitedMin = Infinity;
	for (const media of new Set(limited.map((r) => appendMedia(r)!))) {
		const refused = limited.filter((r) => appendMedia(r) === media);
		check(refused.length <= (maxInFlight[media] ?? 1), `media ${media}: ${refused.length} appends refused with 429 with at most ${maxInFlight[media]} in flight: it did not wait for the reset`);
		const after = reqs.filter((x) => appendMedia(x) === media && x.seq > refused[0].seq && x.status !== 429);
		check(after.length > 0 && after.every((x) => x.status >= 200 && x.status < 300), `media ${media}: after the 429 its appends answered ${after.map((x) => x.status).join(', ') || 'nothing'}`);
		const first = Math.min(...after.map((x) => x.startedAt));
		check(first >= resetMs - 50, `media ${media}: sent again ${((resetMs - first) / 1000).toFixed(2)} s before the reset X announced`);
		waitedMin = Math.min(waitedMin, first - Math.max(...refused.map((r) => r.endedAt ?? r.startedAt)));
	}
	return {
		requests: sent.length,
		sizes: sent.map((s) => `${s.media.kind} ${mib(s.media.bytes.length)}`).join(', '),
		wall: secs(wallMs),
		appendsAnswered429: limited.length,
		workersThatGot429: [...limitedWorkers].sort().join(', '),
		executionsPerWorker: d.workers.map((w) => execs.filter((e) => e.worker === w.name).length).join(' + '),
		shortestWaitAfter429: secs(waitedMin),
		resetAnnouncedIn: '5 s',
	};
}

/** 3. SIGKILL of one worker while its appends are in flight. */
async function killedWorker(d: Deployment): Promise<Figures> {
	const batch = makeBatch(d, 'killed', [
		['mp4', 60 * MiB],
		['mp4', 55 * MiB],
		['mp4', 50 * MiB],
		['mp4', 45 * MiB],
	]);
	const sinceExec = await lastExecutionId(d);
	const postsBefore = new Set((await d.emu.posts()).map((p) => p.id));
	const seqBefore = (await d.emu.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
	await d.emu.addFault({ endpoint: 'append', delayMs: 700, times: 1_000_000 });
	const victim = d.workers[0];
	const survivor = d.workers[1];
	const startedBy = (w: Managed) => [...w.output().matchAll(/Worker started execution (\d+)/g)].map((m) => Number(m[1])).filter((id) => id > sinceExec);
	const pending = batch.map((b) => post(d, b, 300_000));
	// Wait until every upload of the batch has an append in flight and both workers hold executions.
	let inFlight: RecordedRequest[] = [];
	const deadline = Date.now() + 180_000;
	for (;;) {
		const reqs = (await d.emu.requests({ endpoint: 'append' })).filter((r) => r.seq > seqBefore);
		inFlight = reqs.filter((r) => r.endedAt === undefined);
		const mediaInFlight = new Set(inFlight.map((r) => appendMedia(r)));
		if (process.env.QUEUE_E2E_DEBUG) log(`appends ${reqs.length}, in flight ${inFlight.length} for ${mediaInFlight.size} media; started ${startedBy(victim).length} + ${startedBy(survivor).length}`);
		if (mediaInFlight.size >= batch.length && startedBy(victim).length > 0 && startedBy(survivor).length > 0) break;
		check(Date.now() < deadline, `the uploads did not all get under way: ${reqs.length} appends so far, in flight for ${mediaInFlight.size} media; started: ${victim.name} ${startedBy(victim).length}, ${survivor.name} ${startedBy(survivor).length}`);
		await sleep(100);
	}
	// Killed: what the victim had started and not finished when it died.
	const finishedBeforeKill = new Set([...victim.output().matchAll(/Worker finished execution (\d+)/g)].map((m) => Number(m[1])));
	const killedExecs = startedBy(victim).filter((id) => !finishedBeforeKill.has(id));
	const killedAt = Date.now();
	killGroup(victim.child, 'SIGKILL');
	const exit = await victim.exited;
	log(`SIGKILL ${victim.name} (pid ${victim.child.pid}) with ${inFlight.length} appends in flight, executions ${killedExecs.join(', ')} on it; it exited ${exit.signal ?? exit.code}`);
	const sent = await Promise.all(pending);
	await d.emu.clearFaults();
	const answeredAfterMs = Math.max(...sent.map((s) => s.ms));

	// What n8n reports for the killed executions, once it has noticed (Bull's stalled-job check).
	let execs: ExecutionInfo[] = [];
	const statusDeadline = Date.now() + 120_000;
	for (;;) {
		execs = await executions(d, sinceExec);
		const open = execs.filter((e) => killedExecs.includes(Number(e.id)) && (e.status === 'running' || e.status === 'new'));
		if (!open.length || Date.now() > statusDeadline) break;
		await sleep(1000);
	}
	const killed = execs.filter((e) => killedExecs.includes(Number(e.id)));
	const survived = execs.filter((e) => !killedExecs.includes(Number(e.id)));
	check(killed.length > 0 && survived.length > 0, `executions: ${killed.length} on the killed worker, ${survived.length} others`);
	for (const e of survived) check(e.status === 'success', `execution ${e.id} (not killed) is ${e.status} on ${e.worker}`);
	// Every post made holds exactly its own media, whole; the killed executions made none.
	const posts = await checkPosts(d, sent, postsBefore);
	const killedCaptions = sent.filter((s) => !survived.some((e) => e.caption === s.caption)).map((s) => s.caption);
	check(killedCaptions.length === killed.length, `${killedCaptions.length} requests without a finished execution, ${killed.length} killed executions`);
	for (const c of killedCaptions) check(!posts.has(c), `a post was made for "${c}", whose execution was killed`);
	for (const e of survived) {
		const s = sent.find((x) => x.caption === e.caption);
		check(s && s.status === 200 && posts.get(e.caption!)?.id === e.postId, `the request of execution ${e.id} was answered ${s?.status ?? s?.error}`);
	}
	// What the killed worker left at X: media never finalized.
	const reqs = (await d.emu.requests()).filter((r) => r.seq > seqBefore);
	const posted = new Set([...posts.values()].flatMap((p) => p.media_ids));
	const left: string[] = [];
	for (const id of mediaOfRequests(reqs).filter((m) => !posted.has(m))) {
		const rec = await d.emu.media(id);
		check(rec && rec.state !== 'finalized', `media ${id} of a killed upload was finalized`);
		left.push(`media ${id}: ${rec.state}, ${rec.segmentsReceived} segments (${mib(rec.segments.reduce((n, g) => n + g.size, 0))}) of ${mib(rec.total_bytes ?? 0)} received`);
	}
	const inFlightAfter = inFlight.map((r) => reqs.find((x) => x.seq === r.seq)).filter((r): r is RecordedRequest => !!r);
	const victimMedia = new Set(inFlightAfter.filter((r) => !posted.has(appendMedia(r) ?? '')).map((r) => appendMedia(r)));
	check(victimMedia.size > 0, 'no append of the killed worker was in flight when it was killed');
	return {
		requests: sent.length,
		sizes: sent.map((s) => `${s.media.kind} ${mib(s.media.bytes.length)}`).join(', '),
		killedExecutions: killed.map((e) => `#${e.id}: status "${e.status}", finished ${e.finished}${e.error ? `, error "${e.error}"` : ''}${e.stoppedAt ? `, stopped ${secs(new Date(e.stoppedAt).getTime() - killedAt)} after the kill` : ''}`),
		killedRequestsAnswered: sent.filter((s) => killedCaptions.includes(s.caption)).map((s) => `HTTP ${s.status ?? s.error} ${typeof s.body === 'string' ? s.body.slice(0, 200) : JSON.stringify(s.body)} after ${secs(s.ms)}`),
		appendsInFlightAtKill: `${inFlight.length} (of ${victimMedia.size} media of the killed worker: answered ${inFlightAfter.filter((r) => victimMedia.has(appendMedia(r))).map((r) => r.status || 'never').join(', ')})`,
		otherExecutions: survived.map((e) => `#${e.id} ${e.status} on ${e.worker}`),
		leftAtX: left,
		allAnsweredWithin: secs(answeredAfterMs),
	};
}

/** 4. Media from a URL: a 1 GiB video and a PNG, both from URLs, posted on the workers. */
async function fromUrl(d: Deployment): Promise<Figures> {
	const files = new FileServer();
	await files.start();
	onCleanup('file server', async () => await files.stop());
	const video = virtualMp4MoovLast(URL_VIDEO_MIB * MiB);
	const png = makeQueueTestMedia('png', 2 * MiB, 'url-png');
	const expected = [
		{ caption: `queue e2e url: ${URL_VIDEO_MIB} MiB video`, size: video.size, sha256: fileSha256(video), url: files.serve('/q/render.mp4', video, { contentType: 'video/mp4', etag: '"q1"' }, 'X-Amz-Signature=queue') },
		{ caption: 'queue e2e url: PNG', size: png.bytes.length, sha256: png.sha256, url: files.serve('/q/still.png', png.bytes, { contentType: 'image/png' }, 'X-Amz-Signature=queue') },
	];
	await d.emu.setOptions({ premiumUserIds: [userA.id] });
	const sinceExec = await lastExecutionId(d);
	const postsBefore = new Set((await d.emu.posts()).map((p) => p.id));
	await sleep(1000);
	const samplers = d.workers.map((w) => sampleRss(w.child.pid!));
	const t0 = Date.now();
	const answers = await Promise.all(
		expected.map(async (e) => {
			const res = await fetch(d.urlWebhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caption: e.caption, url: e.url }), signal: AbortSignal.timeout(900_000) });
			return { status: res.status, body: (await res.json().catch(() => undefined)) as { id?: string; media_ids?: string[] } | undefined, ms: Date.now() - t0 };
		}),
	);
	samplers.forEach((s) => s.stop());
	await d.emu.setOptions({ premiumUserIds: [] });
	const posts = (await d.emu.posts()).filter((p) => !postsBefore.has(p.id));
	for (const [i, e] of expected.entries()) {
		const a = answers[i];
		check(a.status === 200 && a.body?.id, `"${e.caption}": HTTP ${a.status} ${JSON.stringify(a.body)}`);
		const p = posts.find((q) => q.id === a.body!.id);
		check(p && p.text === e.caption && p.media_ids.length === 1, `"${e.caption}": post ${a.body!.id} is not the request's (${JSON.stringify(p)})`);
		const rec = (await d.emu.media(p.media_ids[0])) as MediaRecord | undefined;
		check(rec && rec.state === 'finalized' && rec.size === e.size && rec.sha256 === e.sha256, `"${e.caption}": media ${p.media_ids[0]} is ${rec?.state}, ${rec?.size} bytes, sha256 ${rec?.sha256}; expected ${e.size} bytes, ${e.sha256}`);
	}
	const execs = await endedExecutions(d, sinceExec, expected.length, URL_WORKFLOW_ID);
	check(execs.length === expected.length, `${execs.length} executions in n8n for ${expected.length} requests`);
	for (const e of execs) {
		check(e.status === 'success' && e.finished && e.worker, `execution ${e.id} is ${e.status} on ${e.worker ?? 'no worker'}${e.error ? `: ${e.error}` : ''}`);
		const i = expected.findIndex((x) => x.caption === e.caption);
		check(i >= 0 && answers[i].body?.id === e.postId, `execution ${e.id} ("${e.caption}") made post ${e.postId}, not the one its request answered`);
	}
	const growth = d.workers.map((w, i) => ({ name: w.name, start: samplers[i].startRss, peak: Math.max(samplers[i].peakRss(), samplers[i].hwm() ?? 0), runs: execs.filter((e) => e.worker === w.name).length }));
	for (const g of growth) check(g.peak - g.start <= URL_RSS_BOUND, `${g.name}: RSS grew by ${mib(g.peak - g.start)} while uploading from URLs, more than ${mib(URL_RSS_BOUND)}`);
	const requests = files.requestsFor('/q/render.mp4');
	return {
		video: `${URL_VIDEO_MIB} MiB (moov at the end), requests to its URL: ${requests.map((r) => r.range).join(', ')}`,
		wall: secs(Date.now() - t0),
		answers: answers.map((a, i) => `${expected[i].caption}: ${secs(a.ms)}`),
		workerRss: growth.map((g) => `${g.name}: ${mib(g.start)} → peak ${mib(g.peak)} (+${((g.peak - g.start) / MiB).toFixed(1)} MiB, ${g.runs} executions)`),
	};
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
	const t0 = Date.now();
	check(existsSync(N8N_BIN), `n8n is not installed in ${RUNTIME}: run bash test/e2e/ensure-n8n.sh`);
	check(existsSync(join(ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js')), 'the package is not built: npm run build');
	const v = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
	check(/^v2[4-9]\./.test(v), `n8n 2.41 needs Node >= 24, found ${v}`);
	installSignalCleanup();
	const work = mkdtempSync(join(tmpdir(), 'x-media-queue-e2e-'));
	log(`work folder ${work}`);
	let failed = false;
	// Registered first, so it runs last (cleaners run newest first): after every process stopped.
	onCleanup('work folder', () => {
		if (!failed && !KEEP) rmSync(work, { recursive: true, force: true });
	});
	const results: Array<{ name: string; ok: boolean; figures?: Figures; error?: string; ms: number }> = [];
	let d: Deployment | undefined;
	try {
		d = await deploy(work);
		for (const [name, fn] of [
			['6 concurrent requests, 2 workers', concurrent],
			['429 across both workers', rateLimited],
			['worker killed mid-upload', killedWorker],
			['media from a URL: 1 GiB video + PNG', fromUrl],
		] as Array<[string, (d: Deployment) => Promise<Figures>]>) {
			if (ONLY && !name.includes(ONLY)) continue;
			const ts = Date.now();
			try {
				const figures = await fn(d);
				results.push({ name, ok: true, figures, ms: Date.now() - ts });
				log(`PASS ${name} (${secs(Date.now() - ts)})\n${JSON.stringify(figures, null, 2)}`);
			} catch (e) {
				failed = true;
				const error = e instanceof AssertionFailure ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
				results.push({ name, ok: false, error, ms: Date.now() - ts });
				log(`FAIL ${name} (${secs(Date.now() - ts)})\n    ${error.split('\n').join('\n    ')}`);
			}
		}
		// Secrets never reach the logs of main or workers.
		const leaks = [d.main, ...d.workers].flatMap((p) => ALL_TEST_SECRETS.filter((s) => p.output().includes(s)).map(() => p.name));
		if (leaks.length) {
			failed = true;
			log(`FAIL a credential secret appears in the output of ${[...new Set(leaks)].join(', ')}`);
		}
	} catch (e) {
		failed = true;
		log(`setup failed: ${e instanceof Error ? (e instanceof AssertionFailure ? e.message : e.stack) : String(e)}`);
	} finally {
		if (d && (failed || KEEP)) {
			for (const p of [d.main, ...d.workers]) writeFileSync(join(work, `${p.name.replace(/\W+/g, '-')}.log`), p.output());
		}
		await cleanup();
	}
	const nFail = results.filter((r) => !r.ok).length;
	process.stdout.write(`\nqueue mode: ${results.length - nFail}/${results.length} scenarios passed in ${secs(Date.now() - t0)}${failed ? ' — FAILED' : ''}\n`);
	if (failed || KEEP) process.stdout.write(`kept ${work} (logs of n8n main and workers)\n`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	async (e) => {
		process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
		await cleanup();
		process.exit(1);
	},
);
