/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 6: a table of bad inputs across the four operations. Each row runs twice through n8n's
 * real engine (n8n-core WorkflowExecute) against the emulator:
 *  1. alone: the run fails with the row's exact message, and NOTHING reached X;
 *  2. between two good items, with Continue On Fail: the bad item comes out as an error item
 *     (paired to its input), the good items around it come out as usual, and X saw exactly the
 *     requests that the two good items make on their own.
 * Rows marked `knownBug` describe what SHOULD happen and run as `it.failing` until the node is
 * fixed (see the reason in each row); when one starts to pass, drop its `knownBug`.
 */
import { closeSync, existsSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { emulatorSuite } from '../harness/emulatorSuite';
import { DEFAULT_CREDENTIAL_REFS } from '../harness/n8nHarness';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestBinarySpec, TestItemSpec } from '../harness/testFilesNode';
import { b64, findSecrets, writeTempFile } from '../harness/scenario';
import {
	makeGif,
	makeIsoWithBrand,
	makeJpeg,
	makeMp4,
	makeMp4Header,
	makePng,
	makeSrt,
	makeWebm,
	SRT_TEXT,
} from '../fixtures/media';

const MiB = 1024 * 1024;

// Pre-flight refusals are quick; the bound covers copying the sparse 512 MB file into n8n's storage.
jest.setTimeout(30_000);

const { emulator, runWorkflow } = emulatorSuite({ checkAfterSecs: 1, processingSteps: 1 });

type Operation = 'upload' | 'getStatus' | 'getMedia' | 'createPost';

interface BadRow {
	label: string;
	operation: Operation;
	/** Node parameters besides `operation`; expressions read each item's own values from `$json`. */
	params?: INodeParameters;
	/** The bad item. Good items carry valid values for every key the expressions read. */
	bad: () => TestItemSpec;
	/** The exact message, or a precise pattern where the wording is reported as needing a fix. */
	message: string | RegExp;
	/** A part of the description (what to do), where worth pinning. */
	description?: string | RegExp;
	/** Credential references of the node (default: both test credentials). */
	credentials?: XMediaNodeSpec['credentials'];
	/** createPost from binary: good items carry a PNG instead of a media id. */
	goodBinary?: boolean;
	/** The failure is the node's, not the item's: pass 2 is a separate test. */
	nodeLevel?: boolean;
	/** What is wrong today: the row states the wanted behaviour and runs as `it.failing`. */
	knownBug?: string;
}

// ---------------------------------------------------------------------------------------------- files

function bin(bytes: Buffer, fileName?: string, mimeType?: string): TestBinarySpec {
	return { base64: b64(bytes), fileName, mimeType };
}

function fileItem(bytes: Buffer, fileName?: string, mimeType?: string, json: IDataObject = {}): TestItemSpec {
	return { json, binary: { data: bin(bytes, fileName, mimeType) } };
}

const bigFiles = { png: '', gif: '', srt: '', mp4: '' };

/** An SRT file of exactly `size` bytes: real cues, repeated, then blank lines. */
function makeBigSrt(size: number): Buffer {
	const out = Buffer.alloc(size, 0x0a);
	const cue = Buffer.from(`${SRT_TEXT}\n`);
	for (let pos = 0; pos + cue.length <= size; pos += cue.length) cue.copy(out, pos);
	return out;
}

beforeAll(() => {
	bigFiles.png = writeTempFile('bad-over-image.png', makePng(2, 2, { sizeBytes: 5 * MiB + 1 }));
	bigFiles.gif = writeTempFile('bad-over-gif.gif', makeGif({ frames: 2, sizeBytes: 15 * MiB + 1 }));
	bigFiles.srt = writeTempFile('bad-over-subtitles.srt', makeBigSrt(1 * MiB + 1));
	// A sparse file: 512 MiB + 1 byte without writing them.
	bigFiles.mp4 = writeTempFile('bad-over-video.mp4', makeMp4Header(512 * MiB + 1));
	const fd = openSync(bigFiles.mp4, 'r+');
	writeSync(fd, Buffer.from([0]), 0, 1, 512 * MiB);
	closeSync(fd);
});
afterAll(() => {
	for (const path of Object.values(bigFiles)) if (path) rmSync(path, { force: true });
});

// n8n copies every input file into its binary storage (the sparse 512 MB file too, not sparse):
// remove what this file's executions stored there once they are done.
const storage = process.env.N8N_USER_FOLDER ? join(process.env.N8N_USER_FOLDER, '.n8n', 'storage', 'workflows') : undefined;
let storedBefore = new Set<string>();
beforeAll(() => {
	storedBefore = new Set(storage && existsSync(storage) ? readdirSync(storage) : []);
});
afterAll(() => {
	if (!storage || !existsSync(storage)) return;
	for (const name of readdirSync(storage)) if (!storedBefore.has(name)) rmSync(join(storage, name), { recursive: true, force: true });
});

const png = makePng(6, 6);
const mp4 = makeMp4(4000);
const gif = makeGif({ frames: 2, width: 4, height: 4 });
const ID = '1880028106020515840';
const ID2 = '1880028106020515841';

/** Values every good upload item carries, for the rows whose parameters are expressions. */
const GOOD_UPLOAD_JSON: IDataObject = {
	alt: 'A red and blue chart',
	chunk: 1,
	parallel: 2,
	timeout: 60,
	owners: '1880000000000000002',
	prop: 'data',
	category: 'auto',
	mediaType: 'image/png',
	method: 'auto',
};

/** Regex-escapes a literal. */
function lit(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "The file "x" is <what>, which X does not accept", with or without the `File "x": ` prefix. */
function refused(name: string, what: string): RegExp {
	return new RegExp(`^(File "${lit(name)}": )?The file "${lit(name)}" is ${lit(what)}$`);
}

/** An over-limit message: the exact byte count, the limit and the category. */
function overLimit(name: string, bytes: string, limit: string, category: string): RegExp {
	return new RegExp(`^File "${lit(name)}": The file is [^,]*\\(${bytes} bytes\\), over X's ${lit(limit)}\\b.* limit for ${category}$`);
}

// ---------------------------------------------------------------------------------------------- the table

const bigItem = (path: () => string, fileName: string) => (): TestItemSpec => ({ binary: { data: { path: path(), fileName } } });
const withPng = (json: IDataObject) => (): TestItemSpec => fileItem(png, 'a.png', undefined, json);

const ROWS: BadRow[] = [
	// ---- upload: the file itself
	{ label: 'a zero-byte file', operation: 'upload', bad: () => fileItem(Buffer.alloc(0), 'empty.png', 'image/png'), message: 'File "empty.png": The file is empty (0 bytes)', description: /failed download or conversion/ },
	{ label: 'a PNG cut after 4 bytes', operation: 'upload', bad: () => fileItem(png.subarray(0, 4), 'cut.png', 'image/png'), message: refused('cut.png', 'not a format X accepts'), description: 'first bytes 89 50 4e 47.' },
	{ label: 'an MP4 cut inside its ftyp box', operation: 'upload', bad: () => fileItem(mp4.subarray(0, 10), 'cut.mp4', 'video/mp4'), message: refused('cut.mp4', 'not a format X accepts') },
	{ label: 'a GIF cut right after its 6-byte signature', operation: 'upload', bad: () => fileItem(gif.subarray(0, 6), 'cut.gif', 'image/gif'), message: /cut\.gif/ },
	{ label: 'a PNG cut in half (no IEND)', operation: 'upload', bad: () => fileItem(makePng(20, 20).subarray(0, 600), 'half.png', 'image/png'), message: /half\.png/ },
	{ label: 'a PDF named photo.jpg (image/jpeg)', operation: 'upload', bad: () => fileItem(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), 'photo.jpg', 'image/jpeg'), message: refused('photo.jpg', 'a PDF document, which X does not accept'), description: 'Found: MIME type image/jpeg, extension .jpg, first bytes 25 50 44 46' },
	{ label: 'an HTML error page named clip.mp4 (video/mp4)', operation: 'upload', bad: () => fileItem(Buffer.from('<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Access denied</body></html>'), 'clip.mp4', 'video/mp4'), message: refused('clip.mp4', 'an HTML page, which X does not accept'), description: 'probably downloaded an error or login page' },
	{ label: 'JSON text named image.png', operation: 'upload', bad: () => fileItem(Buffer.from('{"error":"not found"}'), 'image.png', 'image/png'), message: refused('image.png', 'JSON text, which X does not accept'), description: 'set Response > Response Format to "File"' },
	{ label: 'random bytes with no known magic', operation: 'upload', bad: () => fileItem(Buffer.from([0x13, 0x37, 0x00, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8]), 'blob.png', 'image/png'), message: refused('blob.png', 'not a format X accepts'), description: 'first bytes 13 37 00 fe 01 02 03 04 05 06 07 08.' },
	{ label: 'a PNG signature with one wrong byte', operation: 'upload', bad: () => fileItem(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x46]), png.subarray(4)]), 'wrong.png', 'image/png'), message: refused('wrong.png', 'not a format X accepts') },
	{ label: 'a HEIC photo', operation: 'upload', bad: () => fileItem(makeIsoWithBrand('heic', 512), 'IMG_0001.HEIC', 'image/heic'), message: refused('IMG_0001.HEIC', 'a HEIC/HEIF image, which X does not accept'), description: 'Convert it to JPEG or PNG first' },
	{ label: 'an MKV video', operation: 'upload', bad: () => fileItem(makeWebm('matroska', 512), 'movie.mkv', 'video/x-matroska'), message: refused('movie.mkv', 'a Matroska (MKV) video, which X does not accept'), description: 'Convert it to MP4' },
	{ label: 'a ZIP archive', operation: 'upload', bad: () => fileItem(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6]), 'photos.zip', 'application/zip'), message: refused('photos.zip', 'a ZIP archive (or a .docx/.xlsx/.pptx document), which X does not accept') },
	{ label: 'an .srt without cue timings', operation: 'upload', bad: () => fileItem(Buffer.from('1\nHello there\n\n2\nNo timings at all\n'), 'subs.srt', 'application/x-subrip'), message: refused('subs.srt', 'a text file, which X does not accept'), description: 'A subtitle file must be UTF-8 text with cue timings' },
	{ label: 'an image over 5 MB by one byte (5,242,881)', operation: 'upload', bad: bigItem(() => bigFiles.png, 'big.png'), message: overLimit('big.png', '5,242,881', '5 MB', 'tweet_image'), description: 'Make the image smaller' },
	{ label: 'an animated GIF over 15 MB by one byte (15,728,641)', operation: 'upload', bad: bigItem(() => bigFiles.gif, 'big.gif'), message: overLimit('big.gif', '15,728,641', '15 MB', 'tweet_gif'), description: 'Make the GIF smaller' },
	{ label: 'a standard account\'s DM video over 512 MB by one byte (536,870,913, sparse)', operation: 'upload', params: { mediaCategory: '={{ $json.category ?? "auto" }}', options: { accountTier: 'standard' } }, bad: () => ({ ...bigItem(() => bigFiles.mp4, 'huge.mp4')(), json: { category: 'dm_video' } }), message: overLimit('huge.mp4', '536,870,913', '512 MB', 'dm_video on a standard account'), description: 'If the posting account has X Premium, set Account Tier to Premium' },
	{ label: 'subtitles over 1 MB by one byte (1,048,577)', operation: 'upload', bad: bigItem(() => bigFiles.srt, 'big.srt'), message: overLimit('big.srt', '1,048,577', '1 MB', 'subtitles') },
	// ---- upload: binary property
	{ label: 'an unknown binary property', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: withPng({ prop: 'photo' }), message: 'The input item has no binary property "photo"', description: 'Binary properties of this item: "data". Put one of them in "Input Binary Field".' },
	{ label: 'an item with no binary at all', operation: 'upload', bad: () => ({ json: { note: 'no file' } }), message: 'The input item has no binary property "data"', description: 'This item carries no file at all.' },
	{ label: 'an empty binary property name', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: withPng({ prop: ' , ' }), message: '"Input Binary Field" is empty' },
	{ label: 'a binary property name from an expression that yields an object', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: withPng({ prop: { name: 'data' } }), message: '"Input Binary Field" must be text, but its expression gave an object', description: 'rather than {{ $json }}' },
	{ label: 'a second binary property that is missing (checked before the first upload)', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: withPng({ prop: 'data, extra' }), message: 'The input item has no binary property "extra"' },
	// ---- upload: options
	{ label: 'alt text of 1001 characters', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: withPng({ alt: 'a'.repeat(1001) }), message: 'File "a.png": Alt Text is 1001 characters long; X allows at most 1000' },
	{ label: 'alt text from an expression that yields an object', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: withPng({ alt: { text: 'x' } }), message: '"Alt Text" must be text, but its expression gave an object' },
	{ label: 'alt text on a video', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(mp4, 'v.mp4', undefined, { alt: 'a video' }), message: 'File "v.mp4": Alt Text cannot be set on tweet_video media' },
	{ label: 'a chunk size of 64 MiB', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: withPng({ chunk: 64 }), message: '"Chunk Size (MiB)" must be a number from 0.25 to 8, not 64' },
	{ label: 'a chunk size of 0.1 MiB', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: withPng({ chunk: 0.1 }), message: '"Chunk Size (MiB)" must be a number from 0.25 to 8, not 0.1' },
	{ label: 'a chunk size that is text', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: withPng({ chunk: 'four' }), message: '"Chunk Size (MiB)" must be a number from 0.25 to 8, not "four"' },
	{ label: 'parallel uploads of 0', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: withPng({ parallel: 0 }), message: '"Parallel Uploads" must be a whole number from 1 to 8, not 0' },
	{ label: 'parallel uploads of 9', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: withPng({ parallel: 9 }), message: '"Parallel Uploads" must be a whole number from 1 to 8, not 9' },
	{ label: 'parallel uploads of 2.5', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: withPng({ parallel: 2.5 }), message: '"Parallel Uploads" must be a whole number from 1 to 8, not 2.5' },
	{ label: 'a processing timeout of 0', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: withPng({ timeout: 0 }), message: '"Processing Timeout (Seconds)" must be a number from 1 to 86400, not 0' },
	{ label: 'a processing timeout of 86401 s', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: withPng({ timeout: 86401 }), message: '"Processing Timeout (Seconds)" must be a number from 1 to 86400, not 86401' },
	{ label: 'a negative processing timeout', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: withPng({ timeout: -5 }), message: '"Processing Timeout (Seconds)" must be a number from 1 to 86400, not -5' },
	{ label: 'an image forced into tweet_video', operation: 'upload', params: { mediaCategory: '={{ $json.category }}' }, bad: withPng({ category: 'tweet_video' }), message: 'File "a.png": Media Category tweet_video is for videos, but this file is an image (image/png)', description: 'For this file use tweet_image or dm_image, or set Media Category to auto.' },
	{ label: 'an unknown media category from an expression', operation: 'upload', params: { mediaCategory: '={{ $json.category }}' }, bad: withPng({ category: 'story_video' }), message: 'File "a.png": Unknown media category "story_video"' },
	{ label: 'a Media Type override X does not take', operation: 'upload', params: { options: { mediaType: '={{ $json.mediaType }}' } }, bad: withPng({ mediaType: 'application/pdf' }), message: 'File "a.png": The Media Type option "application/pdf" is not a type X accepts' },
	{ label: 'amplify_video by the simple upload', operation: 'upload', params: { mediaCategory: '={{ $json.category }}', options: { uploadMethod: '={{ $json.method }}' } }, bad: () => fileItem(mp4, 'v.mp4', undefined, { category: 'amplify_video', method: 'simple' }), message: 'File "v.mp4": Upload Method "simple" cannot be used for amplify_video' },
	{ label: 'shared DM media by the simple upload', operation: 'upload', params: { mediaCategory: 'dm_image', options: { uploadMethod: '={{ $json.method }}', shared: true } }, bad: withPng({ method: 'simple' }), message: 'File "a.png": Upload Method "simple" cannot mark media as shared' },
	{ label: 'an additional owner with letters', operation: 'upload', params: { options: { additionalOwners: '={{ $json.owners }}' } }, bad: withPng({ owners: '12ab' }), message: 'Additional Owners contains "12ab", which is not a valid user id' },
	{ label: '101 additional owners', operation: 'upload', params: { options: { additionalOwners: '={{ $json.owners }}' } }, bad: withPng({ owners: Array.from({ length: 101 }, (_, i) => String(1000 + i)).join(',') }), message: 'File "a.png": Additional Owners has 101 user ids; X allows at most 100' },
	{ label: 'a missing credential (OAuth1 chosen, only an OAuth2 credential set)', operation: 'upload', params: { authentication: 'oAuth1' }, credentials: { xOAuth2Api: DEFAULT_CREDENTIAL_REFS.xOAuth2Api }, bad: withPng({}), message: 'No X OAuth1 API credential is selected', nodeLevel: true },
	// ---- getStatus
	{ label: 'status: a media id with letters', operation: 'getStatus', bad: () => ({ json: { media_id: '18800281060abc' } }), message: 'Media ID contains "18800281060abc", which is not a valid media id' },
	{ label: 'status: a media id of 20 digits', operation: 'getStatus', bad: () => ({ json: { media_id: `${ID}1` } }), message: `Media ID contains "${ID}1", which is not a valid media id`, description: 'It has 20 digits; a media id has at most 19.' },
	{ label: 'status: a media id number beyond 2^53', operation: 'getStatus', bad: () => ({ json: { media_id: 1880028106020515840 } }), message: 'Media ID got the number 1880028106020515840, which is too large to be exact: the media id has lost precision', description: 'must be passed as a string' },
	{ label: 'status: two media ids', operation: 'getStatus', bad: () => ({ json: { media_id: `${ID},${ID2}` } }), message: `Media ID must be one media id, but got 2: ${ID}, ${ID2}` },
	{ label: 'status: an empty media id', operation: 'getStatus', bad: () => ({ json: { media_id: '' } }), message: 'Media ID is empty' },
	{ label: 'status: a media key instead of a media id', operation: 'getStatus', bad: () => ({ json: { media_id: `3_${ID}` } }), message: `Media ID contains "3_${ID}", which is not a valid media id`, description: 'This is a media key, not a media id' },
	{ label: 'status: a negative number', operation: 'getStatus', bad: () => ({ json: { media_id: -5 } }), message: 'Media ID got the number -5, which is not a valid media id' },
	{ label: 'status: a media id from an expression that yields an object', operation: 'getStatus', params: { mediaId: '={{ $json.pick }}' }, bad: () => ({ json: { pick: { media_id: ID } } }), message: 'Media ID must contain media ids, but got an object', description: 'map its media_id field instead' },
	{ label: 'status: a processing timeout of 0 while waiting', operation: 'getStatus', params: { waitForProcessing: true, processingTimeout: '={{ $json.timeout }}' }, bad: () => ({ json: { media_id: ID, timeout: 0 } }), message: '"Processing Timeout (Seconds)" must be a number from 1 to 86400, not 0' },
	// ---- getMedia
	{ label: 'media: a media id where a media key belongs', operation: 'getMedia', bad: () => ({ json: { media_key: ID } }), message: `Media Key contains "${ID}", which is not a valid media key`, description: 'This is a media id, not a media key.' },
	{ label: 'media: a media key with letters', operation: 'getMedia', bad: () => ({ json: { media_key: '3_18800abc' } }), message: 'Media Key contains "3_18800abc", which is not a valid media key' },
	{ label: 'media: a media key that is a number', operation: 'getMedia', bad: () => ({ json: { media_key: 7 } }), message: 'Media Key got the number 7, which is not a media key' },
	{ label: 'media: an empty media key', operation: 'getMedia', bad: () => ({ json: { media_key: '' } }), message: /^Media Key is empty/ },
	// ---- createPost from media ids
	{ label: 'post: a media id with letters', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: '12345abc' } }), message: 'Media IDs contains "12345abc", which is not a valid media id' },
	{ label: 'post: five media ids', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: '1,2,3,4,5' } }), message: 'A post can hold at most 4 media, but this one has 5' },
	{ label: 'post: a media id number beyond 2^53', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: null, media_id: 1880028106020515840 } }), message: 'Media IDs got the number 1880028106020515840, which is too large to be exact: the media id has lost precision' },
	{ label: 'post: a 20-digit media id', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: ['12345678901234567890'] } }), message: 'Media IDs contains "12345678901234567890", which is not a valid media id', description: 'It has 20 digits; a media id has at most 19.' },
	{ label: 'post: a whole item as media ids', operation: 'createPost', params: { text: 'x', mediaIds: '={{ $json.upload }}' }, bad: () => ({ json: { upload: { media_id: ID } } }), message: 'Media IDs must contain media ids, but got an object' },
	{ label: 'post: a text expression that yields an object', operation: 'createPost', params: { text: '={{ $json.caption }}' }, bad: () => ({ json: { caption: { en: 'hi' } } }), message: '"Text" must be text, but its expression gave an object' },
	{ label: 'post: neither text nor media', operation: 'createPost', params: { text: '={{ $json.caption }}' }, bad: () => ({ json: { caption: '', media_ids: [] } }), message: 'The post has no text and no media' },
	{ label: 'post: a video and an image known from the upload output', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: [ID, ID2], files: [{ media_id: ID, media_category: 'tweet_video' }, { media_id: ID2, media_category: 'tweet_image' }] } }), message: 'A video must be the only media in a post, but this one also has 1 image' },
	{ label: 'post: eleven tagged users', operation: 'createPost', params: { text: 'x', additionalFields: { taggedUserIds: '={{ $json.tagged }}' } }, bad: () => ({ json: { media_ids: [ID], tagged: Array.from({ length: 11 }, (_, i) => String(100 + i)).join(',') } }), message: '"Tagged User IDs" has 11 users; X allows at most 10' },
	{ label: 'post: tagged users without media', operation: 'createPost', params: { text: 'x', additionalFields: { taggedUserIds: '={{ $json.tagged }}' } }, bad: () => ({ json: { media_ids: [], tagged: '42' } }), message: '"Tagged User IDs" need media in the post' },
	{ label: 'post: a reply-to id with letters', operation: 'createPost', params: { text: 'x', additionalFields: { inReplyToTweetId: '={{ $json.reply }}' } }, bad: () => ({ json: { reply: 'abc' } }), message: /^Reply to Post ID contains "abc", which is not a valid/ },
	{ label: 'post: reply exclusions without a reply', operation: 'createPost', params: { text: 'x', additionalFields: { excludeReplyUserIds: '={{ $json.exclude }}' } }, bad: () => ({ json: { exclude: '42' } }), message: '"Exclude Reply User IDs" only applies to replies' },
	// ---- createPost from binary
	{ label: 'post from binary: a video mixed with an image', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'video, photo' }, binary: { video: bin(mp4, 'v.mp4'), photo: bin(png, 'p.png') } }), message: 'A video must be the only media in a post, but this one also has 1 image' },
	{ label: 'post from binary: five images', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'a,b,c,d,e' }, binary: Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, bin(png, `${n}.png`)])) }), message: 'A post can hold at most 4 media, but this one has 5' },
	{ label: 'post from binary: two GIFs', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'a,b' }, binary: { a: bin(gif, 'a.gif'), b: bin(gif, 'b.gif') } }), message: 'A post can hold only one video or one GIF, but this one has 2 GIFs' },
	{ label: 'post from binary: a subtitles file', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary' }, bad: () => fileItem(makeSrt(), 'subs.srt'), message: /^Subtitle files cannot be posted as media\b/ },
	{ label: 'post from binary: an unknown binary property', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'photo' }, binary: { data: bin(png, 'a.png') } }), message: 'The input item has no binary property "photo"' },
	{ label: 'post from binary: an empty file', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary' }, bad: () => fileItem(Buffer.alloc(0), 'empty.jpg', 'image/jpeg'), message: 'File "empty.jpg": The file is empty (0 bytes)' },
	{ label: 'post from binary: alt text of 1001 characters', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', additionalFields: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(makeJpeg(), 'a.jpg', undefined, { alt: 'b'.repeat(1001) }), message: 'File "a.jpg": Alt Text is 1001 characters long; X allows at most 1000' },
];

// ---------------------------------------------------------------------------------------------- running

function nodeFor(row: BadRow, continueOnFail: boolean): XMediaNodeSpec {
	return { name: 'X Media', parameters: { operation: row.operation, ...(row.params ?? {}) }, credentials: row.credentials, continueOnFail };
}

/** With good items around: a post text "x" becomes "x" plus the item's nonce, so that no two posts have the same text. */
function uniqueText(node: XMediaNodeSpec): XMediaNodeSpec {
	if (node.parameters.text !== 'x') return node;
	return { ...node, parameters: { ...node.parameters, text: "={{ 'x' + ($json.nonce ?? '') }}" } };
}

async function run(items: TestItemSpec[], node: XMediaNodeSpec): Promise<RunResult> {
	return await runWorkflow({ items, nodes: [node] });
}

function expectMessage(actual: string | undefined, expected: string | RegExp): void {
	if (typeof expected === 'string') expect(actual).toBe(expected);
	else expect(actual).toMatch(expected);
}

/** Real media for the good items of the id-based operations: one PNG uploaded first. */
async function uploadedPng(): Promise<{ id: string; key: string }> {
	const result = await run([fileItem(makePng(3, 3), 'good.png')], { name: 'X Media', parameters: { operation: 'upload' } });
	const json = result.output['X Media'][0].json;
	return { id: json.media_id as string, key: json.media_key as string };
}

/**
 * A good item for the row's operation, valid for every expression of the table. `run` tells the
 * runs of one test apart: X (and the emulator) refuse a text the account already posted, so each
 * good post's text names its item and run (see `uniqueText`).
 */
function goodItem(row: BadRow, n: number, media: { id: string; key: string } | undefined, run: string): TestItemSpec {
	switch (row.operation) {
		case 'upload':
			return fileItem(makePng(4 + n, 4 + n), `good${n}.png`, undefined, { ...GOOD_UPLOAD_JSON });
		case 'getStatus':
			return { json: { media_id: media!.id, pick: media!.id, timeout: 60 } };
		case 'getMedia':
			return { json: { media_key: media!.key } };
		case 'createPost':
			if (row.goodBinary) return fileItem(makePng(4 + n, 4 + n), `good${n}.png`, undefined, { prop: 'data', alt: 'A chart', nonce: ` ${run}${n}` });
			return { json: { media_ids: [media!.id], upload: media!.id, caption: `Good post ${run}${n}`, nonce: ` ${run}${n}`, tagged: '1880000000000000002', reply: '', exclude: '' } };
	}
}

/** What a good item of the operation outputs. */
function expectGoodOutput(row: BadRow, item: INodeExecutionData, media: { id: string; key: string } | undefined): void {
	expect(item.json.error).toBeUndefined();
	switch (row.operation) {
		case 'upload':
			expect(item.json.media_id).toMatch(/^[0-9]{19}$/);
			break;
		case 'getStatus':
			expect(item.json).toMatchObject({ media_id: media!.id, state: 'succeeded' });
			break;
		case 'getMedia':
			expect(item.json.media_key).toBe(media!.key);
			break;
		case 'createPost':
			expect(item.json.id).toMatch(/^[0-9]{19}$/);
			expect(emulator.posts().some((p) => p.id === item.json.id)).toBe(true);
			break;
	}
}

const signature = (from: number) =>
	emulator
		.requests()
		.slice(from)
		.map((r) => `${r.method} ${r.endpoint} ${r.status}`);

const cases = ROWS.map((row) => [row.label, row] as const);

it('has at least 40 bad inputs across the four operations', () => {
	expect(ROWS.length).toBeGreaterThanOrEqual(40);
	for (const op of ['upload', 'getStatus', 'getMedia', 'createPost']) expect(ROWS.some((r) => r.operation === op)).toBe(true);
	expect(new Set(ROWS.map((r) => r.label)).size).toBe(ROWS.length);
});

describe('alone: the exact message, and nothing reaches X', () => {
	for (const [label, row] of cases) {
		(row.knownBug ? it.failing : it)(label, async () => {
			const result = await run([row.bad()], nodeFor(row, false));
			expect(emulator.requests()).toEqual([]);
			expect(result.error).toBeDefined();
			expectMessage(result.error?.message, row.message);
			if (row.description !== undefined) {
				if (typeof row.description === 'string') expect(result.error?.description).toContain(row.description);
				else expect(result.error?.description).toMatch(row.description);
			}
			expect(findSecrets(result)).toEqual([]);
		});
	}
});

describe('Continue On Fail: an error item between two good items, which X serves as usual', () => {
	for (const [label, row] of cases.filter(([, r]) => !r.nodeLevel)) {
		(row.knownBug ? it.failing : it)(label, async () => {
			const media = row.operation === 'upload' || row.goodBinary ? undefined : await uploadedPng();
			const good = [goodItem(row, 0, media, 'a'), goodItem(row, 1, media, 'a')];

			// What the two good items alone make X see.
			const before = emulator.requests().length;
			const goodOnly = await run(good, uniqueText(nodeFor(row, true)));
			expect(goodOnly.error).toBeUndefined();
			const expected = signature(before);
			expect(expected.length).toBeGreaterThan(0);

			const start = emulator.requests().length;
			const again = [goodItem(row, 0, media, 'b'), goodItem(row, 1, media, 'b')];
			const result = await run([again[0], row.bad(), again[1]], uniqueText(nodeFor(row, true)));
			expect(result.error).toBeUndefined();
			const out = result.output['X Media'];
			expect(out).toHaveLength(3);
			expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expectGoodOutput(row, out[0], media);
			expectGoodOutput(row, out[2], media);
			const error = out[1].json;
			expectMessage(error.error as string, row.message);
			if (typeof row.description === 'string') expect(error.error_description).toContain(row.description);
			for (const key of Object.keys(error)) expect(['error', 'error_description', 'http_code']).toContain(key);
			// The bad item added no request: X saw what the good items alone make it see.
			expect(signature(start)).toEqual(expected);
			expect(findSecrets(result)).toEqual([]);
		});
	}
});

describe('a failure of the node itself, with Continue On Fail', () => {
	it('a missing credential gives every item an error item, and sends nothing', async () => {
		const row = ROWS.find((r) => r.nodeLevel)!;
		const items = [goodItem(row, 0, undefined, 'a'), goodItem(row, 1, undefined, 'a')];
		const result = await run(items, nodeFor(row, true));
		expect(emulator.requests()).toEqual([]);
		const out = result.output['X Media'];
		expect(out).toHaveLength(2);
		for (const [i, item] of out.entries()) {
			expect(item.json.error).toBe(row.message);
			expect(item.json.error_description).toMatch(/Authentication is set to OAuth1/);
			expect(item.pairedItem).toEqual({ item: i });
		}
	});

	it('a missing credential without Continue On Fail stops the run with a message that names the credential', async () => {
		const row = ROWS.find((r) => r.nodeLevel)!;
		const result = await run([goodItem(row, 0, undefined, 'a')], nodeFor(row, false));
		expect(emulator.requests()).toEqual([]);
		expect(result.error?.message).toBe(row.message);
	});
});
