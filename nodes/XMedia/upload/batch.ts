/**
 * The files one operation uploads together (Upload: an item's files; Create Post: those of one
 * item or of all; Send Direct Message: one), from binary data or URLs: every file is checked and planned before the first
 * request, the subtitles file is paired with its video, then the files go to X one by one.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { XApiClient } from '../transport/xApiClient';
import type { ItemTier } from './accountTier';
import { once } from './exactlyOnce';
import { prepareUpload } from './preflight';
import { uploadFile } from './session';
import { prepareSubtitles, subtitlesVideoIndex, uploadAndAttachSubtitles } from './subtitles';
import type { PreparedSubtitles, SubtitlesRequest } from './subtitles';
import type { FileOrigin, PreparedUpload, UploadResult, UploadSettings } from './types';

/**
 * A file to upload, for the item it belongs to: a binary field of the item (`propertyName`), or a
 * file at a URL (`url`, checked by helpers/mediaUrl.ts `parseMediaUrl`; README, "Media from a URL").
 */
export type BatchFile = { itemIndex: number } & FileOrigin;

/** The batch, checked and planned, before any request. */
export interface PreparedBatch {
	settings: UploadSettings;
	files: Array<{ itemIndex: number; prepared: PreparedUpload }>;
	/** The subtitles file and the index (in `files`) of the video it goes with. */
	subtitles?: { prepared: PreparedSubtitles; videoIndex: number };
}

/**
 * Reads, identifies and plans every file (and the subtitles file, read from the item of the first
 * video, or of the first file): no request yet, except X's answer about the account's tier when a
 * verdict depends on it (`tier`, Account Tier `auto`).
 */
export async function prepareBatch(
	ctx: IExecuteFunctions,
	files: BatchFile[],
	settings: UploadSettings,
	{ subtitles: subtitlesRequest, tier }: { subtitles?: SubtitlesRequest; tier?: ItemTier } = {},
): Promise<PreparedBatch> {
	// X attaches subtitles only to a processed video: with subtitles the upload always waits.
	const batchSettings = subtitlesRequest ? { ...settings, waitForProcessing: true } : settings;
	const batch: PreparedBatch = { settings: batchSettings, files: [] };
	for (const { itemIndex, ...origin } of files) {
		batch.files.push({ itemIndex, prepared: await prepareUpload(ctx, itemIndex, origin as FileOrigin, batchSettings, tier) });
	}
	if (subtitlesRequest && batch.files.length) {
		const withVideo = batch.files.find((f) => f.prepared.media.kind === 'video') ?? batch.files[0];
		const { itemIndex } = withVideo;
		const prepared = await prepareSubtitles(ctx, itemIndex, subtitlesRequest);
		const ofItem = batch.files.filter((f) => f.itemIndex === itemIndex);
		const video = ofItem[subtitlesVideoIndex(ofItem.map((f) => f.prepared), itemIndex)];
		batch.subtitles = { prepared, videoIndex: batch.files.indexOf(video) };
	}
	keepWholeFileOnlyForFirst([...batch.files.map((f) => f.prepared), batch.subtitles?.prepared.prepared]);
	return batch;
}

/**
 * Uploads the files in order; the subtitles are uploaded and attached once their video is
 * processed. Each file is uploaded once per execution (README, "Exactly once"): when n8n runs the
 * node again, a file whose upload finished returns that upload's output and is not sent again.
 */
export async function runBatch(ctx: IExecuteFunctions, client: XApiClient, batch: PreparedBatch): Promise<UploadResult[]> {
	const results: UploadResult[] = [];
	const parts = new Map<number, number>();
	for (const [index, { itemIndex, prepared }] of batch.files.entries()) {
		// The file's place among its item's files.
		const part = parts.get(itemIndex) ?? 0;
		parts.set(itemIndex, part + 1);
		const result = await uploadOnce(ctx, client, prepared, batch.settings, itemIndex, part);
		if (batch.subtitles && index === batch.subtitles.videoIndex) {
			const subtitles = batch.subtitles.prepared;
			const uploaded = await uploadOnce(ctx, client, subtitles.prepared, subtitles.request.settings, itemIndex, part);
			const attach = {
				video: result.media_id,
				subtitles: uploaded.media_id,
				language: subtitles.request.language.code,
				displayName: subtitles.request.displayName,
			};
			const entry = await once(ctx, { itemIndex, kind: 'upload', part, fingerprint: { attachSubtitles: attach } }, async () =>
				await uploadAndAttachSubtitles(ctx, client, subtitles, result, itemIndex, uploaded),
			);
			result.subtitles = [entry];
		}
		results.push(result);
	}
	return results;
}

/**
 * One file's upload, once per execution (exactlyOnce.ts): on n8n's retry a finished upload returns
 * its first output. An upload that failed part-way is not remembered: it resumes its X session
 * (uploadSessions.ts).
 */
export async function uploadOnce(
	ctx: IExecuteFunctions,
	client: XApiClient,
	prepared: PreparedUpload,
	settings: UploadSettings,
	itemIndex: number,
	part: number,
): Promise<UploadResult> {
	try {
		return await once(ctx, { itemIndex, kind: 'upload', part, fingerprint: uploadFingerprint(prepared, settings) }, async () =>
			await uploadFile(ctx, client, prepared, settings, itemIndex),
		);
	} finally {
		// A remembered upload read nothing more: the whole file its source may keep goes now.
		prepared.source.release();
	}
}

/**
 * What identifies one upload (hashed, never kept): the file (its id in n8n's storage, or its name,
 * type and size when it is inline; what its bytes say, `media_info`), the plan (category, type,
 * method, segments) and every setting that changes the upload or its output (alt text, owners,
 * shared, processing wait…).
 */
export function uploadFingerprint({ source, media, plan, mediaInfo }: PreparedUpload, settings: UploadSettings): unknown {
	return {
		file: {
			id: source.binaryDataId ?? null,
			property: source.propertyName,
			name: source.fileName ?? null,
			mimeType: source.declaredMimeType ?? null,
			size: source.size,
		},
		media: media.mimeType,
		mediaInfo,
		plan,
		settings,
	};
}

/** The subtitles attached in a batch, in file order (the output's `subtitles`). */
export function batchSubtitles(results: UploadResult[]): IDataObject[] {
	return results.flatMap((r) => (Array.isArray(r.subtitles) ? (r.subtitles as IDataObject[]) : []));
}

/**
 * When a batch prepares several files before it uploads them one by one: only the first to be
 * uploaded (it goes next) keeps the whole file its source may hold (database binary mode); the
 * others let theirs go now and are read once more at their own upload, so that no file is held in
 * memory across the uploads of the others.
 */
export function keepWholeFileOnlyForFirst(prepared: Array<PreparedUpload | undefined>): void {
	for (const p of prepared.slice(1)) p?.source.release();
}
