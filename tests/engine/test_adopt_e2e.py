"""Adoption, ownership and export through the real engine, against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.params import exact_params
from pulumi_stripe_portal.lifecycle.validation import check_declaration

from harness import PulumiWorkspace, assert_refresh_changes_nothing
from support.samples import DASHBOARD, full

pytestmark = pytest.mark.engine

KEY = "sk_test_adoptE2eKey0123456789"
PROJECT = Path(__file__).resolve().parent / "adopt"
ITEM_POST = ("POST", "/v1/billing_portal/configurations/{id}")
CREATE_POST = ("POST", "/v1/billing_portal/configurations")


def sdk(emu: Emulator) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)


def stripe_holds(emu: Emulator, config_id: str) -> dict[str, Any]:
    return (
        sdk(emu)
        .v1.billing_portal.configurations.retrieve(
            config_id, params={"expand": ["features.subscription_update.products"]}
        )
        .to_dict(recursive=True)
    )


def stack(tmp_path: Path, emu: Emulator, name: str, project: Path = PROJECT) -> PulumiWorkspace:
    ws = PulumiWorkspace(
        project, tmp_path / f"ws-{name}", stack=name, extra_env={"STRIPE_API_BASE": emu.url}
    )
    ws.stack_init(name)
    ws.config_set("stripe:apiKey", KEY, secret=True)
    return ws


def declare(ws: PulumiWorkspace, portals: dict[str, dict[str, Any]]) -> None:
    ws.config_set("portals", json.dumps(portals))


def holds_exactly(emu: Emulator, config_id: str, declared: dict[str, Any], owner: str) -> None:
    normalized, failures = check_declaration(declared)
    assert not failures
    assert exact_params(stripe_holds(emu, config_id), normalized, owner) == {}


def test_export_up_changes_nothing_then_preview_is_clean(tmp_path: Path, emu: Emulator):
    every_field = full()
    every_field.pop("active")
    default = emu.seed_default(every_field)
    other = (
        sdk(emu)
        .v1.billing_portal.configurations.create(
            params={
                "name": "Pro customers",
                "features": {"subscription_cancel": {"enabled": False, "mode": "immediately"}},
            }
        )
        .to_dict(recursive=True)
    )
    before = {c["id"]: stripe_holds(emu, c["id"]) for c in (default, other)}

    project = tmp_path / "exported"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: exported-portals\nruntime: python\n")
    env = {**os.environ, "STRIPE_API_KEY": KEY, "STRIPE_API_BASE": emu.url}
    export = subprocess.run(
        [sys.executable, "-m", "pulumi_stripe_portal", "export", "-o", project / "__main__.py"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert export.returncode == 0, export.stderr

    ws = stack(tmp_path, emu, "dev", project)
    up = ws.up()
    assert f"adopted billing portal configuration {default['id']}" in up.stdout, up.stdout
    assert "0 field(s) changed" in up.stdout, up.stdout[-3000:]
    assert emu.route_counts[CREATE_POST] == 1  # only the SDK's own create above
    for config_id, was in before.items():
        now = stripe_holds(emu, config_id)
        assert now["updated"] >= was["updated"]
        owner = now["metadata"].pop("pulumi_owner")
        assert owner.startswith("exported-portals/dev/")
        assert {**now, "updated": 0} == {**was, "updated": 0}  # nothing else changed
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)
    ws.preview(expect_no_changes=True)


def test_adopt_by_default_and_by_id_hold_exactly_the_declaration(
    tmp_path: Path, emu: Emulator
) -> None:
    default = emu.seed_default(DASHBOARD)
    made = sdk(emu).v1.billing_portal.configurations.create(
        params={
            "name": "Made elsewhere",
            "metadata": {"legacy": "yes"},
            "features": {
                "invoice_history": {"enabled": True},
                "payment_method_update": {"enabled": True},
                "subscription_pause": {"enabled": True},
            },
        }
    )
    declared_default = {**full(), "adopt": "default"}
    declared_other = {
        "adopt": made.id,
        "name": "Adopted by id",
        "features": {"customer_update": {"enabled": True, "allowed_updates": ["address"]}},
    }
    ws = stack(tmp_path, emu, "dev")
    declare(ws, {"main": declared_default, "second": declared_other})
    up = ws.up()
    assert f"adopted billing portal configuration {default['id']}" in up.stdout
    assert f"adopted billing portal configuration {made.id}" in up.stdout
    out = ws.stack_output()
    assert out == {"main_id": default["id"], "second_id": made.id}
    assert emu.route_counts[CREATE_POST] == 1  # the SDK's own: adoption never creates
    holds_exactly(emu, default["id"], declared_default, "adopt-test/dev/main")
    holds_exactly(emu, made.id, declared_other, "adopt-test/dev/second")
    # What the declaration leaves out is back at Stripe's default, inside blocks too.
    cancel = stripe_holds(emu, default["id"])["features"]["subscription_cancel"]
    assert cancel["mode"] == "immediately"  # full() declares it
    second = stripe_holds(emu, made.id)
    assert second["features"]["subscription_pause"]["enabled"] is False
    assert second["metadata"] == {"pulumi_owner": "adopt-test/dev/second"}
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)

    # Removing `adopt` afterwards touches nothing.
    declare(ws, {"main": full(), "second": {**declared_other, "adopt": None}})
    writes = emu.route_counts[ITEM_POST]
    ws.up()
    assert emu.route_counts[ITEM_POST] == writes
    assert ws.stack_output()["main_id"] == default["id"]
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)


def test_a_second_stack_adopting_the_same_configuration_fails_and_changes_nothing(
    tmp_path: Path, emu: Emulator
) -> None:
    default = emu.seed_default(DASHBOARD)
    first = stack(tmp_path, emu, "first")
    declare(
        first, {"portal": {"adopt": "default", "features": {"invoice_history": {"enabled": True}}}}
    )
    first.up()
    before = stripe_holds(emu, default["id"])
    writes = emu.route_counts[ITEM_POST]

    second = stack(tmp_path, emu, "second")
    declare(second, {"portal": {"adopt": "default", "name": "Mine now", "features": {}}})
    result = second.up(check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "managed by 'adopt-test/first/portal'" in output, output
    assert emu.route_counts[ITEM_POST] == writes
    assert stripe_holds(emu, default["id"]) == before


def test_destroy_of_an_adopted_default_leaves_it_active_without_the_marker(
    tmp_path: Path, emu: Emulator
) -> None:
    default = emu.seed_default(DASHBOARD)
    ws = stack(tmp_path, emu, "dev")
    declare(ws, {"portal": {"adopt": "default", "name": "Ours", "features": {}}})
    ws.up()
    assert stripe_holds(emu, default["id"])["metadata"] == {"pulumi_owner": "adopt-test/dev/portal"}
    destroy = ws.destroy()
    assert "left active" in destroy.stdout + destroy.stderr
    now = stripe_holds(emu, default["id"])
    assert now["active"] is True and now["is_default"] is True
    assert now["metadata"] == {}
    assert now["name"] == "Ours"  # destroy leaves the declaration as it was


def test_adopting_a_missing_id_is_one_line_and_writes_nothing(tmp_path: Path, emu: Emulator):
    ws = stack(tmp_path, emu, "dev")
    declare(ws, {"portal": {"adopt": "bpc_doesNotExist", "features": {}}})
    result = ws.up(check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (
        "adopt='bpc_doesNotExist': no such billing portal configuration; nothing was changed"
        in output
    ), output
    assert all(r.method == "GET" for r in emu.requests)
