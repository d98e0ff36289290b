import type { IExecuteFunctions } from 'n8n-workflow';

import { emptyFileError, MediaInputError } from '../helpers/errors';
import { checkImageComplete, resolveMediaType, SNIFF_HEAD_BYTES, TAIL_CHECK_BYTES } from '../helpers/media';
import { MAX_SIMPLE_UPLOAD_BYTES } from '../helpers/limits';
import { planUpload } from '../helpers/uploadPlanner';
import { openBinarySource } from './io/binarySource';
import { closeSource } from './io/streams';
import { readHead } from './io/streamHead';
import { applyMediaChecks, inspectMedia } from './mediaInspection';
import type { PreparedUpload, UploadSettings } from './types';

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

/** Reads the file's head and size, works out type, category, method and chunking: no request yet. */
export async function prepareUpload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	settings: UploadSettings,
): Promise<PreparedUpload> {
	const source = await openBinarySource(ctx, itemIndex, propertyName);
	const fileName = source.fileName ?? propertyName;
	const context = { label: `File "${fileName}"`, fileName: `"${fileName}"` };
	try {
		if (source.size === 0) {
			throw emptyFileError();
		}
		// Identify: the head's magic bytes; for a GIF, PNG or WEBP its reader, run over the head,
		// says whether it is animated (an animated GIF is `kind` gif).
		const stream = await source.open(SNIFF_HEAD_BYTES);
		let head: Buffer;
		try {
			head = await readHead(stream, SNIFF_HEAD_BYTES);
		} finally {
			closeSource(stream);
		}
		const media = resolveMediaType({
			head,
			declaredMimeType: source.declaredMimeType,
			fileName: source.fileName,
			override: settings.mediaType,
		});
		// Size gate and plan: the planner refuses a file too large for its kind before any more of
		// it is read, and picks category, method and chunking.
		const plan = planUpload({
			size: source.size,
			media,
			category: settings.category,
			method: settings.method,
			chunkSizeMiB: settings.chunkSizeMiB,
			parallelUploads: settings.parallelUploads,
			liftVideoLimit: settings.liftVideoLimit,
			altText: settings.altText,
			shared: settings.shared,
			additionalOwners: settings.additionalOwners,
			destination: settings.destination,
		});
		// Read, then X's rules. Images are small (the planner refuses them above 15 MB): reading
		// one to its end to see that it is whole costs little and keeps a truncated file away from
		// X. The same pass feeds the media reader (GIF frames); a video is read only as far as its
		// reader needs.
		const wantTail = (media.kind === 'image' || media.kind === 'gif') && source.size <= MAX_SIMPLE_UPLOAD_BYTES;
		const inspected = await inspectMedia(source, media, head, {
			category: plan.category,
			liftVideoLimit: settings.liftVideoLimit === true,
			tailBytes: wantTail ? TAIL_CHECK_BYTES : undefined,
		});
		if (wantTail) checkImageComplete(media.mimeType, inspected.tail ?? Buffer.alloc(0), context.label);
		const warnings = applyMediaChecks(inspected, settings.skipMediaChecks === true);
		return { source, media, plan, mediaInfo: inspected.mediaInfo, warnings };
	} catch (error) {
		source.release();
		throw inFile(error, itemIndex, context);
	}
}
