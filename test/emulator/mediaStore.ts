/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Media sessions: categories and limits, segments on disk, finalize (reassembly + sha256 + sniffing),
 * and the processing simulation behind STATUS.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, promises as fsp, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import * as path from 'node:path';

import type { FileCapture } from './fileCapture';
import { probeIsoVideo, processingFailure } from './probe';
import { sniffMedia, type SniffResult } from './sniff';
import type { MediaRecord, ProcessingError, ProcessingSpec, ProcessingState } from './types';

export const EXPIRES_AFTER_SECS = 86400;

export type Family = 'image' | 'gif' | 'video' | 'subtitles';

export interface CategoryInfo {
	family: Family;
	/** media_key prefix */
	keyPrefix: string;
	/** Finalize answers with processing_info and STATUS must be polled. */
	async: boolean;
	/** Max bytes for a standard account. */
	limit: number;
	/** Max bytes for an X Premium / verified account. */
	premiumLimit: number;
	/** Video: longest a standard account's video may play (ms), and a Premium one's. */
	maxDurationMs?: number;
	premiumMaxDurationMs?: number;
}

export const MiB = 1024 * 1024;

const GiB = 1024 * MiB;
const POST_VIDEO = { family: 'video', async: true, limit: 8 * GiB, premiumLimit: 16 * GiB, maxDurationMs: 20 * 60_000, premiumMaxDurationMs: 125 * 60_000 } as const;
const DM_VIDEO = { family: 'video', async: true, limit: 512 * MiB, premiumLimit: 1 * GiB, maxDurationMs: 140_000, premiumMaxDurationMs: 10 * 60_000 } as const;

/**
 * X's limits per account tier, September 2026 (docs:/x-api/media/quickstart/best-practices, "Size and
 * duration limits"): image 5 MB, GIF 15 MB, post video 0.5 s–20 min and 8 GB (Premium / verified
 * 125 min, 16 GB), DM video 0.5–140 s and 512 MB (10 min, 1 GB), subtitles 1 MB. Kept apart from the
 * node's table on purpose: the emulator is the node's independent counterpart.
 */
export const CATEGORIES: Record<string, CategoryInfo> = {
	tweet_image: { family: 'image', keyPrefix: '3', async: false, limit: 5 * MiB, premiumLimit: 5 * MiB },
	dm_image: { family: 'image', keyPrefix: '3', async: false, limit: 5 * MiB, premiumLimit: 5 * MiB },
	tweet_gif: { family: 'gif', keyPrefix: '16', async: true, limit: 15 * MiB, premiumLimit: 15 * MiB },
	dm_gif: { family: 'gif', keyPrefix: '16', async: true, limit: 15 * MiB, premiumLimit: 15 * MiB },
	tweet_video: { ...POST_VIDEO, keyPrefix: '7' },
	dm_video: { ...DM_VIDEO, keyPrefix: '7' },
	amplify_video: { ...POST_VIDEO, keyPrefix: '13' },
	subtitles: { family: 'subtitles', keyPrefix: '9', async: false, limit: 1 * MiB, premiumLimit: 1 * MiB },
};

/** initialize's `total_bytes` maximum (spec 2.167, 16 GiB): the largest file of any account. */
export const PREMIUM_VIDEO_LIMIT = 17179869184;

export const VIDEO_MIN_SECS = 0.5;

/** The longest video `category` may carry for the account (ms); undefined for non-video categories. */
export function maxDurationMs(category: string, premium: boolean): number | undefined {
	const info = CATEGORIES[category];
	return premium ? info?.premiumMaxDurationMs : info?.maxDurationMs;
}

export const FAMILY_TYPES: Record<Family, string[]> = {
	image: ['image/jpeg', 'image/pjpeg', 'image/png', 'image/webp', 'image/bmp', 'image/tiff', 'image/gif'],
	gif: ['image/gif'],
	video: ['video/mp4', 'video/quicktime', 'video/webm', 'video/mp2t'],
	subtitles: ['text/srt', 'text/vtt'],
};

/** When media_category is omitted, X treats the media as post media according to its type. */
export function defaultCategoryFor(mediaType: string | undefined): string | undefined {
	if (!mediaType) return undefined;
	if (mediaType === 'image/gif') return 'tweet_gif';
	if (mediaType.startsWith('image/')) return 'tweet_image';
	if (mediaType.startsWith('video/')) return 'tweet_video';
	if (mediaType === 'text/srt' || mediaType === 'text/vtt') return 'subtitles';
	return undefined;
}

export function sizeLimit(category: string, premium: boolean): number {
	const info = CATEGORIES[category];
	return premium ? info.premiumLimit : info.limit;
}

function sameFamilyType(a: string, b: string): boolean {
	const norm = (t: string) => (t === 'image/pjpeg' ? 'image/jpeg' : t);
	return norm(a) === norm(b);
}

export interface ProcessingDefaults {
	checkAfterSecs: number;
	steps: number;
	enforceCheckAfter: boolean;
}

interface ProcessingRuntime {
	state: ProcessingState;
	progress: number;
	statusCalls: number;
	steps: number;
	checkAfterSecs: number;
	fail?: ProcessingError;
	stall: boolean;
	failInProgressWithError: boolean;
	/** Epoch ms of the last answer that carried check_after_secs. */
	lastAnsweredAt: number;
}

interface InternalMedia {
	record: MediaRecord;
	dir: string;
	processing?: ProcessingRuntime;
	/** Processing spec set for this id before it was finalized. */
	pendingSpec?: ProcessingSpec;
	finalizing: boolean;
	inFlightAppends: number;
	/** Sink mode: segments hashed in order so far, the running hash, what waits for its turn. */
	sink?: SinkState;
}

interface SinkState {
	next: number;
	hash: ReturnType<typeof createHash>;
	waiting: Map<number, FileCapture>;
	head: Buffer;
	tail: Buffer;
	/** A segment index sent again after it was hashed: its bytes can no longer replace the first ones. */
	resentAfterHashing?: number;
	/** The hash once taken (a retried finalize must not digest twice). */
	sha256?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; message: string; parameters?: Record<string, string[]> };

export class MediaStore {
	private media = new Map<string, InternalMedia>();
	private defaultSpec: ProcessingSpec = {};
	readonly tmpDir: string;
	/** Bench mode (EmulatorOptions.sink): chunked segments are hashed in order in memory, never stored. */
	sink = false;

	constructor(
		readonly root: string,
		private nextId: () => string,
		private defaults: () => ProcessingDefaults,
	) {
		this.tmpDir = path.join(root, 'tmp');
		mkdirSync(this.tmpDir, { recursive: true });
	}

	reset(): void {
		for (const m of this.media.values()) rmSync(m.dir, { recursive: true, force: true });
		this.media.clear();
		this.defaultSpec = {};
		rmSync(this.tmpDir, { recursive: true, force: true });
		mkdirSync(this.tmpDir, { recursive: true });
	}

	get(id: string): MediaRecord | undefined {
		return this.media.get(id)?.record;
	}

	all(): MediaRecord[] {
		return [...this.media.values()].map((m) => m.record);
	}

	byKey(mediaKey: string): MediaRecord | undefined {
		const m = /^([0-9]+)_([0-9]+)$/.exec(mediaKey);
		if (!m) return undefined;
		const rec = this.get(m[2]);
		return rec && rec.media_key === mediaKey ? rec : undefined;
	}

	setProcessing(spec: ProcessingSpec): void {
		if (!spec.mediaId) {
			this.defaultSpec = { ...spec };
			return;
		}
		const m = this.media.get(spec.mediaId);
		if (!m) {
			// Not created yet (or unknown): keep it for an id created later.
			this.pendingSpecs.set(spec.mediaId, spec);
			return;
		}
		if (m.processing) this.applySpec(m.processing, spec);
		else m.pendingSpec = { ...(m.pendingSpec ?? {}), ...spec };
	}

	private pendingSpecs = new Map<string, ProcessingSpec>();

	private applySpec(p: ProcessingRuntime, spec: ProcessingSpec): void {
		if (spec.fail !== undefined) p.fail = spec.fail;
		if (spec.stall !== undefined) p.stall = spec.stall;
		if (spec.checkAfterSecs !== undefined) p.checkAfterSecs = spec.checkAfterSecs;
		if (spec.steps !== undefined) p.steps = spec.steps;
		if (spec.failInProgressWithError !== undefined) p.failInProgressWithError = spec.failInProgressWithError;
		// A terminal state is final, unless the new spec asks for a different outcome of a not-yet-finished run.
	}

	/** Creates an upload session (initialize, or the record behind a one-shot upload). */
	create(init: {
		owner: string;
		category: string;
		requestedCategory?: string;
		mediaType?: string;
		totalBytes?: number;
		additionalOwners: string[];
		shared: boolean;
		method: 'simple' | 'chunked';
	}): MediaRecord {
		const id = this.nextId();
		const info = CATEGORIES[init.category];
		const now = Date.now();
		const dir = path.join(this.root, id);
		mkdirSync(path.join(dir, 'segments'), { recursive: true });
		const record: MediaRecord = {
			id,
			media_key: `${info.keyPrefix}_${id}`,
			category: init.category,
			requested_category: init.requestedCategory,
			media_type: init.mediaType,
			total_bytes: init.totalBytes,
			owner: init.owner,
			additional_owners: init.additionalOwners,
			shared: init.shared,
			upload_method: init.method,
			segments: [],
			segmentsReceived: 0,
			appendRequests: 0,
			state: 'initialized',
			subtitles: [],
			createdAt: now,
			expiresAt: now + EXPIRES_AFTER_SECS * 1000,
		};
		const internal: InternalMedia = { record, dir, finalizing: false, inFlightAppends: 0 };
		const pending = this.pendingSpecs.get(id);
		if (pending) {
			internal.pendingSpec = pending;
			this.pendingSpecs.delete(id);
		}
		this.media.set(id, internal);
		return record;
	}

	/** Marks the session expired now (test hook). */
	expire(id: string): boolean {
		const m = this.media.get(id);
		if (!m) return false;
		m.record.expiresAt = Date.now() - 1000;
		return true;
	}

	isExpired(rec: MediaRecord, now = Date.now()): boolean {
		return rec.expiresAt <= now;
	}

	/** Moves a received segment file into place; a retried index replaces the earlier bytes. */
	async commitSegment(id: string, index: number, capture: FileCapture): Promise<void> {
		const m = this.media.get(id)!;
		if (capture.inMemory) {
			this.sinkSegment(m, index, capture);
			return;
		}
		const target = path.join(m.dir, 'segments', String(index).padStart(3, '0'));
		await fsp.rename(capture.path, target);
		const existing = m.record.segments.findIndex((s) => s.index === index);
		if (existing !== -1) m.record.segments.splice(existing, 1);
		m.record.segments.push({ index, size: capture.size });
		m.record.segments.sort((a, b) => a.index - b.index);
		m.record.segmentsReceived++;
	}

	private sinkSegment(m: InternalMedia, index: number, capture: FileCapture): void {
		const sink: SinkState = (m.sink ??= { next: 0, hash: createHash('sha256'), waiting: new Map(), head: Buffer.alloc(0), tail: Buffer.alloc(0) });
		if (index < sink.next) sink.resentAfterHashing ??= index;
		else sink.waiting.set(index, capture);
		for (let c = sink.waiting.get(sink.next); c; c = sink.waiting.get(sink.next)) {
			sink.waiting.delete(sink.next);
			for (const chunk of c.chunks) sink.hash.update(chunk);
			if (sink.next === 0) sink.head = c.head;
			sink.tail = Buffer.concat([sink.tail, c.tail]).subarray(-MiB);
			c.chunks.length = 0;
			sink.next++;
		}
		const existing = m.record.segments.findIndex((s) => s.index === index);
		if (existing !== -1) m.record.segments.splice(existing, 1);
		m.record.segments.push({ index, size: capture.size });
		m.record.segments.sort((a, b) => a.index - b.index);
		m.record.segmentsReceived++;
	}

	appendStarted(id: string): number {
		const m = this.media.get(id);
		if (!m) return 0;
		m.record.appendRequests++;
		return ++m.inFlightAppends;
	}

	appendEnded(id: string): void {
		const m = this.media.get(id);
		if (m) m.inFlightAppends = Math.max(0, m.inFlightAppends - 1);
	}

	/** Chunked finalize: contiguity and size checks, reassembly, hashing, sniffing. */
	async finalizeChunked(id: string, premium: boolean): Promise<Outcome<MediaRecord>> {
		const m = this.media.get(id)!;
		const rec = m.record;
		if (m.finalizing) return { ok: false, status: 400, message: 'A finalize request for this media is already in progress.' };
		const segs = rec.segments;
		for (let i = 0; i < segs.length; i++) {
			if (segs[i].index !== i) {
				return { ok: false, status: 400, message: `Segments do not add up to provided total file size (segment ${i} is missing)` };
			}
		}
		const sum = segs.reduce((n, s) => n + s.size, 0);
		if (segs.length === 0 || sum !== rec.total_bytes) {
			return { ok: false, status: 400, message: 'Segments do not add up to provided total file size' };
		}
		if (m.sink) {
			const sink = m.sink;
			if (sink.resentAfterHashing !== undefined) {
				return { ok: false, status: 400, message: `emulator sink mode: segment ${sink.resentAfterHashing} was sent again after it was hashed` };
			}
			if (sink.next !== segs.length) return { ok: false, status: 400, message: 'emulator sink mode: segments not all hashed' };
			// A finalize that is retried must not digest twice.
			sink.sha256 ??= sink.hash.digest('hex');
			return this.completeFinalize(m, '', sum, sink.sha256, sink.head, sink.tail, premium);
		}
		m.finalizing = true;
		try {
			const finalPath = path.join(m.dir, 'media');
			const out = createWriteStream(finalPath);
			const hash = createHash('sha256');
			const headChunks: Buffer[] = [];
			let headSize = 0;
			let tail: Buffer = Buffer.alloc(0);
			for (const s of segs) {
				const segPath = path.join(m.dir, 'segments', String(s.index).padStart(3, '0'));
				for await (const chunk of createReadStream(segPath, { highWaterMark: 1024 * 1024 })) {
					const c = chunk as Buffer;
					hash.update(c);
					if (headSize < MiB) {
						const take = c.subarray(0, MiB - headSize);
						headChunks.push(Buffer.from(take));
						headSize += take.length;
					}
					tail = c.length >= MiB ? c.subarray(c.length - MiB) : Buffer.concat([tail, c]).subarray(-MiB);
					if (!out.write(c)) await once(out, 'drain');
				}
			}
			out.end();
			await finished(out);
			await fsp.rm(path.join(m.dir, 'segments'), { recursive: true, force: true });
			return this.completeFinalize(m, finalPath, sum, hash.digest('hex'), Buffer.concat(headChunks), Buffer.from(tail), premium);
		} finally {
			m.finalizing = false;
		}
	}

	/** One-shot upload: the file was captured already. */
	async finalizeSimple(rec: MediaRecord, capture: FileCapture, premium: boolean): Promise<Outcome<MediaRecord>> {
		const m = this.media.get(rec.id)!;
		const finalPath = path.join(m.dir, 'media');
		await fsp.rename(capture.path, finalPath);
		rec.total_bytes = capture.size;
		return this.completeFinalize(m, finalPath, capture.size, capture.sha256, capture.head, capture.tail, premium);
	}

	/**
	 * The longest video processing accepts, in seconds: a DM video, the account's limit (X checks no
	 * DM at post time that we know of); a post video, the longest any account may post (125 min):
	 * X enforces the account's own limit when the post is created ("Upload limits and Post-create
	 * limits are separately enforced").
	 */
	private processingMaxSecs(category: string, premium: boolean): number {
		const ms = category === 'dm_video' ? maxDurationMs(category, premium) : maxDurationMs(category, true);
		return (ms ?? 0) / 1000;
	}

	private completeFinalize(m: InternalMedia, finalPath: string, size: number, sha256: string, head: Buffer, tail: Buffer, premium: boolean): Outcome<MediaRecord> {
		const rec = m.record;
		const info = CATEGORIES[rec.category];
		const sniffed: SniffResult | undefined = sniffMedia(head, tail);
		rec.filePath = finalPath || undefined;
		rec.size = size;
		rec.sha256 = sha256;
		rec.detected_media_type = sniffed?.mime;
		rec.width = sniffed?.width;
		rec.height = sniffed?.height;
		rec.animated = sniffed?.animated;
		rec.duration_ms = sniffed?.durationMs;
		if (!rec.media_type && sniffed) rec.media_type = sniffed.mime;

		const fits = sniffed !== undefined && FAMILY_TYPES[info.family].some((t) => sameFamilyType(t, sniffed.mime));
		let processingError: ProcessingError | undefined;
		if (!info.async) {
			if (!fits) {
				// Synchronous categories are checked right here; the session becomes unusable.
				rec.state = 'invalid';
				rec.filePath = undefined;
				if (finalPath) rmSync(finalPath, { force: true });
				return {
					ok: false,
					status: 400,
					message:
						info.family === 'subtitles'
							? 'Invalid subtitle file: expected SRT or WebVTT.'
							: `media type unrecognized. The uploaded bytes are ${sniffed ? sniffed.mime : 'not a supported image'}, which media_category ${rec.category} does not accept.`,
				};
			}
		} else if (!fits) {
			processingError =
				info.family === 'gif'
					? { code: 1, name: 'InvalidMedia', message: 'Unsupported gif format' }
					: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' };
		} else if (info.family === 'video') {
			if (rec.width === undefined) {
				rec.width = 1280;
				rec.height = 720;
			}
			// In sink mode (bench) nothing is stored, so there is no file for the probe to read.
			if (finalPath && (sniffed.mime === 'video/mp4' || sniffed.mime === 'video/quicktime')) {
				// What X's processing fails a video for (no movie header, duration, frame rate, size,
				// aspect, audio), read from the whole stored file by the emulator's own probe.
				const probe = probeIsoVideo(finalPath, size);
				if (probe.width !== undefined) {
					rec.width = probe.width;
					rec.height = probe.height;
				}
				if (probe.durationMs !== undefined) rec.duration_ms = probe.durationMs;
				processingError = processingFailure(probe, this.processingMaxSecs(rec.category, premium));
			} else if (rec.duration_ms !== undefined) {
				const maxSecs = this.processingMaxSecs(rec.category, premium);
				if (rec.duration_ms > maxSecs * 1000) processingError = { code: 1, name: 'InvalidMedia', message: `Video longer than ${maxSecs} seconds` };
				else if (rec.duration_ms < VIDEO_MIN_SECS * 1000) processingError = { code: 1, name: 'InvalidMedia', message: 'Video shorter than 0.5 seconds' };
			}
			// What plays, when known: POST /2/tweets checks it against the poster's limit.
			rec.known_duration_ms = rec.duration_ms;
			if (rec.duration_ms === undefined) rec.duration_ms = 10000;
		}

		const now = Date.now();
		rec.state = 'finalized';
		rec.finalizedAt = now;
		rec.expiresAt = now + EXPIRES_AFTER_SECS * 1000;
		if (info.async) {
			const d = this.defaults();
			const spec: ProcessingSpec = { ...this.defaultSpec, ...(m.pendingSpec ?? {}) };
			const p: ProcessingRuntime = {
				state: 'pending',
				progress: 0,
				statusCalls: 0,
				steps: d.steps,
				checkAfterSecs: d.checkAfterSecs,
				stall: false,
				failInProgressWithError: false,
				lastAnsweredAt: now,
			};
			this.applySpec(p, spec);
			if (processingError && !p.fail) p.fail = processingError;
			if (p.steps <= 0 && !p.stall && !p.failInProgressWithError) this.terminate(p);
			m.processing = p;
			this.syncRecord(m);
		}
		return { ok: true, value: rec };
	}

	private terminate(p: ProcessingRuntime): void {
		if (p.fail) {
			p.state = 'failed';
		} else {
			p.state = 'succeeded';
			p.progress = 100;
		}
	}

	private syncRecord(m: InternalMedia): void {
		const p = m.processing;
		if (!p) return;
		m.record.processing = {
			state: p.state,
			progress_percent: p.progress,
			error: this.errorShown(p),
			statusCalls: p.statusCalls,
		};
	}

	private errorShown(p: ProcessingRuntime): ProcessingError | undefined {
		if (p.state === 'failed') return p.fail;
		if (p.state === 'in_progress' && p.failInProgressWithError && p.statusCalls > 0) {
			return p.fail ?? { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' };
		}
		return undefined;
	}

	/**
	 * One STATUS call. Advances processing by one step (unless enforceCheckAfter is on and the client
	 * came back before check_after_secs). Returns whether the call was early.
	 */
	statusCall(id: string, now = Date.now()): { early: boolean } {
		const m = this.media.get(id);
		const p = m?.processing;
		if (!m || !p) return { early: false };
		const early = p.state !== 'succeeded' && p.state !== 'failed' && now - p.lastAnsweredAt < p.checkAfterSecs * 1000 - 50;
		const blocked = early && this.defaults().enforceCheckAfter;
		if (!blocked && p.state !== 'succeeded' && p.state !== 'failed') {
			p.statusCalls++;
			const k = p.statusCalls;
			if (p.stall) {
				p.state = 'in_progress';
				p.progress = Math.min(99, Math.max(p.progress, Math.round((100 * k) / (k + 1))));
			} else if (p.failInProgressWithError) {
				p.state = 'in_progress';
				p.progress = 99;
			} else if (k >= p.steps) {
				this.terminate(p);
			} else {
				p.state = 'in_progress';
				p.progress = Math.round((100 * k) / p.steps);
			}
		}
		p.lastAnsweredAt = now;
		this.syncRecord(m);
		return { early };
	}

	/** processing_info as X shows it (undefined for synchronous media). */
	processingInfo(id: string): Record<string, unknown> | undefined {
		const p = this.media.get(id)?.processing;
		if (!p) return undefined;
		const info: Record<string, unknown> = { state: p.state };
		if (p.state === 'pending' || p.state === 'in_progress') info.check_after_secs = p.checkAfterSecs;
		if (p.state !== 'pending') info.progress_percent = p.progress;
		const error = this.errorShown(p);
		if (error) info.error = error;
		return info;
	}

	/** Usable in a post: finalized and (for async media) processing succeeded. */
	isReady(rec: MediaRecord): boolean {
		if (rec.state !== 'finalized') return false;
		const p = this.media.get(rec.id)?.processing;
		return !p || (p.state === 'succeeded' && !this.errorShown(p));
	}

	/** The data object shared by finalize, STATUS and one-shot answers. */
	uploadData(rec: MediaRecord, now = Date.now()): Record<string, unknown> {
		const data: Record<string, unknown> = {
			id: rec.id,
			media_key: rec.media_key,
			size: rec.size ?? rec.total_bytes ?? 0,
			expires_after_secs: Math.max(0, Math.ceil((rec.expiresAt - now) / 1000)),
		};
		const info = this.processingInfo(rec.id);
		if (info) data.processing_info = info;
		const family = CATEGORIES[rec.category].family;
		if (family === 'image' && rec.state === 'finalized') {
			data.image = { image_type: rec.detected_media_type ?? rec.media_type, w: rec.width ?? 0, h: rec.height ?? 0 };
		} else if (family === 'video' && rec.state === 'finalized') {
			data.video = { video_type: rec.detected_media_type ?? rec.media_type };
		}
		return data;
	}

	bytes(id: string): Buffer {
		const rec = this.get(id);
		if (!rec?.filePath) throw new Error(`media ${id} has no reassembled file (not finalized)`);
		const size = statSync(rec.filePath).size;
		if (size > 256 * MiB) throw new Error(`media ${id} is ${size} bytes; use mediaSha256() or read ${rec.filePath} as a stream`);
		return readFileSync(rec.filePath);
	}

	inFlightAppends(id: string): number {
		return this.media.get(id)?.inFlightAppends ?? 0;
	}

	exists(id: string): boolean {
		return this.media.has(id);
	}

	/** Removes a session entirely (e.g. a one-shot upload that failed validation). */
	remove(id: string): void {
		const m = this.media.get(id);
		if (!m) return;
		rmSync(m.dir, { recursive: true, force: true });
		this.media.delete(id);
	}
}
