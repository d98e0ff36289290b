/**
 * The node's parameter readers: one validation per field (Chunk Size, Parallel Uploads,
 * Additional Owners), and the one builder of upload settings.
 */
import {
	readAdditionalOwners,
	readChunkSize,
	readParallelUploads,
	readUploadSettings,
} from '../../../../nodes/XMedia/actions/common/parameters';
import { expectInputError } from '../../../harness/expectError';

describe('Chunk Size (MiB)', () => {
	test.each([
		[undefined, undefined],
		['', undefined],
		[0.25, 0.25],
		[4, 4],
		['4', 4],
		[8, 8],
	])('%p is read as %p', (value, expected) => {
		expect(readChunkSize(value)).toBe(expected);
	});

	test.each([0, -1, 0.1, 8.01, 9, 64, NaN, 1e-9, 'four'])('%p is refused', (value) => {
		expectInputError(
			() => readChunkSize(value),
			`"Chunk Size (MiB)" must be a number from 0.25 to 8, not ${JSON.stringify(value)}`,
			'Change "Chunk Size (MiB)" in the node.',
		);
	});
});

describe('Parallel Uploads', () => {
	test.each([
		[undefined, undefined],
		['', undefined],
		[1, 1],
		['3', 3],
		[8, 8],
	])('%p is read as %p', (value, expected) => {
		expect(readParallelUploads(value)).toBe(expected);
	});

	test.each([0, 9, 2.5, -1, NaN, 'three'])('%p is refused', (value) => {
		expectInputError(() => readParallelUploads(value), `"Parallel Uploads" must be a whole number from 1 to 8, not ${JSON.stringify(value)}`);
	});
});

describe('Additional Owners', () => {
	test('user ids, from text or a list', () => {
		expect(readAdditionalOwners(undefined)).toEqual([]);
		expect(readAdditionalOwners('')).toEqual([]);
		expect(readAdditionalOwners('1, 2244994945,1234567890123456789')).toEqual(['1', '2244994945', '1234567890123456789']);
		expect(readAdditionalOwners(['12', 34])).toEqual(['12', '34']);
	});

	test('what is not a user id is refused', () => {
		expectInputError(
			() => readAdditionalOwners('12, @elonmusk'),
			'Additional Owners contains "@elonmusk", which is not a valid user id',
			/1 to 19 digits/,
		);
		expectInputError(() => readAdditionalOwners('12345678901234567890'), /not a valid user id/);
		expectInputError(() => readAdditionalOwners({ id: '12' }), /Additional Owners must contain user ids, but got an object/);
	});
});

describe('readUploadSettings', () => {
	test('an operation that offers no options gets the defaults', () => {
		expect(readUploadSettings({})).toEqual({
			category: 'auto',
			method: 'auto',
			mediaType: undefined,
			altText: undefined,
			waitForProcessing: true,
			processingTimeoutSecs: 600,
			chunkSizeMiB: undefined,
			parallelUploads: undefined,
			additionalOwners: [],
			shared: false,
			accountTier: 'auto',
			skipMediaChecks: false,
		});
	});

	test('the fields given, the category and the destination', () => {
		const settings = readUploadSettings(
			{ uploadMethod: 'chunked', altText: 'A cat', waitForProcessing: false, chunkSize: 2, parallelUploads: 4, additionalOwners: '12', shared: true },
			{ category: 'dm_image', destination: 'dm' },
		);
		expect(settings).toMatchObject({
			category: 'dm_image',
			destination: 'dm',
			method: 'chunked',
			altText: 'A cat',
			waitForProcessing: false,
			chunkSizeMiB: 2,
			parallelUploads: 4,
			additionalOwners: ['12'],
			shared: true,
		});
		expect(readUploadSettings({ altText: '' }, { category: '' })).toMatchObject({ category: 'auto', altText: undefined });
	});
});
