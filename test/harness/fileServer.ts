/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * A small file server for the tests of media from a URL (README, "Media from a URL"), started like
 * the emulator: one per test file (`useFileServer()`), on 127.0.0.1, reset before each test. Each
 * file is served under a path with its own behaviour: byte ranges on or off, no length, a wrong
 * length, redirects (more than 5 too), a connection dropped mid-body, a stall, an error status, an
 * HTML page. Every request is recorded with its headers (tests check that nothing of the node's
 * credentials or of X reaches the URL's host).
 *
 * A file is bytes, or a `VirtualFile` (size and a function giving any range): a 2 GiB video is never
 * held in memory.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A file given by its size and its bytes at any range (`end` exclusive). */
export interface VirtualFile {
	size: number;
	read(start: number, end: number): Buffer;
}

export interface ServeOptions {
	contentType?: string;
	/** Byte ranges (206 for `Range: bytes=a-`); default true. */
	ranges?: boolean;
	/** Send no Content-Length (chunked). */
	noLength?: boolean;
	/** Announce this size instead of the file's (Content-Length and Content-Range); the body is the real file. */
	announce?: number;
	/** Redirects before the file: this many hops (each 302 to the next), then the file. */
	redirects?: number;
	/** Redirect (302) to this Location instead of serving. */
	redirectTo?: string;
	/**
	 * Destroy the connection when the body reaches this file position: on the requests numbered in
	 * `dropOn` (1-based, per path), else on the first `dropTimes` that get there (default 1).
	 */
	dropAt?: number;
	dropOn?: number[];
	dropTimes?: number;
	/** Stop sending (the connection stays open) at this file position: on `stallOn`'s requests, else the first `stallTimes` (default: all). */
	stallAt?: number;
	stallOn?: number[];
	stallTimes?: number;
	/** Answer this status (and a small body) instead of the file, `statusTimes` times (default: always). */
	status?: number;
	statusTimes?: number;
	etag?: string;
	lastModified?: string;
	contentDisposition?: string;
	/** More response headers. */
	headers?: Record<string, string>;
}

export interface FileRequestRecord {
	path: string;
	/** The raw query (tests check it arrived, and that it is never shown). */
	query: string;
	method: string;
	headers: Record<string, string | string[] | undefined>;
	range?: string;
	status: number;
	/** Body bytes sent. */
	sent: number;
	/** When the request arrived (epoch ms). */
	at: number;
}

interface Route {
	file: Buffer | VirtualFile;
	options: ServeOptions;
	count: number;
	drops: number;
	stalls: number;
	statuses: number;
}

import { URL_QUERY_SECRET } from '../emulator/testCredentials';
import type { RunResult } from './n8nHarness';

/** A query secret, as presigned URLs carry (never in outputs, errors, logs: see `showsUrlQuery`). */
export { URL_QUERY_SECRET };

/** Whether the X Media nodes' outputs or the run's error (message, description, context) show the URL's query. */
export function showsUrlQuery(result: RunResult): boolean {
	const outputs = Object.entries(result.output).filter(([name]) => name.startsWith('X Media'));
	const error = result.error;
	const seen = JSON.stringify({
		outputs,
		message: error?.message,
		description: error?.description,
		context: (error as { context?: unknown } | undefined)?.context,
	});
	return seen.includes(URL_QUERY_SECRET) || seen.includes('?sig=') || seen.includes('X-Amz-Signature');
}

export class FileServer {
	baseUrl = '';
	readonly requests: FileRequestRecord[] = [];
	private readonly routes = new Map<string, Route>();
	private readonly sockets = new Set<Socket>();
	private server: Server | undefined;

	async start(): Promise<void> {
		const server = createServer((req, res) => this.handle(req, res));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const address = server.address();
		if (!address || typeof address === 'string') throw new Error('no address');
		this.baseUrl = `http://127.0.0.1:${address.port}`;
		this.server = server;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	reset(): void {
		this.routes.clear();
		this.requests.length = 0;
		for (const socket of this.sockets) socket.destroy();
	}

	/** Serves `file` at `path` (e.g. '/v/clip.mp4'); returns its URL, with `query` when given. */
	serve(path: string, file: Buffer | VirtualFile, options: ServeOptions = {}, query?: string): string {
		this.routes.set(path, {
			file,
			options,
			count: 0,
			drops: 0,
			stalls: 0,
			statuses: 0,
		});
		return `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
	}

	/** Requests for `path` (all when omitted). */
	requestsFor(path?: string): FileRequestRecord[] {
		return path === undefined ? this.requests : this.requests.filter((r) => r.path === path);
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const record: FileRequestRecord = {
			path: url.pathname,
			query: url.search.slice(1),
			method: req.method ?? 'GET',
			headers: { ...req.headers },
			range: req.headers.range,
			status: 0,
			sent: 0,
			at: Date.now(),
		};
		this.requests.push(record);
		const hop = /^\/__hop\/(\d+)(\/.*)$/.exec(url.pathname);
		const target = hop ? hop[2] : url.pathname;
		const route = this.routes.get(target);
		const answer = (status: number, headers: Record<string, string>, body = '') => {
			record.status = status;
			res.writeHead(status, headers);
			res.end(body);
		};
		if (!route) return answer(404, { 'Content-Type': 'text/plain' }, 'not found');
		const o = route.options;
		// Redirect chains: /path → /__hop/1/path → … → /__hop/N/path → the file.
		const hopIndex = hop ? Number(hop[1]) : 0;
		if (o.redirectTo && !hop) return answer(302, { Location: o.redirectTo });
		if (o.redirects && hopIndex < o.redirects) {
			return answer(302, {
				Location: `/__hop/${hopIndex + 1}${target}${url.search}`,
			});
		}
		if (o.status && route.statuses < (o.statusTimes ?? Infinity)) {
			route.statuses++;
			return answer(o.status, { 'Content-Type': 'text/plain' }, `status ${o.status}`);
		}
		const file = route.file;
		const size = Buffer.isBuffer(file) ? file.length : file.size;
		const announced = o.announce ?? size;
		const slice = (start: number, end: number) => (Buffer.isBuffer(file) ? file.subarray(start, end) : file.read(start, end));
		const headers: Record<string, string> = {
			'Content-Type': o.contentType ?? 'application/octet-stream',
			...o.headers,
		};
		if (o.etag) headers.ETag = o.etag;
		if (o.lastModified) headers['Last-Modified'] = o.lastModified;
		if (o.contentDisposition) headers['Content-Disposition'] = o.contentDisposition;
		const ranges = o.ranges !== false;
		if (ranges) headers['Accept-Ranges'] = 'bytes';
		let start = 0;
		let status = 200;
		const range = ranges ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') : null;
		if (range) {
			start = Number(range[1]);
			if (start >= announced || start >= size) return answer(416, { 'Content-Range': `bytes */${announced}` });
			status = 206;
			headers['Content-Range'] = `bytes ${start}-${announced - 1}/${announced}`;
		}
		if (!o.noLength) headers['Content-Length'] = String(announced - start);
		record.status = status;
		if (req.method === 'HEAD') {
			res.writeHead(status, headers);
			return void res.end();
		}
		const ordinal = ++route.count;
		const picked = (on: number[] | undefined, done: number, times: number) => (on ? on.includes(ordinal) : done < times);
		const dropAt = o.dropAt !== undefined && o.dropAt >= start && picked(o.dropOn, route.drops, o.dropTimes ?? 1) ? o.dropAt : undefined;
		const stallAt = o.stallAt !== undefined && o.stallAt >= start && picked(o.stallOn, route.stalls, o.stallTimes ?? Infinity) ? o.stallAt : undefined;
		// Written raw on the socket: the server may send another length than it announced.
		const socket = res.socket as Socket;
		res.detachSocket(socket);
		const head = [`HTTP/1.1 ${status} ${status === 206 ? 'Partial Content' : 'OK'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
		if (o.noLength) head.push('Transfer-Encoding: chunked');
		head.push('Connection: close', '', '');
		socket.write(head.join('\r\n'));
		let at = start;
		const end = size;
		const write = () => {
			while (at < end) {
				if (socket.destroyed) return;
				let next = Math.min(end, at + 64 * 1024);
				if (dropAt !== undefined && at < dropAt) next = Math.min(next, dropAt);
				if (stallAt !== undefined && at < stallAt) next = Math.min(next, stallAt);
				if (dropAt !== undefined && at >= dropAt) {
					route.drops++;
					return void socket.destroy();
				}
				if (stallAt !== undefined && at >= stallAt) {
					route.stalls++;
					return; // keep the socket open, send nothing more
				}
				const piece = slice(at, next);
				const chunk = o.noLength ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
				at = next;
				record.sent += piece.length;
				if (!socket.write(chunk)) return void socket.once('drain', write);
			}
			if (o.noLength) socket.write('0\r\n\r\n');
			socket.end();
		};
		write();
	}
}

/** One file server per test file (or `describe`), reset before each test, like the emulator's `useEmulator`. */
export function useFileServer(): FileServer {
	const server = new FileServer();
	beforeAll(async () => await server.start());
	afterAll(async () => await server.stop());
	beforeEach(() => server.reset());
	return server;
}

/** SHA-256 of a file, read in pieces (a virtual file is never held whole). */
export function fileSha256(file: Buffer | VirtualFile): string {
	const hash = createHash('sha256');
	if (Buffer.isBuffer(file)) return hash.update(file).digest('hex');
	for (let at = 0; at < file.size; at += 8 * 1024 * 1024) hash.update(file.read(at, Math.min(file.size, at + 8 * 1024 * 1024)));
	return hash.digest('hex');
}
