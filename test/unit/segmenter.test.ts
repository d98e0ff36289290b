import fc from 'fast-check';
import { MediaInputError } from '../../nodes/XMedia/helpers/errors';
import { cutSegments, expectSize, peekHead, readHead } from '../../nodes/XMedia/helpers/segmenter';
import { segmentRanges } from '../../nodes/XMedia/helpers/uploadPlanner';
import { expectInputErrorAsync } from './expectError';

/** An async source over `pieces` that records how far it was read and whether it was closed. */
function source(pieces: Uint8Array[]) {
	const state = { pulled: 0, closed: false, finished: false };
	async function* gen() {
		try {
			for (const piece of pieces) {
				state.pulled++;
				yield piece;
			}
			state.finished = true;
		} finally {
			state.closed = true;
		}
	}
	return { iterable: gen(), state };
}

function bytes(n: number, seed = 0): Buffer {
	const b = Buffer.alloc(n);
	for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
	return b;
}

function split(data: Buffer, sizes: number[]): Buffer[] {
	const out: Buffer[] = [];
	let pos = 0;
	for (const s of sizes) {
		out.push(data.subarray(pos, pos + s));
		pos += s;
	}
	return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const x of it) out.push(x);
	return out;
}

describe('cutSegments', () => {
	test.each([
		['one big piece (database mode)', [10], 4, [4, 4, 2]],
		['small pieces (filesystem mode)', [2, 2, 2, 2, 1], 4, [4, 4, 1]],
		['pieces of exactly one segment', [4, 4, 4], 4, [4, 4, 4]],
		['pieces straddling segments', [3, 3, 3, 3], 4, [4, 4, 4]],
		['mixed sizes', [1, 9, 0, 2, 7], 5, [5, 5, 5, 4]],
		['shorter than one segment', [3], 4, [3]],
		['empty pieces only', [0, 0], 4, []],
		['no pieces', [], 4, []],
	])('%s', async (_name, pieceSizes, chunk, expected) => {
		const data = bytes(pieceSizes.reduce((a, b) => a + b, 0));
		const segments = await collect(cutSegments(source(split(data, pieceSizes)).iterable, chunk));
		expect(segments.map((s) => s.length)).toEqual(expected);
		expect(Buffer.concat(segments).equals(data)).toBe(true);
		segments.forEach((s) => expect(Buffer.isBuffer(s)).toBe(true));
	});

	test('a piece that is exactly a segment passes through without a copy', async () => {
		const pieces = [bytes(4, 1), bytes(4, 2)];
		const segments = await collect(cutSegments(source(pieces).iterable, 4));
		segments.forEach((s, i) => {
			expect(s.buffer).toBe(pieces[i].buffer);
			expect(s.byteOffset).toBe(pieces[i].byteOffset);
		});
	});

	test('segments cut from one big piece are views of it, not copies; its carried-over tail is copied', async () => {
		const big = bytes(10 * 1024);
		const segments = await collect(cutSegments(source([big]).iterable, 4096));
		expect(segments.map((s) => s.length)).toEqual([4096, 4096, 2048]);
		expect(segments[0].buffer).toBe(big.buffer);
		expect(segments[1].buffer).toBe(big.buffer);
		expect(segments[2].buffer).not.toBe(big.buffer); // does not pin the big piece
	});

	test('a segment spanning pieces is its own buffer', async () => {
		const pieces = [bytes(3), bytes(3, 5)];
		const [first] = await collect(cutSegments(source(pieces).iterable, 4));
		expect(first.buffer).not.toBe(pieces[0].buffer);
		expect(first.buffer).not.toBe(pieces[1].buffer);
	});

	test('accepts plain Uint8Array pieces (views into a larger ArrayBuffer)', async () => {
		const backing = new Uint8Array(20).map((_, i) => i);
		const pieces = [backing.subarray(2, 7), backing.subarray(7, 12)];
		const segments = await collect(cutSegments(source(pieces).iterable, 3));
		expect(Buffer.concat(segments)).toEqual(Buffer.from([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
	});

	test('refuses text pieces and bad chunk sizes', async () => {
		await expect(collect(cutSegments(source(['abc' as unknown as Uint8Array]).iterable, 4))).rejects.toThrow(/yielded text instead of bytes/);
		await expect(collect(cutSegments(source([]).iterable, 0))).rejects.toThrow(RangeError);
		await expect(collect(cutSegments(source([]).iterable, 1.5))).rejects.toThrow(RangeError);
	});

	test('stopping early closes the source', async () => {
		const src = source([bytes(4), bytes(4), bytes(4)]);
		for await (const segment of cutSegments(src.iterable, 4)) {
			expect(segment.length).toBe(4);
			break;
		}
		expect(src.state.closed).toBe(true);
		expect(src.state.finished).toBe(false);
	});

	test('property: any piece sizes give exactly the input, in chunkBytes segments matching segmentRanges', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 30 }),
				fc.integer({ min: 1, max: 200 }),
				async (pieceSizes, chunk) => {
					const total = pieceSizes.reduce((a, b) => a + b, 0);
					const data = bytes(total, pieceSizes.length);
					const segments = await collect(cutSegments(source(split(data, pieceSizes)).iterable, chunk, total));
					const ranges = segmentRanges(total, chunk);
					expect(segments.map((s) => s.length)).toEqual(ranges.map((r) => r.end - r.start));
					expect(Buffer.concat(segments).equals(data)).toBe(true);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('expected size ("the file changed while uploading")', () => {
	test('matching size passes', async () => {
		const segments = await collect(cutSegments(source([bytes(5), bytes(5)]).iterable, 4, 10));
		expect(segments.map((s) => s.length)).toEqual([4, 4, 2]);
	});

	test('more bytes than expected: error before any byte past the size is yielded', async () => {
		const got: Buffer[] = [];
		await expectInputErrorAsync(
			async () => {
				for await (const s of cutSegments(source([bytes(4), bytes(4), bytes(4)]).iterable, 4, 9)) got.push(s);
			},
			'The file changed while it was being uploaded: it has more than the 9 bytes it had when the upload started',
			/Run the workflow again/,
		);
		expect(got.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(9);
	});

	test('fewer bytes than expected: error at the end', async () => {
		await expectInputErrorAsync(
			() => collect(cutSegments(source([bytes(4), bytes(2)]).iterable, 4, 1_000_000)),
			'The file changed while it was being uploaded: it ended after 6 of the 1,000,000 bytes expected',
		);
	});

	test('expectSize alone', async () => {
		expect((await collect(expectSize(source([bytes(3)]).iterable, 3))).length).toBe(1);
		await expect(collect(expectSize(source([bytes(3)]).iterable, 2))).rejects.toBeInstanceOf(MediaInputError);
	});
});

describe('readHead', () => {
	test('reads only what it needs, copies it, and closes the source', async () => {
		const src = source([bytes(10), bytes(10, 3), bytes(10, 7)]);
		const head = await readHead(src.iterable, 15);
		expect(head.equals(Buffer.concat([bytes(10), bytes(10, 3)]).subarray(0, 15))).toBe(true);
		expect(src.state.pulled).toBe(2);
		expect(src.state.closed).toBe(true);
	});

	test('does not copy a huge single piece, only the head', async () => {
		const big = bytes(1024 * 1024);
		const head = await readHead(source([big]).iterable, 16);
		expect(head.length).toBe(16);
		expect(head.buffer).not.toBe(big.buffer);
		expect(head.buffer.byteLength).toBeLessThan(big.length);
	});

	test('shorter streams give what there is', async () => {
		expect((await readHead(source([bytes(3)]).iterable, 100)).length).toBe(3);
		expect((await readHead(source([]).iterable, 100)).length).toBe(0);
		expect((await readHead(source([bytes(3)]).iterable, 0)).length).toBe(0);
	});
});

describe('peekHead', () => {
	test('head, then the whole stream again from its first byte', async () => {
		const pieces = [bytes(5), bytes(5, 1), bytes(5, 2), bytes(5, 3)];
		const src = source(pieces);
		const peeked = await peekHead(src.iterable, 7);
		expect(peeked.head.equals(Buffer.concat(pieces).subarray(0, 7))).toBe(true);
		expect(src.state.pulled).toBe(2);
		const all = await collect(peeked.rest);
		expect(Buffer.concat(all).equals(Buffer.concat(pieces))).toBe(true);
		expect(src.state.finished).toBe(true);
		await peeked.close(); // harmless afterwards
	});

	test('works with cutSegments on the replay', async () => {
		const data = bytes(1000);
		const peeked = await peekHead(source(split(data, [100, 250, 650])).iterable, 64);
		const segments = await collect(cutSegments(peeked.rest, 300, 1000));
		expect(segments.map((s) => s.length)).toEqual([300, 300, 300, 100]);
		expect(Buffer.concat(segments).equals(data)).toBe(true);
	});

	test('a stream shorter than the head', async () => {
		const src = source([bytes(3)]);
		const peeked = await peekHead(src.iterable, 100);
		expect(peeked.head.length).toBe(3);
		expect(Buffer.concat(await collect(peeked.rest)).length).toBe(3);
	});

	test('close() without reading the rest releases the source', async () => {
		const src = source([bytes(5), bytes(5), bytes(5)]);
		const peeked = await peekHead(src.iterable, 3);
		expect(src.state.closed).toBe(false);
		await peeked.close();
		expect(src.state.closed).toBe(true);
	});

	test('stopping the replay early releases the source', async () => {
		const src = source([bytes(5), bytes(5), bytes(5)]);
		const peeked = await peekHead(src.iterable, 3);
		for await (const piece of peeked.rest) {
			expect(piece.length).toBe(5);
			break;
		}
		expect(src.state.closed).toBe(true);
	});

	test('an error while reading the head is passed on and the source released', async () => {
		let closed = false;
		const failing = {
			[Symbol.asyncIterator]() {
				return {
					next: async () => {
						throw new Error('disk gone');
					},
					return: async () => {
						closed = true;
						return { done: true as const, value: undefined };
					},
				};
			},
		};
		await expect(peekHead(failing as AsyncIterable<Uint8Array>, 10)).rejects.toThrow('disk gone');
		expect(closed).toBe(true);
	});
});

describe('with Node Readable streams', () => {
	test('database mode (the whole file as one piece) and filesystem mode (small pieces)', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
		const { Readable } = await import('node:stream');
		const data = bytes(100_000);
		const whole = await collect(cutSegments(Readable.from(data), 32_768, data.length));
		expect(whole.map((s) => s.length)).toEqual([32_768, 32_768, 32_768, 1696]);
		expect(Buffer.concat(whole).equals(data)).toBe(true);
		const pieces = split(data, Array.from({ length: 25 }, () => 4000));
		const small = await collect(cutSegments(Readable.from(pieces), 32_768, data.length));
		expect(Buffer.concat(small).equals(data)).toBe(true);
	});

	test('readHead destroys the stream it stopped reading; peekHead replays it', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
		const { Readable } = await import('node:stream');
		const data = bytes(50_000);
		const stream = Readable.from(split(data, [10_000, 10_000, 30_000]));
		expect((await readHead(stream, 100)).equals(data.subarray(0, 100))).toBe(true);
		expect(stream.destroyed).toBe(true);

		const peeked = await peekHead(Readable.from(split(data, [10_000, 10_000, 30_000])), 15_000);
		expect(peeked.head.equals(data.subarray(0, 15_000))).toBe(true);
		expect(Buffer.concat(await collect(peeked.rest)).equals(data)).toBe(true);

		const abandoned = Readable.from(split(data, [10_000, 10_000, 30_000]));
		const peeked2 = await peekHead(abandoned, 10);
		await peeked2.close();
		expect(abandoned.destroyed).toBe(true);
	});
});
