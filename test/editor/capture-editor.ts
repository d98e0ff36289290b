/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]); it starts n8n, the emulator and Chromium as child processes, and the owner password is a throw-away of a temporary n8n instance */
/**
 * Editor check: the packed package inside the REAL n8n editor (test/n8n-runtime, pinned 2.41.1),
 * driven by headless Chromium (Debian's `chromium`, through playwright-core).
 *
 *   npm run build && bash test/e2e/ensure-n8n.sh && npx tsx test/editor/capture-editor.ts
 *
 * 1. Packs the package (`npm pack`) and installs it as a community package into a fresh
 *    N8N_USER_FOLDER (`.n8n/nodes/node_modules/n8n-nodes-x-media`), starts the X API emulator,
 *    imports its credentials (`n8n import:credentials`), then `n8n start` on free ports with
 *    telemetry, version checks, templates and personalization off.
 * 2. Sets up the owner account through n8n's REST API, creates a workflow with one X Media node
 *    per operation (and variants), and opens each node's panel in the editor.
 * 3. Asserts that every panel shows exactly the contract's parameters (the `for` attribute of each
 *    label is the parameter name, its text the display name from the node's description), that the
 *    Options / Additional Fields lists hold the contract's entries, that the node's icon loads
 *    (light and dark), that the canvas shows the operation as subtitle, and that both new-credential
 *    forms show "API Base URL", their notice and the OAuth Redirect URL.
 * 4. Saves PNGs to docs/screenshots/ (viewport 1280x800, cropped to the panel or modal).
 *
 * Exits non-zero when an assertion fails. Cleans up n8n, the emulator, Chromium and the temporary
 * folder in every case (EDITOR_KEEP=1 keeps the folder and n8n's log).
 * Knobs: CHROMIUM_PATH (default /usr/bin/chromium), EDITOR_TIMEOUT_S (default 300),
 * EDITOR_SHOTS_DIR (default docs/screenshots).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { n8nCredentialEntries } from '../emulator/testCredentials';
import { freePort, killGroup, n8nEnv, nodeBin, packAndInstall } from '../e2e/n8nApp';

// ---------------------------------------------------------------- paths and constants

const ROOT = resolve(__dirname, '..', '..');
const RUNTIME = join(ROOT, 'test', 'n8n-runtime');
const N8N_BIN = join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
const SHOTS = resolve(ROOT, process.env.EDITOR_SHOTS_DIR ?? join('docs', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PACKAGE_NAME = 'n8n-nodes-x-media';
const NODE_TYPE = `${PACKAGE_NAME}.xMedia`;
const ENCRYPTION_KEY = 'x-media-editor-fixed-encryption-key';
const OWNER = { email: 'owner@example.com', firstName: 'Editor', lastName: 'Check', password: 'XMedia-Editor-2026' };
const TOTAL_TIMEOUT_MS = Number(process.env.EDITOR_TIMEOUT_S ?? 300) * 1000;
const KEEP = process.env.EDITOR_KEEP === '1';
const VIEWPORT = { width: 1280, height: 800 };


const t0 = Date.now();
function log(msg: string): void {
	process.stdout.write(`[editor ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`);
}

// ---------------------------------------------------------------- assertions

interface Check {
	what: string;
	ok: boolean;
	detail?: string;
}
const checks: Check[] = [];
/** Findings that are not failures (printed at the end). */
const notes: string[] = [];

/** Records a check; failures are collected (the run goes on to take the other screenshots) and fail the run at the end. */
function expect(ok: boolean, what: string, detail?: string): boolean {
	checks.push({ what, ok, detail: ok ? undefined : detail });
	log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `\n        ${detail}`}`);
	return ok;
}

class SetupError extends Error {}

function must(condition: unknown, message: string): asserts condition {
	if (!condition) throw new SetupError(message);
}

// ---------------------------------------------------------------- processes



/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopGroup(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	killGroup(child, 'SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
	killGroup(child, 'SIGKILL');
}


interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

async function runN8n(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
	return await new Promise((resolveRun) => {
		const child = spawn(nodeBin(), [N8N_BIN, ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolveRun({ code, stdout, stderr });
		});
	});
}

/** Starts a long-running process in its own group and resolves once `ready` matches its output. */
async function startUntil(
	cmd: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	ready: RegExp,
	timeoutMs: number,
	what: string,
	children: ChildProcess[],
	onOutput?: (text: string) => void,
): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
	const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	children.push(child);
	let out = '';
	const onData = (d: Buffer) => {
		const text = d.toString();
		out += text;
		onOutput?.(text);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const match = await new Promise<RegExpExecArray>((resolveReady, reject) => {
		const timer = setTimeout(() => reject(new SetupError(`${what} did not start in ${timeoutMs / 1000} s:\n${out.slice(-3000)}`)), timeoutMs);
		const poll = setInterval(() => {
			const m = ready.exec(out);
			if (m) {
				clearTimeout(timer);
				clearInterval(poll);
				resolveReady(m);
			}
		}, 100);
		child.once('exit', (code) => {
			clearTimeout(timer);
			clearInterval(poll);
			reject(new SetupError(`${what} exited with ${code} before it was ready:\n${out.slice(-3000)}`));
		});
	});
	child.removeAllListeners('exit');
	return { child, match, output: () => out };
}

// ---------------------------------------------------------------- package


// ---------------------------------------------------------------- the node's own description (what the panel must show)

interface Prop {
	displayName: string;
	name: string;
	type: string;
	options?: Array<Prop | { name: string; value: unknown }>;
	displayOptions?: { show?: Record<string, unknown[]> };
}

interface Description {
	displayName: string;
	description?: string;
	properties: Prop[];
	credentials: Array<{ name: string }>;
}

function loadDescription(): Description {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled node, as n8n loads it
	const mod = require(join(ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js')) as { XMedia: new () => { description: Description } };
	return new mod.XMedia().description;
}

function loadCredentialDisplayName(file: string, className: string): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled credential, as n8n loads it
	const mod = require(join(ROOT, 'dist', 'credentials', file)) as Record<string, new () => { displayName: string }>;
	return new mod[className]().displayName;
}

/** The display name of parameter `name` shown for `operation` (several parameters share a name across operations). */
function displayNameOf(desc: Description, operation: string, name: string, parent?: string): string {
	const candidates = parent
		? (desc.properties.find((p) => p.name === parent && showsFor(p, operation))?.options as Prop[] | undefined) ?? []
		: desc.properties.filter((p) => showsFor(p, operation));
	const prop = candidates.find((p) => p.name === name);
	must(prop, `the node's description has no parameter "${parent ? `${parent}.` : ''}${name}" for operation ${operation}`);
	return prop.displayName;
}

function showsFor(p: Prop, operation: string): boolean {
	const ops = p.displayOptions?.show?.operation;
	return !ops || ops.includes(operation);
}

// ---------------------------------------------------------------- the contract (test/../x-media-node.md)

/**
 * Parameter names each operation's panel must show, given the workflow's parameter values below
 * (`authentication` is shown by n8n as the credential selector, not as a parameter).
 */
const CONTRACT_PANELS: Record<string, string[]> = {
	upload: ['operation', 'binaryPropertyName', 'mediaCategory', 'options'],
	getStatus: ['operation', 'mediaId', 'waitForProcessing', 'processingTimeout'],
	getMedia: ['operation', 'mediaKey'],
	createPostIds: ['operation', 'text', 'mediaSource', 'mediaIds', 'combineItems', 'additionalFields'],
	createPostBinary: ['operation', 'text', 'mediaSource', 'binaryPropertyName', 'combineItems', 'additionalFields'],
	addSubtitles: ['operation', 'mediaId', 'subtitlesBinaryPropertyName', 'languageCode', 'displayName', 'videoCategory'],
	removeSubtitles: ['operation', 'mediaId', 'languageCode', 'videoCategory'],
	sendDirectMessageIds: ['operation', 'participantId', 'text', 'mediaSource', 'mediaIds', 'additionalFields'],
	sendDirectMessageBinary: ['operation', 'participantId', 'text', 'mediaSource', 'binaryPropertyName', 'additionalFields'],
};
/** Additional fields of Send Direct Message (contract: "at least"; Shared applies to the file uploaded in binary mode). */
const CONTRACT_DM_FIELDS = ['dmConversationId'];
const CONTRACT_DM_FIELDS_BINARY = [...CONTRACT_DM_FIELDS, 'shared'];
/** Options of Upload (contract: "at least"). */
const CONTRACT_UPLOAD_OPTIONS = [
	'altText',
	'uploadMethod',
	'mediaType',
	'waitForProcessing',
	'processingTimeout',
	'chunkSize',
	'parallelUploads',
	'additionalOwners',
	'shared',
	'subtitlesBinaryPropertyName',
	'subtitlesLanguageCode',
	'subtitlesDisplayName',
];
/** Additional fields of Create Post (contract: "at least"; alt text only in binary mode). */
const CONTRACT_POST_FIELDS = ['taggedUserIds', 'inReplyToTweetId', 'replySettings'];
const CONTRACT_POST_FIELDS_BINARY = [...CONTRACT_POST_FIELDS, 'altText'];

// ---------------------------------------------------------------- workflow

const CRED_OAUTH2 = { id: 'xEmuOAuth2A', name: 'X emulator OAuth2 (user A)' };
const CRED_OAUTH1 = { id: 'xEmuOAuth1A', name: 'X emulator OAuth1 (user A)' };

interface NodeSpec {
	name: string;
	operation: string;
	parameters: Record<string, unknown>;
	/** Subtitle the canvas should show (the node's `subtitle` expression). */
	subtitle: string;
}

const NODES: NodeSpec[] = [
	{ name: 'Upload Media', operation: 'upload', parameters: { operation: 'upload' }, subtitle: 'Upload' },
	{
		name: 'Upload (All Options)',
		operation: 'upload',
		subtitle: 'Upload',
		parameters: {
			operation: 'upload',
			mediaCategory: 'auto',
			options: {
				additionalOwners: '',
				liftVideoLimit: false,
				altText: 'A bar chart of this week\'s sign-ups',
				chunkSize: 4,
				mediaType: 'image/png',
				parallelUploads: 3,
				processingTimeout: 600,
				shared: false,
				uploadMethod: 'auto',
				waitForProcessing: true,
				subtitlesBinaryPropertyName: 'subtitles',
				subtitlesLanguageCode: 'EN',
				subtitlesDisplayName: 'English',
			},
		},
	},
	{
		name: 'Check Processing Status',
		operation: 'getStatus',
		subtitle: 'Get Status',
		parameters: { operation: 'getStatus', waitForProcessing: true, processingTimeout: 600 },
	},
	{ name: 'Get Media Info', operation: 'getMedia', parameters: { operation: 'getMedia' }, subtitle: 'Get Media' },
	{
		name: 'Post with Media IDs',
		operation: 'createPost',
		subtitle: 'Create Post with Media',
		parameters: { operation: 'createPost', text: 'New video, uploaded by n8n', additionalFields: {} },
	},
	{
		name: 'Post Files Directly',
		operation: 'createPost',
		subtitle: 'Create Post with Media',
		parameters: {
			operation: 'createPost',
			text: 'Photos of the day',
			mediaSource: 'binary',
			binaryPropertyName: 'photo1, photo2',
			additionalFields: { altText: 'A sunset over the harbour' },
		},
	},
	{ name: 'Upload with OAuth1', operation: 'upload', parameters: { operation: 'upload', authentication: 'oAuth1' }, subtitle: 'Upload' },
	{
		name: 'Add Spanish Subtitles',
		operation: 'addSubtitles',
		subtitle: 'Add Subtitles',
		parameters: { operation: 'addSubtitles', languageCode: 'ES', displayName: 'Español' },
	},
	{ name: 'Remove Subtitles', operation: 'removeSubtitles', parameters: { operation: 'removeSubtitles', languageCode: 'ES' }, subtitle: 'Remove Subtitles' },
	{
		name: 'DM a Media ID',
		operation: 'sendDirectMessage',
		subtitle: 'Send Direct Message with Media',
		parameters: { operation: 'sendDirectMessage', participantId: '1880000000000000002', text: 'Your report is ready', additionalFields: {} },
	},
	{
		name: 'DM a File',
		operation: 'sendDirectMessage',
		subtitle: 'Send Direct Message with Media',
		parameters: {
			operation: 'sendDirectMessage',
			participantId: '',
			text: 'The chart you asked for',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
			additionalFields: { dmConversationId: '1880000000000000001-1880000000000000002', shared: false },
		},
	},
];

function workflowBody(): Record<string, unknown> {
	const nodes: Array<Record<string, unknown>> = [
		{ id: 'b0000000-0000-4000-8000-000000000000', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	// A chain for the canvas screenshot; the variants sit on a second row.
	const positions: Record<string, [number, number]> = {
		'Upload Media': [220, 0],
		'Check Processing Status': [440, 0],
		'Get Media Info': [660, 0],
		'Post with Media IDs': [880, 0],
		'Upload (All Options)': [220, 220],
		'Post Files Directly': [440, 220],
		'Upload with OAuth1': [660, 220],
		'Add Spanish Subtitles': [220, 440],
		'Remove Subtitles': [440, 440],
		'DM a Media ID': [660, 440],
		'DM a File': [880, 440],
	};
	NODES.forEach((n, i) => {
		nodes.push({
			id: `b0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
			name: n.name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: positions[n.name],
			parameters: { authentication: 'oAuth2', ...n.parameters },
			credentials: n.parameters.authentication === 'oAuth1' ? { xOAuth1Api: CRED_OAUTH1 } : { xOAuth2Api: CRED_OAUTH2 },
		});
	});
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		name: 'X Media: editor panels',
		nodes,
		connections: {
			Start: { main: [[{ node: 'Upload Media', type: 'main', index: 0 }, { node: 'Post Files Directly', type: 'main', index: 0 }]] },
			'Upload Media': link('Check Processing Status'),
			'Check Processing Status': link('Get Media Info'),
			'Get Media Info': link('Post with Media IDs'),
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

// ---------------------------------------------------------------- editor helpers

const shots: Array<{ file: string; what: string; bytes: number }> = [];

/**
 * The few DOM shapes the in-page callbacks use: they run in Chromium, but this file is type-checked
 * with the test tsconfig, which has no DOM library.
 */
interface DomRect {
	left: number;
	right: number;
	top: number;
	bottom: number;
	width: number;
	height: number;
}
interface DomEl {
	getClientRects(): { length: number };
	getBoundingClientRect(): DomRect;
	getAttribute(name: string): string | null;
	querySelector(selector: string): DomEl | null;
	querySelectorAll(selector: string): ArrayLike<DomEl>;
	closest(selector: string): DomEl | null;
	parentElement: DomEl | null;
	textContent: string | null;
	style: Record<string, string>;
	scrollHeight: number;
	clientHeight: number;
}
interface DomImg extends DomEl {
	currentSrc: string;
	src: string;
	complete: boolean;
	naturalWidth: number;
	naturalHeight: number;
}
interface DomWindow {
	document: DomEl;
	getComputedStyle(el: DomEl): { display: string; overflowY: string };
}


async function shoot(target: Page | Locator, file: string, what: string): Promise<void> {
	const path = join(SHOTS, file);
	await target.screenshot({ path, animations: 'disabled', caret: 'hide' });
	shots.push({ file, what, bytes: statSync(path).size });
	log(`screenshot ${relative(ROOT, path)} (${Math.round(statSync(path).size / 1024)} KB): ${what}`);
}

/** A screenshot of the smallest rectangle holding all `targets` (a modal and its teleported dropdown, say). */
async function shootUnion(page: Page, targets: Locator[], file: string, what: string, margin = 8): Promise<void> {
	const boxes = [];
	for (const t of targets) {
		const b = await t.boundingBox();
		if (b) boxes.push(b);
	}
	must(boxes.length > 0, `nothing to screenshot for ${file}`);
	const vp = page.viewportSize() ?? VIEWPORT;
	const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
	const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
	const right = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
	const bottom = Math.min(vp.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
	const path = join(SHOTS, file);
	await page.screenshot({ path, clip: { x, y, width: right - x, height: bottom - y }, animations: 'disabled', caret: 'hide' });
	shots.push({ file, what, bytes: statSync(path).size });
	log(`screenshot ${relative(ROOT, path)} (${Math.round(right - x)}x${Math.round(bottom - y)}, ${Math.round(statSync(path).size / 1024)} KB): ${what}`);
}

/** Parameters visible in the open panel: label `for` (parameter name) → label text (display name). */
async function visibleParameters(scope: Locator): Promise<Array<[string, string]>> {
	return await scope.evaluate((rootEl) => {
		const root = rootEl as unknown as DomEl;
		const out: Array<[string, string]> = [];
		for (const label of Array.from(root.querySelectorAll('[data-test-id="input-label"] label[for]'))) {
			const el = label as unknown as DomEl;
			if (el.getClientRects().length === 0) continue; // another tab (Settings) or a hidden branch
			const span = el.querySelector('span');
			out.push([el.getAttribute('for') ?? '', (span?.textContent ?? el.textContent ?? '').trim()]);
		}
		return out;
	});
}

/** Opens the select whose <input> is `input` and returns its popper (element-plus teleports it to <body>). */
async function openSelect(page: Page, input: Locator): Promise<Locator> {
	await input.click();
	const id = await input.getAttribute('aria-controls');
	must(id, 'the select has no aria-controls');
	const list = page.locator(`[id="${id}"]`);
	await list.locator('.el-select-dropdown__item').first().waitFor({ timeout: 10_000 });
	return list.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-popper ")][1]');
}

/** The first line of each entry of an open select. */
async function selectEntries(popper: Locator): Promise<string[]> {
	return (await popper.locator('.el-select-dropdown__item').allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter((t) => t !== '');
}

async function closeSelect(page: Page, popper: Locator): Promise<void> {
	await page.keyboard.press('Escape');
	await popper.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** Checks an <img> loaded (not a broken image) and that its URL serves an SVG; returns its src. */
async function checkIcon(page: Page, img: Locator, what: string, expectFile: string): Promise<void> {
	const count = await img.count();
	if (!expect(count > 0, `${what}: the node icon is an <img>`, 'no <img> in the icon container (a fallback letter or a broken icon)')) return;
	const first = img.first();
	const info = await first.evaluate((el) => {
		const i = el as unknown as DomImg;
		return { src: i.currentSrc || i.src, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width };
	});
	expect(
		info.complete && info.w > 0 && info.h > 0 && info.shown > 0,
		`${what}: the icon rendered (${info.w}x${info.h}, ${Math.round(info.shown)} px wide)`,
		`not rendered: ${JSON.stringify(info)}`,
	);
	expect(info.src.endsWith(expectFile), `${what}: the icon is ${expectFile}`, `src is ${info.src}`);
	const res = await page.request.get(info.src);
	const type = res.headers()['content-type'] ?? '';
	const body = await res.text();
	expect(res.status() === 200 && type.includes('image/svg') && body.includes('<svg'), `${what}: ${info.src.replace(/^https?:\/\/[^/]+/, '')} answers 200 image/svg+xml`, `HTTP ${res.status()} ${type}`);
}

async function waitForPanel(page: Page): Promise<Locator> {
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor({ timeout: 30_000 });
	const params = ndv.locator('[data-test-id="node-parameters"]');
	await params.waitFor();
	// Collections render "Loading fields..." first.
	await ndv.getByText('Loading fields...').first().waitFor({ state: 'detached', timeout: 20_000 }).catch(() => undefined);
	await page.waitForTimeout(300);
	return ndv;
}

async function closePanel(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id="ndv"]');
	if (!(await ndv.isVisible())) return;
	await ndv.locator('[data-test-id="ndv-close-button"]').click({ timeout: 5000 }).catch(async () => await page.keyboard.press('Escape'));
	await ndv.waitFor({ state: 'hidden' });
}

async function openNode(page: Page, name: string): Promise<Locator> {
	await closePanel(page);
	await page.locator('[data-test-id="canvas-node"]').filter({ hasText: name }).first().dblclick();
	return await waitForPanel(page);
}

/**
 * The middle column of the open panel (tabs and parameters), cut below its last parameter or
 * below an open dropdown: the input and output columns are empty in this workflow.
 */
async function shootPanel(page: Page, ndv: Locator, file: string, what: string): Promise<void> {
	const clip = await ndv.locator('[data-test-id="node-parameters"]').evaluate((paramsEl) => {
		const win = globalThis as unknown as DomWindow;
		const params = paramsEl as unknown as DomEl;
		let pane = params;
		while (pane.parentElement && !pane.parentElement.querySelector('[data-test-id="tab-params"]')) pane = pane.parentElement;
		pane = pane.parentElement ?? pane;
		const r = pane.getBoundingClientRect();
		let bottom = 0;
		const items = Array.from(params.querySelectorAll('[data-test-id="parameter-item"]')).filter((e) => e.getClientRects().length > 0);
		for (const e of items) bottom = Math.max(bottom, e.getBoundingClientRect().bottom);
		for (const e of Array.from(win.document.querySelectorAll('.el-select-dropdown, .el-popper'))) {
			const er = e.getBoundingClientRect();
			if (er.height > 0 && er.left < r.right && er.right > r.left && win.getComputedStyle(e).display !== 'none') bottom = Math.max(bottom, er.bottom);
		}
		const dialog = params.closest('[data-test-id="ndv"]')?.getBoundingClientRect() ?? r;
		const top = dialog.top;
		return { x: Math.floor(r.left), y: Math.floor(top), width: Math.ceil(r.width), height: Math.ceil(Math.min(r.bottom, bottom + 24) - top) };
	});
	const path = join(SHOTS, file);
	await page.screenshot({ path, clip, animations: 'disabled', caret: 'hide' });
	shots.push({ file, what, bytes: statSync(path).size });
	log(`screenshot ${relative(ROOT, path)} (${clip.width}x${clip.height}, ${Math.round(statSync(path).size / 1024)} KB): ${what}`);
}

/** The panel's parameters against the contract: the same set of names, each with the description's display name. */
async function assertPanel(ndv: Locator, desc: Description, key: string, operation: string): Promise<void> {
	const seen = await visibleParameters(ndv.locator('[data-test-id="node-parameters"]'));
	const topLevel = seen.filter(([name]) => desc.properties.some((p) => p.name === name));
	const names = topLevel.map(([n]) => n);
	const expected = CONTRACT_PANELS[key];
	const missing = expected.filter((n) => !names.includes(n));
	const extra = names.filter((n) => !expected.includes(n) && n !== 'authentication');
	expect(
		missing.length === 0 && extra.length === 0,
		`${key}: the panel shows the contract's parameters ${expected.join(', ')}`,
		`missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}; seen ${JSON.stringify(seen)}`,
	);
	for (const [name, text] of topLevel) {
		if (!expected.includes(name)) continue;
		const want = displayNameOf(desc, operation, name);
		expect(text === want, `${key}: ${name} is labelled "${want}"`, `label is "${text}"`);
	}
	const mapping = topLevel.map(([n, t]) => `${t} = ${n}`).join('; ');
	log(`     ${key} panel: ${mapping}`);
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
	must(existsSync(N8N_BIN), `n8n is not installed in ${RUNTIME}: run bash test/e2e/ensure-n8n.sh`);
	must(existsSync(join(ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js')), 'dist/ is missing: run npm run build first');
	must(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	const v = spawnSync(nodeBin(), ['--version'], { encoding: 'utf8' }).stdout.trim();
	must(/^v2[4-9]\./.test(v), `n8n 2.41 needs Node >= 24, found ${v}`);
	mkdirSync(SHOTS, { recursive: true });

	const desc = loadDescription();
	const oauth2Name = loadCredentialDisplayName('XOAuth2Api.credentials.js', 'XOAuth2Api');
	const oauth1Name = loadCredentialDisplayName('XOAuth1Api.credentials.js', 'XOAuth1Api');

	const work = mkdtempSync(join(tmpdir(), 'x-media-editor-'));
	const userFolder = join(work, 'user');
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });
	const children: ChildProcess[] = [];
	let context: BrowserContext | undefined;
	let n8nLog = '';
	let failed = false;

	const cleanup = async () => {
		await context?.close().catch(() => undefined);
		context = undefined;
		for (const child of children.reverse()) await stopGroup(child);
		children.length = 0;
		if (KEEP || failed) {
			writeFileSync(join(work, 'n8n.log'), n8nLog);
			log(`kept ${work} (n8n.log inside)`);
		} else {
			rmSync(work, { recursive: true, force: true });
		}
	};
	const watchdog = setTimeout(() => {
		log(`timed out after ${TOTAL_TIMEOUT_MS / 1000} s`);
		failed = true;
		void cleanup().finally(() => process.exit(1));
	}, TOTAL_TIMEOUT_MS);
	const onSignal = (sig: NodeJS.Signals) => {
		log(`got ${sig}, cleaning up`);
		failed = true;
		void cleanup().finally(() => process.exit(1));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		const { tarball } = packAndInstall(work, userFolder);
		log(`packed ${tarball}, installed into .n8n/nodes/node_modules/${PACKAGE_NAME}`);

		const tsxCli = require.resolve('tsx/cli', { paths: [ROOT] });
		const emu = await startUntil(
			nodeBin(),
			[tsxCli, join('test', 'emulator', 'cli.ts'), '--port', '0'],
			{ ...process.env, NODE_OPTIONS: '' },
			/^EMULATOR_READY (\S+)$/m,
			60_000,
			'the X API emulator',
			children,
		);
		const emulatorUrl = emu.match[1];
		log(`emulator at ${emulatorUrl}`);

		const port = await freePort();
		const env = n8nEnv(userFolder, ENCRYPTION_KEY, {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_SECURE_COOKIE: 'false',
		});
		const credsFile = join(work, 'credentials.json');
		writeFileSync(credsFile, JSON.stringify(n8nCredentialEntries(emulatorUrl, 'A'), null, 2));
		const ic = await runN8n(['import:credentials', `--input=${credsFile}`], env);
		must(ic.code === 0 && /Successfully imported/.test(ic.stdout), `import:credentials failed (${ic.code}):\n${ic.stdout}\n${ic.stderr}`);
		log('credentials imported (and the database migrated)');

		await startUntil(nodeBin(), [N8N_BIN, 'start'], env, /Editor is now accessible/, 120_000, 'n8n start', children, (t) => (n8nLog += t));
		const base = `http://localhost:${port}`;
		log(`n8n editor at ${base}`);

		context = await chromium.launchPersistentContext(mkdtempSync(join(work, 'chromium-')), {
			executablePath: CHROMIUM,
			headless: true,
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		context.setDefaultTimeout(20_000);
		context.setDefaultNavigationTimeout(90_000);
		// The editor must work offline: anything that is not this n8n is refused (and listed).
		const external = new Set<string>();
		await context.route('**/*', async (route) => {
			const url = new URL(route.request().url());
			if (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
				await route.continue();
				return;
			}
			external.add(url.origin);
			await route.abort();
		});
		const page = context.pages()[0] ?? (await context.newPage());
		const consoleErrors: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});

		// Owner account (the setup endpoint also logs the browser in: same cookie jar).
		const setup = await page.request.post(`${base}/rest/owner/setup`, { data: OWNER });
		must(setup.ok(), `POST /rest/owner/setup answered ${setup.status()}: ${await setup.text()}`);
		const login = await page.request.post(`${base}/rest/login`, { data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
		must(login.ok(), `POST /rest/login answered ${login.status()}`);
		const created = await page.request.post(`${base}/rest/workflows`, { data: workflowBody() });
		must(created.ok(), `POST /rest/workflows answered ${created.status()}: ${await created.text()}`);
		const workflowId = ((await created.json()) as { data: { id: string } }).data.id;
		log(`owner set up, workflow ${workflowId} created`);

		// ---- canvas: subtitles and icons
		await page.goto(`${base}/workflow/${workflowId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(800);
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(800);
		log('editor loaded');
		for (const n of NODES) {
			const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: n.name }).first();
			const text = (await node.innerText()).replace(/\s+/g, ' ');
			expect(text.includes(n.subtitle), `canvas: "${n.name}" shows the subtitle "${n.subtitle}"`, `node text: ${text}`);
		}
		await checkIcon(page, page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Upload Media' }).first().locator('img'), 'canvas', '/x.svg');
		await shoot(page, 'canvas.png', 'a workflow with X Media nodes, one per operation, with subtitles');

		// ---- nodes panel search
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		const creator = page.locator('[data-test-id="node-creator"]');
		await creator.waitFor();
		await creator.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('X Media');
		const item = creator.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^X Media$/ }).first();
		await item.waitFor();
		expect(true, 'nodes panel: searching "X Media" finds the node');
		const itemRow = item.locator('xpath=ancestor::*[.//img][1]');
		const rowText = (await itemRow.innerText()).replace(/\s+/g, ' ');
		expect(rowText.includes(desc.description ?? '\u0000'), 'nodes panel: the entry shows the node\'s description', `entry text: ${rowText}`);
		await checkIcon(page, itemRow.locator('img'), 'nodes panel', '/x.svg');
		const creatorBox = await creator.boundingBox();
		const rowBox = await itemRow.boundingBox();
		must(creatorBox && rowBox, 'the nodes panel has no size');
		const creatorClip = { x: creatorBox.x, y: creatorBox.y, width: creatorBox.width, height: rowBox.y + rowBox.height + 16 - creatorBox.y };
		await page.screenshot({ path: join(SHOTS, 'nodes-panel-search.png'), clip: creatorClip });
		shots.push({ file: 'nodes-panel-search.png', what: 'the nodes panel finding "X Media"', bytes: statSync(join(SHOTS, 'nodes-panel-search.png')).size });
		log(`screenshot ${relative(ROOT, join(SHOTS, 'nodes-panel-search.png'))}: the nodes panel finding "X Media"`);
		await page.keyboard.press('Escape');
		await creator.waitFor({ state: 'hidden' }).catch(() => undefined);

		// ---- parameter panels
		const addInput = (ndv: Locator) => ndv.locator('[data-test-id="collection-parameter-add"] input').first();
		const credInput = (ndv: Locator) => ndv.locator('[data-test-id="node-credentials-select"] input').first();

		let ndv = await openNode(page, 'Upload Media');
		await checkIcon(page, ndv.locator('.n8n-node-icon img').first(), 'panel header', '/x.svg');
		await assertPanel(ndv, desc, 'upload', 'upload');
		// The panel's "Docs" link: the node's documentationUrl, else the codex's primaryDocumentation
		// with n8n's ?utm_… query appended (after a #fragment, that breaks the anchor).
		const docsHref = (await ndv.locator('a[href]').filter({ hasText: /^\s*Docs\s*$/ }).first().getAttribute('href')) ?? '';
		const pkgHome = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage?: string }).homepage?.replace(/#.*$/, '') ?? '';
		expect(pkgHome !== '' && docsHref.startsWith(pkgHome), `panel: the Docs link opens the README (${docsHref})`, `package homepage ${pkgHome}`);
		if (/#[^?]*\?/.test(docsHref)) notes.push(`the panel's Docs link is ${docsHref}: n8n appended its ?utm_ query after the #fragment, so the browser looks for an anchor named "${docsHref.split('#')[1]}" and stays at the top of the README`);
		await shoot(ndv, 'panel-upload-full.png', 'the whole panel of an Upload node (input, parameters, output)');
		await shootPanel(page, ndv, 'upload.png', 'Upload: Input Binary Field, Media Category, Options');
		// The Authentication parameter is n8n's credential list: both types side by side.
		let popper = await openSelect(page, credInput(ndv));
		const credItems = await popper.locator('.el-select-dropdown__item').allInnerTexts();
		for (const typeName of [oauth2Name, oauth1Name]) {
			expect(credItems.some((t) => t.includes(typeName)), `panel: the Credential list offers ${typeName} credentials`, `listed: ${JSON.stringify(credItems)}`);
		}
		await shootPanel(page, ndv, 'credential-select.png', 'the Credential list: OAuth2 and OAuth1 credentials side by side');
		await closeSelect(page, popper);
		popper = await openSelect(page, addInput(ndv));
		const optionNames = await selectEntries(popper);
		for (const name of CONTRACT_UPLOAD_OPTIONS) {
			const want = displayNameOf(desc, 'upload', name, 'options');
			expect(optionNames.includes(want), `upload: "Add Option" lists ${name} ("${want}")`, `listed: ${JSON.stringify(optionNames)}`);
		}
		await shootPanel(page, ndv, 'upload-add-option.png', 'Upload: the "Add Option" list');
		await closeSelect(page, popper);

		ndv = await openNode(page, 'Upload (All Options)');
		const optionLabels = await visibleParameters(ndv.locator('[data-test-id="node-parameters"]'));
		for (const name of Object.keys((NODES[1].parameters.options as Record<string, unknown>) ?? {})) {
			const want = displayNameOf(desc, 'upload', name, 'options');
			expect(optionLabels.some(([n, t]) => n === name && t === want), `upload options: ${name} is shown as "${want}"`, `seen ${JSON.stringify(optionLabels)}`);
		}
		await page.setViewportSize({ width: VIEWPORT.width, height: 1500 });
		await page.waitForTimeout(500);
		await shootPanel(page, ndv, 'upload-options.png', 'Upload with every option added');
		await page.setViewportSize(VIEWPORT);
		await page.waitForTimeout(300);

		ndv = await openNode(page, 'Check Processing Status');
		await assertPanel(ndv, desc, 'getStatus', 'getStatus');
		await shootPanel(page, ndv, 'get-status.png', 'Get Status: Media ID, Wait for Processing, Processing Timeout');

		ndv = await openNode(page, 'Get Media Info');
		await assertPanel(ndv, desc, 'getMedia', 'getMedia');
		await shootPanel(page, ndv, 'get-media.png', 'Get Media: Media Key');

		ndv = await openNode(page, 'Post with Media IDs');
		await assertPanel(ndv, desc, 'createPostIds', 'createPost');
		await shootPanel(page, ndv, 'create-post.png', 'Create Post with Media from media IDs');
		popper = await openSelect(page, addInput(ndv));
		const fieldNames = await selectEntries(popper);
		for (const name of CONTRACT_POST_FIELDS) {
			const want = displayNameOf(desc, 'createPost', name, 'additionalFields');
			expect(fieldNames.includes(want), `createPost: "Add Field" lists ${name} ("${want}")`, `listed: ${JSON.stringify(fieldNames)}`);
		}
		const altText = displayNameOf(desc, 'createPost', 'altText', 'additionalFields');
		expect(!fieldNames.includes(altText), `createPost (media IDs): "Add Field" hides "${altText}" (binary mode only)`, `listed: ${JSON.stringify(fieldNames)}`);
		await page.setViewportSize({ width: VIEWPORT.width, height: 1100 });
		await page.waitForTimeout(400);
		await shootPanel(page, ndv, 'create-post-additional-fields.png', 'Create Post with Media: the "Add Field" list of Additional Fields');
		await closeSelect(page, popper);
		await page.setViewportSize(VIEWPORT);

		ndv = await openNode(page, 'Post Files Directly');
		await assertPanel(ndv, desc, 'createPostBinary', 'createPost');
		const binaryFields = await visibleParameters(ndv.locator('[data-test-id="node-parameters"]'));
		expect(binaryFields.some(([n, t]) => n === 'altText' && t === altText), `createPost (binary files): Additional Fields shows "${altText}"`, `seen ${JSON.stringify(binaryFields)}`);
		popper = await openSelect(page, addInput(ndv));
		const binaryFieldNames = await selectEntries(popper);
		for (const name of CONTRACT_POST_FIELDS_BINARY) {
			const want = displayNameOf(desc, 'createPost', name, 'additionalFields');
			const added = binaryFields.some(([n]) => n === name);
			expect(added || binaryFieldNames.includes(want), `createPost (binary files): ${name} ("${want}") is offered`, `listed: ${JSON.stringify(binaryFieldNames)}, added: ${JSON.stringify(binaryFields)}`);
		}
		await closeSelect(page, popper);
		await shootPanel(page, ndv, 'create-post-binary.png', 'Create Post with Media uploading the item\'s files, with alt text');

		// ---- subtitles and Direct Messages (issue 13)
		ndv = await openNode(page, 'Add Spanish Subtitles');
		await assertPanel(ndv, desc, 'addSubtitles', 'addSubtitles');
		await shootPanel(page, ndv, 'add-subtitles.png', 'Add Subtitles: Video Media ID, Subtitles Binary Field, Language Code, Display Name, Video Category');

		ndv = await openNode(page, 'Remove Subtitles');
		await assertPanel(ndv, desc, 'removeSubtitles', 'removeSubtitles');
		await shootPanel(page, ndv, 'remove-subtitles.png', 'Remove Subtitles: Video Media ID, Language Code, Video Category');

		ndv = await openNode(page, 'DM a Media ID');
		await assertPanel(ndv, desc, 'sendDirectMessageIds', 'sendDirectMessage');
		popper = await openSelect(page, addInput(ndv));
		const dmFieldNames = await selectEntries(popper);
		for (const name of CONTRACT_DM_FIELDS) {
			const want = displayNameOf(desc, 'sendDirectMessage', name, 'additionalFields');
			expect(dmFieldNames.includes(want), `sendDirectMessage: "Add Field" lists ${name} ("${want}")`, `listed: ${JSON.stringify(dmFieldNames)}`);
		}
		const sharedName = displayNameOf(desc, 'sendDirectMessage', 'shared', 'additionalFields');
		expect(!dmFieldNames.includes(sharedName), `sendDirectMessage (media IDs): "Add Field" hides "${sharedName}" (binary mode only)`, `listed: ${JSON.stringify(dmFieldNames)}`);
		await closeSelect(page, popper);
		await shootPanel(page, ndv, 'send-direct-message.png', 'Send Direct Message with Media from a media ID');

		ndv = await openNode(page, 'DM a File');
		await assertPanel(ndv, desc, 'sendDirectMessageBinary', 'sendDirectMessage');
		const dmBinaryFields = await visibleParameters(ndv.locator('[data-test-id="node-parameters"]'));
		for (const name of CONTRACT_DM_FIELDS_BINARY) {
			const want = displayNameOf(desc, 'sendDirectMessage', name, 'additionalFields');
			expect(dmBinaryFields.some(([n, t]) => n === name && t === want), `sendDirectMessage (binary file): Additional Fields shows ${name} as "${want}"`, `seen ${JSON.stringify(dmBinaryFields)}`);
		}
		await shootPanel(page, ndv, 'send-direct-message-binary.png', 'Send Direct Message with Media uploading the item\'s file, into a conversation');

		// ---- credential forms: "Create new credential" from the node (the type follows the node's Authentication)
		for (const cred of [
			{ node: 'Upload Media', type: 'xOAuth2Api', name: oauth2Name, file: 'credential-oauth2.png', callback: '/rest/oauth2-credential/callback', notice: ['media.write', 'Read and write'] },
			{ node: 'Upload with OAuth1', type: 'xOAuth1Api', name: oauth1Name, file: 'credential-oauth1.png', callback: '/rest/oauth1-credential/callback', notice: ['Consumer Key', 'Read and write'] },
		]) {
			ndv = await openNode(page, cred.node);
			const current = await credInput(ndv).inputValue().catch(() => '');
			await page.setViewportSize({ width: VIEWPORT.width, height: 1400 });
			popper = await openSelect(page, credInput(ndv));
			await popper.getByText('Create new credential').first().click();
			const form = page.locator('[data-test-id="credential-edit-dialog"]');
			await form.waitFor();
			const dialog = form.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-dialog ")][1]');
			await dialog.getByText('API Base URL').first().waitFor();
			await page.waitForTimeout(600);
			const text = await dialog.innerText();
			log(`     ${cred.type} form (node credential was "${current}"): ${text.replace(/\s+/g, ' ').slice(0, 300)}…`);
			expect(text.includes(cred.name), `${cred.type} form: of type "${cred.name}"`, text.slice(0, 400));
			expect(/API Base URL/.test(text), `${cred.type} form: shows "API Base URL"`, text.slice(0, 800));
			for (const word of cred.notice) expect(text.includes(word), `${cred.type} form: the notice mentions "${word}"`, text.slice(0, 800));
			expect(/OAuth Redirect URL/i.test(text), `${cred.type} form: shows the OAuth Redirect URL`, text.slice(0, 800));
			const copy = await dialog.locator('[data-test-id="copy-input"]').allInnerTexts();
			expect(copy.some((c) => c.includes(`${base}${cred.callback}`)), `${cred.type} form: the redirect URL is ${base}${cred.callback}`, `copy inputs: ${JSON.stringify(copy)}`);
			const links = await dialog.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
			log(`     ${cred.type} form links: ${JSON.stringify(links)}`);
			// The form scrolls inside the modal: unfold it so the picture shows every field.
			await dialog.evaluate((rootEl) => {
				const root = rootEl as unknown as DomEl;
				const win = globalThis as unknown as DomWindow;
				for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
					const cs = win.getComputedStyle(el);
					if ((cs.overflowY === 'auto' || cs.overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1) {
						el.style.maxHeight = 'none';
						el.style.height = 'auto';
						el.style.overflowY = 'visible';
					}
				}
				root.style.maxHeight = 'none';
				root.style.height = 'auto';
			});
			await page.waitForTimeout(300);
			await shoot(dialog, cred.file, `new ${cred.name} credential form`);
			await dialog.locator('.el-dialog__headerbtn, button[aria-label="Close"], [data-test-id="dialog-close-button"]').first().click({ timeout: 3000 }).catch(async () => await page.keyboard.press('Escape'));
			await form.waitFor({ state: 'hidden', timeout: 3000 }).catch(async () => {
				await page.getByRole('button', { name: /close|leave|discard|don't save|yes/i }).last().click({ timeout: 3000 }).catch(() => undefined);
			});
			await page.setViewportSize(VIEWPORT);
			await closePanel(page);
		}

		// ---- n8n's own "Create credential" list: how many types are named like ours
		await page.goto(`${base}/home/credentials/create`);
		const typeSelect = page.locator('[data-test-id="new-credential-type-select"]');
		await typeSelect.waitFor({ timeout: 60_000 });
		await typeSelect.locator('input').first().fill(oauth2Name);
		await page.locator('[data-test-id="new-credential-type-select-option"]').first().waitFor();
		await page.waitForTimeout(400);
		const typeNames = (await page.locator('[data-test-id="new-credential-type-select-option"]').allInnerTexts()).map((t) => t.trim());
		const sameAsOauth2 = typeNames.filter((t) => t === oauth2Name).length;
		notes.push(
			`Credentials > Create credential, search "${oauth2Name}": ${JSON.stringify(typeNames)}; ${sameAsOauth2} entries are named "${oauth2Name}" (n8n's built-in twitterOAuth2Api has the same display name)`,
		);
		log(`     ${notes[notes.length - 1]}`);
		await shootUnion(
			page,
			[typeSelect.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-dialog ")][1]'), page.locator('[data-test-id="new-credential-type-select-option"]').last()],
			'credential-type-list.png',
			`n8n's "Add new credential" list searched for "${oauth2Name}"`,
		);

		// ---- dark theme: the dark icon
		await page.goto(`${base}/workflow/${workflowId}?theme=dark`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(500);
		await checkIcon(page, page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Upload Media' }).first().locator('img'), 'canvas (dark theme)', '/x.dark.svg');
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(800);
		await shoot(page, 'canvas-dark.png', 'the workflow in the dark theme (white X mark)');
		ndv = await openNode(page, 'Upload Media');
		await checkIcon(page, ndv.locator('.n8n-node-icon img').first(), 'panel header (dark theme)', '/x.dark.svg');

		if (external.size) log(`refused requests to other hosts (the editor works without them): ${[...external].join(', ')}`);
		const relevantErrors = consoleErrors.filter((e) => /x-media|xMedia|x\.svg|x\.dark\.svg/i.test(e));
		expect(relevantErrors.length === 0, 'the browser console has no error about the X Media node', relevantErrors.join('\n'));
	} catch (e) {
		failed = true;
		log(`stopped: ${e instanceof Error ? (e instanceof SetupError ? e.message : e.stack ?? e.message) : String(e)}`);
		if (context) {
			const page = context.pages()[0];
			if (page) await page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
			log(`a screenshot of the page at the failure is ${join(work, 'failure.png')}`);
		}
	} finally {
		clearTimeout(watchdog);
		await cleanup();
	}

	const nFail = checks.filter((c) => !c.ok).length;
	failed = failed || nFail > 0;
	process.stdout.write(`\n${checks.length - nFail}/${checks.length} editor checks passed, ${shots.length} screenshots in ${relative(ROOT, SHOTS)}/ in ${((Date.now() - t0) / 1000).toFixed(0)} s${failed ? ' — FAILED' : ''}\n`);
	for (const c of checks.filter((x) => !x.ok)) process.stdout.write(`  FAIL ${c.what}\n       ${c.detail ?? ''}\n`);
	for (const n of notes) process.stdout.write(`  note: ${n}\n`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
		process.exit(1);
	},
);
