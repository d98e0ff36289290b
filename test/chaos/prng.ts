/**
 * A tiny seeded PRNG for the chaos soak (no dependency): mulberry32, plus the few draws the soak
 * needs. The same seed gives the same sequence on every machine.
 */

export class Prng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A child generator for sub-stream `n`: run n's plan does not depend on how many runs came before. */
	static derive(seed: number, n: number): Prng {
		return new Prng(mix(seed, n));
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}

	/** Picks a key by weight: `{ a: 3, b: 1 }` gives a three times in four. */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
		const entries = Object.entries(weights) as Array<[K, number]>;
		const total = entries.reduce((sum, [, w]) => sum + w, 0);
		let r = this.next() * total;
		for (const [key, w] of entries) {
			r -= w;
			if (r < 0) return key;
		}
		return entries[entries.length - 1][0];
	}

	/** `length` pseudo-random bytes (fast: 4 bytes per draw). */
	bytes(length: number): Buffer {
		const out = Buffer.alloc(length);
		let i = 0;
		for (; i + 4 <= length; i += 4) out.writeUInt32LE(Math.floor(this.next() * 4294967296), i);
		for (; i < length; i++) out[i] = Math.floor(this.next() * 256);
		return out;
	}
}

/** Mixes a seed and a sub-stream number into a new 32-bit seed (splitmix-style). */
export function mix(seed: number, n: number): number {
	let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) >>> 0;
	z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
	z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
	return (z ^ (z >>> 16)) >>> 0;
}
