/**
 * The media module's byte-reading toolkit, used by type detection and by every reader:
 * bounds-checked integers and text (-1 / '' when out of range), EBML variable-length integers
 * and element lists, ISO BMFF box lists.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */

export function u8(b: Uint8Array, i: number): number {
	return i >= 0 && i < b.length ? b[i] : -1;
}

export function u16le(b: Uint8Array, i: number): number {
	return i >= 0 && i + 2 <= b.length ? b[i] | (b[i + 1] << 8) : -1;
}

export function u32le(b: Uint8Array, i: number): number {
	return i >= 0 && i + 4 <= b.length
		? (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000
		: -1;
}

export function u32be(b: Uint8Array, i: number): number {
	return i >= 0 && i + 4 <= b.length
		? b[i] * 0x1000000 + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3])
		: -1;
}

/** A 64-bit big-endian size (exact up to 2^53), or -1 when out of range. */
export function u64be(b: Uint8Array, i: number): number {
	const high = u32be(b, i);
	const low = u32be(b, i + 4);
	return high < 0 || low < 0 ? -1 : high * 0x100000000 + low;
}

export function ascii(b: Uint8Array, start: number, length: number): string {
	if (start < 0 || start + length > b.length) return '';
	let s = '';
	for (let i = start; i < start + length; i++) s += String.fromCharCode(b[i]);
	return s;
}

export function startsWith(b: Uint8Array, bytes: readonly number[], at = 0): boolean {
	if (at + bytes.length > b.length) return false;
	for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
	return true;
}

export function indexOfAscii(b: Uint8Array, needle: string, from: number, to: number): number {
	const end = Math.min(to, b.length) - needle.length;
	outer: for (let i = Math.max(0, from); i <= end; i++) {
		for (let j = 0; j < needle.length; j++) {
			if (b[i + j] !== needle.charCodeAt(j)) continue outer;
		}
		return i;
	}
	return -1;
}

/** First bytes in hex, e.g. "89 50 4e 47" (for error messages). */
export function hexPreview(b: Uint8Array, count = 16): string {
	const parts: string[] = [];
	for (let i = 0; i < Math.min(count, b.length); i++) parts.push(b[i].toString(16).padStart(2, '0'));
	return parts.join(' ') + (b.length > count ? ' …' : '');
}

/** A four-character code printable in a message. */
export function fourcc(type: string): string {
	return type.replace(/[^\x20-\x7e]/g, '?').trim();
}

// ---------------------------------------------------------------------------------------------
// EBML (WebM, Matroska): variable-length integers and elements

/** The length an EBML vint announces in its first byte: 1 to `max`, or more when invalid. */
export function vintLength(first: number, max: number): number {
	let length = 1;
	while (length <= max && !(first & (0x80 >> (length - 1)))) length++;
	return length;
}

export interface Vint {
	value: number;
	length: number;
	/** A size whose value bits are all ones: EBML's "unknown size". */
	unknown: boolean;
}

/** The EBML vint at `b[at]`; `keepMarker` keeps the length bits (element ids). */
export function readVint(b: Uint8Array, at: number, keepMarker: boolean): Vint | undefined {
	const first = u8(b, at);
	if (first < 0) return undefined;
	const length = vintLength(first, 8);
	if (length > 8 || at + length > b.length) return undefined;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		value = value * 256 + b[at + i];
		if (b[at + i] !== 0xff) allOnes = false;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

/** An EBML element: its id, and its payload's start and end in the buffer. */
export interface EbmlElement {
	id: number;
	start: number;
	end: number;
}

const MAX_CHILDREN = 100000;

/** EBML child elements of `b[start, end)`; stops (no throw) at one of unknown size or that does not fit. */
export function ebmlElements(b: Uint8Array, start: number, end: number): EbmlElement[] {
	const out: EbmlElement[] = [];
	let at = start;
	while (at < end && out.length < MAX_CHILDREN) {
		const id = readVint(b, at, true);
		if (!id) break;
		const size = readVint(b, at + id.length, false);
		if (!size || size.unknown) break;
		const dataStart = at + id.length + size.length;
		if (dataStart + size.value > end) break;
		out.push({ id: id.value, start: dataStart, end: dataStart + size.value });
		at = dataStart + size.value;
	}
	return out;
}

/** An EBML element's payload as text, without trailing NULs (DocType, CodecID). */
export function ebmlString(b: Uint8Array, e: EbmlElement): string {
	return ascii(b, e.start, e.end - e.start).replace(/\0+$/, '');
}

// ---------------------------------------------------------------------------------------------
// ISO BMFF (MP4, MOV): boxes

/** An ISO BMFF box: its type, and its payload's start and end in the buffer. */
export interface IsoBox {
	type: string;
	start: number;
	end: number;
}

/** Child boxes of `b[start, end)` (size 1: 64-bit size; 0: to the end); stops (no throw) at one that does not fit. */
export function isoBoxes(b: Uint8Array, start: number, end: number): IsoBox[] {
	const out: IsoBox[] = [];
	let at = start;
	while (at + 8 <= end && out.length < MAX_CHILDREN) {
		let size = u32be(b, at);
		const type = ascii(b, at + 4, 4);
		let header = 8;
		if (size === 1) {
			if (at + 16 > end) break;
			size = u64be(b, at + 8);
			header = 16;
		} else if (size === 0) {
			size = end - at;
		}
		if (size < header || at + size > end) break;
		out.push({ type, start: at + header, end: at + size });
		at += size;
	}
	return out;
}
