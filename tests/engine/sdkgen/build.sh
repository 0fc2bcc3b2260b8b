#!/usr/bin/env bash
# Provide pulumi-stripe-portal-sdkgen, the generator of the TypeScript and Go SDKs.
#
# Builds main.go (Pulumi's codegen/nodejs and codegen/go from github.com/pulumi/pulumi/pkg/v3,
# pinned with the engine by the committed go.mod.in / go.sum.in) into a per-pin cache outside
# the checkout,
#   ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}/sdkgen/<pin>/bin/
# and links it to <repo>/.tools/bin/pulumi-stripe-portal-sdkgen (git-ignored). A cache hit (same
# pin, same sources) runs no go command. The engine's build fills the Go module cache with
# every module this needs, so a cold build is offline (GOPROXY=off works) and takes under a
# minute on 2 cores; without a warm module cache it needs the Go module proxy.
#
# Then, from the repository root:
#   .tools/bin/pulumi-stripe-portal-sdkgen --schema provider/pulumi_stripe_portal/plugin/schema.json \
#       --nodejs provider/sdk/nodejs --go provider/sdk/go            # regenerate both SDKs
#   ... the same with --check                                          # exit 1 naming stale files
# (the Go SDK's go.mod/go.sum come from `go mod tidy`, offline with a warm module cache).
#
# Usage: tests/engine/sdkgen/build.sh [--check] [--force]
#   --check  exit 0 when .tools/bin/pulumi-stripe-portal-sdkgen is the cached build of these sources
#   --force  rebuild the cache entry
# Prints the path of the linked tool on stdout.
set -euo pipefail

TOOL=sdkgen
. "$(dirname "${BASH_SOURCE[0]}")/../../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
NAME=pulumi-stripe-portal-sdkgen
PIN="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$SCRIPT_DIR/go.mod.in")"
[ -n "$PIN" ] || die "no github.com/pulumi/pulumi/pkg/v3 requirement in $SCRIPT_DIR/go.mod.in"
cache_entry sdkgen "$PIN"
BIN="$CACHE_DIR/bin/$NAME"
SOURCES=(build.sh main.go go.mod.in go.sum.in)
want_stamp="pkg=$PIN sources=$(sources_sum "$SCRIPT_DIR" "${SOURCES[@]}")"

cached() { [ -x "$BIN" ] && stamp_is "$want_stamp"; }
link() { link_tool "$BIN" "$NAME"; echo "$TOOLS_BIN/$NAME"; }

if [ "$CHECK_ONLY" = 1 ]; then
    if cached && linked_to "$BIN" "$NAME"; then log "ready: $TOOLS_BIN/$NAME ($want_stamp)"; exit 0; fi
    log "not ready: $TOOLS_BIN/$NAME is missing or stale"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && cached; then
    log "cache hit: $BIN"
    link
    exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not on PATH: it is needed to build $NAME"
log "building $NAME with github.com/pulumi/pulumi/pkg/v3@$PIN into $CACHE_DIR"
start=$(date +%s)
WORK="$CACHE_DIR/src"
rm -rf "$WORK" "$STAMP" "$CACHE_DIR/bin.tmp"
mkdir -p "$WORK" "$CACHE_DIR/bin.tmp"
cp "$SCRIPT_DIR/main.go" "$WORK/"
cp "$SCRIPT_DIR/go.mod.in" "$WORK/go.mod"
cp "$SCRIPT_DIR/go.sum.in" "$WORK/go.sum"
(cd "$WORK" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly GOWORK=off \
    go build -trimpath -ldflags '-s -w' -o "$CACHE_DIR/bin.tmp/$NAME" .) \
    || die "go build failed in $WORK (a cold Go module cache needs the module proxy)"
rm -rf "$CACHE_DIR/bin"
mv "$CACHE_DIR/bin.tmp" "$CACHE_DIR/bin"
stamp_write "$want_stamp"
log "built in $(( $(date +%s) - start ))s"
link
