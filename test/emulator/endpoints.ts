/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The emulated X endpoints. Each handler gets an authenticated request (auth, query and path
 * parameters already checked by server.ts) and returns the answer X would give.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { BodyReader, BodyTooLargeError } from './body';
import { FileCapture } from './fileCapture';
import { CATEGORIES, defaultCategoryFor, EXPIRES_AFTER_SECS, FAMILY_TYPES, maxDurationMs, MediaStore, MiB, PREMIUM_VIDEO_LIMIT, sizeLimit } from './mediaStore';
import { base64DecodingSink, boundaryFromContentType, bufferSink, MultipartError, parseMultipart, type PartSink } from './multipart';
import { duplicateContent, invalidRequest, replyToMissingPost, resourceNotFound, tweetTooLong, videoTooLongForUser, type ErrorResponse, type InvalidRequestError } from './problems';
import { validateRequestBody } from './schema';
import { testUsers } from './testCredentials';
import { MAX_POST_LENGTH, MAX_PREMIUM_POST_LENGTH, weightedLength } from './tweetText';
import type { AuthResult, DirectMessageRecord, MediaRecord, MultipartFieldInfo, PostRecord, RecordedRequest } from './types';

/** Largest media payload of one APPEND (8 MiB); larger is refused with 413 and an empty body. */
export const MAX_SEGMENT_BYTES = 8 * MiB;
/** Largest JSON body accepted (base64 one-shot uploads included); larger → 413. */
export const MAX_JSON_BYTES = 32 * MiB;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_ADDITIONAL_OWNERS = 100;

export interface HandlerResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface EmulatorCore {
	store: MediaStore;
	posts: PostRecord[];
	directMessages: DirectMessageRecord[];
	nextId(): string;
	isPremium(userId: string): boolean;
	/** What GET /2/users/me says of the user's account. */
	accountOf(userId: string): { subscription_type: string; verified_type: string };
}

/** X Premium / verified: the limits follow either (docs:/x-api/media/quickstart/best-practices). */
export function isPremiumAccount(account: { subscription_type: string; verified_type: string }): boolean {
	return account.subscription_type !== 'None' || account.verified_type !== 'none';
}

export interface RequestContext {
	req: IncomingMessage;
	rec: RecordedRequest;
	body: BodyReader;
	auth: AuthResult;
	/** Undefined only for app-only tokens (allowed on media lookups). */
	userId?: string;
	query: Record<string, string[]>;
	pathParams: Record<string, string>;
	core: EmulatorCore;
}

const fromError = (e: ErrorResponse): HandlerResult => ({ status: e.status, body: e.body });
const bad = (errors: InvalidRequestError[] | InvalidRequestError | string): HandlerResult => fromError(invalidRequest(errors));
const schemaErrors = (messages: string[]): HandlerResult => bad(messages.map((message) => ({ parameters: {}, message })));
const tooLarge = (): HandlerResult => ({ status: 413, body: '' });

function mediaType(req: IncomingMessage): string {
	return String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

/** Redacts base64 media from a JSON body before it is recorded. */
function redactMedia(body: unknown): unknown {
	if (body && typeof body === 'object' && !Array.isArray(body) && typeof (body as Record<string, unknown>).media === 'string') {
		const media = (body as Record<string, string>).media;
		return { ...(body as object), media: `<base64 ${media.length} chars>` };
	}
	return body;
}

type JsonOutcome = { ok: true; value: unknown } | { ok: false; res: HandlerResult };

async function readJson(ctx: RequestContext, limit = 1 * MiB): Promise<JsonOutcome> {
	if (mediaType(ctx.req) !== 'application/json') {
		await ctx.body.drain();
		return { ok: false, res: bad('Requests with bodies must have content-type of application/json.') };
	}
	let raw: Buffer;
	try {
		raw = await ctx.body.buffer(limit);
	} catch (e) {
		if (e instanceof BodyTooLargeError) return { ok: false, res: tooLarge() };
		throw e;
	}
	if (raw.length === 0) return { ok: false, res: bad('A request body is required.') };
	try {
		const value = JSON.parse(raw.toString('utf8'));
		ctx.rec.json = redactMedia(value);
		return { ok: true, value };
	} catch (e) {
		return { ok: false, res: bad(`Request body is not valid JSON: ${(e as Error).message}`) };
	}
}

/** Strict base64 in linear time (a single regexp over megabytes overflows V8's regexp stack). */
function decodeBase64(value: string): Buffer | undefined {
	const compact = value.replace(/[\r\n]/g, '');
	if (compact.length % 4 !== 0) return undefined;
	const pad = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
	for (let i = 0; i < compact.length - pad; i++) {
		const c = compact.charCodeAt(i);
		const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
		if (!ok) return undefined;
	}
	return Buffer.from(compact, 'base64');
}

interface MultipartOutcome {
	fields: Record<string, string>;
	capture?: FileCapture;
	error?: HandlerResult;
}

/** Parses a multipart body: the `media` part is streamed to disk (up to `mediaLimit`), other fields kept as text. */
async function readMultipart(ctx: RequestContext, mediaLimit: number, inMemory = false): Promise<MultipartOutcome> {
	const boundary = boundaryFromContentType(String(ctx.req.headers['content-type']));
	const out: MultipartOutcome = { fields: {} };
	if (!boundary) {
		await ctx.body.drain();
		out.error = bad('multipart/form-data requests need a boundary parameter in Content-Type.');
		return out;
	}
	const infos: MultipartFieldInfo[] = [];
	ctx.rec.multipart = infos;
	const seen = new Set<string>();
	let failure: string | undefined;
	const it = ctx.body.chunks();
	try {
		await parseMultipart(it, boundary, (part) => {
			const info: MultipartFieldInfo = { name: part.name, filename: part.filename, contentType: part.contentType, size: 0 };
			infos.push(info);
			if (seen.has(part.name)) throw new MultipartError(`duplicate form field ${part.name}`);
			seen.add(part.name);
			let inner: PartSink;
			if (part.name === 'media') {
				out.capture = new FileCapture(ctx.core.store.tmpDir, mediaLimit, inMemory);
				inner = out.capture;
			} else {
				inner = bufferSink(MAX_FIELD_BYTES, (data) => {
					const text = data.toString('utf8');
					out.fields[part.name] = text;
					if (text.length <= 1024) info.value = text;
				});
			}
			const encoding = (part.headers['content-transfer-encoding'] ?? '').toLowerCase();
			const decoded = encoding === 'base64' ? base64DecodingSink(inner) : inner;
			return {
				write(chunk: Buffer) {
					info.size += chunk.length;
					return decoded.write(chunk);
				},
				end: () => decoded.end(),
			};
		});
	} catch (e) {
		if (!(e instanceof MultipartError)) throw e;
		failure = e.message;
	}
	// Whatever happened, consume the rest of the body so the client gets a clean answer.
	for await (const _ of it) void _;
	if (failure) {
		await out.capture?.discard();
		out.capture = undefined;
		out.error = bad(`Malformed multipart/form-data body: ${failure}`);
	}
	return out;
}

/** Multipart form fields arrive as strings; bind them to the schema's scalar types as X's form binding does. */
function bindFormField(value: string, type: string | undefined): unknown {
	if (type === 'integer' && /^-?[0-9]+$/.test(value.trim())) return Number(value.trim());
	if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
	return value;
}

function canUse(rec: MediaRecord, userId: string): boolean {
	return rec.owner === userId || rec.additional_owners.includes(userId);
}

function invalidMediaId(name: string, id: string, why = 'is invalid or has expired'): HandlerResult {
	return bad({ parameters: { [name]: [id] }, message: `Media id ${id} ${why}.` });
}

// ---------------------------------------------------------------------------------------------
// POST /2/media/upload/initialize

export async function initialize(ctx: RequestContext): Promise<HandlerResult> {
	const json = await readJson(ctx);
	if (!json.ok) return json.res;
	const errors = validateRequestBody('/2/media/upload/initialize', 'post', json.value);
	if (errors.length) return schemaErrors(errors);
	const b = json.value as { media_type?: string; total_bytes?: number; media_category?: string; additional_owners?: string[]; shared?: boolean };
	// The spec marks nothing as required, but an upload without type and size cannot be processed.
	const missing: string[] = [];
	if (b.media_type === undefined) missing.push('$.media_type: is missing but it is required');
	if (b.total_bytes === undefined) missing.push('$.total_bytes: is missing but it is required');
	if (missing.length) return schemaErrors(missing);
	const type = b.media_type!;
	const category = b.media_category ?? defaultCategoryFor(type);
	if (!category) return bad({ parameters: { media_type: [type] }, message: `media_type ${type} is not supported for upload.` });
	const info = CATEGORIES[category];
	if (!FAMILY_TYPES[info.family].includes(type)) {
		return bad({ parameters: { media_type: [type], media_category: [category] }, message: `media_type ${type} is not valid for media_category ${category}.` });
	}
	const limit = sizeLimit(category, ctx.core.isPremium(ctx.userId!));
	if (b.total_bytes! > limit) {
		return bad({
			parameters: { total_bytes: [String(b.total_bytes)] },
			message: `total_bytes ${b.total_bytes} exceeds the ${limit} byte limit for media_category ${category}.`,
		});
	}
	const owners = b.additional_owners ?? [];
	if (owners.length > MAX_ADDITIONAL_OWNERS) return bad({ parameters: { additional_owners: owners }, message: `At most ${MAX_ADDITIONAL_OWNERS} additional_owners are allowed.` });
	const rec = ctx.core.store.create({
		owner: ctx.userId!,
		category,
		requestedCategory: b.media_category,
		mediaType: type,
		totalBytes: b.total_bytes,
		additionalOwners: owners,
		shared: b.shared ?? false,
		method: 'chunked',
	});
	ctx.rec.mediaId = rec.id;
	return { status: 200, body: { data: { id: rec.id, media_key: rec.media_key, expires_after_secs: EXPIRES_AFTER_SECS } } };
}

// ---------------------------------------------------------------------------------------------
// POST /2/media/upload/{id}/append

function sessionProblem(ctx: RequestContext, id: string): HandlerResult | undefined {
	const rec = ctx.core.store.get(id);
	if (!rec || rec.owner !== ctx.userId) return invalidMediaId('id', id);
	if (ctx.core.store.isExpired(rec)) return invalidMediaId('id', id);
	if (rec.upload_method !== 'chunked') return invalidMediaId('id', id, 'was not created by initialize');
	return undefined;
}

export async function append(ctx: RequestContext): Promise<HandlerResult> {
	const id = ctx.pathParams.id;
	ctx.rec.mediaId = id;
	const problem = sessionProblem(ctx, id);
	if (problem) {
		await ctx.body.drain();
		return problem;
	}
	const store = ctx.core.store;
	if (store.get(id)!.state !== 'initialized') {
		await ctx.body.drain();
		return invalidMediaId('id', id, 'has already been finalized');
	}
	store.appendStarted(id);
	try {
		const ct = mediaType(ctx.req);
		let capture: FileCapture | undefined;
		let segmentIndex: unknown;
		if (ct === 'multipart/form-data') {
			const mp = await readMultipart(ctx, MAX_SEGMENT_BYTES, store.sink);
			if (mp.error) return mp.error;
			capture = mp.capture;
			if (capture?.tooLarge) {
				await capture.discard();
				return tooLarge();
			}
			const bound: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(mp.fields)) bound[k] = k === 'segment_index' ? bindFormField(v, 'integer') : v;
			if (capture) bound.media = '<binary>';
			const errors = validateRequestBody('/2/media/upload/{id}/append', 'post', bound, 'multipart/form-data');
			if (errors.length) {
				await capture?.discard();
				return schemaErrors(errors);
			}
			segmentIndex = bound.segment_index;
		} else if (ct === 'application/json') {
			const json = await readJson(ctx, Math.ceil((MAX_SEGMENT_BYTES * 4) / 3) + 64 * 1024);
			if (!json.ok) return json.res;
			const errors = validateRequestBody('/2/media/upload/{id}/append', 'post', json.value);
			if (errors.length) return schemaErrors(errors);
			const b = json.value as { media: string; segment_index: number };
			const bytes = decodeBase64(b.media);
			if (!bytes) return schemaErrors(['$.media: is not a valid base64 string']);
			if (bytes.length > MAX_SEGMENT_BYTES) return tooLarge();
			capture = new FileCapture(store.tmpDir, undefined, store.sink);
			await capture.write(bytes);
			await capture.end();
			segmentIndex = b.segment_index;
		} else {
			await ctx.body.drain();
			return bad('Requests with bodies must have content-type of multipart/form-data or application/json.');
		}
		await capture!.end();
		const rec = store.get(id);
		if (!rec || rec.state !== 'initialized') {
			await capture!.discard();
			return invalidMediaId('id', id, 'has already been finalized');
		}
		ctx.rec.segmentIndex = segmentIndex as number;
		await store.commitSegment(id, segmentIndex as number, capture!);
		return { status: 200, body: { data: { expires_at: Math.floor(rec.expiresAt / 1000) } } };
	} finally {
		store.appendEnded(id);
	}
}

// ---------------------------------------------------------------------------------------------
// POST /2/media/upload/{id}/finalize

export async function finalize(ctx: RequestContext): Promise<HandlerResult> {
	await ctx.body.drain(); // the spec defines no body; whatever is sent is ignored (and recorded by size)
	const id = ctx.pathParams.id;
	ctx.rec.mediaId = id;
	const problem = sessionProblem(ctx, id);
	if (problem) return problem;
	const store = ctx.core.store;
	const rec = store.get(id)!;
	if (rec.state === 'invalid') return invalidMediaId('id', id, 'was refused: media type unrecognized');
	if (rec.state === 'finalized') return { status: 200, body: { data: store.uploadData(rec) } }; // idempotent
	const outcome = await store.finalizeChunked(id, ctx.core.isPremium(ctx.userId!));
	if (!outcome.ok) return bad({ parameters: { id: [id] }, message: outcome.message });
	return { status: 200, body: { data: store.uploadData(outcome.value) } };
}

// ---------------------------------------------------------------------------------------------
// GET /2/media/upload?command=STATUS&media_id=

export async function status(ctx: RequestContext): Promise<HandlerResult> {
	await ctx.body.drain();
	const id = ctx.query.media_id[0];
	ctx.rec.mediaId = id;
	const store = ctx.core.store;
	const rec = store.get(id);
	if (!rec || !canUse(rec, ctx.userId!) || store.isExpired(rec) || rec.state === 'invalid') return invalidMediaId('media_id', id);
	if (rec.state !== 'finalized') return invalidMediaId('media_id', id, 'has not been finalized');
	const { early } = store.statusCall(id);
	ctx.rec.early = early;
	return { status: 200, body: { data: store.uploadData(rec) } };
}

// ---------------------------------------------------------------------------------------------
// POST /2/media/upload (one-shot)

export async function upload(ctx: RequestContext): Promise<HandlerResult> {
	const store = ctx.core.store;
	const premium = ctx.core.isPremium(ctx.userId!);
	const maxAny = premium ? PREMIUM_VIDEO_LIMIT : sizeLimit('tweet_video', false);
	const ct = mediaType(ctx.req);
	let capture: FileCapture | undefined;
	let fields: Record<string, unknown>;
	if (ct === 'multipart/form-data') {
		const mp = await readMultipart(ctx, maxAny);
		if (mp.error) return mp.error;
		capture = mp.capture;
		fields = { ...mp.fields };
		if (capture) fields.media = '<binary>';
		const errors = validateRequestBody('/2/media/upload', 'post', fields, 'multipart/form-data');
		if (errors.length) {
			await capture?.discard();
			return schemaErrors(errors);
		}
		if (capture!.tooLarge) {
			await capture!.discard();
			return bad({ parameters: {}, message: `File size exceeds ${maxAny} bytes.` });
		}
	} else if (ct === 'application/json') {
		const json = await readJson(ctx, MAX_JSON_BYTES);
		if (!json.ok) return json.res;
		const errors = validateRequestBody('/2/media/upload', 'post', json.value);
		if (errors.length) return schemaErrors(errors);
		fields = json.value as Record<string, unknown>;
		const bytes = decodeBase64(fields.media as string);
		if (!bytes) return schemaErrors(['$.media: is not a valid base64 string']);
		capture = new FileCapture(store.tmpDir);
		await capture.write(bytes);
		await capture.end();
	} else {
		await ctx.body.drain();
		return bad('Requests with bodies must have content-type of multipart/form-data or application/json.');
	}
	if (!capture) return schemaErrors(['$.media: is missing but it is required']);
	await capture.end();

	const category = fields.media_category as string;
	const owners = typeof fields.additional_owners === 'string' && fields.additional_owners !== '' ? (fields.additional_owners as string).split(',').map((s) => s.trim()) : [];
	const badOwner = owners.find((o) => !/^[0-9]{1,19}$/.test(o));
	if (badOwner !== undefined || owners.length > MAX_ADDITIONAL_OWNERS) {
		await capture.discard();
		return bad({ parameters: { additional_owners: [String(fields.additional_owners)] }, message: 'additional_owners must be a comma-separated list of at most 100 user ids.' });
	}
	const limit = sizeLimit(category, premium);
	if (capture.size > limit) {
		await capture.discard();
		return bad({ parameters: { media: [`${capture.size} bytes`] }, message: `File size exceeds ${limit} bytes for media_category ${category}.` });
	}
	if (capture.size === 0) {
		await capture.discard();
		return schemaErrors(['$.media: must not be empty']);
	}
	const rec = store.create({
		owner: ctx.userId!,
		category,
		requestedCategory: category,
		additionalOwners: owners,
		shared: false,
		method: 'simple',
	});
	ctx.rec.mediaId = rec.id;
	const outcome = await store.finalizeSimple(rec, capture, premium);
	if (!outcome.ok) {
		store.remove(rec.id);
		return bad({ parameters: { media_category: [category] }, message: outcome.message });
	}
	return { status: 200, body: { data: store.uploadData(rec) } };
}

// ---------------------------------------------------------------------------------------------
// POST /2/media/metadata

export async function metadata(ctx: RequestContext): Promise<HandlerResult> {
	const json = await readJson(ctx);
	if (!json.ok) return json.res;
	const errors = validateRequestBody('/2/media/metadata', 'post', json.value);
	if (errors.length) return schemaErrors(errors);
	const b = json.value as { id: string; metadata?: Record<string, unknown> };
	ctx.rec.mediaId = b.id;
	const store = ctx.core.store;
	const rec = store.get(b.id);
	if (!rec || !canUse(rec, ctx.userId!) || store.isExpired(rec) || rec.state !== 'finalized') return invalidMediaId('id', b.id);
	if (CATEGORIES[rec.category].family === 'subtitles') return invalidMediaId('id', b.id, 'is a subtitles file and takes no metadata');
	const md = b.metadata ?? {};
	const alt = (md.alt_text as { text?: string } | undefined)?.text;
	if (alt !== undefined) rec.alt_text = alt;
	rec.metadata = { ...(rec.metadata ?? {}), ...md };
	return { status: 200, body: { data: { id: rec.id, associated_metadata: md } } };
}

// ---------------------------------------------------------------------------------------------
// POST and DELETE /2/media/subtitles

const SUBTITLE_TARGET: Record<string, string[]> = { TweetVideo: ['tweet_video', 'dm_video'], AmplifyVideo: ['amplify_video'] };

export async function subtitles(ctx: RequestContext): Promise<HandlerResult> {
	const json = await readJson(ctx);
	if (!json.ok) return json.res;
	const del = ctx.req.method === 'DELETE';
	const errors = validateRequestBody('/2/media/subtitles', del ? 'delete' : 'post', json.value);
	if (errors.length) return schemaErrors(errors);
	const store = ctx.core.store;
	if (del) {
		const b = json.value as { id: string; language_code: string; media_category: string };
		ctx.rec.mediaId = b.id;
		const video = store.get(b.id);
		if (!video || video.owner !== ctx.userId || video.state !== 'finalized') return invalidMediaId('id', b.id);
		if (!SUBTITLE_TARGET[b.media_category]?.includes(video.category)) {
			return bad({ parameters: { media_category: [b.media_category] }, message: `media_category ${b.media_category} does not match media ${b.id}.` });
		}
		const before = video.subtitles.length;
		video.subtitles = video.subtitles.filter((s) => s.language_code !== b.language_code);
		return { status: 200, body: { data: { deleted: video.subtitles.length < before } } };
	}
	const b = json.value as { id?: string; media_category?: string; subtitles?: { id?: string; language_code?: string; display_name?: string } };
	const missing: string[] = [];
	if (b.id === undefined) missing.push('$.id: is missing but it is required');
	if (b.media_category === undefined) missing.push('$.media_category: is missing but it is required');
	if (b.subtitles === undefined) missing.push('$.subtitles: is missing but it is required');
	else {
		if (b.subtitles.id === undefined) missing.push('$.subtitles.id: is missing but it is required');
		if (b.subtitles.language_code === undefined) missing.push('$.subtitles.language_code: is missing but it is required');
	}
	if (missing.length) return schemaErrors(missing);
	ctx.rec.mediaId = b.id;
	const video = store.get(b.id!);
	if (!video || video.owner !== ctx.userId || store.isExpired(video) || video.state !== 'finalized') return invalidMediaId('id', b.id!);
	if (!store.isReady(video)) return invalidMediaId('id', b.id!, 'has not finished processing');
	if (!SUBTITLE_TARGET[b.media_category!].includes(video.category)) {
		return bad({ parameters: { media_category: [b.media_category!] }, message: `media_category ${b.media_category} does not match media ${b.id} (${video.category}).` });
	}
	const sub = store.get(b.subtitles!.id!);
	if (!sub || sub.owner !== ctx.userId || store.isExpired(sub) || sub.state !== 'finalized' || sub.category !== 'subtitles') {
		return invalidMediaId('subtitles.id', b.subtitles!.id!);
	}
	const entry = { id: sub.id, language_code: b.subtitles!.language_code!, display_name: b.subtitles!.display_name };
	video.subtitles = video.subtitles.filter((s) => s.language_code !== entry.language_code).concat(entry);
	return {
		status: 200,
		body: { data: { id: video.id, media_category: b.media_category, associated_subtitles: { subtitles: video.subtitles.map((s) => ({ ...s })) } } },
	};
}

// ---------------------------------------------------------------------------------------------
// POST /2/tweets

const POSTABLE = ['tweet_image', 'tweet_gif', 'tweet_video', 'amplify_video'];

export async function tweets(ctx: RequestContext): Promise<HandlerResult> {
	const json = await readJson(ctx);
	if (!json.ok) return json.res;
	const errors = validateRequestBody('/2/tweets', 'post', json.value);
	if (errors.length) return schemaErrors(errors);
	const b = json.value as {
		text?: string;
		media?: { media_ids: string[]; tagged_user_ids?: string[] };
		poll?: unknown;
		quote_tweet_id?: string;
		card_uri?: string;
		direct_message_deep_link?: string;
		reply?: { in_reply_to_tweet_id: string };
	};
	const text = b.text ?? '';
	const userId = ctx.userId!;
	const exclusive = (['media', 'poll', 'quote_tweet_id', 'card_uri'] as const).filter((k) => b[k] !== undefined);
	if (exclusive.length > 1) {
		return bad({ parameters: {}, message: `Only one of media, poll, quote_tweet_id and card_uri may be given (got ${exclusive.join(', ')}).` });
	}
	if (b.card_uri !== undefined && b.direct_message_deep_link !== undefined) {
		return bad({ parameters: {}, message: 'card_uri and direct_message_deep_link cannot be combined.' });
	}
	if (text.trim() === '' && !b.media && !b.poll && !b.quote_tweet_id && !b.card_uri) {
		return bad({ parameters: { text: [text] }, message: 'Post text is required unless media is provided.' });
	}
	const maxLen = ctx.core.isPremium(userId) ? MAX_PREMIUM_POST_LENGTH : MAX_POST_LENGTH;
	if (weightedLength(text) > maxLen) return fromError(tweetTooLong());

	const mediaIds = b.media?.media_ids ?? [];
	if (b.media) {
		const invalid = bad({ parameters: { 'media.media_ids': mediaIds }, message: 'Your media IDs are invalid.' });
		if (new Set(mediaIds).size !== mediaIds.length) return invalid;
		const store = ctx.core.store;
		const recs: MediaRecord[] = [];
		for (const id of mediaIds) {
			const rec = store.get(id);
			if (!rec || !canUse(rec, userId) || store.isExpired(rec) || !store.isReady(rec) || !POSTABLE.includes(rec.category)) return invalid;
			recs.push(rec);
		}
		// 1–4 photos, or exactly one GIF, or exactly one video.
		const single = recs.some((r) => CATEGORIES[r.category].family !== 'image');
		if (single && recs.length > 1) return invalid;
		// "Upload limits and Post-create limits are separately enforced" (docs: best practices): the
		// poster's video duration limit (20 min, Premium / verified 125 min), after a good finalize.
		const limitMs = maxDurationMs('tweet_video', ctx.core.isPremium(userId)) as number;
		const long = recs.find((r) => r.known_duration_ms !== undefined && r.known_duration_ms > limitMs);
		if (long) return fromError(videoTooLongForUser(limitMs / 60_000));
	}
	// A reply needs a post to reply to; X refuses a text this account already posted.
	const replyTo = b.reply?.in_reply_to_tweet_id;
	const parent = replyTo === undefined ? undefined : ctx.core.posts.find((p) => p.id === replyTo);
	if (replyTo !== undefined && !parent) return fromError(replyToMissingPost());
	if (text.trim() !== '' && ctx.core.posts.some((p) => p.author_id === userId && p.text === text)) return fromError(duplicateContent());
	const id = ctx.core.nextId();
	const link = b.media ? `https://t.co/${randomBytes(8).toString('base64url').slice(0, 10)}` : '';
	const returned = link ? (text ? `${text} ${link}` : link) : text;
	ctx.core.posts.push({
		id,
		author_id: userId,
		text,
		returned_text: returned,
		media_ids: [...mediaIds],
		tagged_user_ids: b.media?.tagged_user_ids ?? [],
		...(replyTo !== undefined ? { in_reply_to_tweet_id: replyTo } : {}),
		conversation_id: parent ? parent.conversation_id : id,
		body: json.value as Record<string, unknown>,
		auth_scheme: ctx.auth.scheme,
		createdAt: Date.now(),
	});
	return { status: 201, body: { data: { id, text: returned, edit_history_tweet_ids: [id] } } };
}

// ---------------------------------------------------------------------------------------------
// GET /2/users/me

export async function usersMe(ctx: RequestContext): Promise<HandlerResult> {
	await ctx.body.drain();
	const user = Object.values(testUsers).find((u) => u.id === ctx.userId)!;
	const fields = (ctx.query['user.fields']?.[0] ?? '').split(',').filter(Boolean);
	const data: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
	const extra: Record<string, unknown> = {
		created_at: '2025-01-15T09:30:00.000Z',
		description: 'Test account of the X API emulator',
		profile_image_url: `https://pbs.twimg.com/profile_images/${user.id}/avatar_normal.jpg`,
		protected: false,
		verified: ctx.core.accountOf(user.id).verified_type !== 'none',
		verified_type: ctx.core.accountOf(user.id).verified_type,
		subscription_type: ctx.core.accountOf(user.id).subscription_type,
		public_metrics: { followers_count: 42, following_count: 7, tweet_count: ctx.core.posts.filter((p) => p.author_id === user.id).length, listed_count: 0, like_count: 0, media_count: 0 },
		url: '',
		location: '',
	};
	for (const f of fields) if (f in extra) data[f] = extra[f];
	return { status: 200, body: { data } };
}

// ---------------------------------------------------------------------------------------------
// GET /2/media/{media_key} and GET /2/media?media_keys=

function fakeName(rec: MediaRecord, salt: string): string {
	return createHash('sha256').update(salt + rec.id).digest('base64url').slice(0, 15);
}

export function mediaObject(rec: MediaRecord, fields: string[], viewerId: string | undefined): Record<string, unknown> {
	const family = CATEGORIES[rec.category].family;
	const type = family === 'video' ? 'video' : family === 'gif' ? 'animated_gif' : 'photo';
	const out: Record<string, unknown> = { media_key: rec.media_key, type };
	const want = (f: string) => fields.includes(f);
	if (want('width') && rec.width !== undefined) out.width = rec.width;
	if (want('height') && rec.height !== undefined) out.height = rec.height;
	if (want('duration_ms') && type === 'video') out.duration_ms = rec.duration_ms ?? 10000;
	if (want('alt_text') && rec.alt_text !== undefined) out.alt_text = rec.alt_text;
	if (want('url') && type === 'photo') {
		const ext = rec.detected_media_type === 'image/png' ? 'png' : rec.detected_media_type === 'image/webp' ? 'webp' : 'jpg';
		out.url = `https://pbs.twimg.com/media/${fakeName(rec, 'url')}.${ext}`;
	}
	if (want('preview_image_url') && type !== 'photo') {
		out.preview_image_url =
			type === 'video'
				? `https://pbs.twimg.com/ext_tw_video_thumb/${rec.id}/pu/img/${fakeName(rec, 'thumb')}.jpg`
				: `https://pbs.twimg.com/tweet_video_thumb/${fakeName(rec, 'gif')}.jpg`;
	}
	if (want('variants') && type !== 'photo') {
		if (type === 'video') {
			const w = rec.width ?? 1280;
			const h = rec.height ?? 720;
			out.variants = [
				{ content_type: 'application/x-mpegURL', url: `https://video.twimg.com/ext_tw_video/${rec.id}/pu/pl/${fakeName(rec, 'pl')}.m3u8?tag=12` },
				{ bit_rate: 256000, content_type: 'video/mp4', url: `https://video.twimg.com/ext_tw_video/${rec.id}/pu/vid/avc1/${Math.round(w / 2)}x${Math.round(h / 2)}/${fakeName(rec, 'lo')}.mp4?tag=12` },
				{ bit_rate: 2176000, content_type: 'video/mp4', url: `https://video.twimg.com/ext_tw_video/${rec.id}/pu/vid/avc1/${w}x${h}/${fakeName(rec, 'hi')}.mp4?tag=12` },
			];
		} else {
			out.variants = [{ bit_rate: 0, content_type: 'video/mp4', url: `https://video.twimg.com/tweet_video/${fakeName(rec, 'gif')}.mp4` }];
		}
	}
	if (want('public_metrics') && type === 'video') out.public_metrics = { view_count: 0 };
	const owner = viewerId !== undefined && rec.owner === viewerId;
	const zero = { playback_0_count: 0, playback_25_count: 0, playback_50_count: 0, playback_75_count: 0, playback_100_count: 0 };
	if (want('non_public_metrics') && type === 'video' && owner) out.non_public_metrics = { ...zero };
	if (want('organic_metrics') && type === 'video' && owner) out.organic_metrics = { ...zero, view_count: 0 };
	return out;
}

export async function mediaLookup(ctx: RequestContext): Promise<HandlerResult> {
	await ctx.body.drain();
	const store = ctx.core.store;
	const fields = (ctx.query['media.fields']?.[0] ?? '').split(',').filter(Boolean);
	const visible = (key: string) => {
		const rec = store.byKey(key);
		return rec && rec.state === 'finalized' && store.isReady(rec) && rec.category !== 'subtitles' ? rec : undefined;
	};
	if (ctx.pathParams.media_key !== undefined) {
		const key = ctx.pathParams.media_key;
		const rec = visible(key);
		if (!rec) return { status: 200, body: { errors: [resourceNotFound('media_key', key, 'media', 'media')] } };
		return { status: 200, body: { data: mediaObject(rec, fields, ctx.userId) } };
	}
	const keys = ctx.query.media_keys[0].split(',');
	const data: unknown[] = [];
	const errs: unknown[] = [];
	for (const key of keys) {
		const rec = visible(key);
		if (rec) data.push(mediaObject(rec, fields, ctx.userId));
		else errs.push(resourceNotFound('media_keys', key, 'media', 'media'));
	}
	const body: Record<string, unknown> = {};
	if (data.length) body.data = data;
	if (errs.length) body.errors = errs;
	return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// POST /2/dm_conversations/with/{participant_id}/messages and /2/dm_conversations/{dm_conversation_id}/messages

const DM_CATEGORIES = ['dm_image', 'dm_gif', 'dm_video'];
const CATEGORY_NAMES: Record<string, string> = {
	tweet_image: 'TweetImage',
	tweet_gif: 'TweetGif',
	tweet_video: 'TweetVideo',
	amplify_video: 'AmplifyVideo',
	subtitles: 'Subtitles',
};

/** A one-to-one conversation's id: both user ids, the smaller first (as X forms them). */
function oneToOneConversationId(a: string, b: string): string {
	return BigInt(a) < BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

export async function directMessage(ctx: RequestContext): Promise<HandlerResult> {
	const byParticipant = ctx.pathParams.participant_id !== undefined;
	const specPath = byParticipant ? '/2/dm_conversations/with/{participant_id}/messages' : '/2/dm_conversations/{dm_conversation_id}/messages';
	const json = await readJson(ctx);
	if (!json.ok) return json.res;
	const errors = validateRequestBody(specPath, 'post', json.value);
	if (errors.length) return schemaErrors(errors);
	const sender = ctx.userId!;
	const b = json.value as { text?: string; attachments?: Array<{ media_id: string }> };
	const knownUser = (id: string) => Object.values(testUsers).some((u) => u.id === id);

	let conversationId: string;
	let participantId: string | undefined;
	if (byParticipant) {
		participantId = ctx.pathParams.participant_id;
		if (participantId === sender) {
			return bad({ parameters: { participant_id: [participantId] }, message: 'You cannot send a Direct Message to yourself.' });
		}
		if (!knownUser(participantId)) {
			return bad({ parameters: { participant_id: [participantId] }, message: `Could not find user with participant_id: [${participantId}].` });
		}
		conversationId = oneToOneConversationId(sender, participantId);
	} else {
		conversationId = ctx.pathParams.dm_conversation_id;
		const members = /^([0-9]{1,19})-([0-9]{1,19})$/.exec(conversationId);
		const joined = ctx.core.directMessages.some((m) => m.dm_conversation_id === conversationId && (m.sender_id === sender || m.participant_id === sender));
		const ownOneToOne = members !== null && (members[1] === sender || members[2] === sender) && knownUser(members[1]) && knownUser(members[2]) && members[1] !== members[2];
		if (!joined && !ownOneToOne) {
			return bad({ parameters: { dm_conversation_id: [conversationId] }, message: `Could not find a conversation with dm_conversation_id: [${conversationId}] that you are a participant of.` });
		}
		if (members) participantId = members[1] === sender ? members[2] : members[1];
	}

	const attachments = b.attachments ?? [];
	if (attachments.length > 1) {
		return bad({ parameters: { attachments: attachments.map((a) => a.media_id) }, message: 'A Direct Message can have at most 1 attachment.' });
	}
	const store = ctx.core.store;
	const used: MediaRecord[] = [];
	for (const { media_id: id } of attachments) {
		const rec = store.get(id);
		const invalid = (why: string) => bad({ parameters: { 'attachments.media_id': [id] }, message: `Media id ${id} ${why}.` });
		// DM media is usable by the user who uploaded it only.
		if (!rec || rec.owner !== sender || store.isExpired(rec) || rec.state !== 'finalized') return invalid('is invalid or has expired');
		if (!DM_CATEGORIES.includes(rec.category)) {
			return bad({ parameters: { 'attachments.media_id': [id] }, message: `Invalid Media ID of category ${CATEGORY_NAMES[rec.category] ?? rec.category}: Direct Messages take dm_image, dm_gif or dm_video media.` });
		}
		if (!store.isReady(rec)) return invalid('has not finished processing');
		if (!rec.shared && (rec.dm_event_ids ?? []).length > 0) return invalid('was already sent in a Direct Message and is not shared');
		used.push(rec);
	}
	const eventId = ctx.core.nextId();
	for (const rec of used) rec.dm_event_ids = [...(rec.dm_event_ids ?? []), eventId];
	ctx.core.directMessages.push({
		dm_event_id: eventId,
		dm_conversation_id: conversationId,
		sender_id: sender,
		participant_id: participantId,
		text: b.text,
		media_ids: attachments.map((a) => a.media_id),
		body: json.value as Record<string, unknown>,
		auth_scheme: ctx.auth.scheme,
		createdAt: Date.now(),
	});
	return { status: 201, body: { data: { dm_conversation_id: conversationId, dm_event_id: eventId } } };
}
