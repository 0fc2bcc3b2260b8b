"""What a plan changes for customers: each portal step said in customer_terms.py's words.

For each portal configuration in a plan (plan.py) it builds two lists: what customers get
after the step (every setting they see, as Stripe will hold it: undeclared fields at
Stripe's defaults, from defaults.py) and every changed input, with its dotted path, whether
customers see the change and a sentence saying it. A change customers see is one whose
setting they are shown (the table says which) and whose value as Stripe holds it differs,
inside a feature that is on. The same settings list describes a live configuration
(``--id``, ``--default``). Prices and products are named through offers.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .customer_terms import (
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
    Section,
    Term,
    Toggle,
    Value,
    join,
    with_note,
)
from .defaults import held, unset
from .models import PortalConfigurationSpec
from .offers import Offers, price_words
from .ownership import OWNER_KEY, owner_of, without_marker
from .plan import Opaque, Plan, Step
from .prices import RESOLVED_KEY
from .tree import Node, equal, root

PRODUCTS = "features.subscription_update.products"
_SUBSCRIPT = re.compile(r"\[[^\]]*\]")
_SEGMENT = re.compile(r"([^.\[]+)(?:\[([^\]]*)\])?")
_RANK = {"create": 0, "replace": 1, "update": 2, "delete": 3, "same": 4, "live": 5}
UNKNOWN_SENTENCE = "It is known only when pulumi up runs."
SECRET_SENTENCE = "It is a secret, which the plan does not show."
_OFF = "not shown while this feature is off"
INTERNAL = "Internal"  # the heading of fields customers never see


@dataclass(frozen=True)
class Setting:
    """A setting customers will have: its path, its value as Stripe holds it, a sentence."""

    path: str
    value: Any
    sentence: str
    heading: str


@dataclass(frozen=True)
class Change:
    """A changed input: its path, the declared values, and what customers see of it."""

    path: str
    before: Any
    after: Any
    customers_see: bool
    sentence: str
    heading: str


@dataclass(frozen=True)
class Portal:
    """One configuration explained; ``fate`` says what happens to the configuration itself
    and ``keeps`` what customers keep when a delete leaves it active."""

    name: str
    urn: str | None
    op: str
    customers_get: list[Setting]
    changes: list[Change]
    fate: str
    keeps: list[Setting] = field(default_factory=list)

    @property
    def customer_changes(self) -> list[Change]:
        return [c for c in self.changes if c.customers_see]

    @property
    def internal_changes(self) -> list[Change]:
        """Changes of fields customers never see (the name, metadata, ownership...)."""
        return [c for c in self.changes if not c.customers_see and c.heading == INTERNAL]

    @property
    def unnoticed_changes(self) -> list[Change]:
        """Changes of settings customers see that leave what they see as it was."""
        return [c for c in self.changes if not c.customers_see and c.heading != INTERNAL]


@dataclass(frozen=True)
class Explanation:
    portals: list[Portal]
    title: str | None  # project/stack of the plan
    live: bool = False
    notes: list[str] = field(default_factory=list)


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


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


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


def _off_above(tree: Any, path: str) -> bool:
    """Whether a feature above the path (not the path's own switch) is off in ``tree``."""
    container, _, leaf = path.rpartition(".")
    parts = container.split(".") if container else []
    upto = len(parts) - 1 if leaf == "enabled" else len(parts)
    for i in range(1, upto + 1):
        switch = at(tree, ".".join(parts[:i]) + ".enabled")
        if switch is False:
            return True
    return False


def _node_at(path: str) -> Node | None:
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
class _Side:
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
        if isinstance(product_id, Opaque):
            return "a product not known until pulumi up runs"
        return self.offers.product_name(self.account, str(product_id)) or str(product_id)

    def price_said(self, price_id: Any) -> str:
        if isinstance(price_id, Opaque):
            return "a price not known until pulumi up runs"
        price = self.offers.price(self.account, str(price_id))
        return price_words(price) if price else str(price_id)

    def key_said(self, key: str) -> str:
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
        return {str(v): said(v) for v in values}

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


def _products(side: _Side) -> list[Any]:
    value = at(side.tree, PRODUCTS)
    return value if isinstance(value, list) else []


def _opaque(value: Opaque) -> str:
    return UNKNOWN_SENTENCE if value.unknown else SECRET_SENTENCE


def _product_of(path: str) -> str | None:
    match = re.match(re.escape(PRODUCTS) + r"\[([^\]]*)\]", path)
    return match.group(1) if match else None


# -- what customers get ---------------------------------------------------------------------


def settings(side: _Side) -> list[Setting]:
    """Every setting customers see, in the table's order; a feature that is off is one line."""
    out = []
    for path, term in TERMS.items():
        if isinstance(term, (Section, Part, Internal)) or "[]" in path:
            continue
        if _off_above(side.tree, path):
            continue
        value = at(side.tree, path)
        heading = heading_of(path)
        if isinstance(term, Plans):
            out += _plan_settings(side, term, value, heading)
            continue
        sentence = _opaque(value) if isinstance(value, Opaque) else term.say(value)
        if sentence is not None:
            out.append(Setting(path, value, sentence, heading))
    return out


def _plan_settings(side: _Side, term: Plans, value: Any, heading: str) -> list[Setting]:
    if isinstance(value, Opaque):
        return [Setting(PRODUCTS, value, _opaque(value), heading)]
    items = value if isinstance(value, list) else []
    if not items:
        return [Setting(PRODUCTS, [], term.none, heading)]
    out = []
    for index, item in enumerate(items):
        path = f"{PRODUCTS}[{product_key(item, index)}]"
        out.append(Setting(path, item, term.offered.format(value=side.offer(item)), heading))
    return out


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


def product_key(item: Any, index: int) -> str:
    """How a path names a product: its id, or ``#index`` while the id is not known."""
    product = item.get("product") if isinstance(item, dict) else None
    if product is None or isinstance(product, Opaque):
        return f"#{index}"
    return str(product)


def _by_product(items: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            found.setdefault(product_key(item, index), item)
    return found


def _diff_products(node: Node, path: str, before: Any, after: Any, out: list[_Raw]) -> None:
    old, new = _by_product(before), _by_product(after)
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


def _moves(before: _Side, after: _Side) -> list[_Raw]:
    """Lookup keys kept by a product whose price is not the same one any more."""
    out = []
    old = _by_product(at(before.declared, PRODUCTS))
    for product, item in _by_product(at(after.declared, PRODUCTS)).items():
        kept = [
            k
            for k in item.get("lookup_keys") or []
            if k in (old.get(product) or {}).get("lookup_keys", [])
        ]
        for key in kept:
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

    def __init__(self, before: _Side, after: _Side, created: bool) -> None:
        self.before, self.after, self.created = before, after, created

    def change(self, raw: _Raw) -> Change:
        term = term_of(raw.path)
        heading = heading_of(raw.path) if raw.path != OWNER_PATH else INTERNAL
        if isinstance(term, Internal):
            said = _internal(term, raw, self.created)
            return Change(raw.path, raw.before, raw.after, False, said, heading)
        if isinstance(raw.after, Opaque):
            return Change(raw.path, raw.before, raw.after, True, _opaque(raw.after), heading)
        product = _product_of(raw.path)
        if product is not None or isinstance(term, (Plans, Part)):
            sentence, seen = self._plan(raw, term, product)
        else:
            sentence, seen = self._setting(raw, term)
        return Change(raw.path, raw.before, raw.after, seen, sentence, heading)

    def _seen(self, path: str) -> tuple[bool, str]:
        """Whether customers see a change at ``path``, else why not."""
        if _off_above(self.after.tree, path):
            return False, _OFF
        if self.created:
            return True, ""
        node = _node_at(path)
        old, new = at(self.before.tree, path), at(self.after.tree, path)
        if node is not None and equal(node, old, new):
            return False, "Stripe holds the same either way"
        return True, ""

    def _setting(self, raw: _Raw, term: Term, **context: str) -> tuple[str, bool]:
        assert isinstance(term, (Toggle, Choice, Value, Items, Durations))
        new = at(self.after.tree, raw.path)
        seen, why = self._seen(raw.path)
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
            offers = [self.after.offer(item) for item in _products(self.after)]
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
            seen = not _off_above(self.after.tree, f"{base}.product")
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


# -- a step ---------------------------------------------------------------------------------


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _what(config_id: str | None) -> str:
    return f"configuration {config_id}" if config_id else "the configuration"


def _fate(step: Step) -> str:
    """What happens to the configuration itself."""
    what = _what(step.config_id)
    after = step.after or {}
    if step.op == "create":
        adopt = after.get("adopt")
        if adopt == "default":
            return "It takes over the account's default configuration instead of creating one."
        if isinstance(adopt, str) and adopt:
            return f"It takes over configuration {adopt} instead of creating one."
        return "A new configuration will be created."
    if step.op == "update":
        return f"{_upper(what)} will be updated in place."
    if step.op == "same":
        return f"{_upper(what)} does not change."
    if step.op == "delete":
        if step.retained:
            return (
                f"{_upper(what)} leaves the stack and stays in Stripe as it is (retain_on_delete)."
            )
        if step.is_default:
            return (
                f"{_upper(what)} is the account's default, which Stripe does not allow to "
                "be deactivated: it is left active, customers keep its settings, and it leaves "
                "the stack."
            )
        return (
            f"{_upper(what)} will be deactivated: portal sessions can no longer use it. "
            "Stripe keeps it, inactive."
        )
    before, after = step.before or {}, step.after or {}
    why = (
        " (it moves to another Connect account)"
        if before.get("stripe_account") != after.get("stripe_account")
        else ""
    )
    return f"A new configuration replaces {what}{why}. {_old_fate(step)}"


def _old_fate(step: Step) -> str:
    """What a replace does to the configuration it replaces."""
    if step.is_default:
        return (
            "The old one is the account's default: Stripe does not allow it to be deactivated, "
            "so it is left active and customers who get the default keep its old settings."
        )
    return "The old one will be deactivated: portal sessions can no longer use it."


def _step(step: Step, offers: Offers, account: str | None) -> Portal:
    before_account = step.account or account
    after_decl = step.after or {}
    after_account = after_decl.get("stripe_account") or account
    if not isinstance(after_account, str) or isinstance(after_account, Opaque):
        after_account = account
    before = _Side(step.before or {}, before_account, offers)
    after = _Side(after_decl, after_account, offers)
    if step.op == "delete":
        return _deleted(step, before)
    raws: list[_Raw] = []
    _diff(root(), "", before.declared, after.declared, raws)
    if step.op != "create":
        raws += _moves(before, after)
    owner_old, owner_new = before.declared.get(OWNER_KEY), after.declared.get(OWNER_KEY)
    if owner_old != owner_new:
        raws.append(_Raw(OWNER_PATH, owner_old, owner_new))
    sayer = _Changes(before, after, created=step.op == "create")
    changes = _ordered([sayer.change(raw) for raw in raws])
    if step.op == "replace":
        changes.append(
            Change(
                "active",
                True,
                step.is_default,
                not step.is_default,
                _old_fate(step),
                heading_of("active"),
            )
        )
    return Portal(step.name, step.urn, step.op, settings(after), changes, _fate(step))


def _deleted(step: Step, before: _Side) -> Portal:
    left = step.is_default or step.retained
    changes = [
        Change("active", True, left, not left, _fate(step), heading_of("active")),
    ]
    owner = before.declared.get(OWNER_KEY)
    if owner and not step.retained:
        raw = _Raw(OWNER_PATH, owner, None)
        changes.append(Change(OWNER_PATH, owner, None, False, _internal(OWNER, raw), INTERNAL))
    keeps = settings(before) if left else []
    return Portal(step.name, step.urn, step.op, [], changes, _fate(step), keeps)


def _ordered(changes: list[Change]) -> list[Change]:
    """The table's order (customers' reading order), then the path."""
    order = {path: i for i, path in enumerate(TERMS)}

    def rank(change: Change) -> tuple[int, str]:
        if change.path == OWNER_PATH:
            return len(order), change.path
        key = generic(change.path)
        while key not in order and "." in key:
            key = key.rsplit(".", 1)[0]
        return order.get(key, len(order)), change.path

    return sorted(changes, key=rank)


# -- prices to look up ----------------------------------------------------------------------


def _references(declared: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The lookup keys, price ids and product ids a declaration names (known ones)."""
    keys: list[str] = []
    ids: list[str] = []
    products: list[str] = []
    for item in _by_product(at(declared, PRODUCTS)).values():
        product = item.get("product")
        if isinstance(product, str) and not isinstance(product, Opaque):
            products.append(product)
        for price in item.get("prices") or []:
            if isinstance(price, str) and not isinstance(price, Opaque):
                ids.append(price)
        for key in item.get("lookup_keys") or []:
            if isinstance(key, str) and not isinstance(key, Opaque):
                keys.append(key)
    resolved = declared.get(RESOLVED_KEY)
    if isinstance(resolved, dict):
        ids += [v for v in resolved.values() if isinstance(v, str) and not isinstance(v, Opaque)]
    return keys, ids, products


def _fetch(offers: Offers, wanted: list[tuple[str | None, dict[str, Any]]]) -> None:
    """Asks once per account for everything the plan names (see offers.py)."""
    by_account: dict[str | None, tuple[list[str], list[str], list[str]]] = {}
    for account, declared in wanted:
        keys, ids, products = by_account.setdefault(account, ([], [], []))
        more = _references(declared)
        keys += more[0]
        ids += more[1]
        products += more[2]
    for account in sorted(by_account, key=lambda a: a or ""):
        offers.fetch(account, *by_account[account])


# -- entry points ---------------------------------------------------------------------------


def explain_plan(plan: Plan, offers: Offers, account: str | None = None) -> Explanation:
    """Every portal configuration of ``plan``; ``account`` is where a configuration lives
    when neither it nor the plan's stack config names a Connect account."""
    account = plan.account or account
    wanted: list[tuple[str | None, dict[str, Any]]] = []
    for step in plan.steps:
        if step.before is not None:
            wanted.append((step.account or account, step.before))
        if step.after is not None:
            declared = step.after.get("stripe_account")
            where = declared if isinstance(declared, str) and declared else account
            wanted.append((where, step.after))
    _fetch(offers, wanted)
    portals = [_step(step, offers, account) for step in plan.steps]
    portals.sort(key=lambda p: (_RANK.get(p.op, 9), p.name, p.urn or ""))
    title = f"{plan.project}/{plan.stack}" if plan.project and plan.stack else None
    return Explanation(portals, title, notes=_notes(offers, wanted))


def explain_live(
    objects: list[dict[str, Any]], offers: Offers, account: str | None = None
) -> Explanation:
    """Configurations as Stripe holds them now (``--id``, ``--default``)."""
    declarations = []
    for obj in objects:
        declared = held(obj)
        declared["metadata"] = without_marker(declared.get("metadata"))
        declared["active"] = bool(obj.get("active", True))
        declarations.append(declared)
    _fetch(offers, [(account, d) for d in declarations])
    portals = []
    for obj, declared in zip(objects, declarations, strict=True):
        side = _Side(declared, account, offers)
        owner = owner_of(obj)
        state = "active" if obj.get("active", True) else "inactive"
        default = ", the account's default" if obj.get("is_default") else ""
        managed = f"managed by the Pulumi stack {owner}" if owner else "not managed by Pulumi"
        fate = f"Configuration {obj.get('id')} as Stripe holds it now: {state}{default}; {managed}."
        portals.append(Portal(str(obj.get("id")), None, "live", settings(side), [], fate))
    return Explanation(
        portals, None, live=True, notes=_notes(offers, [(account, d) for d in declarations])
    )


def _notes(offers: Offers, wanted: list[tuple[str | None, dict[str, Any]]]) -> list[str]:
    if offers.looks_up or not any(_references(d)[2] for _, d in wanted):
        return []
    return [
        "Prices are shown as declared (ids and lookup keys): with a Stripe key "
        "(STRIPE_API_KEY or --api-key) they are shown in customers' terms."
    ]
