import {
	displayUrl,
	fileNameFor,
	looksLikeHtml,
	parseContentLength,
	parseContentRange,
	parseMediaUrl,
	redirectTarget,
	urlResumeId,
} from '../../../nodes/XMedia/helpers/mediaUrl';
import { readMediaUrls } from '../../../nodes/XMedia/actions/common/parameters';
import { expectInputError } from '../../harness/expectError';

describe('media URLs (helpers/mediaUrl.ts)', () => {
	it('shows a URL without its query, user info or fragment', () => {
		const url = new URL('https://user:pw@bucket.s3.amazonaws.com/renders/a%20b.mp4?X-Amz-Signature=abc#t=3');
		expect(displayUrl(url)).toBe('https://bucket.s3.amazonaws.com/renders/a%20b.mp4?…');
		expect(displayUrl(new URL('http://cdn.example.com/v.mp4'))).toBe('http://cdn.example.com/v.mp4');
	});

	it.each([
		['ftp://host/x.mp4', /uses ftp:\/\//],
		['file:///tmp/x.mp4', /uses file:\/\//],
		['https://', /has no host/],
		['just words', /is not a URL/],
	])('refuses %s', (value, message) => {
		const error = expectInputError(() => parseMediaUrl(value, 'Media URL'), message);
		expect(error.message).not.toContain('secret');
	});

	it('never quotes the query of a value it refuses', () => {
		const error = expectInputError(() => parseMediaUrl('ftp://host/x.mp4?token=secret123', 'Media URL'), /uses ftp/);
		expect(error.message).toContain('ftp://host/x.mp4?…');
		expect(error.message).not.toContain('secret123');
	});

	it('reads the file name from Content-Disposition (filename* first), else from the path', () => {
		const url = new URL('https://x.example/a/b/clip%20one.mp4?sig=1');
		expect(fileNameFor(url, undefined)).toBe('clip one.mp4');
		expect(fileNameFor(url, 'attachment; filename="render.mp4"')).toBe('render.mp4');
		expect(fileNameFor(url, "attachment; filename=\"x.mp4\"; filename*=UTF-8''vid%C3%A9o.mp4")).toBe('vidéo.mp4');
		expect(fileNameFor(url, 'attachment; filename="../../etc/passwd"')).toBe('passwd');
		expect(fileNameFor(new URL('https://x.example/'), undefined)).toBeUndefined();
	});

	it('parses Content-Range and Content-Length strictly', () => {
		expect(parseContentRange('bytes 0-99/100')).toEqual({ first: 0, last: 99, total: 100 });
		expect(parseContentRange('bytes 10-99/*')).toEqual({ first: 10, last: 99, total: undefined });
		expect(parseContentRange('bytes 0-100/100')).toBeUndefined();
		expect(parseContentRange('items 0-1/2')).toBeUndefined();
		expect(parseContentLength('2147483648')).toBe(2147483648);
		expect(parseContentLength('12, 12')).toBeUndefined();
		expect(parseContentLength(undefined)).toBeUndefined();
	});

	it('follows redirects to http(s) only, dropping user info on another origin', () => {
		const from = new URL('https://u:p@a.example/x');
		expect(redirectTarget('/y', from)?.href).toBe('https://u:p@a.example/y');
		expect(redirectTarget('https://b.example/z', from)?.href).toBe('https://b.example/z');
		expect(redirectTarget('ftp://b.example/z', from)).toBeUndefined();
		expect(redirectTarget('javascript:alert(1)', from)).toBeUndefined();
	});

	it('keys a URL for Retry On Fail by host, path, size and validator, never the query', () => {
		const a = urlResumeId(new URL('https://b.example/v.mp4?sig=1'), 10, '"e"', undefined);
		expect(a).toBe(urlResumeId(new URL('https://b.example/v.mp4?sig=2'), 10, '"e"', 'Mon'));
		expect(a).not.toContain('sig');
		expect(a).not.toBe(urlResumeId(new URL('https://b.example/v.mp4'), 11, '"e"', undefined));
	});

	it('tells a web page from media', () => {
		expect(looksLikeHtml(Buffer.from('\uFEFF  <!DOCTYPE html><html>'))).toBe(true);
		expect(looksLikeHtml(Buffer.from('<html lang="en">'))).toBe(true);
		expect(looksLikeHtml(Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]))).toBe(false);
	});
});

describe('readMediaUrls (actions/common/parameters.ts)', () => {
	it('splits on commas before a scheme only; a comma inside a URL stays', () => {
		const urls = readMediaUrls('https://a.example/x.png?a=1,2, https://b.example/y,z.png', 'Media URLs', 4);
		expect(urls.map((u) => u.display)).toEqual(['https://a.example/x.png?…', 'https://b.example/y,z.png']);
	});

	it('takes an array, refuses empty and too many', () => {
		expect(readMediaUrls(['https://a.example/1.png', ' https://a.example/2.png '], 'Media URLs', 4)).toHaveLength(2);
		expectInputError(() => readMediaUrls('', 'Media URLs', 4), /"Media URLs" is empty/);
		expectInputError(() => readMediaUrls('https://a.example/1, https://a.example/2', 'Media URL', 1), /"Media URL" has 2 URLs; one file goes here/);
	});
});
