/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * X's error bodies, as X sends them (sources in test/emulator/README.md).
 */
import { STATUS_CODES } from 'node:http';

export interface ErrorResponse {
	status: number;
	body: unknown;
	/** Defaults to application/json (X sends its problems as application/json; some as problem+json). */
	contentType?: string;
	headers?: Record<string, string>;
}

export interface InvalidRequestError {
	parameters: Record<string, string[]>;
	message: string;
}

/** 400 — X v2 validation failure (PLhery/node-twitter-api-v2#375, #539). */
export function invalidRequest(errors: InvalidRequestError[] | InvalidRequestError | string): ErrorResponse {
	const list: InvalidRequestError[] =
		typeof errors === 'string' ? [{ parameters: {}, message: errors }] : Array.isArray(errors) ? errors : [errors];
	return {
		status: 400,
		body: {
			errors: list,
			title: 'Invalid Request',
			detail: 'One or more parameters to your request was invalid.',
			type: 'https://api.x.com/2/problems/invalid-request',
		},
	};
}

/** 401 — v2 shape (X answers bad OAuth 1.0a signatures and unknown bearer tokens with this on /2/). */
export function unauthorized(): ErrorResponse {
	return {
		status: 401,
		body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
	};
}

/** 403 — token lacks a scope (PLhery/node-twitter-api-v2#588). */
export function forbidden(): ErrorResponse {
	return {
		status: 403,
		body: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' },
	};
}

/** 403 — OAuth 1.0a token of an app whose permission is "Read" used on a write endpoint. */
export function oauth1PermissionsForbidden(): ErrorResponse {
	return {
		status: 403,
		body: {
			detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
			type: 'https://api.x.com/2/problems/oauth1-permissions',
			title: 'Forbidden',
			status: 403,
		},
	};
}

/** 403 — an app-only bearer token on a user-context endpoint. */
export function unsupportedAuthentication(): ErrorResponse {
	return {
		status: 403,
		body: {
			title: 'Unsupported Authentication',
			detail:
				'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
			type: 'https://api.x.com/2/problems/unsupported-authentication',
			status: 403,
		},
	};
}

/** 403 — POST /2/tweets text over the weighted-length limit. */
export function tweetTooLong(): ErrorResponse {
	return {
		status: 403,
		body: {
			detail:
				'Your Tweet text is too long. For more information on how X determines text length, see https://github.com/twitter/twitter-text.',
			type: 'about:blank',
			title: 'Forbidden',
			status: 403,
		},
	};
}

/**
 * 403 — POST /2/tweets with the same text as an earlier post of the same account. X's v2 words,
 * as logged in akrherz/iembot#163 (2026-02).
 */
export function duplicateContent(): ErrorResponse {
	return {
		status: 403,
		body: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 },
	};
}

/**
 * 403 — a reply to a post that does not exist (or was deleted). X's words are v1.1's code 385
 * (PLhery/node-twitter-api-v2#366, 403), put in v2's problem shape.
 */
export function replyToMissingPost(): ErrorResponse {
	return {
		status: 403,
		body: { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', type: 'about:blank', title: 'Forbidden', status: 403 },
	};
}

/** 429 — rate limited. */
export function tooManyRequests(): ErrorResponse {
	return {
		status: 429,
		body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
	};
}

/** 404 for paths X does not serve. */
export function notFoundRoute(): ErrorResponse {
	return {
		status: 404,
		body: {
			errors: [{ message: 'Sorry, that page does not exist', code: 34 }],
			title: 'Not Found Error',
			detail: 'Sorry, that page does not exist',
			type: 'about:blank',
			status: 404,
		},
	};
}

/** Partial-error entry for a missing resource in a 200 lookup answer (ResourceNotFoundProblem). */
export function resourceNotFound(parameter: string, value: string, resourceType: string, what: string) {
	return {
		value,
		detail: `Could not find ${what} with ${parameter}: [${value}].`,
		title: 'Not Found Error',
		resource_type: resourceType,
		parameter,
		resource_id: value,
		type: 'https://api.x.com/2/problems/resource-not-found',
	};
}

/** Default body for an arbitrary injected status. 413 and 431 come from X's edge with an empty body. */
export function genericStatus(status: number): ErrorResponse {
	if (status === 413 || status === 431) return { status, body: '' };
	if (status === 429) return tooManyRequests();
	if (status === 402) return paymentRequired();
	if (status === 401) return unauthorized();
	if (status === 403) return forbidden();
	if (status === 404) return notFoundRoute();
	const text = STATUS_CODES[status] ?? 'Error';
	return { status, body: { title: text, detail: text, type: 'about:blank', status } };
}

/** 403 — POST /2/tweets with a video longer than the poster may post (docs:/x-api/media/quickstart/best-practices, quoted). */
export function videoTooLongForUser(minutes: number): ErrorResponse {
	return {
		status: 403,
		body: { title: 'Forbidden', detail: `This user is not allowed to post a video longer than ${minutes} minutes.`, type: 'about:blank', status: 403 },
	};
}

/**
 * 402 — the app's pay-per-use credits are used up (docs:/x-api/getting-started/pricing says X answers
 * 402; the body's wording is the emulator's: X's is not documented).
 */
export function paymentRequired(): ErrorResponse {
	return {
		status: 402,
		body: {
			title: 'Payment Required',
			detail: 'Your enrolled account does not have any credits to fulfill this request.',
			type: 'https://api.x.com/2/problems/credits-depleted',
			status: 402,
		},
	};
}

/** 429 — the app's usage cap (problem type `usage-capped`, docs:/x-api/fundamentals/response-codes-and-errors; wording the emulator's). */
export function usageCapped(): ErrorResponse {
	return {
		status: 429,
		body: { title: 'Usage cap exceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped', status: 429 },
	};
}
