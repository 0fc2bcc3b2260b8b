"""Stripe's rules across fields, checked at preview so ``pulumi up`` never meets them.

Field-level limits (enums, bounds, lengths) live on the models; what Stripe refuses only
by looking at two fields together lives here, once, for ``check`` to report by dotted path.
"""

from __future__ import annotations

from typing import Any

from .models import MAX_PRODUCTS

# Stripe caps a pause at three years, per interval unit (365-day years, 52-week years).
MAX_PAUSE = {"day": 1095, "week": 156, "month": 36, "year": 3}


def _get(tree: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def cross_field_failures(spec: dict[str, Any], is_unknown: Any) -> list[tuple[str, str]]:
    """Rules Stripe enforces across fields, as (dotted path, reason).

    ``spec`` is a declaration that passed the models; ``is_unknown(path)`` tells whether a
    value under that dotted path is not known yet (preview), in which case a rule that
    reads it is skipped rather than guessed.
    """
    failures: list[tuple[str, str]] = []

    def known(*paths: str) -> bool:
        return not any(is_unknown(p) for p in paths)

    features = spec.get("features") or {}
    update = features.get("subscription_update") or {}
    if update.get("enabled") is True and known(
        "features.subscription_update", "features.payment_method_update"
    ):
        if _get(features, "payment_method_update", "enabled") is not True:
            failures.append(
                (
                    "features.subscription_update.enabled",
                    "Cannot enable subscription updates while payment method update is "
                    "disabled: also declare features.payment_method_update.enabled = true",
                )
            )
        if not update.get("products"):
            failures.append(
                (
                    "features.subscription_update.products",
                    "enabled subscription updates need at least one product "
                    f"(1 to {MAX_PRODUCTS} products, each with its prices)",
                )
            )
    products = update.get("products") or []
    if known("features.subscription_update.products"):
        seen: set[str] = set()
        for index, product in enumerate(products):
            path = f"features.subscription_update.products[{index}]"
            pid = product.get("product")
            if pid in seen:
                failures.append((f"{path}.product", f"product {pid!r} is listed twice"))
            seen.add(pid)
            if not product.get("prices") and not product.get("lookup_keys"):
                failures.append((f"{path}.prices", "required: declare prices, lookup_keys or both"))
            quantity = product.get("adjustable_quantity") or {}
            low, high = quantity.get("minimum"), quantity.get("maximum")
            if low is not None and high is not None and low > high:
                failures.append(
                    (
                        f"{path}.adjustable_quantity.minimum",
                        f"minimum ({low}) must not exceed maximum ({high})",
                    )
                )

    cancel = features.get("subscription_cancel") or {}
    if cancel.get("proration_behavior") == "create_prorations" and known(
        "features.subscription_cancel.mode"
    ):
        if cancel.get("mode") != "immediately":
            failures.append(
                (
                    "features.subscription_cancel.proration_behavior",
                    "create_prorations is only allowed with "
                    "features.subscription_cancel.mode = immediately; allowed here: none",
                )
            )

    duration = _get(features, "subscription_pause", "duration") or {}
    if known("features.subscription_pause.duration"):
        options = duration.get("interval_options") or []
        if duration.get("type") == "interval_options" and not options:
            failures.append(
                (
                    "features.subscription_pause.duration.interval_options",
                    "required when duration.type is interval_options "
                    "(a list of {interval: day|week|month|year, interval_count})",
                )
            )
        if duration.get("type") == "indefinite" and options:
            failures.append(
                (
                    "features.subscription_pause.duration.interval_options",
                    "only allowed when duration.type is interval_options",
                )
            )
        for index, option in enumerate(options):
            unit, count = option.get("interval"), option.get("interval_count") or 1
            if unit in MAX_PAUSE and count > MAX_PAUSE[unit]:
                failures.append(
                    (
                        f"features.subscription_pause.duration.interval_options[{index}]"
                        ".interval_count",
                        f"a pause may last at most three years: at most {MAX_PAUSE[unit]} "
                        f"for interval {unit}",
                    )
                )
    return failures
