/**
 * The upload engine's media-inspection step: feeds the file to its reader (helpers/mediaInfo)
 * reading only what the reader needs, checks it against X's rules (helpers/mediaRules), and
 * gives `media_info` and `warnings`, or refuses the file before any request.
 *
 * Reads: first the head that type detection read already (a `moov`-first MP4, a WebM, a JPEG or
 * PNG header is known from it: no extra read); otherwise one more pass over the file from where
 * the head ended, in pieces, stopping as soon as the reader is done. Skipped bytes (an `mdat`) are
 * not held. In n8n's database binary mode that pass is the one extra read of the file.
 */
import { MediaInputError } from '../helpers/errors';
import type { ResolvedMediaType } from '../helpers/fileSniffer';
import type { MediaCategory } from '../helpers/limits';
import { MiB } from '../helpers/limits';
import { MediaInspector } from '../helpers/mediaInfo';
import type { MediaDetails, MediaInfo } from '../helpers/mediaInfo';
import { checkMediaRules, describeBreak } from '../helpers/mediaRules';
import type { RuleBreak } from '../helpers/mediaRules';
import type { BinarySource } from './binarySource';
import { closeSource } from './binarySource';

/** Pieces the inspection pass asks n8n's storage for. */
const INSPECT_PIECE_BYTES = 1 * MiB;

export interface InspectionResult {
	mediaInfo: MediaInfo;
	/** X's requirements the file breaks, and its recommendations (see `applyMediaChecks`). */
	refusals: RuleBreak[];
	ruleWarnings: RuleBreak[];
	/** What the readers found beyond media_info (tests, the bench). */
	details: MediaDetails;
	/** Bytes read beyond the head (0 when the head was enough). */
	extraBytesRead: number;
	/** With `tailBytes`: the file's last bytes (read in the same pass). */
	tail?: Buffer;
}

export interface InspectionOptions {
	category: MediaCategory;
	liftVideoLimit: boolean;
	/**
	 * Also keep the file's last `tailBytes` bytes (the image completeness check): the pass then
	 * reads the file to its end, feeding the reader on the way, so an image is read once.
	 */
	tailBytes?: number;
}

function toBuffer(piece: Uint8Array): Buffer {
	return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
}

/** Reads what the file's reader needs and checks X's rules (no throw: see `applyMediaChecks`). */
export async function inspectMedia(
	source: BinarySource,
	media: ResolvedMediaType,
	head: Buffer,
	options: InspectionOptions,
): Promise<InspectionResult> {
	const inspector = new MediaInspector(media.mimeType, media.kind, source.size);
	let extraBytesRead = 0;
	if (!inspector.done) inspector.push(head.length > source.size ? head.subarray(0, source.size) : head);
	const wantTail = options.tailBytes !== undefined && options.tailBytes > 0;
	let tail: Buffer | undefined;
	if (wantTail && head.length >= source.size) {
		tail = Buffer.from(head.subarray(Math.max(0, head.length - (options.tailBytes as number))));
	} else if ((!inspector.done || wantTail) && head.length < source.size) {
		const tailBytes = options.tailBytes ?? 0;
		tail = wantTail ? Buffer.alloc(0) : undefined;
		const stream = await source.open(wantTail ? Math.max(tailBytes, INSPECT_PIECE_BYTES) : INSPECT_PIECE_BYTES);
		try {
			let skip = head.length;
			for await (const raw of stream) {
				let piece = toBuffer(raw);
				if (tail !== undefined) {
					// The last `tailBytes` of the whole file (head included, so cut before skipping).
					if (piece.length >= tailBytes) tail = Buffer.from(piece.subarray(piece.length - tailBytes));
					else {
						const joined = Buffer.concat([tail, piece]);
						tail = joined.length > tailBytes ? Buffer.from(joined.subarray(joined.length - tailBytes)) : joined;
					}
				}
				if (skip > 0) {
					const drop = Math.min(skip, piece.length);
					skip -= drop;
					piece = piece.subarray(drop);
					if (piece.length === 0) continue;
				}
				extraBytesRead += piece.length;
				if (inspector.done) continue;
				if (inspector.push(piece) && tail === undefined) break;
			}
		} finally {
			closeSource(stream);
		}
	}
	const inspection = inspector.result();
	const rules = checkMediaRules(inspection, {
		category: options.category,
		liftVideoLimit: options.liftVideoLimit,
		fileName: source.fileName,
	});
	return { mediaInfo: inspection.info, details: inspection.details, extraBytesRead, tail, refusals: rules.refusals, ruleWarnings: rules.warnings };
}

/**
 * X's requirements this file breaks refuse it (a MediaInputError naming the value, X's limit and
 * a fix), unless Skip Media Checks is on: then they join the recommendations in `warnings`.
 */
export function applyMediaChecks(result: InspectionResult, skipMediaChecks: boolean): string[] {
	const warnings = result.ruleWarnings.map(describeBreak);
	if (result.refusals.length === 0) return warnings;
	if (!skipMediaChecks) {
		const [first, ...more] = result.refusals;
		const also = more.length ? ` Also: ${more.map((r) => r.message).join('; ')}.` : '';
		const fixes = result.refusals.map((r) => r.fix).filter((f): f is string => !!f);
		throw new MediaInputError(
			`${first.message}.${also}`,
			`${[...new Set(fixes)].join('\n')}\nX Media checks this before uploading, so nothing was sent to X. Turn on "Skip Media Checks" to upload it anyway (for example when X has changed its rules).`,
		);
	}
	return [...result.refusals.map((r) => `Not checked (Skip Media Checks is on), X may refuse it: ${describeBreak(r)}`), ...warnings];
}
