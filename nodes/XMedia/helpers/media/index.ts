/**
 * "What is this file?": the media module's public face for the upload engine.
 *
 * - resolve.ts: which of X's types a binary is (identify.ts: magic bytes; the readers tell an
 *   animated GIF from a still one), with the declared MIME type, file name and override.
 * - inspect.ts + readers/: what is inside (media_info), read through feeder.ts from whatever
 *   pieces the caller hands over; readers/images.ts also knows how each image ends.
 * - rules.ts: X's rules for what is inside, in one table.
 *
 * Pure: no n8n runtime, no Node built-in imports, no streams.
 */
export { resolveMediaType, SNIFF_HEAD_BYTES } from './resolve';
export type { ResolvedMediaType } from './resolve';
export { checkImageComplete, TAIL_CHECK_BYTES } from './readers/images';
export { MediaInspector, unreadMediaInfo } from './inspect';
export type { MediaDetails, MediaInfo, MediaInspection } from './types';
export { checkMediaRules, describeBreak } from './rules';
export type { RuleBreak } from './rules';
