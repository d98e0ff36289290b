import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { findOperation, operationOptions, operationProperties, operationSubtitle } from './actions/index';
import { failEveryItem } from './actions/common/itemLoop';
import { XApiClient } from './transport/xApiClient';

export class XMedia implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Media',
		name: 'xMedia',
		icon: { light: 'file:x.svg', dark: 'file:x.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle,
		description: 'Upload photos, GIFs and videos to X (Twitter) and post them',
		documentationUrl: 'https://github.com/n8n-nodes-x-media/n8n-nodes-x-media#operations',
		defaults: { name: 'X Media' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'xOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'xOAuth1Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth1'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2', value: 'oAuth2' },
					{ name: 'OAuth1', value: 'oAuth1' },
				],
				default: 'oAuth2',
			},
			// One `operation` list without resources, as the README documents it (workflows rely on it).
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: operationOptions,
				default: 'upload',
			},
			...operationProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0);
		const handler = findOperation(operation);
		if (!handler) {
			throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
		}
		let client: XApiClient;
		try {
			client = await XApiClient.create(this);
		} catch (error) {
			// No usable credential.
			return [failEveryItem(this, error as Error)];
		}
		return [await handler.execute.call(this, client)];
	}
}
