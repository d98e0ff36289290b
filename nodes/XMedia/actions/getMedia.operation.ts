import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parseMediaKeys } from '../helpers/mediaIds';
import { X_API } from '../transport/endpoints';
import type { XApiClient } from '../transport/xApiClient';
import { xErrorWords } from '../transport/xErrors';
import { forEachItem } from './common/itemLoop';

export const option: INodePropertyOptions = {
	name: 'Get Media',
	value: 'getMedia',
	action: 'Get media by key',
	description: 'Read X\'s media object: type, size, URLs, video variants, metrics',
};

/** Every `media.fields` value of X's spec (2.167). */
const MEDIA_FIELDS = [
	'alt_text',
	'duration_ms',
	'height',
	'media_key',
	'non_public_metrics',
	'organic_metrics',
	'preview_image_url',
	'promoted_metrics',
	'public_metrics',
	'type',
	'url',
	'variants',
	'width',
];

/** X's batch lookup takes at most 100 keys. */
const MAX_KEYS_PER_LOOKUP = 100;

export const description: INodeProperties[] = [
	{
		displayName: 'Media Key',
		name: 'mediaKey',
		type: 'string',
		default: '={{ $json.media_key }}',
		required: true,
		displayOptions: { show: { operation: ['getMedia'] } },
		placeholder: '7_1880028106020515840',
		description:
			'The media key (not the media ID) of the media to read. Separate several keys with commas to look them up together.',
	},
];

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (i) => {
		const keys = parseMediaKeys(this.getNodeParameter('mediaKey', i), 'Media Key');
		const found: IDataObject[] = [];
		const problems: string[] = [];
		for (let start = 0; start < keys.length; start += MAX_KEYS_PER_LOOKUP) {
			const batch = keys.slice(start, start + MAX_KEYS_PER_LOOKUP);
			const single = keys.length === 1;
			const response = await client.request<{ data?: IDataObject | IDataObject[]; errors?: IDataObject[] }>({
				method: 'GET',
				path: single ? X_API.mediaByKey.path(batch[0]) : X_API.mediaByKeys.path(),
				qs: single
					? { 'media.fields': MEDIA_FIELDS.join(',') }
					: { media_keys: batch.join(','), 'media.fields': MEDIA_FIELDS.join(',') },
				endpoint: 'mediaLookup',
				itemIndex: i,
			});
			const body = response.body && typeof response.body === 'object' ? response.body : {};
			const data = body.data === undefined ? [] : Array.isArray(body.data) ? body.data : [body.data];
			found.push(...data.filter((m) => m && typeof m === 'object'));
			const missing = batch.filter((k) => !data.some((m) => m && m.media_key === k));
			if (missing.length) {
				const words = xErrorWords({ errors: body.errors ?? [] });
				problems.push(`${missing.join(', ')}${words ? ` (${words})` : ''}`);
			}
		}
		if (problems.length) {
			throw new NodeApiError(this.getNode(), { missing: problems } as JsonObject, {
				message: `X found no media for key ${problems.join('; ')}`,
				description:
					'Check the media key (it looks like 7_1880028106020515840; the media ID alone is not enough). X serves media once it is posted or still within its upload window, and only to accounts that may see it.',
				itemIndex: i,
			});
		}
		return found.map((media) => ({ json: media, pairedItem: { item: i } }));
	});
}
