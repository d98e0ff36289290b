/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The X API emulator: a node:http server on 127.0.0.1 with routing, authentication, request
 * recording, faults, latency and rate-limit headers, plus the /__emulator control API.
 */
import { mkdtempSync, mkdirSync, rmSync, createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { BodyReader, LinkShaper } from './body';
import * as endpoints from './endpoints';
import type { EmulatorCore, HandlerResult, RequestContext } from './endpoints';
import { checkFaultSpec, FaultRegistry } from './faults';
import { MediaStore } from './mediaStore';
import { NonceStore, verifyOAuth1 } from './oauth1';
import { lookupBearerToken, missingScopes, parseBearer } from './oauth2';
import {
	forbidden,
	genericStatus,
	invalidRequest,
	notFoundRoute,
	oauth1PermissionsForbidden,
	tooManyRequests,
	unauthorized,
	unsupportedAuthentication,
	type ErrorResponse,
} from './problems';
import { operationSecurity, validatePathParams, validateQuery } from './schema';
import { oauth1Credentials, oauth1Tokens, oauth2RefreshTokenInfo } from './testCredentials';
import type { OAuth2TokenInfo } from './testCredentials';
import type {
	AppendConcurrency,
	AuthResult,
	EmulatorOptions,
	EndpointName,
	FaultSpec,
	MediaRecord,
	PostRecord,
	DirectMessageRecord,
	ProcessingSpec,
	RecordedRequest,
} from './types';

interface Route {
	endpoint: EndpointName;
	method: string;
	re: RegExp;
	specPath: string;
	params: string[];
	handler: (ctx: RequestContext) => Promise<HandlerResult>;
}

const ROUTES: Route[] = [
	{ endpoint: 'initialize', method: 'POST', re: /^\/2\/media\/upload\/initialize$/, specPath: '/2/media/upload/initialize', params: [], handler: endpoints.initialize },
	{ endpoint: 'append', method: 'POST', re: /^\/2\/media\/upload\/([^/]+)\/append$/, specPath: '/2/media/upload/{id}/append', params: ['id'], handler: endpoints.append },
	{ endpoint: 'finalize', method: 'POST', re: /^\/2\/media\/upload\/([^/]+)\/finalize$/, specPath: '/2/media/upload/{id}/finalize', params: ['id'], handler: endpoints.finalize },
	{ endpoint: 'upload', method: 'POST', re: /^\/2\/media\/upload$/, specPath: '/2/media/upload', params: [], handler: endpoints.upload },
	{ endpoint: 'status', method: 'GET', re: /^\/2\/media\/upload$/, specPath: '/2/media/upload', params: [], handler: endpoints.status },
	{ endpoint: 'metadata', method: 'POST', re: /^\/2\/media\/metadata$/, specPath: '/2/media/metadata', params: [], handler: endpoints.metadata },
	{ endpoint: 'subtitles', method: 'POST', re: /^\/2\/media\/subtitles$/, specPath: '/2/media/subtitles', params: [], handler: endpoints.subtitles },
	{ endpoint: 'subtitles', method: 'DELETE', re: /^\/2\/media\/subtitles$/, specPath: '/2/media/subtitles', params: [], handler: endpoints.subtitles },
	{ endpoint: 'tweets', method: 'POST', re: /^\/2\/tweets$/, specPath: '/2/tweets', params: [], handler: endpoints.tweets },
	{ endpoint: 'dmMessages', method: 'POST', re: /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/, specPath: '/2/dm_conversations/with/{participant_id}/messages', params: ['participant_id'], handler: endpoints.directMessage },
	{ endpoint: 'dmMessages', method: 'POST', re: /^\/2\/dm_conversations\/([^/]+)\/messages$/, specPath: '/2/dm_conversations/{dm_conversation_id}/messages', params: ['dm_conversation_id'], handler: endpoints.directMessage },
	{ endpoint: 'usersMe', method: 'GET', re: /^\/2\/users\/me$/, specPath: '/2/users/me', params: [], handler: endpoints.usersMe },
	{ endpoint: 'mediaLookup', method: 'GET', re: /^\/2\/media$/, specPath: '/2/media', params: [], handler: endpoints.mediaLookup },
	{ endpoint: 'mediaLookup', method: 'GET', re: /^\/2\/media\/([^/]+)$/, specPath: '/2/media/{media_key}', params: ['media_key'], handler: endpoints.mediaLookup },
];

/** X's published per-user limits per 15-minute window (docs:/x-api/fundamentals/rate-limits); mediaLookup and usersMe: emulator choice. */
export const RATE_LIMITS: Record<EndpointName, number> = {
	upload: 500,
	status: 1000,
	initialize: 1875,
	append: 1875,
	finalize: 1875,
	metadata: 500,
	subtitles: 100,
	tweets: 100,
	usersMe: 75,
	dmMessages: 200,
	mediaLookup: 300,
};
const WINDOW_MS = 15 * 60 * 1000;

const FIRST_ID = BigInt('1880028106020515840');

function now(): number {
	return performance.timeOrigin + performance.now();
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function queryOf(url: URL): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const [k, v] of url.searchParams) (out[k] ??= []).push(v);
	return out;
}

function flatQuery(q: Record<string, string[]>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of Object.entries(q)) out[k] = v.length === 1 ? v[0] : v;
	return out;
}

export class XApiEmulator {
	private opts: EmulatorOptions;
	private server: Server | undefined;
	private url = '';
	private readonly storageRoot: string;
	private readonly ownsStorage: boolean;
	private readonly store: MediaStore;
	private readonly faults = new FaultRegistry();
	private readonly nonces = new NonceStore();
	private recorded: RecordedRequest[] = [];
	/** Access tokens issued by `POST /2/oauth2/token` (refresh), and tokens made to expire by a test. */
	private issuedTokens = new Map<string, OAuth2TokenInfo>();
	private expiredTokens = new Set<string>();
	private tokenCounter = 0;
	private postList: PostRecord[] = [];
	private dmList: DirectMessageRecord[] = [];
	private seq = 0;
	private idCounter = FIRST_ID;
	private sockets = new Set<Socket>();
	private appendInFlight = 0;
	private appendInFlightByMedia: Record<string, number> = {};
	private stats: AppendConcurrency = { maxInFlight: 0, maxInFlightByMedia: {} };
	private rateBuckets = new Map<string, { start: number; used: number }>();
	private readonly core: EmulatorCore;
	/** EmulatorOptions.bandwidthMbps: one shaped link for all request bodies. */
	private readonly link = new LinkShaper(() => this.opts.bandwidthMbps);

	constructor(opts: EmulatorOptions = {}) {
		this.opts = { ...opts };
		if (opts.storageDir) {
			mkdirSync(opts.storageDir, { recursive: true });
			this.storageRoot = mkdtempSync(path.join(opts.storageDir, 'x-emulator-'));
		} else {
			this.storageRoot = mkdtempSync(path.join(tmpdir(), 'x-emulator-'));
		}
		this.ownsStorage = true;
		this.store = new MediaStore(
			this.storageRoot,
			() => this.nextId(),
			() => ({
				checkAfterSecs: this.opts.checkAfterSecs ?? 1,
				steps: this.opts.processingSteps ?? 2,
				enforceCheckAfter: this.opts.enforceCheckAfter ?? false,
			}),
		);
		this.store.sink = opts.sink === true;
		this.core = {
			store: this.store,
			posts: this.postList,
			directMessages: this.dmList,
			nextId: () => this.nextId(),
			isPremium: (userId: string) => endpoints.isPremiumAccount(this.accountOf(userId)),
			accountOf: (userId: string) => this.accountOf(userId),
		};
	}

	get baseUrl(): string {
		return this.url;
	}

	/** What X says of a user's account: `accountTiers`, else Premium (blue) for `premiumUserIds`, else None/none. */
	accountOf(userId: string): { subscription_type: string; verified_type: string } {
		const set = this.opts.accountTiers?.[userId];
		const premium = (this.opts.premiumUserIds ?? []).includes(userId);
		return {
			subscription_type: set?.subscription_type ?? (premium ? 'Premium' : 'None'),
			verified_type: set?.verified_type ?? (premium ? 'blue' : 'none'),
		};
	}

	/** Where segments and reassembled files are kept. */
	get storageDir(): string {
		return this.storageRoot;
	}

	async start(): Promise<string> {
		if (this.server) return this.url;
		const server = createServer({ requestTimeout: 0, keepAliveTimeout: 5000 }, (req, res) => {
			this.handle(req, res).catch((e) => this.internalError(res, e));
		});
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		server.on('clientError', (err, socket) => {
			// Node answers 431/400 itself for oversized or malformed heads.
			if (!socket.destroyed) {
				const code = (err as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
				socket.end(`HTTP/1.1 ${code} ${code === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
			}
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
		});
		const addr = server.address();
		if (!addr || typeof addr === 'string') throw new Error('emulator: no address');
		this.server = server;
		this.url = `http://127.0.0.1:${addr.port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server) {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			for (const s of this.sockets) s.destroy();
			await closed;
		}
		if (this.ownsStorage) rmSync(this.storageRoot, { recursive: true, force: true });
	}

	/** Forgets media (and their files), posts, recorded requests, faults, processing settings, nonces and stats. Ids keep increasing. */
	reset(): void {
		this.store.reset();
		this.postList.length = 0;
		this.dmList.length = 0;
		this.recorded = [];
		this.faults.reset();
		this.nonces.clear();
		this.stats = { maxInFlight: 0, maxInFlightByMedia: {} };
		this.rateBuckets.clear();
		this.issuedTokens.clear();
		this.expiredTokens.clear();
	}

	/** Test hook: an access token stops working (401), as X's 2-hour tokens do. */
	expireAccessToken(token: string): void {
		this.expiredTokens.add(token);
	}

	/** Access tokens issued by refreshes so far. */
	issuedAccessTokens(): string[] {
		return [...this.issuedTokens.keys()];
	}

	/**
	 * `POST /2/oauth2/token` with `grant_type=refresh_token` (form-urlencoded, as X documents it):
	 * issues a new access token for the refresh token's user and scopes.
	 */
	private async oauth2Token(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, body: BodyReader): Promise<void> {
		const form = new URLSearchParams((await body.buffer(64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8'));
		const send = (status: number, payload: unknown) => {
			rec.responseBody = status === 200 ? { token_type: 'bearer' } : payload;
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(payload));
		};
		if (form.get('grant_type') !== 'refresh_token') {
			send(400, { error: 'invalid_request', error_description: 'Value passed for the grant type was invalid.' });
			return;
		}
		const info = oauth2RefreshTokenInfo[form.get('refresh_token') ?? ''];
		if (!info) {
			send(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
			return;
		}
		const accessToken = `refreshed-${++this.tokenCounter}-${randomBytes(24).toString('base64url')}`;
		this.issuedTokens.set(accessToken, info);
		send(200, { token_type: 'bearer', expires_in: 7200, access_token: accessToken, scope: info.scopes.join(' '), refresh_token: form.get('refresh_token') });
	}

	addFault(f: FaultSpec): void {
		this.faults.add(f);
	}

	faultsList(): Array<FaultSpec & { seen: number; fired: number; holdUntil?: number }> {
		return this.faults.list();
	}

	setProcessing(p: ProcessingSpec): void {
		this.store.setProcessing(p);
	}

	setOptions(o: Partial<EmulatorOptions>): void {
		const { port: _port, storageDir: _dir, ...rest } = o;
		void _port;
		void _dir;
		this.opts = { ...this.opts, ...rest };
		if (rest.sink !== undefined) this.store.sink = rest.sink === true;
	}

	options(): EmulatorOptions {
		return { ...this.opts };
	}

	requests(filter?: { endpoint?: EndpointName }): RecordedRequest[] {
		const list = filter?.endpoint ? this.recorded.filter((r) => r.endpoint === filter.endpoint) : this.recorded;
		return list.map((r) => ({ ...r }));
	}

	media(id: string): MediaRecord | undefined {
		const m = this.store.get(id);
		return m ? structuredClone(m) : undefined;
	}

	allMedia(): MediaRecord[] {
		return this.store.all().map((m) => structuredClone(m));
	}

	mediaBytes(id: string): Buffer {
		return this.store.bytes(id);
	}

	mediaSha256(id: string): string | undefined {
		return this.store.get(id)?.sha256;
	}

	/** Test hook: make a media id expire now. */
	expireMedia(id: string): boolean {
		return this.store.expire(id);
	}

	posts(): PostRecord[] {
		return this.postList.map((p) => structuredClone(p));
	}

	/**
	 * Test hook: a post that exists before the test (for example someone else's, to reply to).
	 * Its `auth_scheme` is oauth2 and its body only the text.
	 */
	addPost(post: { author_id: string; text: string }): PostRecord {
		const id = this.nextId();
		const record: PostRecord = {
			id,
			author_id: post.author_id,
			text: post.text,
			returned_text: post.text,
			media_ids: [],
			tagged_user_ids: [],
			conversation_id: id,
			body: { text: post.text },
			auth_scheme: 'oauth2',
			createdAt: Date.now(),
		};
		this.postList.push(record);
		return structuredClone(record);
	}

	/** Direct Messages sent so far. */
	directMessages(): DirectMessageRecord[] {
		return this.dmList.map((m) => structuredClone(m));
	}

	appendConcurrency(): AppendConcurrency {
		return { maxInFlight: this.stats.maxInFlight, maxInFlightByMedia: { ...this.stats.maxInFlightByMedia } };
	}

	private nextId(): string {
		const id = this.idCounter.toString();
		this.idCounter += BigInt(1);
		return id;
	}

	// -------------------------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (url.pathname === '/__emulator' || url.pathname.startsWith('/__emulator/')) {
			await this.control(req, res, url);
			return;
		}
		const method = (req.method ?? 'GET').toUpperCase();
		let route: Route | undefined;
		let match: RegExpExecArray | null = null;
		for (const r of ROUTES) {
			if (r.method !== method) continue;
			match = r.re.exec(url.pathname);
			if (match) {
				route = r;
				break;
			}
		}
		const query = queryOf(url);
		const rec: RecordedRequest = {
			seq: ++this.seq,
			endpoint: route?.endpoint,
			method,
			path: url.pathname,
			query: flatQuery(query),
			headers: { ...req.headers },
			contentType: req.headers['content-type'],
			bodySize: 0,
			status: 0,
			startedAt: now(),
		};
		this.recorded.push(rec);
		const body = new BodyReader(req, rec, this.link);

		let appendMediaId: string | undefined;
		if (route?.endpoint === 'append') {
			appendMediaId = decodeURIComponent(match![1]);
			this.appendInFlight++;
			this.appendInFlightByMedia[appendMediaId] = (this.appendInFlightByMedia[appendMediaId] ?? 0) + 1;
			this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.appendInFlight);
			this.stats.maxInFlightByMedia[appendMediaId] = Math.max(this.stats.maxInFlightByMedia[appendMediaId] ?? 0, this.appendInFlightByMedia[appendMediaId]);
		}
		res.on('close', () => {
			rec.endedAt = now();
			rec.status = res.headersSent ? res.statusCode : 0;
			if (appendMediaId !== undefined) {
				this.appendInFlight--;
				this.appendInFlightByMedia[appendMediaId]--;
			}
			if (this.opts.log) {
				process.stderr.write(`[x-emulator] ${method} ${req.url} → ${rec.status || 'dropped'} (${Math.round(rec.endedAt - rec.startedAt)} ms)\n`);
			}
		});

		if (!route && method === 'POST' && url.pathname === '/2/oauth2/token') {
			await this.oauth2Token(req, res, rec, body);
			return;
		}
		if (!route) {
			await body.drain();
			this.sendError(res, rec, notFoundRoute());
			return;
		}

		if (this.opts.latencyMs) await sleep(this.opts.latencyMs);

		const firing = this.faults.onRequest(route.endpoint);
		if (firing.delayMs) {
			rec.fault = { kind: 'delay' };
			await sleep(firing.delayMs);
		}
		if (firing.terminal) {
			const f = firing.terminal;
			if (f.drop) {
				rec.fault = { kind: 'drop' };
				await body.readSome();
				req.socket.destroy();
				return;
			}
			await body.drain();
			this.sendFault(res, rec, f);
			return;
		}

		const pathParams: Record<string, string> = {};
		route.params.forEach((name, i) => {
			pathParams[name] = decodeURIComponent(match![i + 1]);
		});

		const auth = await this.authenticate(req, url, route, body);
		rec.auth = auth.result;
		if (auth.error) {
			await body.drain();
			this.sendError(res, rec, auth.error);
			return;
		}

		const rateHeaders = this.rateLimit(route.endpoint, auth.result.userId ?? 'app');
		if (rateHeaders.exceeded) {
			await body.drain();
			this.sendError(res, rec, { ...tooManyRequests(), headers: rateHeaders.headers });
			return;
		}

		const paramErrors = [...validatePathParams(route.specPath, method, pathParams), ...validateQuery(route.specPath, method, query)];
		if (paramErrors.length) {
			await body.drain();
			this.sendError(res, rec, { ...invalidRequest(paramErrors), headers: rateHeaders.headers });
			return;
		}

		const result = await route.handler({ req, rec, body, auth: auth.result, userId: auth.result.userId, query, pathParams, core: this.core });
		if (!body.used) await body.drain();
		this.send(res, rec, result.status, result.body, { ...(rateHeaders.headers ?? {}), ...(result.headers ?? {}) });
	}

	private async authenticate(
		req: IncomingMessage,
		url: URL,
		route: Route,
		body: BodyReader,
	): Promise<{ result: AuthResult; error?: ErrorResponse }> {
		const header = req.headers.authorization;
		const security = operationSecurity(route.specPath, route.method);
		const allows = (scheme: string) => security.some((s) => scheme in s);
		if (!header) return { result: { scheme: 'none', valid: false, reason: 'no Authorization header' }, error: unauthorized() };

		if (/^\s*OAuth\s/i.test(header)) {
			const ct = String(req.headers['content-type'] ?? '').toLowerCase();
			let formBody: string | undefined;
			if (ct.startsWith('application/x-www-form-urlencoded')) formBody = (await body.buffer(1024 * 1024).catch(() => Buffer.alloc(0))).toString('latin1');
			const host = String(req.headers.host ?? '').toLowerCase();
			const v = verifyOAuth1(
				{ method: route.method, url: `http://${host}${req.url}`, authorization: header, formBody },
				{
					consumerSecret: (key) => (key === oauth1Credentials.consumerKey ? oauth1Credentials.consumerSecret : undefined),
					tokenSecret: (token) => oauth1Tokens.find((t) => t.accessToken === token)?.accessTokenSecret,
				},
			);
			if (!v.ok) return { result: { scheme: 'oauth1', valid: false, reason: v.reason }, error: unauthorized() };
			const token = oauth1Tokens.find((t) => t.accessToken === v.token)!;
			const tolerance = this.opts.oauthTimestampToleranceSecs ?? 300;
			if (Math.abs(Date.now() / 1000 - v.timestamp) > tolerance) {
				return { result: { scheme: 'oauth1', userId: token.userId, valid: false, reason: 'oauth_timestamp out of bounds' }, error: unauthorized() };
			}
			if (!this.nonces.use(v.consumerKey, v.token, v.nonce, v.timestamp)) {
				return { result: { scheme: 'oauth1', userId: token.userId, valid: false, reason: 'oauth_nonce reused' }, error: unauthorized() };
			}
			if (!allows('UserToken')) return { result: { scheme: 'oauth1', userId: token.userId, valid: false, reason: 'OAuth 1.0a not accepted here' }, error: forbidden() };
			if (token.permission === 'read' && route.method !== 'GET') {
				return { result: { scheme: 'oauth1', userId: token.userId, valid: false, reason: 'read-only app' }, error: oauth1PermissionsForbidden() };
			}
			if (route.endpoint === 'dmMessages' && token.permission !== 'read-write-dm') {
				return { result: { scheme: 'oauth1', userId: token.userId, valid: false, reason: 'app without Direct Message permission' }, error: oauth1PermissionsForbidden() };
			}
			return { result: { scheme: 'oauth1', userId: token.userId, valid: true } };
		}

		const bearer = parseBearer(header);
		if (bearer !== undefined) {
			const info = this.expiredTokens.has(bearer) ? undefined : (lookupBearerToken(bearer) ?? this.issuedTokens.get(bearer));
			if (!info) return { result: { scheme: 'unknown', valid: false, reason: 'unknown bearer token' }, error: unauthorized() };
			if (info.appOnly) {
				if (!allows('BearerToken')) return { result: { scheme: 'app-only', valid: false, reason: 'app-only token on a user-context endpoint' }, error: unsupportedAuthentication() };
				return { result: { scheme: 'app-only', valid: true } };
			}
			const requirement = security.find((s) => 'OAuth2UserToken' in s);
			if (!requirement) return { result: { scheme: 'oauth2', userId: info.userId, valid: false, reason: 'OAuth 2.0 not accepted here', scopes: info.scopes }, error: forbidden() };
			const missing = missingScopes(info.scopes, requirement.OAuth2UserToken);
			if (missing.length) {
				return { result: { scheme: 'oauth2', userId: info.userId, valid: false, reason: `missing scope ${missing.join(' ')}`, scopes: info.scopes }, error: forbidden() };
			}
			return { result: { scheme: 'oauth2', userId: info.userId, valid: true, scopes: info.scopes } };
		}
		return { result: { scheme: 'unknown', valid: false, reason: 'unsupported Authorization scheme' }, error: unauthorized() };
	}

	private rateLimit(endpoint: EndpointName, who: string): { headers?: Record<string, string>; exceeded: boolean } {
		if (!this.opts.rateLimitHeaders && !this.opts.enforceRateLimits) return { exceeded: false };
		const key = `${who}:${endpoint}`;
		const t = Date.now();
		let b = this.rateBuckets.get(key);
		if (!b || t - b.start >= WINDOW_MS) {
			b = { start: t, used: 0 };
			this.rateBuckets.set(key, b);
		}
		const limit = RATE_LIMITS[endpoint];
		const exceeded = this.opts.enforceRateLimits === true && b.used >= limit;
		if (!exceeded) b.used++;
		const headers = {
			'x-rate-limit-limit': String(limit),
			'x-rate-limit-remaining': String(Math.max(0, limit - b.used)),
			'x-rate-limit-reset': String(Math.ceil((b.start + WINDOW_MS) / 1000)),
		};
		return { headers: this.opts.rateLimitHeaders || exceeded ? headers : undefined, exceeded };
	}

	private sendFault(res: ServerResponse, rec: RecordedRequest, f: FaultSpec): void {
		const status = f.status ?? 503;
		rec.fault = { kind: 'status', status };
		const base = genericStatus(status);
		const headers: Record<string, string> = {};
		if (status === 429) {
			const reset = Math.ceil(Date.now() / 1000 + (f.rateLimitResetInSecs ?? 1));
			headers['x-rate-limit-limit'] = String(rec.endpoint ? RATE_LIMITS[rec.endpoint] : 100);
			headers['x-rate-limit-remaining'] = '0';
			headers['x-rate-limit-reset'] = String(reset);
		}
		if (f.retryAfterSecs !== undefined) headers['retry-after'] = String(f.retryAfterSecs);
		Object.assign(headers, f.headers ?? {});
		this.send(res, rec, status, f.body !== undefined ? f.body : base.body, headers);
	}

	private sendError(res: ServerResponse, rec: RecordedRequest, e: ErrorResponse): void {
		this.send(res, rec, e.status, e.body, e.headers);
	}

	private send(res: ServerResponse, rec: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
		if (res.headersSent || res.destroyed) return;
		let payload = '';
		let type: string | undefined;
		if (typeof body === 'string') {
			payload = body;
			if (body !== '') type = 'text/plain; charset=utf-8';
		} else if (body !== undefined) {
			payload = JSON.stringify(body);
			const problem = typeof body === 'object' && body !== null && 'type' in body && 'title' in body;
			type = problem ? 'application/problem+json' : 'application/json; charset=utf-8';
		}
		const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
		if (type && !lower['content-type']) lower['content-type'] = type;
		lower['content-length'] = String(Buffer.byteLength(payload));
		rec.responseBody = typeof body === 'string' ? body : body === undefined ? undefined : JSON.parse(payload);
		res.writeHead(status, lower);
		res.end(payload);
	}

	private internalError(res: ServerResponse, e: unknown): void {
		// A client that went away in the middle of its body is not an error of the emulator.
		if ((e as Error)?.message === 'aborted' || (e as NodeJS.ErrnoException)?.code === 'ECONNRESET') {
			if (!res.destroyed) res.destroy();
			return;
		}
		process.stderr.write(`[x-emulator] internal error: ${(e as Error)?.stack ?? e}\n`);
		if (!res.headersSent && !res.destroyed) {
			res.writeHead(500, { 'content-type': 'application/problem+json' });
			res.end(JSON.stringify({ title: 'Internal Server Error', detail: `Emulator error: ${(e as Error)?.message}`, type: 'about:blank', status: 500 }));
		}
	}

	// ------------------------------------------------------------------------------------------- control API

	private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = req.method ?? 'GET';
		const parts = url.pathname.split('/').filter(Boolean).slice(1); // after __emulator
		const json = (status: number, body: unknown) => {
			const payload = JSON.stringify(body);
			res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
			res.end(payload);
		};
		const readBody = async (): Promise<unknown> => {
			const chunks: Buffer[] = [];
			for await (const c of req) chunks.push(c as Buffer);
			const text = Buffer.concat(chunks).toString('utf8');
			return text ? JSON.parse(text) : {};
		};
		try {
			const [a, b, c] = parts;
			if (method === 'GET' && (a === undefined || a === 'health')) return json(200, { ok: true, baseUrl: this.url });
			if (method === 'POST' && a === 'reset' && !b) {
				await readBody();
				this.reset();
				return json(200, { ok: true });
			}
			if (method === 'POST' && a === 'faults' && !b) {
				const f = await readBody();
				const problem = checkFaultSpec(f);
				if (problem) return json(400, { error: problem });
				this.addFault(f as FaultSpec);
				return json(200, { ok: true });
			}
			if (method === 'GET' && a === 'faults' && !b) return json(200, this.faultsList());
			if (method === 'DELETE' && a === 'faults' && !b) {
				this.faults.reset();
				return json(200, { ok: true });
			}
			if (method === 'POST' && a === 'processing' && !b) {
				this.setProcessing((await readBody()) as ProcessingSpec);
				return json(200, { ok: true });
			}
			if (method === 'POST' && a === 'options' && !b) {
				this.setOptions((await readBody()) as Partial<EmulatorOptions>);
				return json(200, { ok: true, options: this.options() });
			}
			if (method === 'GET' && a === 'requests' && !b) {
				const endpoint = url.searchParams.get('endpoint') ?? undefined;
				return json(200, this.requests(endpoint ? { endpoint: endpoint as EndpointName } : undefined));
			}
			if (method === 'GET' && a === 'posts' && !b) return json(200, this.posts());
			if (method === 'GET' && a === 'dms' && !b) return json(200, this.directMessages());
			if (method === 'GET' && a === 'stats' && !b) {
				return json(200, {
					baseUrl: this.url,
					requests: this.recorded.length,
					media: this.store.all().length,
					posts: this.postList.length,
					appendConcurrency: this.appendConcurrency(),
				});
			}
			if (a === 'media') {
				if (method === 'GET' && !b) return json(200, this.allMedia());
				const m = b ? this.store.get(b) : undefined;
				if (!m) return json(404, { error: `no media ${b}` });
				if (method === 'GET' && !c) return json(200, this.media(b));
				if (method === 'GET' && c === 'bytes') {
					if (!m.filePath) return json(409, { error: `media ${b} is not finalized` });
					res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(m.size), 'x-sha256': m.sha256 ?? '' });
					createReadStream(m.filePath).pipe(res);
					return;
				}
				if (method === 'POST' && c === 'expire') {
					this.expireMedia(b);
					return json(200, { ok: true });
				}
			}
			return json(404, { error: `unknown control call ${method} ${url.pathname}` });
		} catch (e) {
			return json(400, { error: (e as Error).message });
		}
	}
}

export async function startEmulator(opts?: EmulatorOptions): Promise<XApiEmulator> {
	const emu = new XApiEmulator(opts);
	await emu.start();
	return emu;
}
