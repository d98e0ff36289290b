/**
 * The upload engine's media-inspection step: feeds the file to its reader (helpers/media)
 * reading only what the reader needs, checks it against X's rules (helpers/media/rules.ts), and
 * gives `media_info` and `warnings`, or refuses the file before any request.
 *
 * Reads: first the head that type detection read already (a `moov`-first MP4, a WebM, a JPEG or
 * PNG header is known from it: no extra read). Otherwise:
 * - filesystem mode (the stream n8n hands out reads from a file handle): SEEK. Only the bytes the
 *   reader asks to read (box headers, the `moov`) are read, at their position, into one small
 *   reused buffer (a larger request, such as the `moov` itself, into one buffer of its size); what
 *   it skips (the `mdat` payload) is jumped over unread. A moov-last MP4 of any size costs a few
 *   reads of its box headers and its `moov`.
 * - any other stream (S3, or no file handle): one more pass from where the head ended, in small
 *   pieces, stopping as soon as the reader is done; skipped bytes are not held. In n8n's database
 *   binary mode (the whole file as one piece) that pass is the one extra read of the file.
 */
import { MediaInputError } from '../helpers/errors';
import type { TierVerdict } from '../helpers/accountLimits';
import type { MediaCategory } from '../helpers/limits';
import { KiB, MiB } from '../helpers/limits';
import { checkMediaRules, describeBreak, MediaInspector } from '../helpers/media';
import type { MediaDetails, MediaInfo, MediaInspection, ResolvedMediaType, RuleBreak } from '../helpers/media';
import { pieceToBuffer } from './io/streamHead';
import type { MediaSource } from './io/source';
import type { PositionalReader } from './io/streams';
import { closeSource, findPositionalReader } from './io/streams';

/** Pieces the streaming pass asks n8n's storage for: small, so the garbage per piece stays small. */
const INSPECT_PIECE_BYTES = 64 * KiB;

/** The seek pass's reused buffer: box headers and small boxes are read into it. */
export const SEEK_BUFFER_BYTES = 64 * KiB;

/** Largest read of the seek pass into one system call's worth (a big `moov` takes a few). */
const SEEK_READ_BYTES = 1 * MiB;

export interface InspectionResult {
	mediaInfo: MediaInfo;
	/** X's requirements the file breaks, and its recommendations (see `applyMediaChecks`). */
	refusals: RuleBreak[];
	ruleWarnings: RuleBreak[];
	/** What the readers found beyond media_info (tests, the bench). */
	details: MediaDetails;
	/** What the readers found, for checking X's rules again (for another account tier). */
	inspection: MediaInspection;
	/** Bytes read beyond the head (0 when the head was enough). */
	extraBytesRead: number;
	/** How the bytes beyond the head were read: not at all, by position (seek), or as a stream. */
	pass: 'none' | 'seek' | 'stream';
	/** Seek pass: bytes jumped over without reading them (an `mdat` payload). */
	bytesSkipped: number;
	/** Seek pass: how many reads it made. */
	reads: number;
	/** With `tailBytes`: the file's last bytes (read in the same pass). */
	tail?: Buffer;
}

export interface InspectionOptions {
	category: MediaCategory;
	/** The account tier the limits are for: undefined = standard, not asked yet (Account Tier `auto`). */
	tier?: TierVerdict;
	/**
	 * Also keep the file's last `tailBytes` bytes (the image completeness check): the pass then
	 * reads the file to its end, feeding the reader on the way, so an image is read once.
	 */
	tailBytes?: number;
}

/** Reads what the file's reader needs and checks X's rules (no throw: see `applyMediaChecks`). */
export async function inspectMedia(
	source: MediaSource,
	media: ResolvedMediaType,
	head: Buffer,
	options: InspectionOptions,
): Promise<InspectionResult> {
	const inspector = new MediaInspector(media.mimeType, media.kind, source.size);
	const counts = { extraBytesRead: 0, bytesSkipped: 0, reads: 0, pass: 'none' as InspectionResult['pass'] };
	if (!inspector.done) inspector.push(head.length > source.size ? head.subarray(0, source.size) : head);
	const wantTail = options.tailBytes !== undefined && options.tailBytes > 0;
	let tail: Buffer | undefined;
	if (wantTail && head.length >= source.size) {
		tail = Buffer.from(head.subarray(Math.max(0, head.length - (options.tailBytes as number))));
	} else if ((!inspector.done || wantTail) && head.length < source.size) {
		const tailBytes = options.tailBytes ?? 0;
		// A URL whose server takes ranges reads at positions without a stream.
		const stream = source.positional ? undefined : await source.open(wantTail ? Math.max(tailBytes, INSPECT_PIECE_BYTES) : INSPECT_PIECE_BYTES);
		try {
			const handle = source.positional ?? findPositionalReader(stream);
			if (handle) {
				counts.pass = 'seek';
				await seekPass(inspector, handle, source.size, counts);
				if (wantTail) tail = await readTail(handle, source.size, tailBytes, counts);
			} else if (stream) {
				counts.pass = 'stream';
				tail = await streamPass(inspector, stream, head.length, wantTail ? tailBytes : undefined, counts);
			}
		} finally {
			if (stream) closeSource(stream);
		}
	}
	const inspection = inspector.result();
	const rules = checkMediaRules(inspection, {
		category: options.category,
		tier: options.tier,
		fileName: source.fileName,
	});
	return {
		mediaInfo: inspection.info,
		details: inspection.details,
		inspection,
		extraBytesRead: counts.extraBytesRead,
		pass: counts.pass,
		bytesSkipped: counts.bytesSkipped,
		reads: counts.reads,
		tail,
		refusals: rules.refusals,
		ruleWarnings: rules.warnings,
	};
}

interface PassCounts {
	extraBytesRead: number;
	bytesSkipped: number;
	reads: number;
}

/** Reads up to `length` bytes at `position` into `target`; fewer only where the file ends. */
async function readAt(handle: PositionalReader, target: Buffer, length: number, position: number, counts: PassCounts): Promise<number> {
	let filled = 0;
	while (filled < length) {
		counts.reads++;
		const { bytesRead } = await handle.read(target, filled, length - filled, position + filled);
		if (bytesRead === 0) break;
		filled += bytesRead;
	}
	counts.extraBytesRead += filled;
	return filled;
}

/**
 * Seek mode: answers the reader's requests from the file handle, at the reader's position. Each
 * step reads or skips at least one byte, so the pass ends within the file's size in steps; a
 * request past the end is answered with what is there, and `result()` then ends the reader (a
 * truncated file is the reader's clear error, as in the streaming pass).
 */
async function seekPass(inspector: MediaInspector, handle: PositionalReader, size: number, counts: PassCounts): Promise<void> {
	const scratch = Buffer.allocUnsafe(SEEK_BUFFER_BYTES);
	for (;;) {
		const need = inspector.nextNeed();
		const at = inspector.position;
		if (need === undefined || at >= size) return;
		if ('skip' in need) {
			const jump = Math.min(need.skip, size - at);
			counts.bytesSkipped += jump;
			if (inspector.skip(jump) || jump < need.skip) return;
			continue;
		}
		const want = Math.min(need.read, size - at);
		if (want <= scratch.length) {
			const got = await readAt(handle, scratch, want, at, counts);
			if (inspector.push(scratch.subarray(0, got)) || got < want) return;
			continue;
		}
		// A large box the reader holds (the `moov`): one buffer of its size, handed over, no copy.
		const whole = Buffer.allocUnsafe(want);
		let got = 0;
		while (got < want) {
			const n = await readAt(handle, whole.subarray(got), Math.min(SEEK_READ_BYTES, want - got), at + got, counts);
			if (n === 0) break;
			got += n;
		}
		if (inspector.push(got === want ? whole : whole.subarray(0, got), got === want) || got < want) return;
	}
}

/** Seek mode: the file's last `tailBytes` bytes (the image completeness check). */
async function readTail(handle: PositionalReader, size: number, tailBytes: number, counts: PassCounts): Promise<Buffer> {
	const length = Math.min(tailBytes, size);
	const tail = Buffer.alloc(length);
	const got = await readAt(handle, tail, length, size - length, counts);
	return tail.subarray(0, got);
}

/**
 * Streaming mode: one pass over the file in small pieces from where the head ended (skipped bytes
 * go by, never held), stopping when the reader is done; with `tailBytes`, to the end of the file,
 * keeping its last bytes. Returns the tail when asked for.
 */
async function streamPass(
	inspector: MediaInspector,
	stream: AsyncIterable<Uint8Array>,
	headBytes: number,
	tailBytes: number | undefined,
	counts: PassCounts,
): Promise<Buffer | undefined> {
	let tail: Buffer | undefined = tailBytes !== undefined ? Buffer.alloc(0) : undefined;
	const keep = tailBytes ?? 0;
	let skip = headBytes;
	for await (const raw of stream) {
		let piece = pieceToBuffer(raw);
		if (tail !== undefined) {
			// The last `tailBytes` of the whole file (head included, so cut before skipping).
			if (piece.length >= keep) tail = Buffer.from(piece.subarray(piece.length - keep));
			else {
				const joined = Buffer.concat([tail, piece]);
				tail = joined.length > keep ? Buffer.from(joined.subarray(joined.length - keep)) : joined;
			}
		}
		if (skip > 0) {
			const drop = Math.min(skip, piece.length);
			skip -= drop;
			piece = piece.subarray(drop);
			if (piece.length === 0) continue;
		}
		counts.extraBytesRead += piece.length;
		if (inspector.done) continue;
		if (inspector.push(piece) && tail === undefined) break;
	}
	return tail;
}

/** The same inspection checked against X's rules for another account tier (no read). */
export function recheckMediaRules(result: InspectionResult, category: MediaCategory, tier: TierVerdict, fileName?: string): InspectionResult {
	const rules = checkMediaRules(result.inspection, { category, tier, fileName });
	return { ...result, refusals: rules.refusals, ruleWarnings: rules.warnings };
}

/**
 * X's requirements this file breaks refuse it (a MediaInputError naming the value, X's limit and
 * a fix), unless Skip Media Checks is on: then they join the recommendations in `warnings`.
 */
export function applyMediaChecks(
	result: Pick<InspectionResult, 'refusals' | 'ruleWarnings'>,
	skipMediaChecks: boolean,
	checked = 'X Media checks this before uploading, so nothing was sent to X.',
): string[] {
	const warnings = result.ruleWarnings.map(describeBreak);
	if (result.refusals.length === 0) return warnings;
	if (!skipMediaChecks) {
		const [first, ...more] = result.refusals;
		const also = more.length ? ` Also: ${more.map((r) => r.message).join('; ')}.` : '';
		const fixes = result.refusals.map((r) => r.fix).filter((f): f is string => !!f);
		throw new MediaInputError(
			`${first.message}.${also}`,
			`${[...new Set(fixes)].join('\n')}\n${checked} Turn on "Skip Media Checks" to upload it anyway (for example when X has changed its rules).`,
		);
	}
	return [...result.refusals.map((r) => `Not checked (Skip Media Checks is on), X may refuse it: ${describeBreak(r)}`), ...warnings];
}
