import fc from 'fast-check';
import {
	assertDmConversationId,
	assertMediaId,
	assertUserId,
	parseMediaIds,
	parseMediaKeys,
	parseUserIds,
} from '../../../nodes/XMedia/helpers/mediaIds';
import { expectInputError } from '../../harness/expectError';

const ID = '1880028106020515840';
const ID2 = '1880028106020515841';

describe('parseMediaIds', () => {
	test.each([
		['undefined', undefined, []],
		['null', null, []],
		['empty string', '', []],
		['blank string', '  , ,\n', []],
		['empty array', [], []],
		['one string', ID, [ID]],
		['comma-separated', `${ID},${ID2}`, [ID, ID2]],
		['comma and spaces', ` ${ID} ,  ${ID2} `, [ID, ID2]],
		['whitespace and newlines', `${ID}\n${ID2}\t3`, [ID, ID2, '3']],
		['semicolons', `${ID};${ID2}`, [ID, ID2]],
		['array of strings', [ID, ID2], [ID, ID2]],
		['array with empty entries', [ID, '', null, undefined, ' ', ID2], [ID, ID2]],
		['array with comma strings', [`${ID},${ID2}`, '7'], [ID, ID2, '7']],
		['nested arrays (combined items)', [[ID], [ID2, ['7']]], [ID, ID2, '7']],
		['duplicates removed, order kept', [ID2, ID, ID2, ID], [ID2, ID]],
		['JSON text of a list', `["${ID}", "${ID2}"]`, [ID, ID2]],
		['quoted', `'${ID}'`, [ID]],
		['safe integer', 1234567890, ['1234567890']],
		['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, ['9007199254740991']],
		['zero', 0, ['0']],
		['array with numbers', [12, '13'], ['12', '13']],
		['bigint', BigInt(ID), [ID]],
		['19 digits', '9999999999999999999', ['9999999999999999999']],
	])('%s', (_name, value, expected) => {
		expect(parseMediaIds(value, 'Media IDs')).toEqual(expected);
	});

	test('a number beyond 2^53 is refused: precision was lost', () => {
		expectInputError(
			() => parseMediaIds(1880028106020515840, 'Media IDs'),
			'Media IDs got the number 1880028106020515840, which is too large to be exact: the media id has lost precision',
			/must be passed as a string.*\{\{ \$json\.media_id \}\}.*media_id_string/,
		);
		expectInputError(() => parseMediaIds([ID, 2 ** 60], 'Media IDs'), /too large to be exact/);
	});

	test.each([
		[-5, /got the number -5, which is not a valid media id/],
		[1.5, /got the number 1.5, which is not a valid media id/],
		[NaN, /got the number NaN/],
		[Infinity, /got the number Infinity/],
	])('number %p is refused', (value, message) => {
		expectInputError(() => parseMediaIds(value, 'Media IDs'), message, /1 to 19 digits/);
	});

	test.each([
		['a word', 'abc', 'Media IDs contains "abc", which is not a valid media id', /1 to 19 digits/],
		['20 digits', '18800281060205158401', /contains "18800281060205158401"/, /It has 20 digits; a media id has at most 19/],
		['scientific notation', '1.88002810602052e+18', /contains "1.88002810602052e\+18"/, /lost precision/],
		['decimal', '12.5', /contains "12.5"/, /lost precision/],
		['a media key', `13_${ID}`, /contains "13_1880028106020515840"/, /This is a media key/],
		['negative', '-12', /contains "-12"/, /1 to 19 digits/],
		['mixed list', `${ID},x1`, /contains "x1"/, undefined],
		['long garbage is truncated', 'y'.repeat(100), new RegExp(`contains "${'y'.repeat(40)}…"`), undefined],
	])('%s is refused', (_name, value, message, description) => {
		expectInputError(() => parseMediaIds(value, 'Media IDs'), message, description);
	});

	test.each([
		['an object', { foo: 1 }, /must contain media ids, but got an object/, /Map the field that holds the media id/],
		['a whole upload item', { media_id: ID, size: 1 }, /but got an object/, /map its media_id field instead/],
		['a boolean', true, /but got the boolean true/, /comma-separated list/],
		['an object in a list', [ID, { id: ID }], /but got an object/, /map its id field/],
		['a function', () => ID, /but got function/, undefined],
	])('%s is refused', (_name, value, message, description) => {
		expectInputError(() => parseMediaIds(value, 'Media IDs'), message, description);
	});

	test('property: never returns an id that does not match, and round-trips valid ids', () => {
		const idArb = fc.stringMatching(/^[0-9]{1,19}$/);
		fc.assert(
			fc.property(fc.array(idArb, { maxLength: 10 }), fc.constantFrom(',', ', ', ' ', '\n', ' , '), (ids, sep) => {
				const unique = [...new Set(ids)];
				expect(parseMediaIds(ids.join(sep), 'x')).toEqual(unique);
				expect(parseMediaIds(ids, 'x')).toEqual(unique);
			}),
		);
		fc.assert(
			fc.property(fc.anything(), (value) => {
				let ids: string[] = [];
				try {
					ids = parseMediaIds(value, 'x');
				} catch (error) {
					expect((error as Error).name).toBe('MediaInputError');
				}
				for (const id of ids) expect(id).toMatch(/^[0-9]{1,19}$/);
			}),
			{ numRuns: 2000 },
		);
		fc.assert(
			fc.property(fc.string(), (value) => {
				try {
					for (const id of parseMediaIds(value, 'x')) expect(id).toMatch(/^[0-9]{1,19}$/);
				} catch (error) {
					expect((error as Error).name).toBe('MediaInputError');
				}
			}),
			{ numRuns: 2000 },
		);
	});

	test('property: safe non-negative integers round-trip as strings', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
				expect(parseMediaIds(n, 'x')).toEqual([String(n)]);
			}),
		);
	});
});

describe('assertMediaId', () => {
	test('one id', () => {
		expect(assertMediaId(ID, 'Media ID')).toBe(ID);
		expect(assertMediaId(` ${ID} `, 'Media ID')).toBe(ID);
		expect(assertMediaId([ID], 'Media ID')).toBe(ID);
		expect(assertMediaId(42, 'Media ID')).toBe('42');
	});

	test('empty', () => {
		expectInputError(() => assertMediaId('', 'Media ID'), 'Media ID is empty', /\{\{ \$json\.media_id \}\}/);
		expectInputError(() => assertMediaId(undefined, 'Media ID'), 'Media ID is empty');
	});

	test('several', () => {
		expectInputError(
			() => assertMediaId(`${ID},${ID2}`, 'Media ID'),
			`Media ID must be one media id, but got 2: ${ID}, ${ID2}`,
			/one item per media id/,
		);
	});

	test('invalid', () => {
		expectInputError(() => assertMediaId('abc', 'Media ID'), /not a valid media id/);
	});
});

describe('parseUserIds', () => {
	test('same rules as media ids', () => {
		expect(parseUserIds('2244994945, 783214', 'Tagged Users')).toEqual(['2244994945', '783214']);
		expectInputError(() => parseUserIds('@XDevelopers', 'Tagged Users'), 'Tagged Users contains "@XDevelopers", which is not a valid user id', /2244994945/);
		expectInputError(() => parseUserIds(2 ** 62, 'Tagged Users'), /the user id has lost precision/);
	});

	test('max', () => {
		const ids = Array.from({ length: 11 }, (_, i) => String(i + 1));
		expect(parseUserIds(ids.slice(0, 10), 'Tagged Users', 10)).toHaveLength(10);
		expectInputError(() => parseUserIds(ids, 'Tagged Users', 10), 'Tagged Users has 11 user ids; at most 10 are allowed', 'Remove 1 of them.');
		// duplicates do not count twice
		expect(parseUserIds([...ids.slice(0, 10), '1'], 'Tagged Users', 10)).toHaveLength(10);
	});
});

describe('parseMediaKeys', () => {
	test('keys', () => {
		expect(parseMediaKeys(`13_${ID}, 3_${ID2}`)).toEqual([`13_${ID}`, `3_${ID2}`]);
		expect(parseMediaKeys([`7_${ID}`, `7_${ID}`])).toEqual([`7_${ID}`]);
	});

	test('an empty key is refused, not silently skipped', () => {
		expectInputError(() => parseMediaKeys(''), 'Media Key is empty', /\{\{ \$json\.media_key \}\}/);
	});

	test('a media id is not a key', () => {
		expectInputError(() => parseMediaKeys(ID), `Media Key contains "${ID}", which is not a valid media key`, /This is a media id, not a media key/);
	});

	test('numbers are refused', () => {
		expectInputError(() => parseMediaKeys(13), 'Media Key got the number 13, which is not a media key', /\{\{ \$json\.media_key \}\}/);
	});

	test('label', () => {
		expectInputError(() => parseMediaKeys('x', 'Keys'), /^Keys contains "x"/);
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
