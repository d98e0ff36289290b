/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The chaos soak (issue 6): many uploads and posts of every kind of file, through n8n's real
 * engine with both credential types, while the emulator injects faults at random. Seeded: run n's
 * plan (files, options, faults) comes from (seed, n) alone, so `CHAOS_SEED` replays a soak and
 * `CHAOS_ONLY` replays single runs. Every outcome is checked:
 *  - a success: the bytes X stored are the input's (sha256), the category and processing state are
 *    right, a post holds exactly the uploaded media, and X holds no post the node did not report;
 *  - a clean failure: a message that names the cause (server error after the bounded tries, rate
 *    limit, connection, processing failed with X's reason, still processing with the media id), and
 *    only where a fault of that kind was injected;
 *  - anything else (a crash, a wrong or missing item, an unexplained error, a hang past the run's
 *    deadline, unbounded retries) counts as "other" and fails the soak.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { EndpointName, FaultSpec, ProcessingSpec, RecordedRequest, XApiEmulator } from '../emulator';
import { runWorkflow } from '../harness/n8nHarness';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestItemSpec } from '../harness/testFilesNode';
import { credentialsFor, findSecrets, sha256 } from '../harness/scenario';
import { makeGif, makeJpeg, makeMp4Header, makePng, SRT_TEXT } from '../fixtures/media';
import { Prng } from './prng';

const MiB = 1024 * 1024;
/** The node's retry policy: tries per request (transport/xApiClient.ts DEFAULT_RETRY_POLICY). */
const MAX_TRIES = 5;
/** STATUS calls until a GIF/video is processed, unless a run says otherwise. */
const PROCESSING_STEPS = 2;

// ---------------------------------------------------------------------------------------------- options

export interface SoakOptions {
	seed: number;
	/** No new run starts after this. */
	durationMs: number;
	/** A run still going after this is cancelled and counted as a hang. */
	runDeadlineMs: number;
	/** Runs going at the same time, each against its own emulator. */
	lanes: number;
	/** Stop after this many runs (with a seed: the same runs every time). */
	maxRuns?: number;
	/** Replay only these run numbers. */
	only?: number[];
	/** One line per run (default: only the runs that did not end as expected). */
	verbose?: boolean;
	log: (line: string) => void;
}

function envNumber(value: string | undefined, fallback: number): number {
	const n = value === undefined || value.trim() === '' ? NaN : Number(value);
	return Number.isFinite(n) ? n : fallback;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): SoakOptions {
	const seed = env.CHAOS_SEED ? envNumber(env.CHAOS_SEED, NaN) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
	if (env.CHAOS_SEED && !Number.isFinite(Number(env.CHAOS_SEED))) throw new Error(`CHAOS_SEED must be a number, not ${env.CHAOS_SEED}`);
	const only = env.CHAOS_ONLY ? env.CHAOS_ONLY.split(/[\s,]+/).filter(Boolean).map(Number) : undefined;
	if (only?.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`CHAOS_ONLY must list run numbers, not ${env.CHAOS_ONLY}`);
	return {
		seed,
		durationMs: envNumber(env.CHAOS_DURATION_MS, 110_000),
		runDeadlineMs: envNumber(env.CHAOS_RUN_DEADLINE_MS, 50_000),
		lanes: Math.max(1, Math.floor(envNumber(env.CHAOS_LANES, 6))),
		maxRuns: env.CHAOS_MAX_RUNS ? Math.floor(envNumber(env.CHAOS_MAX_RUNS, Infinity)) : undefined,
		only,
		verbose: env.CHAOS_VERBOSE === '1',
		log,
	};
}

/** The longest the whole soak may take: the last run may start just before the duration ends. */
export function soakBoundMs(o: SoakOptions): number {
	return o.durationMs + o.runDeadlineMs + 15_000;
}

// ---------------------------------------------------------------------------------------------- plans

type Kind = 'png' | 'jpeg' | 'gif' | 'mp4' | 'srt';
type Shape = 'upload' | 'uploadThenPost' | 'postFromBinary';
type ProcessingKind = 'normal' | 'slow' | 'fail' | 'stall' | 'stuck';

const CATEGORY: Record<Kind, string> = { png: 'tweet_image', jpeg: 'tweet_image', gif: 'tweet_gif', mp4: 'tweet_video', srt: 'subtitles' };
const EXTENSION: Record<Kind, string> = { png: 'png', jpeg: 'jpg', gif: 'gif', mp4: 'mp4', srt: 'srt' };

interface PlannedFile {
	property: string;
	kind: Kind;
	name: string;
	bytes: Buffer;
	sha: string;
	/** GIFs and videos go chunked and are processed; images and subtitles go in one request. */
	chunked: boolean;
	segments: number;
}

interface RunPlan {
	index: number;
	authentication: 'oAuth2' | 'oAuth1';
	shape: Shape;
	items: PlannedFile[][];
	chunkSizeMiB: number;
	parallelUploads: number;
	processingTimeout: number;
	altText?: string;
	processingKind: ProcessingKind;
	processing?: ProcessingSpec;
	faults: FaultSpec[];
}

function makeFile(prng: Prng, kind: Kind, property: string, name: string, chunkBytes: number): PlannedFile {
	let bytes: Buffer;
	switch (kind) {
		case 'png':
			bytes = prng.chance(0.5) ? makePng(prng.int(2, 48), prng.int(2, 48)) : makePng(prng.int(2, 24), prng.int(2, 24), { sizeBytes: prng.int(4_000, 1_500_000) });
			break;
		case 'jpeg':
			bytes = makeJpeg(prng.int(400, 900_000));
			break;
		case 'gif':
			bytes = makeGif({ frames: prng.int(2, 6), width: prng.int(2, 16), height: prng.int(2, 16), ...(prng.chance(0.5) ? { sizeBytes: prng.int(2_000, 400_000) } : {}) });
			break;
		case 'mp4': {
			// Random payload: a swapped, lost or repeated segment changes the sha256.
			const size = prng.int(Math.round(1.2 * MiB), 5 * MiB);
			const header = makeMp4Header(size);
			bytes = Buffer.concat([header, prng.bytes(size - header.length)]);
			break;
		}
		case 'srt':
			bytes = Buffer.from(Array.from({ length: prng.int(1, 60) }, () => SRT_TEXT).join('\n'));
			break;
	}
	const chunked = kind === 'gif' || kind === 'mp4';
	return { property, kind, name, bytes, sha: sha256(bytes), chunked, segments: chunked ? Math.ceil(bytes.length / chunkBytes) : 0 };
}

/** Run n's plan, from (seed, n) alone. */
export function makePlan(seed: number, index: number): RunPlan {
	const prng = Prng.derive(seed, index);
	const authentication = prng.chance(0.5) ? 'oAuth2' : 'oAuth1';
	const shape = prng.weighted<Shape>({ upload: 45, uploadThenPost: 30, postFromBinary: 25 });
	const chunkSizeMiB = prng.pick([0.5, 1, 1, 2]);
	const chunkBytes = chunkSizeMiB * MiB;
	const parallelUploads = prng.int(1, 4);
	const items: PlannedFile[][] = [];
	const itemCount = shape === 'upload' ? prng.int(1, 3) : prng.int(1, 2);
	for (let i = 0; i < itemCount; i++) {
		const file = (kind: Kind, n: number) => makeFile(prng, kind, n === 0 ? 'data' : `file${n}`, `r${index}-i${i}-${n}.${EXTENSION[kind]}`, chunkBytes);
		const image = (n: number) => file(prng.chance(0.6) ? 'png' : 'jpeg', n);
		if (shape === 'upload') {
			if (prng.chance(0.15)) items.push([image(0), file(prng.pick<Kind>(['png', 'jpeg', 'srt']), 1)]);
			else items.push([file(prng.weighted<Kind>({ png: 3, jpeg: 2, gif: 2, mp4: 3, srt: 1 }), 0)]);
		} else {
			const what = prng.weighted({ oneImage: 3, someImages: 1.5, gif: 1.5, video: 2.5 });
			if (what === 'oneImage') items.push([image(0)]);
			else if (what === 'someImages') items.push(Array.from({ length: prng.int(2, shape === 'postFromBinary' ? 4 : 3) }, (_, n) => image(n)));
			else items.push([file(what === 'gif' ? 'gif' : 'mp4', 0)]);
		}
	}
	const files = items.flat();
	const processed = files.some((f) => f.chunked);
	const processingKind: ProcessingKind = processed ? prng.weighted<ProcessingKind>({ normal: 12, slow: 3, fail: 3, stall: 1.5, stuck: 1 }) : 'normal';
	let processing: ProcessingSpec | undefined;
	let processingTimeout = 30;
	if (processingKind === 'slow') processing = { steps: prng.int(3, 5), checkAfterSecs: 1 };
	if (processingKind === 'fail') processing = { fail: { code: 1, name: 'InvalidMedia', message: `chaos run ${index}: unsupported codec` } };
	if (processingKind === 'stuck') processing = { failInProgressWithError: true, fail: { code: 3, name: 'InvalidMedia', message: `chaos run ${index}: stuck at 99%` } };
	if (processingKind === 'stall') {
		processing = { stall: true, checkAfterSecs: 1 };
		processingTimeout = prng.int(3, 4);
	}
	const altText = shape !== 'postFromBinary' && files.every((f) => f.kind !== 'mp4' && f.kind !== 'srt') && prng.chance(0.3) ? `Chaos alt text ${index}` : undefined;

	// How many requests of each kind the run makes without faults: where faults may land.
	const counts: Partial<Record<EndpointName, number>> = {};
	const add = (e: EndpointName, n: number) => {
		if (n > 0) counts[e] = (counts[e] ?? 0) + n;
	};
	for (const f of files) {
		if (f.chunked) {
			add('initialize', 1);
			add('append', f.segments);
			add('finalize', 1);
			add('status', PROCESSING_STEPS);
		} else {
			add('upload', 1);
		}
		if (altText) add('metadata', 1);
	}
	if (shape !== 'upload') add('tweets', items.length);

	const faults: FaultSpec[] = [];
	const endpointWeights: Partial<Record<EndpointName, number>> = { append: 4, upload: 2.5, initialize: 1.5, finalize: 1.5, status: 1.5, metadata: 1, tweets: 1.2 };
	const present = Object.fromEntries(Object.entries(endpointWeights).filter(([e]) => counts[e as EndpointName])) as Record<EndpointName, number>;
	const events = Number(prng.weighted({ 0: 2, 1: 4, 2: 3, 3: 2 }));
	for (let e = 0; e < events && Object.keys(present).length; e++) {
		const endpoint = prng.weighted(present);
		const nth = prng.int(1, counts[endpoint] ?? 1);
		const times = Number(prng.weighted({ 1: 6, 2: 3, 3: 1.5, 5: 0.8, 6: 0.5 }));
		const kind = prng.weighted({ serverError: 5, drop: 2.5, rateLimit: 2, latency: 1.5 });
		if (kind === 'serverError') {
			const status = prng.pick([500, 502, 503, 504]);
			faults.push({ endpoint, nth, times, status, ...(status === 503 && prng.chance(0.3) ? { retryAfterSecs: 1 } : {}) });
		} else if (kind === 'drop') {
			faults.push({ endpoint, nth, times, drop: true });
		} else if (kind === 'rateLimit') {
			faults.push({ endpoint, nth, times: Math.min(times, 5), status: 429, ...(prng.chance(0.7) ? { rateLimitResetInSecs: 1 } : { retryAfterSecs: 1 }) });
		} else {
			faults.push({ endpoint, nth, times: prng.int(1, 3), delayMs: prng.int(200, 2500) });
		}
	}
	return { index, authentication, shape, items, chunkSizeMiB, parallelUploads, processingTimeout, altText, processingKind, processing, faults };
}

function describePlan(plan: RunPlan): string {
	const files = plan.items.map((item) => item.map((f) => `${f.kind}${f.chunked ? ` ${f.bytes.length >= MiB ? `${(f.bytes.length / MiB).toFixed(1)}MB` : `${Math.ceil(f.bytes.length / 1024)}KB`}/${f.segments}seg` : ''}`).join('+')).join(', ');
	const faults = plan.faults
		.map((f) => `${f.endpoint}#${f.nth}${(f.times ?? 1) > 1 ? `×${f.times}` : ''} ${f.drop ? 'drop' : f.status ?? `+${f.delayMs}ms`}`)
		.join(', ');
	return `${plan.authentication} ${plan.shape} [${files}] chunk ${plan.chunkSizeMiB}MiB ×${plan.parallelUploads}${plan.processingKind !== 'normal' ? ` processing:${plan.processingKind}` : ''}${faults ? ` faults: ${faults}` : ''}`;
}

// ---------------------------------------------------------------------------------------------- outcomes

/** How an item ended. */
type Verdict = { ok: true } | { ok: false; clean: true; cause: string } | { ok: false; clean: false; problem: string } | { skipped: true };

export interface RunReport {
	index: number;
	plan: string;
	authentication: string;
	ms: number;
	successes: number;
	cleanFailures: Record<string, number>;
	skipped: number;
	others: string[];
	faultsPlanned: number;
	faultsFired: Record<string, number>;
	processingFault?: ProcessingKind;
	retries: Partial<Record<EndpointName, number>>;
	requests: number;
	files: Partial<Record<Kind, number>>;
	bytes: number;
	sampleMessages: Record<string, string>;
}

const LABEL_TO_ENDPOINT: Record<string, EndpointName> = {
	'media upload': 'upload',
	'upload initialize': 'initialize',
	'upload append': 'append',
	'upload finalize': 'finalize',
	'upload status': 'status',
	'media metadata': 'metadata',
	'create post': 'tweets',
};

/** The cause a failure message names, if it is one of the clean ones and the plan explains it. */
function classify(message: string, description: string | undefined, plan: RunPlan, emulator: XApiEmulator): Verdict {
	const faultsOn = (endpoint: EndpointName | undefined, test: (f: FaultSpec) => boolean) =>
		endpoint !== undefined && plan.faults.some((f) => (f.endpoint === endpoint || f.endpoint === '*') && test(f));
	const unexplained = (why: string): Verdict => ({ ok: false, clean: false, problem: `${why}: ${message}` });

	let m = /^X had a server error on the (.+?) request \(HTTP (5\d\d)\)(?: after (\d+) tries)?(?::|$)/.exec(message);
	if (m) {
		const endpoint = LABEL_TO_ENDPOINT[m[1]];
		const tries = m[3] === undefined ? 1 : Number(m[3]);
		if (!faultsOn(endpoint, (f) => f.status === Number(m![2]))) return unexplained('a server error that no fault explains');
		// Creating a post is retried only on 503 (it must not be sent twice); everything else MAX_TRIES times.
		const expected = endpoint === 'tweets' && m[2] !== '503' ? 1 : MAX_TRIES;
		if (tries !== expected) return unexplained(`${tries} tries instead of ${expected}`);
		return { ok: false, clean: true, cause: endpoint === 'tweets' && expected === 1 ? 'server error on create post (not retried)' : `server error after ${MAX_TRIES} tries` };
	}
	m = /^X rate limit reached for the (.+?) request \(HTTP 429\)/.exec(message);
	if (m) {
		if (!faultsOn(LABEL_TO_ENDPOINT[m[1]], (f) => f.status === 429)) return unexplained('a rate limit that no fault explains');
		return { ok: false, clean: true, cause: `rate limit after ${MAX_TRIES} tries` };
	}
	m = /^Could not reach X for the (.+?) request(?: after (\d+) tries)?$/.exec(message);
	if (m) {
		const endpoint = LABEL_TO_ENDPOINT[m[1]];
		const tries = m[2] === undefined ? 1 : Number(m[2]);
		if (!faultsOn(endpoint, (f) => f.drop === true)) return unexplained('a connection failure that no fault explains');
		const expected = endpoint === 'tweets' ? 1 : MAX_TRIES;
		if (tries !== expected) return unexplained(`${tries} tries instead of ${expected}`);
		if (!/\(E[A-Z_]+\).*Check the network and the credential's API Base URL/.test(description ?? '')) {
			return unexplained(`a connection failure without the network code and what to check (${String(description)})`);
		}
		return { ok: false, clean: true, cause: endpoint === 'tweets' ? 'connection lost on create post (not retried)' : `connection lost ${MAX_TRIES} times` };
	}
	m = /^X could not process media ([0-9]{1,19}): (.+)$/.exec(message);
	if (m) {
		const reason = plan.processing?.fail?.message;
		if (!reason || !m[2].includes(reason)) return unexplained('a processing failure that no fault explains');
		if (!emulator.media(m[1])) return unexplained('a processing failure naming an unknown media id');
		return { ok: false, clean: true, cause: "processing failed: X's reason" };
	}
	m = /^X is still processing media ([0-9]{1,19}) \(state "(pending|in_progress)"/.exec(message);
	if (m) {
		if (plan.processingKind !== 'stall') return unexplained('a processing timeout without a stall');
		const media = emulator.media(m[1]);
		if (!media || media.processing?.state === 'succeeded') return unexplained('a processing timeout naming media that is not processing');
		return { ok: false, clean: true, cause: 'still processing (names the media id)' };
	}
	return unexplained('an error that names no known cause');
}

interface UploadedJson {
	media_id?: unknown;
	media_ids?: unknown;
}

/** Checks an upload output against the files of its item: ids, bytes, category, processing, alt text. */
function checkUploaded(json: UploadedJson, files: PlannedFile[], plan: RunPlan, emulator: XApiEmulator): string | undefined {
	const ids = json.media_ids;
	if (!Array.isArray(ids) || ids.length !== files.length) return `media_ids ${JSON.stringify(ids)} for ${files.length} file(s)`;
	if (json.media_id !== ids[0]) return `media_id ${String(json.media_id)} is not media_ids[0] ${String(ids[0])}`;
	for (const [j, file] of files.entries()) {
		const id = ids[j] as unknown;
		if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) return `media id ${JSON.stringify(id)} is not a string of digits`;
		const media = emulator.media(id);
		if (!media) return `X has no media ${id} (${file.name})`;
		if (emulator.mediaSha256(id) !== file.sha) return `the bytes X stored for ${file.name} (${id}) differ from the input`;
		if (media.category !== CATEGORY[file.kind]) return `${file.name} went as ${media.category}, not ${CATEGORY[file.kind]}`;
		if (file.chunked && media.processing?.state !== 'succeeded') return `${file.name} (${id}) is "${media.processing?.state}" at X, yet reported uploaded`;
		if (plan.altText && media.alt_text !== plan.altText) return `${file.name} (${id}) has alt text ${JSON.stringify(media.alt_text)}`;
	}
	return undefined;
}

function pairedIndex(item: INodeExecutionData): number | undefined {
	const p = item.pairedItem;
	if (p && !Array.isArray(p) && typeof p === 'object') return p.item;
	return undefined;
}

const isError = (item: INodeExecutionData) => typeof item.json.error === 'string';

/** The nodes' outputs, item by item, against the plan and what X holds. */
function verify(plan: RunPlan, result: RunResult, emulator: XApiEmulator): Verdict[] {
	const verdicts: Verdict[] = [];
	const problem = (text: string) => verdicts.push({ ok: false, clean: false, problem: text });
	const judgeError = (item: INodeExecutionData) =>
		verdicts.push(classify(item.json.error as string, item.json.error_description as string | undefined, plan, emulator));
	if (result.cancelledAt !== undefined) problem(`hang: cancelled at the run deadline`);
	if (result.error) problem(`the run failed as a whole (Continue On Fail is on): ${result.error.message}`);

	const byIndex = (node: string): Map<number, INodeExecutionData> => {
		const out = result.output[node] ?? [];
		const map = new Map<number, INodeExecutionData>();
		for (const item of out) {
			const i = pairedIndex(item);
			if (i === undefined || i < 0 || i >= plan.items.length || map.has(i)) problem(`${node}: an item paired to ${JSON.stringify(item.pairedItem)}`);
			else map.set(i, item);
		}
		if (out.length !== plan.items.length) problem(`${node}: ${out.length} output items for ${plan.items.length} input items`);
		return map;
	};

	const reportedPosts = new Map<string, string[]>();
	const checkPost = (item: INodeExecutionData, mediaIds: unknown, text: string) => {
		const id = item.json.id;
		const post = emulator.posts().find((p) => p.id === id);
		if (typeof id !== 'string' || !post) return `post ${String(id)} is not at X`;
		if (JSON.stringify(post.media_ids) !== JSON.stringify(mediaIds)) return `post ${id} holds ${JSON.stringify(post.media_ids)}, not ${JSON.stringify(mediaIds)}`;
		if (JSON.stringify(item.json.media_ids) !== JSON.stringify(mediaIds)) return `post ${id} output says media_ids ${JSON.stringify(item.json.media_ids)}`;
		if (post.text !== text) return `post ${id} has text ${JSON.stringify(post.text)}, not ${JSON.stringify(text)}`;
		if (reportedPosts.has(id)) return `post ${id} reported twice`;
		reportedPosts.set(id, post.media_ids);
		return undefined;
	};

	if (plan.shape === 'upload' || plan.shape === 'uploadThenPost') {
		const uploads = byIndex('Upload');
		const posts = plan.shape === 'uploadThenPost' ? byIndex('Post') : undefined;
		for (const [i, files] of plan.items.entries()) {
			const up = uploads.get(i);
			if (!up) continue;
			if (isError(up)) judgeError(up);
			else {
				const wrong = checkUploaded(up.json, files, plan, emulator);
				if (wrong) problem(wrong);
				else verdicts.push({ ok: true });
			}
			const post = posts?.get(i);
			if (!posts || !post) continue;
			if (isError(up)) {
				// The post's text expression is empty for an error item: the post is refused before any request.
				if (post.json.error === 'The post has no text and no media') verdicts.push({ skipped: true });
				else problem(`a post after a failed upload: ${JSON.stringify(post.json).slice(0, 200)}`);
			} else if (isError(post)) judgeError(post);
			else {
				const wrong = checkPost(post, up.json.media_ids, `chaos ${plan.index} ${files[0].name}`);
				if (wrong) problem(wrong);
				else verdicts.push({ ok: true });
			}
		}
	} else {
		const posts = byIndex('Post');
		for (const [i, files] of plan.items.entries()) {
			const post = posts.get(i);
			if (!post) continue;
			if (isError(post)) {
				judgeError(post);
				continue;
			}
			const wrong =
				checkUploaded({ media_id: (post.json.media_ids as unknown[] | undefined)?.[0], media_ids: post.json.media_ids }, files, plan, emulator) ??
				checkPost(post, post.json.media_ids, `chaos ${plan.index} item-${i}`);
			if (wrong) problem(wrong);
			else verdicts.push({ ok: true });
		}
	}
	// Nothing lost silently: every post at X was reported by the node, once.
	for (const post of emulator.posts()) {
		if (!reportedPosts.has(post.id)) problem(`X holds post ${post.id} (${JSON.stringify(post.text)}) that no output item reports`);
	}
	const secrets = findSecrets(result);
	if (secrets.length) problem(`${secrets.length} secret(s) in the run's outputs or errors`);
	return verdicts;
}

/** Faulted requests that were sent again (same endpoint and path; STATUS: same media id). */
function countRetries(requests: RecordedRequest[]): Partial<Record<EndpointName, number>> {
	const retries: Partial<Record<EndpointName, number>> = {};
	const key = (r: RecordedRequest) => `${r.endpoint} ${r.method} ${r.path} ${String(r.query.media_id ?? '')}`;
	requests.forEach((r, i) => {
		if (!r.endpoint || (r.fault?.kind !== 'status' && r.fault?.kind !== 'drop')) return;
		if (requests.slice(i + 1).some((later) => key(later) === key(r))) retries[r.endpoint] = (retries[r.endpoint] ?? 0) + 1;
	});
	return retries;
}

/** A generous ceiling on the requests of one run: every first try tried MAX_TRIES times, plus polling. */
function requestCeiling(plan: RunPlan): number {
	let firstTries = 0;
	for (const f of plan.items.flat()) {
		firstTries += f.chunked ? 2 + f.segments + plan.processingTimeout + PROCESSING_STEPS + 5 : 1;
		if (plan.altText) firstTries++;
	}
	if (plan.shape !== 'upload') firstTries += plan.items.length;
	return MAX_TRIES * firstTries;
}

// ---------------------------------------------------------------------------------------------- one run

async function executeRun(plan: RunPlan, emulator: XApiEmulator, options: SoakOptions, tmpDir: string): Promise<RunReport> {
	emulator.reset();
	for (const f of plan.faults) emulator.addFault(f);
	if (plan.processing) emulator.setProcessing(plan.processing);

	const paths: string[] = [];
	const items: TestItemSpec[] = plan.items.map((files, i) => {
		const binary: TestItemSpec['binary'] = {};
		for (const f of files) {
			const path = join(tmpDir, `${process.pid}-${f.name}`);
			writeFileSync(path, f.bytes);
			paths.push(path);
			binary[f.property] = { path, fileName: f.name };
		}
		return { json: { props: files.map((f) => f.property).join(', '), label: `item-${i}` }, binary };
	});

	const uploadOptions: IDataObject = { chunkSize: plan.chunkSizeMiB, parallelUploads: plan.parallelUploads, processingTimeout: plan.processingTimeout };
	if (plan.altText) uploadOptions.altText = plan.altText;
	const auth = { authentication: plan.authentication };
	const nodes: XMediaNodeSpec[] = [];
	if (plan.shape !== 'postFromBinary') {
		nodes.push({ name: 'Upload', continueOnFail: true, parameters: { ...auth, operation: 'upload', binaryPropertyName: '={{ $json.props }}', options: uploadOptions as INodeParameters } });
	}
	if (plan.shape === 'uploadThenPost') {
		nodes.push({ name: 'Post', continueOnFail: true, parameters: { ...auth, operation: 'createPost', text: `={{ $json.media_ids ? 'chaos ${plan.index} ' + $json.file_name : '' }}` } });
	}
	if (plan.shape === 'postFromBinary') {
		nodes.push({
			name: 'Post',
			continueOnFail: true,
			parameters: {
				...auth,
				operation: 'createPost',
				text: `={{ 'chaos ${plan.index} ' + $json.label }}`,
				mediaSource: 'binary',
				binaryPropertyName: '={{ $json.props }}',
				additionalFields: { processingTimeout: plan.processingTimeout },
			},
		});
	}

	const started = Date.now();
	let verdicts: Verdict[];
	try {
		const result = await runWorkflow({ items, nodes, credentials: credentialsFor(emulator.baseUrl), cancelAfterMs: options.runDeadlineMs });
		verdicts = verify(plan, result, emulator);
	} catch (error) {
		verdicts = [{ ok: false, clean: false, problem: `the harness threw: ${(error as Error)?.stack ?? String(error)}` }];
	} finally {
		for (const path of paths) rmSync(path, { force: true });
	}
	const ms = Date.now() - started;
	const requests = emulator.requests();
	if (requests.length > requestCeiling(plan)) verdicts.push({ ok: false, clean: false, problem: `unbounded retries: ${requests.length} requests (ceiling ${requestCeiling(plan)})` });

	const report: RunReport = {
		index: plan.index,
		plan: describePlan(plan),
		authentication: plan.authentication,
		ms,
		successes: 0,
		cleanFailures: {},
		skipped: 0,
		others: [],
		faultsPlanned: plan.faults.length,
		faultsFired: {},
		processingFault: plan.processingKind !== 'normal' && plan.processingKind !== 'slow' ? plan.processingKind : undefined,
		retries: countRetries(requests),
		requests: requests.length,
		files: {},
		bytes: 0,
		sampleMessages: {},
	};
	for (const v of verdicts) {
		if ('skipped' in v) report.skipped++;
		else if (v.ok) report.successes++;
		else if (v.clean) report.cleanFailures[v.cause] = (report.cleanFailures[v.cause] ?? 0) + 1;
		else report.others.push(v.problem);
	}
	for (const r of requests) {
		if (!r.fault) continue;
		const kind = r.fault.kind === 'drop' ? 'dropped connection' : r.fault.kind === 'delay' ? 'latency spike' : r.fault.status === 429 ? '429 rate limit' : `HTTP ${r.fault.status}`;
		report.faultsFired[kind] = (report.faultsFired[kind] ?? 0) + 1;
	}
	for (const f of plan.items.flat()) {
		report.files[f.kind] = (report.files[f.kind] ?? 0) + 1;
		report.bytes += f.bytes.length;
	}
	return report;
}

// ---------------------------------------------------------------------------------------------- the soak

export interface SoakSummary {
	seed: number;
	runs: RunReport[];
	ms: number;
	/** True when the soak did not finish within its bound (a lane hung). */
	timedOut: boolean;
	others: Array<{ index: number; plan: string; problem: string }>;
}

function storageRoot(): string | undefined {
	const folder = process.env.N8N_USER_FOLDER;
	return folder ? join(folder, '.n8n', 'storage', 'workflows') : undefined;
}

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
	const started = Date.now();
	const stopAt = started + options.durationMs;
	const tmpDir = join(__dirname, '..', '.tmp', 'chaos');
	mkdirSync(tmpDir, { recursive: true });
	const storage = storageRoot();
	const storageBefore = new Set(storage && existsSync(storage) ? readdirSync(storage) : []);

	const queue = options.only ? [...options.only] : undefined;
	let next = 0;
	const nextIndex = (): number | undefined => {
		if (queue) return queue.shift();
		if (options.maxRuns !== undefined && next >= options.maxRuns) return undefined;
		return next++;
	};

	const runs: RunReport[] = [];
	const lane = async (laneNo: number) => {
		const emulator = await startEmulator({ checkAfterSecs: 1, processingSteps: PROCESSING_STEPS });
		try {
			for (;;) {
				if (Date.now() >= stopAt) return;
				const index = nextIndex();
				if (index === undefined) return;
				const plan = makePlan(options.seed, index);
				const report = await executeRun(plan, emulator, options, tmpDir);
				runs.push(report);
				const failed = Object.entries(report.cleanFailures).map(([c, n]) => `${n}× ${c}`);
				const line = `#${index} (lane ${laneNo}, ${(report.ms / 1000).toFixed(1)} s) ${report.plan} → ${report.successes} ok${failed.length ? `, ${failed.join(', ')}` : ''}${report.skipped ? `, ${report.skipped} post(s) skipped` : ''}${report.others.length ? `, ${report.others.length} OTHER` : ''}`;
				if (options.verbose || report.others.length) options.log(line);
				for (const o of report.others) options.log(`   OTHER: ${o}`);
			}
		} finally {
			await emulator.stop();
		}
	};

	let timer: NodeJS.Timeout | undefined;
	const bound = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), soakBoundMs(options));
	});
	const outcome = await Promise.race([Promise.all(Array.from({ length: options.lanes }, (_, k) => lane(k + 1))).then(() => 'done' as const), bound]);
	if (timer) clearTimeout(timer);

	if (storage && existsSync(storage)) {
		for (const name of readdirSync(storage)) if (!storageBefore.has(name)) rmSync(join(storage, name), { recursive: true, force: true });
	}
	const others = runs.flatMap((r) => r.others.map((problem) => ({ index: r.index, plan: r.plan, problem })));
	return { seed: options.seed, runs: runs.sort((a, b) => a.index - b.index), ms: Date.now() - started, timedOut: outcome === 'timeout', others };
}

// ---------------------------------------------------------------------------------------------- printing

function sum<T>(list: T[], f: (t: T) => number): number {
	return list.reduce((n, t) => n + f(t), 0);
}

function merge(records: Array<Partial<Record<string, number>>>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + (v ?? 0);
	return out;
}

function list(record: Record<string, number>): string {
	const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
	return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}

/** The summary lines, and whether the soak passed. */
export function summarize(summary: SoakSummary, options: SoakOptions): { lines: string[]; passed: boolean } {
	const { runs } = summary;
	const cleanFailures = merge(runs.map((r) => r.cleanFailures));
	const clean = sum(Object.values(cleanFailures), (n) => n);
	const successes = sum(runs, (r) => r.successes);
	const skipped = sum(runs, (r) => r.skipped);
	const fired = merge(runs.map((r) => r.faultsFired));
	const processing = merge(runs.map((r) => (r.processingFault ? { [r.processingFault]: 1 } : {})));
	const retries = merge(runs.map((r) => r.retries));
	const longest = runs.reduce((m, r) => Math.max(m, r.ms), 0);
	const other = summary.others.length + (summary.timedOut ? 1 : 0);
	const lines = [
		'',
		`X Media chaos soak — seed ${summary.seed} (replay: CHAOS_SEED=${summary.seed}${options.maxRuns !== undefined ? ` CHAOS_MAX_RUNS=${options.maxRuns}` : ''} npm run test:chaos; one run: CHAOS_SEED=${summary.seed} CHAOS_ONLY=<n>)`,
		`runs              ${runs.length} (oAuth2 ${runs.filter((r) => r.authentication === 'oAuth2').length}, oAuth1 ${runs.filter((r) => r.authentication === 'oAuth1').length}) in ${(summary.ms / 1000).toFixed(1)} s, ${options.lanes} lanes; longest run ${(longest / 1000).toFixed(1)} s (deadline ${(options.runDeadlineMs / 1000).toFixed(0)} s)`,
		`files             ${sum(runs, (r) => sum(Object.values(r.files), (n) => n ?? 0))} (${list(merge(runs.map((r) => r.files)))}), ${(sum(runs, (r) => r.bytes) / MiB).toFixed(1)} MiB; ${sum(runs, (r) => r.requests)} requests to X`,
		`faults injected   ${sum(runs, (r) => r.faultsPlanned)} request faults planned, ${sum(Object.values(fired), (n) => n)} requests hit (${list(fired)}); processing faults ${sum(Object.values(processing), (n) => n)} (${list(processing)})`,
		`retries           ${sum(Object.values(retries), (n) => n)} (${list(retries)})`,
		`successes         ${successes}`,
		`clean failures    ${clean} (${list(cleanFailures)})`,
		`skipped posts     ${skipped} (their upload failed cleanly; the post was refused before any request)`,
		`other             ${other}${summary.timedOut ? ` (the soak did not finish within ${(soakBoundMs(options) / 1000).toFixed(0)} s: a hang)` : ''}`,
	];
	for (const o of summary.others) lines.push(`  #${o.index} ${o.plan}\n    ${o.problem}`);
	if (runs.length === 0) lines.push('No run finished: nothing was tested.');
	return { lines, passed: other === 0 && runs.length > 0 };
}
