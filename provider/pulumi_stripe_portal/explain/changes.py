"""What changed between two declarations, and whether customers see it.

Every declared leaf that differs is a change, by dotted path (a product of the plans by its
id, a metadata key by its name, a lookup key now naming another price by the key); the
managing stack is ``owner``. Customers see a change when the table (customer_terms.py) says
they see the setting, what Stripe holds differs (declaring Stripe's own default changes
nothing) and the feature it belongs to is on. Each change gets a sentence in the table's
words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..ownership import OWNER_KEY
from ..schema.tree import Node, equal, root
from .customer_view import (
    INTERNAL,
    PRODUCTS,
    Side,
    at,
    by_product,
    generic,
    heading_of,
    node_at,
    off_above,
    opaque_sentence,
    product_of,
    products_of,
    term_of,
)
from .plan import Opaque
from .terms import (
    OWNER,
    OWNER_PATH,
    PLANS,
    TERMS,
    Choice,
    Durations,
    Internal,
    Items,
    Part,
    Plans,
    Term,
    Toggle,
    Value,
    join,
    with_note,
)

_OFF = "not shown while this feature is off"


@dataclass(frozen=True)
class Change:
    """A changed input: its path, the declared values, and what customers see of it."""

    path: str
    before: Any
    after: Any
    customers_see: bool
    sentence: str
    heading: str


# -- what changes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    path: str
    before: Any
    after: Any


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _diff(node: Node, path: str, before: Any, after: Any, out: list[_Raw]) -> None:
    """The declared leaves that differ; a product list compares product by product."""
    if isinstance(before, Opaque) or isinstance(after, Opaque):
        if before != after or (isinstance(after, Opaque) and after.unknown):
            out.append(_Raw(path, before, after))
        return
    if node.kind == "object" and (isinstance(before, dict) or isinstance(after, dict)):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        for name, child in node.fields.items():
            _diff(child, _join(path, name), old.get(name), new.get(name), out)
        return
    if node.kind == "map":
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        for key in sorted(set(old) | set(new), key=str):
            b, a = old.get(key), new.get(key)
            if b != a and not (_empty(b) and _empty(a)):
                out.append(_Raw(f"{path}.{key}", b, a))
        return
    if node.kind == "list" and node.set_like is not None and node.set_like.key == "product":
        _diff_products(node, path, before, after, out)
        return
    if not equal(node, before, after):
        out.append(_Raw(path, before, after))


def _diff_products(node: Node, path: str, before: Any, after: Any, out: list[_Raw]) -> None:
    old, new = by_product(before), by_product(after)
    assert node.item is not None
    for product, item in new.items():
        item_path = f"{path}[{product}]"
        if product in old:
            _diff(node.item, item_path, old[product], item, out)
        else:
            out.append(_Raw(item_path, None, item))
    for product, item in old.items():
        if product not in new:
            out.append(_Raw(f"{path}[{product}]", item, None))


def _keys(value: Any) -> list[str]:
    return [k for k in value if isinstance(k, str)] if isinstance(value, list) else []


def _moves(before: Side, after: Side) -> list[_Raw]:
    """Lookup keys kept by a product whose price is not the same one any more."""
    out = []
    old = by_product(at(before.declared, PRODUCTS))
    for product, item in by_product(at(after.declared, PRODUCTS)).items():
        had = _keys((old.get(product) or {}).get("lookup_keys"))
        for key in [k for k in _keys(item.get("lookup_keys")) if k in had]:
            was, now = before.resolved.get(key), after.price_id(key)
            if isinstance(was, str) and now and was != now:
                out.append(_Raw(f"{PRODUCTS}[{product}].lookup_keys[{key}]", was, now))
    return out


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value, sort_keys=True)


def _internal(term: Internal, raw: _Raw, created: bool = False) -> str:
    """A change of a field customers never see, said for the reviewer."""
    if raw.path == OWNER_PATH:
        if raw.before is None:
            return f"It will be managed by the Pulumi stack {raw.after}."
        if raw.after is None:
            return f"It will no longer be managed by a Pulumi stack (until now: {raw.before})."
        return f"The Pulumi stack that manages it changes from {raw.before} to {raw.after}."
    if raw.path == "adopt" and raw.after is not None and created:
        target = (
            "the account's default configuration"
            if raw.after == "default"
            else f"configuration {raw.after}"
        )
        how = "--default" if raw.after == "default" else f"--id {raw.after}"
        return (
            f"It adopts {target}: stripe-portal explain {how} shows what its customers get "
            "until then."
        )
    label = term.label
    if raw.path.startswith("metadata."):
        label = f"Metadata key {_show(raw.path[len('metadata.') :])}"
    if _empty(raw.before):
        return f"{label} is set to {_show(raw.after)}."
    if _empty(raw.after):
        return f"{label} {_show(raw.before)} is removed."
    return f"{label} changes from {_show(raw.before)} to {_show(raw.after)}."


class _Changes:
    """Says each raw change of one step, before and after sides at hand."""

    def __init__(self, before: Side, after: Side, created: bool) -> None:
        self.before, self.after, self.created = before, after, created

    def change(self, raw: _Raw) -> Change:
        term = term_of(raw.path)
        heading = heading_of(raw.path) if raw.path != OWNER_PATH else INTERNAL
        if isinstance(term, Internal):
            said = _internal(term, raw, self.created)
            return Change(raw.path, raw.before, raw.after, False, said, heading)
        if isinstance(raw.after, Opaque):
            return Change(
                raw.path, raw.before, raw.after, True, opaque_sentence(raw.after), heading
            )
        product = product_of(raw.path)
        if product is not None or isinstance(term, (Plans, Part)):
            sentence, seen = self._plan(raw, term, product)
        else:
            sentence, seen = self._setting(raw, term)
        return Change(raw.path, raw.before, raw.after, seen, sentence, heading)

    def _seen(self, path: str) -> tuple[bool, str]:
        """Whether customers see a change at ``path``, else why not."""
        if off_above(self.after.tree, path):
            return False, _OFF
        if self.created:
            return True, ""
        node = node_at(path)
        old, new = at(self.before.tree, path), at(self.after.tree, path)
        if node is not None and equal(node, old, new):
            return False, "Stripe holds the same either way"
        return True, ""

    def _setting(self, raw: _Raw, term: Term, **context: str) -> tuple[str, bool]:
        new = at(self.after.tree, raw.path)
        seen, why = self._seen(raw.path)
        if not isinstance(term, (Toggle, Choice, Value, Items, Durations)):
            # A whole object replaced by something else: not a shape the models allow.
            return f"Its declaration at {raw.path} changes.", seen
        if self.created or not seen:
            said = term.say(new, **context) or "It is not set."
            return with_note(said, why), seen
        old = at(self.before.tree, raw.path)
        return term.change(old, new, **context), seen

    def _plan(self, raw: _Raw, term: Term, product: str | None) -> tuple[str, bool]:
        """A change of the plans offered: a product added or removed, its prices, a lookup
        key now naming another price, or its quantities."""
        seen, why = self._seen(raw.path)
        if product is None:  # the whole list, e.g. after a value the plan did not show
            offers = [self.after.offer(item) for item in products_of(self.after)]
            said = PLANS.offered.format(value=join(offers)) if offers else PLANS.none
            return with_note(said, "" if seen else why), seen
        base = f"{PRODUCTS}[{product}]"
        old, new = at(self.before.tree, base), at(self.after.tree, base)
        side, item = (self.after, new) if isinstance(new, dict) else (self.before, old)
        name = side.product_name(item.get("product")) if isinstance(item, dict) else product
        if raw.path == base:
            if raw.before is None:
                said = PLANS.added.format(value=self.after.offer(new))
            else:
                said = PLANS.removed.format(value=self.before.offer(old))
            return with_note(said, "" if seen else why), seen
        if "[" in raw.path[len(base) :]:  # products[p].lookup_keys[key]: the key moved
            key = raw.path.rsplit("[", 1)[1].rstrip("]")
            # The key stays and the price it names changes: seen wherever plans are shown.
            seen = not off_above(self.after.tree, f"{base}.product")
            said = PLANS.moved.format(
                product=name,
                key=key,
                value=self.after.price_said(raw.after),
                before=self.before.price_said(raw.before),
            )
            return with_note(said, "" if seen else _OFF), seen
        field_name = raw.path[len(base) + 1 :]
        if field_name in ("prices", "lookup_keys"):
            return self._prices(field_name, old, new, name, seen, why)
        term = term_of(raw.path)
        if isinstance(term, (Toggle, Choice, Value, Items, Durations)):
            return self._setting(raw, term, product=name)
        return with_note(PLANS.offered.format(value=side.offer(item)), "" if seen else why), seen

    def _prices(
        self, field_name: str, old_item: Any, new_item: Any, name: str, seen: bool, why: str
    ) -> tuple[str, bool]:
        old = self.before.prices(old_item, field_name)
        new = self.after.prices(new_item, field_name)
        added = [words for key, words in new.items() if key not in old]
        removed = [words for key, words in old.items() if key not in new]
        parts = []
        if added:
            parts.append(PLANS.more.format(product=name, value=join(added)))
        if removed:
            parts.append(PLANS.fewer.format(product=name, value=join(removed)))
        said = " ".join(parts) or f"{name} is offered at the same prices."
        return with_note(said, "" if seen else why), seen


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def owner_change(before: Any, after: Any) -> Change:
    """The managing stack, which the provider keeps in Stripe's metadata."""
    raw = _Raw(OWNER_PATH, before, after)
    return Change(OWNER_PATH, before, after, False, _internal(OWNER, raw), INTERNAL)


def changes_between(before: Side, after: Side, *, created: bool) -> list[Change]:
    """Every changed input from ``before`` to ``after``, in the table's order."""
    raws: list[_Raw] = []
    _diff(root(), "", before.declared, after.declared, raws)
    if not created:
        raws += _moves(before, after)
    sayer = _Changes(before, after, created=created)
    changes = [sayer.change(raw) for raw in raws]
    owner_old, owner_new = before.declared.get(OWNER_KEY), after.declared.get(OWNER_KEY)
    if owner_old != owner_new:
        changes.append(owner_change(owner_old, owner_new))
    return ordered(changes)


def ordered(changes: list[Change]) -> list[Change]:
    """The table's order (customers' reading order), then the path; the owner last."""
    order = {path: i for i, path in enumerate(TERMS)}

    def rank(change: Change) -> tuple[int, str]:
        if change.path == OWNER_PATH:
            return len(order) + 1, change.path
        key = generic(change.path)
        while key not in order and "." in key:
            key = key.rsplit(".", 1)[0]
        return order.get(key, len(order)), change.path

    return sorted(changes, key=rank)
