#!/usr/bin/env bash
# Provide the Node.js side of the TypeScript engine tests: @pulumi/pulumi, typescript and
# @types/node, pinned by the committed package.json / package-lock.json, and the generated
# TypeScript SDK (provider/sdk/nodejs) compiled against them.
#
# 1. `npm ci` from the npm registry into a cache outside the checkout, keyed by the lock's
#    checksum,
#      ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}/node-tools/<cksum>/node_modules
#    linked as <repo>/.tools/node/node_modules (.tools/ is git-ignored). A cache hit runs no npm
#    command; a cold install takes about 10 s. Needs node and npm. The pin is @pulumi/pulumi
#    3.276.0 (the newest 3.x served) because the SDK that pkg/v3@v3.274.1 generates calls
#    pulumi.runtime.existsResource, which @pulumi/pulumi has only since 3.270; those releases
#    declare engines node >=22 (npm warns EBADENGINE on node 20, --loglevel=error hides it),
#    but 3.276.0 runs programs on this machine's node 20 through the engine (up, preview,
#    destroy). 3.248.0, the newest that declares node 20, fails tsc on the generated SDK
#    ("Property 'existsResource' does not exist").
# 2. When provider/sdk/nodejs exists (written by pulumi-stripe-portal-sdkgen, see
#    ../sdkgen/build.sh): the SDK must be compiled with tsc before a program can use it (the
#    generated package.json has no "main"; like a published Pulumi SDK, the package is the
#    compiled folder with package.json and README.md copied in). Its sources are copied to
#    .tools/node/sdk/src and compiled with their own tsconfig into
#      <repo>/.tools/node/sdk/stripe-portal/      index.js, index.d.ts, ..., package.json
#    (never into provider/sdk/nodejs). Redone only when the SDK's files or the lock change.
# 3. <repo>/.tools/node/program_modules/, a node_modules folder of symlinks for test programs:
#      @pulumi/pulumi, typescript, @types/node  -> .tools/node/node_modules/...
#      @pulumi-stripe-portal/stripe-portal       -> .tools/node/sdk/stripe-portal
#
# How a TypeScript test program resolves them: its folder holds Pulumi.yaml (runtime: nodejs),
# package.json (dependencies "@pulumi/pulumi" and "@pulumi-stripe-portal/stripe-portal", for
# the record: nothing is installed into the program), tsconfig.json and index.ts, plus ONE
# symlink, <program>/node_modules -> <repo>/.tools/node/program_modules. Node and tsc follow the
# links to their real paths, so the program and the compiled SDK load the same @pulumi/pulumi
# (the SDK finds it through .tools/node/node_modules, an ancestor of its real folder). Type
# check without running: <repo>/.tools/node/node_modules/.bin/tsc --noEmit -p <program>.
#
# Usage: tests/engine/node-tools/install.sh [--check] [--force]
#   --check  exit 0 when the cache entry, the links and the compiled SDK are up to date
#   --force  reinstall the cache entry (and recompile the SDK)
# Prints the path of .tools/node/program_modules on stdout.
set -euo pipefail

TOOL=node-tools
. "$(dirname "${BASH_SOURCE[0]}")/../../cache.sh"
tool_args "$@"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
NODE_DIR="$REPO_ROOT/.tools/node"
SDK_SRC="$REPO_ROOT/provider/sdk/nodejs"
SDK_NAME="@pulumi-stripe-portal/stripe-portal"
SDK_OUT="$NODE_DIR/sdk/stripe-portal"
SDK_STAMP="$NODE_DIR/sdk/complete"
PROGRAM_MODULES="$NODE_DIR/program_modules"
LOCK_SUM="$(sources_sum "$SCRIPT_DIR" package-lock.json)"
cache_entry node-tools "$LOCK_SUM"
SOURCES=(package.json package-lock.json install.sh)
want_stamp="lock=$LOCK_SUM sources=$(sources_sum "$SCRIPT_DIR" "${SOURCES[@]}")"

cached() { stamp_is "$want_stamp" && [ -d "$CACHE_DIR/node_modules/@pulumi/pulumi" ]; }
linked() { [ "$(readlink -f "$NODE_DIR/node_modules")" = "$(readlink -f "$CACHE_DIR/node_modules")" ]; }

# The SDK's generated files (everything but its ignored build folders), sorted.
sdk_files() { (cd "$SDK_SRC" && find . -type f -not -path './node_modules/*' -not -path './bin/*' | LC_ALL=C sort); }
sdk_want() {
    [ -d "$SDK_SRC" ] || { echo none; return; }
    # shellcheck disable=SC2046
    echo "$want_stamp sdk=$(sdk_files | cksum | cut -d' ' -f1)-$(sources_sum "$SDK_SRC" $(sdk_files))"
}
sdk_ready() { [ "$(cat "$SDK_STAMP" 2>/dev/null)" = "$(sdk_want)" ]; }

if [ "$CHECK_ONLY" = 1 ]; then
    if cached && linked && sdk_ready && [ -d "$PROGRAM_MODULES" ]; then log "ready: $NODE_DIR ($want_stamp)"; exit 0; fi
    log "not ready: $NODE_DIR is missing or stale"; exit 1
fi

cache_lock
if [ "$FORCE" = 0 ] && cached; then
    log "cache hit: $CACHE_DIR/node_modules"
else
    command -v node >/dev/null 2>&1 || die "node is not on PATH: it is needed to run TypeScript programs"
    command -v npm >/dev/null 2>&1 || die "npm is not on PATH: it is needed to install @pulumi/pulumi"
    log "installing $(cd "$SCRIPT_DIR" && node -p 'Object.entries(require("./package.json").dependencies).map(([k, v]) => k + "@" + v).join(" ")') into $CACHE_DIR"
    start=$(date +%s)
    rm -rf "$STAMP" "$CACHE_DIR/node_modules"
    cp "$SCRIPT_DIR/package.json" "$SCRIPT_DIR/package-lock.json" "$CACHE_DIR/"
    (cd "$CACHE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2) \
        || die "npm ci failed in $CACHE_DIR (is the npm registry reachable?)"
    stamp_write "$want_stamp"
    log "installed in $(( $(date +%s) - start ))s"
    rm -f "$SDK_STAMP"
fi
mkdir -p "$NODE_DIR"
ln -sfn "$CACHE_DIR/node_modules" "$NODE_DIR/node_modules"

if [ ! -d "$SDK_SRC" ]; then
    log "no $SDK_SRC (run pulumi-stripe-portal-sdkgen first): the SDK is not compiled"
    rm -rf "$NODE_DIR/sdk"
elif [ "$FORCE" = 0 ] && sdk_ready; then
    log "SDK up to date: $SDK_OUT"
else
    log "compiling $SDK_SRC into $SDK_OUT"
    start=$(date +%s)
    rm -rf "$NODE_DIR/sdk"
    mkdir -p "$NODE_DIR/sdk/src"
    (cd "$SDK_SRC" && sdk_files | while read -r f; do mkdir -p "$NODE_DIR/sdk/src/$(dirname "$f")"; cp "$f" "$NODE_DIR/sdk/src/$f"; done)
    # The copy sits under .tools/node, so `@pulumi/pulumi` and `@types/node` resolve from
    # .tools/node/node_modules.
    "$NODE_DIR/node_modules/.bin/tsc" -p "$NODE_DIR/sdk/src/tsconfig.json" --outDir "$SDK_OUT" >&2 \
        || die "tsc failed on the generated SDK ($NODE_DIR/sdk/src)"
    cp "$SDK_SRC/package.json" "$SDK_OUT/"
    [ -f "$SDK_SRC/README.md" ] && cp "$SDK_SRC/README.md" "$SDK_OUT/"
    sdk_want >"$SDK_STAMP"
    log "compiled in $(( $(date +%s) - start ))s"
fi

rm -rf "$PROGRAM_MODULES"
mkdir -p "$PROGRAM_MODULES/@pulumi" "$PROGRAM_MODULES/@types"
ln -s "$NODE_DIR/node_modules/@pulumi/pulumi" "$PROGRAM_MODULES/@pulumi/pulumi"
ln -s "$NODE_DIR/node_modules/typescript" "$PROGRAM_MODULES/typescript"
ln -s "$NODE_DIR/node_modules/@types/node" "$PROGRAM_MODULES/@types/node"
if [ -d "$SDK_OUT" ]; then
    mkdir -p "$PROGRAM_MODULES/${SDK_NAME%/*}"
    ln -s "$SDK_OUT" "$PROGRAM_MODULES/$SDK_NAME"
fi
log "linked $NODE_DIR/node_modules and $PROGRAM_MODULES"
echo "$PROGRAM_MODULES"
