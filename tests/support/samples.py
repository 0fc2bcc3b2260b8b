"""Declarations shared by the tests: one with every field of the API tree set."""

from __future__ import annotations

import copy
from typing import Any

FULL: dict[str, Any] = {
    "name": "Everything portal",
    "default_return_url": "https://example.com/account",
    "metadata": {"team": "billing", "env": "test"},
    "login_page": {"enabled": True},
    "business_profile": {
        "headline": "Acme manages billing with Stripe",
        "privacy_policy_url": "https://example.com/privacy",
        "terms_of_service_url": "https://example.com/terms",
    },
    "features": {
        "customer_update": {"enabled": True, "allowed_updates": ["email", "address", "tax_id"]},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True, "payment_method_configuration": "pmc_123"},
        "subscription_cancel": {
            "enabled": True,
            "mode": "immediately",
            "proration_behavior": "create_prorations",
            "cancellation_reason": {
                "enabled": True,
                "options": ["too_expensive", "unused", "other"],
                "feedback_options": ["fb_1"],
            },
        },
        "subscription_pause": {
            "enabled": True,
            "duration": {
                "type": "interval_options",
                "interval_options": [
                    {"interval": "month", "interval_count": 1},
                    {"interval": "week", "interval_count": 2},
                ],
            },
        },
        "subscription_update": {
            "enabled": True,
            "default_allowed_updates": ["price", "quantity", "promotion_code"],
            "proration_behavior": "always_invoice",
            "billing_cycle_anchor": "now",
            "trial_update_behavior": "continue_trial",
            "products": [
                {
                    "product": "prod_basic",
                    "prices": ["price_basic_month", "price_basic_year"],
                    "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 20},
                },
                {"product": "prod_pro", "prices": ["price_pro_month"]},
            ],
            "schedule_at_period_end": {
                "conditions": [{"type": "decreasing_item_amount"}, {"type": "shortening_interval"}]
            },
        },
    },
    "active": True,
}

MINIMAL: dict[str, Any] = {"features": {"invoice_history": {"enabled": True}}, "active": True}


def full() -> dict[str, Any]:
    return copy.deepcopy(FULL)


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def with_plans(*products: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A declaration whose subscription updates offer these products (prices or keys)."""
    return {
        "features": {
            "payment_method_update": {"enabled": True},
            "subscription_update": {
                "enabled": True,
                "default_allowed_updates": ["price"],
                "products": list(products),
            },
        },
        "active": True,
        **extra,
    }


# A default configuration as a Dashboard user leaves it: values everywhere, a disabled block
# that is not at its defaults included.
DASHBOARD: dict[str, Any] = {
    "name": "Dashboard portal",
    "default_return_url": "https://old.example.com/back",
    "metadata": {"made_by": "dashboard"},
    "login_page": {"enabled": True},
    "business_profile": {"headline": "Old headline"},
    "features": {
        "invoice_history": {"enabled": True},
        "customer_update": {"enabled": True, "allowed_updates": ["email", "phone"]},
        "subscription_cancel": {
            "enabled": False,
            "mode": "immediately",
            "proration_behavior": "create_prorations",
        },
    },
}


def stripe_holding(declaration: dict[str, Any]) -> dict[str, Any]:
    """A Stripe object holding exactly ``declaration`` (lookup keys as their resolved ids),
    to compute an update against without a server."""
    from pulumi_stripe_portal.lifecycle.prices import to_stripe
    from pulumi_stripe_portal.schema.defaults import expected

    return {**expected(to_stripe(declaration)), "active": declaration.get("active", True)}
