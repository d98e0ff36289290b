/**
 * One GET of a media URL through n8n's own request helper (`helpers.httpRequest`: n8n's proxy,
 * SSRF and TLS settings apply), answered as a stream. Redirects are followed here, at most
 * MAX_URL_REDIRECTS, each hop checked again (http(s) only). The request carries no credential of the
 * node and no header of X's: it is not signed, and the only headers set are `Range` and
 * `Accept-Encoding: identity` (the size X is told is the file's, not a compressed body's).
 *
 * Failures become `UrlReadError`s that name the host, the path and the HTTP status, never the query.
 */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { MediaInputError } from '../../helpers/errors';
import { hostAndPath, MAX_URL_REDIRECTS, redirectTarget } from '../../helpers/mediaUrl';
import type { BinaryStream } from './streams';
import { closeSource } from './streams';

/** A failure reading a URL: said in the person's words; `retryable` when a new try may succeed. */
export class UrlReadError extends MediaInputError {
	constructor(
		message: string,
		description: string,
		readonly retryable: boolean,
		readonly status?: number,
	) {
		super(message, description);
		this.name = 'UrlReadError';
	}
}

/** The answer of the last hop: status, headers (lower-case names), the body as a stream. */
export interface UrlAnswer {
	status: number;
	headers: Record<string, string>;
	body: BinaryStream;
	/** The URL that answered (after redirects). */
	url: URL;
	/** Ends the request and its connection (the body stream errors if it is still read). */
	abort(): void;
}

export interface UrlGet {
	/** Ask for the bytes from this position on (`Range: bytes=start-`); undefined: no Range header. */
	rangeStart?: number;
	/** Bound on the wait for the answer's headers (connect included), per hop. */
	connectTimeoutMs: number;
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** GETs `start`, following at most MAX_URL_REDIRECTS redirects; any final status is returned. */
export async function getUrl(ctx: IExecuteFunctions, start: URL, get: UrlGet): Promise<UrlAnswer> {
	let url = start;
	for (let hop = 0; ; hop++) {
		const controller = new AbortController();
		const cancel = ctx.getExecutionCancelSignal?.();
		const signal = cancel ? AbortSignal.any([controller.signal, cancel]) : controller.signal;
		const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
		if (get.rangeStart !== undefined) headers.Range = `bytes=${get.rangeStart}-`;
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: url.href,
			headers,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Redirects are followed below, one hop at a time, so that each is counted and checked.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: get.connectTimeoutMs,
			abortSignal: signal,
		};
		let response: { statusCode: number; headers: Record<string, unknown>; body: BinaryStream };
		try {
			response = (await ctx.helpers.httpRequest(options)) as typeof response;
		} catch (error) {
			if (cancel?.aborted) throw cancelledError(url);
			throw networkError(url, error, get.connectTimeoutMs);
		}
		const answer: UrlAnswer = {
			status: response.statusCode,
			headers: lowerCaseHeaders(response.headers),
			body: response.body,
			url,
			abort: () => controller.abort(),
		};
		if (answer.status < 300 || answer.status >= 400 || answer.status === 304) return answer;
		closeSource(answer.body);
		controller.abort();
		const location = answer.headers.location;
		if (!location) throw statusError(answer);
		if (hop >= MAX_URL_REDIRECTS) {
			throw new UrlReadError(
				`The URL of ${hostAndPath(start)} redirects more than ${MAX_URL_REDIRECTS} times (last: ${hostAndPath(url)}, HTTP ${answer.status})`,
				'X Media follows at most 5 redirects. Use the final address of the file (open the link in a browser and copy where it ends up), or check the server for a redirect loop.',
				false,
				answer.status,
			);
		}
		const next = redirectTarget(location, url);
		if (!next) {
			throw new UrlReadError(
				`${hostAndPath(url)} redirects to an address that is not http(s) (HTTP ${answer.status})`,
				'X Media reads files over http and https only. Use a direct http(s) link to the file.',
				false,
				answer.status,
			);
		}
		url = next;
	}
}

/** The error for a final answer that is not the file: names host, path and status, and what to do. */
export function statusError(answer: Pick<UrlAnswer, 'status' | 'url' | 'headers'>): UrlReadError {
	const { status, url } = answer;
	const where = hostAndPath(url);
	const retryable = RETRYABLE_STATUSES.has(status);
	let what: string;
	if (status === 404 || status === 410) {
		what = 'The server has no file at this address. Check the URL; a link made for one download (a presigned S3 or Drive link) may have expired: make a new one.';
	} else if (status === 401 || status === 403) {
		what = 'The server refused access. A presigned link may have expired or be signed for another request: make a new one with an expiry longer than the upload takes. X Media sends no credential to the URL\'s host: the URL itself must grant access.';
	} else if (status === 416) {
		what = 'The server cannot give the part of the file asked for: the file is shorter than the server announced, or it changed while it was read. Nothing was finalized at X; run the workflow again.';
	} else if (retryable) {
		what = 'The server failed or is busy; X Media tried again and gave up. Run the workflow again later.';
	} else if (status >= 300 && status < 400) {
		what = 'The server answered with a redirect that names no address. Use the final address of the file.';
	} else {
		what = 'Check that the URL points at the file itself and that the server serves it to anyone who has the link.';
	}
	return new UrlReadError(`The server at ${where} answered HTTP ${status} instead of the file`, what, retryable, status);
}

/** A connection that failed (refused, reset, timed out, unknown host): retryable unless the host is unknown. */
export function networkError(url: URL, error: unknown, timeoutMs: number): UrlReadError {
	const code = errorCode(error);
	const where = hostAndPath(url);
	if (code === 'ENOTFOUND') {
		return new UrlReadError(`The host of ${where} was not found (DNS)`, 'Check the URL\'s host name.', false);
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return new UrlReadError(
			`The server at ${where} did not answer within ${Math.round(timeoutMs / 1000)} s`,
			'X Media waits a bounded time for a URL\'s server ("URL Timeout (Seconds)"). Check that the server is up, or raise the timeout.',
			true,
		);
	}
	if (code && /CERT|SSL|TLS/.test(code)) {
		return new UrlReadError(`The TLS certificate of ${url.host} was refused (${code})`, 'Use a URL whose server has a valid certificate.', false);
	}
	return new UrlReadError(
		`The connection to ${where} failed${code ? ` (${code})` : ''}`,
		'Check that the server is reachable from the n8n machine (a worker in queue mode) and that the URL is right.',
		true,
	);
}

export function cancelledError(url: URL): UrlReadError {
	return new UrlReadError(`The execution was cancelled while ${hostAndPath(url)} was read`, 'Nothing was finalized at X.', false);
}

/** The error code of a failed request (its own, or its cause's), never its message (it may hold the URL). */
function errorCode(error: unknown): string | undefined {
	for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
		if (typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code)) return e.code;
	}
	return undefined;
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null || typeof value === 'function') continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}
