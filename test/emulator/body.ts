/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Reading request bodies while counting their size into the request record. Every consumer of the
 * body goes through one BodyReader so the count is exact and the stream is read once.
 */
import type { IncomingMessage } from 'node:http';

import type { RecordedRequest } from './types';

export class BodyTooLargeError extends Error {}

/**
 * A shaped link shared by every connection: bytes read from request bodies take their time on it
 * (`mbps` megabits per second), and the reader pauses until they have, so TCP slows the sender.
 */
export class LinkShaper {
	private freeAt = 0;

	constructor(private readonly mbps: () => number | undefined) {}

	async take(bytes: number): Promise<void> {
		const mbps = this.mbps();
		if (!mbps || mbps <= 0) return;
		const now = performance.now();
		this.freeAt = Math.max(now, this.freeAt) + (bytes * 8) / (mbps * 1000);
		const wait = this.freeAt - now;
		if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
	}
}

export class BodyReader {
	private iter: AsyncIterator<Buffer> | undefined;
	private started = false;

	constructor(
		private req: IncomingMessage,
		private rec: RecordedRequest,
		private shaper?: LinkShaper,
	) {}

	get used(): boolean {
		return this.started;
	}

	/**
	 * The body chunks. Breaking out of a loop over it does NOT destroy the request (unlike iterating
	 * the IncomingMessage itself), so a later drain() can still consume the rest.
	 */
	chunks(): AsyncIterable<Buffer> {
		this.started = true;
		const next = async (): Promise<IteratorResult<Buffer>> => {
			this.iter ??= (this.req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
			const r = await this.iter.next();
			if (!r.done) {
				this.rec.bodySize += r.value.length;
				await this.shaper?.take(r.value.length);
			}
			return r;
		};
		return {
			[Symbol.asyncIterator]: () => ({
				next,
				return: async () => ({ done: true as const, value: undefined }),
			}),
		};
	}

	/** Reads the whole body into memory; past `limit` keeps draining and throws BodyTooLargeError. */
	async buffer(limit: number): Promise<Buffer> {
		const parts: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		for await (const c of this.chunks()) {
			size += c.length;
			if (size > limit) tooLarge = true;
			else parts.push(c);
		}
		if (tooLarge) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
		return Buffer.concat(parts);
	}

	/** Reads and discards whatever is left. */
	async drain(): Promise<void> {
		for await (const _ of this.chunks()) {
			/* discard */ void _;
		}
	}

	/** Waits for the first body chunk (or the end), without consuming the rest; used to drop mid-body. */
	async readSome(timeoutMs = 2000): Promise<void> {
		if (this.started) return;
		const len = Number(this.req.headers['content-length'] ?? 0);
		const chunked = /chunked/i.test(String(this.req.headers['transfer-encoding'] ?? ''));
		if (!len && !chunked) return;
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.req.off('data', onData);
				this.req.off('end', done);
				this.req.pause();
				resolve();
			};
			const onData = (c: Buffer) => {
				this.rec.bodySize += c.length;
				done();
			};
			const timer = setTimeout(done, timeoutMs);
			this.req.on('data', onData);
			this.req.on('end', done);
		});
		this.started = true;
	}
}
