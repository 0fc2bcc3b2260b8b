"""Typed outputs through the real engine: attribute access on nested outputs, and a value
Stripe holds as null is ``None`` in the program (never a ``KeyError``)."""

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


def test_nested_outputs_are_attributes_and_nulls_are_none(tmp_path: Path, emu: Emulator):
    src = write_project(tmp_path / "typed", "typed-outputs", PROGRAM)
    ws = PulumiWorkspace(
        src,
        tmp_path / "ws",
        stack="dev",
        passphrase="typed",
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
    )
    ws.stack_init("dev")
    ws.up()
    out = ws.stack_output()
    assert out["login_enabled"] is False
    assert out.get("login_url") is None  # the login page is off: Stripe holds null
    assert out["login_url_is_none"] is True
    assert out["login_page_type"] == "LoginPage"
    assert out["mode"] == "immediately"
    assert out["headline"] == "Manage your plan"
    assert out["privacy"] == "None"
    # adjustable_quantity was not declared: an empty object, its fields None (no error).
    assert out["products"] == [["prod_basic", ["price_basic_m"], None]]
    assert out["livemode"] is False
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)
