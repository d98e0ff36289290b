/**
 * Chunked upload sessions that X still holds, so that when n8n runs the node again (the node
 * setting Retry On Fail) after an upload failed part-way, the upload goes on where it stopped: the
 * same media id, no second INITIALIZE, no segment X acknowledged sent again.
 *
 * A small, bounded table in this process (a retry runs on the same worker; a restarted process
 * starts over). An entry is keyed by everything that makes continuing safe: the binary data's id
 * in n8n's storage (for media from a URL: its host, path and validator, never its query) and its size, the credential (its type and n8n's id for it, never its secrets),
 * the media category and type, the planned chunk size, and what INITIALIZE was told about owners.
 * It is dropped when the upload finalizes, when X's session expires, or when the table is full
 * (oldest first).
 */

import type { PreparedUpload, UploadSettings } from './types';

/** Most sessions kept at once; each entry is a few hundred bytes (one flag per segment, ≤ 1000). */
export const MAX_UPLOAD_SESSIONS = 64;

/** A session this close to X's expiry is not continued: a fresh upload is safer. */
export const EXPIRY_MARGIN_MS = 60_000;

export interface UploadSessionKey {
	/** The source's `resumeId`: the binary data's id, or a URL's host, path, size and validator. */
	binaryDataId: string;
	size: number;
	credentialType: string;
	credentialId: string;
	category: string;
	mediaType: string;
	chunkBytes: number;
	additionalOwners: string[];
	shared: boolean;
}

interface UploadSession {
	mediaId: string;
	/** The segment size the session's APPENDs use (smaller than planned after a 413 restart). */
	chunkBytes: number;
	/** One flag per segment: 1 once X acknowledged it. */
	acknowledged: Uint8Array;
	/** When X drops the session (epoch ms), from `expires_after_secs`/`expires_at`. */
	expiresAtMs: number;
	/** How long INITIALIZE took (ms): the round trip the APPEND window adapts from. */
	roundTripMs?: number;
}

/** What identifies an upload for continuing it on a retry; undefined when it cannot be continued. */
export function uploadSessionKey(
	{ source, plan }: PreparedUpload,
	credential: { type: string; id: string | null | undefined },
	settings: UploadSettings,
): UploadSessionKey | undefined {
	const id = source.resumeId ?? source.binaryDataId;
	if (!id || !credential.id) return undefined;
	return {
		binaryDataId: id,
		size: source.size,
		credentialType: credential.type,
		credentialId: credential.id,
		category: plan.category,
		mediaType: plan.mediaType,
		chunkBytes: plan.chunkBytes,
		additionalOwners: settings.additionalOwners,
		shared: settings.shared === true,
	};
}

function httpStatusOf(error: unknown): number | undefined {
	const code = Number((error as { httpCode?: unknown } | undefined)?.httpCode);
	return Number.isInteger(code) ? code : undefined;
}

/** X answered that the media id is unknown or unusable. */
export function isGoneSession(error: unknown): boolean {
	const status = httpStatusOf(error);
	return status === 400 || status === 404;
}

/** A 4xx other than a rate limit: X will not take this session as it is. */
export function isRefusal(error: unknown): boolean {
	const status = httpStatusOf(error);
	return status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 401;
}

const sessions = new Map<string, UploadSession>();

function keyText(key: UploadSessionKey): string {
	return JSON.stringify([
		key.binaryDataId,
		key.size,
		key.credentialType,
		key.credentialId,
		key.category,
		key.mediaType,
		key.chunkBytes,
		key.additionalOwners,
		key.shared,
	]);
}

/** The session to continue for this upload, if X still holds one (expired entries are dropped). */
export function findUploadSession(key: UploadSessionKey, now = Date.now()): UploadSession | undefined {
	const text = keyText(key);
	const session = sessions.get(text);
	if (!session) return undefined;
	if (session.expiresAtMs - now < EXPIRY_MARGIN_MS) {
		sessions.delete(text);
		return undefined;
	}
	return session;
}

/** Keeps a session (replacing any for the same key); the oldest goes when the table is full. */
export function rememberUploadSession(key: UploadSessionKey, session: UploadSession, now = Date.now()): void {
	const text = keyText(key);
	sessions.delete(text);
	for (const [k, s] of sessions) if (s.expiresAtMs <= now) sessions.delete(k);
	while (sessions.size >= MAX_UPLOAD_SESSIONS) {
		const oldest = sessions.keys().next().value;
		if (oldest === undefined) break;
		sessions.delete(oldest);
	}
	sessions.set(text, session);
}

export function forgetUploadSession(key: UploadSessionKey): void {
	sessions.delete(keyText(key));
}

/** How many sessions are kept (for tests). */
export function uploadSessionCount(): number {
	return sessions.size;
}
