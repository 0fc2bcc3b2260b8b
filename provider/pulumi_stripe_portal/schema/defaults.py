"""What Stripe holds for a declaration: its defaults, filled in the way Stripe fills them.

Adoption and update compare what Stripe holds now with what it should hold, leaf by leaf,
including the leaves inside blocks a declaration leaves out (a disabled
``subscription_cancel`` still has a ``mode``). Export declares only what differs from these
defaults. Both need the same picture of Stripe's defaults, kept here.
"""

from __future__ import annotations

from typing import Any

from .shape import WRITABLE_FIELDS
from .tree import Node, copied, root


def unset(node: Node) -> Any:
    """What Stripe answers at ``node`` when nothing was declared there, from the models'
    markers (``Unset``, ``StripeDefault``) and else the kind's empty value."""
    if node.unset is not None:
        return copied(node.unset.value)
    if node.default is not None:
        return copied(node.default.value)
    if node.kind == "object":
        return {name: unset(child) for name, child in node.fields.items()}
    if node.kind == "list":
        return []
    if node.kind == "map":
        return {}
    return False if node.type is bool else None


# The writable part of the tree: what a create or update sends (ConfigurationParams).
_WRITABLE = Node("object", fields={name: root().fields[name] for name in WRITABLE_FIELDS})


def restored(node: Node, value: Any) -> Any:
    """``value`` with every leaf left out filled with what Stripe holds there (``unset``):
    the rule the generated Python output classes apply on read, for outputs other languages
    read straight from the state. Maps are left as they are (an absent key is no key)."""
    if node.kind == "list":
        if node.item is not None and node.item.kind == "object" and isinstance(value, list):
            return [restored(node.item, item) for item in value]
        return value
    if node.kind != "object" or not isinstance(value, dict):
        return value
    out = dict(value)
    for name, child in node.fields.items():
        current = out.get(name)
        if current is None and child.kind == "object" and child.default is None:
            current = {}  # read as an empty block, whose own leaves are filled in turn
        elif current is None and child.kind != "map":
            current = unset(child)
        if current is not None:
            out[name] = restored(child, current)
    return out


def _item(*path: str) -> Node:
    """The node of a list item's object: ``_item("features", ..., "products")``."""
    node = _WRITABLE
    for name in path:
        node = node.item if node.kind == "list" and node.item else node
        node = node.fields[name]
    assert node.item is not None
    return node.item


# List items are replaced whole; these are the values Stripe gives an item's unset fields.
ADJUSTABLE_QUANTITY_DEFAULT: dict[str, Any] = unset(
    _item("features", "subscription_update", "products").fields["adjustable_quantity"]
)
INTERVAL_COUNT_DEFAULT: int = unset(
    _item("features", "subscription_pause", "duration", "interval_options").fields["interval_count"]
)


def defaults() -> dict[str, Any]:
    return copied(STRIPE_DEFAULTS)


def _merge(base: Any, value: Any) -> Any:
    """Objects merge key by key; lists, maps and scalars replace; None keeps the default."""
    if value is None:
        return copied(base)
    if isinstance(base, dict) and isinstance(value, dict) and base:
        out = dict(base)
        for key, item in value.items():
            out[key] = _merge(base.get(key), item) if key in base else item
        return out
    return copied(value)


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


# The writable tree of a configuration created with nothing declared, as Stripe answers it.
STRIPE_DEFAULTS: dict[str, Any] = _normalize(unset(_WRITABLE))


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
    out = copied(stripe_object)
    for path in NULL_LEAVES:
        parent: Any = out
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
