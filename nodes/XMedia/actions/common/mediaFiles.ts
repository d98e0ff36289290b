/**
 * The files an operation uploads for one item, from its Media Source (README, "Media from a URL"):
 * binary fields of the item, or http(s) URLs. Read and checked here, no request: what upload/batch
 * takes as `BatchFile`s. Create Post, Send Direct Message and Create Thread read their files by it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchFile } from '../../upload/batch';
import { readMediaUrls, readPropertyNames } from './parameters';

export interface ItemFilesFields {
	/** The parameter with the binary field names (`binaryPropertyName`). */
	binary: string;
	/** The parameter with the URL(s) (`mediaUrls`, `mediaUrl`) and its display name for errors. */
	url: string;
	urlLabel: string;
	/** Most URLs the parameter may hold (4 for a post, 1 for a Direct Message). */
	maxUrls: number;
}

/** The item's files: its binary fields (`from` binary) or the files at its URLs (`from` url). */
export function readItemFiles(ctx: IExecuteFunctions, itemIndex: number, from: 'binary' | 'url', fields: ItemFilesFields): BatchFile[] {
	if (from === 'url') {
		const urls = readMediaUrls(ctx.getNodeParameter(fields.url, itemIndex, ''), fields.urlLabel, fields.maxUrls);
		return urls.map((url) => ({ itemIndex, url }));
	}
	return readPropertyNames(ctx.getNodeParameter(fields.binary, itemIndex, 'data')).map((propertyName) => ({ itemIndex, propertyName }));
}
