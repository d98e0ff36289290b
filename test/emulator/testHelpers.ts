/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Helpers for the emulator's own tests: signed requests (OAuth 1.0a or bearer), multipart bodies,
 * tiny media files.
 */
import { request as httpRequest } from 'node:http';

import { makeMp4Header } from '../fixtures/media';
import { signOAuth1 } from './oauth1';
import { oauth1Credentials, oauth2Tokens, type OAuth1UserToken } from './testCredentials';

export type Auth = { bearer: string } | { oauth1: OAuth1UserToken } | 'none';

export interface XResponse {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface Part {
	name: string;
	value: string | Buffer;
	filename?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export function buildMultipart(parts: Part[], boundary = `----xemu${Date.now().toString(16)}`): { body: Buffer; contentType: string } {
	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename}"`;
		head += '\r\n';
		if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
		for (const [k, v] of Object.entries(p.headers ?? {})) head += `${k}: ${v}\r\n`;
		head += '\r\n';
		chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const authA: Auth = { bearer: oauth2Tokens.userA };
export const authB: Auth = { bearer: oauth2Tokens.userB };
export const oauth1A: Auth = { oauth1: oauth1Credentials.userA };

export async function xfetch(
	baseUrl: string,
	method: string,
	path: string,
	opts: { auth?: Auth; json?: unknown; multipart?: Part[]; body?: Buffer | string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<XResponse> {
	const url = `${baseUrl}${path}`;
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	let body: Buffer | string | undefined = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['content-type'] = 'application/json';
	} else if (opts.multipart) {
		const mp = buildMultipart(opts.multipart);
		body = mp.body;
		headers['content-type'] = mp.contentType;
	}
	if (opts.contentType) headers['content-type'] = opts.contentType;
	const auth = opts.auth ?? authA;
	if (auth !== 'none') {
		if ('bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
		else {
			const form = headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? String(body ?? '') : undefined;
			headers.authorization = signOAuth1({
				method,
				url,
				consumerKey: oauth1Credentials.consumerKey,
				consumerSecret: oauth1Credentials.consumerSecret,
				token: auth.oauth1.accessToken,
				tokenSecret: auth.oauth1.accessTokenSecret,
				formBody: form,
			});
		}
	}
	const res = await fetch(url, { method, headers, body });
	const text = await res.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** Sends a raw request with node:http (for cases fetch cannot express); resolves with the outcome. */
export function rawRequest(
	baseUrl: string,
	opts: { method: string; path: string; headers: Record<string, string>; body?: Buffer; writeBodySlowly?: boolean },
): Promise<{ status?: number; body?: string; error?: NodeJS.ErrnoException }> {
	return new Promise((resolve) => {
		const u = new URL(baseUrl);
		const req = httpRequest({ host: u.hostname, port: u.port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (error) => resolve({ status: res.statusCode, error }));
		});
		req.on('error', (error) => resolve({ error }));
		if (opts.body) req.write(opts.body);
		req.end();
	});
}

// ---- tiny media ----------------------------------------------------------------------------

/** A valid-looking PNG header (IHDR with the given size) plus filler. */
export function png(width = 64, height = 48, extra = 100): Buffer {
	const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const ihdr = Buffer.alloc(25);
	ihdr.writeUInt32BE(13, 0);
	ihdr.write('IHDR', 4, 'latin1');
	ihdr.writeUInt32BE(width, 8);
	ihdr.writeUInt32BE(height, 12);
	ihdr[16] = 8;
	ihdr[17] = 6;
	return Buffer.concat([sig, ihdr, Buffer.alloc(extra, 7)]);
}

/** An animated GIF header (two frames, NETSCAPE loop). */
export function gif(width = 32, height = 32): Buffer {
	const header = Buffer.from('GIF89a', 'latin1');
	const lsd = Buffer.alloc(7);
	lsd.writeUInt16LE(width, 0);
	lsd.writeUInt16LE(height, 2);
	lsd[4] = 0x00;
	const netscape = Buffer.concat([Buffer.from([0x21, 0xff, 0x0b]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([0x03, 0x01, 0x00, 0x00, 0x00])]);
	const frame = () => {
		const desc = Buffer.alloc(10);
		desc[0] = 0x2c;
		desc.writeUInt16LE(width, 5);
		desc.writeUInt16LE(height, 7);
		return Buffer.concat([desc, Buffer.from([0x02, 0x02, 0x4c, 0x01, 0x00])]);
	};
	return Buffer.concat([header, lsd, netscape, frame(), frame(), Buffer.from([0x3b])]);
}

/**
 * An MP4 of `size` bytes: ftyp and moov (a 10 s H.264/AAC-LC movie, see makeMp4Header), then an
 * mdat of pseudo-random filler. Below about 1 KiB: ftyp, then filler (no movie: X fails it).
 */
export function mp4(size: number, seed = 1): Buffer {
	const buf = Buffer.alloc(size);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		buf[i] = x & 0xff;
	}
	const ftyp = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31]);
	const header = size >= ftyp.length + 8 ? makeMp4Header(size) : ftyp;
	header.copy(buf, 0, 0, Math.min(size, header.length));
	return buf;
}
