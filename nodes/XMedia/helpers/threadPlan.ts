/**
 * Planning a thread (Create Thread with Media): which text and which media go into which post,
 * decided before anything is uploaded or posted, so that bad input fails before the first post.
 *
 * - `splitText` cuts a text over the limit (measured as X counts it, see postText.ts) at
 *   paragraph breaks first, then line breaks and sentence ends, then word boundaries (a space,
 *   or between two CJK characters, which have no spaces), never inside a URL, a mention, a
 *   hashtag or a cashtag.
 * - `planThreadPosts` turns the input items into the posts, in order.
 *
 * Pure: no imports but relative ones, no Node built-ins (see test/unit/helpersPurity.test.ts).
 */
import { MediaInputError, quoteValue } from './errors';
import { MAX_MEDIA_PER_POST } from './limits';
import { extractEntities, textTooLongError, weighUnits, weightedLength } from './postText';
import type { TextLimitOptions } from './postText';

export interface SplitTextOptions {
	/** End every part with " 1/3", " 2/3", …, counted in the limit. Default false. */
	numberParts?: boolean;
}

/** How good a place to cut is: higher is better. */
const Cut = { Word: 1, Sentence: 2, Paragraph: 3 } as const;
type CutLevel = (typeof Cut)[keyof typeof Cut];

interface CutPoint {
	/** The part before ends here (exclusive); the next part starts at `next`. */
	end: number;
	next: number;
	level: CutLevel;
}

const SPACE = /\s/u;
/** Han, Hiragana, Katakana, Hangul and CJK punctuation: a line may break between two of them. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60]/u;
const SENTENCE_END = /[.!?…。！？]["'”’)\]»」』]*$/u;
const CJK_SENTENCE_END = /[。！？]$/u;

/** The places where `text` may be cut, in order, with how good each is. */
function cutPoints(text: string): CutPoint[] {
	const entities = extractEntities(text);
	const insideEntity = (pos: number) => entities.some((e) => pos > e.start && pos < e.end);
	const points: CutPoint[] = [];
	let i = 0;
	while (i < text.length) {
		if (SPACE.test(text[i])) {
			const start = i;
			let newlines = 0;
			while (i < text.length && SPACE.test(text[i])) {
				if (text[i] === '\n') newlines++;
				i++;
			}
			if (start === 0 || i === text.length) continue;
			const before = text.slice(Math.max(0, start - 8), start);
			const level = newlines >= 2 ? Cut.Paragraph : newlines === 1 || SENTENCE_END.test(before) ? Cut.Sentence : Cut.Word;
			points.push({ end: start, next: i, level });
			continue;
		}
		const cp = text.codePointAt(i) as number;
		const size = cp > 0xffff ? 2 : 1;
		const j = i + size;
		// Between two CJK characters (or after CJK sentence punctuation), with no space to drop.
		if (j < text.length && !SPACE.test(text[j]) && !insideEntity(j)) {
			const here = String.fromCodePoint(cp);
			const nextCp = text.codePointAt(j) as number;
			if (CJK.test(here) && CJK.test(String.fromCodePoint(nextCp))) {
				points.push({ end: j, next: j, level: CJK_SENTENCE_END.test(here) ? Cut.Sentence : Cut.Word });
			}
		}
		i = j;
	}
	return points;
}

function suffixWeight(index: number, total: number): number {
	return ` ${index}/${total}`.length;
}

/**
 * Cuts `text` into parts of at most `budget(k)` weighted characters each (k = 0-based part
 * index). Returns the parts (trimmed), or throws when some stretch has no place to cut.
 */
function cutGreedy(text: string, limitFor: (k: number) => number, limit: number, prefix: string): string[] {
	const units = weighUnits(text);
	// Weight of text[0..pos) for every unit boundary `pos`.
	const cumulative = new Map<number, number>();
	let sum = 0;
	cumulative.set(0, 0);
	for (const unit of units) {
		sum += unit.weight;
		cumulative.set(unit.end, sum);
	}
	const weightOf = (from: number, to: number) => (cumulative.get(to) as number) - (cumulative.get(from) as number);
	const points = cutPoints(text).filter((p) => cumulative.has(p.end) && cumulative.has(p.next));

	const parts: string[] = [];
	let start = 0;
	while (start < text.length && SPACE.test(text[start])) start++;
	let end = text.length;
	while (end > start && SPACE.test(text[end - 1])) end--;
	let p = 0;
	while (start < end) {
		const budget = limitFor(parts.length);
		if (weightOf(start, end) <= budget) {
			parts.push(text.slice(start, end));
			break;
		}
		while (p < points.length && points[p].end <= start) p++;
		// The best cut that fits: the highest level, and the latest point within that level.
		let best: CutPoint | undefined;
		for (let q = p; q < points.length && weightOf(start, points[q].end) <= budget; q++) {
			if (!best || points[q].level >= best.level) best = points[q];
		}
		if (!best) {
			const nextCut = points.length > p ? points[p].end : end;
			const piece = text.slice(start, nextCut);
			throw new MediaInputError(
				`${prefix}The text cannot be split into posts of at most ${limit} characters: ${quoteValue(piece)} is ${weightedLength(piece)} characters as X counts them, with no space to cut at`,
				'The text is cut at paragraph, sentence and word boundaries only, never inside a word, a link, a mention or a hashtag. Shorten that word or add spaces to it.',
			);
		}
		parts.push(text.slice(start, best.end));
		start = best.next;
	}
	return parts;
}

/**
 * Cuts a text over `limit` (weighted, as X counts) into parts of at most `limit` each.
 *
 * - A text within the limit comes back unchanged as the only part; an empty text gives [].
 * - Cuts at paragraph breaks first, then line breaks and sentence ends, then word boundaries;
 *   never inside a URL, a mention, a hashtag or a cashtag. Parts are trimmed.
 * - `numberParts` false: the parts joined with single spaces give back the text, whitespace
 *   aside (the whitespace at each cut becomes one space; between two CJK characters, where there
 *   was no space, the join adds one).
 * - `numberParts` true: each part ends with " k/n", counted in the limit.
 * - Throws a MediaInputError when a stretch without a place to cut (one very long word) is
 *   longer than the limit.
 * The text is NFC-normalised before it is cut (X normalises it too), so the parts are NFC.
 */
export function splitText(text: string, limit: number, options: SplitTextOptions = {}): string[] {
	return splitTextFor(text, limit, options.numberParts === true, '');
}

/** splitText, with `prefix` ("Item 3: ") before its error messages. */
function splitTextFor(text: string, limit: number, numberParts: boolean, prefix: string): string[] {
	if (!text || !text.trim()) return [];
	if (weightedLength(text) <= limit) return [text];
	const normalized = text.normalize('NFC');
	if (!numberParts) return cutGreedy(normalized, () => limit, limit, prefix);

	// Reserve room for " k/n"; redo when the number of parts changes its width.
	let total = Math.max(2, Math.ceil(weightedLength(normalized) / limit));
	for (let attempt = 0; attempt < 10; attempt++) {
		const width = suffixWeight(total, total);
		const parts = cutGreedy(normalized, () => limit - width, limit - width, prefix);
		if (String(parts.length).length === String(total).length) {
			return parts.map((part, k) => `${part} ${k + 1}/${parts.length}`);
		}
		total = parts.length;
	}
	// Not reached for any real text: widths change at most a few times.
	throw new MediaInputError(`${prefix}The text could not be numbered into parts`, 'Turn off Number Parts.');
}

// ---------------------------------------------------------------------------------------------
// Planning the posts of a thread

export type ThreadMediaKind = 'image' | 'gif' | 'video';

/** A media item of a thread post; carry whatever the integrator needs (id, binary ref, URL). */
export interface ThreadMedia {
	kind: ThreadMediaKind;
}

export interface ThreadItemInput<M extends ThreadMedia = ThreadMedia> {
	text?: string;
	media?: M[];
	/** Cut a text over `limit` into several posts (default true). */
	splitLongText?: boolean;
	/** Continue more than 4 images on the next posts, a video or GIF each on its own post (default true). */
	splitMedia?: boolean;
	/** The account's text limit (weighted), from the limits table. */
	limit: number;
	/** End posts cut from one text with " k/n" (default false). */
	numberParts?: boolean;
	/** For the over-limit message when splitLongText is off. */
	limitOptions?: Omit<TextLimitOptions, 'subject' | 'inThread'>;
}

export interface PlannedPost<M extends ThreadMedia = ThreadMedia> {
	/** 0-based index of the input item the post comes from. */
	itemIndex: number;
	/** The post's text; '' for a post that only continues the item's media. */
	text: string;
	media: M[];
}

const X_MEDIA_RULE = `X allows 1 to ${MAX_MEDIA_PER_POST} images, or 1 GIF, or 1 video per post`;

function plural(count: number, one: string): string {
	return `${count} ${one}${count === 1 ? '' : 's'}`;
}

function describeMedia(media: ThreadMedia[]): string {
	const images = media.filter((m) => m.kind === 'image').length;
	const gifs = media.filter((m) => m.kind === 'gif').length;
	const videos = media.filter((m) => m.kind === 'video').length;
	const parts: string[] = [];
	if (images) parts.push(plural(images, 'image'));
	if (gifs) parts.push(plural(gifs, 'GIF'));
	if (videos) parts.push(plural(videos, 'video'));
	return parts.join(', ');
}

/**
 * The media of one item in post-sized groups.
 *
 * With splitMedia, the media keep the order they were given: images gather up to 4 per post,
 * and each video or GIF gets a post of its own (X: a video or GIF must be alone); a video
 * between images closes the group of images before it. So [img, img, video, img] becomes
 * [img, img], [video], [img]. Without splitMedia the item's media must make one valid post.
 */
function groupMedia<M extends ThreadMedia>(media: M[], splitMedia: boolean, item: number): M[][] {
	if (media.length === 0) return [];
	const images = media.filter((m) => m.kind === 'image').length;
	const others = media.length - images;
	const fitsOnePost = (others === 0 && images <= MAX_MEDIA_PER_POST) || (others === 1 && images === 0);
	if (fitsOnePost) return [media];
	if (!splitMedia) {
		if (others === 0) {
			throw new MediaInputError(
				`Item ${item} has ${images} images, but a post holds at most ${MAX_MEDIA_PER_POST}`,
				`${X_MEDIA_RULE}. Turn on Split Media to continue the images ${MAX_MEDIA_PER_POST} per post on the next posts of the thread, or pass at most ${MAX_MEDIA_PER_POST}.`,
			);
		}
		throw new MediaInputError(
			`Item ${item} has ${describeMedia(media)}, which cannot go in one post`,
			`${X_MEDIA_RULE}. Turn on Split Media to give each video or GIF a post of its own, or put them on separate items.`,
		);
	}
	const groups: M[][] = [];
	let images4: M[] = [];
	for (const m of media) {
		if (m.kind === 'image') {
			images4.push(m);
			if (images4.length === MAX_MEDIA_PER_POST) {
				groups.push(images4);
				images4 = [];
			}
		} else {
			if (images4.length) groups.push(images4);
			images4 = [];
			groups.push([m]);
		}
	}
	if (images4.length) groups.push(images4);
	return groups;
}

/**
 * The posts of a thread, in order: for each item, its text parts (see splitText) and its media
 * groups, zipped: the first media group goes on the first text part, the next groups on the
 * following parts, and media groups left over after the text become posts without text. So an
 * item with a 700-character text and 7 images gives [part 1 + 4 images, part 2 + 3 images,
 * part 3]. Errors name the item, 1-based ("item 3"), and are thrown before anything is posted.
 */
export function planThreadPosts<M extends ThreadMedia>(items: Array<ThreadItemInput<M>>): Array<PlannedPost<M>> {
	if (!items || items.length === 0) {
		throw new MediaInputError(
			'Create Thread got no input items',
			'Each input item becomes one post of the thread; pass at least one item with text or media.',
		);
	}
	const posts: Array<PlannedPost<M>> = [];
	items.forEach((input, index) => {
		const item = index + 1;
		const text = input.text ?? '';
		const media = input.media ?? [];
		const hasText = text.trim().length > 0;
		if (!hasText && media.length === 0) {
			throw new MediaInputError(
				`Item ${item} has no text and no media`,
				'Every item of a thread becomes a post: give it a text, or media (ids, binary files or URLs).',
			);
		}
		let parts: string[] = [];
		if (hasText) {
			const count = weightedLength(text);
			if (count <= input.limit) {
				parts = [text];
			} else if (input.splitLongText === false) {
				throw textTooLongError(count, input.limit, {
					...input.limitOptions,
					subject: `The text of item ${item}`,
					inThread: true,
				});
			} else {
				parts = splitTextFor(text, input.limit, input.numberParts === true, `Item ${item}: `);
			}
		}
		const groups = groupMedia(media, input.splitMedia !== false, item);
		const count = Math.max(parts.length, groups.length);
		for (let k = 0; k < count; k++) {
			posts.push({ itemIndex: index, text: parts[k] ?? '', media: groups[k] ?? [] });
		}
	});
	return posts;
}
