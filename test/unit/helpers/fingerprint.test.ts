import { createHash } from 'node:crypto';

import fc from 'fast-check';

import { canonicalJson, fingerprintOf, sha256Hex, utf8Bytes } from '../../../nodes/XMedia/helpers/fingerprint';

const hex = (text: string) => sha256Hex(utf8Bytes(text));

describe('sha256Hex', () => {
	it('gives FIPS 180-4 / NIST CSHS example digests', () => {
		expect(hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
		);
		expect(hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
	});

	it('equals node:crypto on any text, across block boundaries and in every script', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
				expect(hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
			}),
		);
		for (let n = 50; n <= 130; n++) {
			const text = 'x'.repeat(n);
			expect(hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
		}
	});

	it('encodes UTF-8 as Node does, a lone surrogate as U+FFFD', () => {
		for (const text of ['é', '€', '𝄞', '👩‍💻', 'a\ud800b', '\udc00']) {
			expect(Buffer.from(utf8Bytes(text))).toEqual(Buffer.from(text, 'utf8'));
		}
	});
});

describe('canonicalJson and fingerprintOf', () => {
	it('does not depend on the order of keys, at any depth', () => {
		const a = { text: 'hi', media: { media_ids: ['1', '2'], tagged_user_ids: [] }, reply: undefined };
		const b = { media: { tagged_user_ids: [], media_ids: ['1', '2'] }, text: 'hi' };
		expect(canonicalJson(a)).toBe('{"media":{"media_ids":["1","2"],"tagged_user_ids":[]},"text":"hi"}');
		expect(fingerprintOf(a)).toBe(fingerprintOf(b));
	});

	it('tells apart what JSON tells apart: order in arrays, types, values', () => {
		const prints = [
			{ ids: ['1', '2'] },
			{ ids: ['2', '1'] },
			{ ids: [1, 2] },
			{ ids: '1,2' },
			{ ids: ['1', '2'], shared: false },
			{ ids: ['1', '2'], shared: null },
			[{ ids: ['1', '2'] }],
			'{"ids":["1","2"]}',
		].map(fingerprintOf);
		expect(new Set(prints).size).toBe(prints.length);
		for (const p of prints) expect(p).toMatch(/^[0-9a-f]{64}$/);
	});

	it('matches JSON.stringify for what it writes', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
			}),
		);
		expect(canonicalJson([undefined, () => 1, NaN, new Date(0)])).toBe('[null,null,null,"1970-01-01T00:00:00.000Z"]');
	});
});
