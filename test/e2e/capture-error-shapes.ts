/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- test tooling: runs in plain Node against an installed n8n, and never ships in the package (files: ["dist"]) */
/**
 * Captures what a node receives from n8n's `httpRequestWithAuthentication` when X refuses a
 * request, in the pinned n8n of N8N_VERSION, and writes it as a fixture for
 * test/unit/transport/n8nErrorShapes.test.ts:
 *
 *   N8N_VERSION=1.123.81 bash test/e2e/ensure-n8n.sh
 *   N8N_VERSION=1.123.81 npx tsx test/e2e/capture-error-shapes.ts
 *
 * It calls n8n-core's own `httpRequestWithAuthentication` (OAuth 1.0a and OAuth 2.0 credentials,
 * the node's request options) against a loopback server that answers as X does: a problem body
 * (application/problem+json), a v1 `errors[]` body, an HTML page, a 429 with rate-limit headers, a
 * 503 with no body, a 401, and a refused connection. For each it records what the thrown error (or, with
 * `ignoreHttpStatusErrors`, the returned response) holds: its class, own fields and the
 * fields the node may read (`cause`, `response`, `context`, `httpCode`, `description`), as JSON.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { n8nRuntime, PACKAGE_ROOT } from './n8nApp';

const runtime = n8nRuntime();
const req = createRequire(join(runtime.dir, 'node_modules', 'n8n', 'package.json'));
const coreMain = req.resolve('n8n-core');
const coreRequire = createRequire(coreMain);
const helpersPath = join(dirname(coreMain), 'execution-engine', 'node-execution-context', 'utils', 'request-helper-functions.js');
const helpers = coreRequire(helpersPath) as {
	httpRequestWithAuthentication?: (this: unknown, type: string, options: object, wf: unknown, node: unknown, additionalData: unknown) => Promise<unknown>;
	httpRequest?: (options: object) => Promise<unknown>;
};

interface Answer {
	name: string;
	status: number;
	headers: Record<string, string>;
	body: string;
}

const ANSWERS: Answer[] = [
	{
		name: 'problem-400',
		status: 400,
		headers: { 'content-type': 'application/problem+json' },
		body: JSON.stringify({
			title: 'Invalid Request',
			detail: 'One or more parameters to your request was invalid.',
			type: 'https://api.twitter.com/2/problems/invalid-request',
			errors: [{ message: 'Content type must be one of [application/json, multipart/form-data]' }],
		}),
	},
	{ name: 'v1-errors-403', status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ code: 324, message: 'Not valid video' }] }) },
	{ name: 'html-502', status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Bad Gateway</h1></body></html>' },
	{
		name: 'rate-limit-429',
		status: 429,
		headers: { 'content-type': 'application/json', 'x-rate-limit-reset': '1893456000', 'x-rate-limit-remaining': '0' },
		body: JSON.stringify({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }),
	},
	{ name: 'empty-503', status: 503, headers: {}, body: '' },
	{ name: 'unauthorized-401', status: 401, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }) },
];

/** The parts of an error (or response) the node could read, as plain JSON. */
function shapeOf(value: unknown, depth = 0): unknown {
	if (value === null || value === undefined || typeof value !== 'object') return value;
	if (depth > 6) return '[deep]';
	if (Buffer.isBuffer(value)) return `[Buffer ${value.length}]`;
	if (Array.isArray(value)) return value.slice(0, 5).map((v) => shapeOf(v, depth + 1));
	const out: Record<string, unknown> = {};
	const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
	if (ctor && ctor !== 'Object') out['[class]'] = ctor;
	const keys = new Set([...Object.keys(value), ...(value instanceof Error ? ['message', 'cause', 'description', 'httpCode', 'context', 'errorResponse', 'code', 'response', 'status'] : [])]);
	for (const key of keys) {
		if (['stack', 'config', 'request', 'node', 'socket', 'agent', '_events', 'tags', 'extra', 'timestamp', 'lineNumber', 'functionality'].includes(key)) continue;
		const v = (value as Record<string, unknown>)[key];
		if (v === undefined) continue;
		if (typeof v === 'function') continue;
		out[key] = key === 'headers' && v && typeof v === 'object' ? pickHeaders(v as Record<string, unknown>) : shapeOf(v, depth + 1);
	}
	return out;
}

function pickHeaders(h: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of Object.keys(h)) if (/^x-rate-limit|^content-type$|^retry-after$/i.test(k)) out[k.toLowerCase()] = h[k];
	return out;
}

async function main(): Promise<void> {
	if (!helpers.httpRequestWithAuthentication || !helpers.httpRequest) {
		throw new Error(`n8n ${runtime.version}: request-helper-functions.js does not export httpRequestWithAuthentication/httpRequest (the 1.x layout); this tool captures the 1.x shapes`);
	}
	const byPath = new Map(ANSWERS.map((a) => [`/${a.name}`, a]));
	const server = createServer((rq, rs) => {
		rq.resume();
		rq.on('end', () => {
			const a = byPath.get(rq.url?.split('?')[0] ?? '');
			if (a) rs.writeHead(a.status, a.headers).end(a.body);
			else rs.writeHead(404).end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const node = { id: 'n1', name: 'X Media', type: 'n8n-nodes-x-media.xMedia', typeVersion: 1, position: [0, 0], parameters: {} };
	const credentials: Record<string, object> = {
		xOAuth1Api: { consumerKey: 'ck', consumerSecret: 'cs', signatureMethod: 'HMAC-SHA1', oauthTokenData: { oauth_token: 't', oauth_token_secret: 'ts' } },
		xOAuth2Api: { grantType: 'authorizationCode', clientId: 'c', clientSecret: 's', accessTokenUrl: `${base}/token`, authUrl: `${base}/auth`, oauthTokenData: { access_token: 'a', token_type: 'bearer', refresh_token: 'r' } },
	};
	const parents: Record<string, string[]> = { xOAuth1Api: ['oAuth1Api'], xOAuth2Api: ['oAuth2Api'] };
	const call = async (type: string, options: object) => {
		const ctx = {
			getNode: () => node,
			getCredentials: async (t: string) => JSON.parse(JSON.stringify(credentials[t])) as object,
			helpers: { httpRequest: helpers.httpRequest },
			logger: { debug: () => {}, warn: () => {} },
		};
		const additionalData = { credentialsHelper: { getParentTypes: (t: string) => parents[t] ?? [] } };
		return await helpers.httpRequestWithAuthentication!.call(ctx, type, options, {}, node, additionalData);
	};
	const shapes: Record<string, unknown> = {};
	try {
		for (const type of ['xOAuth1Api', 'xOAuth2Api']) {
			for (const a of ANSWERS) {
				const options = { method: 'POST', url: `${base}/${a.name}`, json: true, returnFullResponse: true, disableFollowRedirect: true, body: { media_category: 'tweet_video' } };
				try {
					await call(type, options);
					shapes[`${type} ${a.name} thrown`] = 'no error thrown';
				} catch (error) {
					shapes[`${type} ${a.name} thrown`] = shapeOf(error);
				}
				// What the node passes (n8n 2.x: every status but 401 comes back; n8n 1.x: any truthy value means every status).
				const ignoring = { ...options, ignoreHttpStatusErrors: { ignore: true, except: [401] } };
				shapes[`${type} ${a.name} ignoreHttpStatusErrors`] = shapeOf(await call(type, ignoring).catch((e: unknown) => e));
			}
			try {
				await call(type, { method: 'POST', url: 'http://127.0.0.1:1/refused', json: true, returnFullResponse: true });
			} catch (error) {
				shapes[`${type} connection-refused thrown`] = shapeOf(error);
			}
		}
	} finally {
		server.close();
	}
	const out = join(PACKAGE_ROOT, 'test', 'unit', 'transport', 'fixtures', `n8n-${runtime.version}-request-errors.json`);
	mkdirSync(dirname(out), { recursive: true });
	const doc = { n8n: runtime.version, captured: new Date().toISOString().slice(0, 10), by: 'test/e2e/capture-error-shapes.ts', answers: ANSWERS, shapes };
	writeFileSync(out, `${JSON.stringify(doc, null, '\t')}\n`);
	console.log(`wrote ${out} (${Object.keys(shapes).length} shapes)`);
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);
