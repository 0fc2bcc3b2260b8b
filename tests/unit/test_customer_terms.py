"""The table of customer-facing words classifies every field of the models, and has words for
every value: a field added to the models fails here until the table says what customers see
of it (or why they see nothing)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator

import pytest

from pulumi_stripe_portal.explain.terms import (
    OWNER,
    TERMS,
    Choice,
    Durations,
    Internal,
    Items,
    Part,
    Plans,
    Section,
    Toggle,
    Value,
)
from pulumi_stripe_portal.ownership import OWNER_KEY
from pulumi_stripe_portal.schema.models import OWNER_MARKER
from pulumi_stripe_portal.schema.tree import Node, root

INTERNAL_NAMES = ("_owner", "_declared", "__provider", OWNER_MARKER, "_lookup_prices")


def model_paths(node: Node, prefix: str = "") -> Iterator[tuple[str, Node]]:
    """Every field of the models by dotted path, ``[]`` marking the items of a list."""
    for name, child in node.fields.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, child
        if child.kind == "object":
            yield from model_paths(child, path)
        if child.kind == "list" and child.item is not None and child.item.kind == "object":
            yield from model_paths(child.item, f"{path}[]")


PATHS = dict(model_paths(root()))


def test_every_field_of_the_models_is_classified_and_nothing_else() -> None:
    missing = sorted(set(PATHS) - set(TERMS))
    stale = sorted(set(TERMS) - set(PATHS))
    assert not missing, f"fields with no entry in customer_terms.TERMS: {missing}"
    assert not stale, f"entries of customer_terms.TERMS that are not fields: {stale}"
    assert len(PATHS) >= 50  # the walk reached the whole tree


def _choices(node: Node) -> tuple[str, ...]:
    return tuple(str(c) for c in node.choices)


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_entry_fits_its_field_and_has_words_for_every_value(path: str) -> None:
    node, term = PATHS[path], TERMS[path]
    if isinstance(term, Internal):
        assert term.label and term.why.endswith("."), path
        return
    if isinstance(term, Part):
        whole = TERMS[term.of]
        assert path.startswith(term.of), "a part belongs to the list above it"
        if node.choices and isinstance(whole, Items):  # the list's words cover the values
            assert set(_choices(node)) <= set(whole.items)
        if path.endswith(".interval") and isinstance(whole, Durations):
            assert set(_choices(node)) <= set(whole.units)
        return
    if node.kind == "object":
        assert isinstance(term, Section), path
    elif node.kind == "list":
        assert isinstance(term, (Items, Durations, Plans)), path
        item = node.item
        if isinstance(term, Items) and item is not None and item.kind == "scalar" and item.choices:
            assert set(_choices(item)) == set(term.items), path
    elif node.type is bool:
        assert isinstance(term, Toggle), path
    elif node.choices:
        assert isinstance(term, Choice), path
        assert set(_choices(node)) == set(term.values), path
    else:
        assert isinstance(term, Value), path


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, typing.Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def test_no_word_names_an_internal_name() -> None:
    words = [text for term in [*TERMS.values(), OWNER] for text in _strings(term)]
    assert words
    for name in INTERNAL_NAMES:
        assert not [w for w in words if name in w], name
    assert OWNER_KEY == "_owner"


def test_sentences_say_each_value_and_each_change() -> None:
    mode = TERMS["features.subscription_cancel.mode"]
    assert isinstance(mode, Choice)
    assert mode.change("at_period_end", "immediately") == (
        "A cancellation now takes effect at once (until now: at the end of the billing "
        "period); customers lose access immediately."
    )
    updates = TERMS["features.customer_update.allowed_updates"]
    assert isinstance(updates, Items)
    assert updates.change(["email", "address"], ["email", "phone"]) == (
        "They can change their email address and phone number (added: phone number; "
        "removed: billing address)."
    )
    headline = TERMS["business_profile.headline"]
    assert isinstance(headline, Value)
    assert headline.change("Hi", None) == 'The portal no longer shows a headline (until now: "Hi").'
    pause = TERMS["features.subscription_pause.duration.interval_options"]
    assert isinstance(pause, Durations)
    assert (
        pause.say(
            [{"interval": "month", "interval_count": 1}, {"interval": "week", "interval_count": 2}]
        )
        == "The lengths offered: 1 month or 2 weeks."
    )
