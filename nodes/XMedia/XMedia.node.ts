import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as addSubtitles from './actions/addSubtitles.operation';
import * as createPost from './actions/createPost.operation';
import * as getMedia from './actions/getMedia.operation';
import * as getStatus from './actions/getStatus.operation';
import * as removeSubtitles from './actions/removeSubtitles.operation';
import * as sendDirectMessage from './actions/sendDirectMessage.operation';
import * as upload from './actions/upload.operation';
import { errorJson } from './actions/shared';
import { XApiClient } from './transport/xApiClient';

const operations = { upload, getStatus, getMedia, createPost, addSubtitles, removeSubtitles, sendDirectMessage };

export class XMedia implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Media',
		name: 'xMedia',
		icon: { light: 'file:x.svg', dark: 'file:x.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ {"upload":"Upload","getStatus":"Get Status","getMedia":"Get Media","createPost":"Create Post with Media","addSubtitles":"Add Subtitles","removeSubtitles":"Remove Subtitles","sendDirectMessage":"Send Direct Message with Media"}[$parameter["operation"]] }}',
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
			// eslint-disable-next-line @n8n/community-nodes/resource-operation-pattern -- the product contract fixes one `operation` list without resources (workflows rely on it)
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Add Subtitles',
						value: 'addSubtitles',
						action: 'Add subtitles to a video',
						description: 'Upload an SRT or WebVTT file and attach it to a video uploaded earlier',
					},
					{
						name: 'Create Post with Media',
						value: 'createPost',
						action: 'Create a post with media',
						description: 'Post text with media IDs, or upload the item\'s files and post them',
					},
					{
						name: 'Get Media',
						value: 'getMedia',
						action: 'Get media by key',
						description: 'Read X\'s media object: type, size, URLs, video variants, metrics',
					},
					{
						name: 'Get Status',
						value: 'getStatus',
						action: 'Get the processing status of media',
						description: 'Check whether X has finished processing an uploaded GIF or video',
					},
					{
						name: 'Remove Subtitles',
						value: 'removeSubtitles',
						action: 'Remove subtitles from a video',
						description: 'Remove one language of subtitles from a video',
					},
					{
						name: 'Send Direct Message with Media',
						value: 'sendDirectMessage',
						action: 'Send a direct message with media',
						description: 'Send a Direct Message with an image, GIF or video, from a media ID or straight from binary',
					},
					{
						name: 'Upload',
						value: 'upload',
						action: 'Upload media',
						description: 'Upload a photo, GIF, video or subtitle file and get its media ID',
					},
				],
				default: 'upload',
			},
			...upload.description,
			...getStatus.description,
			...getMedia.description,
			...createPost.description,
			...addSubtitles.description,
			...removeSubtitles.description,
			...sendDirectMessage.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
		const handler = operations[operation];
		if (!handler) {
			throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
		}
		let client: XApiClient;
		try {
			client = await XApiClient.create(this);
		} catch (error) {
			// No usable credential: with Continue On Fail every item says so, nothing passes silently.
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error);
			const json = errorJson(error as Error);
			return [this.getInputData().map((_, item) => ({ json, pairedItem: { item } }))];
		}
		return [await handler.execute.call(this, client)];
	}
}
