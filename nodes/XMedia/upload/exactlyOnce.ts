/**
 * Exactly once (README, "Exactly once"): when n8n runs the node again after a failure (the node
 * setting Retry On Fail), with all of its input items, what the node already finished in this
 * execution — a post, a thread post, a Direct Message, a finished upload — is not sent again: the
 * step returns the output it had the first time, and only the rest is done.
 *
 * n8n-core's WorkflowExecute runs the retries of a node inside one `runNode` loop, in the same
 * process, with the same execution id, the same node and the same run index: those, the item, the
 * kind of step, its part and a fingerprint (SHA-256) of what it sends make the key. Only successes
 * are remembered, and only their output (never a secret, never what was sent: the fingerprint is a
 * hash). A small, bounded table in this process, like the upload sessions (uploadSessions.ts): at
 * most MAX_ENTRIES entries and MAX_BYTES of outputs, each kept ENTRY_TTL_MS, the least recently
 * used going first.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { fingerprintOf } from '../helpers/fingerprint';

export interface OnceStep {
	itemIndex: number;
	kind: 'post' | 'threadPost' | 'dm' | 'upload';
	part?: number;
	/** Any JSON-able value: hashed, never stored raw. */
	fingerprint: unknown;
}

/** Most steps remembered at once (a post's output is about 1 KB, an upload's 1–3 KB). */
export const MAX_ENTRIES = 10_000;
/** Most characters of remembered outputs (and their keys) at once. */
export const MAX_BYTES = 16 * 1024 * 1024;
/** How long a step is remembered: n8n's retries come within seconds (at most 5 tries, 5 s apart), after the node's own waits. */
export const ENTRY_TTL_MS = 6 * 60 * 60 * 1000;

export interface OnceLimits {
	maxEntries: number;
	maxBytes: number;
	ttlMs: number;
}

interface Entry {
	/** The output, as JSON: every recall hands out a fresh deep copy. */
	json: string;
	bytes: number;
	expiresAtMs: number;
}

/** The table: recall and remember, bounded by count, size and age, least recently used first out. */
export class OnceStore {
	private readonly entries = new Map<string, Entry>();
	private bytes = 0;

	constructor(private readonly limits: OnceLimits = { maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES, ttlMs: ENTRY_TTL_MS }) {}

	/** The output remembered under the key (as JSON), or undefined; an expired entry is dropped. */
	recall(key: string, now = Date.now()): string | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.drop(key);
		if (entry.expiresAtMs <= now) return undefined;
		// Used again: it goes to the back of the line.
		this.entries.set(key, entry);
		this.bytes += entry.bytes;
		return entry.json;
	}

	/**
	 * Remembers an output under the key; false when it is too large for the table (it is then not
	 * remembered: a retry would do the step again, as without this table).
	 */
	remember(key: string, json: string, now = Date.now()): boolean {
		const bytes = key.length + json.length;
		this.drop(key);
		if (bytes > this.limits.maxBytes / 16) return false;
		for (const [k, e] of this.entries) {
			// The oldest first: stop at the first entry still fresh (recall drops the others).
			if (e.expiresAtMs > now) break;
			this.drop(k);
		}
		while (this.entries.size >= this.limits.maxEntries || this.bytes + bytes > this.limits.maxBytes) {
			const oldest = this.entries.keys().next().value;
			if (oldest === undefined) break;
			this.drop(oldest);
		}
		this.entries.set(key, { json, bytes, expiresAtMs: now + this.limits.ttlMs });
		this.bytes += bytes;
		return true;
	}

	get size(): number {
		return this.entries.size;
	}

	get totalBytes(): number {
		return this.bytes;
	}

	clear(): void {
		this.entries.clear();
		this.bytes = 0;
	}

	private drop(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.bytes -= entry.bytes;
	}
}

const store = new OnceStore();

/** This process's table (for tests). */
export function onceStore(): OnceStore {
	return store;
}

/** What stays the same between n8n's tries of one node run, per execution context (one per try). */
const scopes = new WeakMap<IExecuteFunctions, string | null>();

/**
 * The execution, node, run index and credentials (ids, not secrets) of this node run, as key text;
 * null when a step cannot be told apart safely: no Retry On Fail (n8n runs the node once, nothing to
 * remember), no execution id, or no run index.
 */
function scopeOf(ctx: IExecuteFunctions): string | null {
	const known = scopes.get(ctx);
	if (known !== undefined) return known;
	let scope: string | null = null;
	const node = ctx.getNode();
	const executionId = ctx.getExecutionId() as string | undefined;
	// n8n-core's stand-in when an execution has no id: no two executions can be told apart by it.
	if (node.retryOnFail === true && typeof executionId === 'string' && executionId !== '' && executionId !== '__UNKNOWN__') {
		const runIndex = readRunIndex(ctx);
		if (runIndex !== undefined) {
			const credentials = Object.entries(node.credentials ?? {})
				.map(([type, ref]) => [type, ref?.id ?? null])
				.sort(([a], [b]) => String(a).localeCompare(String(b)));
			scope = JSON.stringify([executionId, node.id ?? null, node.name, runIndex, credentials]);
		}
	}
	scopes.set(ctx, scope);
	return scope;
}

/**
 * Which run of the node this is within the execution (`$runIndex`): a node in a loop runs several
 * times with the same item indexes, and each run is its own.
 */
function readRunIndex(ctx: IExecuteFunctions): number | undefined {
	try {
		const runIndex: unknown = ctx.getWorkflowDataProxy(0).$runIndex;
		return typeof runIndex === 'number' && Number.isInteger(runIndex) && runIndex >= 0 ? runIndex : undefined;
	} catch {
		return undefined;
	}
}

/** The key of a step, or undefined when nothing may be remembered for it. */
export function onceKey(ctx: IExecuteFunctions, step: OnceStep): string | undefined {
	const scope = scopeOf(ctx);
	if (scope === null) return undefined;
	return `${scope}|${JSON.stringify([step.itemIndex, step.kind, step.part ?? null, fingerprintOf(step.fingerprint)])}`;
}

/**
 * Runs `run` unless this execution's same node, item, kind, part and fingerprint already finished
 * it; then returns the remembered result (a deep copy, as JSON round-trips it).
 */
export async function once<T>(ctx: IExecuteFunctions, step: OnceStep, run: () => Promise<T>): Promise<T> {
	const key = onceKey(ctx, step);
	if (key === undefined) return await run();
	const earlier = store.recall(key);
	if (earlier !== undefined) return JSON.parse(earlier) as T;
	const result = await run();
	const json = JSON.stringify(result);
	if (json !== undefined) store.remember(key, json);
	return result;
}
