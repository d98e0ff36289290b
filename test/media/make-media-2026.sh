#!/usr/bin/env bash
# Makes the test media for issue 18 (X's September 2026 limits and the new media checks) in
# files-2026/, and writes expected-2026.json (what ffprobe says about each file, plus the MP4/HEIF
# boxes that matter: ftyp brands, moov position, mvhd/tkhd/mdhd durations, edit lists, tkhd matrix).
# README-2026.md says what each file is for. The files are committed (KBs each), so the test suite
# needs no ffmpeg; run this to remake them (it deletes and rewrites files-2026/ only):
#   bash test/media/make-media-2026.sh
# It does not touch files/, expected.json or make-media.sh (the older set, other tests).
# Needs: ffmpeg/ffprobe 5.1 as in Debian 12 (libx264 with 10-bit, libx265, libaom-av1), heif-enc
# (apt-get install libheif-examples), avifenc (apt-get install libavif-bin), node (for the JSON).
set -euo pipefail
cd "$(dirname "$0")"
out=files-2026
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -fflags +bitexact: no encoder version strings in the container, so a rerun gives the same bytes.
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
bx=(-fflags +bitexact -map_metadata -1)

# Sources: ffmpeg's test patterns and a sine. testsrc2 moves every frame; testsrc (a counter on
# colour bars) compresses better and is used for the long files.
src() { echo "testsrc2=size=${1}:rate=${2}:duration=${3}"; }
tone() { echo "sine=frequency=440:sample_rate=44100:duration=${1}"; }
# H.264 High, 8-bit 4:2:0, low quality (the tests read structure, not pictures). -sc_threshold 0
# keeps x264 from adding keyframes, so a GOP is exactly -g frames.
x264=(-c:v libx264 -preset veryfast -crf 40 -pix_fmt yuv420p -sc_threshold 0)
aac=(-c:a aac -b:a 24k -ac 2)

# --- A video file with no video track (X: every video rule assumes a picture; refused) ---------
# AAC-LC audio only, 2 s. The .mp4 is written by the mp4 muxer (brand isom), the .m4a by the
# ipod muxer that ffmpeg picks for .m4a (brand M4A). Same audio in both.
ff -f lavfi -i "$(tone 2)" "${aac[@]}" "${bx[@]}" "$out/audio-only.mp4"
ff -f lavfi -i "$(tone 2)" "${aac[@]}" "${bx[@]}" "$out/audio-only.m4a"

# --- Interlaced H.264 (X: "must use progressive scan"; refused) --------------------------------
# +ildct+ilme makes x264 code interlaced (PAFF/MBAFF: SPS frame_mbs_only_flag = 0), tff=1 top field
# first; ffprobe reports field_order "tt". x264 needs a height divisible by 4 for interlaced
# coding, so this one is 192x108 (160x90 is refused by x264). 1 s, 30 fps.
ff -f lavfi -i "$(src 192x108 30 1)" "${x264[@]}" -flags +ildct+ilme -x264opts tff=1 "${bx[@]}" "$out/interlaced.mp4"

# --- Trimmed without re-encoding: an edit list (X: >= 0.5 s of video; duration is what plays) ---
# A 1.8 s clip with a single keyframe (-g 60 > 54 frames). "-ss T -i in -c copy" cannot cut
# inside the GOP, so ffmpeg copies every stored frame from the keyframe at 0 and the mov muxer
# writes an elst whose media_time skips to T (plus x264's B-frame delay) and whose
# segment_duration is what plays: 1.8 - T. ffprobe (after the edit list) says 0.4 s and 1.3 s;
# with -ignore_editlist 1 it says 1.8 s. Both files store all 54 frames.
ff -f lavfi -i "$(src 160x90 30 1.8)" "${x264[@]}" -g 60 "${bx[@]}" "$tmp/stored-1800ms.mp4"
ff -ss 1.4 -i "$tmp/stored-1800ms.mp4" -c copy "${bx[@]}" "$out/trimmed-editlist.mp4"
ff -ss 0.5 -i "$tmp/stored-1800ms.mp4" -c copy "${bx[@]}" "$out/trimmed-1300ms.mp4"

# --- Rotated phone video: width/height as a viewer sees them -----------------------------------
# Stored 160x90 (landscape), played 90x160. ffmpeg 5.1 has no -display_rotation; it writes a
# display matrix from the output stream's "rotate" metadata only when the stream is copied, so
# encode first, then copy with rotate set.
#  rotated-90.mp4:  rotate=-90 -> tkhd matrix {0, 1, -1, 0} (a, b, c, d), the matrix a phone writes
#                   for portrait (player turns the picture 90 degrees clockwise); ffprobe
#                   "rotation": -90 (ffmpeg counts counter-clockwise).
#  rotated-270.mp4: rotate=90 -> tkhd matrix {0, -1, 1, 0}: turned 90 degrees counter-clockwise
#                   (= 270 clockwise); ffprobe "rotation": 90. Also 90x160 to a viewer.
ff -f lavfi -i "$(src 160x90 30 1)" "${x264[@]}" "${bx[@]}" "$tmp/landscape.mp4"
ff -i "$tmp/landscape.mp4" -c copy -metadata:s:v rotate=-90 "${bx[@]}" "$out/rotated-90.mp4"
ff -i "$tmp/landscape.mp4" -c copy -metadata:s:v rotate=90 "${bx[@]}" "$out/rotated-270.mp4"

# --- Long videos that stay small: the per-account duration caps ---------------------------------
# 64x64, 1 fps, no audio, x264 at crf 51 with -tune stillimage, a keyframe every 300 s.
# long-21min: 1260 s, over a standard account's 20 min for a post (refused on standard, fine on
#             Premium's 125 min). long-3min: 180 s, over the old 140 s, fine for a post today; over
#             140 s for a DM on a standard account. dm-150s: 150 s, the DM case (standard: over 140 s).
# All three are written the default way: moov AFTER mdat (what most exports and ffmpeg do).
# long-3min-moov-first.mp4 is the same video with -movflags +faststart (moov BEFORE mdat).
long=(-c:v libx264 -preset veryfast -tune stillimage -crf 51 -pix_fmt yuv420p -g 300 -sc_threshold 0)
ff -f lavfi -i "testsrc=size=64x64:rate=1:duration=1260" "${long[@]}" "${bx[@]}" "$out/long-21min.mp4"
ff -f lavfi -i "testsrc=size=64x64:rate=1:duration=180" "${long[@]}" "${bx[@]}" "$out/long-3min.mp4"
ff -f lavfi -i "testsrc=size=64x64:rate=1:duration=180" "${long[@]}" -movflags +faststart "${bx[@]}" "$out/long-3min-moov-first.mp4"
ff -f lavfi -i "testsrc=size=64x64:rate=1:duration=150" "${long[@]}" "${bx[@]}" "$out/dm-150s.mp4"

# --- Warnings (X recommends or says nothing; uploaded with a warning) ---------------------------
# 10-bit H.264 (High 10, yuv420p10le): bit depth above 8.
ff -f lavfi -i "$(src 160x90 30 1)" -c:v libx264 -preset veryfast -crf 40 -pix_fmt yuv420p10le -profile:v high10 -sc_threshold 0 "${bx[@]}" "$out/h264-10bit.mp4"
# HEVC at 1920x1080: codec other than H.264 and above 1280x1024. One frame at 1 fps = 1 s (>= 0.5 s).
ff -f lavfi -i "$(src 1920x1080 1 1)" -c:v libx265 -preset ultrafast -crf 45 -pix_fmt yuv420p -tag:v hvc1 -x265-params log-level=none "${bx[@]}" "$out/hevc-1080p-warn.mp4"
# AV1 in MP4 (libaom-av1; Debian's ffmpeg 5.1 also has libsvtav1 and librav1e).
ff -f lavfi -i "$(src 160x90 30 1)" -c:v libaom-av1 -cpu-used 8 -crf 50 -b:v 0 -pix_fmt yuv420p "${bx[@]}" "$out/av1.mp4"

# --- Image formats X takes in neither its docs nor its spec (refused) --------------------------
# A 64x64 still, encoded by libheif (HEVC in HEIF: ftyp heic, compatible mif1 heic miaf) and by
# libavif (AV1 in HEIF: ftyp avif). avis.avif is an AVIF image sequence (ftyp avis; 5 frames).
ff -f lavfi -i "$(src 64x64 1 1)" -frames:v 1 "$tmp/still.png"
heif-enc -q 30 -o "$out/heic.heic" "$tmp/still.png" >/dev/null
avifenc -s 10 --min 30 --max 40 "$tmp/still.png" "$out/avif.avif" >/dev/null
ff -f lavfi -i "$(src 64x64 5 1)" -pix_fmt yuv420p -f yuv4mpegpipe "$tmp/seq.y4m"
avifenc -s 10 --min 30 --max 40 --fps 5 "$tmp/seq.y4m" "$out/avis.avif" >/dev/null
# avifenc stamps the sequence's mvhd/tkhd/mdhd with the current time; zero creation_time and
# modification_time (nothing else changes, no size changes) so a rerun gives the same bytes.
node -e '
const fs = require("fs"), f = process.argv[1], b = fs.readFileSync(f);
for (let p = 0; p + 8 <= b.length; p += b.readUInt32BE(p)) {
  if (b.toString("latin1", p + 4, p + 8) !== "moov") continue;
  const end = p + b.readUInt32BE(p);
  for (const type of ["mvhd", "tkhd", "mdhd"])
    for (let q = b.indexOf(type, p, "latin1"); q !== -1 && q < end; q = b.indexOf(type, q + 4, "latin1"))
      b.fill(0, q + 8, q + 8 + (b[q + 4] === 1 ? 16 : 8)); // after the 4CC: version/flags, then the two times
}
fs.writeFileSync(f, b);' "$out/avis.avif"

node write-expected-2026.mjs "$out" > expected-2026.json
echo "wrote $(ls "$out" | wc -l) files, $(du -cb "$out"/* | tail -1 | cut -f1) bytes in all; expected values in expected-2026.json"
