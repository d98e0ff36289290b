/**
 * A post's text measured the way X measures it: twitter-text v3 ("weighted length").
 *
 * Sources:
 * - https://docs.x.com/fundamentals/counting-characters (X's rules in prose)
 * - https://github.com/twitter/twitter-text (config/v3.json, the extractor's URL, mention and
 *   hashtag rules, conformance/validate.yml `WeightedTweetsWithDiscountedEmojiCounterTest`)
 *
 * The v3 configuration:
 * - the text is normalised to NFC first;
 * - `scale` 100, `defaultWeight` 200: a code point weighs 2, except in the ranges
 *   U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 (weight 100: 1);
 * - `emojiParsingEnabled`: an emoji sequence (ZWJ sequences, skin tones, flags, keycaps, tag
 *   sequences) weighs 2 as one unit;
 * - `transformedURLLength` 23: every URL weighs 23, whatever its length.
 *
 * URL detection follows twitter-text's extractor as far as is reasonable here: http(s) URLs,
 * and bare domains with a known top-level domain (a compact list of common gTLDs, all ccTLDs,
 * punycode `xn--`); not when preceded by a letter, a digit, `@`, `$` or `#` (an e-mail address
 * or a mention is no link), a bare domain not after `-`, `_`, `.` or `/`; a bare one-label
 * domain on a ccTLD (`example.jp`) is a link only with a path (`t.co` and `*.tv`, `*.co`
 * always are); domain labels longer than 63 characters make no link. Differences from
 * twitter-text: its full list of ~1500 gTLDs is cut to the common ones, and the 63-character
 * check on internationalised hosts is done on the characters, not their punycode.
 *
 * Pure: no imports but relative ones, no Node built-ins (see test/unit/helpersPurity.test.ts).
 */
import { MediaInputError } from './errors';

/** twitter-text config/v3.json, the values this module applies. */
export const TWITTER_TEXT_V3 = {
	version: 3,
	scale: 100,
	defaultWeight: 200,
	transformedURLLength: 23,
	emojiParsingEnabled: true,
	ranges: [
		{ start: 0, end: 4351, weight: 100 },
		{ start: 8192, end: 8205, weight: 100 },
		{ start: 8208, end: 8223, weight: 100 },
		{ start: 8242, end: 8247, weight: 100 },
	],
} as const;

export type TextEntityType = 'url' | 'mention' | 'hashtag' | 'cashtag';

/** A URL, @mention, #hashtag or $CASHTAG; `start`/`end` are UTF-16 indices into the text given. */
export interface TextEntity {
	type: TextEntityType;
	start: number;
	end: number;
	text: string;
}

/** One counted unit of a text: a URL, an emoji sequence or a single code point. */
export interface TextUnit {
	start: number;
	end: number;
	/** Weight in characters as X counts them (1, 2 or 23). */
	weight: number;
	kind: 'url' | 'emoji' | 'char';
}

// ---------------------------------------------------------------------------------------------
// URLs

/** Common generic TLDs (twitter-text knows ~1500; these cover what posts carry). */
const GTLDS = [
	'academy', 'aero', 'agency', 'amazon', 'app', 'apple', 'art', 'asia', 'bank', 'bar', 'bio', 'biz',
	'blog', 'book', 'build', 'business', 'cafe', 'capital', 'care', 'career', 'cat', 'center', 'chat',
	'city', 'click', 'cloud', 'club', 'codes', 'com', 'community', 'company', 'consulting', 'coop',
	'dev', 'design', 'digital', 'directory', 'edu', 'email', 'energy', 'events', 'expert', 'finance',
	'fun', 'fund', 'game', 'games', 'gallery', 'global', 'gov', 'group', 'guide', 'guru', 'health',
	'host', 'how', 'icu', 'inc', 'info', 'int', 'jobs', 'land', 'law', 'life', 'link', 'live', 'llc',
	'ltd', 'market', 'media', 'mil', 'mobi', 'money', 'movie', 'museum', 'music', 'name', 'net',
	'network', 'news', 'ninja', 'one', 'online', 'org', 'page', 'photo', 'photography', 'photos',
	'pics', 'plus', 'press', 'pro', 'rocks', 'run', 'school', 'services', 'shop', 'show', 'site',
	'social', 'software', 'solutions', 'space', 'store', 'stream', 'studio', 'style', 'systems',
	'team', 'tech', 'tel', 'today', 'tools', 'top', 'travel', 'tube', 'video', 'vip', 'wang',
	'watch', 'website', 'wiki', 'work', 'works', 'world', 'wtf', 'xxx', 'xyz', 'zone',
];

/** Every two-letter country-code TLD (the list twitter-text carries). */
const CCTLDS = (
	'ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq ' +
	'br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cs cu cv cw cx cy cz dd de dj dk dm ' +
	'do dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt ' +
	'gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ' +
	'ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv ' +
	'mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa ' +
	're ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th ' +
	'tj tk tl tm tn to tp tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw'
).split(' ');

const CCTLD_SET = new Set(CCTLDS);
/** ccTLDs whose one-label domains are links even without a path (twitter-text `validSpecialCCTLD`). */
const SPECIAL_CCTLDS = new Set(['co', 'tv']);

const byLengthDesc = (a: string, b: string) => b.length - a.length;
const TLD = `(?:${[...GTLDS].sort(byLengthDesc).join('|')}|${[...CCTLDS].sort(byLengthDesc).join('|')}|xn--[a-z0-9]+)(?![a-z0-9@])`;
/** A top-level domain of an internationalised host, allowed after a protocol (`http://foobar.پاکستان/`). */
const IDN_TLD = '(?=[^\\x00-\\x7f])\\p{L}[\\p{L}\\p{M}]+';
/** A character of a host after a protocol: anything but spaces, punctuation, controls and ASCII symbols (twitter-text validDomainChars). */
const HOST_CHAR = '[^\\s\\p{P}\\p{Z}\\p{C}$+<=>^`|~]';
const LABEL_UNICODE = `${HOST_CHAR}(?:(?:${HOST_CHAR}|[_-])*${HOST_CHAR})?`;
const LABEL_ASCII = '[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?';
const IPV4 = '(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d.])';
const USERINFO = "[a-z0-9\\-._~!$&'()*+,;=:%]+@";
/** Characters a path or query may hold (twitter-text's general path and query characters, any letter). */
const PATH_CHARS = "[\\p{L}\\p{M}\\p{N}!*';:=+,.$/%#\\[\\]\\-_~@|&()?]*";

const URL_RE = new RegExp(
	`(https?:\\/\\/)(?:${USERINFO})?((?:${IPV4})|\\[[0-9a-f:.]+\\]|(?:${LABEL_UNICODE}\\.)+(?:${TLD}|${IDN_TLD}))(?::\\d+)?([/?]${PATH_CHARS})?` +
		`|((?:${LABEL_ASCII}\\.)+${TLD})(?::\\d+)?(\\/${PATH_CHARS})?`,
	'giu',
);

/** Characters a path may end with; anything else at the end (`.`, `,`, `!`, `?`, `)`…) is not part of it. */
const PATH_END = /[\p{L}\p{M}\p{N}=_#/+\-&]/u;
const ASCII_ALNUM = /[a-z0-9]/i;

/** Cut trailing punctuation off a path, keeping a closing parenthesis that closes one in the path. */
function trimPath(path: string): string {
	let end = path.length;
	while (end > 0) {
		const ch = path[end - 1];
		if (PATH_END.test(ch)) break;
		if (ch === ')') {
			const inner = path.slice(0, end);
			const opens = inner.split('(').length - 1;
			const closes = inner.split(')').length - 1;
			if (opens >= closes) break;
		}
		end--;
	}
	return path.slice(0, end);
}

function labelsTooLong(host: string): boolean {
	return host.split('.').some((label) => [...label].length > 63);
}

/** The URLs of a text, as twitter-text extracts them (see the module comment for the differences). */
export function extractUrls(text: string): TextEntity[] {
	const urls: TextEntity[] = [];
	if (text.indexOf('.') < 0) return urls;
	const re = new RegExp(URL_RE.source, URL_RE.flags);
	let m: RegExpExecArray | null;
	while ((m = re.exec(text)) !== null) {
		const start = m.index;
		const before = start > 0 ? text[start - 1] : '';
		const retry = () => {
			re.lastIndex = start + 1;
		};
		// Not glued to a word, an @ (e-mail, mention), a $ or a # (twitter-text validUrlPrecedingChars).
		if (before && (ASCII_ALNUM.test(before) || '@＠$#＃'.indexOf(before) >= 0)) {
			retry();
			continue;
		}
		const protocol = m[1];
		const host = protocol ? m[2] : m[4];
		const rawPath = (protocol ? m[3] : m[5]) ?? '';
		if (labelsTooLong(host)) {
			retry();
			continue;
		}
		if (!protocol) {
			// A bare domain: not after - _ . / (twitter-text invalidUrlWithoutProtocolPrecedingChars).
			if (before && '-_./'.indexOf(before) >= 0) {
				retry();
				continue;
			}
		}
		// Underscores only in subdomains; none in the registered name.
		const hostLabels = host.split('.');
		if (hostLabels.length >= 2 && hostLabels[hostLabels.length - 2].indexOf('_') >= 0) {
			retry();
			continue;
		}
		const path = trimPath(rawPath);
		const hostEnd = start + m[0].length - rawPath.length;
		if (!protocol && !path) {
			// `example.jp` alone is no link (twitter-text invalidShortDomain), `t.co` and `foo.tv` are.
			const labels = host.toLowerCase().split('.');
			const tld = labels[labels.length - 1];
			if (labels.length === 2 && CCTLD_SET.has(tld) && !SPECIAL_CCTLDS.has(tld)) {
				re.lastIndex = hostEnd;
				continue;
			}
		}
		const end = hostEnd + path.length;
		urls.push({ type: 'url', start, end, text: text.slice(start, end) });
		re.lastIndex = end;
	}
	return urls;
}

// ---------------------------------------------------------------------------------------------
// Mentions, hashtags, cashtags

const MENTION_RE = /(^|[^a-z0-9_!#$%&*@＠])([@＠])([a-z0-9_]{1,20})(\/[a-z][a-z0-9_-]{0,24})?/giu;
const HASHTAG_RE = /(^|[^\p{L}\p{M}\p{N}_&])([#＃])([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)/gu;
const CASHTAG_RE = /(^|\s)(\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\s|[\p{P}])/giu;

function overlaps(list: TextEntity[], start: number, end: number): boolean {
	return list.some((e) => start < e.end && end > e.start);
}

function matchAll(
	re: RegExp,
	text: string,
	type: TextEntityType,
	taken: TextEntity[],
	reject?: (after: string) => boolean,
): TextEntity[] {
	const found: TextEntity[] = [];
	const r = new RegExp(re.source, re.flags);
	let m: RegExpExecArray | null;
	while ((m = r.exec(text)) !== null) {
		const start = m.index + m[1].length;
		const end = m.index + m[0].length;
		if (m[0].length === 0) {
			r.lastIndex++;
			continue;
		}
		if (reject?.(text.slice(end)) || overlaps(taken, start, end)) {
			r.lastIndex = start + 1;
			continue;
		}
		found.push({ type, start, end, text: text.slice(start, end) });
	}
	return found;
}

/**
 * URLs, @mentions (with @name/list), #hashtags and $CASHTAGS, sorted by position, never
 * overlapping (a URL wins). Indices are into `text` as given: pass NFC text (as X counts it)
 * when indices must match the weighing (`weighUnits` normalises nothing either).
 */
export function extractEntities(text: string): TextEntity[] {
	const urls = extractUrls(text);
	const mentions = matchAll(MENTION_RE, text, 'mention', urls, (after) => /^(?:[@＠\u00c0-\u024f]|:\/\/)/u.test(after));
	const taken = urls.concat(mentions);
	const hashtags = matchAll(HASHTAG_RE, text, 'hashtag', taken, (after) => /^(?:[#＃]|:\/\/)/u.test(after));
	const cashtags = matchAll(CASHTAG_RE, text, 'cashtag', taken.concat(hashtags));
	return taken
		.concat(hashtags, cashtags)
		.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Weighing

const EMOJI_UNIT = '\\p{Extended_Pictographic}\\uFE0F?\\p{Emoji_Modifier}?';
/** One emoji as twitter-text v3 counts it: a flag, a keycap, a tag sequence or a ZWJ sequence. */
const EMOJI_RE = new RegExp(
	'\\p{Regional_Indicator}{2}' +
		'|[0-9#*]\\uFE0F?\\u20E3' +
		'|\\u{1F3F4}[\\u{E0020}-\\u{E007E}]+\\u{E007F}' +
		`|${EMOJI_UNIT}(?:\\u200D${EMOJI_UNIT})*`,
	'uy',
);

function codePointWeight(cp: number): number {
	for (const range of TWITTER_TEXT_V3.ranges) {
		if (cp >= range.start && cp <= range.end) return range.weight / TWITTER_TEXT_V3.scale;
	}
	return TWITTER_TEXT_V3.defaultWeight / TWITTER_TEXT_V3.scale;
}

/**
 * The text cut into the units X weighs: URLs (23), emoji sequences (2) and single code points
 * (1 or 2), covering the whole text in order. Works on `text` as given (no normalisation), so
 * the indices are the caller's; `weightedLength` normalises to NFC first.
 */
export function weighUnits(text: string): TextUnit[] {
	const units: TextUnit[] = [];
	const urls = extractUrls(text);
	let u = 0;
	let i = 0;
	while (i < text.length) {
		if (u < urls.length && urls[u].start === i) {
			units.push({ start: i, end: urls[u].end, weight: TWITTER_TEXT_V3.transformedURLLength, kind: 'url' });
			i = urls[u].end;
			u++;
			continue;
		}
		const cp = text.codePointAt(i) as number;
		const size = cp > 0xffff ? 2 : 1;
		EMOJI_RE.lastIndex = i;
		const emoji = EMOJI_RE.exec(text);
		// A lone ©, ® (code points in the weight-1 range, text presentation) counts as the character.
		if (emoji && !(emoji[0].length === size && codePointWeight(cp) === 1)) {
			units.push({ start: i, end: i + emoji[0].length, weight: 2, kind: 'emoji' });
			i += emoji[0].length;
			continue;
		}
		units.push({ start: i, end: i + size, weight: codePointWeight(cp), kind: 'char' });
		i += size;
	}
	return units;
}

/** The length of a post's text as X counts it (twitter-text v3 `weightedLength`). */
export function weightedLength(text: string): number {
	let total = 0;
	for (const unit of weighUnits((text ?? '').normalize('NFC'))) total += unit.weight;
	return total;
}

/** True when X counts `text` at most `limit` characters. */
export function isWithinLimit(text: string, limit: number): boolean {
	return weightedLength(text) <= limit;
}

export interface TextLimitOptions {
	/** The account the limit is for; named in the message ("for a standard account"). */
	account?: 'standard' | 'premium';
	/** The Premium limit, quoted in the advice to a standard account (from the limits table). */
	premiumLimit?: number;
	/** What the text is, for the message: default "The text"; e.g. "The text of item 3". */
	subject?: string;
	/** Leave out the advice to use Create Thread (when it is Create Thread that refuses). */
	inThread?: boolean;
}

function formatCount(n: number): string {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The error for a text over its limit: count, limit, how X counts and what to do. */
export function textTooLongError(count: number, limit: number, options: TextLimitOptions = {}): MediaInputError {
	const subject = options.subject ?? 'The text';
	const account = options.account ? ` for a ${options.account === 'premium' ? 'Premium' : 'standard'} account` : '';
	const advice = ['shorten it'];
	if (options.account !== 'premium') {
		const premium = options.premiumLimit ? ` (${formatCount(options.premiumLimit)} characters)` : '';
		advice.push(`set Account Tier to Premium if the posting account has X Premium${premium}`);
	}
	advice.push(options.inThread ? 'turn on Split Long Text to continue it over several posts' : 'use Create Thread, which splits long texts over several posts');
	const last = advice.pop() as string;
	return new MediaInputError(
		`${subject} is ${formatCount(count)} characters as X counts them, over the limit of ${formatCount(limit)}${account}`,
		`X counts every link as 23 characters and most CJK characters and emoji as 2 (twitter-text weights, after NFC normalisation). ` +
			`To post it, ${advice.join(', ')} or ${last}.`,
	);
}

/** Refuses a text over `limit` with a MediaInputError naming the count and the limit; returns the count. */
export function assertWithinLimit(text: string, limit: number, options: TextLimitOptions = {}): number {
	const count = weightedLength(text);
	if (count > limit) throw textTooLongError(count, limit, options);
	return count;
}
