/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * A PartSink that streams bytes to a file on disk while counting them, hashing them (sha256) and
 * keeping the first and last MiB (for sniffing). Past `limit` it stops writing and only counts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import * as path from 'node:path';

import type { PartSink } from './multipart';

const EDGE = 1024 * 1024;

export class FileCapture implements PartSink {
	readonly path: string;
	size = 0;
	tooLarge = false;
	private out: WriteStream | undefined;
	/** In memory mode (the emulator's sink), the bytes themselves. */
	readonly chunks: Buffer[] = [];
	private hash = createHash('sha256');
	private headChunks: Buffer[] = [];
	private headSize = 0;
	private tailChunks: Buffer[] = [];
	private tailSize = 0;
	private closed = false;
	private error: Error | undefined;

	constructor(
		dir: string,
		private limit = Number.MAX_SAFE_INTEGER,
		/** Keep the bytes in memory (`chunks`) instead of writing a file. */
		readonly inMemory = false,
	) {
		this.path = path.join(dir, `part-${Date.now()}-${randomBytes(6).toString('hex')}`);
		if (inMemory) return;
		this.out = createWriteStream(this.path);
		this.out.on('error', (e) => {
			this.error = e;
		});
	}

	async write(chunk: Buffer): Promise<void> {
		if (this.error) throw this.error;
		this.size += chunk.length;
		if (this.size > this.limit) {
			this.tooLarge = true;
			return;
		}
		this.hash.update(chunk);
		if (this.headSize < EDGE) {
			const take = chunk.subarray(0, EDGE - this.headSize);
			this.headChunks.push(Buffer.from(take));
			this.headSize += take.length;
		}
		this.tailChunks.push(chunk);
		this.tailSize += chunk.length;
		while (this.tailChunks.length > 1 && this.tailSize - this.tailChunks[0].length >= EDGE) this.tailSize -= this.tailChunks.shift()!.length;
		if (!this.out) {
			this.chunks.push(chunk);
			return;
		}
		if (!this.out.write(chunk)) await once(this.out, 'drain');
	}

	async end(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (!this.out) return;
		this.out.end();
		await finished(this.out);
		if (this.error) throw this.error;
	}

	get sha256(): string {
		return this.hash.copy().digest('hex');
	}

	get head(): Buffer {
		return Buffer.concat(this.headChunks);
	}

	get tail(): Buffer {
		const t = Buffer.concat(this.tailChunks);
		return t.subarray(Math.max(0, t.length - EDGE));
	}

	/** Closes (if needed) and deletes the file. */
	async discard(): Promise<void> {
		this.chunks.length = 0;
		if (!this.out) return;
		if (!this.closed) {
			this.closed = true;
			this.out.destroy();
			await finished(this.out).catch(() => undefined);
		}
		await fsp.rm(this.path, { force: true });
	}
}
