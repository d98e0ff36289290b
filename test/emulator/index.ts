/**
 * Local X (Twitter) API emulator for the n8n-nodes-x-media tests, benchmarks and end-to-end runs.
 * See README.md in this folder.
 */
export { XApiEmulator, startEmulator, RATE_LIMITS } from './server';
export type {
	EmulatorOptions,
	FaultSpec,
	ProcessingSpec,
	ProcessingError,
	EndpointName,
	RecordedRequest,
	MediaRecord,
	PostRecord,
	DirectMessageRecord,
	AuthResult,
	AuthScheme,
	MultipartFieldInfo,
	SegmentInfo,
	ProcessingState,
	AppendConcurrency,
} from './types';
export { ENDPOINT_NAMES } from './types';
export { MAX_SEGMENT_BYTES, MAX_JSON_BYTES } from './endpoints';
export { CATEGORIES, EXPIRES_AFTER_SECS, PREMIUM_VIDEO_LIMIT } from './mediaStore';
export { signOAuth1 } from './oauth1';
export * from './testCredentials';
