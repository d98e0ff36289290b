/**
 * Running an operation over the input items, with n8n's Continue On Fail handled in one place,
 * and the one adapter that turns an input error (`MediaInputError`, thrown by the readers and by
 * upload/ before any request) into the node's `NodeOperationError`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MediaInputError } from '../../helpers/errors';
import { FileInputError } from '../../upload/preflight';

/** The node's error for an error thrown while working on `itemIndex`. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof MediaInputError) {
		// upload/ names the item whose file it refused (Create Post may combine several items).
		const index = error instanceof FileInputError ? error.itemIndex : itemIndex;
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex: index, description: error.description });
	}
	if (error instanceof Error && 'node' in error) {
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/** The `error` item of Continue On Fail: message, description and HTTP status, nothing else. */
export function errorJson(error: Error & { description?: string | null; httpCode?: string | null }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.error_description = error.description;
	if (error.httpCode) json.http_code = error.httpCode;
	return json;
}

/**
 * Runs `work` once (for one item, or all together). On failure: with Continue On Fail, one
 * `{ error }` item with the given pairing; without, the node's error.
 */
async function guarded(
	ctx: IExecuteFunctions,
	itemIndex: number,
	pairedItem: IPairedItemData | IPairedItemData[],
	work: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	try {
		return await work();
	} catch (error) {
		const nodeError = toNodeError(ctx, error, itemIndex);
		if (!ctx.continueOnFail()) throw nodeError;
		return [{ json: errorJson(nodeError), pairedItem }];
	}
}

/** Runs `work` for each item; with Continue On Fail a failing item yields `{ error }` and the rest go on. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let i = 0; i < count; i++) out.push(...(await guarded(ctx, i, { item: i }, async () => await work(i))));
	return out;
}

/** Runs `work` once for all items together (Create Post's Combine Items Into One Post). */
export async function forAllItems(
	ctx: IExecuteFunctions,
	work: (itemIndexes: number[]) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const indexes = ctx.getInputData().map((_, i) => i);
	return await guarded(ctx, 0, indexes.map((item) => ({ item })), async () => await work(indexes));
}

/**
 * When nothing can run (no usable credential): with Continue On Fail every item says so, nothing
 * passes silently; without, the node's error.
 */
export function failEveryItem(ctx: IExecuteFunctions, error: Error): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error);
	const json = errorJson(error);
	return ctx.getInputData().map((_, item) => ({ json, pairedItem: { item } }));
}
