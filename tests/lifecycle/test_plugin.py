"""The plugin face called as the engine calls it (its async API, PropertyValues in and out),
with the real stripe SDK talking HTTP to the emulator behind the operations."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import stripe
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    CreateRequest,
    DiffRequest,
    GetSchemaRequest,
    PropertyDiffKind,
    ReadRequest,
    UpdateRequest,
)

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.plugin.provider import SCHEMA, WORKERS, PortalPlugin
from pulumi_stripe_portal.plugin.wire import UNKNOWN, to_api, to_wire
from pulumi_stripe_portal.stripe_api.settings import CONFIG_KEYS, PortalApiError

KEY = "sk_test_pluginUnitKey0123456789"
URN = "urn:pulumi:dev::shop::stripe-portal:index:PortalConfiguration::portal"


def wire(value: Any) -> PropertyValue:
    """A plain JSON value as the engine sends it (numbers as floats)."""
    if isinstance(value, dict):
        return PropertyValue({k: wire(v) for k, v in value.items()})
    if isinstance(value, list):
        return PropertyValue([wire(v) for v in value])
    if isinstance(value, int) and not isinstance(value, bool):
        return PropertyValue(float(value))
    return PropertyValue(value)


def props(value: dict[str, Any]) -> dict[str, PropertyValue]:
    return {k: wire(v) for k, v in value.items()}


def plain(value: dict[str, PropertyValue]) -> dict[str, Any]:
    return json.loads(json.dumps({k: v.value for k, v in value.items()}, default=_unwrap))


def _unwrap(value: Any) -> Any:
    if isinstance(value, PropertyValue):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return dict(value)


@pytest.fixture
def plugin(emu: Emulator) -> PortalPlugin:
    made = PortalPlugin()
    asyncio.run(
        made.configure(
            ConfigureRequest(
                variables={},
                args={"apiKey": PropertyValue(KEY, is_secret=True), "apiBase": wire(emu.url)},
                accept_secrets=True,
                accept_resources=False,
            )
        )
    )
    return made


DECLARED = {
    "businessProfile": {"headline": "Hi"},
    "features": {
        "subscriptionCancel": {"enabled": True, "mode": "immediately"},
        "subscriptionPause": {
            "enabled": True,
            "duration": {
                "type": "interval_options",
                "intervalOptions": [{"interval": "week", "intervalCount": 2}],
            },
        },
    },
    "metadata": {"team_name": "billing"},
}


def test_check_create_read_and_diff_speak_camel_case_and_stripe_holds_snake_case(
    plugin: PortalPlugin, emu: Emulator
) -> None:
    checked = asyncio.run(plugin.check(CheckRequest(URN, {}, props(DECLARED), b"")))
    assert checked.failures == []
    inputs = plain(checked.inputs or {})
    assert inputs["_owner"] == "shop/dev/portal"  # project/stack/name, from the URN
    assert inputs["features"]["subscriptionPause"]["duration"]["intervalOptions"] == [
        {"interval": "week", "intervalCount": 2.0}
    ]
    assert inputs["metadata"] == {"team_name": "billing"}  # a map's keys are the user's

    made = asyncio.run(plugin.create(CreateRequest(URN, checked.inputs or {}, 60, False)))
    client = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    held = client.v1.billing_portal.configurations.retrieve(made.resource_id).to_dict(
        recursive=True
    )
    assert held["features"]["subscription_pause"]["duration"]["interval_options"] == [
        {"interval": "week", "interval_count": 2}
    ]
    assert held["metadata"] == {"team_name": "billing", "pulumi_owner": "shop/dev/portal"}
    outs = plain(made.properties)
    assert outs["features"]["subscriptionCancel"]["mode"] == "immediately"
    assert outs["isDefault"] is False and outs["livemode"] is False
    assert isinstance(outs["created"], float)

    read = asyncio.run(plugin.read(ReadRequest(URN, made.resource_id, made.properties, {})))
    assert plain(read.properties) == outs

    same = asyncio.run(
        plugin.diff(DiffRequest(URN, made.resource_id, made.properties, checked.inputs or {}, []))
    )
    assert same.changes is False and same.detailed_diff == {}
    changed = {**DECLARED, "businessProfile": {}, "name": "New"}
    news = asyncio.run(plugin.check(CheckRequest(URN, {}, props(changed), b""))).inputs or {}
    moved = asyncio.run(plugin.diff(DiffRequest(URN, made.resource_id, made.properties, news, [])))
    assert moved.changes is True
    assert sorted(moved.diffs) == ["businessProfile", "name"]
    assert {k: v.kind for k, v in moved.detailed_diff.items()} == {
        "businessProfile": PropertyDiffKind.UPDATE,
        "name": PropertyDiffKind.UPDATE,
    }
    account = {**DECLARED, "stripeAccount": "acct_other"}
    news = asyncio.run(plugin.check(CheckRequest(URN, {}, props(account), b""))).inputs or {}
    replace = asyncio.run(
        plugin.diff(DiffRequest(URN, made.resource_id, made.properties, news, []))
    )
    assert replace.replaces == ["stripeAccount"]
    assert replace.detailed_diff["stripeAccount"].kind is PropertyDiffKind.UPDATE_REPLACE


def matches(plan: Any, real: Any) -> bool:
    """The plan holds the real value at every leaf it knows (an unknown stands for any)."""
    if plan == UNKNOWN:
        return True
    if isinstance(plan, dict) and isinstance(real, dict):
        return set(plan) == set(real) and all(matches(plan[k], real[k]) for k in plan)
    if isinstance(plan, list) and isinstance(real, list):
        return len(plan) == len(real) and all(map(matches, plan, real))
    return bool(plan == real)


def test_preview_plans_exactly_what_create_and_update_record(
    plugin: PortalPlugin, emu: Emulator
) -> None:
    from support.samples import DASHBOARD, full, minimal

    def checked(declared: dict[str, Any]) -> dict[str, PropertyValue]:
        result = asyncio.run(plugin.check(CheckRequest(URN, {}, to_wire(declared), b"")))
        assert result.failures == []
        return result.inputs or {}

    inputs = checked(full())
    sent = emu.request_count
    plan = asyncio.run(plugin.create(CreateRequest(URN, inputs, 60, True)))
    assert emu.request_count == sent  # a preview asks Stripe nothing
    assert plan.resource_id == "" and plain(plan.properties)["created"] == UNKNOWN
    made = asyncio.run(plugin.create(CreateRequest(URN, inputs, 60, False)))
    assert matches(plain(plan.properties), plain(made.properties))
    state = made.properties
    for declared in (minimal(), DASHBOARD, full()):
        news = checked(declared)
        sent = emu.request_count
        update = UpdateRequest(URN, made.resource_id, state, news, 60, [], True)
        planned = asyncio.run(plugin.update(update))
        assert emu.request_count == sent
        update.preview = False
        state = asyncio.run(plugin.update(update)).properties
        assert matches(plain(planned.properties), plain(state))
        assert plain(planned.properties)["updated"] == UNKNOWN  # Stripe stamps the write


def test_check_failures_name_the_program_s_path_and_send_nothing(
    plugin: PortalPlugin, emu: Emulator
) -> None:
    bad = {
        "features": {
            "subscriptionCancel": {"enabled": True, "mode": "soon"},
            "invoiceHistory": {"enabled": "yes"},
        }
    }
    checked = asyncio.run(plugin.check(CheckRequest(URN, {}, props(bad), b"")))
    failures = {f.property: f.reason for f in checked.failures or []}
    assert "features.subscriptionCancel.mode" in failures
    assert "at_period_end, immediately" in failures["features.subscriptionCancel.mode"]
    assert "features.invoiceHistory.enabled" in failures
    assert emu.request_count == 0


def test_an_unknown_input_at_preview_is_no_failure() -> None:
    plugin = PortalPlugin()
    news = {"features": PropertyValue({"invoiceHistory": PropertyValue(Computed())})}
    checked = asyncio.run(plugin.check(CheckRequest(URN, {}, news, b"")))
    assert checked.failures == []
    assert (checked.inputs or {})["features"].value["invoiceHistory"].value == UNKNOWN


def test_a_preview_with_an_unknown_input_plans_it_unknown() -> None:
    plugin = PortalPlugin()
    news = {
        "features": PropertyValue(
            {
                "subscriptionUpdate": PropertyValue(Computed()),
                "invoiceHistory": PropertyValue({"enabled": PropertyValue(True)}),
            }
        )
    }
    planned = asyncio.run(plugin.create(CreateRequest(URN, news, 60, True)))
    outs = plain(planned.properties)
    assert outs["features"]["subscriptionUpdate"] == UNKNOWN and outs["created"] == UNKNOWN
    assert outs["features"]["invoiceHistory"] == {"enabled": True}


def test_an_unknown_resource_type_is_a_clear_error() -> None:
    plugin = PortalPlugin()
    urn = "urn:pulumi:dev::shop::stripe-portal:index:Portal::p"
    with pytest.raises(PortalApiError, match="unknown resource type 'stripe-portal:index:Portal'"):
        asyncio.run(plugin.check(CheckRequest(urn, {}, {}, b"")))


def test_the_mapping_round_trips_every_name_of_the_tree() -> None:
    from support.samples import full

    declared = full()
    assert to_api(to_wire(declared)) == declared


def test_the_schema_served_is_the_generated_file_with_every_config_key() -> None:
    served = asyncio.run(PortalPlugin().get_schema(GetSchemaRequest(0, None, None))).schema
    assert served == SCHEMA.read_text()
    schema = json.loads(served or "")
    variables = schema["config"]["variables"]
    assert sorted(variables) == sorted(key.name for key in CONFIG_KEYS)
    assert variables["apiKey"]["secret"] is True
    assert "STRIPE_API_KEY" in variables["apiKey"]["description"]


def test_the_plugin_has_its_own_pool_above_the_engine_s_parallel() -> None:
    assert WORKERS >= 32
    assert PortalPlugin()._pool._max_workers == WORKERS
