/**
 * Subtitles rules that need no request: the language code X's spec takes (two capital letters,
 * `^[A-Z]{2}$` in spec 2.167), the display name, and which `media_category` of
 * `POST/DELETE /2/media/subtitles` a video's upload category maps to.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaInputError, quoteValue } from './errors';
import type { MediaCategory } from './limits';

/** `media_category` of `POST/DELETE /2/media/subtitles` (spec 2.167 enum). */
export type SubtitlesVideoCategory = 'TweetVideo' | 'AmplifyVideo';
const SUBTITLES_VIDEO_CATEGORIES: readonly SubtitlesVideoCategory[] = ['TweetVideo', 'AmplifyVideo'];

export interface SubtitlesLanguage {
	/** What is sent to X: two capital letters, e.g. `EN`. */
	code: string;
	/** What the person gave, when it differs from `code` (e.g. `en-US`). */
	given?: string;
}

/**
 * Reads a language code as people write it — `EN`, `en`, `en-US`, `pt_BR` — and gives the two
 * capital letters X's spec requires. Three-letter codes (`eng`) and anything else are refused.
 */
export function normaliseLanguageCode(value: unknown, label: string): SubtitlesLanguage {
	const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
	if (text === '') {
		throw new MediaInputError(`"${label}" is empty`, 'Enter the two-letter language code of the subtitles, for example EN for English.');
	}
	const match = /^([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$/.exec(text);
	if (!match) {
		throw new MediaInputError(
			`"${label}" is ${quoteValue(text)}, which is not a two-letter language code`,
			'X takes two capital letters (ISO 639-1), for example EN, ES, FR or DE. A regional code such as en-US is accepted and sent as EN.',
		);
	}
	const code = match[1].toUpperCase();
	return text === code ? { code } : { code, given: text };
}

/** The language's English name (`EN` → English), or the code itself when it is not known. */
export function languageDisplayName(code: string): string {
	try {
		const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code.toLowerCase());
		return name && name.toLowerCase() !== code.toLowerCase() ? name : code;
	} catch {
		return code;
	}
}

/** The subtitles `media_category` for a video uploaded with `category`; refuses what takes no subtitles. */
export function subtitlesVideoCategory(category: MediaCategory): SubtitlesVideoCategory {
	if (category === 'tweet_video') return 'TweetVideo';
	if (category === 'amplify_video') return 'AmplifyVideo';
	throw new MediaInputError(
		`Subtitles cannot be attached to ${category} media`,
		'X attaches subtitles to videos uploaded as tweet_video or amplify_video. Set Media Category to auto, tweet_video or amplify_video, or remove the subtitles option.',
	);
}

export function readSubtitlesVideoCategory(value: unknown): SubtitlesVideoCategory {
	if (value === undefined || value === null || value === '') return 'TweetVideo';
	if (SUBTITLES_VIDEO_CATEGORIES.includes(value as SubtitlesVideoCategory)) return value as SubtitlesVideoCategory;
	throw new MediaInputError(
		`"Video Category" is ${quoteValue(String(value))}`,
		'Use TweetVideo for a video uploaded for posts, or AmplifyVideo for an amplify_video upload.',
	);
}

/**
 * When the input item says how the video was uploaded, the chosen Video Category must fit it:
 * refused before any request otherwise.
 */
export function checkVideoCategoryFits(known: MediaCategory | undefined, chosen: SubtitlesVideoCategory, mediaId: string): void {
	if (known === undefined) return;
	const fits = subtitlesVideoCategory(known);
	if (fits !== chosen) {
		throw new MediaInputError(
			`"Video Category" is ${chosen}, but media ${mediaId} was uploaded as ${known}`,
			`Set Video Category to ${fits}, as X names ${known} videos for subtitles.`,
		);
	}
}
