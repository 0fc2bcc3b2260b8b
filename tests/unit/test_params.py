"""The params mapping as a table: (what Stripe holds for the old declaration, new declaration)
-> exact form params."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_stripe_portal.lifecycle.params import create_params, exact_params

from support.samples import full, stripe_holding

QUANTITY_DEFAULT = {"adjustable_quantity": {"enabled": False, "minimum": 1}}
BASE: dict[str, Any] = {
    "name": "Portal",
    "default_return_url": "https://example.com/back",
    "metadata": {"team": "billing", "env": "dev"},
    "business_profile": {"headline": "Hi", "privacy_policy_url": "https://example.com/p"},
    "login_page": {"enabled": True},
    "features": {
        "customer_update": {"enabled": True, "allowed_updates": ["email", "name"]},
        "payment_method_update": {"enabled": True, "payment_method_configuration": "pmc_1"},
        "subscription_cancel": {"enabled": True, "mode": "immediately"},
        "subscription_pause": {"enabled": True, "duration": {"type": "indefinite"}},
        "subscription_update": {
            "enabled": True,
            "products": [{"product": "prod_a", "prices": ["price_1", "price_2"]}],
            "schedule_at_period_end": {"conditions": [{"type": "shortening_interval"}]},
        },
    },
    "active": True,
}


def changed(**top: Any) -> dict[str, Any]:
    out = {k: v for k, v in BASE.items() if k not in top}
    out.update({k: v for k, v in top.items() if v is not None})
    return out


def features(**blocks: Any) -> dict[str, Any]:
    out = dict(BASE["features"])
    for key, value in blocks.items():
        if value is None:
            out.pop(key)
        else:
            out[key] = value
    return out


TABLE = [
    ("nothing changed", BASE, BASE, {}),
    (
        "reordered sets",
        BASE,
        changed(
            features=features(
                customer_update={"enabled": True, "allowed_updates": ["name", "email"]},
                subscription_update={
                    "enabled": True,
                    "products": [{"product": "prod_a", "prices": ["price_2", "price_1"]}],
                    "schedule_at_period_end": {"conditions": [{"type": "shortening_interval"}]},
                },
            )
        ),
        {},
    ),
    ("name changed", BASE, changed(name="New"), {"name": "New"}),
    ("name removed", BASE, changed(name=None), {"name": ""}),
    ("url removed", BASE, changed(default_return_url=None), {"default_return_url": ""}),
    (
        "metadata key changed, added, removed",
        BASE,
        changed(metadata={"team": "growth", "tier": "gold"}),
        {"metadata": {"team": "growth", "tier": "gold", "env": ""}},
    ),
    ("metadata removed", BASE, changed(metadata=None), {"metadata": {"team": "", "env": ""}}),
    (
        "business profile field removed",
        BASE,
        changed(business_profile={"headline": "Hi"}),
        {"business_profile": {"privacy_policy_url": ""}},
    ),
    (
        "business profile removed",
        BASE,
        changed(business_profile=None),
        {"business_profile": {"headline": "", "privacy_policy_url": ""}},
    ),
    ("login page removed", BASE, changed(login_page=None), {"login_page": {"enabled": False}}),
    (
        "list emptied",
        BASE,
        changed(features=features(customer_update={"enabled": True, "allowed_updates": []})),
        {"features": {"customer_update": {"allowed_updates": ""}}},
    ),
    (
        "list removed",
        BASE,
        changed(features=features(customer_update={"enabled": True})),
        {"features": {"customer_update": {"allowed_updates": ""}}},
    ),
    (
        "feature block removed goes back to Stripe's defaults, inside too",
        BASE,
        changed(features=features(customer_update=None)),
        {"features": {"customer_update": {"enabled": False, "allowed_updates": ""}}},
    ),
    (
        "optional string in a block removed keeps the block's required key",
        BASE,
        changed(features=features(payment_method_update={"enabled": True})),
        {
            "features": {
                "payment_method_update": {"payment_method_configuration": "", "enabled": True}
            }
        },
    ),
    (
        "enum removed goes back to Stripe's default",
        BASE,
        changed(features=features(subscription_cancel={"enabled": True})),
        {"features": {"subscription_cancel": {"mode": "at_period_end"}}},
    ),
    (
        "nested object changed sends its required key",
        BASE,
        changed(
            features=features(
                subscription_pause={
                    "enabled": True,
                    "duration": {
                        "type": "interval_options",
                        "interval_options": [{"interval": "week", "interval_count": 2}],
                    },
                }
            )
        ),
        {
            "features": {
                "subscription_pause": {
                    "duration": {
                        "type": "interval_options",
                        "interval_options": [{"interval": "week", "interval_count": 2}],
                    }
                }
            }
        },
    ),
    (
        "pause duration removed goes back to one month",
        BASE,
        changed(features=features(subscription_pause={"enabled": True})),
        {
            "features": {
                "subscription_pause": {
                    "duration": {
                        "type": "interval_options",
                        "interval_options": [{"interval": "month", "interval_count": 1}],
                    }
                }
            }
        },
    ),
    (
        "a product's prices changed sends the whole product list",
        BASE,
        changed(
            features=features(
                subscription_update={
                    "enabled": True,
                    "products": [{"product": "prod_a", "prices": ["price_3"]}],
                    "schedule_at_period_end": {"conditions": [{"type": "shortening_interval"}]},
                }
            )
        ),
        {
            "features": {
                "subscription_update": {
                    # items are replaced whole: each says what Stripe holds for its quantity
                    "products": [{"product": "prod_a", "prices": ["price_3"], **QUANTITY_DEFAULT}]
                }
            }
        },
    ),
    (
        "schedule conditions removed",
        BASE,
        changed(
            features=features(
                subscription_update={
                    "enabled": True,
                    "products": [{"product": "prod_a", "prices": ["price_1", "price_2"]}],
                }
            )
        ),
        {"features": {"subscription_update": {"schedule_at_period_end": {"conditions": ""}}}},
    ),
    ("deactivated", BASE, changed(active=False), {"active": False}),
    ("reactivated", changed(active=False), BASE, {"active": True}),
    ("stripe_account is not a Stripe parameter", BASE, changed(stripe_account="acct_1"), {}),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [t[1:] for t in TABLE], ids=[t[0] for t in TABLE]
)
def test_update_params(old: dict, new: dict, expected: dict) -> None:
    assert exact_params(stripe_holding(old), new, None) == expected


def test_create_params_send_only_what_is_declared() -> None:
    params = create_params(
        {
            "features": {"invoice_history": {"enabled": True}},
            "name": "x",
            "active": False,
            "stripe_account": "acct_1",
        }
    )
    assert params == {"features": {"invoice_history": {"enabled": True}}, "name": "x"}


def test_create_params_full_tree_has_no_empty_strings() -> None:
    params = create_params(full())
    expected = {k: v for k, v in full().items() if k != "active"}
    assert params == expected

    def strings(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert "" not in strings(params)


def test_create_params_required_empty_list_is_sent_as_empty_string() -> None:
    decl = {
        "features": {
            "subscription_cancel": {
                "enabled": True,
                "cancellation_reason": {"enabled": False, "options": []},
            }
        }
    }
    assert create_params(decl)["features"]["subscription_cancel"]["cancellation_reason"] == {
        "enabled": False,
        "options": "",
    }


def test_create_params_without_feature_blocks_still_sends_features() -> None:
    """Stripe requires features; a declaration without blocks means all disabled."""
    assert create_params({"features": {}}) == {"features": {"invoice_history": {"enabled": False}}}
    assert create_params({"features": {"subscription_pause": {}}})["features"] == {
        "invoice_history": {"enabled": False}
    }
