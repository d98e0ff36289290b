/**
 * Faults on demand: each fault counts the requests to its endpoint from the moment it was added
 * and fires on requests nth … nth+times-1.
 */
import { ENDPOINT_NAMES, type EndpointName, type FaultSpec } from './types';

interface ActiveFault {
	spec: FaultSpec;
	nth: number;
	times: number;
	seen: number;
	fired: number;
	/** holdUntilReset: the announced reset, epoch seconds, set at the first firing. */
	holdUntil?: number;
}

export interface FiringFaults {
	/** Sum of the delays of every fault firing on this request. */
	delayMs: number;
	/** The first firing fault that drops or answers with a status (delay-only faults do neither). */
	terminal?: FaultSpec;
}

export function isPureDelay(f: FaultSpec): boolean {
	return !f.drop && f.status === undefined && f.body === undefined && f.delayMs !== undefined;
}

export function checkFaultSpec(f: unknown): string | undefined {
	if (!f || typeof f !== 'object') return 'fault must be an object';
	const s = f as Record<string, unknown>;
	if (s.endpoint !== '*' && !ENDPOINT_NAMES.includes(s.endpoint as EndpointName)) {
		return `endpoint must be one of ${ENDPOINT_NAMES.join(', ')} or *`;
	}
	for (const k of ['nth', 'times', 'status', 'rateLimitResetInSecs', 'retryAfterSecs', 'delayMs']) {
		if (s[k] !== undefined && (typeof s[k] !== 'number' || !Number.isFinite(s[k] as number) || (s[k] as number) < 0)) return `${k} must be a non-negative number`;
	}
	if (s.nth !== undefined && (s.nth as number) < 1) return 'nth is 1-based';
	if (s.status !== undefined && ((s.status as number) < 100 || (s.status as number) > 599)) return 'status must be an HTTP status';
	return undefined;
}

export class FaultRegistry {
	private faults: ActiveFault[] = [];

	add(spec: FaultSpec): void {
		const problem = checkFaultSpec(spec);
		if (problem) throw new Error(`invalid fault: ${problem}`);
		this.faults.push({ spec: { ...spec }, nth: spec.nth ?? 1, times: spec.times ?? 1, seen: 0, fired: 0 });
	}

	reset(): void {
		this.faults = [];
	}

	/** Counts this request for every fault on its endpoint and returns what fires. */
	onRequest(endpoint: EndpointName): FiringFaults {
		const out: FiringFaults = { delayMs: 0 };
		for (const f of this.faults) {
			if (f.spec.endpoint !== '*' && f.spec.endpoint !== endpoint) continue;
			f.seen++;
			if (f.spec.holdUntilReset) {
				if (f.seen < f.nth) continue;
				f.holdUntil ??= Math.ceil(Date.now() / 1000 + (f.spec.rateLimitResetInSecs ?? 1));
				if (Date.now() >= f.holdUntil * 1000) continue;
				f.fired++;
				out.delayMs += f.spec.delayMs ?? 0;
				out.terminal ??= { ...f.spec, status: f.spec.status ?? 429, headers: { ...f.spec.headers, 'x-rate-limit-reset': String(f.holdUntil) } };
				continue;
			}
			if (f.seen < f.nth || f.seen >= f.nth + f.times) continue;
			f.fired++;
			out.delayMs += f.spec.delayMs ?? 0;
			if (!out.terminal && !isPureDelay(f.spec)) out.terminal = f.spec;
		}
		return out;
	}

	list(): Array<FaultSpec & { seen: number; fired: number; holdUntil?: number }> {
		return this.faults.map((f) => ({ ...f.spec, seen: f.seen, fired: f.fired, ...(f.holdUntil !== undefined ? { holdUntil: f.holdUntil } : {}) }));
	}
}
