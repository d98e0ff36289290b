/** Subtitles rules: language codes as X takes them, display names, video categories. */
import {
	checkVideoCategoryFits,
	languageDisplayName,
	normaliseLanguageCode,
	readSubtitlesVideoCategory,
	subtitlesVideoCategory,
} from '../../../nodes/XMedia/helpers/subtitlesRules';
import { expectInputError } from '../../harness/expectError';

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
