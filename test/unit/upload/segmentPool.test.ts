import { SegmentPool } from '../../../nodes/XMedia/upload/segmentPool';

describe('SegmentPool', () => {
	it('makes buffers on demand up to its capacity, then hands back released ones', async () => {
		const pool = new SegmentPool(2, 16);
		const a = await pool.acquire();
		const b = await pool.acquire();
		expect(a).toHaveLength(16);
		expect(b).not.toBe(a);
		expect(pool.allocated).toBe(2);
		let third: Buffer | undefined;
		const waiting = pool.acquire().then((buf) => (third = buf));
		await Promise.resolve();
		expect(third).toBeUndefined(); // all in use: it waits
		pool.release(a!);
		await waiting;
		expect(third).toBe(a); // the same memory, reused
		pool.release(b!);
		expect(await pool.acquire()).toBe(b);
		expect(pool.allocated).toBe(2);
	});

	it('wakes waiters with undefined when closed', async () => {
		const pool = new SegmentPool(1, 4);
		await pool.acquire();
		const waiting = pool.acquire();
		pool.close();
		await expect(waiting).resolves.toBeUndefined();
		await expect(pool.acquire()).resolves.toBeUndefined();
	});

	it('refuses a capacity or size that is not a positive whole number', () => {
		expect(() => new SegmentPool(0, 4)).toThrow(RangeError);
		expect(() => new SegmentPool(1, 0.5)).toThrow(RangeError);
	});
});
