"""Typed outputs through the real engine: attribute access on nested outputs; a value
Stripe holds as null is ``None`` in the program (never a ``KeyError``), and an undeclared
value reads as Stripe holds it, though the state does not store it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace, assert_refresh_changes_nothing, write_project  # noqa: E402

pytestmark = pytest.mark.engine

KEY = "sk_test_typedOutputsKey4242"
PROGRAM = """
import pulumi
from pulumi_stripe_portal import (
    FeaturesArgs,
    LoginPageArgs,
    PortalConfiguration,
    SubscriptionCancelArgs,
)

portal = PortalConfiguration(
    "typed",
    business_profile={"headline": "Manage your plan"},
    login_page=LoginPageArgs(enabled=False),
    features=FeaturesArgs(
        subscription_cancel=SubscriptionCancelArgs(enabled=True, mode="immediately"),
        payment_method_update={"enabled": True},
        subscription_update={
            "enabled": True,
            "products": [{"product": "prod_basic", "prices": ["price_basic_m"]}],
        },
    ),
)
pulumi.export("login_url", portal.login_page.url)
pulumi.export("login_enabled", portal.login_page.enabled)
pulumi.export("login_page_type", portal.login_page.apply(lambda p: type(p).__name__))
pulumi.export("login_url_is_none", portal.login_page.apply(lambda p: p.url is None))
pulumi.export("mode", portal.features.subscription_cancel.mode)
pulumi.export("headline", portal.business_profile.headline)
pulumi.export("privacy", portal.business_profile.apply(lambda b: repr(b.privacy_policy_url)))
pulumi.export(
    "products",
    portal.features.subscription_update.products.apply(
        lambda ps: [(p.product, p.prices, p.adjustable_quantity.enabled) for p in ps or []]
    ),
)
pulumi.export("livemode", portal.livemode)
"""


def stack(tmp_path: Path, emu: Emulator, project: str, program: str) -> PulumiWorkspace:
    """A dev stack of ``program`` against the emulator, its key in the environment."""
    src = write_project(tmp_path / project, project, program)
    ws = PulumiWorkspace(
        src,
        tmp_path / "ws",
        stack="dev",
        passphrase="typed",
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
    )
    ws.stack_init("dev")
    return ws


def test_nested_outputs_are_attributes_and_nulls_are_none(tmp_path: Path, emu: Emulator):
    ws = stack(tmp_path, emu, "typed-outputs", PROGRAM)
    ws.up()
    out = ws.stack_output()
    assert out["login_enabled"] is False
    assert out.get("login_url") is None  # the login page is off: Stripe holds null
    assert out["login_url_is_none"] is True
    assert out["login_page_type"] == "LoginPage"
    assert out["mode"] == "immediately"
    assert out["headline"] == "Manage your plan"
    assert out["privacy"] == "None"
    # adjustable_quantity was not declared: it reads as Stripe holds it (disabled).
    assert out["products"] == [["prod_basic", ["price_basic_m"], False]]
    assert out["livemode"] is False
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)


MINIMAL = """
import pulumi
from pulumi_stripe_portal import PortalConfiguration

portal = PortalConfiguration("minimal", features={"invoice_history": {"enabled": True}})
f = portal.features
pulumi.export("login_enabled", portal.login_page.enabled)
pulumi.export("allowed_updates", f.customer_update.allowed_updates)
pulumi.export("customer_update_enabled", f.customer_update.enabled)
pulumi.export("cancel_mode", f.subscription_cancel.mode)
pulumi.export("cancel_proration", f.subscription_cancel.proration_behavior)
pulumi.export("pause_options", f.subscription_pause.duration.apply(
    lambda d: [d.type, [(o.interval, o.interval_count) for o in d.interval_options]]))
pulumi.export("trial", f.subscription_update.trial_update_behavior)
pulumi.export("headline", portal.business_profile.headline)
pulumi.export("name", portal.name)
"""


def test_undeclared_leaves_read_as_stripe_holds_them(tmp_path: Path, emu: Emulator) -> None:
    import stripe

    ws = stack(tmp_path, emu, "minimal-outputs", MINIMAL)
    ws.up()
    out = ws.stack_output()
    assert out["login_enabled"] is False
    assert out["allowed_updates"] == [] and out["customer_update_enabled"] is False
    assert out["cancel_mode"] == "at_period_end" and out["cancel_proration"] == "none"
    assert out["pause_options"] == ["interval_options", [["month", 1]]]
    assert out["trial"] == "end_trial"
    assert out.get("headline") is None and out.get("name") is None  # Stripe holds null
    [state] = [r for r in ws.resources("PortalConfiguration")]
    assert "customer_update" not in state["outputs"]["features"]  # the state stays small
    ws.preview(expect_no_changes=True)

    # A Dashboard edit to an undeclared field: drift, and the edited value after refresh.
    client = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    client.v1.billing_portal.configurations.update(
        state["id"], params={"login_page": {"enabled": True}}
    )
    drift = ws.preview("--refresh", "--diff")
    assert "~ 1 to update" in drift.stdout and "loginPage" not in drift.stdout, drift.stdout
    ws.refresh()
    [refreshed] = ws.resources("PortalConfiguration")
    assert refreshed["outputs"]["login_page"]["enabled"] is True
    ws.up()
    assert ws.stack_output()["login_enabled"] is False  # up put Stripe's default back
    assert client.v1.billing_portal.configurations.retrieve(state["id"]).login_page.enabled is False
    ws.preview(expect_no_changes=True)
