#!/usr/bin/env bash
# Makes the real media the readers and the rules are tested against, with ffmpeg, and writes
# expected.json: what ffprobe says about each file (tests compare the node's readers with it).
# The files are committed (KBs each), so the test suite needs no ffmpeg; run this to remake them:
#   bash test/media/make-media.sh
# Needs ffmpeg/ffprobe (Debian 12: ffmpeg 5.1, with libx264, libx265, libvpx, libopus, libwebp)
# and node (for the HE-AAC rewrite and the JSON).
set -euo pipefail
cd "$(dirname "$0")"
out=files
rm -rf "$out"
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# Small pictures and sounds: a test pattern and a sine, low resolution and low bitrate.
src() { echo "testsrc2=size=${1}:rate=${2}:duration=${3}"; }
tone() { echo "sine=frequency=440:sample_rate=44100:duration=${1}"; }
x264=(-c:v libx264 -preset veryfast -crf 40 -pix_fmt yuv420p -g 30)
aac=(-c:a aac -b:a 24k -ac 2)

ff -f lavfi -i "$(src 160x90 30 3)" -f lavfi -i "$(tone 3)" "${x264[@]}" "${aac[@]}" -movflags +faststart "$out/h264-aac-moov-first.mp4"
ff -f lavfi -i "$(src 160x90 30 3)" -f lavfi -i "$(tone 3)" "${x264[@]}" "${aac[@]}" "$out/h264-aac-moov-last.mp4"
ff -f lavfi -i "$(src 160x90 25 2)" -f lavfi -i "$(tone 2)" "${x264[@]}" "${aac[@]}" -f mov "$out/h264-aac.mov"
ff -f lavfi -i "$(src 160x90 30 2)" -f lavfi -i "$(tone 2)" -c:v libx265 -preset ultrafast -crf 40 -pix_fmt yuv420p -tag:v hvc1 -x265-params log-level=none "${aac[@]}" "$out/hevc-aac.mp4"
ff -f lavfi -i "$(src 160x90 30 2)" -f lavfi -i "$(tone 2)" -c:v libvpx-vp9 -b:v 50k -deadline realtime -cpu-used 8 -c:a libopus -b:a 16k "$out/vp9-opus.webm"
ff -f lavfi -i "$(src 160x90 30 3)" -f lavfi -i "$(tone 3)" "${x264[@]}" "${aac[@]}" -movflags frag_keyframe+empty_moov+default_base_moof "$out/fragmented.mp4"
ff -f lavfi -i "$(src 64x36 5 150)" "${x264[@]}" -g 50 "$out/long-150s.mp4"
ff -f lavfi -i "$(src 160x90 30 0.3)" "${x264[@]}" "$out/short-0.3s.mp4"
ff -f lavfi -i "$(src 160x90 120 1)" "${x264[@]}" -g 120 "$out/fps-120.mp4"
ff -f lavfi -i "$(src 256x64 30 1)" "${x264[@]}" "$out/aspect-4x1.mp4"
ff -f lavfi -i "$(src 16x16 30 1)" "${x264[@]}" "$out/tiny-16x16.mp4"
ff -f lavfi -i "$(src 160x90 30 1)" -f lavfi -i "$(tone 1)" "${x264[@]}" -c:a ac3 -b:a 64k "$out/ac3-audio.mp4"
ff -f lavfi -i "$(src 160x90 30 1)" -f lavfi -i "$(tone 1)" "${x264[@]}" -c:a aac -b:a 64k -ac 6 -channel_layout 5.1 "$out/aac-5.1.mp4"
ff -f lavfi -i "$(src 160x90 30 1)" -c:v libx264 -preset veryfast -crf 40 -pix_fmt yuv444p "$out/h264-yuv444.mp4"
# HE-AAC: written by rewriting the AudioSpecificConfig of an AAC-LC file (see rewrite-asc.mjs).
ff -f lavfi -i "$(src 160x90 30 1)" -f lavfi -i "$(tone 1)" "${x264[@]}" "${aac[@]}" "$out/.lc-for-he.mp4"
node rewrite-asc.mjs "$out/.lc-for-he.mp4" "$out/he-aac.mp4" 5
node rewrite-asc.mjs "$out/.lc-for-he.mp4" "$out/he-aac-v2.mp4" 29
rm "$out/.lc-for-he.mp4"
# Animated images.
ff -f lavfi -i "$(src 32x32 25 16)" -vf "split[a][b];[a]palettegen=max_colors=4[p];[b][p]paletteuse" -loop 0 "$out/gif-400-frames.gif"
ff -f lavfi -i "$(src 32x32 10 1)" -vf "split[a][b];[a]palettegen=max_colors=4[p];[b][p]paletteuse" -loop 0 "$out/gif-10-frames.gif"
ff -f lavfi -i "$(src 24x24 5 1)" -plays 0 -f apng "$out/apng-5-frames.png"
ff -f lavfi -i "$(src 32x32 10 1)" -c:v libwebp_anim -lossless 0 -q:v 10 -loop 0 "$out/animated.webp"
ff -f lavfi -i "$(src 40x30 1 1)" -frames:v 1 "$out/still.png"
ff -f lavfi -i "$(src 40x30 1 1)" -frames:v 1 -q:v 10 "$out/still.jpg"
ff -f lavfi -i "$(src 40x30 1 1)" -frames:v 1 -c:v libwebp "$out/still.webp"

node write-expected.mjs "$out" > expected.json
echo "wrote $(ls "$out" | wc -l) files, $(du -sh "$out" | cut -f1) in all; expected values in expected.json:"
cat expected.json
