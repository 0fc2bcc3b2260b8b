"""``stripe-portal list`` and ``export``, run as a user runs them, against the emulator."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import stripe

from pulumi_stripe_portal.cli.export import declaration
from pulumi_stripe_portal.emulator import Emulator

from support.keys import live_key
from support.samples import full

KEY = "sk_test_cliKey0123456789abcdef"
LIST_ROUTE = ("GET", "/v1/billing_portal/configurations")
RUFF = Path(sys.executable).parent / "ruff"


def run(emu: Emulator | None, *args: str, key: str = KEY, **env: str):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    environ.update({"STRIPE_API_KEY": key, **env})
    if emu is not None:
        environ["STRIPE_API_BASE"] = emu.url
    return subprocess.run(
        [sys.executable, "-m", "pulumi_stripe_portal", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def sdk(emu: Emulator) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)


def dashboard_default(emu: Emulator) -> dict:
    declared = full()
    declared.pop("active")
    return emu.seed_default(declared)


def test_list_follows_every_page(emu: Emulator) -> None:
    client = sdk(emu)
    made = [
        client.v1.billing_portal.configurations.create(
            params={"name": f"portal {i}", "features": {"invoice_history": {"enabled": True}}}
        ).id
        for i in range(230)
    ]
    for config_id in made[:5]:
        client.v1.billing_portal.configurations.update(config_id, params={"active": False})
    emu.server.clear_counters()
    everything = run(emu, "list", "--all", "--json")
    assert everything.returncode == 0, everything.stderr
    rows = json.loads(everything.stdout)
    assert sorted(r["id"] for r in rows) == sorted(made)
    assert emu.route_counts[LIST_ROUTE] == 3  # 100 + 100 + 30
    active = json.loads(run(emu, "list", "--json").stdout)
    assert len(active) == 225 and all(r["active"] for r in active)


def test_list_table_shows_owner_default_and_mode(emu: Emulator) -> None:
    seeded = dashboard_default(emu)
    sdk(emu).v1.billing_portal.configurations.update(
        seeded["id"], params={"metadata": {"pulumi_owner": "shop/prod/portal"}}
    )
    result = run(emu, "list")
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split() == ["id", "name", "active", "default", "livemode", "owner", "updated"]
    assert row.startswith(seeded["id"])
    assert "Everything portal" in row and "shop/prod/portal" in row
    assert row.split()[-5:-1] == ["yes", "yes", "no", "shop/prod/portal"]


def test_export_declares_what_differs_from_stripe_defaults_and_is_lint_clean(
    emu: Emulator, tmp_path: Path
) -> None:
    seeded = dashboard_default(emu)
    other = sdk(emu).v1.billing_portal.configurations.create(
        params={
            "name": "Pro customers",
            "features": {"subscription_cancel": {"enabled": False, "mode": "immediately"}},
        }
    )
    target = tmp_path / "__main__.py"
    result = run(emu, "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert 'adopt="default"' in text and f'adopt="{other.id}"' in text
    assert '"everything-portal",' in text and '"pro-customers",' in text
    # A disabled block that is not at its default is declared, so adoption keeps it.
    assert '"mode": "immediately"' in text
    # Every field off its default, products expanded, and nothing else.
    declared = declaration(seeded)
    assert declared["features"]["subscription_update"]["products"][0]["product"] == "prod_basic"
    resources = _declared_resources(text)
    assert resources["everything-portal"]["features"] == declared["features"]
    assert resources["everything-portal"]["name"] == "Everything portal"
    for ruff_args in (["format", "--check"], ["check", "--select", "E,F,W,I,B,UP"]):
        lint = subprocess.run(
            [str(RUFF), *ruff_args, "--isolated", str(target)], capture_output=True, text=True
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr


def _declared_resources(text: str) -> dict[str, dict]:
    """Each ``PortalConfiguration(name, **kwargs)`` of a program, its kwargs as values."""
    found = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "PortalConfiguration":
            name = ast.literal_eval(node.args[0])
            found[name] = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    return found


def test_export_by_id_and_an_unknown_id(emu: Emulator) -> None:
    seeded = dashboard_default(emu)
    one = run(emu, "export", "--id", seeded["id"])
    assert one.returncode == 0 and one.stdout.count("PortalConfiguration(") == 1
    missing = run(emu, "export", "--id", "bpc_nope")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "stripe-portal: error: no such billing portal configuration: 'bpc_nope'"
    ]


@pytest.mark.parametrize("command", ["list", "export"])
def test_errors_are_one_line_and_never_show_the_key(emu: Emulator, command: str) -> None:
    bad_key = "sk_test_thisKeyIsNotAccepted0123"
    with Emulator(api_keys=[KEY]) as strict:
        refused = run(strict, command, key=bad_key)
    unreachable = run(
        None, command, STRIPE_API_BASE="http://127.0.0.1:9", STRIPE_MAX_NETWORK_RETRIES="0"
    )
    for result in (refused, unreachable):
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("stripe-portal: error: "), result.stderr
        assert bad_key not in result.stderr + result.stdout
        assert bad_key[-12:] not in result.stderr + result.stdout
    assert "Invalid API Key" in refused.stderr
    no_key = run(emu, command, key="")
    assert no_key.returncode == 1 and "STRIPE_API_KEY" in no_key.stderr


def test_flags_win_over_the_environment(emu: Emulator) -> None:
    dashboard_default(emu)
    result = run(None, "list", "--api-key", KEY, "--api-base", emu.url, key="sk_test_wrong")
    assert result.returncode == 0, result.stderr
    assert "Everything portal" in result.stdout


def test_a_live_key_can_list_but_stripe_mode_still_guards(emu: Emulator) -> None:
    live = live_key("cliLiveKey0123456789")
    listed = run(emu, "list", key=live)
    assert listed.returncode == 0 and listed.stdout.strip() == "no configurations"
    refused = run(emu, "list", key=live, STRIPE_MODE="test")
    assert refused.returncode == 1 and "sk_live_****" in refused.stderr
    assert live not in refused.stderr
