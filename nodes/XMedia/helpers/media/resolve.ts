/**
 * Which of X's media types a binary is: its first bytes (identify.ts; for a GIF, PNG or WEBP its
 * reader tells whether it is animated), reconciled with the MIME type and file name n8n stored
 * with it (upstream nodes often say `application/octet-stream`, or guess from a wrong
 * extension), and the user's Media Type override.
 *
 * Pure: no n8n runtime, no Node built-in imports. Never throws on arbitrary bytes (only the
 * MediaInputError of a file X does not take).
 */
import { emptyFileError, MediaInputError } from '../errors';
import { KiB, MEDIA_TYPE_KIND, X_MEDIA_TYPES } from '../limits';
import type { MediaKind, XMediaType } from '../limits';
import { hexPreview } from './bytes';
import { identify, identifyUnsupported } from './identify';
import { animatedInHead } from './inspect';
import { looksLikeSubtitles } from './text';

/** How many leading bytes callers should pass to `sniffMediaType` / `resolveMediaType`. */
export const SNIFF_HEAD_BYTES = 64 * KiB;

export interface SniffResult {
	mimeType: XMediaType;
	/** A still GIF is `image` (mimeType image/gif); an animated GIF is `gif`. */
	kind: MediaKind;
	/**
	 * More than one frame: an animated GIF, an APNG, an animated WebP, and every video.
	 * Only GIFs change `kind` with it (an APNG or animated WebP still goes as an image).
	 */
	animated: boolean;
}

export type MediaTypeSource = 'override' | 'bytes' | 'mimeType' | 'fileName';

export interface ResolvedMediaType extends SniffResult {
	/** What decided the type. */
	source: MediaTypeSource;
	/** Human name of the format, e.g. "animated GIF", "MP4 video". */
	label: string;
	/** Set when the binary's declared MIME type (or the override) disagrees with the bytes. */
	mismatch?: string;
}

export interface ResolveMediaTypeInput {
	head: Uint8Array;
	declaredMimeType?: string;
	fileName?: string;
	/** `options.mediaType`: the user's MIME override. */
	override?: string;
}

/**
 * The format of a file from its first bytes, or `undefined` when it is none of X's formats.
 * Pass at least `SNIFF_HEAD_BYTES` bytes (or the whole file when smaller) so that GIF animation
 * and the EBML doc type can be read.
 */
export function sniffMediaType(head: Uint8Array): SniffResult | undefined {
	const mimeType = identify(head);
	if (mimeType === undefined) return undefined;
	const kind = MEDIA_TYPE_KIND[mimeType];
	if (kind === 'video') return { mimeType, kind, animated: true };
	if (mimeType === 'image/gif' || mimeType === 'image/png' || mimeType === 'image/webp') {
		const animated = animatedInHead(mimeType, head);
		return { mimeType, kind: mimeType === 'image/gif' && animated ? 'gif' : 'image', animated };
	}
	return { mimeType, kind, animated: false };
}

// ---------------------------------------------------------------------------------------------
// Naming what was found (for messages)

const LABELS: Readonly<Record<XMediaType, string>> = {
	'image/jpeg': 'JPEG image',
	'image/pjpeg': 'JPEG image',
	'image/png': 'PNG image',
	'image/gif': 'GIF',
	'image/webp': 'WEBP image',
	'image/bmp': 'BMP image',
	'image/tiff': 'TIFF image',
	'video/mp4': 'MP4 video',
	'video/quicktime': 'QuickTime (MOV) video',
	'video/webm': 'WebM video',
	'video/mp2t': 'MPEG-TS video',
	'text/srt': 'SRT subtitles',
	'text/vtt': 'WebVTT subtitles',
};

/** "animated GIF", "still GIF", "PNG image", "MP4 video", … */
export function describeMediaType(media: SniffResult): string {
	if (media.mimeType === 'image/gif') return media.kind === 'gif' ? 'animated GIF' : 'still GIF';
	return LABELS[media.mimeType];
}

/** The formats X accepts, for messages. */
const ACCEPTED_FORMATS_TEXT =
	'JPEG, PNG, GIF, WEBP, BMP or TIFF images, MP4, MOV, WebM or MPEG-TS videos, and SRT or VTT subtitles';

// ---------------------------------------------------------------------------------------------
// MIME types and file names

const MIME_ALIASES: Readonly<Record<string, XMediaType>> = {
	'image/jpg': 'image/jpeg',
	'image/x-png': 'image/png',
	'image/apng': 'image/png',
	'image/x-ms-bmp': 'image/bmp',
	'image/x-bmp': 'image/bmp',
	'image/tif': 'image/tiff',
	'image/x-tiff': 'image/tiff',
	'video/x-m4v': 'video/mp4',
	'video/mov': 'video/quicktime',
	'video/x-quicktime': 'video/quicktime',
	'video/vnd.dlna.mpeg-tts': 'video/mp2t',
	'application/x-subrip': 'text/srt',
	'application/x-srt': 'text/srt',
	'text/x-srt': 'text/srt',
	'text/x-subrip': 'text/srt',
	'text/webvtt': 'text/vtt',
};

/** MIME types that say nothing about the content. */
const GENERIC_MIME_TYPES = [
	'',
	'application/octet-stream',
	'binary/octet-stream',
	'application/binary',
	'application/unknown',
	'application/x-binary',
	'unknown/unknown',
];

function bareMimeType(value: string | undefined): string {
	return (value ?? '').split(';')[0].trim().toLowerCase();
}

/** X's spelling of a MIME type (`image/jpg` → `image/jpeg`), or undefined when X has no such type. */
export function normalizeMimeType(value: string | undefined): XMediaType | undefined {
	const bare = bareMimeType(value);
	if ((X_MEDIA_TYPES as readonly string[]).indexOf(bare) !== -1) return bare as XMediaType;
	return MIME_ALIASES[bare];
}

/** Lower-case extension without the dot, or '' (`photo.JPG` → `jpg`). */
export function fileExtension(fileName: string | undefined): string {
	const name = (fileName ?? '').trim();
	const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
	const base = name.slice(slash + 1);
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

const SUBTITLE_EXTENSIONS: Readonly<Record<string, XMediaType>> = { srt: 'text/srt', vtt: 'text/vtt' };

function sameType(a: XMediaType, b: XMediaType): boolean {
	const canon = (t: XMediaType): XMediaType => (t === 'image/pjpeg' ? 'image/jpeg' : t);
	return canon(a) === canon(b);
}

function mediaFromType(mimeType: XMediaType): SniffResult {
	const kind = MEDIA_TYPE_KIND[mimeType];
	// A forced image/gif whose bytes are not a recognisable GIF is taken as animated: the GIF
	// categories accept still GIFs too, and allow 15 MB instead of 5 MB.
	return { mimeType, kind, animated: kind === 'video' || kind === 'gif' };
}

function result(media: SniffResult, source: MediaTypeSource, mismatch?: string): ResolvedMediaType {
	const resolved: ResolvedMediaType = { ...media, source, label: describeMediaType(media) };
	if (mismatch) resolved.mismatch = mismatch;
	return resolved;
}

/**
 * Decide which of X's media types a binary is.
 *
 * 1. `override` (Options > Media Type) wins when it is one of X's types (aliases such as
 *    `image/jpg` are accepted); otherwise a MediaInputError lists the accepted types.
 * 2. The bytes (magic numbers), whatever the declared MIME type or file name say.
 * 3. SRT/VTT named by the declared MIME type, then by the `.srt`/`.vtt` extension, when the
 *    bytes are plausible subtitle text (UTF-8 text containing `-->`).
 * 4. Otherwise a MediaInputError naming what was found.
 *
 * Binary formats are never taken from the MIME type or name alone: a wrong guess upstream
 * would only fail later at X, after the whole file was uploaded.
 */
export function resolveMediaType(input: ResolveMediaTypeInput): ResolvedMediaType {
	const head = input.head ?? new Uint8Array(0);
	const sniffed = sniffMediaType(head);
	const declaredBare = bareMimeType(input.declaredMimeType);
	const declared = normalizeMimeType(input.declaredMimeType);
	const extension = fileExtension(input.fileName);

	const overrideText = (input.override ?? '').trim();
	if (overrideText !== '') {
		const forced = normalizeMimeType(overrideText);
		if (!forced) {
			throw new MediaInputError(
				`The Media Type option "${overrideText}" is not a type X accepts`,
				`Use one of: ${X_MEDIA_TYPES.join(', ')}. Or leave Media Type empty to detect the type from the file's content.`,
			);
		}
		if (sniffed && sameType(sniffed.mimeType, forced)) {
			return result({ ...sniffed, mimeType: forced }, 'override');
		}
		const mismatch = sniffed
			? `Media Type is set to ${forced}, but the file's content looks like a ${describeMediaType(sniffed)} (${sniffed.mimeType}); uploading as ${forced} as set.`
			: undefined;
		return result(mediaFromType(forced), 'override', mismatch);
	}

	if (head.length === 0) {
		throw emptyFileError(input.fileName);
	}

	if (sniffed) {
		let mismatch: string | undefined;
		if (
			GENERIC_MIME_TYPES.indexOf(declaredBare) === -1 &&
			!(declared && sameType(declared, sniffed.mimeType)) &&
			!(sniffed.kind === 'subtitles' && !declared && declaredBare.startsWith('text/'))
		) {
			mismatch = `The binary's MIME type says ${declaredBare}, but its content is a ${describeMediaType(sniffed)}; uploading as ${sniffed.mimeType}.`;
		}
		return result(sniffed, 'bytes', mismatch);
	}

	if (looksLikeSubtitles(head)) {
		if (declared === 'text/srt' || declared === 'text/vtt') return result(mediaFromType(declared), 'mimeType');
		const byName = SUBTITLE_EXTENSIONS[extension];
		if (byName) return result(mediaFromType(byName), 'fileName');
	}

	throw unsupportedError(head, input.declaredMimeType, input.fileName, extension);
}

function unsupportedError(
	head: Uint8Array,
	declaredMimeType: string | undefined,
	fileName: string | undefined,
	extension: string,
): MediaInputError {
	const known = identifyUnsupported(head, fileName);
	const name = fileName ? ` "${fileName}"` : '';
	const message = known
		? `The file${name} is ${known.what}, which X does not accept`
		: `The file${name} is not a format X accepts`;
	const found: string[] = [];
	found.push(`MIME type ${bareMimeType(declaredMimeType) || '(none)'}`);
	found.push(`extension ${extension ? `.${extension}` : '(none)'}`);
	found.push(`first bytes ${hexPreview(head)}`);
	const parts = [
		`Found: ${found.join(', ')}.`,
		`X accepts ${ACCEPTED_FORMATS_TEXT}; the type is read from the file's content, not from its name.`,
	];
	const declared = normalizeMimeType(declaredMimeType) ?? SUBTITLE_EXTENSIONS[extension];
	if (declared && MEDIA_TYPE_KIND[declared] === 'subtitles') {
		parts.push(
			'A subtitle file must be UTF-8 text with cue timings ("00:00:01,000 --> 00:00:02,000" for SRT, a "WEBVTT" first line for VTT).',
		);
	}
	if (known?.hint) parts.push(known.hint);
	parts.push('If you are sure the file is one of these formats, set Options > Media Type to its MIME type.');
	return new MediaInputError(message, parts.join(' '));
}
