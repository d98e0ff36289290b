/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
import { createReadStream } from 'node:fs';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** How the test-files node makes one binary property. */
export interface TestBinarySpec {
	/** A file on disk, streamed into n8n's binary storage (large files). */
	path?: string;
	/** Bytes given inline. */
	base64?: string;
	fileName?: string;
	/** What the "upstream node" claims; omit to let n8n guess. */
	mimeType?: string;
	/** Keep the bytes inline in the item (no binary id), as a Code node would. */
	inline?: boolean;
	/**
	 * The size the item's binary metadata claims (`bytes`), for files too large to write in a test:
	 * the node's checks see it before they read more than the head of the stored file.
	 */
	claimedBytes?: number;
}

export interface TestItemSpec {
	json?: IDataObject;
	binary?: Record<string, TestBinarySpec>;
}

/**
 * A helper node for tests: outputs items whose binary properties are stored the way upstream
 * nodes store files (`prepareBinaryData`, i.e. n8n's filesystem binary storage).
 */
export class XMediaTestFiles implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Media Test Files',
		name: 'xMediaTestFiles',
		group: ['input'],
		version: 1,
		description: 'Makes binary items from files or bytes (tests only)',
		defaults: { name: 'Test Files' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | TestItemSpec[];
		const specs = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TestItemSpec[];
		const out: INodeExecutionData[] = [];
		for (const [index, spec] of specs.entries()) {
			const item: INodeExecutionData = { json: spec.json ?? {}, pairedItem: { item: 0 } };
			for (const [property, b] of Object.entries(spec.binary ?? {})) {
				item.binary = item.binary ?? {};
				if (b.inline) {
					const bytes = Buffer.from(b.base64 ?? '', 'base64');
					item.binary[property] = {
						data: bytes.toString('base64'),
						mimeType: b.mimeType ?? 'application/octet-stream',
						fileName: b.fileName,
						fileSize: `${bytes.length} B`,
					};
					continue;
				}
				const data = b.path ? createReadStream(b.path) : Buffer.from(b.base64 ?? '', 'base64');
				item.binary[property] = await this.helpers.prepareBinaryData(data, b.fileName, b.mimeType);
				if (b.claimedBytes !== undefined) item.binary[property].bytes = b.claimedBytes;
			}
			out.push({ ...item, pairedItem: { item: index === 0 ? 0 : 0 } });
		}
		return [out];
	}
}
