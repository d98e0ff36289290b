// Rewrites the AudioSpecificConfig of an AAC-LC MP4 (moov after mdat, as ffmpeg writes it by
// default) into explicit HE-AAC (object type 5, SBR) or HE-AACv2 (29, SBR + PS) signalling, and
// fixes the size of every enclosing descriptor and box (esds descriptors, esds, mp4a, stsd, stbl,
// minf, mdia, trak, moov). Debian's ffmpeg has no HE-AAC encoder (libfdk_aac is not in Debian),
// so this is how the HE-AAC test files are made. The audio frames stay AAC-LC: the file is for
// checking what a reader sees in the headers, not for listening.
//
// Usage: node rewrite-asc.mjs in.mp4 out.mp4 5|29
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, aotArg] = process.argv.slice(2);
const aot = Number(aotArg);
if (!input || !output || (aot !== 5 && aot !== 29)) {
	console.error('usage: node rewrite-asc.mjs in.mp4 out.mp4 5|29');
	process.exit(2);
}
const file = readFileSync(input);

function findBox(buf, start, end, type) {
	for (let at = start; at + 8 <= end; ) {
		const size = buf.readUInt32BE(at);
		if (size < 8) break;
		if (buf.toString('latin1', at + 4, at + 8) === type) return { at, size };
		at += size;
	}
	return undefined;
}

// The chain of boxes down to esds, with the byte offset where each child's search starts.
const path = [];
let scope = { start: 0, end: file.length };
for (const [type, skip] of [['moov', 8], ['trak', 8], ['mdia', 8], ['minf', 8], ['stbl', 8], ['stsd', 16], ['mp4a', 36], ['esds', 12]]) {
	let box = findBox(file, scope.start, scope.end, type);
	// More than one trak: take the one whose mdia/hdlr says "soun".
	while (type === 'trak' && box && !file.subarray(box.at, box.at + box.size).includes(Buffer.from('soun'))) {
		box = findBox(file, box.at + box.size, scope.end, type);
	}
	if (!box) throw new Error(`no ${type} box`);
	path.push(box);
	scope = { start: box.at + skip, end: box.at + box.size };
}
const moov = path[0];
const mdat = findBox(file, 0, file.length, 'mdat');
if (!mdat || mdat.at > moov.at) throw new Error('need a file with moov after mdat (chunk offsets then stay valid)');

const esds = path[path.length - 1];
// Descriptors inside esds: tag, expandable size (ffmpeg writes 4 bytes: 80 80 80 nn).
let at = esds.at + 12;
const sizeFields = [];
function descriptor(expectTag) {
	if (file[at] !== expectTag) throw new Error(`descriptor tag ${file[at]} where ${expectTag} was expected`);
	const sizeAt = at + 1;
	let size = 0;
	let n = 0;
	for (;;) {
		const b = file[sizeAt + n];
		size = size * 128 + (b & 0x7f);
		n++;
		if (!(b & 0x80)) break;
	}
	if (n !== 4) throw new Error('expected 4-byte descriptor sizes (as ffmpeg writes)');
	sizeFields.push(sizeAt + 3);
	at = sizeAt + n;
	return size;
}
descriptor(0x03);
at += 3; // ES_ID, flags (ffmpeg sets none)
descriptor(0x04);
at += 13;
const ascLength = descriptor(0x05);
const ascAt = at;
const asc = file.subarray(ascAt, ascAt + ascLength);
const coreAot = asc[0] >> 3;
if (coreAot !== 2) throw new Error(`the input's audio is object type ${coreAot}, not AAC-LC (2)`);
const freqIndex = ((asc[0] & 0x07) << 1) | (asc[1] >> 7);
const channels = (asc[1] >> 3) & 0x0f;
// Explicit signalling: AOT (5 bits), sampling index, channels, extension sampling index, core AOT 2, GA config (3 zero bits).
const bits = [[aot, 5], [freqIndex, 4], [aot === 29 ? 1 : channels, 4], [freqIndex, 4], [2, 5], [0, 3]];
let value = 0n;
let count = 0;
for (const [v, n] of bits) {
	value = (value << BigInt(n)) | BigInt(v);
	count += n;
}
const bytes = Math.ceil(count / 8);
value <<= BigInt(bytes * 8 - count);
const newAsc = Buffer.alloc(bytes);
for (let i = bytes - 1; i >= 0; i--) {
	newAsc[i] = Number(value & 0xffn);
	value >>= 8n;
}
const grow = newAsc.length - asc.length;
for (const f of sizeFields) {
	if (file[f] + grow > 0x7f) throw new Error('descriptor size overflow');
	file[f] += grow;
}
for (const box of path) file.writeUInt32BE(box.size + grow, box.at);
const out = Buffer.concat([file.subarray(0, ascAt), newAsc, file.subarray(ascAt + asc.length)]);
writeFileSync(output, out);
console.log(`${output}: AudioSpecificConfig ${asc.toString('hex')} -> ${newAsc.toString('hex')} (object type ${aot}), ${path.length} boxes and 3 descriptors resized by ${grow} bytes`);
