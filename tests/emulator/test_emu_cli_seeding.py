"""The command line's seeding flags: a real process, real HTTP through the stripe SDK."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import stripe

CLI = [sys.executable, "-m", "pulumi_stripe_portal.emulator", "--port", "0"]


@contextmanager
def running(*flags: str) -> Iterator[str]:
    """Start the CLI with ``flags``; yield its URL; stop it with SIGTERM (exit 0)."""
    proc = subprocess.Popen([*CLI, *flags], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.fullmatch(r"stripe-portal-emulator listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert m, line
        yield m.group(1)
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def refused(*flags: str) -> str:
    """Run the CLI expecting it to refuse to start; return its one stderr line."""
    proc = subprocess.run([*CLI, *flags], capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def client(url: str, key: str = "sk_test_cli") -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)


def _write(path: Path, value: Any) -> str:
    path.write_text(json.dumps(value))
    return str(path)


def test_seed_default_without_a_file(tmp_path: Path) -> None:
    with running("--seed-default") as url:
        [cfg] = client(url).v1.billing_portal.configurations.list().data
        assert cfg.is_default is True
        assert cfg.features.invoice_history.enabled is True


def test_seed_default_from_a_file_survives_a_restart(tmp_path: Path) -> None:
    params = {"business_profile": {"headline": "Seeded"}, "features": {}}
    seed = _write(tmp_path / "default.json", params)
    state = str(tmp_path / "s.db")
    with running("--state", state, "--seed-default", seed) as url:
        [cfg] = client(url).v1.billing_portal.configurations.list(params={"is_default": True})
        assert cfg.business_profile.headline == "Seeded"
    with running("--state", state, "--seed-default", seed) as url:
        again = client(url).v1.billing_portal.configurations.list().data
        assert [(c.id, c.is_default) for c in again] == [(cfg.id, True)]


def test_seed_default_refusals_are_one_line(tmp_path: Path) -> None:
    missing = refused("--seed-default", str(tmp_path / "nope.json"))
    assert missing.startswith("stripe-portal-emulator: --seed-default ")
    not_object = refused("--seed-default", _write(tmp_path / "list.json", []))
    assert "expected a JSON object" in not_object
    invalid = refused("--seed-default", _write(tmp_path / "bad.json", {"features": {"x": {}}}))
    assert invalid == (
        "stripe-portal-emulator: seed refused (features[x]): "
        "Received unknown parameter: features[x]"
    )


SAMPLE = Path(__file__).parents[2] / "examples" / "multi-stack" / "catalog.json"
PORTAL = {
    "payment_method_update": {"enabled": True},
    "subscription_update": {"enabled": True, "default_allowed_updates": ["price"]},
}


def _portal(product: str, price: str) -> dict[str, Any]:
    update = {
        **PORTAL["subscription_update"],
        "products": [{"product": product, "prices": [price]}],
    }
    return {"features": {**PORTAL, "subscription_update": update}}


def test_catalog_loads_both_modes_checks_references_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    state = str(tmp_path / "s.db")
    keys = ["basic_monthly", "basic_yearly", "pro_monthly", "pro_yearly"]
    with running("--state", state, "--catalog", str(SAMPLE)) as url:
        v1 = client(url).v1
        prices = {p.lookup_key: p.id for p in v1.prices.list(params={"lookup_keys": keys}).data}
        assert sorted(prices) == keys
        live = client(url, "sk_live_cli").v1.prices.list(params={"lookup_keys": keys}).data
        assert len(live) == 4
        v1.billing_portal.configurations.create(
            params=_portal("prod_basic", prices["basic_monthly"])
        )
        with pytest.raises(stripe.InvalidRequestError) as exc:
            v1.billing_portal.configurations.create(params=_portal("prod_basic", "price_nope"))
        assert exc.value.json_body["error"]["message"] == "No such price: 'price_nope'"
    with running("--state", state, "--catalog", str(SAMPLE)) as url:
        again = client(url).v1.prices.list(params={"limit": 100}).data
        assert sorted(p.id for p in again) == sorted(prices.values())  # nothing duplicated


def test_check_references_flag(tmp_path: Path) -> None:
    with running("--check-references") as url:
        with pytest.raises(stripe.InvalidRequestError) as exc:
            client(url).v1.billing_portal.configurations.create(
                params=_portal("prod_basic", "price_1")
            )
        assert exc.value.json_body["error"]["message"] == "No such product: 'prod_basic'"
    with running() as url:  # off by default: made-up ids are accepted
        client(url).v1.billing_portal.configurations.create(params=_portal("prod_basic", "p_1"))


def test_catalog_and_seed_default_together(tmp_path: Path) -> None:
    # the seeded default may name catalogue prices: the catalogue is loaded first
    with running("--catalog", str(SAMPLE), "--seed-default") as url:
        v1 = client(url).v1
        [cfg] = v1.billing_portal.configurations.list(params={"is_default": True}).data
        assert cfg.features.invoice_history.enabled is True


def test_account_id_flag(tmp_path: Path) -> None:
    with running(
        "--account-id", "sk_test_cli=acct_Pinned", "--account-id", "sk_live_cli=acct_Pinned"
    ) as url:
        assert client(url).v1.accounts.retrieve_current().id == "acct_Pinned"
        assert client(url, "sk_live_cli").v1.accounts.retrieve_current().id == "acct_Pinned"
        other = client(url, "sk_test_other").v1.accounts.retrieve_current().id
        assert other == "acct_" + hashlib.sha256(b"sk_test_other").hexdigest()[:16]


def test_new_flag_refusals_are_one_line_and_never_show_a_key(tmp_path: Path) -> None:
    line = refused("--account-id", "sk_test_supersecret123=nope")
    assert "supersecret" not in line
    assert line == (
        "stripe-portal-emulator: --account-id sk_test_****t123=...: expected KEY=acct_ID "
        "(acct_ followed by letters and digits)"
    )
    assert "supersecret" not in refused("--account-id", "sk_test_supersecret123")
    missing = refused("--catalog", str(tmp_path / "nope.json"))
    assert missing.startswith("stripe-portal-emulator: --catalog: catalogue ")
    bad = _write(tmp_path / "bad.json", {"products": [{"id": "prod_a"}]})
    assert refused("--catalog", bad) == (
        "stripe-portal-emulator: --catalog: catalogue products[0] (name): "
        "Missing required param: name."
    )
