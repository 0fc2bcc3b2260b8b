"""Stripe's rules across fields, checked at preview so ``pulumi up`` never meets them.

Field-level limits (enums, bounds, lengths) live on the models; what Stripe refuses only
by looking at two fields together lives here, once, as a registry of ``Rule`` objects for
``check`` to report by dotted path. Each rule carries witnesses: declarations it accepts and
refuses, differing in that rule only, so tests can prove that Stripe's stand-ins agree.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .limits import MAX_PRODUCTS

# Stripe caps a pause at three years, per interval unit (365-day years, 52-week years).
MAX_PAUSE = {"day": 1095, "week": 156, "month": 36, "year": 3}

Declaration = dict[str, Any]
Failure = tuple[str, str]

_UPDATE = "features.subscription_update"
_PRODUCTS = f"{_UPDATE}.products"
_CANCEL = "features.subscription_cancel"
_DURATION = "features.subscription_pause.duration"
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True, eq=False)
class Witness:
    """Two declarations, valid apart from one rule: the rule accepts one, refuses the other."""

    label: str
    accepted: Declaration
    refused: Declaration

    def pair(self) -> tuple[Declaration, Declaration]:
        """Fresh copies, so a caller may change them."""
        return copy.deepcopy(self.accepted), copy.deepcopy(self.refused)


@dataclass(frozen=True, eq=False)
class Rule:
    """One rule across fields: where it reports (list items as ``[]``), what it reads (a value
    not known yet under one of these paths skips the rule), its check and its witnesses."""

    name: str
    path: str
    reads: tuple[str, ...]
    check: Callable[[Declaration], Iterator[Failure]]
    witnesses: tuple[Witness, ...]

    def reports(self, path: str) -> bool:
        """Whether a failure at this dotted path (with indices) is this rule's."""
        return _INDEX.sub("[]", path) == self.path


def _get(tree: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def _update(spec: Declaration) -> dict[str, Any]:
    return _get(spec, "features", "subscription_update") or {}


def _products(spec: Declaration) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, product in enumerate(_update(spec).get("products") or []):
        yield f"{_PRODUCTS}[{index}]", product


def _options(spec: Declaration) -> list[dict[str, Any]]:
    return (_get(spec, "features", "subscription_pause", "duration") or {}).get(
        "interval_options"
    ) or []


# the checks -----------------------------------------------------------------------------------


def _payment_method_update(spec: Declaration) -> Iterator[Failure]:
    enabled = _get(spec, "features", "payment_method_update", "enabled")
    if _update(spec).get("enabled") is True and enabled is not True:
        yield (
            f"{_UPDATE}.enabled",
            "Cannot enable subscription updates while payment method update is "
            "disabled: also declare features.payment_method_update.enabled = true",
        )


def _products_needed(spec: Declaration) -> Iterator[Failure]:
    update = _update(spec)
    if update.get("enabled") is True and not update.get("products"):
        yield (
            _PRODUCTS,
            "enabled subscription updates need at least one product "
            f"(1 to {MAX_PRODUCTS} products, each with its prices)",
        )


def _unique_products(spec: Declaration) -> Iterator[Failure]:
    seen: set[Any] = set()
    for path, product in _products(spec):
        pid = product.get("product")
        if pid in seen:
            yield (f"{path}.product", f"product {pid!r} is listed twice")
        seen.add(pid)


def _prices_needed(spec: Declaration) -> Iterator[Failure]:
    for path, product in _products(spec):
        if not product.get("prices") and not product.get("lookup_keys"):
            yield (f"{path}.prices", "required: declare prices, lookup_keys or both")


def _quantity_order(spec: Declaration) -> Iterator[Failure]:
    for path, product in _products(spec):
        quantity = product.get("adjustable_quantity") or {}
        low, high = quantity.get("minimum"), quantity.get("maximum")
        if low is not None and high is not None and low > high:
            yield (
                f"{path}.adjustable_quantity.minimum",
                f"minimum ({low}) must not exceed maximum ({high})",
            )


def _cancel_prorations(spec: Declaration) -> Iterator[Failure]:
    cancel = _get(spec, "features", "subscription_cancel") or {}
    if cancel.get("proration_behavior") == "create_prorations" and cancel.get("mode") != (
        "immediately"
    ):
        yield (
            f"{_CANCEL}.proration_behavior",
            "create_prorations is only allowed with "
            "features.subscription_cancel.mode = immediately; allowed here: none",
        )


def _options_needed(spec: Declaration) -> Iterator[Failure]:
    duration = _get(spec, "features", "subscription_pause", "duration") or {}
    if duration.get("type") == "interval_options" and not _options(spec):
        yield (
            f"{_DURATION}.interval_options",
            "required when duration.type is interval_options "
            "(a list of {interval: day|week|month|year, interval_count})",
        )


def _options_only_when_listed(spec: Declaration) -> Iterator[Failure]:
    duration = _get(spec, "features", "subscription_pause", "duration") or {}
    if duration.get("type") == "indefinite" and _options(spec):
        yield (
            f"{_DURATION}.interval_options",
            "only allowed when duration.type is interval_options",
        )


def _pause_limit(spec: Declaration) -> Iterator[Failure]:
    for index, option in enumerate(_options(spec)):
        unit, count = option.get("interval"), option.get("interval_count") or 1
        if unit in MAX_PAUSE and count > MAX_PAUSE[unit]:
            yield (
                f"{_DURATION}.interval_options[{index}].interval_count",
                f"a pause may last at most three years: at most {MAX_PAUSE[unit]} "
                f"for interval {unit}",
            )


# the witnesses --------------------------------------------------------------------------------


def _features(**blocks: Any) -> Declaration:
    return {"features": blocks}


def _product(pid: str, **extra: Any) -> dict[str, Any]:
    return {"product": pid, "prices": [f"price_{pid}"], **extra}


def _updates(payment_methods: bool = True, **update: Any) -> Declaration:
    block = {"enabled": True, "products": [_product("prod_a")], **update}
    block = {key: value for key, value in block.items() if value is not None}
    return _features(payment_method_update={"enabled": payment_methods}, subscription_update=block)


def _quantity(low: int, high: int) -> dict[str, Any]:
    quantity = {"enabled": True, "minimum": low, "maximum": high}
    return _product("prod_a", adjustable_quantity=quantity)


def _catalogue(*products: dict[str, Any]) -> Declaration:
    return _features(subscription_update={"enabled": False, "products": list(products)})


def _cancel(**cancel: Any) -> Declaration:
    return _features(subscription_cancel={"enabled": True, **cancel})


def _pause(**duration: Any) -> Declaration:
    return _features(subscription_pause={"enabled": True, "duration": duration})


def _options_of(count: int = 1, unit: str = "month") -> list[dict[str, Any]]:
    return [{"interval": unit, "interval_count": count}]


RULES: tuple[Rule, ...] = (
    Rule(
        "subscription updates need payment method updates",
        f"{_UPDATE}.enabled",
        (_UPDATE, "features.payment_method_update"),
        _payment_method_update,
        (Witness("payment method update disabled", _updates(), _updates(False)),),
    ),
    Rule(
        "enabled subscription updates need products",
        _PRODUCTS,
        (_UPDATE, "features.payment_method_update"),
        _products_needed,
        (
            Witness("no products", _updates(), _updates(products=None)),
            Witness("empty products", _updates(), _updates(products=[])),
        ),
    ),
    Rule(
        "a product is listed once",
        f"{_PRODUCTS}[].product",
        (_PRODUCTS,),
        _unique_products,
        (
            Witness(
                "same product twice",
                _catalogue(_product("prod_a"), _product("prod_b")),
                _catalogue(_product("prod_a"), _product("prod_a", prices=["price_b"])),
            ),
        ),
    ),
    Rule(
        "a product needs prices",
        f"{_PRODUCTS}[].prices",
        (_PRODUCTS,),
        _prices_needed,
        (
            Witness(
                "product without prices",
                _catalogue(_product("prod_a")),
                _catalogue({"product": "prod_a"}),
            ),
        ),
    ),
    Rule(
        "adjustable quantity minimum at most its maximum",
        f"{_PRODUCTS}[].adjustable_quantity.minimum",
        (_PRODUCTS,),
        _quantity_order,
        (
            Witness(
                "minimum above maximum",
                _catalogue(_quantity(2, 2)),
                _catalogue(_quantity(3, 2)),
            ),
        ),
    ),
    Rule(
        "create_prorations on cancellation needs mode immediately",
        f"{_CANCEL}.proration_behavior",
        (f"{_CANCEL}.mode",),
        _cancel_prorations,
        (
            Witness(
                "mode at_period_end",
                _cancel(mode="immediately", proration_behavior="create_prorations"),
                _cancel(mode="at_period_end", proration_behavior="create_prorations"),
            ),
            Witness(
                "mode left to Stripe's default",
                _cancel(mode="immediately", proration_behavior="create_prorations"),
                _cancel(proration_behavior="create_prorations"),
            ),
        ),
    ),
    Rule(
        "a pause of type interval_options needs interval options",
        f"{_DURATION}.interval_options",
        (_DURATION,),
        _options_needed,
        (
            Witness(
                "no interval options",
                _pause(type="interval_options", interval_options=_options_of()),
                _pause(type="interval_options"),
            ),
            Witness(
                "empty interval options",
                _pause(type="interval_options", interval_options=_options_of()),
                _pause(type="interval_options", interval_options=[]),
            ),
        ),
    ),
    Rule(
        "an indefinite pause takes no interval options",
        f"{_DURATION}.interval_options",
        (_DURATION,),
        _options_only_when_listed,
        (
            Witness(
                "indefinite with interval options",
                _pause(type="indefinite"),
                _pause(type="indefinite", interval_options=_options_of()),
            ),
        ),
    ),
    Rule(
        "a pause lasts at most three years",
        f"{_DURATION}.interval_options[].interval_count",
        (_DURATION,),
        _pause_limit,
        tuple(
            Witness(
                f"{most} {unit}s, then {most + 1}",
                _pause(type="interval_options", interval_options=_options_of(most, unit)),
                _pause(type="interval_options", interval_options=_options_of(most + 1, unit)),
            )
            for unit, most in MAX_PAUSE.items()
        ),
    ),
)


def cross_field_failures(spec: dict[str, Any], is_unknown: Any) -> list[tuple[str, str]]:
    """Rules Stripe enforces across fields, as (dotted path, reason), in registry order.

    ``spec`` is a declaration that passed the models; ``is_unknown(path)`` tells whether a
    value under that dotted path is not known yet (preview), in which case a rule that
    reads it is skipped rather than guessed.
    """
    failures: list[Failure] = []
    for rule in RULES:
        if not any(is_unknown(path) for path in rule.reads):
            failures.extend(rule.check(spec))
    return failures
