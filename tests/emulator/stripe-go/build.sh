#!/usr/bin/env bash
# Build the stripe-go client that drives the emulator (tests/emulator/test_emu_framing.py).
#
# Builds main.go (pinned by the committed go.mod/go.sum: github.com/stripe/stripe-go/v84) from
# the Go module proxy into a cache outside the checkout,
#   ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}/stripe-go-client/<version>/stripe-go-client
# and links it to <repo>/.tools/bin/stripe-go-client (git-ignored). A cache hit (same pin, same
# sources) runs no go command and downloads nothing; a cold build takes about 20 s.
#
# Usage: tests/emulator/stripe-go/build.sh [--check] [--force]
#   --check  exit 0 when .tools/bin/stripe-go-client is the cached build of these sources
#   --force  rebuild the cache entry
# Prints the path of the binary on stdout.
set -euo pipefail

TOOL=stripe-go-client
. "$(dirname "${BASH_SOURCE[0]}")/../../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_BIN="$(cd "$SCRIPT_DIR/../../.." && pwd)/.tools/bin"
VERSION="$(awk '$1 == "require" && $2 == "github.com/stripe/stripe-go/v84" { print $3 }' "$SCRIPT_DIR/go.mod")"
[ -n "$VERSION" ] || die "no stripe-go/v84 requirement in $SCRIPT_DIR/go.mod"
cache_entry stripe-go-client "$VERSION"
BIN="$CACHE_DIR/stripe-go-client"
SOURCES=(go.mod go.sum main.go)
want_stamp="stripe-go=$VERSION sources=$(sources_sum "$SCRIPT_DIR" "${SOURCES[@]}")"

cached() { [ -x "$BIN" ] && stamp_is "$want_stamp"; }
link() { link_tool "$BIN" stripe-go-client; echo "$TOOLS_BIN/stripe-go-client"; }

if [ "$CHECK_ONLY" = 1 ]; then
    if cached && linked_to "$BIN" stripe-go-client; then
        log "ready: $TOOLS_BIN/stripe-go-client ($want_stamp)"; exit 0
    fi
    log "not ready: $TOOLS_BIN/stripe-go-client is missing or stale"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && cached; then
    log "cache hit: $BIN"
    link
    exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not on PATH: it is needed to build the stripe-go client"
log "building with github.com/stripe/stripe-go/v84@$VERSION into $CACHE_DIR"
start=$(date +%s)
WORK="$CACHE_DIR/src"
rm -rf "$WORK" "$STAMP"
mkdir -p "$WORK"
for f in "${SOURCES[@]}"; do cp "$SCRIPT_DIR/$f" "$WORK/"; done
(cd "$WORK" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$BIN.tmp" .) \
    || die "go build failed in $WORK (is the Go module proxy reachable?)"
mv "$BIN.tmp" "$BIN"
stamp_write "$want_stamp"
log "built in $(( $(date +%s) - start ))s"
link
