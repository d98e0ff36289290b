import type { IDataObject } from 'n8n-workflow';

import type { AccountTierOption } from '../helpers/accountLimits';
import type { MediaCategory } from '../helpers/limits';
import type { MediaInfo, ResolvedMediaType } from '../helpers/media';
import type { UploadDestination, UploadPlan } from '../helpers/uploadPlanner';
import type { BinarySource } from './io/binarySource';
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
}

/** One file, checked and planned, before any request. */
export interface PreparedUpload {
	source: BinarySource;
	media: ResolvedMediaType;
	plan: UploadPlan;
	/** What the file itself says (`media_info`) and X's recommendations it breaks. */
	mediaInfo: MediaInfo;
	warnings: string[];
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
	binary_property: string;
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
		binary_property: source.propertyName,
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
