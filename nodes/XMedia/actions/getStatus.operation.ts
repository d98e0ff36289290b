import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertMediaId } from '../helpers/mediaIds';
import type { XApiClient } from '../transport/xApiClient';
import { fetchStatus, throwIfProcessingFailed, waitForProcessing } from '../upload/processingWaiter';
import type { MediaStatusData, ProcessingInfo } from '../upload/processingWaiter';
import { processingTimeoutProperty } from './common/descriptions';
import { forEachItem } from './common/itemLoop';
import { readProcessingTimeout } from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Get Status',
	value: 'getStatus',
	action: 'Get the processing status of media',
	description: 'Check whether X has finished processing an uploaded GIF or video',
};

const showForGetStatus = { show: { operation: ['getStatus'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '={{ $json.media_id }}',
		required: true,
		displayOptions: showForGetStatus,
		description: 'The media ID returned by an upload (1 to 19 digits)',
	},
	{
		displayName: 'Wait for Processing',
		name: 'waitForProcessing',
		type: 'boolean',
		default: false,
		displayOptions: showForGetStatus,
		description:
			'Whether to keep checking until X has finished processing (succeeded) or failed, instead of returning the current state',
	},
	{
		...processingTimeoutProperty,
		displayOptions: { show: { operation: ['getStatus'], waitForProcessing: [true] } },
	},
];

/** Flattens X's status `data` for mapping in later nodes, keeping `processing_info` whole. */
function statusOutputJson(mediaId: string, data: MediaStatusData): IDataObject {
	const raw = data.processing_info as unknown;
	const info = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as ProcessingInfo) : undefined;
	// No processing_info means X has nothing to process: the media is usable now. A
	// processing_info without a readable state is reported as "unknown", never as done.
	const state = raw === undefined || raw === null ? 'succeeded' : typeof info?.state === 'string' ? info.state : 'unknown';
	const json: IDataObject = {
		media_id: mediaId,
		state,
		progress_percent: info?.progress_percent ?? (state === 'succeeded' && !info ? 100 : null),
		check_after_secs: info?.check_after_secs ?? null,
	};
	if (info?.error) json.error_reason = info.error;
	for (const [key, value] of Object.entries(data)) {
		if (key !== 'id' && json[key] === undefined) json[key] = value;
	}
	json.processing_info = (raw as IDataObject | undefined) ?? null;
	if (typeof data.expires_after_secs === 'number') {
		json.expires_at = new Date(Date.now() + data.expires_after_secs * 1000).toISOString();
	}
	return json;
}

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		const mediaId = assertMediaId(this.getNodeParameter('mediaId', i), 'Media ID');
		const wait = this.getNodeParameter('waitForProcessing', i, false) as boolean;
		const timeout = wait ? readProcessingTimeout(this.getNodeParameter('processingTimeout', i, undefined)) : 0;
		let data = await fetchStatus(client, mediaId, i);
		if (wait && data.processing_info) {
			data = await waitForProcessing(client, mediaId, data, timeout, i);
		} else if (wait) {
			throwIfProcessingFailed(client, mediaId, data.processing_info, i);
		}
		return [{ json: statusOutputJson(mediaId, data), pairedItem: { item: i } }];
	});
}
