import fc from 'fast-check';

import { extractEntities, weightedLength } from '../../../nodes/XMedia/helpers/postText';
import { planThreadPosts, splitText } from '../../../nodes/XMedia/helpers/threadPlan';
import type { ThreadMedia } from '../../../nodes/XMedia/helpers/threadPlan';
import { expectInputError } from '../../harness/expectError';

const collapse = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const noSpace = (s: string) => s.normalize('NFC').replace(/\s+/g, '');
const entityTexts = (texts: string[]) =>
	texts
		.flatMap((t) => extractEntities(t.normalize('NFC')).map((e) => `${e.type}:${e.text}`))
		.sort();

const SENTENCE =
	'Our new release is out today, see https://example.com/releases/2026/09/notes?ref=x for details, thanks @n8n_io and #opensource folks. ';
const TEXT_700 = `${SENTENCE.repeat(3)}\n\n${SENTENCE.repeat(3)}Final words with $TSLA and x.com/path here.`;

interface Media extends ThreadMedia {
	id: string;
}
const images = (n: number, from = 1): Media[] => Array.from({ length: n }, (_, i) => ({ kind: 'image' as const, id: `img${i + from}` }));

describe('splitText', () => {
	test('a text within the limit is one part, unchanged', () => {
		const text = '  Hello\n\nworld  ';
		expect(splitText(text, 280)).toEqual([text]);
		expect(splitText(text, 280, { numberParts: true })).toEqual([text]);
		expect(splitText('', 280)).toEqual([]);
	});

	test('a 700-character text: parts of at most 280 whose join is the original', () => {
		expect(TEXT_700.length).toBeGreaterThanOrEqual(700);
		const parts = splitText(TEXT_700, 280);
		expect(parts.length).toBeGreaterThanOrEqual(3);
		for (const part of parts) expect(weightedLength(part)).toBeLessThanOrEqual(280);
		expect(collapse(parts.join(' '))).toBe(collapse(TEXT_700));
		// Links, mentions, hashtags and cashtags arrive whole.
		expect(entityTexts(parts)).toEqual(entityTexts([TEXT_700]));
		// The paragraph break is a cut.
		expect(parts.some((p) => p.endsWith(SENTENCE.trim()) && !p.includes('\n\n'))).toBe(true);
	});

	test('cuts at a paragraph before a sentence, and at a sentence before a word', () => {
		const a = 'First paragraph, short.';
		const b = `${'word '.repeat(40)}end. ${'more '.repeat(40)}done`;
		const parts = splitText(`${a}\n\n${b}`, 280);
		expect(parts[0]).toBe(a);
		expect(parts[1].endsWith('end.')).toBe(true);
	});

	test('never cuts inside a URL, a mention or a hashtag', () => {
		const url = 'https://example.com/a/very/long/path/that/goes/on/and/on/for/a/while/more/than/the/rest';
		const text = `${'aaaa '.repeat(50)}${url} @someone_long #hashtag_here ${'bbbb '.repeat(50)}`;
		const parts = splitText(text, 260);
		expect(parts.some((p) => p.includes(url))).toBe(true);
		expect(entityTexts(parts)).toEqual(entityTexts([text]));
	});

	test('numberParts: each part ends with k/n, counted in the limit', () => {
		const parts = splitText(TEXT_700, 280, { numberParts: true });
		parts.forEach((part, k) => {
			expect(part.endsWith(` ${k + 1}/${parts.length}`)).toBe(true);
			expect(weightedLength(part)).toBeLessThanOrEqual(280);
		});
		const stripped = parts.map((p) => p.replace(/ \d+\/\d+$/, ''));
		expect(collapse(stripped.join(' '))).toBe(collapse(TEXT_700));
	});

	test('numberParts: the digit count of the total is redone when it grows to two digits', () => {
		const text = 'word '.repeat(600); // 3000 characters: 12 or so parts of 280
		const parts = splitText(text, 280, { numberParts: true });
		expect(parts.length).toBeGreaterThanOrEqual(10);
		parts.forEach((part, k) => {
			expect(part.endsWith(` ${k + 1}/${parts.length}`)).toBe(true);
			expect(weightedLength(part)).toBeLessThanOrEqual(280);
		});
	});

	test('CJK without spaces is cut between characters, preferring sentence ends', () => {
		const text = '日本語のテキストです。'.repeat(30);
		const parts = splitText(text, 280);
		for (const part of parts) {
			expect(weightedLength(part)).toBeLessThanOrEqual(280);
			expect(part.endsWith('。')).toBe(true);
		}
		expect(parts.join('')).toBe(text);
	});

	test('one word longer than the limit cannot be split', () => {
		expectInputError(
			() => splitText(`Hello ${'x'.repeat(300)} there`, 280),
			/cannot be split into posts of at most 280 characters: "x+…" is 300 characters as X counts them/,
			/never inside a word, a link, a mention or a hashtag/,
		);
		expectInputError(() => splitText(`#${'tag'.repeat(100)}`, 280), /cannot be split/);
	});

	test('NFC: combining marks are counted and kept composed', () => {
		const text = 'cafe\u0301 '.repeat(80);
		const parts = splitText(text, 280);
		for (const part of parts) expect(weightedLength(part)).toBeLessThanOrEqual(280);
		expect(collapse(parts.join(' '))).toBe(collapse(text));
	});

	describe('properties', () => {
		const word = fc.oneof(
			{ weight: 6, arbitrary: fc.stringMatching(/^[a-zA-Z]{1,14}[.,!?]?$/) },
			{
				weight: 1,
				arbitrary: fc.constantFrom(
					'https://example.com/path?q=1',
					'example.org/a/b',
					'@jack',
					'#n8n',
					'$TSLA',
					'😀',
					'👩\u200D💻',
					'café',
					'naïve',
					'ünïcödé',
				),
			},
		);
		const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', ' \n ');
		const text = fc
			.array(fc.tuple(word, separator), { minLength: 1, maxLength: 250 })
			.map((pairs) => pairs.map(([w, s]) => w + s).join(''));
		const limit = fc.constantFrom(280, 140, 60);

		test('each part fits the limit, and the parts rejoin into the text', () => {
			fc.assert(
				fc.property(text, limit, (t, max) => {
					const parts = splitText(t, max);
					for (const part of parts) expect(weightedLength(part)).toBeLessThanOrEqual(max);
					expect(collapse(parts.join(' '))).toBe(collapse(t));
					expect(entityTexts(parts)).toEqual(entityTexts([t]));
				}),
				{ numRuns: 150 },
			);
		});

		test('numbered parts fit the limit and are numbered 1..n', () => {
			fc.assert(
				fc.property(text, limit, (t, max) => {
					const parts = splitText(t, max, { numberParts: true });
					if (weightedLength(t) <= max) return;
					parts.forEach((part, k) => {
						expect(weightedLength(part)).toBeLessThanOrEqual(max);
						expect(part.endsWith(` ${k + 1}/${parts.length}`)).toBe(true);
					});
				}),
				{ numRuns: 100 },
			);
		});

		test('CJK mixed with words: parts fit, and rejoin without whitespace', () => {
			const cjkWord = fc.oneof(word, fc.constantFrom('日本語のテキスト', '中文内容。', '한국어', '東京タワー！'));
			const mixed = fc
				.array(fc.tuple(cjkWord, fc.constantFrom(' ', '', '\n\n')), { minLength: 1, maxLength: 200 })
				.map((pairs) => pairs.map(([w, s]) => w + s).join(''));
			fc.assert(
				fc.property(mixed, limit, (t, max) => {
					const parts = splitText(t, max);
					for (const part of parts) expect(weightedLength(part)).toBeLessThanOrEqual(max);
					expect(noSpace(parts.join(' '))).toBe(noSpace(t));
				}),
				{ numRuns: 100 },
			);
		});
	});
});

describe('planThreadPosts', () => {
	test('one post per item, in order, with its media', () => {
		const posts = planThreadPosts<Media>([
			{ text: 'one', media: images(2), limit: 280 },
			{ text: 'two', limit: 280 },
			{ media: [{ kind: 'video', id: 'v1' }], limit: 280 },
		]);
		expect(posts).toEqual([
			{ itemIndex: 0, text: 'one', media: images(2) },
			{ itemIndex: 1, text: 'two', media: [] },
			{ itemIndex: 2, text: '', media: [{ kind: 'video', id: 'v1' }] },
		]);
	});

	test('7 images → 4 + 3', () => {
		const posts = planThreadPosts<Media>([{ text: 'Holiday', media: images(7), limit: 280 }]);
		expect(posts).toEqual([
			{ itemIndex: 0, text: 'Holiday', media: images(4) },
			{ itemIndex: 0, text: '', media: images(3, 5) },
		]);
	});

	test('a long text and 7 images: media on the first part, the rest continued on the next parts', () => {
		const posts = planThreadPosts<Media>([{ text: TEXT_700, media: images(7), limit: 280 }]);
		expect(posts.length).toBe(splitText(TEXT_700, 280).length);
		expect(posts[0].media).toEqual(images(4));
		expect(posts[1].media).toEqual(images(3, 5));
		expect(posts.slice(2).every((p) => p.media.length === 0)).toBe(true);
		expect(collapse(posts.map((p) => p.text).join(' '))).toBe(collapse(TEXT_700));
	});

	test('splitMedia: each video or GIF alone, in the order given', () => {
		const media: Media[] = [
			{ kind: 'image', id: 'a' },
			{ kind: 'video', id: 'v' },
			{ kind: 'image', id: 'b' },
			{ kind: 'gif', id: 'g' },
		];
		const posts = planThreadPosts<Media>([{ text: 'mix', media, limit: 280 }]);
		expect(posts.map((p) => [p.text, p.media.map((m) => m.id)])).toEqual([
			['mix', ['a']],
			['', ['v']],
			['', ['b']],
			['', ['g']],
		]);
	});

	test('numberParts numbers the parts cut from one text', () => {
		const posts = planThreadPosts<Media>([{ text: TEXT_700, limit: 280, numberParts: true }, { text: 'tail', limit: 280, numberParts: true }]);
		const first = posts.filter((p) => p.itemIndex === 0);
		first.forEach((p, k) => expect(p.text.endsWith(` ${k + 1}/${first.length}`)).toBe(true));
		expect(posts[posts.length - 1]).toEqual({ itemIndex: 1, text: 'tail', media: [] });
	});

	describe('bad input names the item', () => {
		test('no items', () => {
			expectInputError(() => planThreadPosts([]), 'Create Thread got no input items');
		});

		test('no text and no media', () => {
			expectInputError(
				() => planThreadPosts([{ text: 'ok', limit: 280 }, { text: 'ok', limit: 280 }, { text: '  ', media: [], limit: 280 }]),
				'Item 3 has no text and no media',
			);
		});

		test('splitLongText off with a text over the limit', () => {
			expectInputError(
				() => planThreadPosts([{ text: 'x '.repeat(156), limit: 280, splitLongText: false, limitOptions: { account: 'standard', premiumLimit: 25000 } }]),
				'The text of item 1 is 312 characters as X counts them, over the limit of 280 for a standard account',
				/Split Long Text/,
			);
		});

		test('a text that cannot be split', () => {
			expectInputError(() => planThreadPosts([{ text: 'ok', limit: 280 }, { text: 'x'.repeat(300), limit: 280 }]), /^Item 2: The text cannot be split/);
		});

		test('more than 4 images with splitMedia off', () => {
			expectInputError(
				() => planThreadPosts<Media>([{ text: 'a', media: images(5), limit: 280, splitMedia: false }]),
				'Item 1 has 5 images, but a post holds at most 4',
				/1 to 4 images, or 1 GIF, or 1 video per post.*Split Media/,
			);
		});

		test('2 videos, or a video with images, with splitMedia off', () => {
			const twoVideos: Media[] = [
				{ kind: 'video', id: 'v1' },
				{ kind: 'video', id: 'v2' },
			];
			expectInputError(
				() => planThreadPosts<Media>([{ text: 'a', limit: 280 }, { text: 'b', media: twoVideos, limit: 280, splitMedia: false }]),
				'Item 2 has 2 videos, which cannot go in one post',
				/X allows 1 to 4 images, or 1 GIF, or 1 video per post/,
			);
			expectInputError(
				() => planThreadPosts<Media>([{ text: 'b', media: [...images(2), { kind: 'video', id: 'v' }], limit: 280, splitMedia: false }]),
				'Item 1 has 2 images, 1 video, which cannot go in one post',
			);
		});
	});
});
