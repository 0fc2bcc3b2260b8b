"""Outputs with every leaf as Stripe holds it (the plugin's state) and the declared view
behind them (what diff compares): one is the other's exact inverse, and both agree with the
generated Python output classes, which restore the same leaves on read."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.rpc import translate_output_properties

from pulumi_stripe_portal import outputs as typed
from pulumi_stripe_portal.lifecycle.operations import PortalOperations
from pulumi_stripe_portal.lifecycle.state import (
    held_outputs,
    in_place_of_old_inputs,
    outputs,
    view_of,
)
from pulumi_stripe_portal.lifecycle.validation import check_declaration

from support.samples import DASHBOARD, full, minimal, stripe_holding, with_plans

READ_ONLY = {"id": "bpc_1", "created": 1, "livemode": False, "is_default": False}
OWNER = {"_owner": "shop/dev/portal"}
KEYED = {
    **with_plans({"product": "prod_basic", "lookup_keys": ["basic_monthly"]}),
    "_lookup_prices": {"basic_monthly": "price_basic_m"},
}
DECLARATIONS = {
    "minimal": minimal(),
    "full": full(),
    "dashboard": DASHBOARD,
    "lookup keys": KEYED,
    "products": with_plans({"product": "prod_pro", "prices": ["price_pro_m"]}),
}
TYPES = {
    "business_profile": typed.BusinessProfile,
    "features": typed.Features,
    "login_page": typed.LoginPage,
}


def declared(name: str) -> dict[str, Any]:
    raw = dict(DECLARATIONS[name])
    resolved = raw.pop("_lookup_prices", None)
    checked, failures = check_declaration(raw)
    assert failures == []
    return {**checked, **OWNER, **({"_lookup_prices": resolved} if resolved else {})}


def case(name: str, holding: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A declaration and the outputs of Stripe holding it (or holding ``holding``)."""
    mine = declared(name)
    obj = {**stripe_holding(declared(holding or name)), **READ_ONLY}
    return mine, outputs(obj, mine, None)


def read(value: Any) -> Any:
    """Every leaf a program reads through the typed output classes' getters."""
    if isinstance(value, dict) and type(value) is not dict:
        cls = type(value)
        names = [n for n in dir(cls) if isinstance(getattr(cls, n, None), property)]
        return {n: read(getattr(value, n)) for n in names}
    if isinstance(value, list):
        return [read(v) for v in value]
    return value


def without_nones(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nones(v) for v in value]
    return value


def typed_read(outs: dict[str, Any]) -> dict[str, Any]:
    return {
        key: read(translate_output_properties(outs.get(key) or {}, lambda k: k, cls))
        for key, cls in TYPES.items()
    }


@pytest.mark.parametrize("name", list(DECLARATIONS))
def test_the_view_comes_back_exactly_and_a_view_state_reads_the_same(name: str) -> None:
    mine, view = case(name)
    held = held_outputs(view)
    assert view_of(held, mine) == view
    assert view_of(view, mine) == view  # a state written before: the view itself
    assert held_outputs(held) == held


@pytest.mark.parametrize("name", list(DECLARATIONS))
def test_held_outputs_read_as_the_python_output_classes_restore_them(name: str) -> None:
    _, view = case(name)
    held = held_outputs(view)
    assert typed_read(held) == typed_read(view)
    # Nothing restored that the classes would not, nothing left out: held is what they read.
    assert without_nones(typed_read(view)) == {key: held[key] for key in TYPES}


def test_a_minimal_declaration_holds_stripes_defaults() -> None:
    _, view = case("minimal")
    held = held_outputs(view)
    assert "customer_update" not in view["features"]  # the view stays small
    features = held["features"]
    assert held["login_page"] == {"enabled": False}
    assert features["customer_update"] == {"enabled": False, "allowed_updates": []}
    assert features["subscription_cancel"]["mode"] == "at_period_end"
    assert features["subscription_cancel"]["proration_behavior"] == "none"
    assert features["subscription_pause"]["duration"] == {
        "type": "interval_options",
        "interval_options": [{"interval": "month", "interval_count": 1}],
    }
    assert features["subscription_update"]["trial_update_behavior"] == "end_trial"
    assert "headline" not in held["business_profile"]  # Stripe holds null: no value


@pytest.mark.parametrize("name", list(DECLARATIONS))
def test_without_old_inputs_what_stripe_holds_either_way_is_no_change(name: str) -> None:
    mine, view = case(name)
    held = held_outputs(view)
    found = PortalOperations().changes(view_of(held, in_place_of_old_inputs(held, mine)), mine)
    assert not found.any


def test_drift_in_an_undeclared_field_is_a_change_either_way() -> None:
    mine, view = case("minimal", holding="dashboard")
    held = held_outputs(view)
    operations = PortalOperations()
    with_old = operations.changes(view_of(held, mine), mine)
    without = operations.changes(view_of(held, in_place_of_old_inputs(held, mine)), mine)
    assert with_old.fields == without.fields
    assert {"login_page", "features", "metadata", "name"} <= set(with_old.fields)


def test_a_moved_lookup_key_and_another_owner_still_show_without_old_inputs() -> None:
    mine, view = case("lookup keys")
    held = held_outputs(view)
    moved = {**mine, "_lookup_prices": {"basic_monthly": "price_other"}}
    assert PortalOperations().changes(view_of(held, in_place_of_old_inputs(held, moved)), moved).any
    other = {**mine, "_owner": "shop/prod/portal"}
    assert PortalOperations().changes(view_of(held, in_place_of_old_inputs(held, other)), other).any
