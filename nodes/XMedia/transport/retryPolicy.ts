import type { XAuthentication } from './endpoints';

/**
 * When a failed request to X is tried again, and after how long: network errors and 5xx with
 * backoff, 429 after the reset X announces (https://docs.x.com/x-api/fundamentals/rate-limits),
 * all within one bounded policy.
 */

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

/** A failure of one try, with nothing in it that could carry a secret. */
export interface TryFailure {
	statusCode?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** True when n8n reported the status but not X's answer (n8n 1.x keeps only JSON object bodies). */
	bodyUnread?: boolean;
	/** Network error code (ECONNRESET…), when there was no HTTP answer. */
	networkCode?: string;
	networkMessage?: string;
}

/** What the retry decision needs to know of the request. */
export interface RetriedRequest {
	/** False for requests that must not be sent twice. */
	idempotent?: boolean;
	/** Whether the request has a multipart body (n8n does not resend one after a token refresh). */
	multipart?: unknown;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** X's problem `type`s in an answer: the problem's own and those of its `errors[]`. */
export function problemTypes(body: unknown): string[] {
	if (!body || typeof body !== 'object') return [];
	const b = body as { type?: unknown; errors?: unknown };
	const types = typeof b.type === 'string' ? [b.type] : [];
	if (Array.isArray(b.errors)) {
		for (const e of b.errors) if (e && typeof e === 'object' && typeof (e as { type?: unknown }).type === 'string') types.push((e as { type: string }).type);
	}
	return types;
}

/** A usage cap (pay-per-use) is not a rate limit: waiting for a window does not lift it. */
export function isUsageCapped(body: unknown): boolean {
	return problemTypes(body).some((t) => /usage-capped$/.test(t));
}
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

/** How long to wait before the next try, or undefined when the failure must not be retried. */
export function retryDelay(
	failure: TryFailure,
	attempt: number,
	policy: RetryPolicy,
	req: RetriedRequest,
	authentication: XAuthentication,
): number | undefined {
	const status = failure.statusCode;
	// Requests that must not be sent twice (creating a post): only failures where X surely did
	// nothing are retried (429, 503, a refused connection).
	if (req.idempotent === false && !(status === 429 || status === 503 || failure.networkCode === 'ECONNREFUSED')) {
		return undefined;
	}
	if (status === 402 || isUsageCapped(failure.body)) return undefined;
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
	if (status === 401 && authentication === 'oAuth2' && req.multipart && attempt === 1) return 0;
	if (status === undefined && failure.networkCode && RETRYABLE_NETWORK_CODES.has(failure.networkCode)) {
		return backoffMs(attempt, policy);
	}
	return undefined;
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
