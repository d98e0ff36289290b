import {
	EXPIRY_MARGIN_MS,
	MAX_UPLOAD_SESSIONS,
	findUploadSession,
	forgetUploadSession,
	rememberUploadSession,
	uploadSessionCount,
} from '../../../nodes/XMedia/upload/uploadSessions';
import type { UploadSessionKey } from '../../../nodes/XMedia/upload/uploadSessions';

describe('upload sessions', () => {
	const key = (overrides: Partial<UploadSessionKey> = {}): UploadSessionKey => ({
		binaryDataId: 'filesystem-v2:workflows/1/executions/2/binary_data/abc',
		size: 1000,
		credentialType: 'xOAuth2Api',
		credentialId: 'c1',
		category: 'tweet_video',
		mediaType: 'video/mp4',
		chunkBytes: 4 * 1024 * 1024,
		additionalOwners: [],
		shared: false,
		...overrides,
	});
	const session = (expiresAtMs = Date.now() + 3_600_000) => ({
		mediaId: '1880000000000000001',
		chunkBytes: 4 * 1024 * 1024,
		acknowledged: new Uint8Array(3),
		expiresAtMs,
	});

	afterEach(() => {
		for (let i = 0; i < MAX_UPLOAD_SESSIONS + 5; i++) forgetUploadSession(key({ binaryDataId: `id${i}` }));
		forgetUploadSession(key());
	});

	it('finds a session only under every part of its key', () => {
		const s = session();
		rememberUploadSession(key(), s);
		expect(findUploadSession(key())).toBe(s);
		for (const other of [
			{ binaryDataId: 'other' },
			{ size: 1001 },
			{ credentialType: 'xOAuth1Api' },
			{ credentialId: 'c2' },
			{ category: 'amplify_video' },
			{ mediaType: 'video/quicktime' },
			{ chunkBytes: 1024 * 1024 },
			{ additionalOwners: ['42'] },
			{ shared: true },
		]) {
			expect(findUploadSession(key(other))).toBeUndefined();
		}
		forgetUploadSession(key());
		expect(findUploadSession(key())).toBeUndefined();
	});

	it('drops a session X is about to expire', () => {
		const now = Date.now();
		rememberUploadSession(key(), session(now + EXPIRY_MARGIN_MS - 1), now);
		expect(findUploadSession(key(), now)).toBeUndefined();
		expect(findUploadSession(key(), now)).toBeUndefined();
	});

	it('stays bounded: the oldest session goes when the table is full', () => {
		const before = uploadSessionCount();
		for (let i = 0; i < MAX_UPLOAD_SESSIONS + 5; i++) rememberUploadSession(key({ binaryDataId: `id${i}` }), session());
		expect(uploadSessionCount()).toBe(MAX_UPLOAD_SESSIONS);
		expect(findUploadSession(key({ binaryDataId: 'id0' }))).toBeUndefined();
		expect(findUploadSession(key({ binaryDataId: `id${MAX_UPLOAD_SESSIONS + 4}` }))).toBeDefined();
		expect(before).toBeLessThanOrEqual(MAX_UPLOAD_SESSIONS);
	});
});
