#!/usr/bin/env bash
# Provide a real Pulumi engine for the engine tests, built from the Go module proxy.
#
# Puts into <repo>/.tools/bin/ (git-ignored), as symlinks into a per-version cache outside
# the checkout:
#   pulumi                          the CLI/engine (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
#   pulumi-resource-pulumi-python   dynamic-provider launcher script (from the sdk/v3 module)
#   pulumi-language-python-exec     program launcher script (from the sdk/v3 module)
#   pulumi-language-python          the Go language host for Python programs (see below)
#
# Order of preference:
#   1. a `pulumi` already on PATH whose version is the pin, with pulumi-language-python
#      beside it on PATH: linked as is;
#   2. the cache ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}
#      /engine/<version>/bin, filled by an earlier run (any checkout on this machine);
#   3. a build from the Go module proxy into that cache (cold: about 5 min on 2 cores).
#
# Usage: tests/engine/build-engine.sh [--check] [--force]
#   --check  exit 0 when .tools/bin/pulumi is usable at the pin, 1 otherwise; build nothing
#   --force  rebuild the cache entry for the pin
#
# The Python language host. Since about v3.53 it is a nested module without tags
# (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3), required only at a
# pseudo-version of a release commit, and the module proxy reachable here serves no version
# of it (403 "This module version is not available."). Before the split it was a package of
# sdk/v3 itself, and the proxy serves sdk/v3@v3.52.0: the host is built from there, in a
# wrapper module of its own (it cannot share a module graph with sdk/v3@v3.274.1). The
# engine still speaks to it (the language-host protocol is backward compatible); what it
# lacks is reading runtime options from the engine, so pulumi-language-python.sh (installed
# in front of it) passes Pulumi.yaml's `virtualenv` option to it as a flag; without that
# option it runs the `python3` first on PATH.
set -euo pipefail

# ---- the pin ---------------------------------------------------------------------------
PULUMI_VERSION="v3.274.1"
LANGHOST_SDK_VERSION="v3.52.0"
LANGHOST_PACKAGE="github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"

TOOL=build-engine
. "$(dirname "${BASH_SOURCE[0]}")/../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
cache_entry engine "$PULUMI_VERSION"
CACHE_BIN="$CACHE_DIR/bin"
SCRIPTS=(pulumi-language-python-exec pulumi-resource-pulumi-python)

# The version a pulumi binary reports, or "" when it does not run.
pulumi_version_of() { "$1" version 2>/dev/null | head -n1 | tr -d '[:space:]' || true; }

tools_ready() {
    local p="$TOOLS_BIN/pulumi" s
    [ -x "$p" ] || return 1
    [ "$(pulumi_version_of "$p")" = "$PULUMI_VERSION" ] || return 1
    for s in "${SCRIPTS[@]}"; do [ -x "$TOOLS_BIN/$s" ] || return 1; done
    [ -x "$TOOLS_BIN/pulumi-language-python" ] || return 1
    return 0
}

link_into_tools() { # $1 = directory holding the binaries
    local src="$1" f linked=""
    mkdir -p "$TOOLS_BIN"
    for f in pulumi pulumi-language-python "${SCRIPTS[@]}"; do
        if [ -e "$src/$f" ]; then
            ln -sfn "$src/$f" "$TOOLS_BIN/$f"
            linked="$linked $f"
        else
            rm -f "$TOOLS_BIN/$f"
        fi
    done
    log "linked into $TOOLS_BIN from $src:$linked"
}

if [ "$CHECK_ONLY" = 1 ]; then
    if tools_ready; then log "ready: $TOOLS_BIN/pulumi $PULUMI_VERSION"; exit 0; fi
    log "not ready: $TOOLS_BIN/pulumi is missing or not $PULUMI_VERSION"; exit 1
fi

# ---- 1. a pulumi already on PATH (outside .tools/bin) at the pin -----------------------
if [ "$FORCE" = 0 ]; then
    PATH_NO_TOOLS="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$TOOLS_BIN" | paste -sd: -)"
    existing="$(PATH="$PATH_NO_TOOLS" command -v pulumi || true)"
    if [ -n "$existing" ]; then
        ver="$(pulumi_version_of "$existing")"
        host="$(PATH="$PATH_NO_TOOLS" command -v pulumi-language-python || true)"
        if [ "$ver" = "$PULUMI_VERSION" ] && [ -n "$host" ]; then
            dir="$(dirname "$existing")"
            ok=1
            for s in "${SCRIPTS[@]}"; do [ -x "$dir/$s" ] || ok=0; done
            if [ "$ok" = 1 ]; then
                log "using the pulumi $ver on PATH ($existing) with its language host ($host)"
                mkdir -p "$TOOLS_BIN"
                ln -sfn "$existing" "$TOOLS_BIN/pulumi"
                ln -sfn "$host" "$TOOLS_BIN/pulumi-language-python"
                for s in "${SCRIPTS[@]}"; do ln -sfn "$dir/$s" "$TOOLS_BIN/$s"; done
                exit 0
            fi
        fi
        log "ignoring pulumi on PATH ($existing, version '${ver:-?}', language host: ${host:-none}): pin is $PULUMI_VERSION"
    fi
fi

cache_lock

# ---- 2. the cache -----------------------------------------------------------------------
want_stamp="pulumi=$PULUMI_VERSION langhost=sdk/v3@$LANGHOST_SDK_VERSION+venv-wrapper-$(sources_sum "$SCRIPT_DIR" pulumi-language-python.sh)"
if [ "$FORCE" = 0 ] && stamp_is "$want_stamp" && [ "$(pulumi_version_of "$CACHE_BIN/pulumi")" = "$PULUMI_VERSION" ]; then
    log "cache hit: $CACHE_BIN ($want_stamp)"
    link_into_tools "$CACHE_BIN"
    exit 0
fi

# ---- 3. build -----------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "go is not on PATH: it is needed to build the Pulumi engine"
log "building pulumi $PULUMI_VERSION into $CACHE_BIN (cold: ~5 min on 2 cores, ~1.6 GB of modules; warm Go caches: seconds)"
start=$(date +%s)

WORK="$CACHE_DIR/src"
rm -rf "$WORK" "$CACHE_BIN.tmp"
mkdir -p "$WORK" "$CACHE_BIN.tmp"
sed "s/@PULUMI_VERSION@/$PULUMI_VERSION/g" "$SCRIPT_DIR/go.mod.in" >"$WORK/go.mod"
cat >"$WORK/tools.go" <<'EOF'
//go:build tools

// Package tools pins the commands this wrapper module builds.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
BUILD=(go build -p 2 -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS")

cd "$WORK"
log "resolving modules (go mod tidy)"
go mod tidy || die "go mod tidy failed in $WORK (is the module proxy reachable?)"
# pkg/v3's and sdk/v3's own go.mod may not be raised by a newer requirement elsewhere.
got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3) $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
[ "$got" = "$PULUMI_VERSION $PULUMI_VERSION" ] || die "module graph selected pkg/sdk '$got', expected $PULUMI_VERSION"

log "go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
"${BUILD[@]}" -o "$CACHE_BIN.tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    || die "go build of pulumi failed"
HOSTWORK="$CACHE_DIR/src-langhost"
rm -rf "$HOSTWORK"
mkdir -p "$HOSTWORK"
# The host's module graph is pinned by a committed go.mod/go.sum (resolved once with go mod tidy).
cp "$SCRIPT_DIR/langhost.go.mod.in" "$HOSTWORK/go.mod"
cp "$SCRIPT_DIR/langhost.go.sum.in" "$HOSTWORK/go.sum"
printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$LANGHOST_PACKAGE" >"$HOSTWORK/tools.go"
log "go build $LANGHOST_PACKAGE (sdk/v3@$LANGHOST_SDK_VERSION)"
(cd "$HOSTWORK" && GOFLAGS=-mod=readonly "${BUILD[@]}" -o "$CACHE_BIN.tmp/pulumi-language-python-v3.52" "$LANGHOST_PACKAGE") \
    || die "go build of pulumi-language-python failed"
# In front of it, a wrapper that passes Pulumi.yaml's `virtualenv` option on (see the script).
install -m 0755 "$SCRIPT_DIR/pulumi-language-python.sh" "$CACHE_BIN.tmp/pulumi-language-python"

SDK_DIR="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
[ -d "$SDK_DIR/python" ] || die "sdk/v3 module has no python/ directory: $SDK_DIR"
install -m 0755 "$SDK_DIR/python/cmd/pulumi-language-python-exec" "$CACHE_BIN.tmp/"
install -m 0755 "$SDK_DIR/python/dist/pulumi-resource-pulumi-python" "$CACHE_BIN.tmp/"

[ "$(pulumi_version_of "$CACHE_BIN.tmp/pulumi")" = "$PULUMI_VERSION" ] \
    || die "the built pulumi does not report $PULUMI_VERSION: $("$CACHE_BIN.tmp/pulumi" version 2>&1 || true)"

rm -rf "$CACHE_BIN"
mv "$CACHE_BIN.tmp" "$CACHE_BIN"
stamp_write "$want_stamp"
# $WORK (go.mod/go.sum of the wrapper) is kept for reference.
log "built in $(( $(date +%s) - start ))s: $(cd "$CACHE_BIN" && ls | tr '\n' ' ')"
link_into_tools "$CACHE_BIN"
