/**
 * Subtitles in the upload engine: an SRT/VTT file checked before the first request, uploaded with
 * category `subtitles` once its video is processed, then attached with `POST /2/media/subtitles`;
 * and the `DELETE /2/media/subtitles` that removes a language again.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { MediaInputError } from '../helpers/errors';
import { subtitlesVideoCategory } from '../helpers/subtitlesRules';
import type { SubtitlesLanguage, SubtitlesVideoCategory } from '../helpers/subtitlesRules';
import { X_API } from '../transport/endpoints';
import type { XApiClient, XResponse } from '../transport/xApiClient';
import { FileInputError, inFile, prepareUpload } from './preflight';
import { uploadFile } from './session';
import type { PreparedUpload, UploadResult, UploadSettings } from './types';

/**
 * What the person asked for: the binary field of the same item, the language, its display name,
 * and the settings of the file's upload (the defaults: one request, and `auto` reads the kind from
 * the bytes, so that another file is named as such).
 */
export interface SubtitlesRequest {
	propertyName: string;
	language: SubtitlesLanguage;
	displayName: string;
	settings: UploadSettings;
}

/** A subtitles file, checked and planned, before any request. */
export interface PreparedSubtitles {
	request: SubtitlesRequest;
	prepared: PreparedUpload;
}

/** An entry of the output's `subtitles` (README, "Upload"): what was attached, with the language code as sent. */
interface SubtitlesEntry extends IDataObject {
	media_id: string;
	language_code: string;
	display_name: string;
}

/** Reads and sniffs the subtitles file of the item (SRT or VTT), plans its upload: no request. */
export async function prepareSubtitles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: SubtitlesRequest,
): Promise<PreparedSubtitles> {
	const prepared = await prepareUpload(ctx, itemIndex, request.propertyName, request.settings);
	if (prepared.media.kind !== 'subtitles' || prepared.plan.category !== 'subtitles') {
		throw new FileInputError(
			`The subtitles field "${request.propertyName}" holds ${prepared.source.fileName ? `"${prepared.source.fileName}", ` : ''}which is not an SRT or WebVTT file`,
			'Put the SRT or VTT file in that binary field, or correct the subtitles binary field name.',
			itemIndex,
		);
	}
	return { request, prepared };
}

/**
 * Which of the item's files the subtitles belong to: the one video among them. Checked before
 * any request, with the category the planner chose (tweet_video or amplify_video take subtitles).
 */
export function subtitlesVideoIndex(files: PreparedUpload[], itemIndex: number): number {
	const videos = files.map((f, index) => ({ f, index })).filter(({ f }) => f.media.kind === 'video');
	try {
		if (videos.length === 0) {
			throw new MediaInputError(
				'Subtitles need a video, but the item\'s files have none',
				'Subtitles are attached to a video. Upload the video from the same item, or remove the subtitles option.',
			);
		}
		if (videos.length > 1) {
			throw new MediaInputError(
				`Subtitles can go with one video, but the item has ${videos.length}`,
				'Upload each video from its own item with its own subtitles file.',
			);
		}
		subtitlesVideoCategory(videos[0].f.plan.category);
	} catch (error) {
		throw inFile(error, itemIndex);
	}
	return videos[0].index;
}

/**
 * Uploads the subtitles file (after its video was processed), unless `uploaded` says it is already,
 * and attaches it to the video.
 */
export async function uploadAndAttachSubtitles(
	ctx: IExecuteFunctions,
	client: XApiClient,
	subtitles: PreparedSubtitles,
	video: Pick<UploadResult, 'media_id' | 'media_category'>,
	itemIndex: number,
	uploaded?: Pick<UploadResult, 'media_id'>,
): Promise<SubtitlesEntry> {
	const videoCategory = subtitlesVideoCategory(video.media_category as Parameters<typeof subtitlesVideoCategory>[0]);
	uploaded ??= await uploadFile(ctx, client, subtitles.prepared, subtitles.request.settings, itemIndex);
	await attachSubtitles(
		client,
		{
			videoId: video.media_id,
			videoCategory,
			subtitlesId: uploaded.media_id,
			languageCode: subtitles.request.language.code,
			displayName: subtitles.request.displayName,
		},
		itemIndex,
	);
	return subtitlesEntry(uploaded.media_id, subtitles.request);
}

export function subtitlesEntry(mediaId: string, request: SubtitlesRequest): SubtitlesEntry {
	const entry: SubtitlesEntry = {
		media_id: mediaId,
		language_code: request.language.code,
		display_name: request.displayName,
	};
	if (request.language.given) entry.language_code_given = request.language.given;
	return entry;
}

interface AttachSubtitlesInput {
	videoId: string;
	videoCategory: SubtitlesVideoCategory;
	subtitlesId: string;
	languageCode: string;
	displayName: string;
}

/** `POST /2/media/subtitles` (spec 2.167 `CreateMediaSubtitlesRequest`); returns X's `data`. */
export async function attachSubtitles(client: XApiClient, input: AttachSubtitlesInput, itemIndex: number): Promise<IDataObject> {
	const response = await client.request<{ data?: IDataObject; errors?: unknown }>({
		method: 'POST',
		path: X_API.createSubtitles.path(),
		endpoint: 'subtitles',
		json: {
			id: input.videoId,
			media_category: input.videoCategory,
			subtitles: { id: input.subtitlesId, language_code: input.languageCode, display_name: input.displayName },
		},
		itemIndex,
	});
	// Spec 2.167 `CreateMediaSubtitlesResponse`: `data` (id, media_category, associated_subtitles,
	// all optional) and/or `errors[]`. A success without `data` is still a success.
	return successData(client, response, itemIndex, '"data"');
}

/** `DELETE /2/media/subtitles` (spec 2.167 `DeleteMediaSubtitlesRequest`); returns X's `data`. */
export async function deleteSubtitles(
	client: XApiClient,
	input: { videoId: string; videoCategory: SubtitlesVideoCategory; languageCode: string },
	itemIndex: number,
): Promise<IDataObject> {
	const response = await client.request<{ data?: IDataObject; errors?: unknown }>({
		method: 'DELETE',
		path: X_API.deleteSubtitles.path(),
		endpoint: 'subtitles',
		json: { id: input.videoId, language_code: input.languageCode, media_category: input.videoCategory },
		itemIndex,
	});
	// Spec 2.167 `DeleteMediaSubtitlesResponse`: `data.deleted` (boolean) and/or `errors[]`. X's
	// `deleted: false` (nothing to delete in that language) is an answer, not an error; a success
	// that says nothing is taken as done (X answered 200, "The request has succeeded").
	const data = successData(client, response, itemIndex, '"data.deleted"');
	const deleted = data.deleted;
	return { ...data, deleted: typeof deleted === 'boolean' ? deleted : deleted === 'true' ? true : deleted === 'false' ? false : true };
}

/**
 * `data` of a successful subtitles answer, `{}` when X sent none. Refused: an answer that is not a
 * JSON object, or `errors[]` without `data` (X's refusal in a 200).
 */
function successData(
	client: XApiClient,
	response: XResponse<{ data?: IDataObject; errors?: unknown }>,
	itemIndex: number,
	missing: string,
): IDataObject {
	const body = response.body && typeof response.body === 'object' && !Array.isArray(response.body) ? response.body : undefined;
	const data = body?.data && typeof body.data === 'object' && !Array.isArray(body.data) ? body.data : undefined;
	if (!body || (!data && Array.isArray(body.errors) && body.errors.length > 0)) {
		throw client.unexpectedAnswer({ endpoint: 'subtitles', itemIndex }, response, missing);
	}
	return data ?? {};
}
