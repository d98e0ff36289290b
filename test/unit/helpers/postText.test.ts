import { MediaInputError } from '../../../nodes/XMedia/helpers/errors';
import {
	assertWithinLimit,
	extractEntities,
	extractUrls,
	isWithinLimit,
	textTooLongError,
	weighUnits,
	weightedLength,
} from '../../../nodes/XMedia/helpers/postText';
import { expectInputError } from '../../harness/expectError';

/**
 * Cases from twitter-text's conformance/validate.yml, section
 * WeightedTweetsWithDiscountedEmojiCounterTest (the v3 configuration X uses) and
 * UnicodeDirectionalMarkerCounterTest: https://github.com/twitter/twitter-text
 */
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const ENGLAND = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
const conformance: Array<[string, string, number]> = [
	['plain ASCII', 'This is a test.', 15],
	['regular tweet with url', 'Hi http://test.co', 26],
	['just url', 'http://test.co', 23],
	['https url', 'https://test.com', 23],
	['url without protocol', 'test.com', 23],
	['multiple urls', 'Test https://test.com test https://test.com test.com test', 86],
	['285 chars', `285 chars-${'xxxxxxxxxx-'.repeat(25)}`, 285],
	['url in the middle', `285 chars- http://www.twitter.com/jack ${'xxxxxxxxxx-'.repeat(24)}`, 299],
	['url at the end', `${'xxxxxxxxxx-'.repeat(24)} http://www.twitter.com/jack `, 289],
	['10 urls', 'https://www.twitter.com/aloha '.repeat(10), 240],
	[
		'160 CJK',
		'故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。',
		320,
	],
	['160 emoji', '😷'.repeat(160), 320],
	['NFC: A + combining acute is one character', 'A\u0301B', 2],
	['Hebrew presentation form normalised into 3 chars', 'A\uFB2C', 4],
	['282 chars with a normalised character', `282 chars-${'xxxxxxxxxx-'.repeat(24)}xxxxxA\u0301x`, 281],
	['mix of single and double weight with a ZWJ family', `H🐱☺${FAMILY}`, 7],
	['BMP emoji', '😷👾😡🔥💩', 10],
	['skin tone and ZWJ profession', '🙋🏽👨\u200D🎤', 4],
	['keycap', '1\u20E3', 2],
	['Unicode 10 emoji with a tag-sequence flag', `Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; ${ENGLAND}`, 34],
	['Unicode 9 emoji', 'Unicode 9.0 emoji: 🤠; 💃; 💃🏾', 29],
	['140 family emoji', FAMILY.repeat(140), 280],
	['regional-indicator flags', '🇫🇷🇯🇵', 4],
	['64-character label is no url', 'randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com', 68],
	['general punctuation', 'This is a tweet with general punctuation characters: \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B\u200C\u200D ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷', 112],
	['invalid characters', 'ABC\u202A\uFFFFABC\uFFFE', 12],
	['directional markers around a url', '\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069', 31],
	['astral plane characters', '\u{10000}\u{10FFFF}', 4],
	['Hangul', '저찀쯿쿿', 8],
];

describe('weightedLength: twitter-text v3 conformance', () => {
	test.each(conformance)('%s', (_name, text, expected) => {
		expect(weightedLength(text)).toBe(expected);
	});

	test('a long url with invalid (over 63 characters) domain labels is no link; the short one is', () => {
		const label = 'somesuperlongurl'.repeat(5);
		const text = `Long url: https://${label}.com/foo https://validurl.com`;
		expect(extractUrls(text).map((u) => u.text)).toEqual(['https://validurl.com']);
		expect(weightedLength(text)).toBe(`Long url: https://${label}.com/foo `.length + 23);
	});
});

describe('URLs', () => {
	test.each([
		['example.com', 23],
		['www.example.com', 23],
		['t.co', 23],
		['foo.co.jp', 23],
		['x.com/path', 23],
		['example.com/path/to/resource?search=foo&lang=en', 23],
		['http://user:PASSW0RD@example.com:8080/login.php', 23],
		['http://192.168.0.1/index.html?src=asdf', 23],
		['http://test_underscore.twitter.com', 23],
		['http://☃.net/', 23],
		['HTTPS://www.ExaMPLE.COM/index.html', 23],
		['https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-', 23],
		['http://en.wikipedia.org/wiki/Primer_(film)', 23],
	])('%s is one link (23)', (text, expected) => {
		expect(weightedLength(text)).toBe(expected);
	});

	test.each([
		['an e-mail address', 'me@example.com', 14],
		['a one-label ccTLD domain without path', 'example.jp', 10],
		['a file name', 'node.js', 7],
		['an unknown TLD', 'foo.notatld', 11],
		['ftp', 'ftp://x', 7],
		['underscore in the domain name', 'http://domain-dash_2314352345_dfasd.foo-cow_4352.com', 'http://domain-dash_2314352345_dfasd.foo-cow_4352.com'.length],
		['a leading dash in a label', 'http://www.-domain4352.com/', 'http://www.-domain4352.com/'.length],
	])('%s is no link', (_name, text, expected) => {
		expect(weightedLength(text)).toBe(expected);
	});

	test('trailing punctuation is not part of the link', () => {
		expect(extractUrls('See example.com/a. Then (https://x.com/b), ok?').map((u) => u.text)).toEqual([
			'example.com/a',
			'https://x.com/b',
		]);
		expect(weightedLength('(see x.com/path).')).toBe(5 + 23 + 2);
	});

	test('a bare domain after a mention, a dot or a slash is no link of its own', () => {
		expect(extractUrls('@x.com')).toEqual([]);
		expect(extractUrls('a.b/example.com')).toEqual([]);
	});
});

describe('extractEntities', () => {
	test('urls, mentions, hashtags and cashtags with their ranges', () => {
		const text = 'Hi @jack and @x/list: #tag #123 $TSLA a@b.com https://x.com/a_(b) #日本語';
		const entities = extractEntities(text);
		expect(entities.map((e) => [e.type, e.text])).toEqual([
			['mention', '@jack'],
			['mention', '@x/list'],
			['hashtag', '#tag'],
			['cashtag', '$TSLA'],
			['url', 'https://x.com/a_(b)'],
			['hashtag', '#日本語'],
		]);
		for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.text);
	});

	test('a hashtag inside a url is part of the url', () => {
		expect(extractEntities('http://twitter.com/#!/twitter').map((e) => e.type)).toEqual(['url']);
	});
});

describe('weighUnits', () => {
	test('covers the text in order, weights sum to weightedLength', () => {
		const text = `Hi 👋🏽 ${FAMILY} see https://x.com/a and 日本 ©`;
		const units = weighUnits(text);
		expect(units[0].start).toBe(0);
		for (let i = 1; i < units.length; i++) expect(units[i].start).toBe(units[i - 1].end);
		expect(units[units.length - 1].end).toBe(text.length);
		expect(units.reduce((s, u) => s + u.weight, 0)).toBe(weightedLength(text));
		expect(units.filter((u) => u.kind === 'url')).toHaveLength(1);
	});

	test('a lone © counts 1 as a character, ©️ (emoji presentation) 2', () => {
		expect(weightedLength('©')).toBe(1);
		expect(weightedLength('©\uFE0F')).toBe(2);
	});
});

describe('limits', () => {
	test('280 is within, 281 is over', () => {
		expect(isWithinLimit('x'.repeat(280), 280)).toBe(true);
		expect(isWithinLimit('x'.repeat(281), 280)).toBe(false);
		expect(isWithinLimit('の'.repeat(140), 280)).toBe(true);
		expect(isWithinLimit('の'.repeat(141), 280)).toBe(false);
		expect(assertWithinLimit('x'.repeat(280), 280)).toBe(280);
	});

	test('the refusal names count, limit and account, and says what to do', () => {
		const error = expectInputError(
			() => assertWithinLimit('x'.repeat(312), 280, { account: 'standard', premiumLimit: 25000 }),
			'The text is 312 characters as X counts them, over the limit of 280 for a standard account',
			/links? as 23.*CJK.*emoji as 2.*shorten it.*Account Tier to Premium.*25,000.*Create Thread/s,
		);
		expect(error).toBeInstanceOf(MediaInputError);
	});

	test('a Premium account is not told to pick Premium', () => {
		const error = textTooLongError(25001, 25000, { account: 'premium', subject: 'The text of item 2' });
		expect(error.message).toBe('The text of item 2 is 25,001 characters as X counts them, over the limit of 25,000 for a Premium account');
		expect(error.description).not.toMatch(/Account Tier/);
	});
});
