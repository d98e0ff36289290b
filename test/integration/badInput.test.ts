/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Issue 6: a table of bad inputs across the four operations. Each row is run twice through n8n's
 * real engine and the emulator:
 *  1. alone: the run fails with the row's exact message and NOTHING reached X;
 *  2. between two good items, with Continue On Fail: the bad item becomes an error item (paired to
 *     its input), the good items around it come out as usual, and X saw exactly the requests that
 *     the two good items alone make.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { RecordedRequest, XApiEmulator } from '../emulator';
import { DEFAULT_CREDENTIAL_REFS, runWorkflow } from '../harness/n8nHarness';
import type { RunResult, XMediaNodeSpec } from '../harness/n8nHarness';
import type { TestBinarySpec, TestItemSpec } from '../harness/testFilesNode';
import { b64, credentialsFor, findSecrets, writeTempFile } from '../harness/scenario';
import { makeGif, makeIsoWithBrand, makeJpeg, makeMp4, makeMp4Header, makePng, makeSrt, makeWebm, SRT_TEXT } from '../unit/fixtures';

const MiB = 1024 * 1024;
const PROBE = process.env.BAD_INPUT_PROBE === '1';

let emulator: XApiEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ checkAfterSecs: 1, processingSteps: 1 });
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

type Operation = 'upload' | 'getStatus' | 'getMedia' | 'createPost';

interface BadRow {
	label: string;
	operation: Operation;
	/** Node parameters (besides `operation`); expressions read per-item values from `$json`. */
	params?: INodeParameters;
	/** The bad item. */
	bad: () => TestItemSpec;
	/** Exact message (string) or a precise pattern. */
	message: string | RegExp;
	/** Part of the description that tells what to do, when worth pinning. */
	description?: string | RegExp;
	/** Credential references of the node (default: both). */
	credentials?: XMediaNodeSpec['credentials'];
	/** For binary-based rows of createPost: the good items carry a PNG instead of a media id. */
	goodBinary?: boolean;
	/** False when the failure is the node's, not the item's (pass 2 is tested separately). */
	perItem?: false;
}

// ---------------------------------------------------------------------------------------------- files

function bin(bytes: Buffer, fileName?: string, mimeType?: string): TestBinarySpec {
	return { base64: b64(bytes), fileName, mimeType };
}

function fileItem(bytes: Buffer, fileName?: string, mimeType?: string, json: IDataObject = {}): TestItemSpec {
	return { json, binary: { data: bin(bytes, fileName, mimeType) } };
}

const bigFiles: Record<'png' | 'gif' | 'srt' | 'mp4', string> = { png: '', gif: '', srt: '', mp4: '' };

/** An SRT file of exactly `size` bytes: real cues, repeated. */
function makeBigSrt(size: number): Buffer {
	const out = Buffer.alloc(size, 0x0a);
	const cue = Buffer.from(`${SRT_TEXT}\n`);
	for (let pos = 0; pos + cue.length <= size; pos += cue.length) cue.copy(out, pos);
	return out;
}

beforeAll(() => {
	bigFiles.png = writeTempFile('bad-over-image.png', makePng(2, 2, { sizeBytes: 5 * MiB + 1 }));
	bigFiles.gif = writeTempFile('bad-over-gif.gif', makeGif({ frames: 2, sizeBytes: 15 * MiB + 1 }));
	bigFiles.srt = writeTempFile('bad-over-subtitles.srt', makeBigSrt(5 * MiB + 1));
	// A sparse file: 512 MiB + 1 byte without writing them.
	bigFiles.mp4 = writeTempFile('bad-over-video.mp4', makeMp4Header(512 * MiB + 1));
	const fd = openSync(bigFiles.mp4, 'r+');
	writeSync(fd, Buffer.from([0]), 0, 1, 512 * MiB);
	closeSync(fd);
});

const png = makePng(6, 6);
const mp4 = makeMp4(4000);
const gif = makeGif({ frames: 2, width: 4, height: 4 });

/** Values every good item carries for the rows whose parameters are expressions. */
const GOOD_JSON: IDataObject = {
	alt: 'A red and blue chart',
	chunk: 1,
	parallel: 2,
	timeout: 60,
	owners: '1880000000000000002',
	prop: 'data',
	category: 'auto',
	mediaType: 'image/png',
	method: 'auto',
	text: 'A good post',
	tagged: '1880000000000000002',
	reply: '',
};

// ---------------------------------------------------------------------------------------------- the table

const ROWS: BadRow[] = [
	// ---- upload: the file itself
	{ label: 'a zero-byte file', operation: 'upload', bad: () => fileItem(Buffer.alloc(0), 'empty.png', 'image/png'), message: '' },
	{ label: 'a PNG cut after 4 bytes', operation: 'upload', bad: () => fileItem(png.subarray(0, 4), 'cut.png', 'image/png'), message: '' },
	{ label: 'a GIF cut after its signature', operation: 'upload', bad: () => fileItem(gif.subarray(0, 6), 'cut.gif', 'image/gif'), message: '' },
	{ label: 'an MP4 cut inside its ftyp box', operation: 'upload', bad: () => fileItem(mp4.subarray(0, 10), 'cut.mp4', 'video/mp4'), message: '' },
	{ label: 'a PDF named photo.jpg (image/jpeg)', operation: 'upload', bad: () => fileItem(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), 'photo.jpg', 'image/jpeg'), message: '' },
	{ label: 'an HTML error page named clip.mp4 (video/mp4)', operation: 'upload', bad: () => fileItem(Buffer.from('<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Access denied</body></html>'), 'clip.mp4', 'video/mp4'), message: '' },
	{ label: 'JSON text named image.png', operation: 'upload', bad: () => fileItem(Buffer.from('{"error":"not found"}'), 'image.png', 'image/png'), message: '' },
	{ label: 'random bytes with no known magic', operation: 'upload', bad: () => fileItem(Buffer.from([0x13, 0x37, 0x00, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]), 'blob.png', 'image/png'), message: '' },
	{ label: 'a PNG signature with a wrong byte', operation: 'upload', bad: () => fileItem(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x46]), png.subarray(4)]), 'wrong.png', 'image/png'), message: '' },
	{ label: 'a HEIC photo', operation: 'upload', bad: () => fileItem(makeIsoWithBrand('heic', 512), 'IMG_0001.HEIC', 'image/heic'), message: '' },
	{ label: 'an MKV video', operation: 'upload', bad: () => fileItem(makeWebm('matroska', 512), 'movie.mkv', 'video/x-matroska'), message: '' },
	{ label: 'a ZIP archive', operation: 'upload', bad: () => fileItem(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6]), 'photos.zip', 'application/zip'), message: '' },
	{ label: 'an SRT named subs.srt without cue timings', operation: 'upload', bad: () => fileItem(Buffer.from('1\nHello there\n\n2\nNo timings at all\n'), 'subs.srt', 'application/x-subrip'), message: '' },
	{ label: 'an image over 5 MB by one byte (5,242,881)', operation: 'upload', bad: () => ({ binary: { data: { path: bigFiles.png, fileName: 'big.png' } } }), message: '' },
	{ label: 'an animated GIF over 15 MB by one byte (15,728,641)', operation: 'upload', bad: () => ({ binary: { data: { path: bigFiles.gif, fileName: 'big.gif' } } }), message: '' },
	{ label: 'a video over 512 MB by one byte (536,870,913, sparse)', operation: 'upload', bad: () => ({ binary: { data: { path: bigFiles.mp4, fileName: 'huge.mp4' } } }), message: '' },
	{ label: 'subtitles over 5 MB by one byte', operation: 'upload', bad: () => ({ binary: { data: { path: bigFiles.srt, fileName: 'big.srt' } } }), message: '' },
	// ---- upload: binary property
	{ label: 'an unknown binary property', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: () => fileItem(png, 'a.png', undefined, { prop: 'photo' }), message: '' },
	{ label: 'an item with no binary at all', operation: 'upload', bad: () => ({ json: { note: 'no file' } }), message: '' },
	{ label: 'an empty binary property name', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: () => fileItem(png, 'a.png', undefined, { prop: ' , ' }), message: '' },
	{ label: 'a binary property name from an expression that yields an object', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: () => fileItem(png, 'a.png', undefined, { prop: { name: 'data' } }), message: '' },
	{ label: 'a second file property that is missing', operation: 'upload', params: { binaryPropertyName: '={{ $json.prop }}' }, bad: () => fileItem(png, 'a.png', undefined, { prop: 'data, extra' }), message: '' },
	// ---- upload: options
	{ label: 'alt text of 1001 characters', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(png, 'a.png', undefined, { alt: 'a'.repeat(1001) }), message: '' },
	{ label: 'alt text from an expression that yields an object', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(png, 'a.png', undefined, { alt: { text: 'x' } }), message: '' },
	{ label: 'alt text on a video', operation: 'upload', params: { options: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(mp4, 'v.mp4', undefined, { alt: 'a video' }), message: '' },
	{ label: 'a chunk size of 64 MiB', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: () => fileItem(png, 'a.png', undefined, { chunk: 64 }), message: '' },
	{ label: 'a chunk size of 0.1 MiB', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: () => fileItem(png, 'a.png', undefined, { chunk: 0.1 }), message: '' },
	{ label: 'a chunk size that is text', operation: 'upload', params: { options: { chunkSize: '={{ $json.chunk }}' } }, bad: () => fileItem(png, 'a.png', undefined, { chunk: 'four' }), message: '' },
	{ label: 'parallel uploads of 0', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: () => fileItem(png, 'a.png', undefined, { parallel: 0 }), message: '' },
	{ label: 'parallel uploads of 9', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: () => fileItem(png, 'a.png', undefined, { parallel: 9 }), message: '' },
	{ label: 'parallel uploads of 2.5', operation: 'upload', params: { options: { parallelUploads: '={{ $json.parallel }}' } }, bad: () => fileItem(png, 'a.png', undefined, { parallel: 2.5 }), message: '' },
	{ label: 'a processing timeout of 0', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: () => fileItem(png, 'a.png', undefined, { timeout: 0 }), message: '' },
	{ label: 'a processing timeout of 86401 s', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: () => fileItem(png, 'a.png', undefined, { timeout: 86401 }), message: '' },
	{ label: 'a negative processing timeout', operation: 'upload', params: { options: { processingTimeout: '={{ $json.timeout }}' } }, bad: () => fileItem(png, 'a.png', undefined, { timeout: -5 }), message: '' },
	{ label: 'an image forced into tweet_video', operation: 'upload', params: { mediaCategory: '={{ $json.category }}' }, bad: () => fileItem(png, 'a.png', undefined, { category: 'tweet_video' }), message: '' },
	{ label: 'an unknown media category from an expression', operation: 'upload', params: { mediaCategory: '={{ $json.category }}' }, bad: () => fileItem(png, 'a.png', undefined, { category: 'story_video' }), message: '' },
	{ label: 'a Media Type override X does not take', operation: 'upload', params: { options: { mediaType: '={{ $json.mediaType }}' } }, bad: () => fileItem(png, 'a.png', undefined, { mediaType: 'application/pdf' }), message: '' },
	{ label: 'amplify_video by the simple upload', operation: 'upload', params: { mediaCategory: '={{ $json.category }}', options: { uploadMethod: '={{ $json.method }}' } }, bad: () => fileItem(mp4, 'v.mp4', undefined, { category: 'amplify_video', method: 'simple' }), message: '' },
	{ label: 'an additional owner with letters', operation: 'upload', params: { options: { additionalOwners: '={{ $json.owners }}' } }, bad: () => fileItem(png, 'a.png', undefined, { owners: '12ab' }), message: '' },
	{ label: '101 additional owners', operation: 'upload', params: { options: { additionalOwners: '={{ $json.owners }}' } }, bad: () => fileItem(png, 'a.png', undefined, { owners: Array.from({ length: 101 }, (_, i) => String(1000 + i)).join(',') }), message: '' },
	{ label: 'a missing credential (OAuth1 chosen, only OAuth2 set)', operation: 'upload', params: { authentication: 'oAuth1' }, credentials: { xOAuth2Api: DEFAULT_CREDENTIAL_REFS.xOAuth2Api }, bad: () => fileItem(png, 'a.png'), message: '', perItem: false },
	// ---- getStatus
	{ label: 'a media id with letters', operation: 'getStatus', bad: () => ({ json: { media_id: '18800281060abc' } }), message: '' },
	{ label: 'a media id of 20 digits', operation: 'getStatus', bad: () => ({ json: { media_id: '18800281060205158401' } }), message: '' },
	{ label: 'a media id number beyond 2^53', operation: 'getStatus', bad: () => ({ json: { media_id: 1880028106020515840 } }), message: '' },
	{ label: 'two media ids', operation: 'getStatus', bad: () => ({ json: { media_id: '1880028106020515840,1880028106020515841' } }), message: '' },
	{ label: 'an empty media id', operation: 'getStatus', bad: () => ({ json: { media_id: '' } }), message: '' },
	{ label: 'a media key instead of a media id', operation: 'getStatus', bad: () => ({ json: { media_id: '3_1880028106020515840' } }), message: '' },
	{ label: 'a negative number as media id', operation: 'getStatus', bad: () => ({ json: { media_id: -5 } }), message: '' },
	{ label: 'a media id from an expression that yields an object', operation: 'getStatus', params: { mediaId: '={{ $json }}' }, bad: () => ({ json: { media_id: '1880028106020515840' } }), message: '' },
	{ label: 'a processing timeout of 0 while waiting', operation: 'getStatus', params: { waitForProcessing: true, processingTimeout: '={{ $json.timeout }}' }, bad: () => ({ json: { media_id: '1880028106020515840', timeout: 0 } }), message: '' },
	// ---- getMedia
	{ label: 'a media id where a media key belongs', operation: 'getMedia', bad: () => ({ json: { media_key: '1880028106020515840' } }), message: '' },
	{ label: 'a media key with letters', operation: 'getMedia', bad: () => ({ json: { media_key: '3_18800abc' } }), message: '' },
	{ label: 'a media key that is a number', operation: 'getMedia', bad: () => ({ json: { media_key: 7 } }), message: '' },
	{ label: 'an empty media key', operation: 'getMedia', bad: () => ({ json: { media_key: '' } }), message: '' },
	// ---- createPost (media ids)
	{ label: 'post: an id with letters', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: '12345abc' } }), message: '' },
	{ label: 'post: five ids', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: '1,2,3,4,5' } }), message: '' },
	{ label: 'post: an id number beyond 2^53', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_id: 1880028106020515840 } }), message: '' },
	{ label: 'post: a 20-digit id', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: ['12345678901234567890'] } }), message: '' },
	{ label: 'post: a whole item as media ids', operation: 'createPost', params: { text: 'x', mediaIds: '={{ $json.upload }}' }, bad: () => ({ json: { upload: { media_id: '1880028106020515840' } } }), message: '' },
	{ label: 'post: a text expression that yields an object', operation: 'createPost', params: { text: '={{ $json }}' }, bad: () => ({ json: { media_ids: [] } }), message: '' },
	{ label: 'post: neither text nor media', operation: 'createPost', params: { text: '={{ $json.text }}' }, bad: () => ({ json: { text: '', media_ids: [] } }), message: '' },
	{ label: 'post: a video and an image from an upload', operation: 'createPost', params: { text: 'x' }, bad: () => ({ json: { media_ids: ['1880028106020515840', '1880028106020515841'], files: [{ media_id: '1880028106020515840', media_category: 'tweet_video' }, { media_id: '1880028106020515841', media_category: 'tweet_image' }] } }), message: '' },
	{ label: 'post: eleven tagged users', operation: 'createPost', params: { text: 'x', additionalFields: { taggedUserIds: '={{ $json.tagged }}' } }, bad: () => ({ json: { tagged: Array.from({ length: 11 }, (_, i) => String(100 + i)).join(',') } }), message: '' },
	{ label: 'post: a reply-to id with letters', operation: 'createPost', params: { text: 'x', additionalFields: { inReplyToTweetId: '={{ $json.reply }}' } }, bad: () => ({ json: { reply: 'abc' } }), message: '' },
	// ---- createPost (binary)
	{ label: 'post from binary: a video mixed with an image', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'video, photo' }, binary: { video: bin(mp4, 'v.mp4'), photo: bin(png, 'p.png') } }), message: '' },
	{ label: 'post from binary: five images', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'a,b,c,d,e' }, binary: Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, bin(png, `${n}.png`)])) }), message: '' },
	{ label: 'post from binary: two GIFs', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', binaryPropertyName: '={{ $json.prop }}' }, bad: () => ({ json: { prop: 'a,b' }, binary: { a: bin(gif, 'a.gif'), b: bin(gif, 'b.gif') } }), message: '' },
	{ label: 'post from binary: a subtitles file', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary' }, bad: () => fileItem(makeSrt(), 'subs.srt'), message: '' },
	{ label: 'post from binary: an empty file', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary' }, bad: () => fileItem(Buffer.alloc(0), 'empty.jpg', 'image/jpeg'), message: '' },
	{ label: 'post from binary: alt text of 1001 characters', operation: 'createPost', goodBinary: true, params: { text: 'x', mediaSource: 'binary', additionalFields: { altText: '={{ $json.alt }}' } }, bad: () => fileItem(makeJpeg(), 'a.jpg', undefined, { alt: 'b'.repeat(1001) }), message: '' },
];

// ---------------------------------------------------------------------------------------------- running

function nodeFor(row: BadRow, continueOnFail: boolean): XMediaNodeSpec {
	return {
		name: 'X Media',
		parameters: { operation: row.operation, ...(row.params ?? {}) },
		credentials: row.credentials,
		continueOnFail,
	};
}

async function run(items: TestItemSpec[], node: XMediaNodeSpec): Promise<RunResult> {
	return await runWorkflow({ items, nodes: [node], credentials: credentialsFor(emulator.baseUrl) });
}

describe('probe', () => {
	it.each(ROWS.map((r) => [r.label, r] as const))('%s', async (_label, row) => {
		const result = await run([row.bad()], nodeFor(row, false));
		if (PROBE) {
			process.stdout.write(`\n### ${row.label}\nMESSAGE: ${result.error?.message}\nDESC: ${result.error?.description}\nREQUESTS: ${emulator.requests().length}\n`);
		}
		expect(result.error).toBeDefined();
		const reqs: RecordedRequest[] = emulator.requests();
		expect(reqs).toEqual([]);
		expect(findSecrets(result)).toEqual([]);
	});
});

void GOOD_JSON;
