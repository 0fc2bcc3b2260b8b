"""Adoption and the ownership marker, the provider driven as the engine drives it."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.params import exact_params
from pulumi_stripe_portal.lifecycle.state import declaration_of
from pulumi_stripe_portal.schema.defaults import held as held_tree
from pulumi_stripe_portal.stripe_api.client import PortalApiError

from support.driver import Driver
from support.samples import DASHBOARD, full, minimal

EXPAND = {"expand": ["features.subscription_update.products"]}
ME = "demo/dev/portal"
OTHER = "demo/staging/portal"


def stripe_holds(sdk: stripe.StripeClient, config_id: str) -> dict[str, Any]:
    return sdk.v1.billing_portal.configurations.retrieve(config_id, params=EXPAND).to_dict(
        recursive=True
    )


def owned(declaration: dict[str, Any], owner: str = ME, **extra: Any) -> dict[str, Any]:
    return {**declaration, "_owner": owner, **extra}


def test_adopt_default_makes_stripe_hold_exactly_the_declaration(
    driver: Driver, emu: Emulator, sdk
) -> None:
    seeded = emu.seed_default(DASHBOARD)
    config_id, outs = driver.create(owned(full(), adopt="default"))
    assert config_id == seeded["id"]
    assert emu.route_counts[("POST", "/v1/billing_portal/configurations")] == 0  # no create
    now = stripe_holds(sdk, config_id)
    # Exactly the declaration, leaf for leaf, plus the marker.
    assert exact_params(now, driver.check(full()), ME) == {}
    assert now["metadata"] == {"team": "billing", "env": "test", "pulumi_owner": ME}
    assert outs["metadata"] == {"team": "billing", "env": "test"}  # marker never shown
    assert now["is_default"] is True
    # The "empty plan after apply" and "no change after refresh" checks.
    assert driver.diff(config_id, outs, owned(full(), adopt="default")).changes is False
    result = driver.read(config_id, outs)
    assert result.inputs is None  # no new inputs: the engine keeps its own, which are these
    assert declaration_of(result.outs) == declaration_of(outs)
    assert driver.diff(config_id, result.outs, owned(full(), adopt="default")).changes is False


def test_adopt_returns_what_the_declaration_leaves_out_to_stripe_defaults(
    driver: Driver, emu: Emulator, sdk
) -> None:
    seeded = emu.seed_default(DASHBOARD)
    config_id, _ = driver.create(owned(minimal(), adopt=seeded["id"]))
    now = stripe_holds(sdk, config_id)
    cancel = now["features"]["subscription_cancel"]
    # A left-out block goes back to its defaults inside too, not only to enabled=false.
    assert (cancel["enabled"], cancel["mode"], cancel["proration_behavior"]) == (
        False,
        "at_period_end",
        "none",
    )
    assert now["features"]["customer_update"] == {"enabled": False, "allowed_updates": []}
    assert now["name"] is None and now["default_return_url"] is None
    assert now["business_profile"]["headline"] is None
    assert now["login_page"]["enabled"] is False
    assert now["metadata"] == {"pulumi_owner": ME}
    fresh = emu.seed_default({"features": minimal()["features"]})
    assert held_tree(now)["features"] == held_tree(fresh)["features"]


def test_adopting_a_configuration_of_another_owner_fails_and_changes_nothing(
    driver: Driver, emu: Emulator, sdk
) -> None:
    seeded = emu.seed_default(DASHBOARD)
    driver.create(owned(minimal(), adopt="default"))
    before = stripe_holds(sdk, seeded["id"])
    posts = emu.route_counts[("POST", "/v1/billing_portal/configurations/{id}")]
    with pytest.raises(PortalApiError) as info:
        driver.create(owned(full(), owner=OTHER, adopt="default"))
    assert ME in str(info.value) and "nothing was changed" in str(info.value)
    assert emu.route_counts[("POST", "/v1/billing_portal/configurations/{id}")] == posts
    assert stripe_holds(sdk, seeded["id"]) == before


def test_updating_a_configuration_another_stack_took_over_fails_before_writing(
    driver: Driver, emu: Emulator, sdk
) -> None:
    config_id, state = driver.create(owned(minimal()))
    sdk.v1.billing_portal.configurations.update(
        config_id, params={"metadata": {"pulumi_owner": OTHER}}
    )
    posts = emu.route_counts[("POST", "/v1/billing_portal/configurations/{id}")]
    with pytest.raises(PortalApiError) as info:
        driver.up(config_id, state, owned(minimal(), name="changed"))
    assert OTHER in str(info.value)
    assert emu.route_counts[("POST", "/v1/billing_portal/configurations/{id}")] == posts
    assert stripe_holds(sdk, config_id)["name"] is None


def test_a_renamed_stack_moves_the_marker(driver: Driver, sdk) -> None:
    config_id, state = driver.create(owned(minimal()))
    changed, state = driver.up(config_id, state, owned(minimal(), owner="demo/prod/portal"))
    assert changed is True
    assert stripe_holds(sdk, config_id)["metadata"] == {"pulumi_owner": "demo/prod/portal"}
    assert state["metadata"] == {}


@pytest.mark.parametrize(
    ("adopt", "expected"),
    [
        ("bpc_doesnotexist", "no such billing portal configuration"),
        ("default", "has no default billing portal configuration"),
    ],
)
def test_adopting_what_is_not_there_is_one_line_and_changes_nothing(
    driver: Driver, emu: Emulator, adopt: str, expected: str
) -> None:
    with pytest.raises(PortalApiError) as info:
        driver.create(owned(minimal(), adopt=adopt))
    message = str(info.value)
    assert expected in message and "nothing was changed" in message and "\n" not in message
    assert all(r.method == "GET" for r in emu.requests)


def test_adopting_an_inactive_configuration_needs_active_false(
    driver: Driver, emu: Emulator, sdk
) -> None:
    config = sdk.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    sdk.v1.billing_portal.configurations.update(config.id, params={"active": False})
    emu.server.clear_counters()
    with pytest.raises(PortalApiError) as info:
        driver.create(owned(minimal(), adopt=config.id))
    assert "is inactive" in str(info.value)
    assert all(r.method == "GET" for r in emu.requests)
    adopted_id, outs = driver.create(owned({**minimal(), "active": False}, adopt=config.id))
    assert adopted_id == config.id and outs["active"] is False


def test_changing_adopt_after_creation_touches_nothing(driver: Driver, emu: Emulator) -> None:
    emu.seed_default(DASHBOARD)
    config_id, state = driver.create(owned(minimal(), adopt="default"))
    emu.server.clear_counters()
    changed, state = driver.up(config_id, state, owned(minimal()))  # adopt removed
    assert emu.request_count == 0
    assert "adopt" not in declaration_of(state)
    assert driver.diff(config_id, state, owned(minimal())).changes is False
    refreshed = driver.read(config_id, state)
    assert refreshed.inputs is None  # no new inputs: the engine keeps its own
    assert declaration_of(refreshed.outs) == declaration_of(state)


def test_destroy_of_an_adopted_default_leaves_it_active_without_the_marker(
    driver: Driver, emu: Emulator, sdk
) -> None:
    seeded = emu.seed_default(DASHBOARD)
    config_id, state = driver.create(owned(full(), adopt="default"))
    driver.provider.delete(config_id, state)
    now = stripe_holds(sdk, seeded["id"])
    assert now["active"] is True and now["is_default"] is True
    assert now["metadata"] == {"team": "billing", "env": "test"}


def test_destroy_of_a_created_configuration_deactivates_and_unmarks_in_one_post(
    driver: Driver, emu: Emulator, sdk
) -> None:
    config_id, state = driver.create(owned(minimal()))
    emu.server.clear_counters()
    driver.provider.delete(config_id, state)
    assert [r.method for r in emu.requests] == ["POST"]
    now = stripe_holds(sdk, config_id)
    assert now["active"] is False and now["metadata"] == {}


def test_the_marker_is_not_user_metadata(driver: Driver) -> None:
    result = driver.provider.check({}, {**minimal(), "metadata": {"pulumi_owner": "me"}})
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "metadata",
            "key 'pulumi_owner' is reserved: the provider keeps its ownership marker there",
        )
    ]


def test_a_bad_adopt_value_is_a_check_failure(driver: Driver) -> None:
    result = driver.provider.check({}, {**minimal(), "adopt": "yes please"})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("adopt", "must be \"default\" or a configuration id like bpc_123, got 'yes please'")
    ]
