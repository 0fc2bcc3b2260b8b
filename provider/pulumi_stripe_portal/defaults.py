"""What Stripe holds for a declaration: its defaults, filled in the way Stripe fills them.

Adoption and update compare what Stripe holds now with what it should hold, leaf by leaf,
including the leaves inside blocks a declaration leaves out (a disabled
``subscription_cancel`` still has a ``mode``). Export declares only what differs from these
defaults. Both need the same picture of Stripe's defaults, kept here.
"""

from __future__ import annotations

import copy
from typing import Any

from .names import WRITABLE_FIELDS

# The writable tree of a configuration created with nothing declared (API 2026-10-28.endive).
STRIPE_DEFAULTS: dict[str, Any] = {
    "business_profile": {
        "headline": None,
        "privacy_policy_url": None,
        "terms_of_service_url": None,
    },
    "default_return_url": None,
    "features": {
        "customer_update": {"enabled": False, "allowed_updates": []},
        "invoice_history": {"enabled": False},
        "payment_method_update": {"enabled": False, "payment_method_configuration": None},
        "subscription_cancel": {
            "enabled": False,
            "mode": "at_period_end",
            "proration_behavior": "none",
            "cancellation_reason": {"enabled": False, "options": [], "feedback_options": None},
        },
        "subscription_pause": {
            "enabled": False,
            "duration": {
                "type": "interval_options",
                "interval_options": [{"interval": "month", "interval_count": 1}],
            },
        },
        "subscription_update": {
            "enabled": False,
            "default_allowed_updates": [],
            "proration_behavior": "none",
            "billing_cycle_anchor": None,  # Stripe reads `unchanged` back as null
            "trial_update_behavior": "end_trial",
            "products": [],
            "schedule_at_period_end": {"conditions": []},
        },
    },
    "login_page": {"enabled": False},
    "metadata": {},
    "name": None,
}

# List items are replaced whole; these are the values Stripe gives an item's unset fields.
ADJUSTABLE_QUANTITY_DEFAULT = {"enabled": False, "minimum": 1, "maximum": None}
INTERVAL_COUNT_DEFAULT = 1


def defaults() -> dict[str, Any]:
    return copy.deepcopy(STRIPE_DEFAULTS)


def _merge(base: Any, value: Any) -> Any:
    """Objects merge key by key; lists, maps and scalars replace; None keeps the default."""
    if value is None:
        return copy.deepcopy(base)
    if isinstance(base, dict) and isinstance(value, dict) and base:
        out = dict(base)
        for key, item in value.items():
            out[key] = _merge(base.get(key), item) if key in base else item
        return out
    return copy.deepcopy(value)


def _normalize(tree: dict[str, Any]) -> dict[str, Any]:
    """Stripe's own rewrites: item defaults, `unchanged` as null, indefinite pauses."""
    features = tree.get("features") or {}
    update = features.get("subscription_update") or {}
    if update.get("billing_cycle_anchor") == "unchanged":
        update["billing_cycle_anchor"] = None
    products = []
    for product in update.get("products") or []:
        # an unexpanded product is a bare id (odd answer): compare it as an id alone
        product = dict(product) if isinstance(product, dict) else {"product": product}
        quantity = {**ADJUSTABLE_QUANTITY_DEFAULT, **(product.get("adjustable_quantity") or {})}
        product["adjustable_quantity"] = quantity
        products.append(product)
    if "products" in update:
        update["products"] = products
    duration = (features.get("subscription_pause") or {}).get("duration") or {}
    if duration.get("type") == "indefinite":
        duration["interval_options"] = []
    options = duration.get("interval_options") or []
    duration_options = []
    for option in options:
        option = dict(option) if isinstance(option, dict) else {}
        if option.get("interval_count") is None:
            option["interval_count"] = INTERVAL_COUNT_DEFAULT
        duration_options.append(option)
    if "interval_options" in duration:
        duration["interval_options"] = duration_options
    return tree


def expected(declaration: dict[str, Any]) -> dict[str, Any]:
    """The writable tree Stripe holds when it holds exactly ``declaration``."""
    declared = {k: v for k, v in declaration.items() if k in WRITABLE_FIELDS and v is not None}
    tree = _merge(defaults(), declared)
    tree["metadata"] = dict(declared.get("metadata") or {})
    return _normalize(tree)


def held(stripe_object: dict[str, Any]) -> dict[str, Any]:
    """The writable tree of a Stripe object, in the same shape as ``expected``."""
    tree = _merge(defaults(), {k: stripe_object.get(k) for k in WRITABLE_FIELDS})
    tree["metadata"] = dict(stripe_object.get("metadata") or {})
    tree["login_page"] = {"enabled": bool((tree.get("login_page") or {}).get("enabled"))}
    return _normalize(tree)


def _null_paths(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for key, value in tree.items():
        if value is None:
            paths.append((*prefix, key))
        elif isinstance(value, dict):
            paths.extend(_null_paths(value, (*prefix, key)))
    return paths


# Leaves Stripe answers as null when unset (login_page.url too, while the page is off).
NULL_LEAVES = (*_null_paths(STRIPE_DEFAULTS), ("login_page", "url"))


def with_nulls(stripe_object: dict[str, Any]) -> dict[str, Any]:
    """``stripe_object`` with the null leaves the engine leaves out of old outputs put back,
    so outputs rebuilt from a state read the same as outputs built from Stripe's answer."""
    out = copy.deepcopy(stripe_object)
    for path in NULL_LEAVES:
        parent = out
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.setdefault(path[-1], None)
    update = ((out.get("features") or {}).get("subscription_update")) or {}
    for product in update.get("products") or []:
        quantity = product.get("adjustable_quantity") if isinstance(product, dict) else None
        if isinstance(quantity, dict):
            for key, value in ADJUSTABLE_QUANTITY_DEFAULT.items():
                if value is None:
                    quantity.setdefault(key, None)
    return out
