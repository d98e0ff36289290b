/**
 * X's media upload protocol for one prepared file (docs.x.com/x-api/media/quickstart/media-upload-chunked):
 * one request (`POST /2/media/upload`) for small images and subtitles, or a session of INITIALIZE,
 * APPENDs (appendPipeline.ts) and FINALIZE. A session X still holds is continued on n8n's Retry On
 * Fail (uploadSessions.ts); a segment X refuses as too large (413/431) starts the session over with
 * smaller segments. Then the wait for X's processing, and the alt text.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { formatSizeWithBytes, ID_PATTERN } from '../helpers/limits';
import { shrinkChunkBytes } from '../helpers/uploadPlanner';
import type { XApiClient, XResponse } from '../transport/xApiClient';
import { X_API } from '../transport/endpoints';
import type { MediaSource } from './io/source';
import { appendSegments, READ_PIECE_BYTES, segmentCountFor } from './appendPipeline';
import type { AppendOutcome } from './appendPipeline';
import { waitForProcessing } from './processingWaiter';
import type { MediaStatusData } from './processingWaiter';
import {
	findUploadSession,
	forgetUploadSession,
	isGoneSession,
	isRefusal,
	rememberUploadSession,
	uploadSessionKey,
} from './uploadSessions';
import type { UploadSessionKey } from './uploadSessions';
import { uploadResult } from './types';
import type { PreparedUpload, UploadResult, UploadSettings } from './types';

/** How many times an upload is started over with smaller chunks after X refuses a segment as too large. */
const MAX_RESTARTS = 3;

/** Uploads one prepared file (one request or a session), waits for X's processing, sets the alt text. */
export async function uploadFile(
	ctx: IExecuteFunctions,
	client: XApiClient,
	prepared: PreparedUpload,
	settings: UploadSettings,
	itemIndex: number,
): Promise<UploadResult> {
	const { plan } = prepared;
	let data: MediaStatusData;
	let segments = 0;
	try {
		if (plan.method === 'simple') {
			data = await uploadInOneRequest(ctx, client, prepared, settings, itemIndex);
		} else {
			const chunked = await uploadInSession(ctx, client, prepared, settings, itemIndex);
			data = chunked.data;
			segments = chunked.segments;
		}
	} finally {
		// The bytes are sent (or the upload failed): the whole file a source kept goes now, not
		// after X's processing.
		prepared.source.release();
	}
	const mediaId = readId(client, data.id, 'upload', itemIndex);
	if (data.processing_info && settings.waitForProcessing) {
		data = await waitForProcessing(client, mediaId, data, settings.processingTimeoutSecs, itemIndex);
	}
	if (settings.altText) {
		await setAltText(client, mediaId, settings.altText, itemIndex);
	}
	return uploadResult(prepared, data, mediaId, segments);
}

/** `POST /2/media/metadata` with the alt text. */
async function setAltText(client: XApiClient, mediaId: string, text: string, itemIndex: number) {
	await client.request({
		method: 'POST',
		path: X_API.metadata.path(),
		endpoint: 'metadata',
		json: { id: mediaId, metadata: { alt_text: { text } } },
		itemIndex,
	});
}

/** The one-request upload, `POST /2/media/upload` (multipart). */
async function uploadInOneRequest(
	ctx: IExecuteFunctions,
	client: XApiClient,
	{ source, media, plan }: PreparedUpload,
	settings: UploadSettings,
	itemIndex: number,
): Promise<MediaStatusData> {
	const bytes = await source.readAll();
	checkSize(ctx, source, bytes.length, itemIndex);
	const blob = new Blob([bytes], { type: media.mimeType });
	const response = await client.request<{ data?: MediaStatusData }>({
		method: 'POST',
		path: X_API.mediaUpload.path(),
		endpoint: 'upload',
		itemIndex,
		multipart: () => {
			const form = new FormData();
			form.append('media', blob, uploadFileName(source));
			form.append('media_category', plan.category);
			// The one-request upload takes additional owners as one comma-separated string (spec 2.167).
			if (settings.additionalOwners.length) form.append('additional_owners', settings.additionalOwners.join(','));
			return form;
		},
	});
	return requireData(client, response, 'upload', itemIndex);
}

/**
 * INITIALIZE (or a session X still holds for this very upload), the APPENDs X does not have yet,
 * FINALIZE; started over with smaller segments when X refuses one as too large.
 */
async function uploadInSession(
	ctx: IExecuteFunctions,
	client: XApiClient,
	prepared: PreparedUpload,
	settings: UploadSettings,
	itemIndex: number,
): Promise<{ data: MediaStatusData; segments: number }> {
	const { source, plan } = prepared;
	const credentialId = ctx.getNode().credentials?.[client.credentialType]?.id;
	const key = uploadSessionKey(prepared, { type: client.credentialType, id: credentialId }, settings);
	// A session X still holds for this very upload (n8n's Retry On Fail after a failure part-way).
	let session = key ? findUploadSession(key) : undefined;
	let chunkBytes = session?.chunkBytes ?? plan.chunkBytes;
	for (let restart = 0; ; restart++) {
		const resumed = session !== undefined;
		if (!session) {
			const started = await initializeSession(client, prepared, settings, itemIndex);
			session = {
				mediaId: started.mediaId,
				chunkBytes,
				acknowledged: new Uint8Array(segmentCountFor(source.size, chunkBytes)),
				expiresAtMs: Date.now() + (started.expiresAfterSecs ?? DEFAULT_SESSION_SECS) * 1000,
				roundTripMs: started.roundTripMs,
			};
			if (key) rememberUploadSession(key, session);
		}
		const current = session;
		const { mediaId } = current;
		let appended: AppendOutcome | undefined;
		let failure: unknown;
		const pass = prepared.whileUploading;
		try {
			// A URL with ranges is read at positions; a file checked while it uploads feeds its reader.
			const stream = source.positional ? undefined : await source.open(READ_PIECE_BYTES);
			appended = await appendSegments({
				client,
				mediaId,
				stream: stream && pass ? pass.watch(stream) : stream,
				positional: source.positional,
				readableFrom: source.readableFrom,
				size: source.size,
				chunkBytes,
				parallel: plan.parallelUploads,
				roundTripMs: current.roundTripMs,
				itemIndex,
				acknowledged: current.acknowledged,
				onAcknowledged: (_index, data) => {
					// X's APPEND answer says until when it holds the session (epoch seconds).
					if (typeof data?.expires_at === 'number') current.expiresAtMs = data.expires_at * 1000;
				},
			});
		} catch (error) {
			failure = error;
		}
		if (appended === undefined) {
			// X no longer holds a session we continued (it expired early, or was finalized elsewhere):
			// nothing of it can be used, so start over once with a fresh INITIALIZE.
			if (resumed && key && isGoneSession(failure)) {
				forgetUploadSession(key);
				session = undefined;
				chunkBytes = plan.chunkBytes;
				continue;
			}
			throw failure;
		}
		if (appended.tooLarge) {
			if (key) forgetUploadSession(key);
			session = undefined;
			const smaller = shrinkChunkBytes(chunkBytes, source.size);
			if (smaller === undefined || restart >= MAX_RESTARTS) {
				throw new NodeOperationError(
					ctx.getNode(),
					`X refused an upload segment of ${formatSizeWithBytes(chunkBytes)} as too large (HTTP ${appended.tooLarge})`,
					{
						itemIndex,
						description: `The node started the upload over with smaller segments ${restart} time(s) and cannot go smaller for this file. Set a smaller "Chunk Size (MiB)" or check that nothing between n8n and X (a proxy) limits request sizes.`,
					},
				);
			}
			chunkBytes = smaller;
			continue;
		}
		if (appended.bytes !== source.size && key) forgetUploadSession(key);
		checkSize(ctx, source, appended.bytes, itemIndex);
		// X's rules, before FINALIZE: a file that breaks one is not finalized (X drops the session).
		if (pass) Object.assign(prepared, pass.verdictOrForget(() => key && forgetUploadSession(key)));
		const data = await finalizeSession(client, mediaId, key, itemIndex);
		return { data, segments: current.acknowledged.length };
	}
}

/** `POST /2/media/upload/{id}/finalize`: X's `data` (processing_info…); the session is done either way. */
async function finalizeSession(
	client: XApiClient,
	mediaId: string,
	key: UploadSessionKey | undefined,
	itemIndex: number,
): Promise<MediaStatusData> {
	let finalized: XResponse<{ data?: MediaStatusData }> | undefined;
	let failure: unknown;
	try {
		finalized = await client.request<{ data?: MediaStatusData }>({
			method: 'POST',
			path: X_API.finalize.path(mediaId),
			endpoint: 'finalize',
			itemIndex,
		});
	} catch (error) {
		failure = error;
	}
	if (finalized === undefined) {
		// X refused the session itself (not a passing failure): a retry must start over.
		if (key && isRefusal(failure)) forgetUploadSession(key);
		throw failure;
	}
	if (key) forgetUploadSession(key);
	const data = requireData(client, finalized, 'finalize', itemIndex);
	if (data.id === undefined) data.id = mediaId;
	else if (String(data.id) !== mediaId) {
		throw client.unexpectedAnswer({ endpoint: 'finalize', itemIndex }, finalized, `the media id it finalized (${mediaId})`);
	}
	return data;
}

/** How long X holds a session when INITIALIZE does not say (X documents 24 hours). */
const DEFAULT_SESSION_SECS = 86_400;

/** `POST /2/media/upload/initialize`: the session's media id and how long X holds it. */
async function initializeSession(
	client: XApiClient,
	{ source, plan }: PreparedUpload,
	settings: UploadSettings,
	itemIndex: number,
): Promise<{ mediaId: string; expiresAfterSecs?: number; roundTripMs?: number }> {
	const body: IDataObject = {
		media_type: plan.mediaType,
		total_bytes: source.size,
		media_category: plan.category,
	};
	// Initialize takes additional owners as an array of id strings, and `shared` as a boolean.
	if (settings.additionalOwners.length) body.additional_owners = settings.additionalOwners;
	if (settings.shared) body.shared = true;
	const startedAt = Date.now();
	const response = await client.request<{ data?: MediaStatusData }>({
		method: 'POST',
		path: X_API.initialize.path(),
		endpoint: 'initialize',
		json: body,
		itemIndex,
	});
	const data = requireData(client, response, 'initialize', itemIndex);
	const mediaId = readId(client, data.id, 'initialize', itemIndex, response);
	const secs = data.expires_after_secs;
	// A request with almost no body: its time is the round trip to X (a retried one is not).
	const roundTripMs = response.attempts === 1 ? Date.now() - startedAt : undefined;
	return { mediaId, expiresAfterSecs: typeof secs === 'number' && secs > 0 ? secs : undefined, roundTripMs };
}

function checkSize(ctx: IExecuteFunctions, source: MediaSource, read: number, itemIndex: number): void {
	if (read !== source.size) {
		throw new NodeOperationError(
			ctx.getNode(),
			`File "${source.fileName ?? source.propertyName}" has ${formatSizeWithBytes(read)} ${source.sourceUrl ? 'at its URL' : "in n8n's binary storage"}, but its ${source.sourceUrl ? 'server announced' : 'metadata says'} ${formatSizeWithBytes(source.size)}`,
			{ itemIndex, description: 'The file changed or was cut short while it was read. Nothing was posted; run the workflow again.' },
		);
	}
}

function requireData(
	client: XApiClient,
	response: XResponse<{ data?: MediaStatusData }>,
	endpoint: 'upload' | 'initialize' | 'finalize',
	itemIndex: number,
): MediaStatusData {
	const data = response.body && typeof response.body === 'object' ? response.body.data : undefined;
	if (!data || typeof data !== 'object') throw client.unexpectedAnswer({ endpoint, itemIndex }, response, '"data"');
	return data;
}

/** Media ids are strings end to end; a numeric id beyond 2^53 would already be wrong. */
function readId(
	client: XApiClient,
	value: unknown,
	endpoint: 'upload' | 'initialize' | 'finalize',
	itemIndex: number,
	response?: XResponse<unknown>,
): string {
	const id = typeof value === 'string' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
	if (id === undefined || !ID_PATTERN.test(id)) {
		throw client.unexpectedAnswer(
			{ endpoint, itemIndex },
			response ?? { statusCode: 200, body: { data: { id: value ?? null } }, headers: {}, attempts: 1 },
			'valid media id ("data.id")',
		);
	}
	return id;
}

function uploadFileName(source: MediaSource): string {
	const name = source.fileName ?? source.propertyName;
	return name.replace(/[\r\n"]/g, '_') || 'media';
}
