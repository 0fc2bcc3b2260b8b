#!/usr/bin/env bash
# Install the stripe-node client that drives the emulator (tests/emulator/test_emu_clients.py).
#
# Installs client.mjs with the stripe package pinned by the committed package.json and
# package-lock.json, from the npm registry (`npm ci`), into a cache outside the checkout,
#   ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}/stripe-node-client/<version>/
# A cache hit (same pin, same sources) runs no npm command and downloads nothing; a cold
# install takes a few seconds. Needs node and npm (Node.js 20 or later, stripe-node's floor).
#
# Usage: tests/emulator/stripe-node/install.sh [--check] [--force]
#   --check  exit 0 when the cache holds an install of these sources
#   --force  reinstall the cache entry
# Prints the path of client.mjs on stdout (run it with node).
set -euo pipefail

TOOL=stripe-node-client
. "$(dirname "${BASH_SOURCE[0]}")/../../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="$(sed -n 's/^ *"stripe": "\([0-9.]*\)".*/\1/p' "$SCRIPT_DIR/package.json")"
[ -n "$VERSION" ] || die "no pinned stripe version in $SCRIPT_DIR/package.json"
cache_entry stripe-node-client "$VERSION"
SOURCES=(package.json package-lock.json client.mjs)
want_stamp="stripe-node=$VERSION sources=$(sources_sum "$SCRIPT_DIR" "${SOURCES[@]}")"

cached() { stamp_is "$want_stamp" && [ -d "$CACHE_DIR/node_modules/stripe" ]; }

if [ "$CHECK_ONLY" = 1 ]; then
    if cached; then log "ready: $CACHE_DIR ($want_stamp)"; exit 0; fi
    log "not ready: $CACHE_DIR is missing or stale"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && cached; then
    log "cache hit: $CACHE_DIR"
    echo "$CACHE_DIR/client.mjs"
    exit 0
fi

command -v node >/dev/null 2>&1 || die "node is not on PATH: it is needed to run the stripe-node client"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH: it is needed to install stripe@$VERSION"
log "installing stripe@$VERSION from the npm registry into $CACHE_DIR"
start=$(date +%s)
rm -rf "$STAMP" "$CACHE_DIR/node_modules"
for f in "${SOURCES[@]}"; do cp "$SCRIPT_DIR/$f" "$CACHE_DIR/"; done
(cd "$CACHE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2) \
    || die "npm ci failed in $CACHE_DIR (is the npm registry reachable?)"
stamp_write "$want_stamp"
log "installed in $(( $(date +%s) - start ))s"
echo "$CACHE_DIR/client.mjs"
