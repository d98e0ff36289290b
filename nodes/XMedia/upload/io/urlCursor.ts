/**
 * The reads of one URL (urlSource.ts): forward on one connection, a new connection where a read
 * jumps (a range request from that byte) or where one drops, stalls or fails (within the
 * transport's retry policy). Every answer after the first is checked against the first (size,
 * start, ETag, Last-Modified): another file is an error, never bytes of it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { KiB } from '../../helpers/limits';
import { hostAndPath, parseContentLength, parseContentRange } from '../../helpers/mediaUrl';
import { DEFAULT_RETRY_POLICY } from '../../transport/retryPolicy';
import { pieceToBuffer } from './streamHead';
import { closeSource } from './streams';
import type { PositionalReader } from './streams';
import type { UrlAnswer } from './urlFetch';
import { getUrl, statusError, UrlReadError } from './urlFetch';

/** A forward jump shorter than this is read through on the open connection rather than asked anew. */
const READ_THROUGH_BYTES = 256 * KiB;

interface Live {
	answer: UrlAnswer;
	iterator: AsyncIterator<Uint8Array>;
	/** File position of the next byte (of `pending` when there is one). */
	position: number;
	pending: Buffer | undefined;
}

/** Reads the URL's bytes forward on one connection, opening a new one where it must. */
export class UrlCursor implements PositionalReader {
	requests = 0;
	private live: Live | undefined;
	private size = 0;
	private ranges = false;
	private etag: string | undefined;
	private lastModified: string | undefined;
	private waitingSince: number | undefined;
	private idleFired = false;
	private watching = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private url: URL,
		private readonly timeoutMs: number,
	) {}

	/** The first GET (`bytes=0-`), retried under the policy; any answer but the file is an error. */
	async first(): Promise<UrlAnswer> {
		return await this.retrying(0, async () => {
			this.requests++;
			const answer = await getUrl(this.ctx, this.url, { rangeStart: 0, connectTimeoutMs: this.timeoutMs });
			if (answer.status !== 200 && answer.status !== 206) {
				closeSource(answer.body);
				answer.abort();
				throw statusError(answer);
			}
			return answer;
		});
	}

	/** Takes the first answer as the open connection at byte 0. */
	start(first: UrlAnswer, size: number, ranges: boolean, etag: string | undefined, lastModified: string | undefined): void {
		this.url = first.url;
		this.size = size;
		this.ranges = ranges;
		this.etag = etag;
		this.lastModified = lastModified;
		this.adopt(first, 0);
	}

	/** PositionalReader: fills `length` bytes at `position` (fewer only at the end of the file). */
	async read(target: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
		const want = Math.max(0, Math.min(length, this.size - position));
		let got = 0;
		while (got < want) {
			got += await this.retrying(position + got, async () => {
				await this.seek(position + got);
				const piece = await this.next();
				const take = Math.min(piece.length, want - got);
				piece.copy(target, offset + got, 0, take);
				this.consume(take);
				return take;
			});
		}
		return { bytesRead: got };
	}

	/** The whole file as a stream of network pieces (no copy), resumed where a connection drops. */
	stream(): AsyncIterable<Uint8Array> & { destroy(): void } {
		let position = 0;
		let stopped = false;
		const pieces = async function* (this: UrlCursor) {
			try {
				while (position < this.size && !stopped) {
					const at = position;
					const piece = await this.retrying(at, async () => {
						if (stopped) throw new UrlReadError(`The read of ${hostAndPath(this.url)} was stopped`, 'Nothing was finalized at X.', false);
						await this.seek(at);
						const next = await this.next();
						const take = next.subarray(0, Math.min(next.length, this.size - at));
						this.consume(take.length);
						return take;
					});
					position += piece.length;
					yield piece;
				}
				// Nothing may follow the announced last byte.
				if (!stopped && this.live && (this.live.pending?.length || !(await this.live.iterator.next()).done)) {
					throw this.lengthError('more');
				}
			} finally {
				this.close();
			}
		}.call(this);
		return Object.assign(pieces, {
			destroy: () => {
				stopped = true;
				this.close();
			},
		});
	}

	/** Ends the open connection, if any. */
	close(): void {
		const live = this.live;
		this.live = undefined;
		if (!live) return;
		live.answer.abort();
		closeSource(live.answer.body);
	}

	shortError(read: number): UrlReadError {
		return this.lengthError('fewer', read);
	}

	private adopt(answer: UrlAnswer, position: number): void {
		this.idleFired = false;
		this.live = { answer, iterator: (answer.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](), position, pending: undefined };
		this.watch();
	}

	/** Puts the connection at `position`: reads through a short jump, else opens a new one there. */
	private async seek(position: number): Promise<void> {
		const live = this.live;
		if (live && live.position === position) return;
		if (live && position > live.position && (position - live.position <= READ_THROUGH_BYTES || !this.ranges)) {
			while (this.live && this.live.position < position) this.consume(Math.min((await this.next()).length, position - this.live.position));
			return;
		}
		this.close();
		this.requests++;
		const answer = await getUrl(this.ctx, this.url, { rangeStart: this.ranges ? position : undefined, connectTimeoutMs: this.timeoutMs });
		const { status, headers } = answer;
		const fail = (error: UrlReadError) => {
			closeSource(answer.body);
			answer.abort();
			return error;
		};
		if (status !== 200 && status !== 206) throw fail(statusError(answer));
		const range = status === 206 ? parseContentRange(headers['content-range']) : undefined;
		const total = status === 206 ? range?.total : parseContentLength(headers['content-length']);
		const changed =
			(status === 206 && range?.first !== position) ||
			(total !== undefined && total !== this.size) ||
			(!!this.etag && !!headers.etag && headers.etag !== this.etag) ||
			(!!this.lastModified && !!headers['last-modified'] && headers['last-modified'] !== this.lastModified);
		if (changed) throw fail(this.changedError(total));
		this.adopt(answer, status === 206 ? position : 0);
		if (status === 200 && position > 0) {
			// The server sent the whole file for a range: it takes none now; read up to `position`.
			this.ranges = false;
			await this.seek(position);
		}
	}

	/** The next piece at the connection's position (never empty); a drop, a stall or an early end throws. */
	private async next(): Promise<Buffer> {
		const live = this.live;
		if (!live) throw new UrlReadError(`The connection to ${hostAndPath(this.url)} is closed`, 'Run the workflow again.', true);
		if (live.pending?.length) return live.pending;
		this.waitingSince = Date.now();
		let result: IteratorResult<Uint8Array> | undefined;
		try {
			result = await live.iterator.next();
		} catch {
			result = undefined;
		} finally {
			this.waitingSince = undefined;
		}
		if (result === undefined) {
			if (this.ctx.getExecutionCancelSignal?.()?.aborted) {
				throw new UrlReadError(`The execution was cancelled while ${hostAndPath(this.url)} was read`, 'Nothing was finalized at X.', false);
			}
			throw this.idleFired
				? new UrlReadError(
						`The server at ${hostAndPath(this.url)} sent nothing for ${Math.round(this.timeoutMs / 1000)} s`,
						'X Media waits a bounded time for each part of a file ("URL Timeout (Seconds)") and tried again. Check the server, or raise the timeout.',
						true,
					)
				: new UrlReadError(`The connection to ${hostAndPath(this.url)} dropped at byte ${live.position}`, 'X Media resumed it and gave up after several tries. Run the workflow again.', true);
		}
		if (result.done) {
			// An end before the announced size: with ranges, a new request from here shows whether the
			// file is shorter (416, or another size) or the connection was cut.
			if (this.ranges) throw new UrlReadError(`The connection to ${hostAndPath(this.url)} ended at byte ${live.position}`, 'Run the workflow again.', true);
			throw this.lengthError('fewer', live.position);
		}
		const piece = pieceToBuffer(result.value);
		if (live.position >= this.size) throw this.lengthError('more');
		live.pending = piece;
		return piece;
	}

	private consume(bytes: number): void {
		const live = this.live;
		if (!live?.pending) return;
		live.pending = bytes >= live.pending.length ? undefined : live.pending.subarray(bytes);
		live.position += bytes;
	}

	/** Runs `work` (a read at `position`), opening the connection again after a retryable failure, within the policy. */
	private async retrying<T>(position: number, work: () => Promise<T>): Promise<T> {
		const policy = DEFAULT_RETRY_POLICY;
		let waited = 0;
		for (let attempt = 1; ; attempt++) {
			let failure: unknown;
			try {
				return await work();
			} catch (error) {
				failure = error;
			}
			this.close();
			const error = failure;
			if (!(error instanceof UrlReadError) || !error.retryable || this.ctx.getExecutionCancelSignal?.()?.aborted) throw error;
			const wait = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
			if (attempt >= policy.maxAttempts || waited + wait > policy.maxTotalWaitMs) {
				throw new UrlReadError(error.message, `${error.description ?? ''} (${attempt} tries, from byte ${position})`.trim(), false, error.status);
			}
			waited += wait;
			await sleep(wait);
		}
	}

	/** While a connection is open: aborts it when a read has waited longer than the timeout. */
	private watch(): void {
		if (this.watching) return;
		this.watching = true;
		const step = Math.max(50, Math.min(1000, Math.floor(this.timeoutMs / 4)));
		void (async () => {
			try {
				while (this.live) {
					await sleep(step);
					const since = this.waitingSince;
					if (since !== undefined && this.live && Date.now() - since > this.timeoutMs) {
						this.idleFired = true;
						this.live.answer.abort();
					}
				}
			} finally {
				this.watching = false;
			}
		})();
	}

	private lengthError(kind: 'fewer' | 'more', read?: number): UrlReadError {
		const where = hostAndPath(this.url);
		return new UrlReadError(
			kind === 'fewer'
				? `The server at ${where} sent ${read ?? 'fewer'} bytes of a file it announced as ${this.size} bytes`
				: `The server at ${where} sent more bytes than the ${this.size} it announced`,
			'The server does not serve the file it announces (its Content-Length is wrong, or the file changed while it was read). X Media did not finalize the upload at X, so nothing is posted. Fix the server, or download the file with the HTTP Request node first.',
			false,
		);
	}

	private changedError(total: number | undefined): UrlReadError {
		return new UrlReadError(
			`The file at ${hostAndPath(this.url)} changed while it was read${total !== undefined && total !== this.size ? ` (${total} bytes now, ${this.size} before)` : ''}`,
			'The server answered a request for the rest of the file with another file (another size, start or ETag). X Media did not finalize the upload at X. Run the workflow again once the file stays the same.',
			false,
		);
	}
}
