"""Validation: the SDK-derived schema (names, types, enums, required) and the explicit rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import stripe
from emu_support import BASE, FULL_FEATURES, Raw, error_of

from pulumi_stripe_portal.emulator import Backend, Ctx, StripeError


def _create_error(raw: Raw, pairs: list[tuple[str, str]], path: str = BASE) -> dict[str, Any]:
    ans = raw("POST", path, pairs)
    assert ans.status == 400, ans.body
    assert ans.error["type"] == "invalid_request_error"
    return ans.error


def _features(**changes: Any) -> dict[str, Any]:
    feats = copy.deepcopy(FULL_FEATURES)
    for name, value in changes.items():
        feats[name] = value
    return feats


def test_features_required_on_create(configs: Any) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"name": "x"})
    err = error_of(exc)
    assert (err["param"], err["code"]) == ("features", "parameter_missing")
    assert err["message"] == "Missing required param: features."


def test_active_is_an_unknown_parameter_on_create(raw: Raw) -> None:
    err = _create_error(raw, [("active", "true"), ("features[invoice_history][enabled]", "true")])
    assert err["param"] == "active" and err["code"] == "parameter_unknown"
    assert err["message"] == "Received unknown parameter: active"


def test_unknown_nested_parameter(raw: Raw) -> None:
    err = _create_error(raw, [("features[foo]", "1")])
    assert err["param"] == "features[foo]"
    assert err["message"] == "Received unknown parameter: features[foo]"


@pytest.mark.parametrize(
    ("pairs", "param", "message"),
    [
        (
            [("features[invoice_history][enabled]", "maybe")],
            "features[invoice_history][enabled]",
            "Invalid boolean: maybe",
        ),
        (
            [
                ("features[invoice_history][enabled]", "true"),
                ("features[subscription_pause][duration][type]", "interval_options"),
                ("features[subscription_pause][duration][interval_options][0][interval]", "day"),
                (
                    "features[subscription_pause][duration][interval_options][0][interval_count]",
                    "x",
                ),
            ],
            "features[subscription_pause][duration][interval_options][0][interval_count]",
            "Invalid integer: x",
        ),
        (
            [
                ("features[customer_update][enabled]", "true"),
                ("features[customer_update][allowed_updates]", "email"),
            ],
            "features[customer_update][allowed_updates]",
            "Invalid array",
        ),
        ([("features", "abc")], "features", "Invalid hash"),
    ],
)
def test_wrong_types(raw: Raw, pairs: list[tuple[str, str]], param: str, message: str) -> None:
    err = _create_error(raw, pairs)
    assert (err["param"], err["message"]) == (param, message)


def test_enum_values_are_enforced_and_named(raw: Raw) -> None:
    err = _create_error(
        raw,
        [
            ("features[subscription_cancel][enabled]", "true"),
            ("features[subscription_cancel][mode]", "sometimes"),
        ],
    )
    assert err["param"] == "features[subscription_cancel][mode]"
    assert err["message"] == (
        "Invalid features[subscription_cancel][mode]: must be one of at_period_end or immediately"
    )
    err = _create_error(
        raw,
        [
            ("features[customer_update][enabled]", "true"),
            ("features[customer_update][allowed_updates][0]", "email"),
            ("features[customer_update][allowed_updates][1]", "shoe_size"),
        ],
    )
    assert err["param"] == "features[customer_update][allowed_updates][1]"
    assert "address, email, name, phone, shipping, or tax_id" in err["message"]


def test_missing_required_nested_param(raw: Raw) -> None:
    err = _create_error(raw, [("features[customer_update][allowed_updates][0]", "email")])
    assert err["param"] == "features[customer_update][enabled]"
    assert err["code"] == "parameter_missing"
    assert err["message"] == "Missing required param: features[customer_update][enabled]."


@pytest.mark.parametrize(
    "field",
    [
        "default_return_url",
        "business_profile[privacy_policy_url]",
        "business_profile[terms_of_service_url]",
    ],
)
def test_create_rejects_empty_url_fields(raw: Raw, field: str) -> None:
    err = _create_error(raw, [("features[invoice_history][enabled]", "true"), (field, "")])
    assert (err["param"], err["code"]) == (field, "parameter_invalid_empty")


def test_urls_must_be_valid(configs: Any) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": FULL_FEATURES, "default_return_url": "not a url"})
    assert (error_of(exc)["param"], error_of(exc)["code"]) == ("default_return_url", "url_invalid")


def test_at_most_ten_products(configs: Any) -> None:
    products = [{"product": f"prod_{i}", "prices": [f"price_{i}"]} for i in range(11)]
    feats = _features(subscription_update={"enabled": True, "products": products})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    assert error_of(exc)["param"] == "features[subscription_update][products]"
    products.pop()
    configs.create(
        params={"features": _features(subscription_update={"enabled": True, "products": products})}
    )


def test_subscription_update_needs_payment_method_update(configs: Any) -> None:
    feats = _features(payment_method_update={"enabled": False})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    err = error_of(exc)
    assert (
        err["message"]
        == "Cannot enable subscription updates while payment method update is disabled."
    )
    assert err["param"] == "features[subscription_update][enabled]"


def test_subscription_update_rule_checks_the_merged_result(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(cfg.id, params={"features": {"payment_method_update": {"enabled": False}}})
    assert "payment method update is disabled" in error_of(exc)["message"]
    assert configs.retrieve(cfg.id).features.payment_method_update.enabled is True


def test_subscription_update_needs_products(configs: Any) -> None:
    feats = _features(subscription_update={"enabled": True})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    assert error_of(exc)["param"] == "features[subscription_update][products]"


def test_cancel_proration_rules(configs: Any) -> None:
    param = "features[subscription_cancel][proration_behavior]"
    for cancel in (
        {"enabled": True, "proration_behavior": "always_invoice", "mode": "immediately"},
        {"enabled": True, "proration_behavior": "create_prorations"},
    ):
        with pytest.raises(stripe.InvalidRequestError) as exc:
            configs.create(params={"features": _features(subscription_cancel=cancel)})
        assert error_of(exc)["param"] == param
    ok = {"enabled": True, "proration_behavior": "create_prorations", "mode": "immediately"}
    cfg = configs.create(params={"features": _features(subscription_cancel=ok)})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(
            cfg.id, params={"features": {"subscription_cancel": {"mode": "at_period_end"}}}
        )
    assert error_of(exc)["param"] == param


def test_pause_at_most_three_years(configs: Any) -> None:
    def pause(count: int) -> dict[str, Any]:
        opts = [{"interval": "month", "interval_count": count}]
        return {"enabled": True, "duration": {"type": "interval_options", "interval_options": opts}}

    configs.create(params={"features": _features(subscription_pause=pause(36))})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": _features(subscription_pause=pause(37))})
    assert error_of(exc)["param"] == (
        "features[subscription_pause][duration][interval_options][0][interval_count]"
    )


def test_interval_options_required_for_interval_options_type(configs: Any) -> None:
    feats = _features(
        subscription_pause={"enabled": True, "duration": {"type": "interval_options"}}
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    err = error_of(exc)
    assert err["param"] == "features[subscription_pause][duration][interval_options]"
    feats = _features(subscription_pause={"enabled": True, "duration": {"type": "indefinite"}})
    cfg = configs.create(params={"features": feats})
    assert cfg.features.subscription_pause.duration.to_dict() == {
        "type": "indefinite",
        "interval_options": [],
    }


def test_quantity_minimum_not_above_maximum(configs: Any) -> None:
    aq = {"enabled": True, "minimum": 5, "maximum": 2}
    products = [{"product": "prod_1", "prices": ["price_1"], "adjustable_quantity": aq}]
    feats = _features(subscription_update={"enabled": True, "products": products})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    assert error_of(exc)["param"].startswith(
        "features[subscription_update][products][0][adjustable_quantity]"
    )


def test_each_product_needs_a_price() -> None:
    """The SDK cannot send an empty list, so this rule is checked on the backend directly."""
    feats = _features(
        subscription_update={"enabled": True, "products": [{"product": "p", "prices": []}]}
    )
    with pytest.raises(StripeError) as exc:
        Backend().create(Ctx(), {"features": feats})
    assert exc.value.param == "features[subscription_update][products][0][prices]"
    with pytest.raises(StripeError) as exc:
        Backend().create(
            Ctx(),
            {
                "features": _features(
                    subscription_update={"enabled": True, "products": [{"product": "p"}]}
                )
            },
        )
    assert exc.value.code == "parameter_missing"


@pytest.mark.parametrize(
    ("params", "param", "most"),
    [
        ({"name": "n" * 257}, "name", 256),
        ({"business_profile": {"headline": "h" * 61}}, "business_profile[headline]", 60),
        (
            {"default_return_url": "https://example.com/" + "u" * 4981},
            "default_return_url",
            5000,
        ),
        (
            {
                "features": {
                    "payment_method_update": {
                        "enabled": True,
                        "payment_method_configuration": "p" * 5001,
                    }
                }
            },
            "features[payment_method_update][payment_method_configuration]",
            5000,
        ),
    ],
)
def test_string_lengths(configs: Any, params: dict[str, Any], param: str, most: int) -> None:
    """Stripe caps every string at 5000 characters, and a few tighter, on create and update."""
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": FULL_FEATURES, **params})
    err = error_of(exc)
    assert err["param"] == param
    assert err["message"].endswith(f"; must be at most {most} characters")
    cfg = configs.create(params={"features": FULL_FEATURES})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(cfg.id, params=params)
    assert error_of(exc)["param"] == param


def test_string_at_its_limit_is_accepted(configs: Any) -> None:
    cfg = configs.create(
        params={
            "features": FULL_FEATURES,
            "name": "n" * 256,
            "business_profile": {"headline": "h" * 60},
        }
    )
    assert len(cfg.name) == 256 and len(cfg.business_profile.headline) == 60


def test_a_product_is_listed_once(configs: Any) -> None:
    products = [
        {"product": "prod_1", "prices": ["price_1"]},
        {"product": "prod_1", "prices": ["price_2"]},
    ]
    feats = _features(subscription_update={"enabled": True, "products": products})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    assert error_of(exc)["param"] == "features[subscription_update][products][1][product]"


def test_indefinite_pause_takes_no_interval_options(configs: Any) -> None:
    options = [{"interval": "month", "interval_count": 1}]
    duration = {"type": "indefinite", "interval_options": options}
    feats = _features(subscription_pause={"enabled": True, "duration": duration})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": feats})
    assert error_of(exc)["param"] == "features[subscription_pause][duration][interval_options]"
    # an update to indefinite still empties the options Stripe held
    cfg = configs.create(params={"features": _features(subscription_pause={"enabled": True})})
    pause = {"duration": {"type": "indefinite"}}
    cfg = configs.update(cfg.id, params={"features": {"subscription_pause": pause}})
    assert cfg.features.subscription_pause.duration.interval_options == []
