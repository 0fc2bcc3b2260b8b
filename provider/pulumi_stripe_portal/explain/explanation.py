"""What a plan changes for customers: each portal step, in customer_terms.py's words.

For each portal configuration in a plan (plan.py) it says what customers get after the step
(customer_view.py) and every changed input, with whether customers see it (changes.py),
and what happens to the configuration itself: created, updated in place, replaced,
deactivated, or left active when it is the account's default. The same settings describe a
live configuration (``--id``, ``--default``). Every price and product a plan names is looked
up first, once, through offers.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..lifecycle.prices import RESOLVED_KEY
from ..ownership import OWNER_KEY, owner_of, without_marker
from ..schema.defaults import held
from .changes import Change, changes_between, owner_change
from .customer_view import (
    INTERNAL,
    PRODUCTS,
    Setting,
    Side,
    at,
    by_product,
    heading_of,
    settings,
)
from .offers import Offers
from .plan import Opaque, Plan, Step

_RANK = {"create": 0, "replace": 1, "update": 2, "delete": 3, "same": 4, "live": 5}


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
        """Changes customers see."""
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
    """A plan (or live configurations) explained, its portals in a stable order."""

    portals: list[Portal]
    title: str | None  # project/stack of the plan
    live: bool = False
    notes: list[str] = field(default_factory=list)


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


def _accounts(step: Step, account: str | None) -> tuple[str | None, str | None]:
    """Where each side lives: the state's or declared Connect account, else ``account``."""
    declared = (step.after or {}).get("stripe_account")
    if not isinstance(declared, str) or not declared or isinstance(declared, Opaque):
        declared = None
    return step.account or account, declared or account


def _step(step: Step, offers: Offers, account: str | None) -> Portal:
    before_account, after_account = _accounts(step, account)
    before = Side(step.before or {}, before_account, offers)
    after = Side(step.after or {}, after_account, offers)
    if step.op == "delete":
        return _deleted(step, before)
    changes = changes_between(before, after, created=step.op == "create")
    if step.op == "replace":
        old = Change(
            "active",
            True,
            step.is_default,
            not step.is_default,
            _old_fate(step),
            heading_of("active"),
        )
        changes.append(old)
    return Portal(step.name, step.urn, step.op, settings(after), changes, _fate(step))


def _deleted(step: Step, before: Side) -> Portal:
    left = step.is_default or step.retained
    changes = [Change("active", True, left, not left, _fate(step), heading_of("active"))]
    owner = before.declared.get(OWNER_KEY)
    if owner and not step.retained:  # the provider removes its marker from Stripe
        changes.append(owner_change(owner, None))
    keeps = settings(before) if left else []
    return Portal(step.name, step.urn, step.op, [], changes, _fate(step), keeps)


# -- prices to look up ----------------------------------------------------------------------


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _references(declared: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The lookup keys, price ids and product ids a declaration names (known ones)."""
    keys: list[str] = []
    ids: list[str] = []
    products: list[str] = []
    for item in by_product(at(declared, PRODUCTS)).values():
        product = item.get("product")
        if isinstance(product, str) and not isinstance(product, Opaque):
            products.append(product)
        for price in _listed(item.get("prices")):
            if isinstance(price, str) and not isinstance(price, Opaque):
                ids.append(price)
        for key in _listed(item.get("lookup_keys")):
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
        before_account, after_account = _accounts(step, account)
        if step.before is not None:
            wanted.append((before_account, step.before))
        if step.after is not None:
            wanted.append((after_account, step.after))
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
        side = Side(declared, account, offers)
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
