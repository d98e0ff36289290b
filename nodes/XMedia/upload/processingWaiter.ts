import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { XApiClient } from '../transport/xApiClient';
import { X_API } from '../transport/endpoints';

/** X's `processing_info`, as far as we read it. */
export interface ProcessingInfo extends IDataObject {
	state?: string;
	check_after_secs?: number;
	progress_percent?: number;
	error?: IDataObject;
}

/** `data` of X's finalize and STATUS answers. */
export interface MediaStatusData extends IDataObject {
	id?: string;
	media_key?: string;
	size?: number;
	expires_after_secs?: number;
	processing_info?: ProcessingInfo;
}

/** Waits between STATUS calls when X gives no usable `check_after_secs`. */
const FALLBACK_CHECK_AFTER_SECS = 2;
/** Longest single wait we honour, whatever X says; the overall timeout bounds the rest. */
const MAX_CHECK_AFTER_SECS = 120;

/** Reads one STATUS answer; checks that it is about the media we asked for. */
export async function fetchStatus(
	client: XApiClient,
	mediaId: string,
	itemIndex: number,
): Promise<MediaStatusData> {
	const response = await client.request<{ data?: MediaStatusData; errors?: unknown }>({
		method: 'GET',
		path: X_API.mediaUploadStatus.path(),
		qs: { command: 'STATUS', media_id: mediaId },
		endpoint: 'status',
		itemIndex,
	});
	const data = response.body && typeof response.body === 'object' ? response.body.data : undefined;
	if (!data || typeof data !== 'object') {
		throw client.unexpectedAnswer({ endpoint: 'status', itemIndex }, response, 'data');
	}
	if (data.id !== undefined && String(data.id) !== mediaId) {
		throw new NodeOperationError(client.node, `X answered the status request for media ${mediaId} with another media (${String(data.id)})`, {
			itemIndex,
			description: 'This should not happen with X itself; check the credential\'s API Base URL.',
		});
	}
	return data;
}

/**
 * Polls STATUS until X says `succeeded`, honouring `check_after_secs`; any `processing_info.error`
 * or `failed` state is final; gives up at `timeoutSecs` with an error that names the media id.
 */
export async function waitForProcessing(
	client: XApiClient,
	mediaId: string,
	first: MediaStatusData,
	timeoutSecs: number,
	itemIndex: number,
): Promise<MediaStatusData> {
	const startedAt = Date.now();
	const deadline = startedAt + timeoutSecs * 1000;
	let current = first;
	let polls = 0;
	for (;;) {
		const info = current.processing_info;
		if (!info || info.state === 'succeeded') {
			if (!info || !info.error) return current;
		}
		throwIfProcessingFailed(client, mediaId, info, itemIndex);
		const left = deadline - Date.now();
		if (left <= 0) {
			const state = info && typeof info === 'object' && info.state ? info.state : 'unknown';
			const progress = info?.progress_percent !== undefined ? `, ${String(info.progress_percent)}%` : '';
			throw new NodeOperationError(
				client.node,
				`X is still processing media ${mediaId} (state "${state}"${progress}) after the ${timeoutSecs} s processing timeout`,
				{
					itemIndex,
					description: `The upload itself finished. Check it later with the "Get Status" operation and media id ${mediaId} (for example after a Wait node), or raise "Processing Timeout (Seconds)".${
						info?.check_after_secs !== undefined ? ` X asked to check again after ${String(info.check_after_secs)} s.` : ''
					}`,
				},
			);
		}
		// Honour check_after_secs, but never sleep past the deadline: poll once more there.
		const waitSecs = Math.min(nextWaitSecs(info?.check_after_secs, polls), left / 1000);
		await client.wait(waitSecs * 1000, { endpoint: 'status', itemIndex });
		current = await fetchStatus(client, mediaId, itemIndex);
		polls++;
	}
}

/** A `failed` state or an `error` object (even while `in_progress`) ends the wait with X's reason. */
export function throwIfProcessingFailed(
	client: XApiClient,
	mediaId: string,
	info: ProcessingInfo | undefined,
	itemIndex: number,
): void {
	if (!info) return;
	const error = info.error && typeof info.error === 'object' ? info.error : undefined;
	if (info.state !== 'failed' && !error) return;
	const reason = error
		? [error.message, error.name, error.code !== undefined ? `code ${String(error.code)}` : undefined]
				.filter((x) => x !== undefined && x !== '')
				.map(String)
				.join(', ')
		: 'no reason given';
	throw new NodeApiError(client.node, { processing_info: info } as JsonObject, {
		message: `X could not process media ${mediaId}: ${reason}`,
		description:
			'X accepted the upload but refused the file while processing it. For videos: MP4 (H.264 video, AAC-LC audio), at most 1280x1024 or 1920x1200, 60 fps, yuv420p, within the account\'s duration limit (README, "Limits per account"). Convert the file and upload it again.',
		itemIndex,
	});
}

function nextWaitSecs(checkAfter: unknown, polls: number): number {
	const n = typeof checkAfter === 'number' ? checkAfter : Number(checkAfter);
	if (Number.isFinite(n) && n > 0) return Math.min(n, MAX_CHECK_AFTER_SECS);
	// Missing, zero or negative: poll on, gently backing off, never returning early.
	return Math.min(FALLBACK_CHECK_AFTER_SECS * (polls + 1), 10);
}
