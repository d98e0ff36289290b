import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { XAuthentication, XEndpoint } from './endpoints';
import { ENDPOINTS } from './endpoints';
import type { RetryPolicy, TryFailure } from './retryPolicy';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retryPolicy';
import type { ErrorScene } from './xErrors';
import { answerFailure, describeFailure, failureError, normaliseHeaders, parseBody, unexpectedAnswerError } from './xErrors';

/**
 * The one path by which every X request of the node leaves n8n.
 *
 * - picks the credential from the node's `authentication` parameter and signs through
 *   `httpRequestWithAuthentication` (n8n does the OAuth 1.0a / OAuth 2.0 work);
 * - builds every URL from the credential's `apiBaseUrl` and a path of `endpoints.ts`;
 * - retries what is safe to retry under one bounded policy (`retryPolicy.ts`), rebuilding
 *   single-use bodies (FormData, streams) for every try;
 * - turns every failure into a NodeApiError that carries X's own words, the HTTP status and a hint
 *   (`xErrors.ts`), and never a token, secret or Authorization header.
 *
 * X's refusals come back as answers, not as n8n's errors (`ignoreHttpStatusErrors`): n8n 1.x wraps a
 * refused request in an error that keeps neither X's headers (the rate-limit reset) nor a body that
 * is not JSON, so the node reads status, headers and body itself on every n8n line. A 401 is the
 * exception: n8n 2.x still throws it, to refresh an OAuth 2.0 token; n8n 1.x hands it back, and the
 * node asks n8n to refresh the token, then sends the request again (README, "n8n versions").
 */

export const CREDENTIAL_TYPES: Record<XAuthentication, string> = {
	oAuth2: 'xOAuth2Api',
	oAuth1: 'xOAuth1Api',
};

export const DEFAULT_API_BASE_URL = 'https://api.x.com';

/**
 * A streamed request body: a stream of the class n8n's helpers hand out (derived from n8n's
 * types: the community-node lint bans importing `stream`).
 */
export type StreamBody = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

export interface XRequest {
	method: IHttpRequestMethods;
	/** Path under the API base URL, from `X_API` (endpoints.ts), e.g. `/2/media/upload/initialize`. */
	path: string;
	endpoint: XEndpoint;
	qs?: IDataObject;
	/** A JSON body. */
	json?: IDataObject;
	/** A multipart body, built anew for every try (FormData and stream bodies can be sent once only). */
	multipart?: () => FormData | StreamBody;
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
		return unexpectedAnswerError(this.errorScene(), req, response, missing);
	}

	isCancelled(): boolean {
		return this.ctx.getExecutionCancelSignal?.()?.aborted === true;
	}

	/** Sends one request to X, retrying under the policy; throws a NodeApiError when it fails. */
	async request<T = IDataObject>(req: XRequest): Promise<XResponse<T>> {
		const policy = { ...this.policy, ...req.retry };
		let waitedMs = 0;
		let refreshed = false;
		for (let attempt = 1; ; attempt++) {
			this.throwIfCancelled(req);
			this.stats.requests++;
			let failure: TryFailure;
			try {
				let response = await this.send(req);
				if (response.statusCode === 401 && this.authentication === 'oAuth2' && !refreshed) {
					// n8n 1.x: the 401 came back as an answer; n8n refreshes the token on request
					// (a failed refresh is thrown, as n8n 2.x throws it), and the request goes again.
					refreshed = true;
					await this.ctx.helpers.refreshOAuth2Token.call(this.ctx, this.credentialType);
					this.stats.requests++;
					response = await this.send(req);
				}
				if (response.statusCode >= 200 && response.statusCode < 300) {
					return {
						statusCode: response.statusCode,
						body: parseBody(response.body) as T,
						headers: normaliseHeaders(response.headers),
						attempts: attempt,
					};
				}
				failure = answerFailure(response);
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
			const waitMs = retryDelay(failure, attempt, policy, req, this.authentication);
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
				description: req ? `Stopped before the ${ENDPOINTS[req.endpoint].label} request to X.` : undefined,
				itemIndex: req?.itemIndex,
			});
		}
	}

	private async send(req: XRequest): Promise<{ statusCode: number; body: unknown; headers: Record<string, unknown> }> {
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.credentialType, this.buildOptions(req))) as {
			statusCode: number;
			body: unknown;
			headers: Record<string, unknown>;
		};
	}

	private buildOptions(req: XRequest): IHttpRequestOptions {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: `${this.baseUrl}${req.path}`,
			json: true,
			returnFullResponse: true,
			// Every answer comes back as an answer, except a 401 on n8n 2.x (see the class comment).
			// n8n 1.x takes any truthy value as "every status".
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
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

	/** Builds the error a person sees: X's words, the status, what to do. */
	toNodeApiError(failure: TryFailure, req: XRequest, attempts: number): NodeApiError {
		return failureError(this.errorScene(), failure, req, attempts);
	}

	private errorScene(): ErrorScene {
		return { node: this.ctx.getNode(), authentication: this.authentication, baseUrl: this.baseUrl };
	}
}

function normaliseBaseUrl(value: unknown): string | undefined {
	const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_API_BASE_URL;
	if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(raw)) return undefined;
	return raw.replace(/\/+$/, '');
}
