import { checkPostMedia } from '../../../nodes/XMedia/helpers/postRules';
import type { PostMedia } from '../../../nodes/XMedia/helpers/postRules';
import { expectInputError } from '../../harness/expectError';

const img = (id: string): PostMedia => ({ id, kind: 'image' });
const unknown = (id: string): PostMedia => ({ id });
const video = (id: string): PostMedia => ({ id, kind: 'video' });
const gif = (id: string): PostMedia => ({ id, kind: 'gif' });

describe('checkPostMedia: allowed', () => {
	test.each([
		['text only', [], true],
		['1 image, no text', [img('1')], false],
		['4 images', [img('1'), img('2'), img('3'), img('4')], true],
		['4 ids of unknown kind', [unknown('1'), unknown('2'), unknown('3'), unknown('4')], false],
		['1 video', [video('1')], false],
		['1 GIF', [gif('1')], true],
		['kind undefined explicitly', [{ id: '1', kind: undefined }], false],
	])('%s', (_name, media, hasText) => {
		expect(() => checkPostMedia(media, hasText)).not.toThrow();
	});
});

describe('checkPostMedia: refused', () => {
	test.each([
		['no text and no media', [], false, 'The post has no text and no media', /Fill in Text, or pass media ids/],
		[
			'5 media',
			[img('1'), img('2'), img('3'), img('4'), img('5')],
			true,
			'A post can hold at most 4 media, but this one has 5',
			/Remove 1 of them, or split them over several posts/,
		],
		[
			'7 unknown ids',
			['1', '2', '3', '4', '5', '6', '7'].map(unknown),
			true,
			'A post can hold at most 4 media, but this one has 7',
			/Remove 3 of them/,
		],
		['video + image', [video('1'), img('2')], true, 'A video must be the only media in a post, but this one also has 1 image', /1 to 4 images, or 1 GIF, or 1 video/],
		['GIF + 2 images', [img('1'), gif('2'), img('3')], true, 'A GIF must be the only media in a post, but this one also has 2 images', /Post the GIF on its own/],
		['video + unknown', [video('1'), unknown('2')], true, 'A video must be the only media in a post, but this one also has 1 other media item', undefined],
		['video + image + unknown', [video('1'), img('2'), unknown('3')], true, /also has 2 other media items/, undefined],
		['two videos', [video('1'), video('2')], true, 'A post can hold only one video or one GIF, but this one has 2 videos', /Post each video or GIF on its own/],
		['two GIFs', [gif('1'), gif('2')], false, 'A post can hold only one video or one GIF, but this one has 2 GIFs', undefined],
		['a video and a GIF', [video('1'), gif('2')], false, 'but this one has 1 video and 1 GIF', undefined],
		['subtitles', [video('1'), { id: '9', kind: 'subtitles' }], true, 'Subtitle files cannot be posted as media (9)', /attached to a video/],
		['subtitles alone', [{ id: '9', kind: 'subtitles' }], false, /Subtitle files cannot be posted/, undefined],
	] as const)('%s', (_name, media, hasText, message, description) => {
		expectInputError(() => checkPostMedia([...media], hasText), message, description);
	});
});
