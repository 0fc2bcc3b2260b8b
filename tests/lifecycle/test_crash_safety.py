"""A create interrupted after Stripe made the configuration, retried as the engine retries a
pending create: still exactly one active configuration per resource."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.stripe_api.client import PortalApiError

from support.driver import KEY, Driver
from support.samples import full, minimal

OWNER = "demo/dev/portal"
CREATE = ("POST", "/v1/billing_portal/configurations")


@pytest.fixture
def driver(emu: Emulator) -> Driver:
    # No SDK retries: the dropped answer reaches the provider, as a killed `pulumi up` would.
    return Driver(
        {"stripe:apiKey": KEY, "stripe:apiBase": emu.url, "stripe:maxNetworkRetries": "0"}
    )


def active_of(sdk: stripe.StripeClient, owner: str = OWNER) -> list[dict[str, Any]]:
    page = sdk.v1.billing_portal.configurations.list(params={"active": True, "limit": 100})
    configs = [c.to_dict(recursive=True) for c in page.data]
    return [c for c in configs if c["metadata"].get("pulumi_owner") == owner]


def interrupted_create(driver: Driver, emu: Emulator, declaration: dict[str, Any]) -> None:
    emu.set_drop_after_commit(1)  # Stripe makes it, the answer never arrives
    with pytest.raises(PortalApiError):
        driver.create(declaration)
    emu.clear_faults()


def test_retried_create_finds_what_the_interrupted_one_made(driver, emu, sdk) -> None:
    interrupted_create(driver, emu, {**full(), "_owner": OWNER})
    [made] = active_of(sdk)
    emu.server.clear_counters()
    config_id, outs = driver.create({**full(), "_owner": OWNER})
    assert config_id == made["id"]
    assert emu.route_counts[CREATE] == 1  # replayed by Stripe, nothing new made
    assert [c["id"] for c in active_of(sdk)] == [config_id]
    assert driver.diff(config_id, outs, {**full(), "_owner": OWNER}).changes is False


def test_a_changed_declaration_after_the_interruption_still_makes_one(driver, emu, sdk):
    interrupted_create(driver, emu, {**full(), "_owner": OWNER})
    changed = {**minimal(), "name": "changed since", "_owner": OWNER}
    config_id, outs = driver.create(changed)
    [only] = active_of(sdk)
    assert only["id"] == config_id
    assert only["name"] == "changed since"
    assert only["features"]["subscription_update"]["enabled"] is False  # back to default
    assert driver.diff(config_id, outs, changed).changes is False


def test_recreating_after_destroy_makes_a_new_configuration(driver, emu, sdk) -> None:
    declaration = {**minimal(), "_owner": OWNER}
    first_id, state = driver.create(declaration)
    driver.provider.delete(first_id, state)
    second_id, _ = driver.create(declaration)
    assert second_id != first_id
    assert [c["id"] for c in active_of(sdk)] == [second_id]


def test_the_normal_create_is_one_request(driver, emu) -> None:
    driver.create({**full(), "_owner": OWNER})
    assert [(r.method, r.path) for r in emu.requests] == [
        ("POST", "/v1/billing_portal/configurations")
    ]
