import type { Failure, IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HintRow, XAuthentication, XEndpoint } from './endpoints';
import { ACCOUNT_HINTS, ENDPOINTS, hintText } from './endpoints';
import type { TryFailure } from './retryPolicy';
import { problemTypes, rateLimitWaitMs } from './retryPolicy';

/**
 * Reading what X answers when it refuses a request (its error shapes:
 * https://docs.x.com/x-api/fundamentals/response-codes-and-errors), and building the error a person
 * sees: X's own words, the HTTP status and a hint, never a token, secret or Authorization header.
 */

/** Where the error is built: the node, its credential and the API Base URL. */
export interface ErrorScene {
	node: INode;
	authentication: XAuthentication;
	baseUrl: string;
}

/** What the error tells of the request. */
export interface FailedRequest {
	endpoint: XEndpoint;
	/** Index of the input item, for error messages. */
	itemIndex?: number;
	/** False for requests that are not retried after a lost connection. */
	idempotent?: boolean;
}

/** Refusals with the same words on every endpoint (after the endpoint's own hint rows). */
const COMMON_HINTS: readonly HintRow[] = [
	{
		status: 401,
		cause: 'credential-invalid',
		hint: {
			oAuth1:
				'X did not accept the OAuth 1.0a signature or token. Check the Consumer Key and Secret of the X OAuth1 credential, and reconnect it so that the access token belongs to this app.',
			oAuth2: 'X did not accept the OAuth 2.0 token (expired or revoked). Reconnect the X OAuth2 credential.',
		},
	},
	{ status: 413, hint: 'The request was too large for X. Use a smaller Chunk Size (MiB) in the node\'s options.' },
	{ status: 431, hint: 'The request was too large for X. Use a smaller Chunk Size (MiB) in the node\'s options.' },
];

/** Any other refusal. */
const OTHER_REFUSAL: HintRow = {
	status: 0,
	cause: 'configuration-invalid',
	hint: 'X did not accept the request.',
};

/** Builds the error for a request that failed: X's words, the status, what to do. */
export function failureError(scene: ErrorScene, failure: TryFailure, req: FailedRequest, attempts: number): NodeApiError {
	const label = ENDPOINTS[req.endpoint].label;
	const status = failure.statusCode;
	const tries = attempts > 1 ? ` after ${attempts} tries` : '';
	if (status === undefined && failure.networkCode === 'UNKNOWN' && /oauth|token|credential/i.test(failure.networkMessage ?? '')) {
		// Not the network: n8n could not sign the request (an expired OAuth 2.0 token without a
		// refresh token, a credential that lost its tokens). n8n's own words say which.
		const reason = (failure.networkMessage ?? '').replace(/\.?\s*$/, '.');
		const which = scene.authentication === 'oAuth2' ? 'X OAuth2 API' : 'X OAuth1 API';
		return new NodeApiError(scene.node, { credentialError: true } as JsonObject, {
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
		return new NodeApiError(scene.node, { networkError: code } as JsonObject, {
			message,
			description: `${reason} (${code}) ${retried} Check the network and the credential's API Base URL (${scene.baseUrl}).`,
			itemIndex: req.itemIndex,
			failure: { cause: 'temporarily-unavailable' },
		});
	}
	const words = xErrorWords(failure.body);
	const said = words ? `: ${words}` : '';
	let message = `X refused the ${label} request (HTTP ${status})${said}`;
	let hint: string;
	let failureInfo: Failure | undefined;
	const account = accountHint(status, failure.body, words);
	if (account) {
		message = `X refused the ${label} request (HTTP ${status}): ${account.row.says ?? ''}${said ? ` (X said: ${words})` : ''}`;
		hint = hintText(account.row.hint, scene.authentication).replace(/\{(\d)\}/g, (_m, n: string) => account.match?.[Number(n)] ?? '');
		failureInfo = account.row.cause ? ({ cause: account.row.cause } as Failure) : undefined;
	} else if (status === 429) {
		const waitMs = rateLimitWaitMs(failure.headers);
		const resetsAtEpochMs = waitMs !== undefined ? Date.now() + waitMs : undefined;
		failureInfo = { cause: 'rate-limited', ...(resetsAtEpochMs !== undefined ? { resetsAtEpochMs } : {}) };
		message = `X rate limit reached for the ${label} request (HTTP 429)${said}`;
		hint =
			resetsAtEpochMs !== undefined
				? `The limit resets at ${new Date(resetsAtEpochMs).toISOString()} (in ${Math.ceil((waitMs ?? 0) / 1000)} s). Run the workflow again after that, or space out the runs.`
				: 'X did not say when the limit resets; X\'s windows are 15 minutes long. Run the workflow again later.';
	} else if (status >= 500) {
		failureInfo = { cause: 'temporarily-unavailable' };
		message = `X had a server error on the ${label} request (HTTP ${status})${tries}${said}`;
		hint = 'This is on X\'s side; the node retried it. Run the workflow again later.';
	} else {
		const row = hintRow(req.endpoint, status);
		hint = hintText(row.hint, scene.authentication);
		failureInfo = row.cause ? { cause: row.cause } : undefined;
	}
	const description = [hint, reasonSentence(words, failure, status)].join(' ');
	return new NodeApiError(
		scene.node,
		{ httpCode: String(status), x: sanitiseBody(failure.body) } as JsonObject,
		{
			message: truncate(message, 400),
			description: truncate(description, 2000),
			httpCode: String(status),
			itemIndex: req.itemIndex,
			failure: failureInfo,
		},
	);
}

/** An answer about money or the account's tier (endpoints.ts, ACCOUNT_HINTS), with what matched in X's words. */
function accountHint(status: number, body: unknown, words: string): { row: HintRow; match?: RegExpMatchArray } | undefined {
	const types = problemTypes(body);
	for (const row of ACCOUNT_HINTS) {
		if (row.problemType) {
			if (types.some((t) => row.problemType?.test(t))) return { row };
			continue;
		}
		if (row.status !== status) continue;
		if (!row.detail) return { row };
		const match = words.match(row.detail);
		if (match) return { row, match };
	}
	return undefined;
}

/** What X said, or that it said nothing, or that its answer could not be read. */
function reasonSentence(words: string, failure: TryFailure, status: number): string {
	if (words) return `X said: ${words}`;
	if (failure.bodyUnread) return `X's answer could not be read: n8n passed on only its status (HTTP ${status}).`;
	return `X sent no explanation (HTTP ${status}).`;
}

/** The hint for a refusal: the endpoint's own row for the status, else the common one, else the fallback. */
function hintRow(endpoint: XEndpoint, status: number): HintRow {
	const byStatus = (row: HintRow) => row.status === status;
	return ENDPOINTS[endpoint].hints.find(byStatus) ?? COMMON_HINTS.find(byStatus) ?? OTHER_REFUSAL;
}

/** An answer X should not give (no `data`, no id): reported with what X did send. */
export function unexpectedAnswerError(
	scene: ErrorScene,
	req: Pick<FailedRequest, 'endpoint' | 'itemIndex'>,
	response: { statusCode: number; body: unknown },
	missing: string,
): NodeApiError {
	const { label, mayHaveTakenEffect } = ENDPOINTS[req.endpoint];
	const words = xErrorWords(response.body);
	const shown =
		typeof response.body === 'string'
			? truncate(response.body.replace(/\s+/g, ' '), 200)
			: truncate(JSON.stringify(response.body ?? null), 300);
	const success = response.statusCode >= 200 && response.statusCode < 300;
	const effect = mayHaveTakenEffect && (mayHaveTakenEffect.anyStatus || success) ? ` ${mayHaveTakenEffect.text}` : '';
	return new NodeApiError(
		scene.node,
		{ httpCode: String(response.statusCode), x: sanitiseBody(response.body) } as JsonObject,
		{
			message: `X's answer to the ${label} request has no ${missing}${words ? `: ${words}` : ''}`,
			description: `HTTP ${response.statusCode}; X sent: ${shown}. Nothing was assumed from it.${effect} If this repeats, check the credential's API Base URL (${scene.baseUrl}).`,
			httpCode: String(response.statusCode),
			itemIndex: req.itemIndex,
		},
	);
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

/** X's answer as data: JSON text and buffers parsed, any other text kept as it is. */
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

/** Keeps X's answer for the error object, small and without anything that is not X's words. */
function sanitiseBody(body: unknown): unknown {
	if (typeof body === 'string') return truncate(body, 1000);
	if (body && typeof body === 'object') {
		const text = JSON.stringify(body);
		return text.length > 4000 ? truncate(text, 4000) : body;
	}
	return body ?? null;
}

export function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A refusal n8n handed back as an answer (`ignoreHttpStatusErrors`): status, X's body and headers. */
export function answerFailure(response: { statusCode: number; body: unknown; headers: Record<string, unknown> }): TryFailure {
	return { statusCode: response.statusCode, body: parseBody(response.body), headers: normaliseHeaders(response.headers ?? {}) };
}

/**
 * Reads what a thrown error from n8n's request helpers says about the try, dropping the rest:
 * n8n 2.x keeps the HTTP client's error (`response`, or `cause.response`), n8n 1.x a NodeApiError
 * with the status and a JSON body only (captured: test/unit/transport/fixtures).
 */
export function describeFailure(error: unknown): TryFailure {
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
	// n8n 1.x wraps what it was given in a NodeApiError that keeps only the status (`httpCode`,
	// or the network code there) and a JSON object body (`context.data`); headers and other bodies are gone.
	const wrapped = error as { httpCode?: unknown; context?: { data?: unknown }; messages?: unknown };
	const httpCode = typeof wrapped.httpCode === 'string' || typeof wrapped.httpCode === 'number' ? String(wrapped.httpCode) : '';
	if (/^[1-5]\d\d$/.test(httpCode)) {
		const data = wrapped.context?.data;
		return data !== undefined && data !== null && typeof data === 'object'
			? { statusCode: Number(httpCode), headers: {}, body: data }
			: { statusCode: Number(httpCode), headers: {}, bodyUnread: true };
	}
	if (/^E[A-Z_]+$/.test(httpCode)) {
		const first = Array.isArray(wrapped.messages) ? (wrapped.messages as unknown[]).find((m) => typeof m === 'string') : undefined;
		return { headers: {}, networkCode: httpCode, networkMessage: safeNetworkMessage(first ?? err.message) };
	}
	const message = safeNetworkMessage(err.message);
	return { headers: {}, networkCode: 'UNKNOWN', networkMessage: message };
}

function safeNetworkMessage(message: unknown): string {
	// Network messages name hosts and ports, never credentials; still, cut anything that looks like a header.
	const text = typeof message === 'string' ? message : 'The connection failed';
	return truncate(text.replace(/(authorization|oauth_[a-z_]+|bearer)\S*/gi, '[redacted]'), 300);
}

export function normaliseHeaders(headers: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {})) {
		if (v === undefined || v === null) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}
