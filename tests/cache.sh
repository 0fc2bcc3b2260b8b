# Shared by the scripts that fetch or build a test tool into a cache outside the checkout
# (engine/build-engine.sh, conformance/install-stripe-mock.sh, emulator/stripe-go/build.sh,
# emulator/stripe-node/install.sh): their arguments, the cache entry, its lock and its stamp.
# Sourced, not run. The caller sets TOOL (the log prefix) first:
#
#   TOOL=stripe-mock
#   . "$(dirname "${BASH_SOURCE[0]}")/../cache.sh"
#   tool_args "$@"                      # CHECK_ONLY, FORCE; --help prints the caller's header
#   cache_entry stripe-mock "$VERSION"  # CACHE_DIR, STAMP
#   cache_lock                          # waits while another run fills the same entry
#   stamp_is "$want" || { build; stamp_write "$want"; }
#
# The cache root is ${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal},
# shared by every checkout on the machine; an entry is complete only once its stamp is written.

log() { printf '[%s] %s\n' "$TOOL" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$TOOL" "$*" >&2; exit 1; }

# --check (report, build nothing) and --force (refill the entry); --help prints the comment
# block at the top of the calling script.
tool_args() {
    CHECK_ONLY=0
    FORCE=0
    local arg
    for arg in "$@"; do
        case "$arg" in
            --check) CHECK_ONLY=1 ;;
            --force) FORCE=1 ;;
            -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
            *) die "unknown argument: $arg" ;;
        esac
    done
}

# cache_entry NAME VERSION: the entry's folder (created) and its stamp file.
cache_entry() {
    CACHE_ROOT="${PULUMI_STRIPE_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-stripe-portal}"
    CACHE_DIR="$CACHE_ROOT/$1/$2"
    STAMP="$CACHE_DIR/complete"
}

# Serialise runs on one entry (two test sessions, a developer and CI) where flock exists.
cache_lock() {
    mkdir -p "$CACHE_DIR"
    command -v flock >/dev/null 2>&1 || return 0
    exec 9>"$CACHE_DIR.lock"
    flock -n 9 || { log "another run is filling $CACHE_DIR; waiting"; flock 9; }
}

# stamp_is WANT: the entry was completed for WANT (the pin, and a checksum of the sources).
stamp_is() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$1" ]; }
stamp_write() { printf '%s\n' "$1" >"$STAMP"; }

# sources_sum DIR FILE...: one checksum over the files that decide what the entry holds.
sources_sum() { (cd "$1" && shift && cat "$@" | cksum | cut -d' ' -f1); }

# link_tool TARGET NAME: <repo>/.tools/bin/NAME -> TARGET (TOOLS_BIN set by the caller).
link_tool() { mkdir -p "$TOOLS_BIN" && ln -sfn "$1" "$TOOLS_BIN/$2"; }

# linked_to TARGET NAME: .tools/bin/NAME is a link to TARGET.
linked_to() {
    [ -x "$TOOLS_BIN/$2" ] && [ "$(readlink -f "$TOOLS_BIN/$2")" = "$(readlink -f "$1")" ]
}
