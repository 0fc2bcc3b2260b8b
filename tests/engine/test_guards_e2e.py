"""The three guards through the real engine: the mode guard and the account pin refusing at
preview (and at refresh), prices by lookup key, a transferred lookup key, and every
lookup-key check failure at preview with its path. Each test prints the terminal output it
checks (run with ``-s`` to see it)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import stripe

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import (  # noqa: E402
    REPO_ROOT,
    CommandResult,
    PulumiWorkspace,
    assert_refresh_changes_nothing,
    write_project,
)
from support.keys import live_key  # noqa: E402
from support.samples import with_plans  # noqa: E402

pytestmark = pytest.mark.engine

EXAMPLES = REPO_ROOT / "examples"
KEY = "sk_test_guardsEngineKey4242"
LIVE_KEY = live_key("guardsEngineKey4242")
PRODUCTS = "features.subscription_update.products"
CATALOGUE = {
    "products": [{"id": "prod_basic", "name": "Basic"}, {"id": "prod_pro", "name": "Pro"}],
    "prices": [
        {
            "product": product,
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": interval},
            "lookup_key": key,
        }
        for product, key, interval, amount in (
            ("prod_basic", "basic_monthly", "month", 900),
            ("prod_basic", "basic_yearly", "year", 9000),
            ("prod_pro", "pro_monthly", "month", 2900),
        )
    ],
}


def portal(*products: dict[str, Any]) -> dict[str, Any]:
    declared = with_plans(*products, name="Guarded portal")
    del declared["active"]
    return declared


PLANS = portal(
    {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
    {"product": "prod_pro", "lookup_keys": ["pro_monthly"]},
)


def project(tmp_path: Path, emu: Emulator, declaration: dict[str, Any], **env: str):
    """A one-portal project whose declaration is ``portal.json`` (rewritable between runs)."""
    src = write_project(
        tmp_path / "src",
        "guarded-portal",
        "import json\nimport pulumi\n"
        "from pulumi_stripe_portal import PortalConfiguration\n"
        "p = PortalConfiguration('portal', **json.load(open('portal.json')))\n"
        "pulumi.export('portal_id', p.id)\n",
        {"portal.json": json.dumps(declaration)},
    )
    ws = PulumiWorkspace(
        src, tmp_path / "ws", stack="dev", extra_env={"STRIPE_API_BASE": emu.url, **env}
    )
    ws.stack_init("dev")
    return ws


def redeclare(ws: PulumiWorkspace, declaration: dict[str, Any]) -> None:
    (ws.project_dir / "portal.json").write_text(json.dumps(declaration))


def output(result: CommandResult, title: str) -> str:
    text = result.stdout + result.stderr
    print(f"\n===== {title}: $ pulumi {result.args[1]} (exit {result.returncode})\n{text}")
    return text


def has_failure(text: str, path: str, reason: str) -> bool:
    """The engine prints a check failure as ``property <path> value <v> has a problem: <r>``."""
    pattern = rf"property {re.escape(path)} value .* has a problem: {re.escape(reason)}"
    return re.search(pattern, text) is not None


def prices_of(products: list[dict[str, Any]]) -> list[list[str]]:
    return [sorted(p["prices"]) for p in products]


def state_products(ws: PulumiWorkspace) -> list[dict[str, Any]]:
    """The products in the stack's state, each with the price ids its lookup keys resolved
    to (the state keeps the keys as declared, and the ids beside them)."""
    [resource] = ws.resources("PortalConfiguration")
    outputs = resource["outputs"]
    resolved = outputs["_lookup_prices"]
    return [
        {**p, "prices": [*p.get("prices", []), *(resolved[k] for k in p["lookup_keys"])]}
        for p in outputs["features"]["subscription_update"]["products"]
    ]


def routes(emu: Emulator) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in emu.requests]


def held_products(emu: Emulator, config_id: str) -> list[dict[str, Any]]:
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    obj = sdk.v1.billing_portal.configurations.retrieve(
        config_id, params={"expand": ["features.subscription_update.products"]}
    )
    return obj.to_dict(recursive=True)["features"]["subscription_update"]["products"]


def test_live_key_without_live_mode_is_refused_at_preview(tmp_path: Path, emu: Emulator):
    ws = project(tmp_path, emu, portal({"product": "prod_a", "prices": ["price_a"]}))
    ws.config_set("stripe:apiKey", LIVE_KEY, secret=True)
    text = output(ws.preview(check=False), "live key, no stripe:mode")
    assert ws.last_result.returncode != 0
    assert (
        "error: refused: the API key sk_live_**** is a live-mode key and stripe:mode is not "
        "set; live writes need an explicit opt-in: pulumi config set stripe:mode live"
    ) in text
    assert "guardsEngineKey" not in text
    assert emu.request_count == 0

    ws.config_set("stripe:mode", "test")
    text = output(ws.up(check=False), "live key, stripe:mode test")
    assert "error: refused: stripe:mode is 'test' but the API key sk_live_**** is a live-mode" in (
        text
    )
    assert emu.request_count == 0


def test_wrong_mode_is_refused_at_refresh_and_destroy_too(tmp_path: Path, emu: Emulator):
    """refresh and destroy configure from the last up's config; the environment still counts."""
    ws = project(tmp_path, emu, portal({"product": "prod_a", "prices": ["price_a"]}))
    ws.config_set("stripe:apiKey", KEY, secret=True)
    ws.up()
    before = emu.request_count
    ws.env["STRIPE_MODE"] = "live"
    for command in (ws.refresh, ws.destroy):
        text = output(command(check=False), "test key, STRIPE_MODE=live")
        assert ws.last_result.returncode != 0
        assert "error: refused: STRIPE_MODE is 'live' but the API key sk_test_**** is a " in text
    assert emu.request_count == before
    del ws.env["STRIPE_MODE"]
    ws.destroy()


def test_account_pin_refuses_at_preview_with_only_the_account_call(tmp_path: Path, emu: Emulator):
    emu.set_account_id(KEY, "acct_sandboxOfAnotherTeam")
    ws = project(tmp_path, emu, portal({"product": "prod_a", "prices": ["price_a"]}))
    ws.config_set("stripe:apiKey", KEY, secret=True)
    ws.config_set("stripe:accountId", "acct_ourProduction")
    text = output(ws.preview(check=False), "stripe:accountId pin, key of another account")
    assert ws.last_result.returncode != 0
    assert (
        "error: refused: stripe:accountId is acct_ourProduction but the API key sk_test_**** "
        "belongs to account acct_sandboxOfAnotherTeam; nothing was changed"
    ) in text
    assert set(routes(emu)) == {("GET", "/v1/account")}

    ws.config_set("stripe:accountId", "acct_sandboxOfAnotherTeam")
    emu.server.clear_counters()
    ws.up()
    assert routes(emu).count(("GET", "/v1/account")) == 1  # once per process
    ws.destroy()


def test_lookup_keys_then_a_transferred_key(tmp_path: Path, emu: Emulator) -> None:
    ids = {}
    for price in emu.load_catalog(CATALOGUE, livemode=False)["prices"]:
        sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
        ids[sdk.v1.prices.retrieve(price).lookup_key] = price
    ws = project(tmp_path, emu, PLANS)
    ws.config_set("stripe:apiKey", KEY, secret=True)
    emu.server.clear_counters()
    ws.up()
    listings = [r for r in emu.requests if r.path == "/v1/prices"]
    assert len(listings) == 1  # three keys, one read
    out = ws.stack_output()
    assert prices_of(state_products(ws)) == [
        sorted([ids["basic_monthly"], ids["basic_yearly"]]),
        [ids["pro_monthly"]],
    ]
    assert prices_of(held_products(emu, out["portal_id"])) == prices_of(state_products(ws))
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)
    ws.preview(expect_no_changes=True)

    # Marketing moves pro_monthly to a new price; the program does not change.
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    moved = sdk.v1.prices.create(
        params={
            "product": "prod_pro",
            "currency": "usd",
            "unit_amount": 3500,
            "recurring": {"interval": "month"},
            "lookup_key": "pro_monthly",
            "transfer_lookup_key": True,
        }
    ).id
    emu.server.clear_counters()
    text = output(ws.preview(), "pro_monthly transferred to a new price")
    assert "[diff: ~_lookup_prices]" in text and "~ 1 to update" in text
    text = output(ws.preview("--diff"), "the same, with --diff")
    assert re.search(rf'~ pro_monthly\s*: "{ids["pro_monthly"]}" => "{moved}"', text)
    assert not any(r.method == "POST" for r in emu.requests)  # a preview writes nothing

    text = output(ws.up(), "up moves the portal to the new price")
    assert "1 updated" in text
    assert state_products(ws)[1]["prices"] == [moved]
    assert held_products(emu, out["portal_id"])[1]["prices"] == [moved]
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)
    ws.destroy()


def test_every_lookup_key_failure_at_preview_with_its_path(tmp_path: Path, emu: Emulator):
    emu.load_catalog(CATALOGUE, livemode=False)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)

    def price(product: str, key: str, interval: str | None, **extra: Any) -> str:
        params: dict[str, Any] = {"product": product, "currency": "usd", "unit_amount": 100}
        if interval:
            params["recurring"] = {"interval": interval}
        return sdk.v1.prices.create(params={**params, "lookup_key": key, **extra}).id

    old = price("prod_basic", "basic_weekly_old", "week", active=False)
    fee = price("prod_basic", "setup_fee", None)
    twin = price("prod_pro", "pro_monthly_v2", "month")
    declaration = portal(
        {
            "product": "prod_basic",
            "lookup_keys": ["basic_monthly", "pro_yearly", "basic_weekly_old", "setup_fee"],
        },
        {"product": "prod_pro", "lookup_keys": ["pro_monthly", "pro_monthly_v2", "basic_yearly"]},
        {"product": "prod_extra"},
    )
    ws = project(tmp_path, emu, declaration, STRIPE_API_KEY=KEY)
    emu.server.clear_counters()
    text = output(ws.preview(check=False), "every lookup-key check failure")
    assert ws.last_result.returncode != 0
    path, reason = f"{PRODUCTS}[2].prices", "required: declare prices, lookup_keys or both"
    assert has_failure(text, path, reason)
    redeclare(ws, portal(*declaration["features"]["subscription_update"]["products"][:2]))
    text = output(ws.preview(check=False), "every lookup-key check failure")
    expected = [
        (f"{PRODUCTS}[0].lookup_keys[1]", "no active price has lookup key 'pro_yearly'"),
        (
            f"{PRODUCTS}[0].lookup_keys[2]",
            f"lookup key 'basic_weekly_old' names price {old}, which is inactive",
        ),
        (
            f"{PRODUCTS}[0].lookup_keys[3]",
            f"lookup key 'setup_fee' names price {fee}, which is not recurring",
        ),
        (
            f"{PRODUCTS}[1].lookup_keys[1]",
            f"lookup key 'pro_monthly_v2' names price {twin}, which has the same recurring "
            "interval (month) as price",
        ),
        (
            f"{PRODUCTS}[1].lookup_keys[2]",
            "lookup key 'basic_yearly' names price price_",
        ),
    ]
    for path, reason in expected:
        assert has_failure(text, path, reason), (path, reason)
    assert "of product prod_basic, not of prod_pro" in text
    assert not any(r.method == "POST" for r in emu.requests)
    assert [p for _, p in routes(emu)] == ["/v1/prices"]  # one read for seven keys


def test_multi_stack_prod_needs_its_live_mode(tmp_path: Path, emu: Emulator) -> None:
    """The example's prod stack holds a live key: without ``stripe:mode: live`` it is refused,
    and a test key pasted into prod is refused too."""
    ws = PulumiWorkspace(
        EXAMPLES / "multi-stack",
        tmp_path / "ws",
        stack="prod",
        passphrase="demo",
        extra_env={"STRIPE_API_BASE": emu.url},
    )
    stack_file = ws.project_dir / "Pulumi.prod.yaml"
    lines = stack_file.read_text().splitlines(keepends=True)
    stack_file.write_text("".join(line for line in lines if "stripe:mode" not in line))
    ws.stack_init("prod")
    text = output(ws.preview(check=False), "multi-stack prod without stripe:mode")
    assert "error: refused: the API key sk_live_**** is a live-mode key and stripe:mode is not" in (
        text
    )
    ws.config_set("stripe:mode", "live")
    ws.config_set("stripe:apiKey", KEY, secret=True)
    text = output(ws.preview(check=False), "multi-stack prod with a test key")
    assert "error: refused: stripe:mode is 'live' but the API key sk_test_**** is a test-mode" in (
        text
    )
    assert emu.request_count == 0
