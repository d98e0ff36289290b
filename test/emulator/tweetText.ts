/**
 * Weighted post length after twitter-text v3 (docs:/fundamentals/counting-characters): NFC,
 * code points in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F, U+2032–U+2037 weigh 1, others 2,
 * an emoji sequence weighs 2, every http(s) URL weighs 23. (Bare domains are not detected: an approximation.)
 */

const URL_RE = /https?:\/\/[^\s]+/giu;
const EMOJI_RE = /\p{Extended_Pictographic}/u;

function weight(cp: number): number {
	if (cp <= 0x10ff) return 1;
	if (cp >= 0x2000 && cp <= 0x200d) return 1;
	if (cp >= 0x2010 && cp <= 0x201f) return 1;
	if (cp >= 0x2032 && cp <= 0x2037) return 1;
	return 2;
}

function graphemes(s: string): string[] {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const Segmenter = (Intl as any).Segmenter;
	if (!Segmenter) return Array.from(s);
	return Array.from(new Segmenter('en', { granularity: 'grapheme' }).segment(s), (x: { segment: string }) => x.segment);
}

export function weightedLength(text: string): number {
	const normalized = text.normalize('NFC');
	let total = 0;
	const withoutUrls = normalized.replace(URL_RE, () => {
		total += 23;
		return '';
	});
	for (const g of graphemes(withoutUrls)) {
		if (EMOJI_RE.test(g)) {
			total += 2;
			continue;
		}
		for (const ch of g) total += weight(ch.codePointAt(0)!);
	}
	return total;
}

export const MAX_POST_LENGTH = 280;
export const MAX_PREMIUM_POST_LENGTH = 25000;
