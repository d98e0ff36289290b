/**
 * A small streaming multipart/form-data parser (RFC 7578 / RFC 2046 §5.1.1). Parts are handed to
 * sinks chunk by chunk, so a 512 MB file part never sits in memory. Strict where X is strict:
 * delimiters must be on their own line and end with CRLF, the closing delimiter must be there,
 * every part needs `Content-Disposition: form-data; name="…"`.
 */

export class MultipartError extends Error {}

export interface PartInfo {
	name: string;
	filename?: string;
	contentType?: string;
	/** Lowercased header names. */
	headers: Record<string, string>;
}

export interface PartSink {
	write(chunk: Buffer): void | Promise<void>;
	end(): void | Promise<void>;
}

export interface MultipartOptions {
	maxHeaderBytes?: number;
	maxParts?: number;
}

/** Extracts the boundary parameter of a multipart/form-data Content-Type, or undefined. */
export function boundaryFromContentType(contentType: string | undefined): string | undefined {
	if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
	const params = parseHeaderParams(contentType.slice(contentType.indexOf(';') + 1));
	const b = params.boundary;
	if (!b || b.length > 70) return undefined;
	return b;
}

/** Parses `; a=b; c="d"` style parameters (lowercased names, unquoted values). */
export function parseHeaderParams(input: string): Record<string, string> {
	const out: Record<string, string> = {};
	let i = 0;
	const s = input;
	while (i < s.length) {
		while (i < s.length && (s[i] === ';' || s[i] === ' ' || s[i] === '\t')) i++;
		const eq = s.indexOf('=', i);
		if (eq === -1) break;
		const name = s.slice(i, eq).trim().toLowerCase();
		i = eq + 1;
		while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
		let value = '';
		if (s[i] === '"') {
			i++;
			while (i < s.length && s[i] !== '"') {
				if (s[i] === '\\' && i + 1 < s.length) i++;
				value += s[i];
				i++;
			}
			i++; // closing quote
		} else {
			const end = s.indexOf(';', i);
			value = (end === -1 ? s.slice(i) : s.slice(i, end)).trim();
			i = end === -1 ? s.length : end;
		}
		if (name) out[name] = value;
	}
	return out;
}

function parsePartHeaders(raw: string): PartInfo {
	const headers: Record<string, string> = {};
	let last: string | undefined;
	for (const line of raw.split('\r\n')) {
		if (line === '') continue;
		if ((line[0] === ' ' || line[0] === '\t') && last) {
			headers[last] += ' ' + line.trim();
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) throw new MultipartError(`malformed part header line: ${JSON.stringify(line.slice(0, 80))}`);
		last = line.slice(0, colon).trim().toLowerCase();
		headers[last] = line.slice(colon + 1).trim();
	}
	const cd = headers['content-disposition'];
	if (!cd) throw new MultipartError('part without Content-Disposition header');
	const semi = cd.indexOf(';');
	const type = (semi === -1 ? cd : cd.slice(0, semi)).trim().toLowerCase();
	if (type !== 'form-data') throw new MultipartError(`Content-Disposition must be form-data, got ${type}`);
	const params = semi === -1 ? {} : parseHeaderParams(cd.slice(semi + 1));
	if (params.name === undefined) throw new MultipartError('part without a name');
	let filename = params.filename;
	const star = params['filename*'];
	if (star) {
		const m = /^[^']*'[^']*'(.*)$/.exec(star);
		try {
			filename = decodeURIComponent(m ? m[1] : star);
		} catch {
			filename = star;
		}
	}
	return { name: params.name, filename, contentType: headers['content-type'], headers };
}

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'epilogue';

/**
 * Parses a multipart body from `source`, calling `onPart` for each part and streaming its bytes
 * into the returned sink (awaiting the sink for back-pressure). Throws MultipartError on malformed input.
 */
export async function parseMultipart(
	source: AsyncIterable<Buffer | string>,
	boundary: string,
	onPart: (part: PartInfo) => PartSink | Promise<PartSink>,
	opts: MultipartOptions = {},
): Promise<void> {
	const maxHeaderBytes = opts.maxHeaderBytes ?? 16 * 1024;
	const maxParts = opts.maxParts ?? 100;
	const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
	const bodyDelimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
	const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
	let state: State = 'preamble';
	let buf: Buffer = Buffer.alloc(0);
	let sink: PartSink | undefined;
	let parts = 0;

	const step = async (): Promise<boolean> => {
		// returns true if progress was made and the loop should continue
		switch (state) {
			case 'preamble': {
				// The first delimiter may start the body or follow a preamble ending with CRLF.
				if (buf.length >= dashBoundary.length && buf.subarray(0, dashBoundary.length).equals(dashBoundary)) {
					buf = buf.subarray(dashBoundary.length);
					state = 'afterDelimiter';
					return true;
				}
				const i = buf.indexOf(bodyDelimiter);
				if (i !== -1) {
					buf = buf.subarray(i + bodyDelimiter.length);
					state = 'afterDelimiter';
					return true;
				}
				if (buf.length > 64 * 1024) throw new MultipartError('no multipart boundary found');
				return false;
			}
			case 'afterDelimiter': {
				if (buf.length < 2) return false;
				if (buf[0] === 0x2d && buf[1] === 0x2d) {
					state = 'epilogue';
					if (sink) throw new MultipartError('internal: open sink at close delimiter');
					return true;
				}
				let j = 0;
				while (j < buf.length && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
				if (buf.length < j + 2) {
					if (j > 256) throw new MultipartError('boundary line too long');
					return false;
				}
				if (buf[j] !== 0x0d || buf[j + 1] !== 0x0a) throw new MultipartError('multipart boundary must be followed by CRLF');
				buf = buf.subarray(j + 2);
				state = 'headers';
				return true;
			}
			case 'headers': {
				let headerEnd: number;
				let skip: number;
				if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
					headerEnd = 0;
					skip = 2;
				} else {
					headerEnd = buf.indexOf(CRLFCRLF);
					skip = 4;
					if (headerEnd === -1) {
						if (buf.length > maxHeaderBytes) throw new MultipartError('part headers too large');
						return false;
					}
				}
				if (headerEnd > maxHeaderBytes) throw new MultipartError('part headers too large');
				const info = parsePartHeaders(buf.subarray(0, headerEnd).toString('utf8'));
				buf = buf.subarray(headerEnd + skip);
				if (++parts > maxParts) throw new MultipartError('too many parts');
				sink = await onPart(info);
				state = 'body';
				return true;
			}
			case 'body': {
				const i = buf.indexOf(bodyDelimiter);
				if (i !== -1) {
					if (i > 0) await sink!.write(buf.subarray(0, i));
					buf = buf.subarray(i + bodyDelimiter.length);
					const s = sink!;
					sink = undefined;
					await s.end();
					state = 'afterDelimiter';
					return true;
				}
				const safe = buf.length - (bodyDelimiter.length - 1);
				if (safe > 0) {
					await sink!.write(buf.subarray(0, safe));
					buf = buf.subarray(safe);
				}
				return false;
			}
			case 'epilogue':
				buf = Buffer.alloc(0);
				return false;
		}
	};

	for await (const chunk of source) {
		const c = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		buf = buf.length === 0 ? c : Buffer.concat([buf, c]);
		while (await step()) {
			/* keep going */
		}
	}
	if ((state as State) !== 'epilogue') throw new MultipartError('unexpected end of multipart body (missing closing boundary)');
}

/** Wraps a sink so that base64 text (Content-Transfer-Encoding: base64) is decoded on the way in. */
export function base64DecodingSink(inner: PartSink): PartSink {
	let carry = '';
	return {
		async write(chunk) {
			const text = carry + chunk.toString('latin1').replace(/[\r\n\t ]/g, '');
			if (/[^A-Za-z0-9+/=]/.test(text)) throw new MultipartError('invalid base64 in part');
			const usable = text.length - (text.length % 4);
			carry = text.slice(usable);
			if (usable > 0) await inner.write(Buffer.from(text.slice(0, usable), 'base64'));
		},
		async end() {
			if (carry.length > 0) throw new MultipartError('truncated base64 in part');
			await inner.end();
		},
	};
}

/** A sink that collects bytes in memory up to `limit` (throws MultipartError past it). */
export function bufferSink(limit: number, onDone: (data: Buffer) => void): PartSink {
	const chunks: Buffer[] = [];
	let size = 0;
	return {
		write(chunk) {
			size += chunk.length;
			if (size > limit) throw new MultipartError(`form field larger than ${limit} bytes`);
			chunks.push(Buffer.from(chunk));
		},
		end() {
			onDone(Buffer.concat(chunks));
		},
	};
}
