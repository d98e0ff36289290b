/**
 * Media from a URL, the pure part (README, "Media from a URL"): which URLs the node takes, how a
 * URL is shown (never its query: presigned URLs carry their secrets there), the file's name from
 * the path or `Content-Disposition`, the ranges a server answers, and the key that lets Retry On
 * Fail continue an upload. The requests themselves are upload/io/urlSource.ts.
 */
import { MediaInputError, quoteValue } from './errors';

/** Redirects followed from one URL before the node gives up (README, "Media from a URL"). */
export const MAX_URL_REDIRECTS = 5;

/** A URL the node may read: http(s), with a host. */
export interface MediaUrl {
	url: URL;
	/** What outputs, errors and logs show: scheme, host and path; the query as `?…`; never user info. */
	display: string;
	host: string;
	path: string;
}

/** Scheme, host and path of `url`; its query as `?…`; no user info, no fragment. */
export function displayUrl(url: URL): string {
	return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

/** Host and path only (what errors name). */
export function hostAndPath(url: URL): string {
	return `${url.host}${url.pathname}`;
}

/** Parses and checks a URL the person gave: http or https, with a host. No request. */
export function parseMediaUrl(value: string, label: string): MediaUrl {
	const text = value.trim();
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	// What is shown of a value that is not a usable URL: up to its query, never the query itself.
	const shown = quoteValue(text.replace(/[?#].*$/s, (rest) => (rest.startsWith('?') ? '?…' : '')), 80);
	if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new MediaInputError(
			`"${label}" uses ${url.protocol.replace(/:$/, '')}://, but X Media reads files over http and https only: ${shown}`,
			'Give an http(s) address of the file. For a file on a disk or an FTP server, read it with Read/Write Files from Disk or the FTP node and use Binary File as the source.',
		);
	}
	if (!url || !url.hostname) {
		if (/^[a-z][a-z0-9+.-]*:\/\/\/?($|[/?#])/i.test(text) || (url && !url.hostname)) {
			throw new MediaInputError(`"${label}" has no host: ${shown}`, 'Enter the full address, for example https://cdn.example.com/video.mp4.');
		}
		throw new MediaInputError(
			`"${label}" is not a URL: ${shown}`,
			'Enter the full address of the file, starting with https:// (or http://), for example https://cdn.example.com/video.mp4.',
		);
	}
	return { url, display: displayUrl(url), host: url.host, path: url.pathname };
}

/** The location a redirect names, resolved against the URL that answered; http(s) only. */
export function redirectTarget(location: string, from: URL): URL | undefined {
	try {
		const next = new URL(location, from);
		if (next.protocol !== 'http:' && next.protocol !== 'https:') return undefined;
		// User info is for the host it was written for, never for another one.
		if (next.origin !== from.origin) {
			next.username = '';
			next.password = '';
		}
		return next;
	} catch {
		return undefined;
	}
}

/** The file name: `Content-Disposition`'s (RFC 6266, `filename*` first), else the path's last segment. */
export function fileNameFor(url: URL, contentDisposition: string | undefined): string | undefined {
	const fromHeader = contentDisposition ? dispositionFileName(contentDisposition) : undefined;
	if (fromHeader) return fromHeader;
	const last = url.pathname.split('/').filter((s) => s !== '').pop();
	if (!last) return undefined;
	try {
		return cleanName(decodeURIComponent(last));
	} catch {
		return cleanName(last);
	}
}

function dispositionFileName(header: string): string | undefined {
	const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
	if (star) {
		try {
			const name = cleanName(decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')));
			if (name) return name;
		} catch {
			// fall back to filename=
		}
	}
	const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
	const raw = plain ? (plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2].trim()) : undefined;
	return raw ? cleanName(raw) : undefined;
}

/** A name without directories or control characters; undefined when nothing is left. */
function cleanName(name: string): string | undefined {
	const base = name.split(/[\\/]/).pop() ?? '';
	const clean = [...base].filter((c) => c.charCodeAt(0) > 31 && c.charCodeAt(0) !== 127).join('').trim();
	return clean === '' || clean === '.' || clean === '..' ? undefined : clean.slice(0, 255);
}

/** `Content-Range: bytes first-last/total` (RFC 9110 §14.4); undefined when it is not that. */
export function parseContentRange(value: string | undefined): { first: number; last: number; total: number | undefined } | undefined {
	const m = value ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value) : null;
	if (!m) return undefined;
	const first = Number(m[1]);
	const last = Number(m[2]);
	const total = m[3] === '*' ? undefined : Number(m[3]);
	if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) return undefined;
	if (total !== undefined && (!Number.isSafeInteger(total) || last >= total)) return undefined;
	return { first, last, total };
}

/** `Content-Length` as a byte count; undefined when absent or not a plain number. */
export function parseContentLength(value: string | undefined): number | undefined {
	if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * What identifies the file behind a URL for continuing an X upload session on Retry On Fail:
 * host, path, size and the server's validator (ETag, else Last-Modified). Never the query: a
 * presigned URL's signature changes while the file does not, and the key must hold no secret.
 */
export function urlResumeId(url: URL, size: number, etag: string | undefined, lastModified: string | undefined): string {
	return `url:${url.host}${url.pathname}|${size}|${etag ?? lastModified ?? ''}`;
}

/** Whether a file's first bytes are a web page (HTML) rather than media. */
export function looksLikeHtml(head: Uint8Array): boolean {
	const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	const text = new TextDecoder('latin1').decode(head.subarray(bom, bom + 512)).trimStart().toLowerCase();
	return text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<head') || text.startsWith('<body');
}

/** Whether a `Content-Type` names a web page. */
export function isHtmlType(contentType: string | undefined): boolean {
	return !!contentType && /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i.test(contentType);
}
