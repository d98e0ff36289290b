/**
 * A file that cannot be inspected before its upload (a URL whose server takes no byte ranges: the
 * only way to its `moov` or its last frame is through all of it) is inspected while it uploads: the
 * one streaming pass that fills the APPEND segments feeds the file's reader too, and X's rules are
 * checked before FINALIZE. A file that breaks one is never finalized: the error says why, and X
 * drops the unfinished session (README, "Media from a URL").
 */
import type { TierVerdict } from '../helpers/accountLimits';
import { MediaInputError } from '../helpers/errors';
import type { MediaCategory } from '../helpers/limits';
import { checkMediaRules, MediaInspector } from '../helpers/media';
import type { MediaInfo, ResolvedMediaType } from '../helpers/media';
import { pieceToBuffer } from './io/streamHead';
import { closeSource } from './io/streams';
import { applyMediaChecks } from './mediaInspection';

const CHECKED_WHILE_UPLOADING =
	'The URL\'s server takes no byte ranges, so X Media checked the file while uploading it: the upload was not finalized, and X discards it unposted.';

export interface WhileUploadingOptions {
	category: MediaCategory;
	/** The account tier the limits are for (undefined = standard). */
	tier?: TierVerdict;
	skipMediaChecks: boolean;
	fileName: string | undefined;
}

/** Whether the file's head alone answers its reader (a `moov`-first MP4, an image): then it is checked before any request. */
export function headSuffices(media: ResolvedMediaType, head: Buffer, size: number): boolean {
	if (head.length >= size) return true;
	const inspector = new MediaInspector(media.mimeType, media.kind, size);
	if (!inspector.done) inspector.push(head);
	return inspector.done;
}

export class InspectionWhileUploading {
	private inspector: MediaInspector | undefined;
	private fed = 0;

	constructor(
		private readonly media: ResolvedMediaType,
		private readonly size: number,
		private readonly options: WhileUploadingOptions,
	) {}

	/**
	 * The upload's stream of the whole file, feeding a fresh reader on the way (every pass starts at
	 * byte 0, a resumed upload's too: it reads past what X holds). Stoppable like the stream.
	 */
	watch(stream: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> & { destroy(): void } {
		const inspector = new MediaInspector(this.media.mimeType, this.media.kind, this.size);
		this.inspector = inspector;
		this.fed = 0;
		const pieces = async function* (this: InspectionWhileUploading) {
			for await (const raw of stream) {
				const piece = pieceToBuffer(raw);
				this.fed += piece.length;
				if (!inspector.done) inspector.push(piece);
				yield piece;
			}
		}.call(this);
		return Object.assign(pieces, { destroy: () => closeSource(stream) });
	}

	/** `verdict()`, calling `refused` first when the file breaks a rule (the upload session is not to be continued). */
	verdictOrForget(refused: () => unknown): { mediaInfo: MediaInfo; warnings: string[] } {
		let failure: unknown;
		try {
			return this.verdict();
		} catch (error) {
			failure = error;
		}
		refused();
		throw failure;
	}

	/**
	 * After the pass, before FINALIZE: X's rules over what the reader found. Throws (the upload is
	 * not finalized) when the file breaks one; else `media_info` and the warnings.
	 */
	verdict(): { mediaInfo: MediaInfo; warnings: string[] } {
		const inspector = this.inspector;
		if (!inspector || this.fed < this.size) {
			throw new MediaInputError(
				'The file was not read to its end, so X\'s rules could not be checked',
				'X Media did not finalize the upload. Run the workflow again.',
			);
		}
		const inspection = inspector.result();
		const rules = checkMediaRules(inspection, {
			category: this.options.category,
			tier: this.options.tier,
			fileName: this.options.fileName,
		});
		const warnings = applyMediaChecks(
			{ refusals: rules.refusals, ruleWarnings: rules.warnings },
			this.options.skipMediaChecks,
			CHECKED_WHILE_UPLOADING,
		);
		return { mediaInfo: inspection.info, warnings };
	}
}
