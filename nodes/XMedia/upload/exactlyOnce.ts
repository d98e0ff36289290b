/**
 * STAND-IN for helper w20b's module (issue 20, "Exactly once"): the signature is the agreed one,
 * and this version is minimal but correct, so that Create Thread can be built and tested against
 * it. At merge, w20b's version replaces this file whole.
 *
 * What the node already did in this execution is remembered in the process, bounded: keyed by
 * n8n's execution id, the node, the item, the kind of step, its part and a hash of what it sends.
 * When n8n runs the node again (Retry On Fail), a step that finished returns its earlier result
 * and sends nothing.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export interface OnceStep {
	itemIndex: number;
	kind: 'post' | 'threadPost' | 'dm' | 'upload';
	part?: number;
	/** Any JSON-able value; hashed, never stored raw. */
	fingerprint: unknown;
}

/** Most results kept at once (oldest go first). */
const MAX_REMEMBERED = 1000;

const done = new Map<string, unknown>();

/** cyrb53: a 53-bit string hash (no node built-in may be imported here). */
function hash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function keyOf(ctx: IExecuteFunctions, step: OnceStep): string | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return JSON.stringify([executionId, node.id ?? node.name, step.kind, step.itemIndex, step.part ?? 0, hash(JSON.stringify(step.fingerprint) ?? '')]);
}

/** Runs `run` unless this execution's same node, item, kind, part and fingerprint already finished it; then returns the remembered result. */
export async function once<T>(ctx: IExecuteFunctions, step: OnceStep, run: () => Promise<T>): Promise<T> {
	const key = keyOf(ctx, step);
	if (key !== undefined && done.has(key)) return structuredClone(done.get(key)) as T;
	const result = await run();
	if (key !== undefined) {
		while (done.size >= MAX_REMEMBERED) {
			const oldest = done.keys().next().value;
			if (oldest === undefined) break;
			done.delete(oldest);
		}
		done.set(key, structuredClone(result));
	}
	return result;
}
