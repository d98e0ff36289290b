import fc from 'fast-check';
import {
	CHUNK_ROUNDING_BYTES,
	DEFAULT_CHUNK_BYTES,
	KiB,
	MAX_SEGMENTS,
	MAX_SEGMENT_BYTES,
	MAX_TOTAL_BYTES,
	MIN_CHUNK_BYTES,
	MiB,
} from '../../../nodes/XMedia/helpers/limits';
import {
	allowedCategories,
	autoCategory,
	chunkBytesFor,
	isDmCategory,
	planUpload,
	shrinkChunkBytes,
} from '../../../nodes/XMedia/helpers/uploadPlanner';
import type { PlannedMedia, UploadPlanInput } from '../../../nodes/XMedia/helpers/uploadPlanner';
import { expectInputError } from '../../harness/expectError';
import { TierLimitError } from '../../../nodes/XMedia/helpers/accountLimits';

const PNG: PlannedMedia = { mimeType: 'image/png', kind: 'image', animated: false };
const JPEG: PlannedMedia = { mimeType: 'image/jpeg', kind: 'image', animated: false };
const STILL_GIF: PlannedMedia = { mimeType: 'image/gif', kind: 'image', animated: false };
const ANIMATED_GIF: PlannedMedia = { mimeType: 'image/gif', kind: 'gif', animated: true };
const MP4: PlannedMedia = { mimeType: 'video/mp4', kind: 'video', animated: true };
const SRT: PlannedMedia = { mimeType: 'text/srt', kind: 'subtitles', animated: false };
const VTT: PlannedMedia = { mimeType: 'text/vtt', kind: 'subtitles', animated: false };

function plan(overrides: Partial<UploadPlanInput> & { media: PlannedMedia }) {
	return planUpload({ size: 100_000, category: 'auto', method: 'auto', ...overrides });
}

describe('planUpload: category and method', () => {
	test.each([
		['still image', PNG, 'tweet_image', 'simple', false],
		['JPEG', JPEG, 'tweet_image', 'simple', false],
		['still GIF', STILL_GIF, 'tweet_image', 'simple', false],
		['animated GIF', ANIMATED_GIF, 'tweet_gif', 'chunked', true],
		['video', MP4, 'tweet_video', 'chunked', true],
		['SRT', SRT, 'subtitles', 'simple', false],
		['VTT', VTT, 'subtitles', 'simple', false],
	])('auto: %s → %s, %s', (_name, media, category, method, asyncProcessing) => {
		const p = plan({ media });
		expect(p).toMatchObject({ category, method, asyncProcessing, mediaType: media.mimeType });
	});

	test('a simple plan has no segments', () => {
		expect(plan({ media: PNG })).toEqual({
			category: 'tweet_image',
			method: 'simple',
			mediaType: 'image/png',
			chunkBytes: 0,
			segmentCount: 0,
			parallelUploads: undefined,
			limitBytes: 5 * MiB,
			asyncProcessing: false,
		});
	});

	test('a chunked video plan', () => {
		expect(plan({ media: MP4, size: 10 * MiB + 1 })).toEqual({
			category: 'tweet_video',
			method: 'chunked',
			mediaType: 'video/mp4',
			chunkBytes: DEFAULT_CHUNK_BYTES,
			segmentCount: 3,
			parallelUploads: undefined,
			limitBytes: 8 * 1024 * MiB,
			asyncProcessing: true,
		});
	});

	test.each([
		['dm_image', PNG, 'simple'],
		['dm_image', ANIMATED_GIF, 'simple'],
		['tweet_image', ANIMATED_GIF, 'simple'],
		['dm_gif', ANIMATED_GIF, 'chunked'],
		['tweet_gif', STILL_GIF, 'chunked'],
		['dm_gif', STILL_GIF, 'chunked'],
		['dm_video', MP4, 'chunked'],
		['amplify_video', MP4, 'chunked'],
		['subtitles', SRT, 'simple'],
	] as const)('explicit %s fits %o (%s)', (category, media, method) => {
		expect(plan({ media, category })).toMatchObject({ category, method });
	});

	test.each([
		['tweet_video', PNG, /Media Category tweet_video is for videos, but this file is an image \(image\/png\)/, /tweet_image or dm_image/],
		['tweet_gif', PNG, /tweet_gif is for GIFs, but this file is an image/, /tweet_image or dm_image/],
		['dm_video', ANIMATED_GIF, /is for videos, but this file is an animated GIF/, /tweet_gif or dm_gif or tweet_image or dm_image/],
		['tweet_image', MP4, /tweet_image is for images, but this file is a video \(video\/mp4\)/, /tweet_video or amplify_video or dm_video/],
		['subtitles', MP4, /subtitles is for subtitle files/, /tweet_video/],
		['tweet_video', SRT, /is for videos, but this file is a subtitles file/, /use subtitles/],
		['tweet_video', STILL_GIF, /but this file is a still GIF/, /tweet_image or dm_image or tweet_gif or dm_gif/],
	] as const)('explicit %s refuses %o', (category, media, message, description) => {
		expectInputError(() => plan({ media, category }), message, description);
	});

	test('unknown category / method', () => {
		expectInputError(() => plan({ media: PNG, category: 'tweet_photo' as never }), /Unknown media category "tweet_photo"/, /tweet_image, tweet_gif/);
		expectInputError(() => plan({ media: PNG, method: 'fast' as never }), /Unknown upload method "fast"/);
	});

	test('allowedCategories / autoCategory', () => {
		expect(allowedCategories(STILL_GIF)).toEqual(['tweet_image', 'dm_image', 'tweet_gif', 'dm_gif']);
		expect(autoCategory(ANIMATED_GIF)).toBe('tweet_gif');
		expect(autoCategory(SRT)).toBe('subtitles');
	});

	test('auto: an image category over the simple threshold cannot happen (limit), a still GIF as tweet_gif above 5 MB goes chunked', () => {
		expect(plan({ media: STILL_GIF, category: 'tweet_gif', size: 6 * MiB })).toMatchObject({ method: 'chunked', limitBytes: 15 * MiB });
	});

	test('forced chunked for an image', () => {
		expect(plan({ media: PNG, method: 'chunked', size: 1000 })).toMatchObject({
			method: 'chunked',
			chunkBytes: DEFAULT_CHUNK_BYTES,
			segmentCount: 1,
		});
	});

	test('forced simple for a small video / GIF (X spec 2.167 one-shot takes them) keeps async processing', () => {
		expect(plan({ media: MP4, method: 'simple', size: 2 * MiB })).toMatchObject({ method: 'simple', asyncProcessing: true });
		expect(plan({ media: ANIMATED_GIF, method: 'simple', size: 15 * MiB })).toMatchObject({ method: 'simple', category: 'tweet_gif' });
	});

	test('shared forces chunked', () => {
		expect(plan({ media: PNG, category: 'dm_image', shared: true })).toMatchObject({ method: 'chunked', segmentCount: 1 });
	});

	test('forced simple errors', () => {
		expectInputError(
			() => plan({ media: MP4, category: 'amplify_video', method: 'simple' }),
			'Upload Method "simple" cannot be used for amplify_video',
			/Set Upload Method to auto or chunked/,
		);
		expectInputError(
			() => plan({ media: PNG, category: 'dm_image', method: 'simple', shared: true }),
			'Upload Method "simple" cannot mark media as shared',
			/only in a chunked upload/,
		);
		expectInputError(
			() => plan({ media: MP4, method: 'simple', size: 15 * MiB + 1 }),
			'The file is 15 MB (15,728,641 bytes), too large for Upload Method "simple" (at most 15 MB)',
			/holds it in memory/,
		);
	});
});

describe('planUpload: size limits', () => {
	test.each([-1, 1.5, NaN, Infinity, '12' as unknown as number, undefined as unknown as number])('invalid size %p', (size) => {
		expectInputError(() => plan({ media: PNG, size }), /The file size is unknown or invalid/);
	});

	test.each([
		['image', PNG, 'tweet_image', 5 * MiB, /over X's 5 MB \(([0-9]+,)*[0-9]+ bytes\) limit for tweet_image/, /Make the image smaller/],
		['animated GIF as image', ANIMATED_GIF, 'tweet_image', 5 * MiB, /5 MB \(([0-9]+,)*[0-9]+ bytes\) limit for tweet_image/, /as tweet_gif or dm_gif \(up to 15 MB\)/],
		['GIF', ANIMATED_GIF, 'auto', 15 * MiB, /over X's 15 MB \(([0-9]+,)*[0-9]+ bytes\) limit for tweet_gif/, /fewer frames/],
		['dm GIF', ANIMATED_GIF, 'dm_gif', 15 * MiB, /15 MB \(([0-9]+,)*[0-9]+ bytes\) limit for dm_gif/, /fewer frames/],
		['DM video', MP4, 'dm_video', 512 * MiB, /512 MB \(([0-9]+,)*[0-9]+ bytes\) limit for dm_video on a standard account/, /up to 1 GB/],
		['subtitles', SRT, 'auto', 1 * MiB, /1 MB \(([0-9]+,)*[0-9]+ bytes\) limit for subtitles/, /really a subtitles file/],
	] as const)('%s: at the limit passes, one byte over fails', (_name, media, category, limit, message, description) => {
		expect(plan({ media, category, size: limit }).limitBytes).toBe(limit);
		expectInputError(() => plan({ media, category, size: limit + 1 }), message, description);
	});

	test('the message gives the size in MB and bytes', () => {
		expectInputError(
			() => plan({ media: PNG, size: 6_000_000 }),
			"The file is 5.72 MB (6,000,000 bytes), over X's 5 MB (5,242,880 bytes) limit for tweet_image",
		);
	});

	test.each([
		['tweet_video', 'auto'],
		['amplify_video', 'amplify_video'],
	] as const)('%s: 8 GB on a standard account; at 8 GB the 1000 segments of 8 MB are what refuses', (category, requested) => {
		const limit = 8 * 1024 * MiB;
		expectInputError(() => plan({ media: MP4, category: requested, size: limit }), /too large to upload in 1000 segments of at most 8 MB/);
		const over = expectInputError(
			() => plan({ media: MP4, category: requested, size: limit + 1 }),
			new RegExp(`over X's 8 GB \\(8,589,934,592 bytes\\) limit for ${category} on a standard account`),
			/X Premium or verified accounts may post up to 16 GB/,
		);
		expect(over).toBeInstanceOf(TierLimitError);
	});

	test('a standard account posts videos of up to 8 GB; Premium up to 16 GB (the limits table)', () => {
		const p = plan({ media: MP4, size: 2 * 1024 * MiB });
		expect(p).toMatchObject({ method: 'chunked', limitBytes: 8 * 1024 * MiB });
		expect(plan({ media: MP4, size: 600 * MiB })).toMatchObject({ category: 'tweet_video', limitBytes: 8 * 1024 * MiB });
		expect(plan({ media: MP4, size: 600 * MiB, tier: { tier: 'premium', source: 'option' } })).toMatchObject({ limitBytes: MAX_TOTAL_BYTES });
		expect(p.segmentCount).toBeLessThanOrEqual(MAX_SEGMENTS);
		expect(p.chunkBytes % CHUNK_ROUNDING_BYTES).toBe(0);
		expect(p.chunkBytes * p.segmentCount).toBeGreaterThanOrEqual(2 * 1024 * MiB);
	});

	test('Premium does not lift image limits', () => {
		expectInputError(() => plan({ media: PNG, size: 5 * MiB + 1, tier: { tier: 'premium', source: 'option' } }), /5 MB \(5,242,880 bytes\) limit/);
	});

	test('a DM video over 512 MB on a standard account: a refusal the tier decides (TierLimitError); Premium takes up to 1 GB', () => {
		const error = expectInputError(
			() => plan({ media: MP4, size: 600 * MiB, destination: 'dm' }),
			"The file is 600 MB (629,145,600 bytes), over X's 512 MB (536,870,912 bytes) limit for dm_video on a standard account",
			/X Premium or verified accounts may post up to 1 GB/,
		);
		expect(error).toBeInstanceOf(TierLimitError);
		expect(plan({ media: MP4, size: 600 * MiB, destination: 'dm', tier: { tier: 'premium', source: 'option' } })).toMatchObject({ category: 'dm_video', limitBytes: 1024 * MiB });
		const over = expectInputError(() => plan({ media: MP4, size: 1024 * MiB + 1, destination: 'dm', tier: { tier: 'premium', source: 'option' } }), /over X's 1 GB \(1,073,741,824 bytes\) limit for dm_video on an X Premium or verified account/);
		expect(over).not.toBeInstanceOf(TierLimitError);
	});

	test('the largest file 1000 segments hold passes; one byte more fails up front', () => {
		const max = MAX_SEGMENTS * MAX_SEGMENT_BYTES;
		expect(plan({ media: MP4, size: max })).toMatchObject({ chunkBytes: MAX_SEGMENT_BYTES, segmentCount: 1000 });
		expectInputError(
			() => plan({ media: MP4, size: max + 1, tier: { tier: 'premium', source: 'option' } }),
			/too large to upload in 1000 segments of at most 8 MB/,
			/largest file that can be sent is 7.81 GB \(8,388,608,000 bytes\); this one would need segments of 8 MB \(8,388,609 bytes\)/,
		);
	});

	test('over the 16 GB Premium limit (X\'s total_bytes maximum)', () => {
		expectInputError(
			() => plan({ media: MP4, size: MAX_TOTAL_BYTES + 1, tier: { tier: 'premium', source: 'option' } }),
			"The file is 16 GB (17,179,869,185 bytes), over X's 16 GB (17,179,869,184 bytes) limit for tweet_video on an X Premium or verified account",
		);
	});

	test('above 1000 × 4 MiB (about 4 GB) the segment size rises by itself to ceil(size / 1000) (64 KiB steps), at most 8 MB', () => {
		const size = Math.round(4.5 * 1024 * MiB);
		const p = plan({ media: MP4, size });
		expect(p.chunkBytes).toBeGreaterThanOrEqual(Math.ceil(size / 1000));
		expect(p.chunkBytes).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
		expect(p.segmentCount).toBeLessThanOrEqual(1000);
		// 1000 segments of the default 4 MiB hold 4,194,304,000 bytes; one byte more raises the size.
		expect(plan({ media: MP4, size: 1000 * 4 * MiB })).toMatchObject({ chunkBytes: 4 * MiB, segmentCount: 1000 });
		expect(plan({ media: MP4, size: 1000 * 4 * MiB + 1 })).toMatchObject({ chunkBytes: 4 * MiB + 64 * 1024, segmentCount: 985 });
	});
});

describe('planUpload: chunks and parallelism', () => {
	test('chunkSizeMiB is used as given', () => {
		expect(plan({ media: MP4, size: 10 * MiB, chunkSizeMiB: 1 })).toMatchObject({ chunkBytes: MiB, segmentCount: 10 });
		expect(plan({ media: MP4, size: 10 * MiB, chunkSizeMiB: 0.5 })).toMatchObject({ chunkBytes: 512 * KiB, segmentCount: 20 });
		expect(plan({ media: MP4, size: 10 * MiB, chunkSizeMiB: 8 })).toMatchObject({ chunkBytes: 8 * MiB, segmentCount: 2 });
	});

	test('the chunk size is raised (to a multiple of 64 KiB) so that no upload needs more than 1000 segments', () => {
		const size = 500 * MiB + 1;
		const p = plan({ media: MP4, size, chunkSizeMiB: 0.25 });
		expect(p.segmentCount).toBeLessThanOrEqual(1000);
		expect(p.chunkBytes).toBe(Math.ceil(size / 1000 / (64 * KiB)) * 64 * KiB);
		expect(p.chunkBytes).toBe(576 * KiB);
		expect(p.segmentCount).toBe(Math.ceil(size / p.chunkBytes));
	});

	test('chunkBytesFor', () => {
		expect(chunkBytesFor(4000, 4)).toBe(4);
		expect(chunkBytesFor(4001, 4)).toBe(64 * KiB);
		expect(chunkBytesFor(MAX_SEGMENTS * MAX_SEGMENT_BYTES + 1, DEFAULT_CHUNK_BYTES)).toBeUndefined();
	});

	test.each([undefined, 1, 3, 8])('parallelUploads %p is accepted', (parallelUploads) => {
		expect(plan({ media: MP4, parallelUploads }).parallelUploads).toBe(parallelUploads);
	});
});

describe('planUpload: alt text and owners', () => {
	test('alt text up to 1000 characters, counted in code points', () => {
		expect(() => plan({ media: PNG, altText: 'a'.repeat(1000) })).not.toThrow();
		expect(() => plan({ media: PNG, altText: '🎬'.repeat(1000) })).not.toThrow(); // 2000 UTF-16 units
		expectInputError(
			() => plan({ media: PNG, altText: 'a'.repeat(1001) }),
			'Alt Text is 1001 characters long; X allows at most 1000',
			'Shorten the alt text by 1 character.',
		);
	});

	test.each(['tweet_image', 'tweet_gif', 'dm_image', 'dm_gif'] as const)('alt text on %s is fine', (category) => {
		expect(() => plan({ media: category.endsWith('gif') ? ANIMATED_GIF : PNG, category, altText: 'A cat' })).not.toThrow();
	});

	test.each([
		[MP4, 'tweet_video'],
		[MP4, 'amplify_video'],
		[MP4, 'dm_video'],
		[SRT, 'subtitles'],
	] as const)('alt text on %o / %s is refused before uploading', (media, category) => {
		expectInputError(
			() => plan({ media, category, altText: 'A cat' }),
			`Alt Text cannot be set on ${category} media`,
			/only for images and GIFs/,
		);
	});

	test('empty or blank alt text is ignored; non-text refused', () => {
		expect(() => plan({ media: MP4, altText: '' })).not.toThrow();
		expect(() => plan({ media: MP4, altText: '  ' })).not.toThrow();
		expectInputError(() => plan({ media: PNG, altText: 5 as unknown as string }), 'Alt Text must be text');
	});

	// The ids themselves are checked when the parameter is read (actions/common/parameters.test.ts).
	test('additional owners: at most 100', () => {
		expect(() => plan({ media: PNG, additionalOwners: ['1', '2244994945', '1234567890123456789'] })).not.toThrow();
		expect(() => plan({ media: PNG, additionalOwners: Array.from({ length: 100 }, (_, i) => String(i + 1)) })).not.toThrow();
		expectInputError(
			() => plan({ media: PNG, additionalOwners: Array.from({ length: 101 }, (_, i) => String(i + 1)) }),
			'Additional Owners has 101 user ids; X allows at most 100',
			'Remove some user ids.',
		);
	});
});

describe('planned segments', () => {
	test('property: the segments cover the file exactly, ≤ 1000, each ≤ 8 MiB', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: MAX_SEGMENTS * MAX_SEGMENT_BYTES }),
				fc.option(fc.double({ min: 0.001, max: 8, noNaN: true }), { nil: undefined }),
				(size, chunkSizeMiB) => {
					const p = planUpload({ size, media: MP4, category: 'auto', method: 'chunked', chunkSizeMiB, tier: { tier: 'premium', source: 'option' } });
					// Plain checks (jest's expect is slow in hot loops): all segments but the last are
					// chunkBytes long, the last holds the rest (1 to chunkBytes bytes).
					const last = size - (p.segmentCount - 1) * p.chunkBytes;
					const problems: string[] = [];
					if (p.segmentCount < 1 || p.segmentCount > MAX_SEGMENTS) problems.push(`segments ${p.segmentCount}`);
					if (p.chunkBytes < 1 || p.chunkBytes > MAX_SEGMENT_BYTES) problems.push(`chunk ${p.chunkBytes}`);
					if (last <= 0 || last > p.chunkBytes) problems.push(`last segment ${last}`);
					expect(problems).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('shrinkChunkBytes', () => {
	test.each([
		// current, size, expected
		[4 * MiB, 100 * MiB, 2 * MiB],
		[2 * MiB, 100 * MiB, MiB],
		[MiB, 100 * MiB, 512 * KiB],
		[512 * KiB, 100 * MiB, 256 * KiB],
		[256 * KiB, 100 * MiB, undefined], // at MIN_CHUNK_BYTES
		[300 * KiB, 100 * MiB, 256 * KiB], // halving would go below the minimum
		[4 * MiB, 1 * MiB, 512 * KiB], // a 1 MB file in one 4 MB chunk: halve the real segment
		[4 * MiB, 100 * KiB, undefined], // too small to split above the minimum
		[1_000_000, 100 * MiB, 448 * KiB], // rounded down to 64 KiB
		[8 * MiB, 7000 * MiB, 7 * MiB], // never more than 1000 segments
		[7 * MiB, 7000 * MiB, undefined],
		[8 * MiB, 7000 * MiB + 1, 7 * MiB + 64 * KiB], // …rounded up to 64 KiB
		[7 * MiB + 64 * KiB, 7000 * MiB + 1, undefined],
		[0, 10, undefined],
	])('shrink(%p, size %p) = %p', (current, size, expected) => {
		expect(shrinkChunkBytes(current, size)).toBe(expected);
	});

	test('property: a shrink is smaller, ≥ the minimum, a multiple of 64 KiB, ≤ 1000 segments', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: MAX_SEGMENT_BYTES }), fc.integer({ min: 1, max: MAX_SEGMENTS * MAX_SEGMENT_BYTES }), (current, size) => {
				const next = shrinkChunkBytes(current, size);
				if (next === undefined) return;
				expect(next).toBeLessThan(Math.min(current, size));
				expect(next).toBeGreaterThanOrEqual(MIN_CHUNK_BYTES);
				expect(next % CHUNK_ROUNDING_BYTES).toBe(0);
				expect(Math.ceil(size / next)).toBeLessThanOrEqual(MAX_SEGMENTS);
			}),
			{ numRuns: 2000 },
		);
	});
});

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
