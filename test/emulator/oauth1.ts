/**
 * OAuth 1.0a HMAC-SHA1 (RFC 5849 §3.4, X's "Creating a signature" page): signature base string,
 * signing, Authorization header parsing and request verification. Pure functions except NonceStore.
 * Written from the RFC; independent from n8n's and the product's signing code.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding of UTF-8 (unreserved: ALPHA DIGIT - . _ ~), as RFC 5849 §3.6 requires. */
export function percentEncode(value: string): string {
	const bytes = Buffer.from(value, 'utf8');
	let out = '';
	for (const b of bytes) {
		const unreserved =
			(b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
		out += unreserved ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0');
	}
	return out;
}

/** application/x-www-form-urlencoded decoding of one name or value ('+' is a space). */
export function formDecode(value: string): string {
	return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Parses a query string or form-urlencoded body into raw (decoded) pairs, keeping duplicates and order. */
export function parseFormPairs(raw: string): Array<[string, string]> {
	if (!raw) return [];
	const pairs: Array<[string, string]> = [];
	for (const piece of raw.split('&')) {
		if (piece === '') continue;
		const eq = piece.indexOf('=');
		const name = eq === -1 ? piece : piece.slice(0, eq);
		const val = eq === -1 ? '' : piece.slice(eq + 1);
		pairs.push([formDecode(name), formDecode(val)]);
	}
	return pairs;
}

/** RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value, join with '=' and '&'. */
export function normalizeParameters(pairs: Array<[string, string]>): string {
	return pairs
		.map(([k, v]) => [percentEncode(k), percentEncode(v)] as [string, string])
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
		.map(([k, v]) => `${k}=${v}`)
		.join('&');
}

/**
 * RFC 5849 §3.4.1.2 base string URI: lowercase scheme and host, default port dropped, path as sent,
 * no query, no fragment.
 */
export function baseStringUri(url: string): string {
	const u = new URL(url);
	const scheme = u.protocol.replace(/:$/, '').toLowerCase();
	const host = u.hostname.toLowerCase();
	const defaultPort = (scheme === 'http' && u.port === '80') || (scheme === 'https' && u.port === '443');
	const port = u.port && !defaultPort ? `:${u.port}` : '';
	return `${scheme}://${host}${port}${u.pathname}`;
}

export function signatureBaseString(method: string, baseUri: string, pairs: Array<[string, string]>): string {
	return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(normalizeParameters(pairs))}`;
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
	const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
	return createHmac('sha1', key).update(baseString).digest('base64');
}

export interface AuthorizationHeaderParse {
	params: Record<string, string>;
	error?: string;
}

/** Parses `OAuth k="v", k2="v2"` (RFC 5849 §3.5.1). Values are percent-decoded. */
export function parseAuthorizationHeader(header: string): AuthorizationHeaderParse {
	const m = /^\s*OAuth\s+(.*)$/is.exec(header);
	if (!m) return { params: {}, error: 'not an OAuth Authorization header' };
	const params: Record<string, string> = {};
	const re = /\s*([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
	const rest = m[1].trim();
	let match: RegExpExecArray | null;
	let consumed = 0;
	while ((match = re.exec(rest)) !== null) {
		consumed = re.lastIndex;
		let name: string;
		let value: string;
		try {
			name = decodeURIComponent(match[1]);
			value = decodeURIComponent(match[2]);
		} catch {
			return { params, error: 'malformed percent-encoding in Authorization header' };
		}
		if (name in params) return { params, error: `duplicate parameter ${name}` };
		params[name] = value;
		if (consumed >= rest.length) break;
	}
	if (consumed < rest.length) return { params, error: 'malformed Authorization header' };
	return { params };
}

export interface OAuth1Request {
	method: string;
	/** Full URL as the client addressed it: scheme://Host-header/path?query */
	url: string;
	authorization: string;
	/** Raw body when Content-Type is application/x-www-form-urlencoded (the only body that is signed). */
	formBody?: string;
}

export type OAuth1Verification =
	| {
			ok: true;
			consumerKey: string;
			token: string;
			nonce: string;
			timestamp: number;
			baseString: string;
	  }
	| { ok: false; reason: string; baseString?: string };

export interface OAuth1Secrets {
	consumerSecret(consumerKey: string): string | undefined;
	tokenSecret(token: string): string | undefined;
}

/**
 * Verifies an OAuth 1.0a HMAC-SHA1 request. Does not check the timestamp window or nonce reuse
 * (the server does, with NonceStore), so it can be tested against fixed documentation values.
 */
export function verifyOAuth1(req: OAuth1Request, secrets: OAuth1Secrets): OAuth1Verification {
	const parsed = parseAuthorizationHeader(req.authorization);
	if (parsed.error) return { ok: false, reason: parsed.error };
	const p = parsed.params;
	for (const required of ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature']) {
		if (!p[required]) return { ok: false, reason: `missing ${required}` };
	}
	if (p.oauth_signature_method !== 'HMAC-SHA1') return { ok: false, reason: `unsupported oauth_signature_method ${p.oauth_signature_method}` };
	if (p.oauth_version !== undefined && p.oauth_version !== '1.0') return { ok: false, reason: `unsupported oauth_version ${p.oauth_version}` };
	if (!/^[0-9]{1,12}$/.test(p.oauth_timestamp)) return { ok: false, reason: 'oauth_timestamp is not a number of seconds' };

	const consumerSecret = secrets.consumerSecret(p.oauth_consumer_key);
	if (consumerSecret === undefined) return { ok: false, reason: 'unknown oauth_consumer_key' };
	const tokenSecret = secrets.tokenSecret(p.oauth_token);
	if (tokenSecret === undefined) return { ok: false, reason: 'unknown oauth_token' };

	let url: URL;
	try {
		url = new URL(req.url);
	} catch {
		return { ok: false, reason: 'bad request URL' };
	}
	const pairs: Array<[string, string]> = [];
	try {
		pairs.push(...parseFormPairs(url.search.replace(/^\?/, '')));
		if (req.formBody) pairs.push(...parseFormPairs(req.formBody));
	} catch {
		return { ok: false, reason: 'malformed percent-encoding in query or body' };
	}
	for (const [k, v] of Object.entries(p)) {
		if (k === 'oauth_signature' || k === 'realm') continue;
		pairs.push([k, v]);
	}
	const baseString = signatureBaseString(req.method, baseStringUri(req.url), pairs);
	const expected = hmacSha1Signature(baseString, consumerSecret, tokenSecret);
	const a = Buffer.from(expected);
	const b = Buffer.from(p.oauth_signature);
	if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature mismatch', baseString };
	return {
		ok: true,
		consumerKey: p.oauth_consumer_key,
		token: p.oauth_token,
		nonce: p.oauth_nonce,
		timestamp: Number(p.oauth_timestamp),
		baseString,
	};
}

/** Remembers nonces per consumer key + token for a window; a reused nonce is refused. */
export class NonceStore {
	private seen = new Map<string, number>();

	constructor(private windowMs = 10 * 60 * 1000) {}

	/** Returns false if the nonce was already used within the window. */
	use(consumerKey: string, token: string, nonce: string, timestamp: number, now = Date.now()): boolean {
		if (this.seen.size > 10000) this.sweep(now);
		const key = `${consumerKey}\u0000${token}\u0000${timestamp}\u0000${nonce}`;
		const until = this.seen.get(key);
		if (until !== undefined && until > now) return false;
		this.seen.set(key, now + this.windowMs);
		return true;
	}

	clear(): void {
		this.seen.clear();
	}

	private sweep(now: number): void {
		for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
	}
}

/**
 * Signs a request (for the emulator's own tests and tools). Form-urlencoded bodies are signed;
 * JSON and multipart bodies are not, as X requires.
 */
export function signOAuth1(opts: {
	method: string;
	url: string;
	consumerKey: string;
	consumerSecret: string;
	token: string;
	tokenSecret: string;
	formBody?: string;
	nonce?: string;
	timestamp?: number;
}): string {
	const oauth: Record<string, string> = {
		oauth_consumer_key: opts.consumerKey,
		oauth_nonce: opts.nonce ?? randomBytes(16).toString('hex'),
		oauth_signature_method: 'HMAC-SHA1',
		oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
		oauth_token: opts.token,
		oauth_version: '1.0',
	};
	const u = new URL(opts.url);
	const pairs: Array<[string, string]> = [...parseFormPairs(u.search.replace(/^\?/, ''))];
	if (opts.formBody) pairs.push(...parseFormPairs(opts.formBody));
	pairs.push(...Object.entries(oauth));
	const signature = hmacSha1Signature(signatureBaseString(opts.method, baseStringUri(opts.url), pairs), opts.consumerSecret, opts.tokenSecret);
	const all: Record<string, string> = { ...oauth, oauth_signature: signature };
	return (
		'OAuth ' +
		Object.keys(all)
			.sort()
			.map((k) => `${percentEncode(k)}="${percentEncode(all[k])}"`)
			.join(', ')
	);
}
