"""Each validation rule, accepted and rejected, as check reports it (path + allowed values)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown
from pydantic import ValidationError

from pulumi_stripe_portal.lifecycle import validation
from pulumi_stripe_portal.lifecycle.prices import RESOLVED_KEY
from pulumi_stripe_portal.lifecycle.validation import check_declaration
from pulumi_stripe_portal.schema.models import PortalConfigurationSpec

from support.samples import full, minimal


def _set(tree: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, leaf = path.split(".")
    node = tree
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    if value is _DELETE:
        del node[leaf]
    else:
        node[leaf] = value
    return tree


_DELETE = object()


def test_full_declaration_is_valid_and_normalized() -> None:
    inputs, failures = check_declaration(full())
    assert failures == []
    assert inputs == full()


def test_minimal_declaration_gets_active_default() -> None:
    inputs, failures = check_declaration({"features": {}})
    assert failures == []
    assert inputs == {"features": {}, "active": True}


REJECTED = [
    (
        "features.subscription_cancel.mode",
        "soon",
        "features.subscription_cancel.mode",
        "must be one of: at_period_end, immediately",
    ),
    (
        "features.subscription_cancel.proration_behavior",
        "always_invoice",
        "features.subscription_cancel.proration_behavior",
        "must be one of: none, create_prorations",
    ),
    (
        "features.customer_update.allowed_updates",
        ["email", "fax"],
        "features.customer_update.allowed_updates[1]",
        "must be one of: address, email, name",
    ),
    (
        "features.subscription_update.billing_cycle_anchor",
        "later",
        "features.subscription_update.billing_cycle_anchor",
        "must be one of: now, unchanged",
    ),
    (
        "features.subscription_update.trial_update_behavior",
        "pause",
        "features.subscription_update.trial_update_behavior",
        "must be one of: continue_trial, end_trial",
    ),
    (
        "features.subscription_pause.duration.type",
        "forever",
        "features.subscription_pause.duration.type",
        "must be one of: indefinite, interval_options",
    ),
    (
        "features.subscription_pause.duration.interval_options",
        [{"interval": "decade", "interval_count": 1}],
        "features.subscription_pause.duration.interval_options[0].interval",
        "must be one of: day, week, month, year",
    ),
    (
        "features.subscription_update.schedule_at_period_end.conditions",
        [{"type": "never"}],
        "features.subscription_update.schedule_at_period_end.conditions[0].type",
        "must be one of: decreasing_item_amount, shortening_interval",
    ),
    (
        "features.invoice_history.enabled",
        "yes",
        "features.invoice_history.enabled",
        "must be a boolean",
    ),
    (
        "features.invoice_history.color",
        "red",
        "features.invoice_history.color",
        "unknown property 'color'; allowed here: enabled",
    ),
    ("features.invoice_history.enabled", _DELETE, "features.invoice_history.enabled", "required"),
    (
        "features.subscription_cancel.cancellation_reason.options",
        _DELETE,
        "features.subscription_cancel.cancellation_reason.options",
        "required",
    ),
    (
        "business_profile.privacy_policy_url",
        "example.com/privacy",
        "business_profile.privacy_policy_url",
        "must be an http(s) URL",
    ),
    ("default_return_url", "ftp://example.com", "default_return_url", "must be an http(s) URL"),
    (
        "features.subscription_update.products",
        [{"product": f"prod_{i}", "prices": [f"price_{i}"]} for i in range(11)],
        "features.subscription_update.products",
        "at most 10 products",
    ),
    (
        "features.subscription_update.products",
        [{"product": "prod_1", "prices": []}],
        "features.subscription_update.products[0].prices",
        "at least 1 item",
    ),
    (
        "features.subscription_update.products.0.adjustable_quantity",
        {"enabled": True, "minimum": 5, "maximum": 2},
        "features.subscription_update.products[0].adjustable_quantity.minimum",
        "must not exceed maximum",
    ),
    (
        "features.subscription_update.products",
        [{"product": "prod_1", "prices": ["a"]}, {"product": "prod_1", "prices": ["b"]}],
        "features.subscription_update.products[1].product",
        "listed twice",
    ),
    (
        "features.subscription_pause.duration.interval_options",
        [{"interval": "month", "interval_count": 37}],
        "features.subscription_pause.duration.interval_options[0].interval_count",
        "at most three years",
    ),
    (
        "features.subscription_pause.duration.interval_options",
        [{"interval": "day", "interval_count": 1200}],
        "features.subscription_pause.duration.interval_options[0].interval_count",
        "at most three years",
    ),
    (
        "features.subscription_pause.duration.interval_options",
        [],
        "features.subscription_pause.duration.interval_options",
        "required when duration.type",
    ),
    (
        "features.subscription_cancel.mode",
        "at_period_end",
        "features.subscription_cancel.proration_behavior",
        "only allowed with",
    ),
    (
        "features.payment_method_update.enabled",
        False,
        "features.subscription_update.enabled",
        "Cannot enable subscription updates while payment method update is disabled",
    ),
    (
        "features.subscription_update.products",
        [],
        "features.subscription_update.products",
        "need at least one product",
    ),
    ("metadata", {f"k{i}": "v" for i in range(51)}, "metadata", "at most 50 keys"),
    ("metadata", {"x" * 41: "v"}, "metadata", "1 to 40 characters"),
    ("stripe_account", "acme", "stripe_account", "Connect account id"),
    ("colour", "blue", "colour", "unknown property 'colour'; allowed here: active"),
]


@pytest.mark.parametrize(("path", "value", "failure_path", "reason"), REJECTED)
def test_rejected_with_path_and_allowed_values(
    path: str, value: Any, failure_path: str, reason: str
) -> None:
    _, failures = check_declaration(_set(full(), path, value))
    assert any(p == failure_path and reason in r for p, r in failures), failures


ACCEPTED = [
    ("features.subscription_cancel.proration_behavior", "none"),
    ("features.subscription_pause.duration", {"type": "indefinite"}),
    (
        "features.subscription_pause.duration.interval_options",
        [{"interval": "year", "interval_count": 3}, {"interval": "day", "interval_count": 30}],
    ),
    (
        "features.subscription_update.products",
        [{"product": f"prod_{i}", "prices": [f"price_{i}"]} for i in range(10)],
    ),
    (
        "features.subscription_update.products.0.adjustable_quantity",
        {"enabled": True, "minimum": 0, "maximum": 99},
    ),
    ("metadata", {f"k{i}": "v" * 500 for i in range(50)}),
    ("stripe_account", "acct_1Abc"),
    ("name", ""),  # an empty string means "not set"
]


@pytest.mark.parametrize(("path", "value"), ACCEPTED)
def test_accepted(path: str, value: Any) -> None:
    _, failures = check_declaration(_set(full(), path, value))
    assert failures == []


def test_whole_numbers_from_the_engine_arrive_as_floats_and_become_ints() -> None:
    decl = _set(
        full(),
        "features.subscription_pause.duration.interval_options",
        [{"interval": "month", "interval_count": 2.0}],
    )
    inputs, failures = check_declaration(decl)
    assert failures == []
    option = inputs["features"]["subscription_pause"]["duration"]["interval_options"][0]
    assert option["interval_count"] == 2 and isinstance(option["interval_count"], int)


def test_features_required() -> None:
    _, failures = check_declaration({"name": "x"})
    assert ("features", "required") in failures


def test_unknowns_are_never_errors_at_any_depth() -> None:
    decl = minimal()
    decl["name"] = Unknown()
    decl["features"]["subscription_update"] = {
        "enabled": True,
        "products": [{"product": Unknown(), "prices": [Unknown()]}, Unknown()],
    }
    decl["features"]["payment_method_update"] = {"enabled": Unknown()}
    decl["features"]["subscription_cancel"] = Unknown()
    inputs, failures = check_declaration(decl)
    assert failures == []
    assert isinstance(inputs["name"], Unknown)
    assert isinstance(inputs["features"]["subscription_cancel"], Unknown)


def test_unknowns_do_not_hide_errors_elsewhere() -> None:
    decl = minimal()
    decl["name"] = Unknown()
    decl["features"]["subscription_cancel"] = {"enabled": True, "mode": "whenever"}
    _, failures = check_declaration(decl)
    assert [p for p, _ in failures] == ["features.subscription_cancel.mode"]


# What lets check return an unchanged declaration as the state holds it (operations.check).
UPGRADE_STATE = Path(__file__).parents[1] / "engine" / "upgrade" / "fixture" / "state.json"


@pytest.mark.parametrize(("path", "value"), [("name", "Full"), *ACCEPTED])
def test_check_maps_what_it_returns_to_itself(path: str, value: Any) -> None:
    inputs, failures = check_declaration(_set(full(), path, value))
    assert failures == []
    again, failures = check_declaration(copy.deepcopy(inputs))
    assert failures == []
    assert again == inputs


def test_check_maps_the_inputs_an_earlier_version_recorded_to_themselves() -> None:
    state = json.loads(UPGRADE_STATE.read_text())
    recorded = [
        {k: v for k, v in r["inputs"].items() if not k.startswith("__")}
        for r in state["deployment"]["resources"]
        if r["type"].endswith("PortalConfiguration")
    ]
    # Inputs with resolved lookup keys never equal a program's (it declares the keys only),
    # so check validates and resolves those again in every run.
    plain = [inputs for inputs in recorded if RESOLVED_KEY not in inputs]
    assert len(recorded) == 3 and len(plain) == 2
    for inputs in plain:
        assert check_declaration(copy.deepcopy(inputs)) == (inputs, [])


# check validates with the schema generated from the models (schema/validator_schema.py).
def models_verdict(declaration: dict[str, Any]) -> dict[str, Any] | None:
    """What the models make of a declaration: its normalized dump, or None if refused."""
    try:
        spec = PortalConfigurationSpec.model_validate(declaration)
    except ValidationError:
        return None
    return spec.model_dump(exclude_none=True)


COUNTS = "features.subscription_update.products.0.adjustable_quantity"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("name", "Full"),
        *ACCEPTED,
        *[(path, value) for path, value, _, _ in REJECTED],
        (COUNTS, {"enabled": True, "minimum": 2.0, "maximum": "9"}),  # lax counts become ints
        (COUNTS, {"enabled": True, "minimum": True}),  # a boolean is never a count
        (COUNTS, {"enabled": True, "minimum": 1.5}),
        ("business_profile.headline", "x" * 61),
        ("features.payment_method_update.payment_method_configuration", "x" * 5001),
        ("features", _DELETE),
    ],
)
def test_the_generated_validator_is_the_models(path: str, value: Any) -> None:
    """Same verdict, same normalized tree (key order included) as the models give."""
    declaration = _set(full(), path, value)
    expected = models_verdict(declaration)
    got = validation._normalized(declaration)
    assert got == expected
    assert got is None or list(got) == list(expected or {})
