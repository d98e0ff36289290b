/**
 * Public types of the X API emulator (re-exported by index.ts).
 */

/** Names of the emulated X endpoints; used by faults, recording and the rate-limit table. */
export type EndpointName =
	| 'upload' // POST /2/media/upload (one-shot)
	| 'initialize' // POST /2/media/upload/initialize
	| 'append' // POST /2/media/upload/{id}/append
	| 'finalize' // POST /2/media/upload/{id}/finalize
	| 'status' // GET /2/media/upload
	| 'metadata' // POST /2/media/metadata
	| 'subtitles' // POST and DELETE /2/media/subtitles
	| 'tweets' // POST /2/tweets
	| 'usersMe' // GET /2/users/me
	| 'dmMessages' // POST /2/dm_conversations/with/{participant_id}/messages and /2/dm_conversations/{dm_conversation_id}/messages
	| 'mediaLookup'; // GET /2/media/{media_key} and GET /2/media?media_keys=

export const ENDPOINT_NAMES: readonly EndpointName[] = [
	'upload',
	'initialize',
	'append',
	'finalize',
	'status',
	'metadata',
	'subtitles',
	'tweets',
	'usersMe',
	'dmMessages',
	'mediaLookup',
];

export interface EmulatorOptions {
	/** 0 (default) = a random free port. */
	port?: number;
	/** Fixed delay added to every API request (not to /__emulator control calls). */
	latencyMs?: number;
	/** Send x-rate-limit-limit/remaining/reset on every API answer. */
	rateLimitHeaders?: boolean;
	/** check_after_secs in processing_info while pending/in_progress. Default 1. */
	checkAfterSecs?: number;
	/** STATUS calls until a GIF/video reaches `succeeded`. Default 2 (1st: in_progress 50%, 2nd: succeeded). */
	processingSteps?: number;
	/** Where segments and reassembled files go. Default: a fresh directory under os.tmpdir(), removed by stop(). */
	storageDir?: string;
	/** Log one line per request to stderr. */
	log?: boolean;
	// ---- extensions (not in the lead's original list; all optional) ----
	/** X Premium users (subscription_type Premium, verified_type blue): the Premium limits apply to them. */
	premiumUserIds?: string[];
	/**
	 * Per user, what GET /2/users/me says (`subscription_type`: Basic, Premium, PremiumPlus, None;
	 * `verified_type`: blue, government, business, none); Premium limits when either is not None.
	 */
	accountTiers?: Record<string, { subscription_type?: string; verified_type?: string }>;
	/** Answer 429 once a user's per-endpoint 15-minute budget (X's published per-user limits) is used. Default false. */
	enforceRateLimits?: boolean;
	/** A STATUS call made before check_after_secs elapsed does not advance processing. Default false. */
	enforceCheckAfter?: boolean;
	/** OAuth 1.0a timestamp tolerance in seconds. Default 300. */
	oauthTimestampToleranceSecs?: number;
	/**
	 * Bench mode: chunked segments are never written to disk; each is held in memory only until the
	 * segments before it arrived, then hashed in order, so finalize still checks sizes and knows the
	 * file's sha256 and its head and tail (sniffing), without reassembling. The media's bytes cannot
	 * be read back. Default false.
	 */
	sink?: boolean;
	/** Shapes the link: request bodies are read at most this fast (all connections together), Mbit/s. */
	bandwidthMbps?: number;
}

export interface FaultSpec {
	endpoint: EndpointName | '*';
	/** 1-based index of the first matching request (counted since the fault was added) that fails. Default 1. */
	nth?: number;
	/** How many consecutive matching requests fail, starting at the nth. Default 1. */
	times?: number;
	/** Status to answer with. Default 503 when neither drop nor a pure delay is asked for. */
	status?: number;
	/** Custom body: a string is sent as is, anything else as JSON. Default: X's body for that status. */
	body?: unknown;
	headers?: Record<string, string>;
	/** 429: x-rate-limit-reset = now + this many seconds (default 1). */
	rateLimitResetInSecs?: number;
	/** Adds a retry-after header. */
	retryAfterSecs?: number;
	/** Destroy the socket after reading part of the body; no response at all. */
	drop?: boolean;
	/** Wait this long before failing (or, with no status/drop, before handling the request normally). */
	delayMs?: number;
	/**
	 * With status 429: from its first firing, answer EVERY matching request (whoever sends it, `times`
	 * ignored) until the x-rate-limit-reset it announced (now + rateLimitResetInSecs), the same reset
	 * for all: X's per-user window as several clients of one user see it.
	 */
	holdUntilReset?: boolean;
}

export interface ProcessingError {
	code: number;
	name: string;
	message: string;
}

export interface ProcessingSpec {
	/** Omit = all media finalized from now on. */
	mediaId?: string;
	fail?: ProcessingError;
	stall?: boolean;
	checkAfterSecs?: number;
	steps?: number;
	/** Report `fail` (or a default error) while state stays in_progress (X's "stuck at 99%" case). */
	failInProgressWithError?: boolean;
}

export type AuthScheme = 'oauth1' | 'oauth2' | 'app-only' | 'none' | 'unknown';

export interface AuthResult {
	scheme: AuthScheme;
	userId?: string;
	valid: boolean;
	/** Why authentication/authorization failed (emulator wording, for test diagnostics). */
	reason?: string;
	scopes?: string[];
}

export interface MultipartFieldInfo {
	name: string;
	filename?: string;
	contentType?: string;
	size: number;
	/** Value of small non-file fields (≤ 1 KiB). */
	value?: string;
}

export interface RecordedRequest {
	seq: number;
	endpoint?: EndpointName;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	contentType?: string;
	bodySize: number;
	/** Parsed JSON body (with `media` base64 strings replaced by a `<base64 N bytes>` marker). */
	json?: unknown;
	multipart?: MultipartFieldInfo[];
	auth?: AuthResult;
	/** 0 if no response was sent (dropped connection, client gone). */
	status: number;
	responseBody?: unknown;
	fault?: { kind: 'status' | 'drop' | 'delay'; status?: number };
	mediaId?: string;
	segmentIndex?: number;
	/** Epoch ms with sub-ms precision. */
	startedAt: number;
	endedAt?: number;
	/** STATUS calls: true if made before the previous answer's check_after_secs elapsed. */
	early?: boolean;
}

export type ProcessingState = 'pending' | 'in_progress' | 'succeeded' | 'failed';

export interface SegmentInfo {
	index: number;
	size: number;
}

export interface MediaRecord {
	id: string;
	media_key: string;
	category: string;
	/** media_category exactly as sent (undefined if omitted). */
	requested_category?: string;
	/** Declared media_type (initialize) or the sniffed one (one-shot). */
	media_type?: string;
	/** What the bytes are, from the emulator's own magic-number sniffer (after finalize). */
	detected_media_type?: string;
	total_bytes?: number;
	owner: string;
	additional_owners: string[];
	shared: boolean;
	upload_method: 'simple' | 'chunked';
	segments: SegmentInfo[];
	segmentsReceived: number;
	appendRequests: number;
	/** invalid: a synchronous finalize refused the bytes; the id cannot be used any more. */
	state: 'initialized' | 'finalized' | 'invalid';
	processing?: { state: ProcessingState; progress_percent?: number; error?: ProcessingError; statusCalls: number };
	alt_text?: string;
	metadata?: Record<string, unknown>;
	subtitles: Array<{ id: string; language_code: string; display_name?: string }>;
	/** Direct Message events this media was sent in (DM media that is not `shared` goes in one only). */
	dm_event_ids?: string[];
	sha256?: string;
	size?: number;
	filePath?: string;
	width?: number;
	height?: number;
	duration_ms?: number;
	/** The duration the emulator read from the file (undefined when unknown: `duration_ms` then defaults). */
	known_duration_ms?: number;
	animated?: boolean;
	createdAt: number;
	finalizedAt?: number;
	expiresAt: number;
}

export interface PostRecord {
	id: string;
	author_id: string;
	/** Text as sent. */
	text: string;
	/** Text as returned by X (with a t.co link appended when media is attached). */
	returned_text: string;
	media_ids: string[];
	tagged_user_ids: string[];
	/** The post this one replies to (`reply.in_reply_to_tweet_id`), if any. */
	in_reply_to_tweet_id?: string;
	/** The first post of the reply chain (the post's own id when it replies to nothing), as X's `conversation_id`. */
	conversation_id: string;
	body: Record<string, unknown>;
	auth_scheme: AuthScheme;
	createdAt: number;
}

export interface DirectMessageRecord {
	dm_event_id: string;
	dm_conversation_id: string;
	sender_id: string;
	/** The other participant, for a one-to-one conversation. */
	participant_id?: string;
	text?: string;
	media_ids: string[];
	body: Record<string, unknown>;
	auth_scheme: AuthScheme;
	createdAt: number;
}

export interface AppendConcurrency {
	maxInFlight: number;
	maxInFlightByMedia: Record<string, number>;
}
