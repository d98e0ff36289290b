import { readHead } from '../../../../nodes/XMedia/upload/io/streamHead';

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

describe('with a Node Readable stream', () => {
	test('readHead destroys the stream it stopped reading', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
		const { Readable } = await import('node:stream');
		const data = bytes(50_000);
		const stream = Readable.from(split(data, [10_000, 10_000, 30_000]));
		expect((await readHead(stream, 100)).equals(data.subarray(0, 100))).toBe(true);
		expect(stream.destroyed).toBe(true);
	});

	test('a stream of text is refused, not read as bytes', async () => {
		await expect(readHead(source(['abc' as unknown as Uint8Array]).iterable, 4)).rejects.toThrow(/yielded text instead of bytes/);
	});
});
