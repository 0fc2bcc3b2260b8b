"""What customers see of a portal configuration, in their words: one table beside the models.

Every field of the models (models.py) is classified here by its dotted path (``[]`` marks the
items of a list): a setting customers see, with the words for each of its values, or an
internal field, with the reason customers never see it. ``stripe-portal explain``
(explain.py) takes every word it says about a setting from this table, and a test fails when
a field of the models is missing here or a value has no words, so a new API field cannot be
silently left out of explanations. The order of the table is the order of the explanation.

Sentences are templates: ``{value}`` is the value in words, ``{before}`` the value until now,
``{product}`` the product's name inside a plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


def join(words: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def with_note(sentence: str, note: str) -> str:
    """``sentence`` with ``note`` put before its final full stop: ``It is (note).``"""
    if not note:
        return sentence
    body = sentence[:-1] if sentence.endswith(".") else sentence
    return f"{body} ({note})."


def _word(words: Mapping[Any, str], value: Any) -> str | None:
    """The words for a value, None when it has none (a value of an unexpected type too)."""
    try:
        return words.get(value)
    except TypeError:  # unhashable: not a value the models allow
        return None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass(frozen=True)
class Section:
    """An object of the tree; ``heading`` titles what customers see under it."""

    heading: str | None = None


@dataclass(frozen=True)
class Toggle:
    """An on/off setting: a sentence for each state, and for each change of state."""

    on: str
    off: str
    now_on: str
    now_off: str
    heading: str | None = None

    def say(self, value: Any, **context: str) -> str:
        return (self.on if value else self.off).format(**context)

    def change(self, before: Any, after: Any, **context: str) -> str:
        return (self.now_on if after else self.now_off).format(**context)


@dataclass(frozen=True)
class Choice:
    """One of a few values, each with its words; ``notes`` say what a value means for
    customers, after the sentence."""

    sentence: str
    now: str
    values: Mapping[str, str]
    notes: Mapping[str, str] = field(default_factory=dict)
    heading: str | None = None

    def words(self, value: Any) -> str:
        return _word(self.values, value) or str(value)

    def _noted(self, sentence: str, value: Any) -> str:
        note = _word(self.notes, value)
        return f"{sentence[:-1]}; {note}." if note else sentence

    def say(self, value: Any, **context: str) -> str:
        return self._noted(self.sentence.format(value=self.words(value), **context), value)

    def change(self, before: Any, after: Any, **context: str) -> str:
        text = self.now.format(value=self.words(after), before=self.words(before), **context)
        return self._noted(text, after)


@dataclass(frozen=True)
class Value:
    """A free value (text, a link, an id, a number), said as it is; ``empty`` when there is
    none (None: not listed at all), ``gone`` when it is removed, ``absent`` what none is
    called in a change."""

    sentence: str
    now: str
    empty: str | None
    gone: str
    quote: bool = False
    absent: str = "none"
    heading: str | None = None

    def words(self, value: Any) -> str:
        if _is_empty(value):
            return self.absent
        return f'"{value}"' if self.quote else str(value)

    def say(self, value: Any, **context: str) -> str | None:
        if _is_empty(value):
            return None if self.empty is None else self.empty.format(**context)
        return self.sentence.format(value=self.words(value), **context)

    def change(self, before: Any, after: Any, **context: str) -> str:
        if _is_empty(after):
            return self.gone.format(before=self.words(before), **context)
        return self.now.format(value=self.words(after), before=self.words(before), **context)


@dataclass(frozen=True)
class Items:
    """A list of values, each with its words (raw when ``items`` has none); ``key`` names
    the field that identifies an object item. ``empty``: said of an empty list (None: not
    listed at all)."""

    sentence: str
    empty: str | None
    items: Mapping[str, str] = field(default_factory=dict)
    key: str | None = None
    heading: str | None = None

    def _names(self, value: Any) -> list[str]:
        out = []
        for item in value if isinstance(value, list) else []:
            name = item.get(self.key) if self.key and isinstance(item, dict) else item
            out.append(str(name))
        return out

    def words(self, value: Any) -> list[str]:
        return [self.items.get(name, name) for name in self._names(value)]

    def say(self, value: Any, **context: str) -> str | None:
        if not self._names(value):
            return self.empty
        return self.sentence.format(value=join(self.words(value)), **context)

    def change(self, before: Any, after: Any, **context: str) -> str:
        old, new = self._names(before), self._names(after)
        added = [self.items.get(n, n) for n in new if n not in old]
        removed = [self.items.get(n, n) for n in old if n not in new]
        notes = [f"added: {join(added)}"] if added and old else []
        notes += [f"removed: {join(removed)}"] if removed else []
        said = self.say(after, **context) or "None are offered."
        return with_note(said, "; ".join(notes))


@dataclass(frozen=True)
class Durations:
    """The pause lengths offered: ``units`` are the singular words for each interval."""

    sentence: str
    units: Mapping[str, str]
    heading: str | None = None

    def words(self, value: Any) -> list[str]:
        out = []
        for option in value if isinstance(value, list) else []:
            if not isinstance(option, dict):
                continue
            count = option.get("interval_count") or 1
            unit = _word(self.units, option.get("interval")) or str(option.get("interval"))
            out.append(f"{count} {unit}{'' if count == 1 else 's'}")
        return out

    def say(self, value: Any, **context: str) -> str | None:
        words = self.words(value)
        return self.sentence.format(value=join(words, "or")) if words else None

    def change(self, before: Any, after: Any, **context: str) -> str:
        said = self.say(after) or "No pause lengths are offered."
        return with_note(said, f"until now: {join(self.words(before), 'or') or 'none'}")


@dataclass(frozen=True)
class Plans:
    """The products and prices customers may switch to; explain.py builds each offer
    (``Pro: $42.42 a month``) from the plan and, with a key, from Stripe's catalogue."""

    offered: str
    added: str
    removed: str
    none: str
    more: str
    fewer: str
    moved: str
    heading: str | None = None


@dataclass(frozen=True)
class Part:
    """A field said together with the list or object at ``of`` (a product's prices are
    part of its offer)."""

    of: str


@dataclass(frozen=True)
class Internal:
    """A field customers never see: ``label`` names it in the list of internal changes,
    ``why`` says why customers never see it (for readers of this table)."""

    label: str
    why: str


Term = Section | Toggle | Choice | Value | Items | Durations | Plans | Part | Internal

_PLAN = "features.subscription_update.products"
PLANS = Plans(
    offered="Customers can switch to {value}.",
    added="Customers can now switch to {value}.",
    removed="Customers can no longer switch to {value}.",
    none="No plans are offered to switch to.",
    more="{product} is now also offered at {value}.",
    fewer="{product} is no longer offered at {value}.",
    moved="{product} ({key}) is now offered at {value} (until now: {before}).",
)

TERMS: dict[str, Term] = {
    "active": Toggle(
        heading="Availability",
        on="The configuration is active: portal sessions can use it.",
        off="The configuration is inactive: portal sessions cannot use it.",
        now_on="The configuration is active again: portal sessions can use it.",
        now_off="The configuration will be deactivated: portal sessions can no longer use it.",
    ),
    "business_profile": Section("Business profile"),
    "business_profile.headline": Value(
        sentence="The portal's headline reads {value}.",
        now="The portal's headline now reads {value} (until now: {before}).",
        empty="The portal shows no headline.",
        gone="The portal no longer shows a headline (until now: {before}).",
        quote=True,
        absent="no headline",
    ),
    "business_profile.privacy_policy_url": Value(
        sentence="The portal links to your privacy policy at {value}.",
        now="The portal's privacy policy link now goes to {value} (until now: {before}).",
        empty="The portal shows no privacy policy link.",
        gone="The portal no longer links to a privacy policy (until now: {before}).",
        absent="no link",
    ),
    "business_profile.terms_of_service_url": Value(
        sentence="The portal links to your terms of service at {value}.",
        now="The portal's terms of service link now goes to {value} (until now: {before}).",
        empty="The portal shows no terms of service link.",
        gone="The portal no longer links to terms of service (until now: {before}).",
        absent="no link",
    ),
    "features": Section(),
    "features.customer_update": Section("Customer information"),
    "features.customer_update.enabled": Toggle(
        on="Customers can update their own details.",
        off="Customers cannot update their details in the portal.",
        now_on="Customers can now update their own details.",
        now_off="Customers can no longer update their details in the portal.",
    ),
    "features.customer_update.allowed_updates": Items(
        sentence="They can change their {value}.",
        empty="They cannot change any of their details.",
        items={
            "address": "billing address",
            "email": "email address",
            "name": "name",
            "phone": "phone number",
            "shipping": "shipping address",
            "tax_id": "tax IDs",
        },
    ),
    "features.invoice_history": Section("Invoice history"),
    "features.invoice_history.enabled": Toggle(
        on="Customers can see and download their past invoices.",
        off="Customers cannot see their past invoices in the portal.",
        now_on="Customers can now see and download their past invoices.",
        now_off="Customers can no longer see their past invoices in the portal.",
    ),
    "features.payment_method_update": Section("Payment methods"),
    "features.payment_method_update.enabled": Toggle(
        on="Customers can add, remove and change their payment methods.",
        off="Customers cannot change their payment methods in the portal.",
        now_on="Customers can now add, remove and change their payment methods.",
        now_off="Customers can no longer change their payment methods in the portal.",
    ),
    "features.payment_method_update.payment_method_configuration": Value(
        sentence="The payment methods offered are those of configuration {value}.",
        now="The payment methods offered are now those of configuration {value} "
        "(until now: {before}).",
        empty="The payment methods offered are the account's default ones.",
        gone="The payment methods offered are now the account's default ones "
        "(until now: those of configuration {before}).",
        absent="the account's default ones",
    ),
    "features.subscription_cancel": Section("Cancellation"),
    "features.subscription_cancel.enabled": Toggle(
        on="Customers can cancel their subscriptions in the portal.",
        off="Customers cannot cancel their subscriptions in the portal.",
        now_on="Customers can now cancel their subscriptions in the portal.",
        now_off="Customers can no longer cancel their subscriptions in the portal.",
    ),
    "features.subscription_cancel.mode": Choice(
        sentence="A cancellation takes effect {value}.",
        now="A cancellation now takes effect {value} (until now: {before}).",
        values={"at_period_end": "at the end of the billing period", "immediately": "at once"},
        notes={
            "at_period_end": "customers keep access until then",
            "immediately": "customers lose access immediately",
        },
    ),
    "features.subscription_cancel.proration_behavior": Choice(
        sentence="Customers who cancel get {value}.",
        now="Customers who cancel now get {value} (until now: {before}).",
        values={
            "none": "no credit for the unused part of the period",
            "create_prorations": "a prorated credit for the unused part of the period",
        },
    ),
    "features.subscription_cancel.cancellation_reason": Section(),
    "features.subscription_cancel.cancellation_reason.enabled": Toggle(
        on="Customers who cancel are asked why.",
        off="Customers who cancel are not asked why.",
        now_on="Customers who cancel are now asked why.",
        now_off="Customers who cancel are no longer asked why.",
    ),
    "features.subscription_cancel.cancellation_reason.options": Items(
        sentence="The reasons offered: {value}.",
        empty="No reasons are offered.",
        items={
            "customer_service": "customer service was less than expected",
            "low_quality": "quality was less than expected",
            "missing_features": "some features are missing",
            "other": "another reason",
            "switched_service": "switching to a different service",
            "too_complex": "ease of use was less than expected",
            "too_expensive": "it's too expensive",
            "unused": "not using the service enough",
        },
    ),
    "features.subscription_cancel.cancellation_reason.feedback_options": Items(
        sentence="Custom feedback choices are offered too: {value}.",
        empty=None,
    ),
    "features.subscription_pause": Section("Pausing"),
    "features.subscription_pause.enabled": Toggle(
        on="Customers can pause their subscriptions.",
        off="Customers cannot pause their subscriptions in the portal.",
        now_on="Customers can now pause their subscriptions.",
        now_off="Customers can no longer pause their subscriptions in the portal.",
    ),
    "features.subscription_pause.duration": Section(),
    "features.subscription_pause.duration.type": Choice(
        sentence="A pause lasts {value}.",
        now="A pause now lasts {value} (until now: {before}).",
        values={
            "indefinite": "until the customer resumes",
            "interval_options": "for a length the customer chooses",
        },
    ),
    "features.subscription_pause.duration.interval_options": Durations(
        sentence="The lengths offered: {value}.",
        units={"day": "day", "week": "week", "month": "month", "year": "year"},
    ),
    "features.subscription_pause.duration.interval_options[].interval": Part(
        "features.subscription_pause.duration.interval_options"
    ),
    "features.subscription_pause.duration.interval_options[].interval_count": Part(
        "features.subscription_pause.duration.interval_options"
    ),
    "features.subscription_update": Section("Plan changes"),
    "features.subscription_update.enabled": Toggle(
        on="Customers can change their subscription in the portal.",
        off="Customers cannot change their subscription in the portal.",
        now_on="Customers can now change their subscription in the portal.",
        now_off="Customers can no longer change their subscription in the portal.",
    ),
    "features.subscription_update.default_allowed_updates": Items(
        sentence="They can {value}.",
        empty="They can neither switch plans, change quantities nor apply promotion codes.",
        items={
            "price": "switch plans",
            "promotion_code": "apply promotion codes",
            "quantity": "change quantities",
        },
    ),
    _PLAN: PLANS,
    f"{_PLAN}[].product": Part(_PLAN),
    f"{_PLAN}[].prices": Part(_PLAN),
    f"{_PLAN}[].lookup_keys": Part(_PLAN),
    f"{_PLAN}[].adjustable_quantity": Section(),
    f"{_PLAN}[].adjustable_quantity.enabled": Toggle(
        on="Customers can change the quantity of {product}.",
        off="Customers cannot change the quantity of {product}.",
        now_on="Customers can now change the quantity of {product}.",
        now_off="Customers can no longer change the quantity of {product}.",
    ),
    f"{_PLAN}[].adjustable_quantity.minimum": Value(
        sentence="The smallest quantity of {product} is {value}.",
        now="The smallest quantity of {product} is now {value} (until now: {before}).",
        empty="There is no smallest quantity of {product}.",
        gone="The smallest quantity of {product} is now Stripe's default (until now: {before}).",
    ),
    f"{_PLAN}[].adjustable_quantity.maximum": Value(
        sentence="The largest quantity of {product} is {value}.",
        now="The largest quantity of {product} is now {value} (until now: {before}).",
        empty="There is no largest quantity of {product}.",
        gone="There is no longer a largest quantity of {product} (until now: {before}).",
        absent="no limit",
    ),
    "features.subscription_update.proration_behavior": Choice(
        sentence="A plan change in the middle of a billing period is {value}.",
        now="A plan change in the middle of a billing period is now {value} (until now: {before}).",
        values={
            "none": "not prorated",
            "create_prorations": "prorated on the next invoice",
            "always_invoice": "prorated and invoiced at once",
        },
    ),
    "features.subscription_update.schedule_at_period_end": Section(),
    "features.subscription_update.schedule_at_period_end.conditions": Items(
        sentence="These changes wait for the end of the billing period: {value}.",
        empty="Every plan change takes effect at once.",
        key="type",
        items={
            "decreasing_item_amount": "downgrades (a cheaper plan or fewer seats)",
            "shortening_interval": "moves to a shorter billing interval (yearly to monthly)",
        },
    ),
    "features.subscription_update.schedule_at_period_end.conditions[].type": Part(
        "features.subscription_update.schedule_at_period_end.conditions"
    ),
    "features.subscription_update.billing_cycle_anchor": Choice(
        sentence="A plan change {value}.",
        now="A plan change now {value} (until now: {before}).",
        values={
            "now": "restarts the billing cycle on the day of the change",
            "unchanged": "keeps the billing date",
        },
    ),
    "features.subscription_update.trial_update_behavior": Choice(
        sentence="A plan change during a trial {value}.",
        now="A plan change during a trial now {value} (until now: {before}).",
        values={
            "continue_trial": "keeps the trial going",
            "end_trial": "ends the trial and starts billing",
        },
    ),
    "login_page": Section("Login page"),
    "login_page.enabled": Toggle(
        on="Customers can sign in on a login page hosted by Stripe, at the portal's own link.",
        off="There is no login page: customers reach the portal through links your app makes.",
        now_on="Customers can now sign in on a login page hosted by Stripe, at the portal's "
        "own link.",
        now_off="The login page is turned off: customers reach the portal only through links "
        "your app makes.",
    ),
    "default_return_url": Value(
        heading="Return link",
        sentence="The portal's back link goes to {value} unless a session names another address.",
        now="The portal's back link now goes to {value} (until now: {before}).",
        empty="The portal's back link goes where each portal session says.",
        gone="The portal's back link now goes only where each portal session says "
        "(until now: {before}).",
        absent="where each session says",
    ),
    "name": Internal(
        "The configuration's name", "Stripe does not show a configuration's name to customers."
    ),
    "metadata": Internal("Metadata", "Your own key-value pairs; customers never see them."),
    "stripe_account": Internal(
        "The Connect account",
        "Where the configuration lives; a new account means a new configuration.",
    ),
    "adopt": Internal(
        "Adoption",
        "Takes an existing configuration over at create; customers see its settings.",
    ),
}

# Not a field of the models: who manages the configuration (the provider's marker).
OWNER = Internal("The managing stack", "Which Pulumi stack manages the configuration.")
OWNER_PATH = "owner"
