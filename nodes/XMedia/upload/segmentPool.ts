/**
 * A fixed set of segment buffers, reused for the whole of one chunked upload.
 *
 * The pool holds at most `capacity` buffers of `bufferBytes` each ((Parallel Uploads + 1) ×
 * Chunk Size): one per APPEND in flight, and one being filled from n8n's stream while they are
 * in flight. Buffers are made on first need (a small file never makes more than it uses) and never
 * dropped before the upload ends, so the upload's memory is what the settings say, not what the
 * garbage collector has not yet collected. A buffer goes back only when its segment is done
 * (X acknowledged it, or the upload stopped): a retried APPEND resends from the same bytes.
 */
export class SegmentPool {
	private readonly free: Buffer[] = [];
	private readonly waiting: Array<(buffer: Buffer | undefined) => void> = [];
	private made = 0;
	private closed = false;

	constructor(
		readonly capacity: number,
		readonly bufferBytes: number,
	) {
		if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`Invalid pool capacity ${capacity}`);
		if (!Number.isSafeInteger(bufferBytes) || bufferBytes < 1) throw new RangeError(`Invalid buffer size ${bufferBytes}`);
	}

	/** How many buffers the pool has made (never more than `capacity`). */
	get allocated(): number {
		return this.made;
	}

	/** A buffer to fill; waits while every buffer is in use. Undefined once the pool is closed. */
	async acquire(): Promise<Buffer | undefined> {
		if (this.closed) return undefined;
		const buffer = this.free.pop();
		if (buffer) return buffer;
		if (this.made < this.capacity) {
			this.made++;
			// Not from Node's shared slab: each buffer owns its memory for the whole upload.
			return Buffer.allocUnsafeSlow(this.bufferBytes);
		}
		return await new Promise<Buffer | undefined>((resolve) => this.waiting.push(resolve));
	}

	/** Gives a buffer back (its segment is done). */
	release(buffer: Buffer): void {
		if (this.closed) return;
		const next = this.waiting.shift();
		if (next) next(buffer);
		else this.free.push(buffer);
	}

	/** Ends the pool: whoever waits gets undefined, and the buffers are let go. */
	close(): void {
		this.closed = true;
		this.free.length = 0;
		for (const resolve of this.waiting.splice(0)) resolve(undefined);
	}
}
