#!/usr/bin/env bash
# Provide stripe-mock (Stripe's official API mock) for the conformance tests.
#
# Builds github.com/stripe/stripe-mock at the pinned version from the Go module proxy into a
# per-version cache outside the checkout,
#   ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}/stripe-mock/<version>/stripe-mock
# and links it to <repo>/.tools/bin/stripe-mock (git-ignored). Rebuilds only when the pin
# changes (or with --force). A stripe-mock already on PATH is not used: its version cannot be
# checked (a `go install` build answers `-version` with "master"), and the tests are written
# against the pinned version's bundled OpenAPI spec.
#
# Usage: tests/conformance/install-stripe-mock.sh [--check] [--force]
set -euo pipefail

# Newest version the module proxy serves (`go list -m -versions github.com/stripe/stripe-mock`
# answers v0.148.0 v0.162.0 v0.203.0 here). v0.203.0 was tagged 2026-08-26.
STRIPE_MOCK_VERSION="v0.203.0"

TOOL=install-stripe-mock
. "$(dirname "${BASH_SOURCE[0]}")/../cache.sh"
tool_args "$@"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
cache_entry stripe-mock "$STRIPE_MOCK_VERSION"
BIN="$CACHE_DIR/stripe-mock"

if [ "$CHECK_ONLY" = 1 ]; then
    if linked_to "$BIN" stripe-mock; then
        log "ready: $TOOLS_BIN/stripe-mock ($STRIPE_MOCK_VERSION)"; exit 0
    fi
    log "not ready: $TOOLS_BIN/stripe-mock is missing or not $STRIPE_MOCK_VERSION"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && [ -x "$BIN" ] && stamp_is "$STRIPE_MOCK_VERSION"; then
    log "cache hit: $BIN"
else
    command -v go >/dev/null 2>&1 || die "go is not on PATH: it is needed to build stripe-mock"
    log "building github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION into $CACHE_DIR"
    start=$(date +%s)
    rm -f "$STAMP" "$BIN"
    # stripe-mock's go.mod has no replace lines, so `go install mod@version` works; run it
    # outside any module so no go.mod around us interferes.
    (cd "$CACHE_DIR" && GOTOOLCHAIN=local GOFLAGS= GOBIN="$CACHE_DIR" \
        go install -trimpath -ldflags "-s -w" "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION") \
        || die "go install github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION failed"
    [ -x "$BIN" ] || die "go install succeeded but $BIN is missing"
    stamp_write "$STRIPE_MOCK_VERSION"
    log "built in $(( $(date +%s) - start ))s"
fi

link_tool "$BIN" stripe-mock
log "linked $TOOLS_BIN/stripe-mock -> $BIN"
