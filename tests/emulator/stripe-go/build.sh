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

log() { printf '[stripe-go-client] %s\n' "$*" >&2; }
die() { printf '[stripe-go-client] ERROR: %s\n' "$*" >&2; exit 1; }

CHECK_ONLY=0
FORCE=0
for arg in "$@"; do
    case "$arg" in
        --check) CHECK_ONLY=1 ;;
        --force) FORCE=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown argument: $arg" ;;
    esac
done

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
VERSION="$(awk '$1 == "require" && $2 == "github.com/stripe/stripe-go/v84" { print $3 }' "$SCRIPT_DIR/go.mod")"
[ -n "$VERSION" ] || die "no stripe-go/v84 requirement in $SCRIPT_DIR/go.mod"
CACHE_ROOT="${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}"
CACHE_DIR="$CACHE_ROOT/stripe-go-client/$VERSION"
BIN="$CACHE_DIR/stripe-go-client"
STAMP="$CACHE_DIR/complete"
SOURCES=(go.mod go.sum main.go)
want_stamp="stripe-go=$VERSION sources=$(cd "$SCRIPT_DIR" && cat "${SOURCES[@]}" | cksum | cut -d' ' -f1)"

cached() { [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ]; }
link() { mkdir -p "$TOOLS_BIN" && ln -sfn "$BIN" "$TOOLS_BIN/stripe-go-client"; echo "$TOOLS_BIN/stripe-go-client"; }

if [ "$CHECK_ONLY" = 1 ]; then
    if cached && [ "$(readlink -f "$TOOLS_BIN/stripe-go-client" 2>/dev/null)" = "$(readlink -f "$BIN")" ]; then
        log "ready: $TOOLS_BIN/stripe-go-client ($want_stamp)"; exit 0
    fi
    log "not ready: $TOOLS_BIN/stripe-go-client is missing or stale"; exit 1
fi

mkdir -p "$CACHE_DIR"
if command -v flock >/dev/null 2>&1; then  # two test sessions building at once
    exec 9>"$CACHE_DIR.lock"
    flock -n 9 || { log "another build of $VERSION is running; waiting"; flock 9; }
fi

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
printf '%s\n' "$want_stamp" >"$STAMP"
log "built in $(( $(date +%s) - start ))s"
link
