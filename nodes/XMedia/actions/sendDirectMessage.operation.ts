import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { assertDmConversationId, assertUserId, parseMediaIds } from '../helpers/mediaIds';
import { isDmCategory } from '../helpers/uploadPlanner';
import { X_API } from '../transport/endpoints';
import type { XApiClient, XResponse } from '../transport/xApiClient';
import { AccountTiers } from '../upload/accountTier';
import type { ItemTier } from '../upload/accountTier';
import { prepareBatch, runBatch } from '../upload/batch';
import type { PreparedBatch } from '../upload/batch';
import { once } from '../upload/exactlyOnce';
import type { UploadResult } from '../upload/types';
import {
	accountTierProperty,
	liftVideoLimitProperty,
	processingTimeoutProperty,
	sharedProperty,
	skipMediaChecksProperty,
	urlTimeoutProperty,
	whenUploadingBinary,
	whenUploadingFromUrl,
	MEDIA_URL_DESCRIPTION,
} from './common/descriptions';
import { readItemFiles } from './common/mediaFiles';
import { forEachItem } from './common/itemLoop';
import { knownMediaCategory, readString, readUploadSettings } from './common/parameters';

export const option: INodePropertyOptions = {
	name: 'Send Direct Message with Media',
	value: 'sendDirectMessage',
	action: 'Send a direct message with media',
	description: 'Send a Direct Message with an image, GIF or video, from a media ID or straight from binary',
};

const showForDm = { show: { operation: ['sendDirectMessage'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		placeholder: '2244994945',
		displayOptions: showForDm,
		description:
			'User ID of the person to write to (1 to 19 digits). Not needed when Additional Fields > Conversation ID is set.',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: showForDm,
		description: 'The text of the message. May be empty when the message has media.',
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Media IDs', value: 'mediaIds', description: 'The ID of DM media already uploaded (dm_image, dm_gif or dm_video)' },
			{ name: 'Binary File', value: 'binary', description: 'Upload the item\'s file as DM media first, then send it' },
			{ name: 'URL', value: 'url', description: 'Upload the file at an http(s) URL as DM media first (streamed, not stored in n8n), then send it' },
		],
		default: 'mediaIds',
		displayOptions: showForDm,
	},
	{
		displayName: 'Media ID',
		name: 'mediaIds',
		type: 'string',
		default: '={{ $json.media_ids ?? $json.media_id }}',
		displayOptions: { show: { operation: ['sendDirectMessage'], mediaSource: ['mediaIds'] } },
		description:
			'One media ID (X takes one attachment per message), uploaded with a DM category by the sending account. Leave empty for a text-only message.',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { operation: ['sendDirectMessage'], mediaSource: ['binary'] } },
		hint: 'One file: it is uploaded as dm_image, dm_gif or dm_video, processed, then sent',
		description: 'Binary property of the input item with the image, GIF or video to send',
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://cdn.example.com/clip.mp4',
		displayOptions: { show: { operation: ['sendDirectMessage'], mediaSource: ['url'] } },
		hint: 'One file: it is uploaded as dm_image, dm_gif or dm_video, processed, then sent',
		description: MEDIA_URL_DESCRIPTION,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForDm,
		options: [
			{
				displayName: 'Conversation ID',
				name: 'dmConversationId',
				type: 'string',
				default: '',
				placeholder: '1880000000000000001-1880000000000000002',
				description:
					'Send into this existing conversation (a dm_conversation_id from an earlier message) instead of to the participant',
			},
			{ ...accountTierProperty, displayOptions: whenUploadingBinary },
			{ ...processingTimeoutProperty, displayOptions: whenUploadingBinary },
			{ ...liftVideoLimitProperty, displayOptions: whenUploadingBinary },
			{ ...sharedProperty, displayName: 'Shared', displayOptions: whenUploadingBinary },
			{ ...skipMediaChecksProperty, displayOptions: whenUploadingBinary },
			{ ...urlTimeoutProperty, displayOptions: whenUploadingFromUrl },
		],
	},
];

/** Where the message goes: a participant's one-to-one conversation, or an existing conversation. */
type DmTarget = { participantId: string } | { conversationId: string };

export async function execute(this: IExecuteFunctions, client: XApiClient): Promise<INodeExecutionData[]> {
	// The sending account, asked of X once per execution (GET /2/users/me) and only when needed:
	// it works the same with both credentials, unlike guessing from an OAuth 1.0a token's prefix.
	let sender: Promise<string | undefined> | undefined;
	const senderId = (itemIndex: number) => (sender ??= readSenderId(client, itemIndex));
	const tiers = AccountTiers.forExecution(this, client);
	return await forEachItem(this, async (i) => {
		const text = readString(this.getNodeParameter('text', i, ''), 'Text');
		const source = this.getNodeParameter('mediaSource', i, 'mediaIds') as string;
		const fields = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const target = readTarget(this.getNodeParameter('participantId', i, ''), fields.dmConversationId);

		// Media: one attachment, DM media only; all checked before any request.
		let mediaId: string | undefined;
		let batch: PreparedBatch | undefined;
		let tier: ItemTier | undefined;
		if (source === 'binary' || source === 'url') {
			const files = readItemFiles(this, i, source, { binary: 'binaryPropertyName', url: 'mediaUrl', urlLabel: 'Media URL', maxUrls: 1 });
			if (files.length > 1) {
				const names = files.map((f) => ('propertyName' in f ? f.propertyName : f.url.display));
				throw new MediaInputError(
					`A Direct Message carries one file, but "Input Binary Field" names ${names.length}: ${names.join(', ')}`,
					'X takes one attachment per message. Send each file in its own message (one item per file).',
				);
			}
			const settings = readUploadSettings(fields, { destination: 'dm' });
			tier = tiers.forItem(settings.accountTier ?? 'auto', i);
			batch = await prepareBatch(this, files, settings, { tier });
		} else {
			const value = this.getNodeParameter('mediaIds', i, '');
			const ids = value === '' || value === null || value === undefined ? [] : parseMediaIds(value, 'Media ID');
			if (ids.length > 1) {
				throw new MediaInputError(
					`A Direct Message carries one media, but "Media ID" has ${ids.length}: ${ids.join(', ')}`,
					'X takes one attachment per message. Send each media in its own message (one item per media ID).',
				);
			}
			mediaId = ids[0];
			if (mediaId !== undefined) checkKnownCategory(mediaId, this.getInputData()[i]?.json ?? {});
		}
		if (text.trim() === '' && mediaId === undefined && batch === undefined) {
			throw new MediaInputError('The message has no text and no media', 'Fill in Text, or pass a media ID, a binary file or a URL to send.');
		}
		if ('participantId' in target && target.participantId === (await senderId(i))) {
			throw new MediaInputError(
				`Participant ID ${target.participantId} is the sending account itself`,
				'X does not deliver Direct Messages to yourself. Enter the user ID of the person to write to.',
			);
		}

		let upload: UploadResult | undefined;
		if (batch) {
			[upload] = await runBatch(this, client, batch);
			mediaId = upload.media_id;
		}
		const body: IDataObject = {};
		if (text !== '') body.text = text;
		if (mediaId !== undefined) body.attachments = [{ media_id: mediaId }];
		const path =
			'participantId' in target
				? X_API.dmWithParticipant.path(target.participantId)
				: X_API.dmInConversation.path(target.conversationId);
		// Once per execution (README, "Exactly once"): when n8n runs the node again, a message
		// already sent returns its first output instead of being sent twice.
		const json = await once(this, { itemIndex: i, kind: 'dm', fingerprint: { path, body } }, async () => {
			const response = await client.request<{ data?: IDataObject; errors?: unknown }>({
				method: 'POST',
				path,
				endpoint: 'dmMessages',
				json: body,
				itemIndex: i,
				idempotent: false,
			});
			const { data, conversationId, eventId } = readDmAnswer(client, response, target, i);
			const sent: IDataObject = {
				...data,
				dm_conversation_id: conversationId,
				dm_event_id: eventId,
				media_id: mediaId ?? null,
				text,
			};
			if ('participantId' in target) sent.participant_id = target.participantId;
			if (upload) sent.upload = upload;
			return sent;
		});
		if (tier) Object.assign(json, tier.output());
		return [{ json, pairedItem: { item: i } }];
	});
}

/**
 * X's answer to a sent message (spec 2.167 `CreateDirectMessagesBy…Response`): `data` with
 * `dm_conversation_id` and `dm_event_id` (strings), and/or `errors[]`. The message exists once X
 * answered with success, so an answer without ids is not an error (an error would invite a run
 * that sends it twice): what X did not say is null, or the conversation the message was sent into.
 * An answer with `errors[]` and no `data`, or one that is not a JSON object, is reported.
 */
function readDmAnswer(
	client: XApiClient,
	response: XResponse<{ data?: IDataObject; errors?: unknown }>,
	target: DmTarget,
	itemIndex: number,
): { data: IDataObject; conversationId: string | null; eventId: string | null } {
	const body = response.body && typeof response.body === 'object' ? response.body : undefined;
	const data = body?.data && typeof body.data === 'object' && !Array.isArray(body.data) ? body.data : undefined;
	if (!body || Array.isArray(body) || (!data && Array.isArray(body.errors) && body.errors.length > 0)) {
		throw client.unexpectedAnswer({ endpoint: 'dmMessages', itemIndex }, response, 'message ids ("data")');
	}
	const conversationId = idString(data?.dm_conversation_id) ?? ('conversationId' in target ? target.conversationId : null);
	return { data: data ?? {}, conversationId, eventId: idString(data?.dm_event_id) ?? null };
}

/** An id as a string (X's ids are strings; a safe integer is taken as its digits). */
function idString(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	return undefined;
}

function readTarget(participantValue: unknown, conversationValue: unknown): DmTarget {
	const conversation = conversationValue === undefined || conversationValue === null ? '' : conversationValue;
	if (conversation !== '') {
		return { conversationId: assertDmConversationId(conversation, 'Conversation ID') };
	}
	if (participantValue === undefined || participantValue === null || participantValue === '') {
		throw new MediaInputError(
			'"Participant ID" is empty',
			'Enter the user ID of the person to write to (1 to 19 digits), or set Additional Fields > Conversation ID.',
		);
	}
	return { participantId: assertUserId(participantValue, 'Participant ID') };
}

/** Refuses, before any request, a media id that the input item says was uploaded for posts. */
function checkKnownCategory(mediaId: string, json: IDataObject): void {
	const category = knownMediaCategory(json, mediaId);
	if (category !== undefined && !isDmCategory(category)) {
		throw new MediaInputError(
			`Media ${mediaId} was uploaded as ${category}, which X does not take in Direct Messages`,
			'Upload the file with Media Category dm_image, dm_gif or dm_video, or set Media Source to Binary File so that the node uploads it as DM media.',
		);
	}
}

/**
 * The id of the account the credential belongs to (`GET /2/users/me`), or undefined when X (or an
 * X API-compatible proxy) does not answer that look-up usably: it only guards against writing to
 * yourself, so a missing endpoint (404) or an answer without a user id skips that check rather than
 * blocking the message. Refusals that the message itself would meet (401, 403, 429, 5xx) stay errors.
 */
async function readSenderId(client: XApiClient, itemIndex: number): Promise<string | undefined> {
	const response = await client.request<{ data?: IDataObject }>({
		method: 'GET',
		path: X_API.usersMe.path(),
		endpoint: 'usersMe',
		itemIndex,
		passStatuses: [404],
	});
	if (response.statusCode === 404) return undefined;
	const id = response.body && typeof response.body === 'object' ? response.body.data?.id : undefined;
	if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
	if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) return undefined;
	return id;
}
