import type { IDataObject } from 'n8n-workflow';

import type { AccountTierOption } from '../helpers/accountLimits';
import type { MediaCategory } from '../helpers/limits';
import type { MediaInfo, ResolvedMediaType } from '../helpers/media';
import type { MediaUrl } from '../helpers/mediaUrl';
import type { UploadDestination, UploadPlan } from '../helpers/uploadPlanner';
import type { MediaSource } from './io/source';
import type { InspectionWhileUploading } from './inspectWhileUploading';
import type { MediaStatusData, ProcessingInfo } from './processingWaiter';

/** What the person chose, from the node's parameters. */
export interface UploadSettings {
	category: 'auto' | MediaCategory;
	method: 'auto' | 'simple' | 'chunked';
	mediaType?: string;
	altText?: string;
	waitForProcessing: boolean;
	processingTimeoutSecs: number;
	chunkSizeMiB?: number;
	parallelUploads?: number;
	additionalOwners: string[];
	shared?: boolean;
	/** Account Tier: whose limits apply (`auto`: X is asked when a verdict depends on it). Default auto. */
	accountTier?: AccountTierOption;
	/** Post (default) or Direct Message: what the `auto` category picks. */
	destination?: UploadDestination;
	/** Upload even when the file breaks X's media rules (type and size limits still apply). */
	skipMediaChecks?: boolean;
	/** Media from a URL: bound on the wait for the server's answer and for each next piece (seconds). */
	urlTimeoutSecs?: number;
}

/** Where one file of an upload comes from: a binary field of the input item, or a URL. */
export type FileOrigin = { propertyName: string } | { url: MediaUrl };

/** One file, checked and planned, before any request. */
export interface PreparedUpload {
	source: MediaSource;
	media: ResolvedMediaType;
	plan: UploadPlan;
	/** What the file itself says (`media_info`) and X's recommendations it breaks. */
	mediaInfo: MediaInfo;
	warnings: string[];
	/** Set when X's rules are checked while the file uploads (a URL without ranges): before FINALIZE. */
	whileUploading?: InspectionWhileUploading;
}

/** What an upload produced: the output fields of one file (README, "Upload"). */
export interface UploadResult extends IDataObject {
	media_id: string;
	media_key: string;
	media_category: string;
	media_type: string;
	size: number;
	upload_method: 'simple' | 'chunked';
	segments: number;
	expires_after_secs?: number;
	expires_at?: string;
	processing_info?: ProcessingInfo;
	file_name?: string;
	/** The input binary field the file came from (binary data). */
	binary_property?: string;
	/** The URL the file came from, its query replaced by `?…` (media from a URL). */
	source_url?: string;
	media_info: MediaInfo;
	warnings: string[];
}

/** The output fields of one uploaded file, from X's last answer about it. */
export function uploadResult(prepared: PreparedUpload, data: MediaStatusData, mediaId: string, segments: number): UploadResult {
	const { source, plan } = prepared;
	const result: UploadResult = {
		media_id: mediaId,
		media_key: typeof data.media_key === 'string' ? data.media_key : '',
		media_category: plan.category,
		media_type: plan.mediaType,
		size: source.size,
		upload_method: plan.method,
		segments,
		...(source.sourceUrl !== undefined ? { source_url: source.sourceUrl } : { binary_property: source.propertyName }),
		media_info: prepared.mediaInfo,
		warnings: prepared.warnings,
	};
	if (typeof data.expires_after_secs === 'number') {
		result.expires_after_secs = data.expires_after_secs;
		result.expires_at = new Date(Date.now() + data.expires_after_secs * 1000).toISOString();
	}
	if (data.processing_info) result.processing_info = data.processing_info;
	if (source.fileName) result.file_name = source.fileName;
	return result;
}
