/**
 * The exactly-once table (README, "Exactly once"): its bounds, expiry and order, and what its key is
 * made of. The node's behaviour under n8n's Retry On Fail is tested through n8n-core in
 * test/integration/exactlyOnce.test.ts; here `once` gets the four things of n8n's execution context
 * that the key reads (execution id, node, `$runIndex`), so each can be varied alone.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { ENTRY_TTL_MS, MAX_BYTES, MAX_ENTRIES, OnceStore, once, onceKey, onceStore } from '../../../nodes/XMedia/upload/exactlyOnce';
import type { OnceStep } from '../../../nodes/XMedia/upload/exactlyOnce';

describe('OnceStore', () => {
	const limits = { maxEntries: 3, maxBytes: 1600, ttlMs: 1000 };

	it('recalls what it remembered, until it expires', () => {
		const store = new OnceStore(limits);
		expect(store.remember('k', '{"id":"1"}', 0)).toBe(true);
		expect(store.recall('k', 999)).toBe('{"id":"1"}');
		expect(store.recall('k', 1000)).toBeUndefined();
		expect(store.size).toBe(0);
		expect(store.totalBytes).toBe(0);
	});

	it('holds at most maxEntries, the least recently used going first', () => {
		const store = new OnceStore(limits);
		store.remember('a', '1', 0);
		store.remember('b', '2', 1);
		store.remember('c', '3', 2);
		expect(store.recall('a', 3)).toBe('1'); // a is used again: b is now the oldest
		store.remember('d', '4', 4);
		expect(store.size).toBe(3);
		expect(store.recall('b', 5)).toBeUndefined();
		expect(['a', 'c', 'd'].map((k) => store.recall(k, 5))).toEqual(['1', '3', '4']);
	});

	it('holds at most maxBytes of keys and outputs, and refuses one output over a sixteenth of it', () => {
		const store = new OnceStore(limits);
		const output = 'x'.repeat(95); // 100 with its key
		for (let i = 0; i < 16; i++) expect(store.remember(`k${String(i).padStart(3, '0')}`.slice(0, 5), output, 0)).toBe(true);
		expect(store.totalBytes).toBeLessThanOrEqual(limits.maxBytes);
		expect(store.size).toBe(3); // the entry cap is the tighter one here
		const big = new OnceStore({ ...limits, maxEntries: 100 });
		for (let i = 0; i < 20; i++) big.remember(`k${String(i).padStart(4, '0')}`, output, 0);
		expect(big.totalBytes).toBe(1600);
		expect(big.size).toBe(16);
		expect(big.recall('k0003', 1)).toBeUndefined();
		expect(big.recall('k0019', 1)).toBe(output);
		expect(big.remember('huge', 'y'.repeat(101), 1)).toBe(false);
		expect(big.recall('huge', 1)).toBeUndefined();
	});

	it('drops expired entries at the front when it remembers, and replaces an entry under the same key', () => {
		const store = new OnceStore({ ...limits, maxEntries: 10 });
		store.remember('old1', 'a', 0);
		store.remember('old2', 'b', 10);
		store.remember('fresh', 'c', 900);
		store.remember('new', 'd', 1500);
		expect(store.size).toBe(2);
		store.remember('new', 'dd', 1600);
		expect(store.size).toBe(2);
		expect(store.totalBytes).toBe('fresh'.length + 1 + 'new'.length + 2);
		expect(store.recall('new', 1601)).toBe('dd');
	});

	it('has bounds fit for a busy worker', () => {
		expect(MAX_ENTRIES).toBe(10_000);
		expect(MAX_BYTES).toBe(16 * 1024 * 1024);
		expect(ENTRY_TTL_MS).toBe(6 * 3600 * 1000);
	});
});

/** The parts of n8n's execution context the key reads. */
function context({
	executionId = '41',
	node = {},
	runIndex = 0,
}: { executionId?: string; node?: Partial<INode>; runIndex?: unknown } = {}): IExecuteFunctions {
	const full: INode = {
		id: 'a1b2',
		name: 'X Media',
		type: 'n8n-nodes-x-media.xMedia',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		retryOnFail: true,
		credentials: { xOAuth2Api: { id: 'cred-1', name: 'X' } },
		...node,
	};
	return {
		getExecutionId: () => executionId,
		getNode: () => full,
		getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
	} as unknown as IExecuteFunctions;
}

describe('onceKey', () => {
	const step: OnceStep = { itemIndex: 0, kind: 'post', fingerprint: { body: { text: 'hi' } } };

	it('is the same for n8n\'s next try of the same node run', () => {
		expect(onceKey(context(), step)).toBe(onceKey(context(), { ...step, fingerprint: { body: { text: 'hi' } } }));
	});

	it('changes with each part: execution, node, run, credential, item, kind, part, fingerprint', () => {
		const keys = [
			onceKey(context(), step),
			onceKey(context({ executionId: '42' }), step),
			onceKey(context({ node: { id: 'other' } }), step),
			onceKey(context({ node: { name: 'X Media 2' } }), step),
			onceKey(context({ runIndex: 1 }), step),
			onceKey(context({ node: { credentials: { xOAuth2Api: { id: 'cred-2', name: 'X' } } } }), step),
			onceKey(context({ node: { credentials: { xOAuth1Api: { id: 'cred-1', name: 'X' } } } }), step),
			onceKey(context(), { ...step, itemIndex: 1 }),
			onceKey(context(), { ...step, kind: 'threadPost' }),
			onceKey(context(), { ...step, part: 0 }),
			onceKey(context(), { ...step, part: 1 }),
			onceKey(context(), { ...step, fingerprint: { body: { text: 'hi!' } } }),
		];
		expect(keys.every((k) => typeof k === 'string')).toBe(true);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('keeps what was sent out of the key: only its hash', () => {
		const key = onceKey(context(), { ...step, fingerprint: { body: { text: 'a private message' } } });
		expect(key).not.toContain('private');
		expect(key).toMatch(/"[0-9a-f]{64}"\]$/);
	});

	it('is undefined (nothing remembered) without Retry On Fail, an execution id or a run index', () => {
		expect(onceKey(context({ node: { retryOnFail: false } }), step)).toBeUndefined();
		expect(onceKey(context({ executionId: '' }), step)).toBeUndefined();
		expect(onceKey(context({ executionId: '__UNKNOWN__' }), step)).toBeUndefined();
		expect(onceKey(context({ runIndex: null }), step)).toBeUndefined();
		expect(onceKey(context({ runIndex: -1 }), step)).toBeUndefined();
	});
});

describe('once', () => {
	afterEach(() => onceStore().clear());

	it('runs a step once per key and hands out deep copies of its output', async () => {
		let runs = 0;
		const step: OnceStep = { itemIndex: 2, kind: 'dm', fingerprint: { text: 'x' } };
		const make = async () => ({ id: String(++runs), nested: { list: [1, 2] } });
		const first = await once(context(), step, make);
		const again = await once(context(), step, make);
		expect(runs).toBe(1);
		expect(again).toEqual(first);
		again.nested.list.push(3);
		expect((await once(context(), step, make)).nested.list).toEqual([1, 2]);
		await once(context({ executionId: '99' }), step, make);
		expect(runs).toBe(2);
	});

	it('remembers only successes', async () => {
		const step: OnceStep = { itemIndex: 0, kind: 'upload', part: 0, fingerprint: 'f' };
		await expect(once(context(), step, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
		expect(await once(context(), step, async () => 'done')).toBe('done');
		expect(onceStore().size).toBe(1);
	});

	it('runs every time when nothing may be remembered', async () => {
		let runs = 0;
		const ctx = context({ node: { retryOnFail: false } });
		const step: OnceStep = { itemIndex: 0, kind: 'post', fingerprint: 1 };
		await once(ctx, step, async () => ++runs);
		await once(ctx, step, async () => ++runs);
		expect(runs).toBe(2);
		expect(onceStore().size).toBe(0);
	});
});
