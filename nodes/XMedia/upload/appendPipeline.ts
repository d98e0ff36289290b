/**
 * The APPEND phase of a chunked upload: n8n's stream is read in small pieces into a fixed pool of
 * segment buffers while APPENDs are in flight, so reading the next segment overlaps the requests.
 * How many are in flight is the window's (helpers/appendWindow.ts): Parallel Uploads when the user
 * set it, else what the link needs, up to a cap; memory is (most in flight + 1) × chunk size
 * whatever the file size.
 *
 * - A piece that holds a whole segment from its first byte (database mode hands out the whole file
 *   as one piece) is sent as a view into it: no copy, no pooled buffer.
 * - Segments X already acknowledged (an upload resumed on n8n's Retry On Fail) are read past and not
 *   sent; `acknowledged` is updated as X acknowledges each segment, so whoever keeps it knows, after a
 *   failure, exactly what X holds.
 * - When a segment fails for good, no new segment starts, the segments in flight finish, and the
 *   failure is thrown after them.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { pieceToBuffer } from './io/streamHead';
import type { XApiClient } from '../transport/xApiClient';
import { X_API } from '../transport/endpoints';
import { closeSource, findPositionalReader, findReadableFrom } from './io/streams';
import type { PositionalReader, ReadableFrom } from './io/streams';
import { segmentBody } from './io/multipartBody';
import { SegmentPool } from './segmentPool';
import { AppendWindow } from '../helpers/appendWindow';
import { DEFAULT_RETRY_POLICY } from '../transport/retryPolicy';

/** Pieces asked of n8n's stream: small, so that filling a pooled buffer leaves little garbage. */
export const READ_PIECE_BYTES = 256 * 1024;

interface AppendInput {
	client: XApiClient;
	mediaId: string;
	/** A fresh stream of the whole file (pieces of any size); none when the source reads at positions. */
	stream?: AsyncIterable<Uint8Array>;
	/** Reads at positions without a stream (a URL whose server takes ranges, upload/io/urlSource.ts). */
	positional?: PositionalReader;
	/** `Readable.from` for the request bodies, when the source knows it (else found on the stream). */
	readableFrom?: ReadableFrom;
	/** Bytes the file should have. */
	size: number;
	chunkBytes: number;
	/** Parallel Uploads as the user set it (exactly this many in flight); undefined: adapt to the link. */
	parallel?: number;
	/** Round trip of a request carrying almost nothing (INITIALIZE), ms: what the window adapts from. */
	roundTripMs?: number;
	itemIndex: number;
	/** One flag per segment: 1 once X acknowledged it. Read (to skip) and written (as X answers). */
	acknowledged: Uint8Array;
	/** Called when X acknowledges a segment, with what the APPEND answer says (`expires_at`…). */
	onAcknowledged?: (index: number, data: IDataObject | undefined) => void;
}

export interface AppendOutcome {
	/** Segments X acknowledged in this run. */
	segments: number;
	/** Bytes the stream gave (all of them, skipped segments included). */
	bytes: number;
	/** The status of a segment X refused as too large (413/431), if one was. */
	tooLarge?: number;
	/** How many pooled buffers the upload used, and how many APPENDs were in flight at most. */
	buffersAllocated: number;
	maxInFlight: number;
	/** The window at the end, and the most it could have been. */
	window: number;
	windowCap: number;
	/** Time spent holding APPENDs back for X's rate limit, ms. */
	rateWaitMs: number;
}

interface ReadySegment {
	index: number;
	bytes: Buffer;
	/** The pooled buffer it lives in; undefined for a view into a piece of the stream. */
	pooled?: Buffer;
}

export function segmentCountFor(size: number, chunkBytes: number): number {
	return Math.ceil(size / chunkBytes);
}

export async function appendSegments(input: AppendInput): Promise<AppendOutcome> {
	const { client, mediaId, size, chunkBytes, itemIndex, acknowledged } = input;
	const count = segmentCountFor(size, chunkBytes);
	const missing = count - acknowledged.reduce((n, a) => n + (a ? 1 : 0), 0);
	const window = new AppendWindow({
		segmentBytes: Math.min(chunkBytes, size),
		fixed: input.parallel,
		roundTripMs: input.roundTripMs,
		maxRateWaitMs: DEFAULT_RETRY_POLICY.maxRateLimitWaitMs,
	});
	// Never more in flight than segments to send.
	const cap = Math.max(1, Math.min(window.cap, missing || 1));
	const limit = () => Math.min(window.size, cap);
	const pool = new SegmentPool(Math.min(cap + 1, Math.max(1, missing)), Math.min(chunkBytes, size));
	pool.setLimit(limit() + 1);
	const readableFrom = input.readableFrom ?? (input.stream ? findReadableFrom(input.stream) : undefined);
	const outcome: AppendOutcome = { segments: 0, bytes: 0, buffersAllocated: 0, maxInFlight: 0, window: 0, windowCap: cap, rateWaitMs: 0 };
	const segmentLength = (index: number) => Math.min(chunkBytes, size - index * chunkBytes);

	let stop = false;
	let failure: unknown;
	let readerDone = false;
	const ready: ReadySegment[] = [];
	// Whoever waits for a change (a segment ready, room for one, the reader done) is woken on every
	// change and looks again.
	let waiters: Array<() => void> = [];
	const wake = () => {
		const woken = waiters;
		waiters = [];
		for (const resolve of woken) resolve();
	};
	const change = () => new Promise<void>((resolve) => waiters.push(resolve));
	const halt = (error?: unknown) => {
		if (error !== undefined && failure === undefined) failure = error;
		stop = true;
		pool.close();
		wake();
	};

	/** Hands a filled segment to the senders; waits while a window's worth already waits to be sent. */
	const emit = async (segment: ReadySegment) => {
		while (!stop && ready.length >= limit()) await change();
		if (stop) return;
		ready.push(segment);
		wake();
	};

	/**
	 * Filesystem mode: n8n's stream reads from a file handle of its own. Reading that handle at each
	 * segment's position straight into a pooled buffer makes no garbage at all (the stream itself would
	 * allocate a fresh buffer per piece, and those are what make the garbage collector run), and lets a
	 * continued upload skip what X holds without reading it.
	 */
	const readByPosition = async (handle: PositionalReader) => {
		try {
			for (let index = 0; index < count && !stop; index++) {
				if (acknowledged[index]) continue;
				const length = segmentLength(index);
				const buffer = await pool.acquire();
				if (buffer === undefined) return;
				let filled = 0;
				while (filled < length) {
					const { bytesRead } = await handle.read(buffer, filled, length - filled, index * chunkBytes + filled);
					if (bytesRead === 0) break;
					filled += bytesRead;
				}
				if (filled < length) {
					// The file is shorter than its metadata says.
					pool.release(buffer);
					outcome.bytes = index * chunkBytes + filled;
					halt();
					return;
				}
				await emit({ index, bytes: buffer.subarray(0, length), pooled: buffer });
			}
			if (stop) return;
			// Nothing may follow the last byte (a file that grew since its size was read).
			const probe = Buffer.alloc(1);
			const { bytesRead } = await handle.read(probe, 0, 1, size);
			outcome.bytes = size + bytesRead;
		} catch (error) {
			if (!stop) halt(error);
		} finally {
			readerDone = true;
			wake();
		}
	};

	const read = async () => {
		let index = 0;
		let filled = 0;
		let current: Buffer | undefined;
		let total = 0;
		try {
			for await (const raw of input.stream ?? []) {
				if (stop) return;
				const piece = pieceToBuffer(raw);
				total += piece.length;
				if (total > size) {
					outcome.bytes = total;
					halt();
					return;
				}
				let offset = 0;
				while (offset < piece.length && !stop) {
					const length = segmentLength(index);
					const take = Math.min(length - filled, piece.length - offset);
					if (acknowledged[index]) {
						// X has this segment: read past it.
						filled += take;
						offset += take;
					} else if (filled === 0 && current === undefined && take === length) {
						await emit({ index, bytes: piece.subarray(offset, offset + length) });
						filled = length;
						offset += length;
					} else {
						current ??= await pool.acquire();
						if (current === undefined) return; // stopped while waiting for a buffer
						piece.copy(current, filled, offset, offset + take);
						filled += take;
						offset += take;
						if (filled === length) {
							const pooled = current;
							current = undefined;
							await emit({ index, bytes: pooled.subarray(0, length), pooled });
						}
					}
					if (filled === length) {
						index++;
						filled = 0;
					}
				}
			}
			outcome.bytes = total;
		} catch (error) {
			if (!stop) halt(error);
		} finally {
			readerDone = true;
			wake();
		}
	};

	const take = async (): Promise<ReadySegment | undefined> => {
		for (;;) {
			if (stop) return undefined;
			const next = ready.shift();
			if (next) {
				wake();
				return next;
			}
			if (readerDone) return undefined;
			await change();
		}
	};

	const send = async (segment: ReadySegment) => {
		const { index, bytes } = segment;
		let ended = false;
		window.started(index, bytes.length, Date.now());
		outcome.maxInFlight = Math.max(outcome.maxInFlight, window.inFlight);
		try {
			const response = await client.request<{ data?: IDataObject }>({
				method: 'POST',
				path: X_API.append.path(mediaId),
				endpoint: 'append',
				itemIndex,
				passStatuses: [413, 431],
				multipart: () => segmentBody(readableFrom, index, bytes),
			});
			if (response.statusCode === 413 || response.statusCode === 431) {
				outcome.tooLarge = response.statusCode;
				halt();
				return;
			}
			acknowledged[index] = 1;
			outcome.segments++;
			window.finished(index, Date.now(), response.attempts === 1, response.headers);
			ended = true;
			const body = response.body;
			input.onAcknowledged?.(index, body && typeof body === 'object' ? body.data : undefined);
		} catch (error) {
			halt(error);
		} finally {
			if (!ended) window.finished(index, Date.now(), false);
			if (segment.pooled) pool.release(segment.pooled);
			pool.setLimit(limit() + 1);
			wake();
		}
	};

	/** Starts APPENDs while the window has room, until the reader is done or the upload stops. */
	const dispatch = async () => {
		const sending = new Set<Promise<void>>();
		for (;;) {
			while (!stop && window.inFlight >= limit()) await change();
			if (stop) break;
			const wait = window.waitBeforeNext(Date.now());
			if (wait > 0) {
				// X's rate limit: held back in short slices, so that a failure meanwhile stops it.
				const until = Date.now() + wait;
				outcome.rateWaitMs += wait;
				while (!stop && Date.now() < until) await sleep(Math.min(200, until - Date.now()));
				continue;
			}
			const segment = await take();
			if (!segment) break;
			const sent = send(segment).finally(() => sending.delete(sent));
			sending.add(sent);
		}
		await Promise.all(sending);
	};

	const handle = input.positional ?? (input.stream ? findPositionalReader(input.stream) : undefined);
	const reader = handle ? readByPosition(handle) : read();
	try {
		await dispatch();
		if (!stop && !readerDone) halt();
		await reader;
	} finally {
		halt();
		if (input.stream) closeSource(input.stream);
		outcome.buffersAllocated = pool.allocated;
		outcome.window = window.size;
	}
	if (failure !== undefined) throw failure;
	return outcome;
}
