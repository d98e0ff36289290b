import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { BinaryStream } from '../upload/io/streams';

/**
 * The one path by which every X request of the node leaves n8n.
 *
 * - picks the credential from the node's `authentication` parameter and signs through
 *   `httpRequestWithAuthentication` (n8n does the OAuth 1.0a / OAuth 2.0 work);
 * - builds every URL from the credential's `apiBaseUrl`;
 * - retries what is safe to retry under one bounded policy (network errors, 5xx, 429 after the
 *   reset X gives), rebuilding single-use bodies (FormData) for every try;
 * - turns every failure into a NodeApiError that carries X's own words, the HTTP status and a hint,
 *   and never a token, secret or Authorization header.
 */

export type XAuthentication = 'oAuth2' | 'oAuth1';

export const CREDENTIAL_TYPES: Record<XAuthentication, string> = {
	oAuth2: 'xOAuth2Api',
	oAuth1: 'xOAuth1Api',
};

export const DEFAULT_API_BASE_URL = 'https://api.x.com';

/** What X endpoint a request is for: used in messages, hints and retry decisions. */
export type XEndpoint =
	| 'upload'
	| 'initialize'
	| 'append'
	| 'finalize'
	| 'status'
	| 'metadata'
	| 'subtitles'
	| 'tweets'
	| 'usersMe'
	| 'dmMessages'
	| 'mediaLookup';

const ENDPOINT_LABELS: Record<XEndpoint, string> = {
	upload: 'media upload',
	initialize: 'upload initialize',
	append: 'upload append',
	finalize: 'upload finalize',
	status: 'upload status',
	metadata: 'media metadata',
	subtitles: 'media subtitles',
	tweets: 'create post',
	usersMe: 'get user',
	dmMessages: 'send Direct Message',
	mediaLookup: 'media lookup',
};

export interface RetryPolicy {
	/** Tries in all, the first included. */
	maxAttempts: number;
	/** First backoff wait; doubles each try (with jitter). */
	baseDelayMs: number;
	/** Longest single backoff wait. */
	maxDelayMs: number;
	/** Longest wait for a rate-limit reset that X announces; beyond it the 429 is reported at once. */
	maxRateLimitWaitMs: number;
	/** Bound on all waiting done for one request. */
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	maxRateLimitWaitMs: 5 * 60_000,
	maxTotalWaitMs: 6 * 60_000,
};

export interface XRequest {
	method: IHttpRequestMethods;
	/** Path under the API base URL, e.g. `/2/media/upload/initialize`. */
	path: string;
	endpoint: XEndpoint;
	qs?: IDataObject;
	/** A JSON body. */
	json?: IDataObject;
	/** A multipart body, built anew for every try (FormData and stream bodies can be sent once only). */
	multipart?: () => FormData | BinaryStream;
	/** Index of the input item, for error messages. */
	itemIndex?: number;
	/** Per-request change to the retry policy. */
	retry?: Partial<RetryPolicy>;
	/** Statuses the caller handles itself: they are returned, not retried or thrown. */
	passStatuses?: number[];
	/** Per-try timeout. */
	timeoutMs?: number;
	/**
	 * False for requests that must not be sent twice (creating a post): only failures where X
	 * surely did nothing are retried (429, 503, a refused connection).
	 */
	idempotent?: boolean;
}

export interface XResponse<T = IDataObject> {
	statusCode: number;
	body: T;
	headers: Record<string, string>;
	/** How many tries it took (1 = first try). */
	attempts: number;
}

/** Counts of what the client did, for the output and for benchmarks. */
export interface XClientStats {
	requests: number;
	retries: number;
}

/** A failure of one try, with nothing in it that could carry a secret. */
export interface TryFailure {
	statusCode?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Network error code (ECONNRESET…), when there was no HTTP answer. */
	networkCode?: string;
	networkMessage?: string;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

export class XApiClient {
	readonly stats: XClientStats = { requests: 0, retries: 0 };

	private constructor(
		private readonly ctx: IExecuteFunctions,
		readonly authentication: XAuthentication,
		readonly credentialType: string,
		readonly baseUrl: string,
		private readonly policy: RetryPolicy,
	) {}

	/** Reads the `authentication` parameter and the credential's `apiBaseUrl` once per execution. */
	static async create(ctx: IExecuteFunctions, policy: Partial<RetryPolicy> = {}): Promise<XApiClient> {
		const authentication = ctx.getNodeParameter('authentication', 0, 'oAuth2') as XAuthentication;
		const credentialType = CREDENTIAL_TYPES[authentication];
		if (!credentialType) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Unknown authentication "${String(authentication)}"`,
				{ description: 'Choose "OAuth2" or "OAuth1" in the node\'s Authentication field.' },
			);
		}
		if (!ctx.getNode().credentials?.[credentialType]) {
			const display = authentication === 'oAuth1' ? 'X OAuth1 API' : 'X OAuth2 API';
			throw new NodeOperationError(ctx.getNode(), `No ${display} credential is selected`, {
				description: `The node's Authentication is set to ${authentication === 'oAuth1' ? 'OAuth1' : 'OAuth2'}: choose an ${display} credential in the node (or create one), or switch Authentication to the credential you have.`,
			});
		}
		const credentials = await ctx.getCredentials(credentialType);
		const baseUrl = normaliseBaseUrl(credentials.apiBaseUrl);
		if (!baseUrl) {
			throw new NodeOperationError(ctx.getNode(), 'The credential\'s API Base URL is not a valid URL', {
				description: `Set "API Base URL" in the X credential to ${DEFAULT_API_BASE_URL} (or to the address of an X API-compatible proxy or emulator).`,
			});
		}
		return new XApiClient(ctx, authentication, credentialType, baseUrl, {
			...DEFAULT_RETRY_POLICY,
			...policy,
		});
	}

	get node() {
		return this.ctx.getNode();
	}

	/** An answer X should not give (no `data`, no id): reported with what X did send. */
	unexpectedAnswer(req: Pick<XRequest, 'endpoint' | 'itemIndex'>, response: XResponse<unknown>, missing: string): NodeApiError {
		const words = xErrorWords(response.body);
		const shown =
			typeof response.body === 'string'
				? truncate(response.body.replace(/\s+/g, ' '), 200)
				: truncate(JSON.stringify(response.body ?? null), 300);
		return new NodeApiError(
			this.ctx.getNode(),
			{ httpCode: String(response.statusCode), x: sanitiseBody(response.body) } as JsonObject,
			{
				message: `X's answer to the ${ENDPOINT_LABELS[req.endpoint]} request has no ${missing}${words ? `: ${words}` : ''}`,
				description: `HTTP ${response.statusCode}; X sent: ${shown}. Nothing was assumed from it.${
					req.endpoint === 'tweets'
						? ' X answered with success, so the post may exist: check the account before you run the workflow again, to avoid a duplicate post.'
						: req.endpoint === 'dmMessages' && response.statusCode >= 200 && response.statusCode < 300
							? ' X answered with success, so the message may have been sent: check the conversation before you run the workflow again, to avoid sending it twice.'
							: ''
				} If this repeats, check the credential's API Base URL (${this.baseUrl}).`,
				httpCode: String(response.statusCode),
				itemIndex: req.itemIndex,
			},
		);
	}

	isCancelled(): boolean {
		return this.ctx.getExecutionCancelSignal?.()?.aborted === true;
	}

	/** Sends one request to X, retrying under the policy; throws a NodeApiError when it fails. */
	async request<T = IDataObject>(req: XRequest): Promise<XResponse<T>> {
		const policy = { ...this.policy, ...req.retry };
		let waitedMs = 0;
		for (let attempt = 1; ; attempt++) {
			this.throwIfCancelled(req);
			this.stats.requests++;
			let failure: TryFailure;
			try {
				const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					this.credentialType,
					this.buildOptions(req),
				)) as { statusCode: number; body: unknown; headers: Record<string, unknown> };
				return {
					statusCode: response.statusCode,
					body: parseBody(response.body) as T,
					headers: normaliseHeaders(response.headers),
					attempts: attempt,
				};
			} catch (error) {
				failure = describeFailure(error);
			}
			if (failure.statusCode !== undefined && req.passStatuses?.includes(failure.statusCode)) {
				return {
					statusCode: failure.statusCode,
					body: failure.body as T,
					headers: failure.headers,
					attempts: attempt,
				};
			}
			const waitMs = this.retryDelay(failure, attempt, policy, req);
			if (waitMs === undefined || attempt >= policy.maxAttempts || waitedMs + waitMs > policy.maxTotalWaitMs) {
				throw this.toNodeApiError(failure, req, attempt);
			}
			this.stats.retries++;
			waitedMs += waitMs;
			await this.wait(waitMs, req);
		}
	}

	/** Waits in short slices so that a cancelled execution stops promptly. */
	async wait(ms: number, req?: Pick<XRequest, 'itemIndex' | 'endpoint'>): Promise<void> {
		const until = Date.now() + ms;
		for (;;) {
			this.throwIfCancelled(req);
			const left = until - Date.now();
			if (left <= 0) return;
			await sleep(Math.min(left, 200));
		}
	}

	throwIfCancelled(req?: Pick<XRequest, 'itemIndex' | 'endpoint'>): void {
		if (this.isCancelled()) {
			throw new NodeOperationError(this.ctx.getNode(), 'The execution was cancelled', {
				description: req ? `Stopped before the ${ENDPOINT_LABELS[req.endpoint]} request to X.` : undefined,
				itemIndex: req?.itemIndex,
			});
		}
	}

	private buildOptions(req: XRequest): IHttpRequestOptions {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: `${this.baseUrl}${req.path}`,
			json: true,
			returnFullResponse: true,
			// n8n must not follow redirects: a redirect to another host would carry the credential.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		if (req.qs && Object.keys(req.qs).length > 0) options.qs = req.qs;
		if (req.json !== undefined) options.body = req.json;
		if (req.multipart) options.body = req.multipart() as unknown as IHttpRequestOptions['body'];
		if (req.timeoutMs) options.timeout = req.timeoutMs;
		return options;
	}

	/** How long to wait before the next try, or undefined when the failure must not be retried. */
	private retryDelay(
		failure: TryFailure,
		attempt: number,
		policy: RetryPolicy,
		req: XRequest,
	): number | undefined {
		const status = failure.statusCode;
		if (req.idempotent === false && !(status === 429 || status === 503 || failure.networkCode === 'ECONNREFUSED')) {
			return undefined;
		}
		if (status === 429) {
			const resetWait = rateLimitWaitMs(failure.headers);
			if (resetWait === undefined) return backoffMs(attempt, policy);
			return resetWait <= policy.maxRateLimitWaitMs ? resetWait : undefined;
		}
		if (status !== undefined && RETRYABLE_STATUSES.has(status)) {
			const retryAfter = rateLimitWaitMs(failure.headers);
			return Math.max(backoffMs(attempt, policy), Math.min(retryAfter ?? 0, policy.maxDelayMs));
		}
		// OAuth 2.0: n8n refreshes an expired token on 401 but does not resend a multipart body;
		// one more try sends it with the new token.
		if (status === 401 && this.authentication === 'oAuth2' && req.multipart && attempt === 1) return 0;
		if (status === undefined && failure.networkCode && RETRYABLE_NETWORK_CODES.has(failure.networkCode)) {
			return backoffMs(attempt, policy);
		}
		return undefined;
	}

	/** Builds the error a person sees: X's words, the status, what to do. */
	toNodeApiError(failure: TryFailure, req: XRequest, attempts: number): NodeApiError {
		const label = ENDPOINT_LABELS[req.endpoint];
		const status = failure.statusCode;
		const tries = attempts > 1 ? ` after ${attempts} tries` : '';
		if (status === undefined && failure.networkCode === 'UNKNOWN' && /oauth|token|credential/i.test(failure.networkMessage ?? '')) {
			// Not the network: n8n could not sign the request (an expired OAuth 2.0 token without a
			// refresh token, a credential that lost its tokens). n8n's own words say which.
			const reason = (failure.networkMessage ?? '').replace(/\.?\s*$/, '.');
			const which = this.authentication === 'oAuth2' ? 'X OAuth2 API' : 'X OAuth1 API';
			return new NodeApiError(this.ctx.getNode(), { credentialError: true } as JsonObject, {
				message: `n8n could not authorize the ${label} request with the ${which} credential`,
				description: `${reason} Open the ${which} credential and connect it again (Connect my account); nothing was sent to X.`,
				itemIndex: req.itemIndex,
			});
		}
		if (status === undefined) {
			const code = failure.networkCode ?? 'NETWORK_ERROR';
			// The network code stays out of the message and of the error object: n8n would replace a
			// message that names one (ECONNRESET…) by its own generic text.
			const message = `Could not reach X for the ${label} request${tries}`;
			const reason = (failure.networkMessage ?? 'The connection failed').replace(/\.?\s*$/, '.');
			const retried =
				req.idempotent === false
					? 'This request is not retried after a lost connection, because X may have done it already: check the account before you run the workflow again.'
					: `The node tried ${attempts} time${attempts === 1 ? '' : 's'}.`;
			return new NodeApiError(this.ctx.getNode(), { networkError: code } as JsonObject, {
				message,
				description: `${reason} (${code}) ${retried} Check the network and the credential's API Base URL (${this.baseUrl}).`,
				itemIndex: req.itemIndex,
				failure: { cause: 'temporarily-unavailable' },
			});
		}
		const words = xErrorWords(failure.body);
		const said = words ? `: ${words}` : '';
		let message = `X refused the ${label} request (HTTP ${status})${said}`;
		let hint: string;
		let cause: 'rate-limited' | 'credential-invalid' | 'configuration-invalid' | 'temporarily-unavailable' | undefined;
		let resetsAtEpochMs: number | undefined;
		const isMedia = req.endpoint !== 'tweets' && req.endpoint !== 'usersMe' && req.endpoint !== 'dmMessages';
		if (status === 401) {
			cause = 'credential-invalid';
			hint =
				this.authentication === 'oAuth1'
					? 'X did not accept the OAuth 1.0a signature or token. Check the Consumer Key and Secret of the X OAuth1 credential, and reconnect it so that the access token belongs to this app.'
					: 'X did not accept the OAuth 2.0 token (expired or revoked). Reconnect the X OAuth2 credential.';
		} else if (status === 403 && req.endpoint === 'dmMessages') {
			cause = 'credential-invalid';
			hint =
				this.authentication === 'oAuth2'
					? 'The token lacks the dm.write scope (Direct Messages also need tweet.read and users.read), or the X app may not send Direct Messages. Add "dm.read dm.write" to the X OAuth2 credential\'s Scope, then reconnect the credential.'
					: 'The X app lacks the Direct Message permission. In the X developer portal set the app\'s permissions to "Read and write and Direct message", then reconnect the X OAuth1 credential to get a new access token.';
		} else if (status === 403 && req.endpoint === 'usersMe') {
			cause = 'credential-invalid';
			hint =
				this.authentication === 'oAuth2'
					? 'The token lacks the users.read or tweet.read scope. Add them to the X OAuth2 credential\'s Scope, then reconnect the credential.'
					: 'X refused to say which account the credential belongs to. Reconnect the X OAuth1 credential.';
		} else if (status === 403 && req.endpoint === 'mediaLookup') {
			// GET /2/media and /2/media/{media_key} need tweet.read (spec 2.167), not media.write.
			cause = 'credential-invalid';
			hint =
				this.authentication === 'oAuth2'
					? 'The token lacks the tweet.read scope, or the media is not visible to this account. Make sure the X OAuth2 credential\'s Scope includes tweet.read, then reconnect the credential.'
					: 'X refused to show this media to the account of the X OAuth1 credential: it may not be visible to it. Reconnect the credential if its access was revoked.';
		} else if (status === 403 && isMedia) {
			cause = 'credential-invalid';
			hint =
				this.authentication === 'oAuth2'
					? 'The token lacks the media.write scope, or the X app is read-only. Make sure the credential\'s Scope includes media.write, give the app "Read and write" permissions in the X developer portal, then reconnect the credential.'
					: 'The X app is read-only or not allowed to upload media. Give the app "Read and write" permissions in the X developer portal, then reconnect the credential to get a new access token.';
		} else if (status === 403) {
			hint =
				'X refused the post. Common causes: the app is read-only or the token lacks tweet.write (posting needs tweet.write, tweet.read and users.read; reconnect after fixing), a duplicate post, a reply the author did not invite, or a video longer than the account may post.';
		} else if (status === 429) {
			cause = 'rate-limited';
			const waitMs = rateLimitWaitMs(failure.headers);
			resetsAtEpochMs = waitMs !== undefined ? Date.now() + waitMs : undefined;
			message = `X rate limit reached for the ${label} request (HTTP 429)${said}`;
			hint =
				resetsAtEpochMs !== undefined
					? `The limit resets at ${new Date(resetsAtEpochMs).toISOString()} (in ${Math.ceil((waitMs ?? 0) / 1000)} s). Run the workflow again after that, or space out the runs.`
					: 'X did not say when the limit resets; X\'s windows are 15 minutes long. Run the workflow again later.';
		} else if (status >= 500) {
			cause = 'temporarily-unavailable';
			message = `X had a server error on the ${label} request (HTTP ${status})${tries}${said}`;
			hint = 'This is on X\'s side; the node retried it. Run the workflow again later.';
		} else if (status === 413 || status === 431) {
			hint = 'The request was too large for X. Use a smaller Chunk Size (MiB) in the node\'s options.';
		} else if (status === 404 && isMedia) {
			hint = 'X does not know this media: the id or key is wrong, belongs to another account, or the upload expired.';
		} else if (status === 400 && req.endpoint === 'dmMessages') {
			cause = 'configuration-invalid';
			hint =
				'Check the message: DM media must be uploaded by the sending account with a dm_image, dm_gif or dm_video category, be fully processed and not expired (24 hours), and be marked Shared to be sent in more than one message; the recipient must accept Direct Messages from you.';
		} else if (status === 400 && req.endpoint === 'tweets') {
			cause = 'configuration-invalid';
			hint =
				'Check the post: media must be fully processed, not expired (24 hours), uploaded by this account (or list it as an additional owner), and at most 4 images or 1 GIF or 1 video.';
		} else {
			cause = 'configuration-invalid';
			hint = 'X did not accept the request; its reason is quoted above.';
		}
		const description = [hint, words ? `X said: ${words}` : `X sent no explanation (HTTP ${status}).`].join(' ');
		return new NodeApiError(
			this.ctx.getNode(),
			{ httpCode: String(status), x: sanitiseBody(failure.body) } as JsonObject,
			{
				message: truncate(message, 400),
				description: truncate(description, 2000),
				httpCode: String(status),
				itemIndex: req.itemIndex,
				failure: cause ? { cause, ...(resetsAtEpochMs !== undefined ? { resetsAtEpochMs } : {}) } : undefined,
			},
		);
	}
}

/** X's own words from any of its error shapes: v2 problems, `errors[]`, v1 `{code,message}`, HTML. */
export function xErrorWords(body: unknown): string {
	if (body === undefined || body === null || body === '') return '';
	if (typeof body === 'string') {
		const text = body
			.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		return truncate(text, 300);
	}
	if (typeof body !== 'object') return String(body);
	const b = body as IDataObject;
	const parts: string[] = [];
	const add = (s: unknown) => {
		if (typeof s === 'string' && s.trim() && !parts.includes(s.trim())) parts.push(s.trim());
	};
	if (typeof b.title === 'string' && typeof b.detail === 'string' && b.title !== b.detail) {
		add(`${b.title}: ${b.detail}`);
	} else {
		add(b.detail);
		add(b.title);
	}
	if (Array.isArray(b.errors)) {
		for (const e of b.errors.slice(0, 5)) {
			if (typeof e === 'string') {
				add(e);
				continue;
			}
			const err = (e ?? {}) as IDataObject;
			const code = err.code !== undefined ? ` (code ${String(err.code)})` : '';
			// v1 `{message, code}`, or a v2 Problem (`type`, `title`, `detail`) as the spec's `errors[]` holds them.
			const problem =
				typeof err.title === 'string' && typeof err.detail === 'string' && err.title !== err.detail ? `${err.title}: ${err.detail}` : undefined;
			const msg = err.message ?? problem ?? err.detail ?? err.title;
			if (typeof msg === 'string') add(`${msg}${code}`);
		}
	}
	if (typeof b.message === 'string') add(b.code !== undefined ? `${b.message} (code ${String(b.code)})` : b.message);
	if (typeof b.error === 'string') add(b.error);
	if (b.error && typeof b.error === 'object') add((b.error as IDataObject).message);
	return truncate(parts.join('; '), 600);
}

/** Reads what a thrown error from n8n's request helpers says about the try, dropping the rest. */
function describeFailure(error: unknown): TryFailure {
	const err = (error ?? {}) as { cause?: unknown; response?: unknown; code?: unknown; message?: unknown; httpCode?: unknown };
	const candidates = [err, err.cause as typeof err | undefined].filter(Boolean) as Array<typeof err>;
	for (const c of candidates) {
		const response = c.response as { status?: number; data?: unknown; headers?: Record<string, unknown> } | undefined;
		if (response && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				body: parseBody(response.data),
				headers: normaliseHeaders(response.headers ?? {}),
			};
		}
	}
	for (const c of candidates) {
		if (typeof c.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(c.code)) {
			return { headers: {}, networkCode: c.code, networkMessage: safeNetworkMessage(c.message) };
		}
	}
	const httpCode = Number(err.httpCode);
	if (Number.isInteger(httpCode) && httpCode >= 100) return { statusCode: httpCode, headers: {} };
	const message = safeNetworkMessage(err.message);
	return { headers: {}, networkCode: 'UNKNOWN', networkMessage: message };
}

function safeNetworkMessage(message: unknown): string {
	// Network messages name hosts and ports, never credentials; still, cut anything that looks like a header.
	const text = typeof message === 'string' ? message : 'The connection failed';
	return truncate(text.replace(/(authorization|oauth_[a-z_]+|bearer)\S*/gi, '[redacted]'), 300);
}

export function parseBody(data: unknown): unknown {
	if (data === undefined || data === null) return data;
	let value = data;
	if (typeof Buffer !== 'undefined' && Buffer.isBuffer(value)) value = value.toString('utf8');
	if (value instanceof ArrayBuffer) value = Buffer.from(value).toString('utf8');
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed === '') return '';
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return JSON.parse(trimmed) as unknown;
			} catch {
				return value;
			}
		}
	}
	return value;
}

function normaliseHeaders(headers: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {})) {
		if (v === undefined || v === null) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

/** Milliseconds until X says to try again (`retry-after`, else `x-rate-limit-reset`), if it says. */
export function rateLimitWaitMs(headers: Record<string, string>, now = Date.now()): number | undefined {
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined) {
		const secs = Number(retryAfter);
		if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1000);
		const at = Date.parse(retryAfter);
		if (!Number.isNaN(at)) return Math.max(0, at - now);
	}
	const reset = Number(headers['x-rate-limit-reset']);
	if (headers['x-rate-limit-reset'] !== undefined && Number.isFinite(reset) && reset > 0) {
		// Epoch seconds; a small margin for clock skew between X and this machine.
		return Math.max(0, reset * 1000 - now) + 250;
	}
	return undefined;
}

function backoffMs(attempt: number, policy: RetryPolicy): number {
	const exp = policy.baseDelayMs * 2 ** (attempt - 1);
	const jitter = 0.75 + Math.random() * 0.5;
	return Math.min(policy.maxDelayMs, Math.round(exp * jitter));
}

function normaliseBaseUrl(value: unknown): string | undefined {
	const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_API_BASE_URL;
	if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(raw)) return undefined;
	return raw.replace(/\/+$/, '');
}

/** Keeps X's answer for the error object, small and without anything that is not X's words. */
function sanitiseBody(body: unknown): unknown {
	if (typeof body === 'string') return truncate(body, 1000);
	if (body && typeof body === 'object') {
		const text = JSON.stringify(body);
		return text.length > 4000 ? truncate(text, 4000) : body;
	}
	return body ?? null;
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
