/**
 * Read media ids, user ids and media keys from whatever a workflow passes: arrays, comma- or
 * whitespace-separated strings, single values, numbers from expressions.
 *
 * X's ids are 64-bit integers; JavaScript numbers are exact only up to 2^53, so an id that
 * went through a number (a numeric expression, `Number()`, JSON parsed without care) may have
 * lost its last digits. Such numbers are refused with an explanation rather than sent wrong.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaInputError, quoteValue } from './errors';
import { ID_PATTERN, MEDIA_KEY_PATTERN } from './limits';

interface IdRules {
	/** "media id", "user id", "media key" */
	noun: string;
	pattern: RegExp;
	/** Shape of a valid value, for messages. */
	shape: string;
	/** Whether JavaScript numbers may stand for a value. */
	numbersAllowed: boolean;
	/** The field to map instead, for messages: `{{ $json.media_id }}`. */
	example: string;
}

const MEDIA_ID_RULES: IdRules = {
	noun: 'media id',
	pattern: ID_PATTERN,
	shape: '1 to 19 digits, for example 1880028106020515840',
	numbersAllowed: true,
	example: '{{ $json.media_id }}',
};

const USER_ID_RULES: IdRules = {
	noun: 'user id',
	pattern: ID_PATTERN,
	shape: '1 to 19 digits, for example 2244994945',
	numbersAllowed: true,
	example: '{{ $json.id }}',
};

const POST_ID_RULES: IdRules = {
	noun: 'post id',
	pattern: ID_PATTERN,
	shape: '1 to 19 digits, for example 1880028106020515840 (the number at the end of the post\'s URL)',
	numbersAllowed: true,
	example: '{{ $json.id }}',
};

const COMMUNITY_ID_RULES: IdRules = {
	noun: 'community id',
	pattern: ID_PATTERN,
	shape: '1 to 19 digits (the number in the Community\'s URL)',
	numbersAllowed: true,
	example: '{{ $json.community_id }}',
};

const MEDIA_KEY_RULES: IdRules = {
	noun: 'media key',
	pattern: MEDIA_KEY_PATTERN,
	shape: 'digits, an underscore and the media id, for example 13_1880028106020515840',
	numbersAllowed: false,
	example: '{{ $json.media_key }}',
};

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `the boolean ${String(value)}`;
	return typeof value;
}

function collect(value: unknown, label: string, rules: IdRules, out: string[], depth: number): void {
	if (value === undefined || value === null) return;
	if (typeof value === 'string') {
		splitList(value, label, rules, out);
		return;
	}
	if (typeof value === 'number') {
		out.push(numberToId(value, label, rules));
		return;
	}
	if (typeof value === 'bigint') {
		out.push(checkToken(value.toString(), label, rules));
		return;
	}
	if (Array.isArray(value) && depth < 4) {
		for (const entry of value) collect(entry, label, rules, out, depth + 1);
		return;
	}
	let hint = `Pass ${rules.noun}s as text: one value, a comma-separated list, or a list of strings.`;
	if (typeof value === 'object' && !Array.isArray(value)) {
		const record = value as Record<string, unknown>;
		const field = ['media_id', 'media_key', 'id'].find((key) => record[key] !== undefined);
		hint = field
			? `It looks like a whole item was passed; map its ${field} field instead, for example ${rules.example}.`
			: `Map the field that holds the ${rules.noun}, for example ${rules.example}.`;
	}
	throw new MediaInputError(`${label} must contain ${rules.noun}s, but got ${typeName(value)}`, hint);
}

function splitList(text: string, label: string, rules: IdRules, out: string[]): void {
	let body = text.trim();
	// A list that was turned into text, e.g. '["1", "2"]'.
	if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
	for (const raw of body.split(/[\s,;]+/)) {
		const token = raw.replace(/^["']+|["']+$/g, '');
		if (token !== '') out.push(checkToken(token, label, rules));
	}
}

function numberToId(value: number, label: string, rules: IdRules): string {
	if (!rules.numbersAllowed) {
		throw new MediaInputError(
			`${label} got the number ${String(value)}, which is not a ${rules.noun}`,
			`A ${rules.noun} is ${rules.shape}. Map the field that holds it, for example ${rules.example}.`,
		);
	}
	if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
		throw new MediaInputError(
			`${label} got the number ${formatNumber(value)}, which is too large to be exact: the ${rules.noun} has lost precision`,
			`JavaScript numbers are exact only up to ${Number.MAX_SAFE_INTEGER}, and X's ids are longer, so a ${rules.noun} must be passed as a string. Map the string field (for example ${rules.example}) instead of a numeric expression, and do not use Number(), parseInt() or arithmetic on ids. For v1.1 responses, use media_id_string, not media_id.`,
		);
	}
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new MediaInputError(
			`${label} got the number ${String(value)}, which is not a valid ${rules.noun}`,
			`A ${rules.noun} is ${rules.shape}.`,
		);
	}
	return checkToken(String(value), label, rules);
}

function formatNumber(value: number): string {
	// 1.8800281060205158e+21 reads worse than the digits JavaScript actually kept.
	return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

function checkToken(token: string, label: string, rules: IdRules): string {
	if (rules.pattern.test(token)) return token;
	let hint = `A ${rules.noun} is ${rules.shape}. Separate several with commas.`;
	if (/^[0-9]+(\.[0-9]+)?e\+?[0-9]+$/i.test(token) || /^[0-9]+\.[0-9]+$/.test(token)) {
		hint = `This looks like an id that went through a number and lost precision. Pass ${rules.noun}s as strings: map the string field (for example ${rules.example}) instead of a numeric expression.`;
	} else if (rules.pattern === ID_PATTERN && /^[0-9]+_[0-9]+$/.test(token)) {
		hint = `This is a media key, not a ${rules.noun}: the ${rules.noun} is the part after the underscore. Map ${rules.example} instead.`;
	} else if (rules.pattern === ID_PATTERN && /^[0-9]{20,}$/.test(token)) {
		hint = `It has ${token.length} digits; a ${rules.noun} has at most 19.`;
	} else if (rules.pattern === MEDIA_KEY_PATTERN && ID_PATTERN.test(token)) {
		hint = `This is a media id, not a media key. Map ${rules.example} (for example from the Upload operation's output) instead.`;
	}
	throw new MediaInputError(`${label} contains ${quoteValue(token)}, which is not a valid ${rules.noun}`, hint);
}

function unique(values: string[]): string[] {
	const seen = new Set<string>();
	const result: string[] = [];
	for (const value of values) {
		if (!seen.has(value)) {
			seen.add(value);
			result.push(value);
		}
	}
	return result;
}

function parseList(value: unknown, label: string, rules: IdRules, max?: number): string[] {
	const out: string[] = [];
	collect(value, label, rules, out, 0);
	const result = unique(out);
	if (max !== undefined && result.length > max) {
		throw new MediaInputError(
			`${label} has ${result.length} ${rules.noun}s; at most ${max} are allowed`,
			`Remove ${result.length - max} of them.`,
		);
	}
	return result;
}

/**
 * Media ids from an array, a comma/whitespace-separated string, one string or one safe
 * integer. Empty entries are dropped and duplicates removed (first occurrence kept). An
 * empty value gives `[]`.
 */
export function parseMediaIds(value: unknown, fieldLabel: string): string[] {
	return parseList(value, fieldLabel, MEDIA_ID_RULES);
}

/** Exactly one media id. */
export function assertMediaId(value: unknown, label: string): string {
	return single(parseList(value, label, MEDIA_ID_RULES), label, MEDIA_ID_RULES);
}

/** Exactly one post id (a reply's target). */
export function assertPostId(value: unknown, label: string): string {
	return single(parseList(value, label, POST_ID_RULES), label, POST_ID_RULES);
}

/** Exactly one Community id. */
export function assertCommunityId(value: unknown, label: string): string {
	return single(parseList(value, label, COMMUNITY_ID_RULES), label, COMMUNITY_ID_RULES);
}

/** User ids (tagged users, additional owners), same rules as media ids; `max` caps the count. */
export function parseUserIds(value: unknown, fieldLabel: string, max?: number): string[] {
	return parseList(value, fieldLabel, USER_ID_RULES, max);
}

/** Media keys (`13_1880028106020515840`); numbers are refused. */
export function parseMediaKeys(value: unknown, fieldLabel = 'Media Key'): string[] {
	const keys = parseList(value, fieldLabel, MEDIA_KEY_RULES);
	if (keys.length === 0) {
		throw new MediaInputError(
			`${fieldLabel} is empty`,
			`Enter a ${MEDIA_KEY_RULES.noun} or map it from a previous node, for example ${MEDIA_KEY_RULES.example}.`,
		);
	}
	return keys;
}

function single(ids: string[], label: string, rules: IdRules): string {
	if (ids.length === 1) return ids[0];
	if (ids.length === 0) {
		throw new MediaInputError(
			`${label} is empty`,
			`Enter a ${rules.noun} or map it from a previous node, for example ${rules.example}.`,
		);
	}
	throw new MediaInputError(
		`${label} must be one ${rules.noun}, but got ${ids.length}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`,
		`Pass a single ${rules.noun}. To handle several, send one item per ${rules.noun}.`,
	);
}

/** Exactly one user id (a Direct Message's participant). */
export function assertUserId(value: unknown, label: string): string {
	return single(parseList(value, label, USER_ID_RULES), label, USER_ID_RULES);
}

/**
 * A Direct Message conversation id: a group conversation's id (digits) or a one-to-one
 * conversation's two user ids joined by a dash, as X returns them in `dm_conversation_id`.
 */
export function assertDmConversationId(value: unknown, label: string): string {
	const text = typeof value === 'number' ? numberToId(value, label, USER_ID_RULES) : typeof value === 'string' ? value.trim() : value;
	if (typeof text === 'string' && /^[0-9]{1,19}(-[0-9]{1,19})?$/.test(text)) return text;
	throw new MediaInputError(
		`${label} ${typeof text === 'string' ? `is ${quoteValue(text)}, which` : `got ${typeName(value)}, which`} is not a Direct Message conversation id`,
		'A conversation id is what X returns as dm_conversation_id: digits, or two user ids joined by a dash (for example 1880000000000000001-1880000000000000002). Map {{ $json.dm_conversation_id }} from an earlier Send Direct Message step.',
	);
}
