#!/usr/bin/env bash
# `make demo`: pulumi up for the root project's dev stack on a local backend (.demo/), against
# the local emulator with persisted state, or against real Stripe test mode when
# STRIPE_API_KEY is set. Then shows that a second preview has no changes. With the emulator
# it then brings the account's Dashboard-made default portal under code: list, export,
# `pulumi up` (adoption), and a clean second preview. Between the two, the same portal from a
# YAML program (examples/yaml), served by the provider plugin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEMO="$ROOT/.demo"
mkdir -p "$DEMO/state" "$DEMO/home"
export PATH="$ROOT/.venv/bin:$ROOT/.tools/bin:$PATH"
export PULUMI_HOME="$DEMO/home" PULUMI_BACKEND_URL="file://$DEMO/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-demo}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
cd "$ROOT"

STRIPE_API_KEY_WAS_SET="${STRIPE_API_KEY:-}"
if [ -n "${STRIPE_API_KEY:-}" ]; then
    case "$STRIPE_API_KEY" in
        sk_test_*|rk_test_*) echo "demo: using real Stripe test mode (key from STRIPE_API_KEY)" ;;
        *) echo "demo: refusing a non-test key; the demo only runs in test mode" >&2; exit 1 ;;
    esac
else
    # --seed-default: the account already has a Dashboard-made default portal, as every
    # real account does (kept across runs by the state file).
    python -m pulumi_stripe_portal.emulator --port 0 --state "$DEMO/emulator.sqlite" \
        --seed-default "$ROOT/examples/adopt/dashboard-default.json" \
        >"$DEMO/emulator.log" 2>&1 &
    EMULATOR_PID=$!
    trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
    for _ in $(seq 100); do
        STRIPE_API_BASE="$(grep -o 'http://[0-9.:]*' "$DEMO/emulator.log" | head -n1 || true)"
        [ -n "$STRIPE_API_BASE" ] && break
        sleep 0.1
    done
    [ -n "$STRIPE_API_BASE" ] || { cat "$DEMO/emulator.log" >&2; exit 1; }
    export STRIPE_API_BASE STRIPE_API_KEY=sk_test_emulatorDemoKey
    echo "demo: local Stripe emulator at $STRIPE_API_BASE (state in .demo/emulator.sqlite)"
fi

pulumi stack select dev --create --non-interactive
pulumi up --stack dev --yes --non-interactive
echo
echo "configuration id: $(pulumi stack output portal_id --stack dev)"
echo "login page URL:   $(pulumi stack output login_url --stack dev)"
echo
echo "demo: a second preview must show no changes:"
pulumi preview --stack dev --expect-no-changes --non-interactive

echo
echo "demo: the same portal from a YAML program (the provider plugin serves it):"
YAML="$DEMO/yaml"
mkdir -p "$YAML" && cp "$ROOT/examples/yaml/Pulumi.yaml" "$YAML/"
(
    cd "$YAML"
    pulumi stack select dev --create --non-interactive
    pulumi up --stack dev --yes --non-interactive
    echo "demo: a second preview of the YAML program must show no changes:"
    pulumi preview --stack dev --expect-no-changes --non-interactive
)

if [ -n "${STRIPE_API_KEY_WAS_SET:-}" ]; then
    echo
    echo "demo: adoption is shown with the emulator only (it would mark your account's default"
    echo "      portal); run 'stripe-portal list' and 'stripe-portal export' yourself to try it."
    exit 0
fi

echo
echo "demo: bring the existing default portal under code."
echo "\$ stripe-portal list"
stripe-portal list
ADOPT="$DEMO/adopt"
if [ ! -f "$ADOPT/__main__.py" ]; then  # exported once; later runs keep the program
    mkdir -p "$ADOPT"
    printf 'name: stripe-portal-adopt\nruntime: python\n' >"$ADOPT/Pulumi.yaml"
    echo "\$ stripe-portal export -o .demo/adopt/__main__.py"
    stripe-portal export -o "$ADOPT/__main__.py"
fi
cat "$ADOPT/__main__.py"
cd "$ADOPT"
pulumi stack select dev --create --non-interactive
pulumi up --stack dev --yes --non-interactive
echo
echo "demo: a second preview of the adopted portal must show no changes:"
pulumi preview --stack dev --expect-no-changes --non-interactive
echo
echo "\$ stripe-portal list"
stripe-portal list
