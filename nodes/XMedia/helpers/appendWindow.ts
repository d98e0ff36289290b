/**
 * How many APPENDs one chunked upload keeps in flight: the window. Pure: it is told when each
 * APPEND starts and ends (times in ms) and what X's rate-limit headers say, and answers how many
 * may be in flight and how long to wait before the next one; the pipeline does the waiting.
 *
 * Parallel Uploads set by the user: exactly that many, always. Left unset: the window adapts to
 * the link, as the README's "Speed and memory" explains:
 * - `roundTripMs` is what a request costs whatever it carries: the time of INITIALIZE (a request
 *   with almost no body, connection set-up included), or the shortest APPEND if that is shorter.
 * - An APPEND that took `d` ms while on average `k` APPENDs were in flight (itself included) had
 *   the link for (d − round trip) / k ms: that is the time one segment needs on the wire when the
 *   link is busy (`segmentMs`, the median of the last few, scaled to a whole segment).
 * - While one APPEND waits out its round trip, others must keep the link busy: 1 + round trip /
 *   segmentMs in flight (the bandwidth-delay product in segments, plus the one on the wire).
 *   On a near link that is 1 or 2 (the floor, 3, applies); at 200 ms it is the cap. The window goes there after the first
 *   round of APPENDs.
 * - That model assumes one bottleneck that the APPENDs share. Where each connection is slow on its
 *   own (a fresh connection's slow start on a far link) or where more in flight only costs CPU,
 *   the model is wrong, so each change is checked: the window keeps a new size only when the
 *   bytes X acknowledged per second at that size (measured over a round of APPENDs that all
 *   started at it) beat the previous size's by at least a third of what the change could give at
 *   best (a smaller window is kept unless it loses more than 5%). Then it tries one more (up to
 *   the cap); a size that did not pay is left for a few rounds before it is tried again.
 * - The cap: MAX_PARALLEL_UPLOADS (what the user may choose anyway) and at most
 *   AUTO_MAX_IN_FLIGHT_BYTES of segments in flight: memory is (cap + 1) × segment.
 *
 * Rate limit (https://docs.x.com/x-api/fundamentals/rate-limits: 1,875 APPENDs per user per 15
 * minutes): X's answers carry `x-rate-limit-remaining` and `x-rate-limit-reset`. The window keeps
 * what is left of the budget (less what is in flight or started since) and, once it is spent,
 * holds the next APPEND until the reset rather than have X refuse it; a wait longer than
 * `maxRateWaitMs` is not made (the APPEND goes, and X's 429 is handled as any 429).
 */
import { AUTO_MAX_IN_FLIGHT_BYTES, AUTO_MIN_PARALLEL_UPLOADS, DEFAULT_PARALLEL_UPLOADS, MAX_PARALLEL_UPLOADS } from './limits';

export interface AppendWindowSettings {
	/** Bytes of a whole segment. */
	segmentBytes: number;
	/** Parallel Uploads as the user set it (exactly this many in flight); undefined: adapt. */
	fixed?: number;
	/** Round trip of a request that carries almost nothing (INITIALIZE), ms, when known. */
	roundTripMs?: number;
	/** Longest wait for a rate-limit reset before an APPEND. */
	maxRateWaitMs: number;
}

/** APPENDs whose timings the window keeps (the estimate is their median). */
export const WINDOW_SAMPLES = 8;
/** Completions a round counts at least (a round is as many as the size, so that each APPEND in it started at that size). */
export const MIN_ROUND = 4;
/** Rounds a size that did not pay (or a kept size) is left before one more is tried. */
export const HOLD_ROUNDS = 4;
/** Added to X's reset time before going on (clock skew between X and this machine). */
export const RESET_MARGIN_MS = 250;

/** The most APPENDs an adapting upload keeps in flight with segments of this size. */
export function autoCap(segmentBytes: number): number {
	const byBytes = Math.floor(AUTO_MAX_IN_FLIGHT_BYTES / Math.max(1, segmentBytes));
	return Math.max(AUTO_MIN_PARALLEL_UPLOADS, Math.min(MAX_PARALLEL_UPLOADS, byBytes));
}

interface Running {
	startedAt: number;
	/** `area` when it started. */
	area0: number;
	bytes: number;
}

export class AppendWindow {
	/** The most APPENDs ever in flight (the segment pool holds cap + 1 buffers at most). */
	readonly cap: number;
	readonly adaptive: boolean;
	private current: number;
	private roundTrip: number;
	private readonly samples: number[] = [];
	private readonly running = new Map<number, Running>();
	/** ∫ (APPENDs in flight) dt since the first event, ms: gives each APPEND its average company. */
	private area = 0;
	private lastEventAt: number | undefined;
	/** The round being measured: completions to let pass (started at the old size), then to count. */
	private round: { skip: number; from: number; count: number; bytes: number } | undefined;
	/** The size and rate (bytes per ms) the last kept size measured. */
	private kept: { size: number; rate: number } | undefined;
	private seeded = false;
	private holdRounds = 0;
	/** APPENDs X will still take before `resetAt` (undefined: unknown, X said nothing yet). */
	private budget: number | undefined;
	private resetAt = 0;

	constructor(private readonly settings: AppendWindowSettings) {
		this.adaptive = settings.fixed === undefined;
		this.cap = settings.fixed ?? autoCap(settings.segmentBytes);
		this.current = settings.fixed ?? Math.min(DEFAULT_PARALLEL_UPLOADS, this.cap);
		const hint = settings.roundTripMs;
		this.roundTrip = hint !== undefined && Number.isFinite(hint) && hint >= 0 ? hint : Infinity;
	}

	/** How many APPENDs may be in flight now. */
	get size(): number {
		return this.current;
	}

	get inFlight(): number {
		return this.running.size;
	}

	/** The estimates, for the output and for tests (NaN while unknown). */
	get estimate(): { roundTripMs: number; segmentMs: number } {
		return { roundTripMs: Number.isFinite(this.roundTrip) ? this.roundTrip : NaN, segmentMs: this.segmentMs() };
	}

	/** An APPEND of `bytes` (segment `id`) starts at `now`. */
	started(id: number, bytes: number, now: number): void {
		this.advance(now);
		this.running.set(id, { startedAt: now, area0: this.area, bytes });
		if (this.budget !== undefined) this.budget--;
		// The first round: the first `size` answers, from the first start (one cycle at the starting size).
		if (this.adaptive && !this.round && !this.seeded) this.round = { skip: 0, from: now, count: 0, bytes: 0 };
	}

	/**
	 * The APPEND of segment `id` ended at `now`. `clean`: X acknowledged it on the first try (an
	 * APPEND that was retried, or failed, says nothing about the link and is not used). `headers`:
	 * those of X's answer (`x-rate-limit-remaining`, `x-rate-limit-reset` in epoch seconds).
	 */
	finished(id: number, now: number, clean: boolean, headers?: Record<string, string>): void {
		this.advance(now);
		const run = this.running.get(id);
		this.running.delete(id);
		const remaining = headers?.['x-rate-limit-remaining'];
		const reset = headers?.['x-rate-limit-reset'];
		if (remaining !== undefined && reset !== undefined) this.rateLimit(Number(remaining), Number(reset) * 1000, now);
		if (!run || !this.adaptive) return;
		const took = now - run.startedAt;
		if (clean && took > 0 && run.bytes > 0) {
			if (took < this.roundTrip) this.roundTrip = took;
			const company = Math.max(1, (this.area - run.area0) / took);
			const onWire = Math.max(took - this.roundTrip, 0.5) / company;
			this.samples.push(onWire * (this.settings.segmentBytes / run.bytes));
			if (this.samples.length > WINDOW_SAMPLES) this.samples.shift();
		}
		// A retried or failed APPEND spoils the round being measured: it starts again.
		if (!clean && this.round) this.round = { skip: 0, from: now, count: 0, bytes: 0 };
		else this.countRound(now, run.bytes);
	}

	/** What X's answer said of the APPEND budget: `remaining` until `resetAtMs` (epoch ms). */
	rateLimit(remaining: number, resetAtMs: number, now: number): void {
		if (!Number.isFinite(remaining) || !Number.isFinite(resetAtMs) || resetAtMs <= now) return;
		// APPENDs still in flight may not have been counted in `remaining` yet: count them as spent.
		const left = remaining - this.running.size;
		if (this.budget !== undefined && resetAtMs <= this.resetAt) this.budget = Math.min(this.budget, left);
		else this.budget = left;
		this.resetAt = Math.max(this.resetAt, resetAtMs);
	}

	/** Ms to wait before the next APPEND may start: 0 now; else until X's budget is renewed. */
	waitBeforeNext(now: number): number {
		if (this.budget === undefined) return 0;
		if (now >= this.resetAt) {
			// A fresh window: X renews the budget; its next answer says how much.
			this.budget = undefined;
			return 0;
		}
		if (this.budget > 0) return 0;
		const wait = this.resetAt - now + RESET_MARGIN_MS;
		return wait <= this.settings.maxRateWaitMs ? wait : 0;
	}

	private advance(now: number): void {
		if (this.lastEventAt !== undefined && now > this.lastEventAt) this.area += this.running.size * (now - this.lastEventAt);
		if (this.lastEventAt === undefined || now > this.lastEventAt) this.lastEventAt = now;
	}

	private segmentMs(): number {
		if (this.samples.length === 0) return NaN;
		const sorted = [...this.samples].sort((a, b) => a - b);
		const mid = sorted.length >> 1;
		return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	/** One more APPEND ended in the round being measured; at the round's end, the next size. */
	private countRound(now: number, bytes: number): void {
		const round = this.round;
		if (!round) return;
		if (round.skip > 0) {
			// Started at the old size: the round starts after them.
			round.skip--;
			round.from = now;
			return;
		}
		round.count++;
		round.bytes += bytes;
		// Whole multiples of the size: with k in flight, every k-th answer closes a cycle.
		if (round.count < (this.seeded ? this.current * Math.ceil(MIN_ROUND / this.current) : this.current)) return;
		const rate = round.bytes / Math.max(1, now - round.from);
		this.round = undefined;
		this.decide(rate);
	}

	private decide(rate: number): void {
		const size = this.current;
		let next = size;
		if (!this.seeded) {
			// The first round: the model's size, when the round trip was measured before the APPENDs.
			this.seeded = true;
			this.kept = { size, rate };
			const segmentMs = this.segmentMs();
			const model = Number.isFinite(segmentMs) && this.settings.roundTripMs !== undefined ? Math.ceil(1 + this.roundTrip / segmentMs) : size + 1;
			next = Math.max(AUTO_MIN_PARALLEL_UPLOADS, Math.min(this.cap, model === size ? size + 1 : model));
		} else if (this.kept && this.kept.size !== size) {
			const before = this.kept;
			const paid = size > before.size ? rate >= before.rate * (1 + (size - before.size) / before.size / 3) : rate >= before.rate * 0.95;
			if (paid) {
				this.kept = { size, rate };
				next = size > before.size ? Math.min(this.cap, size + 1) : size;
				if (next === size) this.holdRounds = HOLD_ROUNDS;
			} else {
				// Back to the kept size; after a smaller size that lost, one more is tried next.
				next = before.size;
				this.holdRounds = size > before.size ? HOLD_ROUNDS : 0;
			}
		} else {
			// Holding at a kept size; now and then, try one more.
			this.kept = { size, rate };
			if (this.holdRounds > 0) this.holdRounds--;
			else if (size < this.cap) next = size + 1;
		}
		if (next !== size) this.current = next;
		this.round = { skip: this.running.size, from: this.lastEventAt ?? 0, count: 0, bytes: 0 };
	}
}
