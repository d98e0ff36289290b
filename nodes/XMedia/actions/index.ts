/**
 * The one table of the node's operations. Each operation module gives its entry of the Operation
 * list (`option`), its properties (`description`) and what it runs (`execute`).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { XApiClient } from '../transport/xApiClient';
import * as addSubtitles from './addSubtitles.operation';
import * as createPost from './createPost.operation';
import * as createThread from './createThread.operation';
import * as getMedia from './getMedia.operation';
import * as getStatus from './getStatus.operation';
import * as removeSubtitles from './removeSubtitles.operation';
import * as sendDirectMessage from './sendDirectMessage.operation';
import * as upload from './upload.operation';

export interface Operation {
	option: INodePropertyOptions;
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, client: XApiClient) => Promise<INodeExecutionData[]>;
}

/** In the order their properties appear in the node (and in its subtitle). */
export const operations: readonly Operation[] = [
	upload,
	getStatus,
	getMedia,
	createPost,
	createThread,
	addSubtitles,
	removeSubtitles,
	sendDirectMessage,
];

/** The Operation list, sorted by name as the editor shows it. */
export const operationOptions: INodePropertyOptions[] = operations
	.map((operation) => operation.option)
	.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Every operation's properties. */
export const operationProperties: INodeProperties[] = operations.flatMap((operation) => operation.description);

/** The node's subtitle: the chosen operation's name. */
export const operationSubtitle = `={{ ${JSON.stringify(Object.fromEntries(operations.map(({ option }) => [String(option.value), option.name])))}[$parameter["operation"]] }}`;

export function findOperation(value: unknown): Operation | undefined {
	return operations.find((operation) => operation.option.value === value);
}
