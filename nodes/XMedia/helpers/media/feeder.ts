/**
 * Drives a reader (see `types.ts`) with the pieces of a stream, in one pass, holding only what the
 * reader asked to read: skipped bytes (an `mdat` payload) are counted, never kept.
 *
 * Two ways to drive it:
 * - push: hand it the file's pieces in order (`push`), whatever their size (a stream, S3, bytes in
 *   memory); skipped bytes go by.
 * - seek: ask it what it needs next (`nextNeed()`: read n bytes or skip n bytes, at `position`),
 *   read just those bytes from wherever the file is and `push` them, and `skip(n)` over the bytes
 *   it skips without reading them at all.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MAX_READ_BYTES, MediaStructureError } from './types';
import type { MediaReader, ReadRequest } from './types';

/** More requests than this without progress means a reader bug: stop instead of spinning. */
const MAX_IDLE_STEPS = 10000;

export interface FeedOutcome {
	/** The reader finished (it needs no more bytes). */
	done: boolean;
	/** Set when the file's structure is broken (the reader stopped there). */
	error?: string;
	/** How many bytes the reader consumed (read or skipped). */
	consumed: number;
}

export class MediaFeeder {
	private request: ReadRequest | undefined;
	private parts: Buffer[] = [];
	private partBytes = 0;
	private skipLeft = 0;
	private finished = false;
	private error: string | undefined;
	private consumed = 0;

	constructor(private readonly reader: MediaReader) {
		this.advance(() => reader.next());
	}

	/** True when the reader needs no more bytes. */
	get done(): boolean {
		return this.finished;
	}

	/** Where in the file the next byte the reader takes sits (bytes read or skipped so far). */
	get position(): number {
		return this.consumed;
	}

	/**
	 * What the reader needs next, from `position` on: `{ read: n }` (n more bytes to read; fewer
	 * are fine at the end of the file) or `{ skip: n }` (n bytes it does not look at); undefined when
	 * it is done.
	 */
	nextNeed(): { read: number } | { skip: number } | undefined {
		if (this.finished || this.request === undefined) return undefined;
		if ('skip' in this.request) return { skip: this.skipLeft };
		return { read: this.request.read - this.partBytes };
	}

	/**
	 * Passes over `n` bytes the reader skips, without them (seek mode). Only while the reader
	 * skips, and at most what it skips; returns whether the reader is done.
	 */
	skip(n: number): boolean {
		const need = this.nextNeed();
		if (need === undefined) return true;
		if (!('skip' in need) || !Number.isSafeInteger(n) || n < 0 || n > need.skip) {
			throw new RangeError(`skip(${n}) while the reader needs ${JSON.stringify(need)}`);
		}
		this.skipLeft -= n;
		this.consumed += n;
		if (this.skipLeft === 0) this.answer(Buffer.alloc(0));
		return this.finished;
	}

	/**
	 * Feeds the next piece of the file; returns whether the reader is done. The piece is copied
	 * (the caller may reuse it), unless `handOver` says it is the caller's no longer: a piece that
	 * is exactly one whole read request is then given to the reader as it is.
	 */
	push(piece: Uint8Array, handOver = false): boolean {
		let buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
		if (handOver && !this.finished && this.request && 'read' in this.request && this.partBytes === 0 && buf.length === this.request.read) {
			this.consumed += buf.length;
			this.answer(buf);
			return this.finished;
		}
		while (!this.finished && buf.length > 0) {
			const request = this.request as ReadRequest;
			if ('skip' in request) {
				const take = Math.min(this.skipLeft, buf.length);
				this.skipLeft -= take;
				this.consumed += take;
				buf = buf.subarray(take);
				if (this.skipLeft === 0) this.answer(Buffer.alloc(0));
			} else {
				const want = request.read - this.partBytes;
				const take = Math.min(want, buf.length);
				// Copy: the reader may keep what it read, and must not pin the stream's piece.
				this.parts.push(Buffer.from(buf.subarray(0, take)));
				this.partBytes += take;
				this.consumed += take;
				buf = buf.subarray(take);
				if (this.partBytes === request.read) this.answer(this.takeParts());
			}
		}
		return this.finished;
	}

	/** The file ended: the reader gets what is left, then null until it returns. */
	end(): FeedOutcome {
		let guard = 0;
		while (!this.finished) {
			if (++guard > MAX_IDLE_STEPS) {
				this.fail('the reader did not stop at the end of the file');
				break;
			}
			const request = this.request as ReadRequest;
			if ('read' in request && this.partBytes > 0) this.answer(this.takeParts());
			else this.answer(null);
		}
		return this.outcome();
	}

	outcome(): FeedOutcome {
		return { done: this.finished, error: this.error, consumed: this.consumed };
	}

	private takeParts(): Buffer {
		const out = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes);
		this.parts = [];
		this.partBytes = 0;
		return out;
	}

	private answer(value: Buffer | null): void {
		this.advance(() => this.reader.next(value));
	}

	private advance(step: () => IteratorResult<ReadRequest, void>): void {
		for (let idle = 0; ; idle++) {
			let result: IteratorResult<ReadRequest, void>;
			try {
				result = step();
			} catch (error) {
				this.fail(error instanceof MediaStructureError ? error.message : `unreadable structure (${String((error as Error)?.message ?? error)})`);
				return;
			}
			if (result.done) {
				this.finished = true;
				this.request = undefined;
				return;
			}
			const request = result.value;
			const n = 'read' in request ? request.read : request.skip;
			if (!Number.isSafeInteger(n) || n < 0 || ('read' in request && n > MAX_READ_BYTES)) {
				this.fail(`a length of ${n} bytes in the file's structure is impossible`);
				return;
			}
			this.request = request;
			if (n > 0) {
				if ('skip' in request) this.skipLeft = n;
				return;
			}
			if (idle > MAX_IDLE_STEPS) {
				this.fail('the file\'s structure loops without progress');
				return;
			}
			step = () => this.reader.next(Buffer.alloc(0));
		}
	}

	private fail(message: string): void {
		this.error = message;
		this.finished = true;
		this.request = undefined;
		this.parts = [];
		try {
			this.reader.return(undefined);
		} catch {
			// The reader's own cleanup failed: the error above says enough.
		}
	}
}

/** Runs a reader over bytes in memory (tests, and files already read whole). */
export function feedBytes(reader: MediaReader, bytes: Uint8Array, pieceBytes = bytes.length || 1): FeedOutcome {
	const feeder = new MediaFeeder(reader);
	for (let at = 0; at < bytes.length && !feeder.done; at += pieceBytes) {
		feeder.push(bytes.subarray(at, Math.min(bytes.length, at + pieceBytes)));
	}
	return feeder.end();
}
