import {
	ALT_TEXT_CATEGORIES,
	ALT_TEXT_MAX,
	ASYNC_CATEGORIES,
	CATEGORY_KIND,
	DEFAULT_CHUNK_BYTES,
	DEFAULT_PARALLEL_UPLOADS,
	DEFAULT_PROCESSING_TIMEOUT_SECS,
	MAX_MEDIA_PER_POST,
	MAX_PARALLEL_UPLOADS,
	MAX_SEGMENTS,
	MAX_SEGMENT_BYTES,
	MAX_TAGGED_USERS,
	MAX_TOTAL_BYTES,
	MEDIA_CATEGORIES,
	MEDIA_TYPE_KIND,
	MIN_CHUNK_BYTES,
	MiB,
	SIMPLE_UPLOAD_CATEGORIES,
	X_MEDIA_TYPES,
	formatBytes,
	formatSize,
	formatSizeWithBytes,
	isMediaCategory,
	isXMediaType,
} from '../../../nodes/XMedia/helpers/limits';

describe('limits table (X published figures)', () => {
	test('sizes', () => {
		expect(MiB).toBe(1048576);
		expect(MAX_TOTAL_BYTES).toBe(17_179_869_184);
		expect(MAX_SEGMENTS).toBe(1000);
		expect(MAX_SEGMENT_BYTES).toBe(8 * MiB);
		expect(DEFAULT_CHUNK_BYTES).toBe(4 * MiB);
		expect(MIN_CHUNK_BYTES).toBe(256 * 1024);
		expect(ALT_TEXT_MAX).toBe(1000);
		expect(MAX_MEDIA_PER_POST).toBe(4);
		expect(MAX_TAGGED_USERS).toBe(10);
		expect(DEFAULT_PARALLEL_UPLOADS).toBe(3);
		expect(MAX_PARALLEL_UPLOADS).toBe(8);
		expect(DEFAULT_PROCESSING_TIMEOUT_SECS).toBe(600);
	});

	test('categories', () => {
		expect([...MEDIA_CATEGORIES]).toEqual(['tweet_image', 'tweet_gif', 'tweet_video', 'amplify_video', 'dm_image', 'dm_gif', 'dm_video', 'subtitles']);
		expect([...ALT_TEXT_CATEGORIES].sort()).toEqual(['dm_gif', 'dm_image', 'tweet_gif', 'tweet_image']);
		expect(SIMPLE_UPLOAD_CATEGORIES).not.toContain('amplify_video');
		expect(SIMPLE_UPLOAD_CATEGORIES).toHaveLength(7);
		expect([...ASYNC_CATEGORIES].sort()).toEqual(['amplify_video', 'dm_gif', 'dm_video', 'tweet_gif', 'tweet_video']);
		for (const c of MEDIA_CATEGORIES) expect(CATEGORY_KIND[c]).toBeDefined();
		expect(isMediaCategory('dm_video')).toBe(true);
		expect(isMediaCategory('TweetVideo')).toBe(false);
	});

	test('media types', () => {
		expect(X_MEDIA_TYPES).toHaveLength(13);
		for (const t of X_MEDIA_TYPES) expect(MEDIA_TYPE_KIND[t]).toBeDefined();
		expect(isXMediaType('image/pjpeg')).toBe(true);
		expect(isXMediaType('model/gltf-binary')).toBe(false);
	});

	test.each([
		[0, '0 bytes'],
		[1, '1 byte'],
		[1023, '1023 bytes'],
		[1024, '1 KB'],
		[1536, '1.5 KB'],
		[5 * MiB, '5 MB'],
		[5 * MiB + 1, '5 MB'],
		[6_000_000, '5.72 MB'],
		[MAX_TOTAL_BYTES, '16 GB'],
	])('formatSize(%p) = %p', (bytes, text) => {
		expect(formatSize(bytes)).toBe(text);
	});

	test('formatBytes / formatSizeWithBytes', () => {
		expect(formatBytes(5242881)).toBe('5,242,881');
		expect(formatBytes(999)).toBe('999');
		expect(formatSizeWithBytes(5242881)).toBe('5 MB (5,242,881 bytes)');
		expect(formatSizeWithBytes(12)).toBe('12 bytes');
	});
});
