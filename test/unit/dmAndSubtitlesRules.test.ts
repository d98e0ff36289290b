/**
 * Pure rules of issue 13: the planner's destination (post or Direct Message), subtitles language
 * codes and video categories, conversation and user ids.
 */
import { assertDmConversationId, assertUserId } from '../../nodes/XMedia/helpers/mediaIds';
import {
	checkVideoCategoryFits,
	languageDisplayName,
	normaliseLanguageCode,
	readSubtitlesVideoCategory,
	subtitlesVideoCategory,
} from '../../nodes/XMedia/helpers/subtitlesRules';
import { autoCategory, isDmCategory, planUpload } from '../../nodes/XMedia/helpers/uploadPlanner';
import type { PlannedMedia } from '../../nodes/XMedia/helpers/uploadPlanner';
import { expectInputError } from '../harness/expectError';

const PNG: PlannedMedia = { mimeType: 'image/png', kind: 'image', animated: false };
const STILL_GIF: PlannedMedia = { mimeType: 'image/gif', kind: 'image', animated: false };
const ANIMATED_GIF: PlannedMedia = { mimeType: 'image/gif', kind: 'gif', animated: true };
const MP4: PlannedMedia = { mimeType: 'video/mp4', kind: 'video', animated: true };
const SRT: PlannedMedia = { mimeType: 'text/srt', kind: 'subtitles', animated: false };

describe('planner destination', () => {
	test.each([
		[PNG, 'dm_image'],
		[STILL_GIF, 'dm_image'],
		[ANIMATED_GIF, 'dm_gif'],
		[MP4, 'dm_video'],
	])('auto for a DM: %o → %s', (media, category) => {
		expect(autoCategory(media, 'dm')).toBe(category);
		expect(planUpload({ size: 1000, media, category: 'auto', method: 'auto', destination: 'dm' }).category).toBe(category);
	});

	test('auto for a post is unchanged', () => {
		expect(autoCategory(PNG)).toBe('tweet_image');
		expect(autoCategory(MP4, 'post')).toBe('tweet_video');
	});

	test('a DM refuses subtitles and post categories', () => {
		expectInputError(() => autoCategory(SRT, 'dm'), /Direct Message cannot carry a subtitles file/);
		expectInputError(
			() => planUpload({ size: 1000, media: PNG, category: 'tweet_image', method: 'auto', destination: 'dm' }),
			/tweet_image cannot be sent in a Direct Message/,
			/dm_image/,
		);
		expect(planUpload({ size: 1000, media: MP4, category: 'dm_video', method: 'auto', destination: 'dm' }).category).toBe('dm_video');
	});

	test('shared DM media goes chunked (X takes shared only at initialize)', () => {
		expect(planUpload({ size: 1000, media: PNG, category: 'auto', method: 'auto', destination: 'dm', shared: true }).method).toBe('chunked');
	});

	test('isDmCategory', () => {
		expect(['dm_image', 'dm_gif', 'dm_video'].every((c) => isDmCategory(c as never))).toBe(true);
		expect(['tweet_image', 'tweet_gif', 'tweet_video', 'amplify_video', 'subtitles'].some((c) => isDmCategory(c as never))).toBe(false);
	});
});

describe('subtitles language code', () => {
	test.each([
		['EN', { code: 'EN' }],
		['en', { code: 'EN', given: 'en' }],
		['en-US', { code: 'EN', given: 'en-US' }],
		[' pt_BR ', { code: 'PT', given: 'pt_BR' }],
		['zh-Hant-TW', { code: 'ZH', given: 'zh-Hant-TW' }],
	])('%j → %j', (value, expected) => {
		expect(normaliseLanguageCode(value, 'Language Code')).toEqual(expected);
	});

	test.each(['eng', 'English', 'e', '12', 'en--US', 'en US'])('refuses %j', (value) => {
		expectInputError(() => normaliseLanguageCode(value, 'Language Code'), /not a two-letter language code/, /EN/);
	});

	test('refuses an empty code', () => {
		expectInputError(() => normaliseLanguageCode('  ', 'Language Code'), /is empty/);
	});

	test('display names in English, the code when unknown', () => {
		expect(languageDisplayName('EN')).toBe('English');
		expect(languageDisplayName('ES')).toBe('Spanish');
		expect(languageDisplayName('DE')).toBe('German');
		expect(languageDisplayName('QQ')).toBe('QQ');
	});
});

describe('subtitles video category', () => {
	test('from the upload category', () => {
		expect(subtitlesVideoCategory('tweet_video')).toBe('TweetVideo');
		expect(subtitlesVideoCategory('amplify_video')).toBe('AmplifyVideo');
		expectInputError(() => subtitlesVideoCategory('dm_video'), /dm_video/, /tweet_video or amplify_video/);
		expectInputError(() => subtitlesVideoCategory('tweet_image'), /tweet_image/);
	});

	test('fits the upload category the item names', () => {
		expect(() => checkVideoCategoryFits(undefined, 'TweetVideo', '1')).not.toThrow();
		expect(() => checkVideoCategoryFits('tweet_video', 'TweetVideo', '1')).not.toThrow();
		expect(() => checkVideoCategoryFits('amplify_video', 'AmplifyVideo', '1')).not.toThrow();
		expectInputError(() => checkVideoCategoryFits('amplify_video', 'TweetVideo', '1'), /uploaded as amplify_video/, /AmplifyVideo/);
		expectInputError(() => checkVideoCategoryFits('dm_video', 'TweetVideo', '1'), /dm_video/);
	});

	test('the parameter', () => {
		expect(readSubtitlesVideoCategory(undefined)).toBe('TweetVideo');
		expect(readSubtitlesVideoCategory('AmplifyVideo')).toBe('AmplifyVideo');
		expectInputError(() => readSubtitlesVideoCategory('tweet_video'), /Video Category/);
	});
});

describe('Direct Message ids', () => {
	test('user ids', () => {
		expect(assertUserId('2244994945', 'Participant ID')).toBe('2244994945');
		expect(assertUserId(2244994945, 'Participant ID')).toBe('2244994945');
		expectInputError(() => assertUserId('1,2', 'Participant ID'), /must be one user id/);
		expectInputError(() => assertUserId('12345678901234567890', 'Participant ID'), /not a valid user id/);
	});

	test('conversation ids', () => {
		expect(assertDmConversationId('1880000000000000001-1880000000000000002', 'Conversation ID')).toBe('1880000000000000001-1880000000000000002');
		expect(assertDmConversationId(' 1582838803000000000 ', 'Conversation ID')).toBe('1582838803000000000');
		expect(assertDmConversationId(123, 'Conversation ID')).toBe('123');
		for (const bad of ['abc', '1-2-3', '1 2', '-1', {}]) {
			expectInputError(() => assertDmConversationId(bad, 'Conversation ID'), /not a Direct Message conversation id/);
		}
	});
});
