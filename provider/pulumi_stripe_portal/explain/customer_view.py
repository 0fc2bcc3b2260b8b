"""A declaration as customers meet it: Stripe's view of it, and the settings they get.

A declaration says what was declared; customers meet what Stripe holds, which is every
setting with Stripe's defaults (defaults.py) where nothing was declared, shown only while
its feature is on. Positions are dotted paths with products named by id
(``features.subscription_update.products[prod_pro].prices``); the table of words
(customer_terms.py) names them with ``[]``. Prices and products are named through offers.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..lifecycle.prices import RESOLVED_KEY
from ..schema.defaults import unset
from ..schema.models import PortalConfigurationSpec
from ..schema.tree import Node, root
from .offers import Offers, price_words
from .plan import Opaque
from .terms import (
    OWNER,
    OWNER_PATH,
    TERMS,
    Internal,
    Part,
    Plans,
    Section,
    Term,
    join,
)

PRODUCTS = "features.subscription_update.products"
UNKNOWN_SENTENCE = "It is known only when pulumi up runs."
SECRET_SENTENCE = "It is a secret, which the plan does not show."
INTERNAL = "Internal"  # the heading of fields customers never see
_SUBSCRIPT = re.compile(r"\[[^\]]*\]")
_SEGMENT = re.compile(r"([^.\[]+)(?:\[([^\]]*)\])?")


@dataclass(frozen=True)
class Setting:
    """A setting customers will have: its path, its value as Stripe holds it, a sentence."""

    path: str
    value: Any
    sentence: str
    heading: str


# -- paths ---------------------------------------------------------------------------------


def generic(path: str) -> str:
    """``products[prod_pro].prices`` → ``products[].prices``, the table's spelling."""
    return _SUBSCRIPT.sub("[]", path)


def term_of(path: str) -> Term:
    """The table's entry for a path (a metadata key is ``metadata``'s)."""
    if path == OWNER_PATH:
        return OWNER
    key = generic(path)
    while key not in TERMS and "." in key:
        key = key.rsplit(".", 1)[0]
    return TERMS[key]


def heading_of(path: str) -> str:
    """The heading of the first section above (or at) the path that has one."""
    parts = generic(path).split(".")
    for i in range(1, len(parts) + 1):
        term = TERMS.get(".".join(parts[:i]))
        heading = getattr(term, "heading", None)
        if heading:
            return str(heading)
    return INTERNAL


def _segments(path: str) -> Iterator[tuple[str, str | None]]:
    for match in _SEGMENT.finditer(path):
        yield match.group(1), match.group(2)


def at(tree: Any, path: str) -> Any:
    """The value at a path; ``products[prod_pro]`` picks the product's item."""
    value = tree
    for name, key in _segments(path):
        value = value.get(name) if isinstance(value, dict) else None
        if key is not None:
            items = value if isinstance(value, list) else []
            value = next(
                (item for i, item in enumerate(items) if product_key(item, i) == key), None
            )
    return value


# -- Stripe's view of a declaration ---------------------------------------------------------


def _effective(node: Node, declared: Any) -> Any:
    if isinstance(declared, Opaque):
        return declared
    if declared is None:
        return unset(node)  # Stripe's default, or the kind's empty value
    if node.kind == "object" and isinstance(declared, dict):
        return {name: _effective(child, declared.get(name)) for name, child in node.fields.items()}
    if node.kind == "list" and node.item is not None and node.item.kind == "object":
        if isinstance(declared, list):
            return [_effective(node.item, item) for item in declared]
    return declared


def effective(declaration: dict[str, Any]) -> dict[str, Any]:
    """The settings Stripe holds for ``declaration``: every field, defaults filled in."""
    out = {}
    for name, child in root().fields.items():
        value = declaration.get(name)
        info = PortalConfigurationSpec.model_fields[name]
        if value is None and not info.is_required() and info.default is not None:
            value = info.default  # `active`: true unless declared
        out[name] = _effective(child, value)
    return out


def off_above(tree: Any, path: str) -> bool:
    """Whether a feature above the path (not the path's own switch) is off in ``tree``."""
    container, _, leaf = path.rpartition(".")
    parts = container.split(".") if container else []
    upto = len(parts) - 1 if leaf == "enabled" else len(parts)
    for i in range(1, upto + 1):
        switch = at(tree, ".".join(parts[:i]) + ".enabled")
        if switch is False:
            return True
    return False


def node_at(path: str) -> Node | None:
    """The models' node at a path (a product's fields under ``products[...]``)."""
    node: Node | None = root()
    for name, key in _segments(path):
        if node is None or node.kind != "object":
            return None
        node = node.fields.get(name)
        if key is not None and node is not None and node.kind == "list":
            node = node.item
    return node


# -- one side of a step ---------------------------------------------------------------------


@dataclass
class Side:
    """A declaration with what is needed to say it: its Stripe view, account, prices."""

    declared: dict[str, Any]
    account: str | None
    offers: Offers
    tree: dict[str, Any] = field(init=False)
    resolved: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.tree = effective(self.declared)
        resolved = self.declared.get(RESOLVED_KEY)
        self.resolved = dict(resolved) if isinstance(resolved, dict) else {}

    def price_id(self, key: str) -> str | None:
        """The price a lookup key names: as the plan resolved it, else as Stripe says now."""
        found = self.resolved.get(key)
        if isinstance(found, str) and not isinstance(found, Opaque):
            return found
        price = self.offers.by_key(self.account, key)
        return str(price["id"]) if price else None

    def product_name(self, product_id: Any) -> str:
        """The product's name in Stripe's catalogue, else its id as declared."""
        if isinstance(product_id, Opaque):
            return "a product not known until pulumi up runs"
        return self.offers.product_name(self.account, str(product_id)) or str(product_id)

    def price_said(self, price_id: Any) -> str:
        """``$42.42 a month`` for a price id, else the id as declared."""
        if isinstance(price_id, Opaque):
            return "a price not known until pulumi up runs"
        price = self.offers.price(self.account, str(price_id))
        return price_words(price) if price else str(price_id)

    def key_said(self, key: str) -> str:
        """``$42.42 a month`` for a lookup key, else ``lookup key pro_monthly``."""
        price_id = self.price_id(key)
        price = self.offers.price(self.account, price_id) if price_id else None
        price = price or self.offers.by_key(self.account, key)
        return price_words(price) if price else f"lookup key {key}"

    def prices(self, item: Any, field_name: str) -> dict[str, str]:
        """identity → words, for a product's ``prices`` or ``lookup_keys``."""
        values = item.get(field_name) if isinstance(item, dict) else None
        if not isinstance(values, list):
            return {}
        said = self.price_said if field_name == "prices" else self.key_said
        return {str(v): said(v) if isinstance(v, str) else str(v) for v in values}

    def offer(self, item: Any) -> str:
        """``Pro: $42.42 a month or $420.00 a year (quantity 1 to 10)``."""
        if not isinstance(item, dict):
            return "a plan not known until pulumi up runs"
        name = self.product_name(item.get("product"))
        words = [*self.prices(item, "prices").values(), *self.prices(item, "lookup_keys").values()]
        text = f"{name}: {join(words, 'or')}" if words else name
        quantity = item.get("adjustable_quantity")
        if isinstance(quantity, dict) and quantity.get("enabled") is True:
            low, high = quantity.get("minimum"), quantity.get("maximum")
            low = 1 if low is None else low
            text += f" (quantity {low} to {high})" if high else f" (quantity {low} or more)"
        return text


def products_of(side: Side) -> list[Any]:
    """The plans offered, as Stripe will hold them."""
    value = at(side.tree, PRODUCTS)
    return value if isinstance(value, list) else []


def opaque_sentence(value: Opaque) -> str:
    """What is said of a value the plan does not show."""
    return UNKNOWN_SENTENCE if value.unknown else SECRET_SENTENCE


def product_of(path: str) -> str | None:
    """The product a path is inside of (``products[prod_pro]...`` → ``prod_pro``)."""
    match = re.match(re.escape(PRODUCTS) + r"\[([^\]]*)\]", path)
    return match.group(1) if match else None


def product_key(item: Any, index: int) -> str:
    """How a path names a product: its id, or ``#index`` while the id is not known."""
    product = item.get("product") if isinstance(item, dict) else None
    if product is None or isinstance(product, Opaque):
        return f"#{index}"
    return str(product)


def by_product(items: Any) -> dict[str, Any]:
    """A product list by how paths name its items; items that are not objects are left out."""
    found: dict[str, Any] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            found.setdefault(product_key(item, index), item)
    return found


# -- what customers get ---------------------------------------------------------------------


def settings(side: Side) -> list[Setting]:
    """Every setting customers see, in the table's order; a feature that is off is one line."""
    out = []
    for path, term in TERMS.items():
        if isinstance(term, (Section, Part, Internal)) or "[]" in path:
            continue
        if off_above(side.tree, path):
            continue
        value = at(side.tree, path)
        heading = heading_of(path)
        if isinstance(term, Plans):
            out += _plan_settings(side, term, value, heading)
            continue
        sentence = opaque_sentence(value) if isinstance(value, Opaque) else term.say(value)
        if sentence is not None:
            out.append(Setting(path, value, sentence, heading))
    return out


def _plan_settings(side: Side, term: Plans, value: Any, heading: str) -> list[Setting]:
    if isinstance(value, Opaque):
        return [Setting(PRODUCTS, value, opaque_sentence(value), heading)]
    items = value if isinstance(value, list) else []
    if not items:
        return [Setting(PRODUCTS, [], term.none, heading)]
    out = []
    for index, item in enumerate(items):
        path = f"{PRODUCTS}[{product_key(item, index)}]"
        out.append(Setting(path, item, term.offered.format(value=side.offer(item)), heading))
    return out
