import {
	durationDependsOnTier,
	MAX_SIMPLE_UPLOAD_BYTES,
	MEDIA_LIMIT_ROWS,
	mediaLimit,
	POST_TEXT_LIMITS,
	SEGMENT_LIMITS,
	sizeDependsOnTier,
	textDependsOnTier,
} from '../../../nodes/XMedia/helpers/accountLimits';
import { MEDIA_CATEGORIES } from '../../../nodes/XMedia/helpers/limits';
import { tierFromUser } from '../../../nodes/XMedia/upload/accountTier';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('the limits table (X, September 2026)', () => {
	test('every category has one row; every row a docs.x.com source', () => {
		for (const category of MEDIA_CATEGORIES) {
			const rows = Object.values(MEDIA_LIMIT_ROWS).filter((r) => (r.categories as readonly string[]).includes(category));
			expect(rows).toHaveLength(1);
		}
		for (const row of Object.values(MEDIA_LIMIT_ROWS)) expect(row.source).toMatch(/^https:\/\/docs\.x\.com\//);
		expect(POST_TEXT_LIMITS.source).toMatch(/^https:\/\/docs\.x\.com\//);
		expect(SEGMENT_LIMITS.source).toMatch(/^https:\/\/docs\.x\.com\//);
	});

	test.each([
		['tweet_image', 5 * MiB, 5 * MiB, undefined, undefined],
		['dm_gif', 15 * MiB, 15 * MiB, undefined, undefined],
		['tweet_video', 8 * GiB, 16 * GiB, 20 * 60_000, 125 * 60_000],
		['amplify_video', 8 * GiB, 16 * GiB, 20 * 60_000, 125 * 60_000],
		['dm_video', 512 * MiB, 1 * GiB, 140_000, 10 * 60_000],
		['subtitles', 1 * MiB, 1 * MiB, undefined, undefined],
	] as const)('%s: standard %i bytes, Premium %i bytes', (category, standard, premium, standardMs, premiumMs) => {
		expect(mediaLimit(category, 'standard')).toMatchObject({ maxBytes: standard });
		expect(mediaLimit(category, 'premium')).toMatchObject({ maxBytes: premium });
		expect(mediaLimit(category, 'standard').maxDurationMs).toBe(standardMs);
		expect(mediaLimit(category, 'premium').maxDurationMs).toBe(premiumMs);
	});

	test('16 GB Premium is X\'s total_bytes maximum; 1000 segments of 8 MB; the simple upload holds at most a GIF', () => {
		expect(mediaLimit('tweet_video', 'premium').maxBytes).toBe(17_179_869_184);
		expect(SEGMENT_LIMITS).toMatchObject({ maxSegments: 1000, maxSegmentBytes: 8 * MiB });
		expect(MAX_SIMPLE_UPLOAD_BYTES).toBe(15 * MiB);
		expect(POST_TEXT_LIMITS).toMatchObject({ standard: 280, premium: 25_000 });
	});

	test('what the tier decides (only then does Account Tier auto ask X)', () => {
		expect(durationDependsOnTier('tweet_video', 30_000)).toBe(false);
		expect(durationDependsOnTier('tweet_video', 180_000)).toBe(false);
		expect(durationDependsOnTier('tweet_video', 21 * 60_000)).toBe(true);
		expect(durationDependsOnTier('tweet_video', 126 * 60_000)).toBe(false);
		expect(durationDependsOnTier('dm_video', 150_000)).toBe(true);
		expect(durationDependsOnTier('tweet_image', 150_000)).toBe(false);
		expect(sizeDependsOnTier('tweet_video', 600 * MiB)).toBe(false);
		expect(sizeDependsOnTier('dm_video', 600 * MiB)).toBe(true);
		expect(sizeDependsOnTier('tweet_video', 9 * GiB)).toBe(true);
		expect(sizeDependsOnTier('tweet_image', 6 * MiB)).toBe(false);
		expect(textDependsOnTier(280)).toBe(false);
		expect(textDependsOnTier(281)).toBe(true);
		expect(textDependsOnTier(25_001)).toBe(false);
	});
});

describe('tierFromUser (GET /2/users/me with subscription_type, verified_type)', () => {
	test.each([
		[{ subscription_type: 'None', verified_type: 'none' }, 'standard'],
		[{ subscription_type: 'Premium', verified_type: 'blue' }, 'premium'],
		[{ subscription_type: 'Basic', verified_type: 'none' }, 'premium'],
		[{ subscription_type: 'None', verified_type: 'business' }, 'premium'],
		[{ verified_type: 'government' }, 'premium'],
		[{ subscription_type: 'None' }, 'standard'],
		[{ id: '1' }, undefined],
		[undefined, undefined],
	])('%j → %s', (user, tier) => {
		expect(tierFromUser(user)).toBe(tier);
	});
});
