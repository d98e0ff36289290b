/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads its fixture file, runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * X's refusals as n8n 1.x hands them to a node, captured from the real n8n-core 1.122 of n8n
 * 1.123.81 (`N8N_VERSION=1.123.81 npx tsx test/e2e/capture-error-shapes.ts`, which calls its
 * `httpRequestWithAuthentication` with both credential types against a server answering as X does).
 * n8n 2.x's shapes are what the rest of the suite meets through the real n8n-core 2.41.
 *
 * - thrown (what n8n 1.x throws without `ignoreHttpStatusErrors`): a NodeApiError that keeps the
 *   status and a JSON object body only: the node reads those, and says when X's answer was lost;
 * - returned (with the `ignoreHttpStatusErrors` the node passes): status, headers and body whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';

import { rateLimitWaitMs } from '../../../nodes/XMedia/transport/retryPolicy';
import { answerFailure, describeFailure, failureError } from '../../../nodes/XMedia/transport/xErrors';

interface Capture {
	n8n: string;
	shapes: Record<string, unknown>;
}

const capture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'n8n-1.123.81-request-errors.json'), 'utf8')) as Capture;
const node: INode = { id: 'n1', name: 'X Media', type: 'n8n-nodes-x-media.xMedia', typeVersion: 1, position: [0, 0], parameters: {} };
const scene = { node, authentication: 'oAuth1' as const, baseUrl: 'https://api.x.com' };

/** The captured error as an Error object again (its class name kept; no prototype of n8n's needed). */
function thrown(key: string): Error {
	const shape = capture.shapes[key] as Record<string, unknown> | undefined;
	if (!shape || typeof shape !== 'object') throw new Error(`no captured shape "${key}"`);
	const fields = { ...shape };
	delete fields['[class]'];
	return Object.assign(new Error(String(fields.message)), fields);
}

function returned(key: string): { statusCode: number; body: unknown; headers: Record<string, unknown> } {
	return capture.shapes[key] as { statusCode: number; body: unknown; headers: Record<string, unknown> };
}

const CREDENTIALS = ['xOAuth1Api', 'xOAuth2Api'];

describe(`n8n ${capture.n8n}: X's refusals thrown by httpRequestWithAuthentication`, () => {
	it.each(CREDENTIALS)('%s: a problem body: X\'s words, detail and errors[].message, in the error', (type) => {
		const failure = describeFailure(thrown(`${type} problem-400 thrown`));
		expect(failure.statusCode).toBe(400);
		const error = failureError(scene, failure, { endpoint: 'append' }, 1);
		expect(error.message).toContain('HTTP 400');
		expect(error.message).toContain('One or more parameters to your request was invalid.');
		expect(error.description).toContain('X said:');
		expect(error.description).toContain('Content type must be one of [application/json, multipart/form-data]');
		expect(error.description).not.toMatch(/no explanation|quoted above|could not be read/);
	});

	it.each(CREDENTIALS)('%s: a v1 errors[] body', (type) => {
		const error = failureError(scene, describeFailure(thrown(`${type} v1-errors-403 thrown`)), { endpoint: 'append' }, 1);
		expect(error.message).toContain('HTTP 403');
		expect(error.description).toContain('Not valid video (code 324)');
	});

	it.each(CREDENTIALS)('%s: an HTML page n8n 1.x dropped: says the answer could not be read, with the status', (type) => {
		const failure = describeFailure(thrown(`${type} html-502 thrown`));
		expect(failure).toMatchObject({ statusCode: 502, bodyUnread: true });
		const error = failureError(scene, failure, { endpoint: 'append' }, 3);
		expect(error.description).toContain("X's answer could not be read: n8n passed on only its status (HTTP 502).");
		expect(error.description).not.toMatch(/no explanation|quoted above/);
	});

	it('an answer with no explanation: never "quoted above"', () => {
		const error = failureError(scene, { statusCode: 400, body: '', headers: {} }, { endpoint: 'initialize' }, 1);
		expect(error.description).toContain('X did not accept the request.');
		expect(error.description).toContain('X sent no explanation (HTTP 400).');
		expect(error.description).not.toContain('quoted above');
	});

	it.each(CREDENTIALS)('%s: a refused connection is a network failure (retried), not a status', (type) => {
		const failure = describeFailure(thrown(`${type} connection-refused thrown`));
		expect(failure.statusCode).toBeUndefined();
		expect(failure.networkCode).toBe('ECONNREFUSED');
		expect(failure.networkMessage).toContain('ECONNREFUSED');
	});
});

describe(`n8n ${capture.n8n}: X's refusals returned with ignoreHttpStatusErrors (what the node asks for)`, () => {
	it.each(CREDENTIALS)('%s: status, body and headers whole, the rate-limit reset included', (type) => {
		const failure = answerFailure(returned(`${type} rate-limit-429 ignoreHttpStatusErrors`));
		expect(failure.statusCode).toBe(429);
		expect(failure.headers['x-rate-limit-reset']).toBe('1893456000');
		expect(rateLimitWaitMs(failure.headers, 1893456000 * 1000 - 10_000)).toBe(10_250);
	});

	it.each(CREDENTIALS)('%s: an HTML page is kept: its text is X\'s words', (type) => {
		const error = failureError(scene, answerFailure(returned(`${type} html-502 ignoreHttpStatusErrors`)), { endpoint: 'append' }, 1);
		expect(error.description).toContain('X said: Bad Gateway');
	});

	it.each(CREDENTIALS)('%s: a problem body is read as in n8n 2.x', (type) => {
		const error = failureError(scene, answerFailure(returned(`${type} problem-400 ignoreHttpStatusErrors`)), { endpoint: 'append' }, 1);
		expect(error.description).toContain('Content type must be one of [application/json, multipart/form-data]');
	});

	it.each(CREDENTIALS)('%s: a 401 comes back too (n8n 1.x ignores `except`): the client refreshes an OAuth 2.0 token itself', (type) => {
		expect(returned(`${type} unauthorized-401 ignoreHttpStatusErrors`).statusCode).toBe(401);
	});
});
