import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { DEFAULT_PROCESSING_TIMEOUT_SECS } from '../helpers/limits';

/** Runs `work` for each item; with "Continue On Fail" a failing item yields `{ error }` and the rest go on. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...(await work(i)));
		} catch (error) {
			const nodeError = toNodeError(ctx, error, i);
			if (ctx.continueOnFail()) {
				out.push({ json: errorJson(nodeError), pairedItem: { item: i } });
				continue;
			}
			throw nodeError;
		}
	}
	return out;
}

/** The `error` item of Continue On Fail: message, description and HTTP status, nothing else. */
export function errorJson(error: Error & { description?: string | null; httpCode?: string | null }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.error_description = error.description;
	if (error.httpCode) json.http_code = error.httpCode;
	return json;
}

export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof MediaInputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
	}
	if (error instanceof Error && 'node' in error) {
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/** A number parameter that must be a whole number within bounds; a clear error otherwise. */
export function readBoundedNumber(
	value: unknown,
	label: string,
	min: number,
	max: number,
	integer: boolean,
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
		throw new MediaInputError(
			`"${label}" must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value)}`,
			`Change "${label}" in the node.`,
		);
	}
	return n;
}

export function readProcessingTimeout(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_PROCESSING_TIMEOUT_SECS;
	return readBoundedNumber(value, 'Processing Timeout (Seconds)', 1, 86_400, false);
}

/** A string parameter that an expression may have turned into something else. */
export function readString(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new MediaInputError(
		`"${label}" must be text, but its expression gave ${Array.isArray(value) ? 'an array' : 'an object'}`,
		`Change the expression of "${label}" so that it yields text, for example {{ $json.field }} rather than {{ $json }}.`,
	);
}

export const processingTimeoutProperty: INodeProperties = {
	displayName: 'Processing Timeout (Seconds)',
	name: 'processingTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_PROCESSING_TIMEOUT_SECS,
	description:
		'How long to wait for X to finish processing a GIF or video. After it, the node stops with an error that gives the media ID to check later with Get Status.',
};
