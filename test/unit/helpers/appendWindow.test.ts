/**
 * The APPEND window, driven by a simulated link (no clock, no network): each APPEND first waits
 * out the round trip, then its segment crosses a link that the segments on the wire share equally
 * (or, with `perFlow`, one that each connection has to itself at a fixed speed).
 */
import { AppendWindow, RESET_MARGIN_MS, WINDOW_SAMPLES, autoCap } from '../../../nodes/XMedia/helpers/appendWindow';
import { AUTO_MAX_IN_FLIGHT_BYTES, MAX_PARALLEL_UPLOADS, MiB } from '../../../nodes/XMedia/helpers/limits';

const SEGMENT = 4 * MiB;
const STEP_MS = 0.25;

interface Link {
	/** Time an APPEND waits before its bytes move (the round trip), ms. */
	roundTripMs: number;
	/** Time one whole segment takes on the link when it has the link to itself, ms. */
	segmentMs: number;
	/** Each connection moves at `segmentMs` per segment whatever the others do (no shared bottleneck). */
	perFlow?: boolean;
	/** What INITIALIZE measured; default: the round trip. `null`: nothing measured. */
	hintMs?: number | null;
	fixed?: number;
	segments?: number;
}

function simulate(link: Link) {
	const window = new AppendWindow({
		segmentBytes: SEGMENT,
		fixed: link.fixed,
		roundTripMs: link.hintMs === null ? undefined : (link.hintMs ?? link.roundTripMs),
		maxRateWaitMs: 300_000,
	});
	const segments = link.segments ?? 128;
	const active: Array<{ id: number; wait: number; bytes: number }> = [];
	const sizes: number[] = [];
	let now = 0;
	let next = 0;
	let done = 0;
	let maxInFlight = 0;
	while (done < segments) {
		while (active.length < window.size && next < segments) {
			window.started(next, SEGMENT, now);
			active.push({ id: next++, wait: link.roundTripMs, bytes: SEGMENT });
		}
		maxInFlight = Math.max(maxInFlight, active.length);
		const onWire = active.filter((a) => a.wait <= 0).length;
		const perMs = SEGMENT / link.segmentMs / (link.perFlow ? 1 : Math.max(1, onWire));
		for (const a of active) {
			if (a.wait > 0) a.wait -= STEP_MS;
			else a.bytes -= perMs * STEP_MS;
		}
		now += STEP_MS;
		for (const a of active.filter((x) => x.bytes <= 0)) {
			active.splice(active.indexOf(a), 1);
			window.finished(a.id, now, true);
			sizes.push(window.size);
			done++;
		}
	}
	return { size: window.size, elapsedMs: now, maxInFlight, sizes, estimate: window.estimate };
}

describe('autoCap', () => {
	it('allows at most 8 in flight and 32 MiB of segments, never fewer than 3', () => {
		expect(autoCap(4 * MiB)).toBe(MAX_PARALLEL_UPLOADS);
		expect(autoCap(256 * 1024)).toBe(MAX_PARALLEL_UPLOADS);
		expect(autoCap(8 * MiB)).toBe(4);
		expect(autoCap(6 * MiB)).toBe(5);
		expect(autoCap(64 * MiB)).toBe(3);
		for (const mib of [0.25, 1, 2, 3, 4, 5, 6, 7, 8]) {
			const bytes = mib * MiB;
			expect((autoCap(bytes) + 1) * bytes).toBeLessThanOrEqual(AUTO_MAX_IN_FLIGHT_BYTES + bytes);
		}
	});
});

describe('AppendWindow adapting to the link', () => {
	it('starts at 3', () => {
		expect(new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 1, maxRateWaitMs: 1000 }).size).toBe(3);
	});

	it('stays at 3 (its floor) on a near link, where more would only share the same bandwidth', () => {
		const r = simulate({ roundTripMs: 1, segmentMs: 20 });
		// Now and then it tries 4, which does not pay, and comes back.
		expect(Math.max(...r.sizes)).toBeLessThanOrEqual(4);
		expect(r.sizes.filter((s) => s === 3).length).toBeGreaterThan(r.sizes.length * 0.7);
		expect(r.estimate.segmentMs).toBeCloseTo(20, 0);
	});

	it('keeps the bandwidth-delay product in flight at 50 ms: 1 + 50 / 20 → 4', () => {
		const r = simulate({ roundTripMs: 50, segmentMs: 20 });
		expect(r.size).toBe(4);
	});

	it('goes to the cap (8) at 200 ms, and that is faster than 3', () => {
		const adaptive = simulate({ roundTripMs: 200, segmentMs: 20 });
		const three = simulate({ roundTripMs: 200, segmentMs: 20, fixed: 3 });
		expect(adaptive.size).toBe(8);
		expect(adaptive.maxInFlight).toBe(8);
		expect(three.maxInFlight).toBe(3);
		expect(adaptive.elapsedMs).toBeLessThan(three.elapsedMs * 0.6);
	});

	it('stays at 3 on a slow link (100 Mbit/s: 335 ms per 4 MiB segment), where the link is the limit', () => {
		const r = simulate({ roundTripMs: 2, segmentMs: 335 });
		expect(r.size).toBe(3);
	});

	it('grows to the cap when each connection is slow on its own (no shared bottleneck: the model is wrong, the check finds it)', () => {
		const link = { roundTripMs: 30, segmentMs: 100, perFlow: true, segments: 400 };
		const r = simulate(link);
		expect(r.size).toBe(8);
		expect(r.elapsedMs).toBeLessThan(simulate({ ...link, fixed: 3 }).elapsedMs * 0.5);
	});

	it('is within 10% of the best fixed number on a near, a far and a slow link, and beats 3 at 50 ms', () => {
		const fixedTimes = (link: Link) => [1, 2, 3, 4, 6, 8].map((fixed) => simulate({ ...link, fixed }).elapsedMs);
		for (const link of [
			{ roundTripMs: 1, segmentMs: 20 },
			{ roundTripMs: 200, segmentMs: 20 },
			{ roundTripMs: 2, segmentMs: 335 },
		]) {
			expect(simulate(link).elapsedMs).toBeLessThanOrEqual(Math.min(...fixedTimes(link)) * 1.1);
		}
		// At 50 ms each APPEND beyond 4 gains a few per cent here: a third of what it could gain at
		// best is asked of it, so the window stays near 4.
		const fifty = { roundTripMs: 50, segmentMs: 20 };
		expect(simulate(fifty).elapsedMs).toBeLessThan(simulate({ ...fifty, fixed: 3 }).elapsedMs);
		expect(simulate(fifty).elapsedMs).toBeLessThanOrEqual(Math.min(...fixedTimes(fifty)) * 1.3);
	});

	it('takes the shortest APPEND as the round trip when INITIALIZE was slower (a cold connection)', () => {
		const r = simulate({ roundTripMs: 50, segmentMs: 20, hintMs: 400 });
		expect(r.estimate.roundTripMs).toBeLessThan(400);
		expect(r.estimate.roundTripMs).toBeGreaterThanOrEqual(50);
	});

	it('without a round trip measured before the APPENDs, climbs one at a time while it pays', () => {
		const far = simulate({ roundTripMs: 200, segmentMs: 20, hintMs: null, segments: 400 });
		expect(far.size).toBe(8);
		const near = simulate({ roundTripMs: 1, segmentMs: 20, hintMs: null, segments: 400 });
		expect(near.size).toBeLessThanOrEqual(4);
	});

	it('ignores APPENDs that were retried or failed', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 1, maxRateWaitMs: 1000 });
		for (let i = 0; i < WINDOW_SAMPLES; i++) {
			w.started(i, SEGMENT, i * 100);
			w.finished(i, i * 100 + 60_000, false);
		}
		expect(w.size).toBe(3);
		expect(w.inFlight).toBe(0);
		expect(w.estimate.segmentMs).toBeNaN();
	});

	it('scales a short last segment to a whole one', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 10, maxRateWaitMs: 1000 });
		w.started(0, SEGMENT / 4, 0);
		w.finished(0, 15, true);
		expect(w.estimate.segmentMs).toBeCloseTo(20, 5);
	});
});

describe('AppendWindow with Parallel Uploads set', () => {
	it.each([1, 3, 8])('keeps exactly %p in flight whatever the link', (fixed) => {
		for (const roundTripMs of [1, 200]) {
			const r = simulate({ roundTripMs, segmentMs: 20, fixed });
			expect(r.sizes.every((s) => s === fixed)).toBe(true);
			expect(r.maxInFlight).toBe(fixed);
		}
	});
});

describe('AppendWindow and X\'s rate limit', () => {
	const resetAt = 900_000;
	const headers = (remaining: number) => ({ 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(resetAt / 1000) });

	it('holds APPENDs back once the budget X announced is spent, until its reset', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 1, maxRateWaitMs: 1_000_000 });
		w.started(0, SEGMENT, 0);
		w.started(1, SEGMENT, 0);
		// X counted segment 0; 3 left, and segment 1 is still in flight: 2 may start.
		w.finished(0, 100, true, headers(3));
		expect(w.waitBeforeNext(100)).toBe(0);
		w.started(2, SEGMENT, 100);
		expect(w.waitBeforeNext(100)).toBe(0);
		w.started(3, SEGMENT, 100);
		expect(w.waitBeforeNext(200)).toBe(resetAt - 200 + RESET_MARGIN_MS);
		// A later answer cannot raise the budget within the same window.
		w.finished(1, 300, true, headers(5));
		expect(w.waitBeforeNext(300)).toBe(resetAt - 300 + RESET_MARGIN_MS);
		// At the reset X renews the budget.
		expect(w.waitBeforeNext(resetAt)).toBe(0);
		w.started(4, SEGMENT, resetAt);
		expect(w.waitBeforeNext(resetAt)).toBe(0);
	});

	it('does not wait longer than it may: the APPEND goes and X\'s 429 is handled as any 429', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 1, maxRateWaitMs: 60_000 });
		w.started(0, SEGMENT, 0);
		w.finished(0, 100, true, headers(0));
		expect(w.waitBeforeNext(100)).toBe(0);
	});

	it('ignores answers without the headers, and headers that make no sense', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 1, maxRateWaitMs: 1_000_000 });
		w.started(0, SEGMENT, 0);
		w.finished(0, 100, true, {});
		w.started(1, SEGMENT, 100);
		w.finished(1, 200, true, { 'x-rate-limit-remaining': 'soon', 'x-rate-limit-reset': String(resetAt / 1000) });
		w.started(2, SEGMENT, 200);
		w.finished(2, 300, true, { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '0' });
		expect(w.waitBeforeNext(300)).toBe(0);
	});

	it('starts no more APPENDs than X allows before the reset, in a whole simulated upload', () => {
		const w = new AppendWindow({ segmentBytes: SEGMENT, roundTripMs: 200, maxRateWaitMs: 1_000_000 });
		let remaining = 40; // what X has left for this user in this window
		let startedBeforeReset = 0;
		let now = 0;
		const inFlight: Array<{ id: number; endsAt: number }> = [];
		let next = 0;
		while (next < 100 || inFlight.length) {
			while (next < 100 && inFlight.length < w.size && w.waitBeforeNext(now) === 0) {
				w.started(next, SEGMENT, now);
				if (now < resetAt) startedBeforeReset++;
				inFlight.push({ id: next++, endsAt: now + 250 });
			}
			const wait = next < 100 && inFlight.length < w.size ? w.waitBeforeNext(now) : 0;
			const soonest = Math.min(...inFlight.map((a) => a.endsAt), wait > 0 ? now + wait : Infinity);
			now = soonest;
			for (const a of inFlight.filter((x) => x.endsAt <= now)) {
				inFlight.splice(inFlight.indexOf(a), 1);
				if (now < resetAt) remaining--;
				w.finished(a.id, now, true, now < resetAt ? headers(Math.max(0, remaining)) : undefined);
			}
		}
		expect(startedBeforeReset).toBeLessThanOrEqual(40);
		expect(next).toBe(100);
		expect(now).toBeGreaterThan(resetAt);
	});
});
