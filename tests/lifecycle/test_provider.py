"""The provider driven as the engine drives it, against the emulator over real HTTP."""

from __future__ import annotations

import base64
import pickletools
from typing import Any

import dill
import pytest
import stripe
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.state import declaration_of
from pulumi_stripe_portal.ownership import MARKER
from pulumi_stripe_portal.provider import PortalConfigurationProvider
from pulumi_stripe_portal.schema.models import API_VERSION
from pulumi_stripe_portal.stripe_api.client import KEY_HELP, PortalApiError

from support.driver import KEY, PROVIDER_KEY, Driver
from support.samples import full, minimal


def held(sdk: stripe.StripeClient, config_id: str, account: str | None = None) -> dict[str, Any]:
    options = {"stripe_account": account} if account else {}
    obj = sdk.v1.billing_portal.configurations.retrieve(
        config_id, params={"expand": ["features.subscription_update.products"]}, options=options
    )
    return obj.to_dict(recursive=True)


def posts(emu: Emulator) -> list[dict[str, Any]]:
    return [r.params for r in emu.requests if r.method == "POST"]


def test_create_with_every_field_then_no_changes(driver: Driver, emu: Emulator, sdk) -> None:
    config_id, outs = driver.create(full())
    assert [r.method for r in emu.requests] == ["POST"]
    stripe_obj = held(sdk, config_id)
    # Outputs: what was declared, as Stripe holds it, and what only Stripe sets.
    for key in ("is_default", "livemode", "created", "updated", "application", "active"):
        assert outs[key] == stripe_obj[key], key
    for key in ("business_profile", "name", "default_return_url"):
        assert outs[key] == stripe_obj[key], key
    assert outs["metadata"] == {k: v for k, v in stripe_obj["metadata"].items() if k != MARKER}
    assert outs["features"] == driver.check(full())["features"]
    assert outs["features"]["subscription_update"]["products"][0]["product"] == "prod_basic"
    assert outs["login_page"]["url"].startswith("https://")
    assert outs["livemode"] is False
    # Every declared leaf reached Stripe.
    assert declaration_of(outs) == driver.check(full())
    # The "empty plan after apply" test: same program, no diff, no call.
    before = emu.request_count
    assert driver.diff(config_id, outs, full()).changes is False
    assert emu.request_count == before
    # And a refresh finds nothing to change either.
    result = driver.read(config_id, outs)
    assert result.inputs is None  # no new inputs: the engine keeps its own, which are these
    assert declaration_of(result.outs) == driver.check(full())
    assert driver.diff(config_id, result.outs, full()).changes is False


def test_a_changed_declaration_is_validated_whatever_the_state_holds(driver: Driver) -> None:
    """check returns the state's inputs only for the very declaration they record."""
    olds = {**driver.check(full()), PROVIDER_KEY: "old"}
    assert driver.check(full(), olds=olds) == driver.check(full())
    bad = full()
    bad["features"]["subscription_cancel"]["mode"] = "soon"
    result = driver.provider.check(olds, {**bad, PROVIDER_KEY: "new"})
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "features.subscription_cancel.mode",
            "must be one of: at_period_end, immediately (got 'soon')",
        )
    ]


def test_create_inactive_needs_a_second_post(driver: Driver, emu: Emulator, sdk) -> None:
    config_id, outs = driver.create({**minimal(), "active": False})
    assert [p.get("active") for p in posts(emu)] == [None, "false"]
    assert held(sdk, config_id)["active"] is False
    assert outs["active"] is False


def test_update_sends_only_the_change_and_stripe_matches(driver: Driver, emu: Emulator, sdk):
    config_id, state = driver.create(full())
    new = full()
    new["features"]["subscription_cancel"].update(mode="at_period_end", proration_behavior="none")
    emu.reset_counters() if hasattr(emu, "reset_counters") else emu.server.clear_counters()
    changed, state = driver.up(config_id, state, new)
    assert changed
    [params] = posts(emu)
    sent = {k: v for k, v in params.items() if not k.startswith("expand")}
    assert sent == {
        "features": {"subscription_cancel": {"mode": "at_period_end", "proration_behavior": "none"}}
    }
    assert held(sdk, config_id)["features"]["subscription_cancel"]["mode"] == "at_period_end"
    assert driver.diff(config_id, state, new).changes is False


def test_removed_fields_are_unset_in_stripe(driver: Driver, emu: Emulator, sdk) -> None:
    config_id, state = driver.create(full())
    new = full()
    for key in ("name", "default_return_url", "business_profile", "login_page"):
        new.pop(key)
    new["metadata"].pop("team")
    features = new["features"]
    features.pop("invoice_history")
    features["customer_update"]["allowed_updates"] = []
    features["subscription_cancel"]["cancellation_reason"].pop("feedback_options")
    features["subscription_update"].pop("schedule_at_period_end")
    features["subscription_update"]["products"].pop()
    changed, state = driver.up(config_id, state, new)
    assert changed
    obj = held(sdk, config_id)
    assert obj["name"] is None and obj["default_return_url"] is None
    assert obj["business_profile"] == {
        "headline": None,
        "privacy_policy_url": None,
        "terms_of_service_url": None,
    }
    assert obj["login_page"] == {"enabled": False, "url": None}
    assert obj["metadata"] == {"env": "test"}
    assert obj["features"]["invoice_history"] == {"enabled": False}
    assert obj["features"]["customer_update"]["allowed_updates"] == []
    assert not obj["features"]["subscription_cancel"]["cancellation_reason"]["feedback_options"]
    assert obj["features"]["subscription_update"]["schedule_at_period_end"] == {"conditions": []}
    assert [p["product"] for p in obj["features"]["subscription_update"]["products"]] == [
        "prod_basic"
    ]
    assert driver.diff(config_id, state, new).changes is False
    refreshed = driver.read(config_id, state)
    assert driver.diff(config_id, refreshed.outs, new).changes is False


def test_refresh_shows_drift_and_up_restores(driver: Driver, emu: Emulator, sdk) -> None:
    declaration = full()
    declaration["features"].pop("invoice_history")
    config_id, state = driver.create(declaration)
    # Out-of-band edits: a declared value, an undeclared string, an undeclared feature.
    sdk.v1.billing_portal.configurations.update(
        config_id,
        params={
            "name": "Edited in the Dashboard",
            "features": {
                "invoice_history": {"enabled": True},
                "subscription_cancel": {"mode": "at_period_end", "proration_behavior": "none"},
            },
            "metadata": {"rogue": "1"},
        },
    )
    result = driver.read(config_id, state)
    assert result.id == config_id
    assert result.inputs["name"] == "Edited in the Dashboard"
    assert result.inputs["features"]["invoice_history"] == {"enabled": True}
    assert result.inputs["metadata"]["rogue"] == "1"
    assert driver.diff(config_id, result.outs, declaration).changes is True
    changed, state = driver.up(config_id, result.outs, declaration)
    assert changed
    obj = held(sdk, config_id)
    assert obj["name"] == "Everything portal"
    assert obj["features"]["invoice_history"]["enabled"] is False
    assert obj["features"]["subscription_cancel"]["mode"] == "immediately"
    assert "rogue" not in obj["metadata"]
    again = driver.read(config_id, state)
    assert driver.diff(config_id, again.outs, declaration).changes is False


def test_vanished_configuration_reads_as_gone(driver: Driver, emu: Emulator) -> None:
    config_id, state = driver.create(minimal())
    emu.reset()  # Stripe forgot it (another account, a wiped test mode)
    result = driver.read(config_id, state)
    assert result.id is None
    assert result.outs == {}


def test_delete_deactivates_with_one_post(driver: Driver, emu: Emulator, sdk) -> None:
    config_id, state = driver.create(minimal())
    emu.server.clear_counters()
    driver.provider.delete(config_id, state)
    assert [(r.method, r.params.get("active")) for r in emu.requests] == [("POST", "false")]
    assert held(sdk, config_id)["active"] is False
    driver.provider.delete(config_id, state)  # already inactive: still fine
    emu.reset()
    driver.provider.delete(config_id, state)  # already gone: fine too


def test_default_configuration_is_left_active_with_a_warning(
    driver: Driver, emu: Emulator, sdk, capfd: pytest.CaptureFixture[str]
) -> None:
    emu.set_first_is_default(True)
    config_id, state = driver.create(minimal())
    assert state["is_default"] is True
    driver.provider.delete(config_id, state)
    assert held(sdk, config_id)["active"] is True
    err = capfd.readouterr().err
    assert "default configuration" in err and config_id in err


def test_rejected_key_is_one_line_without_the_key(emu: Emulator) -> None:
    bad = "sk_test_wrongwrongwrong99"
    emu_keys = Emulator(port=0, api_keys=[KEY])
    with emu_keys:
        driver = Driver({"stripe:apiKey": bad, "stripe:apiBase": emu_keys.url})
        with pytest.raises(PortalApiError) as info:
            driver.create(minimal())
    message = str(info.value)
    assert "\n" not in message
    assert bad not in message
    assert "HTTP 401" in message and "request id: req_" in message


def test_stripe_error_names_message_param_and_request_id(driver: Driver) -> None:
    with pytest.raises(PortalApiError) as info:
        driver.provider.update(
            "bpc_doesnotexist", {**minimal(), "_declared": minimal()}, {**minimal(), "name": "x"}
        )
    message = str(info.value)
    assert "No such billing portal configuration" in message
    assert "param: id" in message and "request id: req_" in message and "\n" not in message


def test_missing_key_names_both_ways_to_set_it(emu: Emulator, monkeypatch) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    driver = Driver({"stripe:apiBase": emu.url})
    assert driver.check(minimal())  # check and diff need no key: preview works without one
    with pytest.raises(PortalApiError, match="stripe:apiKey.*STRIPE_API_KEY"):
        driver.create(minimal())
    assert str(KEY_HELP).count("STRIPE_API_KEY") == 1


def test_environment_key_is_used_when_config_has_none(emu: Emulator, monkeypatch) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", KEY)
    monkeypatch.setenv("STRIPE_API_BASE", emu.url)
    config_id, _ = Driver({}).create(minimal())
    assert config_id.startswith("bpc_")


def test_unknowns_during_preview(driver: Driver, emu: Emulator) -> None:
    config_id, state = driver.create(full())
    news = full()
    news["features"]["subscription_update"]["products"][0]["prices"] = [Unknown()]
    news["name"] = Unknown()
    inputs = driver.check(news)
    assert isinstance(inputs["name"], Unknown)
    assert driver.provider.diff(config_id, state, inputs).changes is True


def test_pickled_provider_is_tiny_and_holds_no_key(driver: Driver) -> None:
    assert len(base64.b64decode(driver.pickled)) < 200
    configured = dill.dumps(driver.provider, recurse=True)
    assert KEY.encode() not in configured
    assert b"sk_test" not in configured
    assert KEY not in repr(driver.provider.operations.client)


# What 0.1.0 pickled (a state dict, then BUILD): states written then still load.
OLD_PICKLE = (
    "gASVRwAAAAAAAACMHXB1bHVtaV9zdHJpcGVfcG9ydGFsLnByb3ZpZGVylIwbUG9ydGFsQ29uZmlndXJhdGlvblBy"
    "b3ZpZGVylJOUKYGUfZRiLg=="
)


def test_the_pickle_is_the_bare_class_in_plain_text_however_many_resources() -> None:
    provider = PortalConfigurationProvider()
    # The SDK's pickler grows by a frame per dumped dict; ours dumps none, so the 1,500th
    # resource pickles as the first did (with a dict it raised RecursionError near 986).
    pickles = {serialize_provider(provider) for _ in range(1500)}
    assert len(pickles) == 1
    opcodes = [op.name for op, _, _ in pickletools.genops(base64.b64decode(pickles.pop()))]
    assert opcodes.count("SHORT_BINUNICODE") == 2 and "BUILD" not in opcodes  # module, class
    assert provider.serialize_as_secret_always is False  # nothing to hide: stored as is
    assert type(dill.loads(base64.b64decode(OLD_PICKLE))) is PortalConfigurationProvider


def test_connect_account_scopes_the_configuration(driver: Driver, emu: Emulator, sdk) -> None:
    config_id, state = driver.create({**minimal(), "stripe_account": "acct_123"})
    assert state["stripe_account"] == "acct_123"
    assert held(sdk, config_id, "acct_123")["id"] == config_id
    with pytest.raises(stripe.InvalidRequestError):
        held(sdk, config_id)  # not on the platform account
    driver.provider.delete(config_id, state)
    assert held(sdk, config_id, "acct_123")["active"] is False


def test_api_version_is_pinned() -> None:
    assert API_VERSION == stripe.api_version


def test_numbers_arriving_as_floats_reach_stripe_as_integers(driver: Driver, sdk) -> None:
    """The engine serializes every number as a float between check and create/update."""
    declaration = full()
    inputs = driver.check(declaration)
    options = inputs["features"]["subscription_pause"]["duration"]["interval_options"]
    for option in options:
        option["interval_count"] = float(option["interval_count"])
    created = driver.provider.create(inputs)
    stripe_obj = held(sdk, created.id)
    counts = [
        o["interval_count"]
        for o in stripe_obj["features"]["subscription_pause"]["duration"]["interval_options"]
    ]
    assert counts == [1, 2]
    assert driver.provider.diff(created.id, created.outs, inputs).changes is False


def test_rate_limits_are_ridden_out(driver: Driver, emu: Emulator, sdk) -> None:
    """A plain 429 is not retried by the SDK; the client backs off and tries again."""
    emu.set_rate_limit(3)
    ids = [driver.create(minimal())[0] for _ in range(6)]
    emu.clear_faults()
    assert len(set(ids)) == 6
    assert emu.request_count > 6  # some attempts were answered 429 and retried
    listed = sdk.v1.billing_portal.configurations.list(params={"limit": 100})
    assert len(listed.data) == 6


def test_dropped_answer_after_commit_is_not_applied_twice(driver: Driver, emu: Emulator, sdk):
    """The SDK retries with the same idempotency key: Stripe replays, nothing duplicates."""
    emu.set_drop_after_commit(count=1)
    config_id, _ = driver.create(full())
    listed = sdk.v1.billing_portal.configurations.list(params={"limit": 100})
    assert [c.id for c in listed.data] == [config_id]
