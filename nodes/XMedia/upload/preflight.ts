import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_SIMPLE_UPLOAD_BYTES, TierLimitError } from '../helpers/accountLimits';
import type { TierVerdict } from '../helpers/accountLimits';
import { emptyFileError, MediaInputError } from '../helpers/errors';
import { checkImageComplete, resolveMediaType, SNIFF_HEAD_BYTES, TAIL_CHECK_BYTES, unreadMediaInfo } from '../helpers/media';
import { planUpload } from '../helpers/uploadPlanner';
import { hostAndPath } from '../helpers/mediaUrl';
import type { ItemTier } from './accountTier';
import { openBinarySource } from './io/binarySource';
import type { MediaSource } from './io/source';
import { closeSource } from './io/streams';
import { readHead } from './io/streamHead';
import { openUrlSource } from './io/urlSource';
import { headSuffices, InspectionWhileUploading } from './inspectWhileUploading';
import { applyMediaChecks, inspectMedia, recheckMediaRules } from './mediaInspection';
import type { FileOrigin, PreparedUpload, UploadSettings } from './types';

/**
 * An input error about one item's file, found before any request: the message names the file, and
 * the error says which item it is (Create Post may upload the files of several items). The item loop
 * (actions/common/itemLoop.ts) turns it into the node's error.
 */
export class FileInputError extends MediaInputError {
	constructor(
		message: string,
		description: string | undefined,
		readonly itemIndex: number,
	) {
		super(message, description);
		this.name = 'FileInputError';
	}
}

/** The input error `error` as one about the file of item `itemIndex`, its message prefixed with `context.label` when it does not name the file yet. */
export function inFile(error: unknown, itemIndex: number, context?: { label: string; fileName: string }): unknown {
	if (!(error instanceof MediaInputError)) return error;
	const message = context && !error.message.includes(context.fileName) ? `${context.label}: ${error.message}` : error.message;
	return new FileInputError(message, error.description, itemIndex);
}

/**
 * A verdict under the account's limits: decided with the tier known so far (the option's, or one
 * X gave for this item; standard when none); when that refuses what X Premium would take and the
 * tier is not known yet (Account Tier `auto`), X is asked (ItemTier) and the verdict made again.
 */
async function underAccountLimits<T>(tier: ItemTier | undefined, decide: (verdict: TierVerdict | undefined) => T): Promise<T> {
	let refusal: unknown;
	try {
		return decide(tier?.used);
	} catch (error) {
		refusal = error;
	}
	if (!(refusal instanceof TierLimitError) || !tier || tier.used !== undefined) throw refusal;
	return decide(await tier.resolve());
}

/**
 * Reads the file's head and size, works out type, category, method and chunking: no request yet,
 * except X's answer about the account's tier when a verdict depends on it (Account Tier `auto`).
 * `origin`: a binary field of the item (its name), or a URL.
 */
export async function prepareUpload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	origin: string | FileOrigin,
	settings: UploadSettings,
	tier?: ItemTier,
): Promise<PreparedUpload> {
	const from: FileOrigin = typeof origin === 'string' ? { propertyName: origin } : origin;
	let source: MediaSource;
	try {
		source =
			'url' in from
				? await openUrlSource(ctx, from.url, settings.urlTimeoutSecs)
				: await openBinarySource(ctx, itemIndex, from.propertyName);
	} catch (error) {
		throw inFile(error, itemIndex);
	}
	const fileName = source.fileName ?? ('url' in from ? hostAndPath(from.url.url) : from.propertyName);
	const context = { label: `File "${fileName}"`, fileName: `"${fileName}"` };
	try {
		if (source.size === 0) {
			throw emptyFileError();
		}
		// Identify: the head's magic bytes; for a GIF, PNG or WEBP its reader, run over the head,
		// says whether it is animated (an animated GIF is `kind` gif).
		const head = await readSourceHead(source);
		source.checkHead?.(head);
		const media = resolveMediaType({
			head,
			declaredMimeType: source.declaredMimeType,
			fileName: source.fileName,
			override: settings.mediaType,
		});
		// Size gate and plan: the planner refuses a file too large for its kind before any more of
		// it is read, and picks category, method and chunking.
		const plan = await underAccountLimits(tier, (verdict) =>
			planUpload({
				size: source.size,
				media,
				category: settings.category,
				method: settings.method,
				chunkSizeMiB: settings.chunkSizeMiB,
				parallelUploads: settings.parallelUploads,
				tier: verdict,
				altText: settings.altText,
				shared: settings.shared,
				additionalOwners: settings.additionalOwners,
				destination: settings.destination,
			}),
		);
		// Read, then X's rules. Images are small (the planner refuses them above 15 MB): reading
		// one to its end to see that it is whole costs little and keeps a truncated file away from
		// X. The same pass feeds the media reader (GIF frames); a video is read only as far as its
		// reader needs.
		const wantTail = (media.kind === 'image' || media.kind === 'gif') && source.size <= MAX_SIMPLE_UPLOAD_BYTES;
		if (source.inspectWhileUploading && !(headSuffices(media, head, source.size) && !wantTail)) {
			// A URL without ranges, whose head does not answer the reader: a small file is read once,
			// here, and kept for its upload; a chunked one is checked while it uploads, in the same
			// pass (never finalized if it breaks a rule).
			if (plan.method === 'chunked') {
				// The video's duration is known only at the end of the pass: with Account Tier `auto` the
				// tier is asked now, since the verdict before FINALIZE may depend on it.
				const verdict = tier && tier.used === undefined && media.kind === 'video' ? await tier.resolve() : tier?.used;
				const whileUploading = new InspectionWhileUploading(media, source.size, {
					category: plan.category,
					tier: verdict,
					skipMediaChecks: settings.skipMediaChecks === true,
					fileName: source.fileName,
				});
				return { source, media, plan, mediaInfo: unreadMediaInfo(media.mimeType, media.kind), warnings: [], whileUploading };
			}
			await source.readAll();
		}
		let inspected = await inspectMedia(source, media, head, {
			category: plan.category,
			tier: tier?.used,
			tailBytes: wantTail ? TAIL_CHECK_BYTES : undefined,
		});
		if (wantTail) checkImageComplete(media.mimeType, inspected.tail ?? Buffer.alloc(0), context.label);
		// A refusal only a standard account gets (a post video or a DM video over its standard duration):
		// with Account Tier `auto`, X says which the account is (not when Skip Media Checks is on,
		// which uploads it anyway).
		if (tier && tier.used === undefined && settings.skipMediaChecks !== true && inspected.refusals.some((r) => r.tierDependent)) {
			inspected = recheckMediaRules(inspected, plan.category, await tier.resolve(), source.fileName);
		}
		const warnings = applyMediaChecks(inspected, settings.skipMediaChecks === true);
		return { source, media, plan, mediaInfo: inspected.mediaInfo, warnings };
	} catch (error) {
		source.release();
		throw inFile(error, itemIndex, context);
	}
}

/** The file's first bytes (type detection): read at position 0 where the source reads at positions. */
async function readSourceHead(source: MediaSource): Promise<Buffer> {
	const length = Math.min(SNIFF_HEAD_BYTES, source.size);
	if (source.positional) {
		const head = Buffer.alloc(length);
		const { bytesRead } = await source.positional.read(head, 0, length, 0);
		return head.subarray(0, bytesRead);
	}
	const stream = await source.open(SNIFF_HEAD_BYTES);
	try {
		return await readHead(stream, SNIFF_HEAD_BYTES);
	} finally {
		closeSource(stream);
	}
}
