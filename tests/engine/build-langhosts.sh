#!/usr/bin/env bash
# Provide the language hosts for YAML, TypeScript and Go programs in the engine tests.
#
# Puts into <repo>/.tools/bin/ (git-ignored), as symlinks into a per-pin cache outside the
# checkout (${PULUMI_STRIPE_PORTAL_CACHE:-~/.cache/pulumi-stripe-portal}/langhosts/<pin>):
#   pulumi-language-yaml     github.com/pulumi/pulumi-yaml cmd/pulumi-language-yaml
#   pulumi-language-nodejs   sdk/v3 nodejs/cmd/pulumi-language-nodejs
#   pulumi-language-go       sdk/v3 go/pulumi-language-go
#
# The YAML host is a plain `go install` of its release. The TypeScript and Go hosts are
# nested modules without tags in recent releases, which the module proxy here does not
# serve; sdk/v3@v3.52.0 still holds them as packages, so they build in the same pinned
# wrapper module as the Python host (langhost.go.mod.in / .go.sum.in, see build-engine.sh).
# Today's engine still speaks to them, and they run programs on today's SDKs
# (../shared/portal-api-notes.md §8). Cold: about a minute on 2 cores; then a cache hit.
#
# Usage: tests/engine/build-langhosts.sh [--check] [--force]
#   --check  exit 0 when the three hosts are linked from the cache at the pin; build nothing
#   --force  rebuild the cache entry
set -euo pipefail

YAML_VERSION="v1.25.0"
LANGHOST_SDK_VERSION="v3.52.0"
HOSTS=(pulumi-language-yaml pulumi-language-nodejs pulumi-language-go)

TOOL=build-langhosts
. "$(dirname "${BASH_SOURCE[0]}")/../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
cache_entry langhosts "yaml-$YAML_VERSION-sdk-$LANGHOST_SDK_VERSION"
want_stamp="yaml=$YAML_VERSION sdk=$LANGHOST_SDK_VERSION $(sources_sum "$SCRIPT_DIR" build-langhosts.sh langhost.go.mod.in langhost.go.sum.in)"

linked() {
    local h
    for h in "${HOSTS[@]}"; do linked_to "$CACHE_DIR/bin/$h" "$h" || return 1; done
}

if [ "$CHECK_ONLY" = 1 ]; then
    if stamp_is "$want_stamp" && linked; then log "ready: ${HOSTS[*]}"; exit 0; fi
    log "not ready: the language hosts are not linked from $CACHE_DIR"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && stamp_is "$want_stamp"; then
    log "cache hit: $CACHE_DIR/bin"
else
    command -v go >/dev/null 2>&1 || die "go is not on PATH: it is needed to build the language hosts"
    start=$(date +%s)
    export GOTOOLCHAIN=local
    rm -rf "$CACHE_DIR/bin.tmp" "$CACHE_DIR/src"
    mkdir -p "$CACHE_DIR/bin.tmp" "$CACHE_DIR/src"
    log "go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION"
    GOBIN="$CACHE_DIR/bin.tmp" GOFLAGS=-mod=mod go install -trimpath -ldflags '-s -w' \
        "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION" \
        || die "go install of pulumi-language-yaml failed (is the module proxy reachable?)"
    cp "$SCRIPT_DIR/langhost.go.mod.in" "$CACHE_DIR/src/go.mod"
    cp "$SCRIPT_DIR/langhost.go.sum.in" "$CACHE_DIR/src/go.sum"
    printf '//go:build tools\n\npackage tools\n' >"$CACHE_DIR/src/tools.go"
    log "go build pulumi-language-nodejs and pulumi-language-go (sdk/v3@$LANGHOST_SDK_VERSION)"
    (cd "$CACHE_DIR/src" && GOFLAGS=-mod=readonly go build -trimpath -ldflags '-s -w' -o "$CACHE_DIR/bin.tmp/" \
        github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
        github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go) \
        || die "go build of the nodejs/go language hosts failed"
    rm -rf "$CACHE_DIR/bin"
    mv "$CACHE_DIR/bin.tmp" "$CACHE_DIR/bin"
    stamp_write "$want_stamp"
    log "built in $(( $(date +%s) - start ))s"
fi
for h in "${HOSTS[@]}"; do link_tool "$CACHE_DIR/bin/$h" "$h"; done
log "linked into $TOOLS_BIN: ${HOSTS[*]}"
