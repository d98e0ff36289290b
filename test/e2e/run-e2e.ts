/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling: runs in plain Node, starts n8n and the emulator as processes, and never ships in the package (files: ["dist"]) */
/**
 * End-to-end suite: the packed package inside the REAL n8n (test/n8n-runtime, pinned 2.41.1),
 * headless, against the X API emulator running in its own process.
 *
 *   npm run build && bash test/e2e/ensure-n8n.sh && npx tsx test/e2e/run-e2e.ts
 *
 * For every example workflow in examples/ × credential type (OAuth2, OAuth1) × binary data mode
 * (filesystem, database) it runs `n8n execute --id <id> --rawOutput` and checks n8n's own result
 * JSON and what the emulator received (media exist, reassembled bytes = fixture bytes, post media
 * ids, auth scheme). Bad-input workflows must make `n8n execute` fail with the node's message.
 *
 * Environment knobs: E2E_KEEP=1 keeps the temporary folder; E2E_ONLY=<substring> runs only the
 * cases whose "workflow credential mode" label contains it; E2E_MODES=filesystem,database,default
 * (default: every mode the n8n version has, see MODES_BY_MAJOR).
 *
 * N8N_VERSION=<version> picks the pinned n8n (test/n8n-runtime* folder pinning it; 2.41.1 when
 * unset), installed by `N8N_VERSION=<version> bash test/e2e/ensure-n8n.sh`.
 * E2E_SET=smoke runs only the cases tagged `smoke: true` (what .ci/run runs on n8n 1.x); a case
 * may also name the binary modes it runs in (`modes`). Whatever the set, every run's n8n output and
 * user folder (database, logs, settings) goes through the secret audit (auditSecrets).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { EmulatorClient } from '../emulator/client';
import { ALL_TEST_SECRETS, n8nCredentialEntries, URL_QUERY_SECRET, userA, userB } from '../emulator/testCredentials';
import type { MediaRecord, RecordedRequest } from '../emulator/types';
import { ensureMoovLastVideo } from '../../bench/lib/fixtures';
import { makeMp4MoovLast } from '../fixtures/media';
import { FileServer } from '../harness/fileServer';
import { auditSecrets, nonMultipartAppends, sampleRss, uploadRssGrowth, type AuditResult } from './checks';
import { freePort, killGroup, n8nEnv, n8nRuntime, nodeBin, packAndInstall } from './n8nApp';

// ---------------------------------------------------------------- paths and constants

const ROOT = resolve(__dirname, '..', '..');
const RUNTIME = n8nRuntime();
const N8N_BIN = RUNTIME.bin;
const EXAMPLES = join(ROOT, 'examples');
const MEDIA = join(EXAMPLES, 'media');
/** Real ffmpeg-made media (test/media/make-media.sh) and what ffprobe says about each. */
const REAL_MEDIA = join(ROOT, 'test', 'media', 'files');
const REAL_MEDIA_FILES = ['long-150s.mp4', 'h264-aac-moov-last.mp4', 'fps-120.mp4'];
/** Issue 18's media (test/media/make-media-2026.sh): a 3-minute and a 21-minute video (64×64, 1 fps, moov last). */
const REAL_MEDIA_2026 = join(ROOT, 'test', 'media', 'files-2026');
const REAL_MEDIA_2026_FILES = ['long-3min.mp4', 'long-21min.mp4'];
const REAL_MEDIA_EXPECTED = JSON.parse(readFileSync(join(ROOT, 'test', 'media', 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const PACKAGE_NAME = 'n8n-nodes-x-media';
const X_MEDIA_TYPE = `${PACKAGE_NAME}.xMedia`;
const READ_FILE_TYPE = 'n8n-nodes-base.readWriteFile';
// Not a secret: a fixed n8n instance key, so credentials imported once stay readable in every copied user folder.
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
const ENCRYPTION_KEY = 'x-media-e2e-fixed-encryption-key';
const EXECUTE_TIMEOUT_MS = 180_000;

type Auth = 'oAuth2' | 'oAuth1';
/**
 * n8n's binary data modes: `filesystem` and `database` store the file and hand the node an id;
 * `default` (n8n 1.x only; gone in 2.x) keeps it in the execution data as base64.
 */
type BinaryMode = 'filesystem' | 'database' | 'default';
const AUTHS: Auth[] = ['oAuth2', 'oAuth1'];
const MODES_BY_MAJOR: Record<number, BinaryMode[]> = { 1: ['filesystem', 'database', 'default'], 2: ['filesystem', 'database'] };
const VERSION_MODES = MODES_BY_MAJOR[RUNTIME.major] ?? MODES_BY_MAJOR[2];
const MODES: BinaryMode[] = process.env.E2E_MODES
	? (process.env.E2E_MODES.split(',').map((m) => m.trim()) as BinaryMode[]).filter((m) => VERSION_MODES.includes(m))
	: VERSION_MODES;
const SMOKE = process.env.E2E_SET === 'smoke';
const KEEP = process.env.E2E_KEEP === '1';
const ONLY = process.env.E2E_ONLY ?? '';


// ---------------------------------------------------------------- small helpers

class AssertionFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new AssertionFailure(message);
}

function equal(actual: unknown, expected: unknown, what: string): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	check(a === e, `${what}: expected ${e}, got ${a}`);
}

function sha256(buf: Buffer): string {
	return createHash('sha256').update(buf).digest('hex');
}

function log(msg: string): void {
	process.stdout.write(`[e2e] ${msg}\n`);
}


interface ProcResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/** Runs a command in its own process group (n8n starts task-runner children); kills the group on timeout. */
async function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, onSpawn?: (pid: number) => void): Promise<ProcResult> {
	const started = Date.now();
	return await new Promise((resolveRun) => {
		const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		if (child.pid !== undefined) onSpawn?.(child.pid);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolveRun({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
		});
	});
}



async function n8n(args: string[], env: NodeJS.ProcessEnv, timeoutMs = EXECUTE_TIMEOUT_MS, onSpawn?: (pid: number) => void): Promise<ProcResult> {
	return await runProcess(nodeBin(), [N8N_BIN, ...args], env, timeoutMs, onSpawn);
}

// ---------------------------------------------------------------- n8n's run JSON (the parts checked)

interface ItemJson {
	[key: string]: unknown;
	id?: string;
	url?: string;
	media_id?: string;
	media_ids?: string[];
	media_key?: string;
	media_type?: string;
	media_category?: string;
	size?: number;
	upload_method?: string;
	segments?: number;
	expires_at?: string;
	file_name?: string;
	state?: string;
	processing_info?: { state?: string } | null;
}

interface RunItem {
	json: ItemJson;
	binary?: Record<string, { id?: string; bytes?: number; fileName?: string; mimeType?: string }>;
}

interface NodeRun {
	executionTime?: number;
	data?: { main?: Array<RunItem[] | null> };
}

interface N8nRun {
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			runData?: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string };
		};
	};
}

/** `--rawOutput` still prints log lines first: the run JSON starts at the first line that is exactly `{`. */
function parseRunJson(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	if (start === -1) return undefined;
	let end = -1;
	for (let i = lines.length - 1; i > start; i--) {
		if (lines[i] === '}') {
			end = i;
			break;
		}
	}
	if (end === -1) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nRun;
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------- workflows

interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as WorkflowJson;
}

interface CredentialRef {
	id: string;
	name: string;
}

/** A copy of a workflow for one credential type, reading its files from `filesDir`. */
function workflowVariant(
	wf: WorkflowJson,
	id: string,
	auth: Auth,
	creds: Record<Auth, CredentialRef>,
	filesDir: string,
	fileRename: Record<string, string> = {},
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	copy.id = id;
	copy.name = `${wf.name} [${auth}] (${id})`;
	for (const node of copy.nodes) {
		if (node.type === X_MEDIA_TYPE) {
			node.parameters.authentication = auth;
			node.credentials = auth === 'oAuth2' ? { xOAuth2Api: creds.oAuth2 } : { xOAuth1Api: creds.oAuth1 };
		}
		if (node.type === READ_FILE_TYPE) {
			const original = basename(String(node.parameters.fileSelector));
			node.parameters.fileSelector = join(filesDir, fileRename[original] ?? original);
		}
	}
	return copy;
}

// ---------------------------------------------------------------- cases

interface Fixture {
	path: string;
	bytes: Buffer;
	sha256: string;
}

interface RunContext {
	label: string;
	auth: Auth;
	mode: BinaryMode;
	proc: ProcResult;
	result: N8nRun | undefined;
	emu: EmulatorClient;
	/** Emulator requests made during this run (runs are sequential). */
	requests: RecordedRequest[];
	fixtures: Record<string, Fixture>;
	/** n8n's RSS during the run: [epoch ms, bytes] every 50 ms. */
	rss: Array<[number, number]>;
}

interface Case {
	/** Short name for the table. */
	workflow: string;
	file: string;
	auth: Auth;
	/** Workflow id (≤ 21 characters). */
	id: string;
	fileRename?: Record<string, string>;
	/** Changes to the workflow's nodes for this case (e.g. an option turned on). */
	patch?: (wf: WorkflowJson) => void;
	/** Emulator set-up before the run, and its undoing after. */
	before?: (emu: EmulatorClient) => Promise<void>;
	after?: (emu: EmulatorClient) => Promise<void>;
	/** Changes the example workflow for this case (before the credential and file paths are set). */
	transform?: (wf: WorkflowJson) => WorkflowJson;
	/** Runs against the emulator right before `n8n execute` (faults for this case). */
	setup?: (emu: EmulatorClient) => Promise<void>;
	verify: (ctx: RunContext) => Promise<void>;
	/** In the smoke set (E2E_SET=smoke, what .ci/run runs on n8n 1.x). */
	smoke?: boolean;
	/** The binary modes this case runs in (default: all of the run's modes). */
	modes?: BinaryMode[];
}

function nodeItems(result: N8nRun | undefined, nodeName: string): RunItem[] {
	const runs = result?.data?.resultData?.runData?.[nodeName];
	check(Array.isArray(runs) && runs.length > 0, `node "${nodeName}" did not run`);
	const items = runs[0]?.data?.main?.[0];
	check(Array.isArray(items), `node "${nodeName}" has no main output`);
	return items;
}

function nodeRun(result: N8nRun | undefined, nodeName: string): NodeRun | undefined {
	return result?.data?.resultData?.runData?.[nodeName]?.[0];
}

function expectSuccess(ctx: RunContext): void {
	const tail = (ctx.proc.stdout + ctx.proc.stderr).slice(-3000);
	check(!ctx.proc.timedOut, `n8n execute timed out after ${EXECUTE_TIMEOUT_MS / 1000} s`);
	check(ctx.proc.code === 0, `n8n execute exited with ${ctx.proc.code}; output tail:\n${tail}`);
	check(ctx.result, `no run JSON (a line "{") in stdout; output tail:\n${tail}`);
	equal(ctx.result.status, 'success', 'execution status');
	check(ctx.result.finished === true, 'execution not finished');
	check(!ctx.result.data?.resultData?.error, `execution error: ${JSON.stringify(ctx.result.data?.resultData?.error)}`);
}

/** The file read by n8n went through the binary data mode under test (proves the env took effect). */
function expectBinaryMode(ctx: RunContext, readNode: string, fixture: Fixture): void {
	const [item] = nodeItems(ctx.result, readNode);
	const bin = item.binary?.data;
	check(bin, `"${readNode}" output has no binary "data"`);
	if (ctx.mode === 'default') {
		check(bin.id === undefined, `"${readNode}" binary id should be absent in n8n's default (in-memory) mode, got ${bin.id}`);
	} else {
		const prefix = ctx.mode === 'filesystem' ? 'filesystem-v2:' : 'database:';
		check(typeof bin.id === 'string' && bin.id.startsWith(prefix), `"${readNode}" binary id should start with ${prefix}, got ${bin.id}`);
	}
	check(bin.bytes === undefined || bin.bytes === fixture.bytes.length, `"${readNode}" binary bytes ${bin.bytes} != fixture ${fixture.bytes.length}`);
}

/** Every emulator request of the run used the credential's scheme, validly, as user A. */
function expectAuth(ctx: RunContext): void {
	check(ctx.requests.length > 0, 'the emulator received no request');
	const scheme = ctx.auth === 'oAuth2' ? 'oauth2' : 'oauth1';
	for (const r of ctx.requests) {
		check(
			r.auth?.scheme === scheme && r.auth.valid === true && r.auth.userId === userA.id,
			`request #${r.seq} ${r.method} ${r.path}: auth ${JSON.stringify(r.auth)}, expected a valid ${scheme} of user A`,
		);
		check(r.status >= 200 && r.status < 300, `request #${r.seq} ${r.method} ${r.path} answered ${r.status}: ${JSON.stringify(r.responseBody)}`);
	}
}

/** X media ids are strings of 1-19 digits, never numbers. */
function mediaIdOf(value: unknown, what: string): string {
	check(typeof value === 'string' && /^\d{1,19}$/.test(value), `${what} ${JSON.stringify(value)} is not a 1-19 digit string`);
	return value;
}

/** The media exists in the emulator, holds exactly the fixture's bytes, belongs to user A. */
async function expectMediaBytes(ctx: RunContext, mediaId: string, fixture: Fixture): Promise<MediaRecord> {
	const rec = await ctx.emu.media(mediaId);
	check(rec, `media ${mediaId} does not exist in the emulator`);
	equal(rec.owner, userA.id, `media ${mediaId} owner`);
	const bytes = await ctx.emu.mediaBytes(mediaId);
	equal(bytes.length, fixture.bytes.length, `media ${mediaId} reassembled size`);
	equal(sha256(bytes), fixture.sha256, `media ${mediaId} sha256 of the emulator's reassembled bytes`);
	if (rec.sha256) equal(rec.sha256, fixture.sha256, `media ${mediaId} record sha256`);
	return rec;
}

/** The post exists in the emulator with exactly these media, made with the credential's scheme. */
async function expectPost(ctx: RunContext, post: ItemJson, mediaIds: string[]): Promise<void> {
	check(typeof post.id === 'string' && /^\d{1,19}$/.test(post.id), `post id ${JSON.stringify(post.id)}`);
	equal(post.media_ids, mediaIds, 'post output media_ids');
	check(typeof post.url === 'string' && post.url.endsWith(`/status/${post.id}`), `post url ${post.url}`);
	const posts = await ctx.emu.posts();
	const rec = posts.find((p) => p.id === post.id);
	check(rec, `post ${post.id} does not exist in the emulator`);
	equal(rec.media_ids, mediaIds, `emulator post ${post.id} media_ids`);
	equal(rec.author_id, userA.id, `emulator post ${post.id} author`);
	equal(rec.auth_scheme, ctx.auth === 'oAuth2' ? 'oauth2' : 'oauth1', `emulator post ${post.id} auth scheme`);
	const tweetCalls = ctx.requests.filter((r) => r.endpoint === 'tweets');
	equal(tweetCalls.length, 1, 'POST /2/tweets calls in this run');
}

const verifyUploadAndPost = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const image = ctx.fixtures['sample-image.png'];
	expectBinaryMode(ctx, 'Read Image File', image);
	const up = nodeItems(ctx.result, 'Upload Image to X');
	equal(up.length, 1, 'Upload items');
	const u = up[0].json;
	const mediaId = mediaIdOf(u.media_id, 'upload media_id');
	equal(u.media_ids, [mediaId], 'upload media_ids');
	equal(u.media_type, 'image/png', 'upload media_type');
	equal(u.media_category, 'tweet_image', 'upload media_category');
	equal(u.size, image.bytes.length, 'upload size');
	equal(u.upload_method, 'simple', 'upload upload_method');
	equal(u.file_name, 'sample-image.png', 'upload file_name');
	check(typeof u.media_key === 'string' && u.media_key.length > 0, 'upload media_key');
	check(typeof u.expires_at === 'string' && !Number.isNaN(Date.parse(u.expires_at)), `upload expires_at ${u.expires_at}`);
	const rec = await expectMediaBytes(ctx, mediaId, image);
	equal(rec.alt_text, 'A small colour gradient (n8n-nodes-x-media example image)', 'emulator alt text');
	const posts = nodeItems(ctx.result, 'Post Image on X');
	equal(posts.length, 1, 'Post items');
	await expectPost(ctx, posts[0].json, [mediaId]);
	expectAuth(ctx);
};

const verifyPostFromBinary = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const video = ctx.fixtures['sample-video.mp4'];
	expectBinaryMode(ctx, 'Read Video File', video);
	const posts = nodeItems(ctx.result, 'Post Video on X');
	equal(posts.length, 1, 'Post items');
	const p = posts[0].json;
	check(Array.isArray(p.media_ids) && p.media_ids.length === 1, `post media_ids ${JSON.stringify(p.media_ids)}`);
	const mediaId = mediaIdOf(p.media_ids[0], 'post media_ids[0]');
	const rec = await expectMediaBytes(ctx, mediaId, video);
	equal(rec.upload_method, 'chunked', 'emulator upload method');
	equal(rec.category, 'tweet_video', 'emulator media category');
	equal(rec.processing?.state, 'succeeded', 'emulator processing state before the post');
	check(rec.segmentsReceived >= 1, 'no APPEND segment received');
	await expectPost(ctx, p, [mediaId]);
	expectAuth(ctx);
};

/** media_info of an upload output equals what ffprobe says about the file (test/media/expected.json). */
function expectMediaInfo(u: ItemJson, fileName: string): void {
	const want = REAL_MEDIA_EXPECTED[fileName];
	check(want, `no expected values for ${fileName}`);
	const info = u.media_info as Record<string, unknown> | undefined;
	check(info && typeof info === 'object', `upload media_info ${JSON.stringify(info)}`);
	equal(info.kind, 'video', 'media_info.kind');
	for (const field of ['width', 'height', 'duration_ms', 'frame_rate', 'video_codec', 'audio_codec', 'audio_channels']) {
		equal(info[field], want[field], `media_info.${field} (ffprobe)`);
	}
	equal(u.warnings, [], 'upload warnings');
}

const verifyUploadWaitStatusPost = async (ctx: RunContext): Promise<void> => await verifyUploadWaitStatusPostOf(ctx, 'sample-video.mp4');

async function verifyUploadWaitStatusPostOf(ctx: RunContext, file: string, expectInfo?: (u: ItemJson) => void): Promise<void> {
	expectSuccess(ctx);
	const video = ctx.fixtures[file];
	expectBinaryMode(ctx, 'Read Video File', video);
	const [up] = nodeItems(ctx.result, 'Upload Video to X');
	const u = up.json;
	const mediaId = mediaIdOf(u.media_id, 'upload media_id');
	equal(u.media_ids, [mediaId], 'upload media_ids');
	equal(u.media_type, 'video/mp4', 'upload media_type');
	equal(u.media_category, 'tweet_video', 'upload media_category');
	equal(u.upload_method, 'chunked', 'upload upload_method');
	equal(u.size, video.bytes.length, 'upload size');
	check(typeof u.segments === 'number' && u.segments >= 1, `upload segments ${u.segments}`);
	const earlyState = u.processing_info?.state;
	check(earlyState === 'pending' || earlyState === 'in_progress', `with waitForProcessing off the upload should return before processing ends; processing_info ${JSON.stringify(u.processing_info)}`);
	const wait = nodeRun(ctx.result, 'Wait 3 Seconds');
	check(wait && typeof wait.executionTime === 'number' && wait.executionTime >= 2900, `Wait node executionTime ${wait?.executionTime}`);
	const [st] = nodeItems(ctx.result, 'Check Processing Status');
	equal(st.json.media_id, mediaId, 'status media_id');
	equal(st.json.state, 'succeeded', 'status state');
	const rec = await expectMediaBytes(ctx, mediaId, video);
	equal(rec.processing?.state, 'succeeded', 'emulator processing state');
	check(ctx.requests.some((r) => r.endpoint === 'status' && r.mediaId === mediaId), 'no STATUS request for the media');
	const [post] = nodeItems(ctx.result, 'Post Video on X');
	await expectPost(ctx, post.json, [mediaId]);
	expectAuth(ctx);
	expectInfo?.(u);
}

const verifyVideoWithSubtitles = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const video = ctx.fixtures['sample-video.mp4'];
	const srt = ctx.fixtures['sample-video.en.srt'];
	expectBinaryMode(ctx, 'Read Video File', video);
	const [up] = nodeItems(ctx.result, 'Upload Video with Subtitles');
	const u = up.json;
	const mediaId = mediaIdOf(u.media_id, 'upload media_id');
	equal(u.media_ids, [mediaId], 'upload media_ids (the subtitles media is not among them)');
	equal(u.media_category, 'tweet_video', 'upload media_category');
	check(Array.isArray(u.subtitles) && u.subtitles.length === 1, `upload subtitles ${JSON.stringify(u.subtitles)}`);
	const [entry] = u.subtitles as Array<Record<string, unknown>>;
	const subtitlesId = mediaIdOf(entry.media_id, 'subtitles media_id');
	equal(entry.language_code, 'EN', 'subtitles language_code (as sent to X)');
	equal(entry.language_code_given, 'en', 'subtitles language_code_given');
	equal(entry.display_name, 'English', 'subtitles display_name');
	// The item's files went on unchanged.
	equal(Object.keys(up.binary ?? {}).sort(), ['data', 'subtitles'], 'upload output binary fields');
	const rec = await expectMediaBytes(ctx, mediaId, video);
	equal(rec.processing?.state, 'succeeded', 'emulator processing state');
	equal(rec.subtitles, [{ id: subtitlesId, language_code: 'EN', display_name: 'English' }], 'emulator subtitles of the video');
	const sub = await expectMediaBytes(ctx, subtitlesId, srt);
	equal(sub.category, 'subtitles', 'emulator subtitles media category');
	const attach = ctx.requests.filter((r) => r.endpoint === 'subtitles');
	equal(attach.length, 1, 'POST /2/media/subtitles calls');
	const [post] = nodeItems(ctx.result, 'Post Video on X');
	await expectPost(ctx, post.json, [mediaId]);
	expectAuth(ctx);
};

const verifyImageDirectMessage = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const workflow = loadExample('image-direct-message.json');
	const generate = workflow.nodes.find((n) => n.name === 'Generate Image');
	const assignments = (generate?.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
	const bytes = Buffer.from(assignments.find((a) => a.name === 'imageBase64')!.value, 'base64');
	const [dm] = nodeItems(ctx.result, 'Send as Direct Message');
	const d = dm.json;
	equal(d.dm_conversation_id, `${userA.id}-${userB.id}`, 'DM dm_conversation_id');
	check(typeof d.dm_event_id === 'string' && /^\d+$/.test(d.dm_event_id), `DM dm_event_id ${JSON.stringify(d.dm_event_id)}`);
	const mediaId = mediaIdOf(d.media_id, 'DM media_id');
	equal((d.upload as Record<string, unknown>)?.media_category, 'dm_image', 'DM upload media_category');
	const rec = await expectMediaBytes(ctx, mediaId, { path: 'generated.png', bytes, sha256: sha256(bytes) });
	equal(rec.category, 'dm_image', 'emulator media category');
	const sent = (await ctx.emu.directMessages()).filter((m) => m.dm_event_id === d.dm_event_id);
	equal(sent.length, 1, 'emulator Direct Messages with this event id');
	equal(sent[0].media_ids, [mediaId], 'emulator DM media_ids');
	equal(sent[0].participant_id, userB.id, 'emulator DM participant');
	equal(sent[0].auth_scheme, ctx.auth === 'oAuth2' ? 'oauth2' : 'oauth1', 'emulator DM auth scheme');
	equal(ctx.requests.filter((r) => r.endpoint === 'dmMessages').length, 1, 'DM requests in this run');
	expectAuth(ctx);
};

/** The resume case's upload: 0.25 MiB segments one at a time, so the 1.5 MB sample has 6. */
const RESUME_CHUNK_MIB = 0.25;
const RESUME_FAILED_TRIES = 5;

/**
 * post-from-binary as a Retry On Fail upload: X Media uploads with the node setting Retry On Fail
 * (2 tries, 1 s apart), in small segments one at a time.
 */
function asRetriedUpload(wf: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	const node = copy.nodes.find((n) => n.type === X_MEDIA_TYPE);
	check(node, 'post-from-binary has no X Media node');
	node.name = 'Upload Video to X';
	node.parameters = {
		authentication: 'oAuth2',
		operation: 'upload',
		binaryPropertyName: 'data',
		options: { chunkSize: RESUME_CHUNK_MIB, parallelUploads: 1 },
	};
	Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 });
	const connections = copy.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
	connections['Read Video File'].main[0][0].node = node.name;
	return copy;
}

/** Every byte once in the real n8n: n8n's retry continued the upload that failed part-way. */
const verifyRetryContinues = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const video = ctx.fixtures['sample-video.mp4'];
	expectBinaryMode(ctx, 'Read Video File', video);
	const [up] = nodeItems(ctx.result, 'Upload Video to X');
	const u = up.json;
	const mediaId = mediaIdOf(u.media_id, 'upload media_id');
	const segments = Math.ceil(video.bytes.length / (RESUME_CHUNK_MIB * 1024 * 1024));
	equal(u.segments, segments, 'upload segments');
	await expectMediaBytes(ctx, mediaId, video);
	const of = (endpoint: string) => ctx.requests.filter((r) => r.endpoint === endpoint);
	equal(of('initialize').length, 1, 'INITIALIZE requests (n8n ran the node twice; the second run continued the session)');
	equal(of('finalize').length, 1, 'FINALIZE requests');
	const appends = of('append');
	const acknowledged = appends.filter((r) => r.status === 200).map((r) => r.segmentIndex as number).sort((a, b) => a - b);
	equal(acknowledged, [...Array(segments).keys()], 'segment indexes X acknowledged (each once)');
	equal(appends.filter((r) => r.status === 503).length, RESUME_FAILED_TRIES, 'APPENDs refused with 503 (the first run\'s tries)');
	equal(appends.length, segments + RESUME_FAILED_TRIES, 'APPEND requests in all');
	const scheme = ctx.auth === 'oAuth2' ? 'oauth2' : 'oauth1';
	// The emulator answers a fault before it checks the signature: those requests carry no auth record.
	for (const r of ctx.requests.filter((q) => !q.fault)) check(r.auth?.scheme === scheme && r.auth.valid === true, `request #${r.seq} auth ${JSON.stringify(r.auth)}`);
};

/**
 * Exactly once (issue 20): three posts from three items, with the node setting Retry On Fail (2
 * tries, 1 s apart) on X Media, the example's Start node, then a Set node making three captions
 * (unique to the run: n8n evaluates it once, before the X Media node and its retries) and Split Out.
 */
function asRetriedPosts(wf: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	const start = copy.nodes.find((n) => n.name === 'Start');
	const post = copy.nodes.find((n) => n.type === X_MEDIA_TYPE && n.parameters.operation === 'createPost');
	check(start && post, 'upload-and-post has no Start or Create Post node');
	const captions = {
		parameters: {
			assignments: {
				assignments: [
					{
						id: 'e20a0000-0000-4000-8000-000000000001',
						name: 'captions',
						value: "={{ [1, 2, 3].map((n) => 'Retry On Fail post ' + n + ' of 3 (' + $now.toMillis() + ')') }}",
						type: 'array',
					},
				],
			},
			options: {},
		},
		id: 'e20a0000-0000-4000-8000-000000000002',
		name: 'Captions',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [220, 0],
	};
	const split = {
		parameters: { fieldToSplitOut: 'captions', include: 'noOtherFields', options: {} },
		id: 'e20a0000-0000-4000-8000-000000000003',
		name: 'One Item per Caption',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [440, 0],
	};
	post.name = 'Post Captions on X';
	post.parameters = { authentication: 'oAuth2', operation: 'createPost', text: '={{ $json.captions }}', mediaSource: 'mediaIds', mediaIds: '', additionalFields: {} };
	Object.assign(post, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000, position: [660, 0] });
	copy.nodes = [start, captions, split, post];
	copy.connections = {
		Start: { main: [[{ node: 'Captions', type: 'main', index: 0 }]] },
		Captions: { main: [[{ node: 'One Item per Caption', type: 'main', index: 0 }]] },
		'One Item per Caption': { main: [[{ node: post.name, type: 'main', index: 0 }]] },
	};
	return copy;
}

/** n8n ran the node twice (the 3rd POST /2/tweets failed once); each caption was posted once. */
const verifyRetryPostsOnce = async (ctx: RunContext): Promise<void> => {
	expectSuccess(ctx);
	const out = nodeItems(ctx.result, 'Post Captions on X');
	equal(out.length, 3, 'posts in the output');
	const tweets = ctx.requests.filter((r) => r.endpoint === 'tweets');
	equal(tweets.map((r) => r.status), [201, 201, 500, 201], 'POST /2/tweets answers (3rd refused once, then n8n\'s retry posted only the 3rd)');
	const sentTexts = tweets.filter((r) => r.status === 201).map((r) => (r.json as { text?: string }).text);
	const texts = out.map((o) => o.json.text);
	equal(sentTexts, texts, 'texts posted, each once, in item order');
	check(texts.every((t, i) => typeof t === 'string' && t.startsWith(`Retry On Fail post ${i + 1} of 3 (`)), `post texts ${JSON.stringify(texts)}`);
	const posts = await ctx.emu.posts();
	for (const o of out) {
		const matching = posts.filter((p) => p.text === o.json.text);
		equal(matching.map((p) => p.id), [o.json.id], `emulator posts with the text "${String(o.json.text)}"`);
	}
	const scheme = ctx.auth === 'oAuth2' ? 'oauth2' : 'oauth1';
	for (const r of ctx.requests.filter((q) => !q.fault)) check(r.auth?.scheme === scheme && r.auth.valid === true, `request #${r.seq} auth ${JSON.stringify(r.auth)}`);
};

/**
 * thread-with-images: three posts, each replying to the one before (as the emulator records the
 * chain), each with its image; every upload before the first post. `retried`: the third post failed
 * once (500) and n8n's Retry On Fail ran the node again: each image uploaded once, each post made once.
 */
function verifyThread(retried: boolean) {
	return async (ctx: RunContext): Promise<void> => {
		expectSuccess(ctx);
		const out = nodeItems(ctx.result, 'Post Thread on X');
		const texts = nodeItems(ctx.result, 'Thread Posts').map((i) => i.json.text);
		equal(out.length, 3, 'thread output items');
		const posts = await ctx.emu.posts();
		const tweetCalls = ctx.requests.filter((r) => r.endpoint === 'tweets');
		equal(tweetCalls.map((r) => r.status), retried ? [201, 201, 500, 201] : [201, 201, 201], 'POST /2/tweets answers');
		equal(ctx.requests.filter((r) => r.endpoint === 'upload' || r.endpoint === 'initialize').length, 3, 'uploads (each image once, also across the retry)');
		const made = tweetCalls.filter((r) => r.status === 201).map((r) => (r.responseBody as { data: { id: string } }).data.id);
		equal(out.map((o) => o.json.id), made, 'thread output ids = the posts X made, each once');
		for (const [k, item] of out.entries()) {
			const post = posts.find((p) => p.id === item.json.id);
			check(post, `post ${String(item.json.id)} does not exist in the emulator`);
			equal(post.text, texts[k], `post ${k + 1} text`);
			equal(post.in_reply_to_tweet_id, k === 0 ? undefined : out[k - 1].json.id, `post ${k + 1} replies to`);
			equal(post.conversation_id, out[0].json.id, `post ${k + 1} conversation`);
			equal([item.json.position, item.json.thread_id, item.json.in_reply_to_id], [k + 1, out[0].json.id, k === 0 ? null : out[k - 1].json.id], `post ${k + 1} position, thread_id, in_reply_to_id`);
			const mediaIds = item.json.media_ids as string[];
			equal(post.media_ids, mediaIds, `post ${k + 1} media`);
			equal(mediaIds.length, 1, `post ${k + 1} media count`);
			for (const mediaId of mediaIds) {
				const rec = await ctx.emu.media(mediaId);
				check(rec?.owner === userA.id && rec.category === 'tweet_image', `post ${k + 1} media ${mediaId}: ${JSON.stringify(rec)}`);
			}
		}
		const firstPost = ctx.requests.findIndex((r) => r.endpoint === 'tweets');
		check(ctx.requests.slice(firstPost).every((r) => r.endpoint === 'tweets'), 'an upload request came after the first post');
		if (!retried) expectAuth(ctx);
	};
}

/**
 * The memory case: a 300 MiB video laid out as ffmpeg writes it (moov at the end), read from n8n's
 * binary storage and uploaded (Upload, default options). n8n's RSS growth inside the upload
 * (INITIALIZE → FINALIZE) must stay far below the file: the node streams it in segments. The bound
 * is 64 MiB (the bench measures 0–8 MiB: README, "Memory"); a node that held the file would grow by
 * 300 MiB or more.
 */
const MEMORY_CASE_MIB = 300;
const MEMORY_FILE = `video-${MEMORY_CASE_MIB}MiB-moov-last.mp4`;
const MEMORY_GROWTH_BOUND_MIB = 64;
let memoryFixture: { size: number; sha256: string } | undefined;

function asUploadOnly(wf: WorkflowJson): WorkflowJson {
	const keep = new Set(['Start', 'Read Video File', 'Upload Video to X']);
	wf.nodes = wf.nodes.filter((n) => keep.has(n.name));
	const connections = wf.connections as Record<string, unknown>;
	for (const name of Object.keys(connections)) if (name === 'Upload Video to X' || !keep.has(name)) delete connections[name];
	return wf;
}

async function verifyMemoryCase(ctx: RunContext): Promise<void> {
	expectSuccess(ctx);
	check(memoryFixture, 'the 300 MiB fixture was not made');
	const [item] = nodeItems(ctx.result, 'Read Video File');
	check(ctx.mode !== 'filesystem' || String(item.binary?.data?.id).startsWith('filesystem-v2:'), `binary id ${item.binary?.data?.id}`);
	const [up] = nodeItems(ctx.result, 'Upload Video to X');
	const mediaId = mediaIdOf(up.json.media_id, 'upload media_id');
	equal(up.json.size, memoryFixture.size, 'upload size');
	equal(up.json.upload_method, 'chunked', 'upload upload_method');
	const rec = await ctx.emu.media(mediaId);
	check(rec, `media ${mediaId} does not exist in the emulator`);
	equal(rec.sha256, memoryFixture.sha256, `media ${mediaId} sha256 of the emulator's reassembled bytes`);
	const growth = uploadRssGrowth(ctx.rss, ctx.requests);
	check(growth && growth.samples > 0, `no RSS samples of n8n inside the upload (${ctx.rss.length} in all)`);
	log(`  memory: n8n RSS ${growth.startMiB.toFixed(0)} MiB at INITIALIZE, peak ${growth.peakMiB.toFixed(0)} MiB in the upload (+${growth.growthMiB.toFixed(1)} MiB, ${growth.samples} samples), bound +${MEMORY_GROWTH_BOUND_MIB} MiB`);
	check(growth.growthMiB <= MEMORY_GROWTH_BOUND_MIB, `n8n grew by ${growth.growthMiB.toFixed(1)} MiB during the ${MEMORY_CASE_MIB} MiB upload (bound ${MEMORY_GROWTH_BOUND_MIB} MiB)`);
}

/** Bad input: `n8n execute` exits non-zero, the X Media node's message is in the output, nothing reached X. */
function verifyBadInput(nodeName: string, message: RegExp) {
	return async (ctx: RunContext): Promise<void> => {
		const all = ctx.proc.stdout + ctx.proc.stderr;
		check(!ctx.proc.timedOut, 'n8n execute timed out');
		// A failed execution must not exit 0. Under heavy load n8n's CLI sometimes ends by a signal after it
		// printed the failure (its task runner's shutdown): a shell sees that as a failure too (128 + n).
		check(ctx.proc.code !== 0, `n8n execute should fail, exited with ${ctx.proc.code} (signal ${ctx.proc.signal})`);
		check(/Execution was NOT successful/.test(all), 'output lacks "Execution was NOT successful"');
		check(message.test(all), `output lacks the node's message ${message}; output tail:\n${all.slice(-3000)}`);
		if (ctx.result) {
			const err = ctx.result.data?.resultData?.error;
			equal(ctx.result.data?.resultData?.lastNodeExecuted, nodeName, 'node that failed');
			check(err && message.test(String(err.message)), `run JSON error message ${JSON.stringify(err?.message)} does not match ${message}`);
		}
		const media = ctx.requests.filter((r) => r.endpoint !== 'usersMe');
		check(media.length === 0, `bad input reached X: ${media.map((r) => `${r.method} ${r.path}`).join(', ')}`);
	};
}

// ---------------------------------------------------------------- media from a URL (issue 19)

/** The file server the URL cases read from (started in main, before the workflows are made). */
const files = new FileServer();
/** A 6 MiB MP4 with its moov at the end: the readers need a range request to reach it. */
const URL_VIDEO = makeMp4MoovLast(6 * 1024 * 1024 + 321);
const URL_FIXTURE: Fixture = { path: '(url)', bytes: URL_VIDEO, sha256: sha256(URL_VIDEO) };

/** Manual trigger → X Media Upload with Source URL (`path` on the file server, its query a secret). */
function urlUploadWorkflow(path: string): (wf: WorkflowJson) => WorkflowJson {
	return (wf) => ({
		...wf,
		name: `X Media: upload from a URL (${path})`,
		nodes: [
			{ parameters: {}, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { authentication: 'oAuth2', operation: 'upload', source: 'url', mediaUrl: `${files.baseUrl}${path}?X-Amz-Signature=${URL_QUERY_SECRET}`, options: { chunkSize: 1 } },
				name: 'Upload from URL',
				type: X_MEDIA_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials: {},
			} as WorkflowJson['nodes'][number],
		],
		connections: { Start: { main: [[{ node: 'Upload from URL', type: 'main', index: 0 }]] } },
	});
}

/** The upload from a URL: bytes intact, source_url without its query, nothing of the credential at the file server. */
function verifyUrlUpload(path: string, extra?: (ctx: RunContext) => void) {
	return async (ctx: RunContext): Promise<void> => {
		expectSuccess(ctx);
		const [item] = nodeItems(ctx.result, 'Upload from URL');
		const u = item.json;
		await expectMediaBytes(ctx, mediaIdOf(u.media_id, 'upload media_id'), URL_FIXTURE);
		equal(u.source_url, `${files.baseUrl}${path}?…`, 'source_url');
		equal((u.media_info as { duration_ms?: number } | undefined)?.duration_ms, 10_000, 'media_info.duration_ms');
		expectAuth(ctx);
		const out = ctx.proc.stdout + ctx.proc.stderr;
		check(!out.includes(URL_QUERY_SECRET), "the URL's query appears in n8n's output");
		const records = files.requestsFor(path);
		check(records.length > 0, 'the file server got no request');
		for (const r of records) {
			const headers = JSON.stringify(r.headers);
			check(!/authorization|oauth|bearer/i.test(headers), `a request to the file server carried ${headers}`);
			for (const secret of ALL_TEST_SECRETS) check(!headers.includes(secret), 'a credential secret reached the file server');
		}
		extra?.(ctx);
	};
}

function urlCases(): Case[] {
	const list: Case[] = [];
	for (const auth of AUTHS) {
		const a = auth === 'oAuth2' ? 'O2' : 'O1';
		const path = (name: string) => `/e2e/${a}/${name}`;
		const serve = (name: string, options: Parameters<FileServer['serve']>[2]) => async () => {
			files.reset();
			files.serve(path(name), URL_VIDEO, options);
		};
		list.push({
			workflow: 'url: moov at the end, ranges',
			file: 'post-from-binary.json',
			auth,
			id: `xmUrlMoovLast${a}`,
			transform: urlUploadWorkflow(path('moov-last.mp4')),
			setup: serve('moov-last.mp4', { contentType: 'video/mp4' }),
			verify: verifyUrlUpload(path('moov-last.mp4'), () => {
				const ranges = files.requestsFor(path('moov-last.mp4')).map((r) => r.range);
				check(ranges.length === 3 && ranges[0] === 'bytes=0-' && ranges[2] === 'bytes=0-', `requests to the file server: ${JSON.stringify(ranges)}`);
				check(Number(/bytes=(\d+)-/.exec(ranges[1] ?? '')?.[1]) > 5 * 1024 * 1024, `the moov was not read by a range near the end: ${ranges[1]}`);
			}),
		});
		list.push({
			workflow: 'url: server without ranges',
			file: 'post-from-binary.json',
			auth,
			id: `xmUrlNoRanges${a}`,
			transform: urlUploadWorkflow(path('no-ranges.mp4')),
			setup: serve('no-ranges.mp4', { ranges: false }),
			verify: verifyUrlUpload(path('no-ranges.mp4')),
		});
		list.push({
			workflow: 'url: dropped connection',
			file: 'post-from-binary.json',
			auth,
			id: `xmUrlDropped${a}`,
			transform: urlUploadWorkflow(path('dropped.mp4')),
			// Requests: the head, the moov's range, the upload's (dropped at 2.5 MiB), its resume.
			setup: serve('dropped.mp4', { dropAt: 2.5 * 1024 * 1024, dropOn: [3] }),
			verify: verifyUrlUpload(path('dropped.mp4'), (ctx) => {
				const ranges = files.requestsFor(path('dropped.mp4')).map((r) => r.range);
				const resumedAt = Number(/^bytes=(\d+)-$/.exec(ranges[3] ?? '')?.[1]);
				check(ranges.length === 4 && resumedAt >= 2 * 1024 * 1024 && resumedAt <= 2.5 * 1024 * 1024, `no resume from the first byte not read: ${JSON.stringify(ranges)}`);
				const appends = ctx.requests.filter((r) => r.endpoint === 'append');
				equal(appends.length, Math.ceil(URL_VIDEO.length / (1024 * 1024)), 'APPENDs (no segment twice)');
			}),
		});
		list.push({
			workflow: 'url: 404',
			file: 'post-from-binary.json',
			auth,
			id: `xmUrl404${a}`,
			transform: urlUploadWorkflow(path('missing.mp4')),
			setup: async () => files.reset(),
			verify: async (ctx) => {
				await verifyBadInput('Upload from URL', /The server at 127\.0\.0\.1:\d+\/e2e\/O[12]\/missing\.mp4 answered HTTP 404 instead of the file/)(ctx);
				// n8n prints the failed node with its parameters (the URL as the workflow holds it): only there.
				const shown = (ctx.proc.stdout + ctx.proc.stderr).split('\n').filter((l) => l.includes(URL_QUERY_SECRET) && !/^\s*"mediaUrl": "/.test(l));
				check(shown.length === 0, `the URL's query appears in n8n's output: ${shown.join('\n').slice(0, 500)}`);
			},
		});
	}
	return list;
}

function cases(): Case[] {
	const list: Case[] = [];
	for (const auth of AUTHS) {
		const a = auth === 'oAuth2' ? 'O2' : 'O1';
		list.push({ workflow: 'upload-and-post', file: 'upload-and-post.json', auth, id: `xmUploadPost${a}`, verify: verifyUploadAndPost });
		list.push({ workflow: 'post-from-binary', file: 'post-from-binary.json', auth, id: `xmPostBinary${a}`, verify: verifyPostFromBinary, smoke: true });
		list.push({ workflow: 'upload-wait-status-post', file: 'upload-wait-status-post.json', auth, id: `xmWaitStatus${a}`, verify: verifyUploadWaitStatusPost });
		list.push({ workflow: 'video-with-subtitles', file: 'video-with-subtitles.json', auth, id: `xmSubtitles${a}`, verify: verifyVideoWithSubtitles });
		list.push({ workflow: 'image-direct-message', file: 'image-direct-message.json', auth, id: `xmImageDm${a}`, verify: verifyImageDirectMessage, smoke: true });
		list.push({ workflow: 'thread-with-images', file: 'thread-with-images.json', auth, id: `xmThread${a}`, verify: verifyThread(false) });
		// The thread with its images; post 3 fails once: uploads and posts 1–2 are not made again.
		list.push({
			workflow: 'thread: Retry On Fail after post 3 failed',
			file: 'thread-with-images.json',
			auth,
			id: `xmThreadRetry${a}`,
			patch: (wf) => {
				const node = wf.nodes.find((n) => n.type === X_MEDIA_TYPE)!;
				Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 100 });
			},
			setup: async (emu) => await emu.addFault({ endpoint: 'tweets', nth: 3, status: 500 }),
			verify: verifyThread(true),
		});
	}
	for (const auth of AUTHS) {
		list.push({
			workflow: 'retry continues the upload',
			file: 'post-from-binary.json',
			auth,
			id: `xmRetryResume${auth === 'oAuth2' ? 'O2' : 'O1'}`,
			transform: asRetriedUpload,
			// The 3rd segment is refused with 503 more times than the transport tries: the node fails once.
			setup: async (emu) => await emu.addFault({ endpoint: 'append', nth: 3, times: RESUME_FAILED_TRIES, status: 503 }),
			verify: verifyRetryContinues,
			smoke: true,
			// Only a stored file has an id to continue its upload by: n8n 1.x's default (in-memory)
			// mode gives none, and a retry there starts a new upload (README, "Retry On Fail").
			modes: ['filesystem', 'database'],
		});
	}
	for (const auth of AUTHS) {
		list.push({
			workflow: 'retry posts each item once',
			file: 'upload-and-post.json',
			auth,
			id: `xmRetryOnce${auth === 'oAuth2' ? 'O2' : 'O1'}`,
			transform: asRetriedPosts,
			// The 3rd POST /2/tweets is answered 500 once (not retried by the transport: a post is not idempotent).
			setup: async (emu) => await emu.addFault({ endpoint: 'tweets', nth: 3, status: 500 }),
			after: async (emu) => await emu.clearFaults(),
			verify: verifyRetryPostsOnce,
		});
	}
	list.push({
		workflow: 'bad input: empty file',
		file: 'upload-and-post.json',
		auth: 'oAuth2',
		id: 'xmBadEmptyO2',
		fileRename: { 'sample-image.png': 'empty.png' },
		verify: verifyBadInput('Upload Image to X', /is empty \(0 bytes\)/),
	});
	list.push({
		workflow: 'bad input: PDF',
		file: 'post-from-binary.json',
		auth: 'oAuth1',
		id: 'xmBadPdfO1',
		fileRename: { 'sample-video.mp4': 'document.pdf' },
		verify: verifyBadInput('Post Video on X', /is a PDF document, which X does not accept/),
	});
	// Issue 12: the node reads the media before the first request.
	// Issue 18: X's limits per posting account (user A is a standard account in the emulator).
	for (const auth of AUTHS) {
		const a = auth === 'oAuth2' ? 'O2' : 'O1';
		list.push({
			workflow: '3-minute video uploads',
			file: 'upload-wait-status-post.json',
			auth,
			id: `xm3MinVideo${a}`,
			fileRename: { 'sample-video.mp4': 'long-3min.mp4' },
			verify: async (ctx) => {
				await verifyUploadWaitStatusPostOf(ctx, 'long-3min.mp4', (u) => {
					equal((u.media_info as Record<string, unknown>)?.duration_ms, 180000, 'media_info.duration_ms');
					equal(u.account_tier, null, 'account_tier (no verdict needed it)');
				});
				equal(ctx.requests.filter((r) => r.endpoint === 'usersMe').length, 0, 'GET /2/users/me requests');
			},
		});
		list.push({
			workflow: 'refused: 21-minute video',
			file: 'upload-wait-status-post.json',
			auth,
			id: `xm21MinRefused${a}`,
			fileRename: { 'sample-video.mp4': 'long-21min.mp4' },
			verify: async (ctx) => {
				await verifyBadInput('Upload Video to X', /The video is 1260\.0 s \(21 min 0 s\) long; X takes a video in a post of up to 20 min from a standard account/)(ctx);
				equal(ctx.requests.filter((r) => r.endpoint === 'usersMe').length, 1, 'GET /2/users/me requests (Account Tier auto asks X once)');
			},
		});
	}
	list.push({
		workflow: 'Allow Long Videos: 150 s',
		file: 'upload-wait-status-post.json',
		auth: 'oAuth1',
		id: 'xmLongPremiumO1',
		fileRename: { 'sample-video.mp4': 'long-150s.mp4' },
		patch: (wf) => {
			const node = wf.nodes.find((n) => n.name === 'Upload Video to X');
			check(node, 'no "Upload Video to X" node');
			node.parameters.options = { ...((node.parameters.options as Record<string, unknown>) ?? {}), liftVideoLimit: true };
		},
		before: async (emu) => await emu.setOptions({ premiumUserIds: [userA.id] }),
		after: async (emu) => await emu.setOptions({ premiumUserIds: [] }),
		verify: async (ctx) => await verifyUploadWaitStatusPostOf(ctx, 'long-150s.mp4', (u) => expectMediaInfo(u, 'long-150s.mp4')),
	});
	list.push({
		workflow: 'media_info = ffprobe (moov last)',
		file: 'upload-wait-status-post.json',
		auth: 'oAuth2',
		id: 'xmMediaInfoO2',
		fileRename: { 'sample-video.mp4': 'h264-aac-moov-last.mp4' },
		verify: async (ctx) => await verifyUploadWaitStatusPostOf(ctx, 'h264-aac-moov-last.mp4', (u) => expectMediaInfo(u, 'h264-aac-moov-last.mp4')),
		smoke: true,
	});
	list.push({
		workflow: 'refused in Create Post: 120 fps',
		file: 'post-from-binary.json',
		auth: 'oAuth1',
		id: 'xmFpsRefusedO1',
		fileRename: { 'sample-video.mp4': 'fps-120.mp4' },
		verify: verifyBadInput('Post Video on X', /The video has 120 frames per second; X takes at most 60/),
	});
	list.push(...urlCases());
	list.push({
		workflow: `memory: ${MEMORY_CASE_MIB} MiB video (moov last)`,
		file: 'upload-wait-status-post.json',
		auth: 'oAuth2',
		id: 'xmMemory300O2',
		fileRename: { 'sample-video.mp4': MEMORY_FILE },
		transform: asUploadOnly,
		verify: verifyMemoryCase,
		smoke: true,
		modes: ['filesystem'],
	});
	for (const c of list) check(c.id.length <= 21, `workflow id ${c.id} is longer than 21 characters`);
	return list;
}

// ---------------------------------------------------------------- setup steps

/** Whether a case runs in a mode: E2E_ONLY, the smoke set, the case's own modes. */
function selected(c: Case, mode: BinaryMode): boolean {
	if (ONLY && !`${c.workflow} ${c.auth} ${mode}`.includes(ONLY)) return false;
	if (SMOKE && !c.smoke) return false;
	return !c.modes || c.modes.includes(mode);
}

function preflight(): void {
	check(existsSync(N8N_BIN), `n8n ${RUNTIME.version} is not installed in ${RUNTIME.dir}: run N8N_VERSION=${RUNTIME.version} bash test/e2e/ensure-n8n.sh`);
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
	for (const f of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])] as string[]) {
		check(existsSync(join(ROOT, f)), `${f} is missing: run npm run build first`);
	}
	const v = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
	check(v === `v${RUNTIME.nodeVersion}` || v.split('.')[0] === `v${RUNTIME.nodeVersion.split('.')[0]}`, `n8n ${RUNTIME.version} runs here on Node ${RUNTIME.nodeVersion}, found ${v} (expected in ${RUNTIME.nodeBinDir})`);
}


interface Emulator {
	baseUrl: string;
	client: EmulatorClient;
	stop: () => Promise<void>;
}

async function startEmulatorProcess(): Promise<Emulator> {
	const tsxCli = require.resolve('tsx/cli', { paths: [ROOT] });
	const child = spawn(nodeBin(), [tsxCli, join('test', 'emulator', 'cli.ts'), '--port', '0'], {
		cwd: ROOT,
		env: { ...process.env, NODE_OPTIONS: '' },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	const baseUrl = await new Promise<string>((resolveUrl, reject) => {
		const timer = setTimeout(() => reject(new Error(`the emulator did not start in 60 s:\n${out}\n${err}`)), 60_000);
		child.stdout.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /^EMULATOR_READY (\S+)$/m.exec(out);
			if (m) {
				clearTimeout(timer);
				resolveUrl(m[1]);
			}
		});
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the emulator exited with ${code}:\n${out}\n${err}`));
		});
	});
	child.removeAllListeners('exit');
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise<void>((r) => child.once('exit', () => r()));
		killGroup(child, 'SIGTERM');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
		if (child.exitCode === null) killGroup(child, 'SIGKILL');
	};
	return { baseUrl, client: new EmulatorClient(baseUrl), stop };
}

// ---------------------------------------------------------------- main

interface Row {
	workflow: string;
	credential: string;
	mode: BinaryMode;
	ok: boolean;
	secs: number;
	error?: string;
}

async function main(): Promise<number> {
	const t0 = Date.now();
	preflight();
	const work = mkdtempSync(join(tmpdir(), 'x-media-e2e-'));
	log(`n8n ${RUNTIME.version} on Node ${RUNTIME.nodeVersion} (${RUNTIME.dir}); binary modes ${MODES.join(', ')}; ${SMOKE ? 'smoke set' : 'full suite'}`);
	log(`work folder ${work}`);
	let emu: Emulator | undefined;
	const rows: Row[] = [];
	let failed = false;
	const audit: AuditResult = { files: 0, bytes: 0, found: [] };
	try {
		// Fixtures: the example media plus bad inputs, in one folder n8n may read (N8N_RESTRICT_FILE_ACCESS_TO).
		const filesDir = join(work, 'files');
		mkdirSync(filesDir, { recursive: true });
		for (const f of readdirSync(MEDIA)) if (!f.endsWith('.ts')) cpSync(join(MEDIA, f), join(filesDir, f));
		for (const f of REAL_MEDIA_FILES) cpSync(join(REAL_MEDIA, f), join(filesDir, f));
		for (const f of REAL_MEDIA_2026_FILES) cpSync(join(REAL_MEDIA_2026, f), join(filesDir, f));
		writeFileSync(join(filesDir, 'empty.png'), Buffer.alloc(0));
		writeFileSync(join(filesDir, 'document.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
		const fixtures: Record<string, Fixture> = {};
		for (const f of readdirSync(filesDir)) {
			const bytes = readFileSync(join(filesDir, f));
			fixtures[f] = { path: join(filesDir, f), bytes, sha256: sha256(bytes) };
		}

		// The memory case's 300 MiB video (made once into bench/.tmp), linked in after the fixtures were read.
		if (cases().some((c) => c.id === 'xmMemory300O2' && MODES.some((m) => selected(c, m)))) {
			const big = await ensureMoovLastVideo(MEMORY_CASE_MIB * 1024 * 1024);
			try {
				linkSync(big.path, join(filesDir, MEMORY_FILE));
			} catch {
				cpSync(big.path, join(filesDir, MEMORY_FILE));
			}
			memoryFixture = { size: big.size, sha256: big.sha256 };
		}

		// Template user folder: package installed, credentials + workflows imported (runs the migrations once).
		const template = join(work, 'template');
		mkdirSync(join(template, '.n8n'), { recursive: true });
		const packed = packAndInstall(work, template);
		log(`packed ${packed.tarball} (${packed.files} files) and installed it into .n8n/nodes/node_modules/${PACKAGE_NAME}`);

		emu = await startEmulatorProcess();
		log(`emulator at ${emu.baseUrl}`);
		await files.start();
		log(`file server (media from a URL) at ${files.baseUrl}`);

		const entries = n8nCredentialEntries(emu.baseUrl, 'A');
		const ref = (type: string): CredentialRef => {
			const e = entries.find((x) => x.type === type);
			check(e, `no ${type} entry in n8nCredentialEntries`);
			return { id: e.id, name: e.name };
		};
		const creds: Record<Auth, CredentialRef> = { oAuth2: ref('xOAuth2Api'), oAuth1: ref('xOAuth1Api') };
		const all = cases();
		const workflows = all.map((c) => {
			const wf = c.transform ? c.transform(loadExample(c.file)) : loadExample(c.file);
			for (const n of wf.nodes) {
				const r = n.credentials?.xOAuth2Api;
				if (r) equal(r, creds.oAuth2, `${c.file} "${n.name}" credential reference (must match n8nCredentialEntries)`);
			}
			const variant = workflowVariant(wf, c.id, c.auth, creds, filesDir, c.fileRename);
			c.patch?.(variant);
			return variant;
		});
		writeFileSync(join(work, 'credentials.json'), JSON.stringify(entries, null, 2));
		writeFileSync(join(work, 'workflows.json'), JSON.stringify(workflows, null, 2));
		const setupEnv = n8nEnv(template, ENCRYPTION_KEY, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		let t = Date.now();
		const ic = await n8n(['import:credentials', `--input=${join(work, 'credentials.json')}`], setupEnv);
		check(ic.code === 0 && /Successfully imported/.test(ic.stdout), `import:credentials failed (${ic.code}):\n${ic.stdout}\n${ic.stderr}`);
		log(`import:credentials (with migrations) ${((Date.now() - t) / 1000).toFixed(1)} s`);
		t = Date.now();
		const iw = await n8n(['import:workflow', `--input=${join(work, 'workflows.json')}`], setupEnv);
		check(iw.code === 0 && /Successfully imported/.test(iw.stdout), `import:workflow failed (${iw.code}):\n${iw.stdout}\n${iw.stderr}`);
		log(`import:workflow (${workflows.length} workflows) ${((Date.now() - t) / 1000).toFixed(1)} s`);
		auditSecrets(template, ALL_TEST_SECRETS, audit);
		check(audit.found.length === 0, `secret audit of the imported user folder: ${audit.found.join('; ')}`);

		// Runs: sequential, so the emulator requests between two runs belong to that run.
		for (const mode of MODES) {
			for (const c of all) {
				const label = `${c.workflow} ${c.auth} ${mode}`;
				if (!selected(c, mode)) continue;
				const folder = join(work, 'runs', `${mode}-${c.id}`);
				cpSync(template, folder, { recursive: true });
				const env = n8nEnv(folder, ENCRYPTION_KEY, {
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
					N8N_DEFAULT_BINARY_DATA_MODE: mode,
					// n8n 1.x offers `database` only when it is listed as available.
					...(RUNTIME.major < 2 && mode === 'database' ? { N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database' } : {}),
				});
				// X refuses a text the account already posted: each run starts with an emulator that holds no post.
				await emu.client.reset();
				const before = await emu.client.requests();
				const lastSeq = before.reduce((m, r) => Math.max(m, r.seq), 0);
				await c.before?.(emu.client);
				await c.setup?.(emu.client);
				let sampler: ReturnType<typeof sampleRss> | undefined;
				const proc = await n8n(['execute', `--id=${c.id}`, '--rawOutput'], env, EXECUTE_TIMEOUT_MS, (pid) => (sampler = sampleRss(pid)));
				sampler?.stop();
				await c.after?.(emu.client);
				const requests = (await emu.client.requests()).filter((r) => r.seq > lastSeq);
				const row: Row = { workflow: c.workflow, credential: c.auth, mode, ok: false, secs: proc.ms / 1000 };
				try {
					const ctx: RunContext = { label, auth: c.auth, mode, proc, result: parseRunJson(proc.stdout), emu: emu.client, requests, fixtures, rss: sampler?.samples ?? [] };
					await c.verify(ctx);
					const wrongAppends = nonMultipartAppends(requests);
					check(wrongAppends.length === 0, `APPENDs that were not multipart/form-data:\n${wrongAppends.join('\n')}`);
					const leaked = ALL_TEST_SECRETS.filter((s) => proc.stdout.includes(s) || proc.stderr.includes(s));
					check(leaked.length === 0, `a credential secret appears in n8n's output (${leaked.length} secret(s))`);
					const foundBefore: number = audit.found.length;
					auditSecrets(folder, ALL_TEST_SECRETS, audit);
					check(audit.found.length === foundBefore, `secret audit: ${audit.found.slice(foundBefore).join('; ')}`);
					row.ok = true;
				} catch (e) {
					row.error = e instanceof AssertionFailure ? e.message : e instanceof Error ? e.stack ?? e.message : String(e);
				}
				if (KEEP || !row.ok) {
					writeFileSync(join(folder, 'stdout.txt'), proc.stdout);
					writeFileSync(join(folder, 'stderr.txt'), proc.stderr);
					writeFileSync(join(folder, 'emulator-requests.json'), JSON.stringify(requests, null, 2));
				}
				if (!KEEP && row.ok) rmSync(folder, { recursive: true, force: true });
				rows.push(row);
				log(`${row.ok ? 'PASS' : 'FAIL'} ${label} (${row.secs.toFixed(1)} s)${row.ok ? '' : `\n    ${row.error?.split('\n').join('\n    ')}`}`);
			}
		}
	} catch (e) {
		failed = true;
		log(`setup failed: ${e instanceof Error ? e.message : String(e)}`);
	} finally {
		await emu?.stop();
		await files.stop();
	}

	// Summary
	const head = ['workflow', 'credential', 'binary mode', 'result', 'seconds'];
	const body = rows.map((r) => [r.workflow, r.credential, r.mode, r.ok ? 'pass' : 'FAIL', r.secs.toFixed(1)]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	process.stdout.write(`\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${body.map(line).join('\n')}\n`);
	const nFail = rows.filter((r) => !r.ok).length;
	failed = failed || nFail > 0 || rows.length === 0;
	process.stdout.write(`\nsecret audit: ${audit.files} files (${(audit.bytes / 1024 / 1024).toFixed(0)} MiB) of n8n user folders searched for ${ALL_TEST_SECRETS.length} secrets; ${audit.found.length} found${audit.found.length ? `: ${audit.found.join('; ')}` : ''}\n`);
	process.stdout.write(`\n${rows.length - nFail}/${rows.length} passed in ${((Date.now() - t0) / 1000).toFixed(0)} s${failed ? ' — FAILED' : ''}\n`);
	if (!failed && !KEEP) rmSync(work, { recursive: true, force: true });
	else process.stdout.write(`kept ${work} (run folders of failed cases hold stdout.txt / stderr.txt)\n`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
		process.exit(1);
	},
);
