/**
 * A fixed set of segment buffers, reused for the whole of one chunked upload.
 *
 * The pool holds at most `capacity` buffers of `bufferBytes` each ((most APPENDs in flight + 1) ×
 * Chunk Size): one per APPEND in flight, and one being filled from n8n's stream while they are
 * in flight. `limit` (at most `capacity`) is how many may be out at once now: it follows the
 * upload's window of APPENDs in flight, so a window that stays small never makes the buffers a
 * larger one would need. Buffers are made on first need (a small file never makes more than it uses) and never
 * dropped before the upload ends, so the upload's memory is what the settings say, not what the
 * garbage collector has not yet collected. A buffer goes back only when its segment is done
 * (X acknowledged it, or the upload stopped): a retried APPEND resends from the same bytes.
 */
export class SegmentPool {
	private readonly free: Buffer[] = [];
	private readonly waiting: Array<(buffer: Buffer | undefined) => void> = [];
	private made = 0;
	private out = 0;
	private closed = false;
	private limitNow: number;

	constructor(
		readonly capacity: number,
		readonly bufferBytes: number,
	) {
		if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`Invalid pool capacity ${capacity}`);
		if (!Number.isSafeInteger(bufferBytes) || bufferBytes < 1) throw new RangeError(`Invalid buffer size ${bufferBytes}`);
		this.limitNow = capacity;
	}

	/** How many buffers may be out at once from now on (1..capacity). */
	setLimit(limit: number): void {
		this.limitNow = Math.max(1, Math.min(this.capacity, Math.floor(limit)));
		this.handOut();
	}

	/** How many buffers the pool has made (never more than `capacity`). */
	get allocated(): number {
		return this.made;
	}

	/** A buffer to fill; waits while every buffer is in use. Undefined once the pool is closed. */
	async acquire(): Promise<Buffer | undefined> {
		if (this.closed) return undefined;
		if (this.waiting.length === 0) {
			const buffer = this.take();
			if (buffer) return buffer;
		}
		return await new Promise<Buffer | undefined>((resolve) => this.waiting.push(resolve));
	}

	/** Gives a buffer back (its segment is done). */
	release(buffer: Buffer): void {
		if (this.closed) return;
		this.out--;
		this.free.push(buffer);
		this.handOut();
	}

	/** A buffer within the limit, reused or made; undefined when the limit is reached. */
	private take(): Buffer | undefined {
		if (this.out >= this.limitNow) return undefined;
		let buffer = this.free.pop();
		if (!buffer && this.made < this.capacity) {
			this.made++;
			// Not from Node's shared slab: each buffer owns its memory for the whole upload.
			buffer = Buffer.allocUnsafeSlow(this.bufferBytes);
		}
		if (buffer) this.out++;
		return buffer;
	}

	private handOut(): void {
		while (this.waiting.length > 0) {
			const buffer = this.take();
			if (!buffer) return;
			this.waiting.shift()!(buffer);
		}
	}

	/** Ends the pool: whoever waits gets undefined, and the buffers are let go. */
	close(): void {
		this.closed = true;
		this.free.length = 0;
		for (const resolve of this.waiting.splice(0)) resolve(undefined);
	}
}
