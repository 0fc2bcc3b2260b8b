"""Cases proving that ``check`` (preview) and Stripe's stand-ins agree, generated, not listed.

``cases()`` turns every limit ``model_limits.limits()`` reads from the models into
declarations at the bound and one past it (for an enum: every value, one outside it, and any
value the API's type lists but the model refuses), and adds both witnesses of every rule in
``rules.RULES``.

Each case is a whole declaration: the value is put into the first *context* where the
in-bound value passes ``check``: the smallest declaration (``{"features": {}}``), then the
accepted witness of each rule (so a pause option lands where ``type`` is ``interval_options``,
``create_prorations`` where ``mode`` is ``immediately``). The out-of-bound twin uses the same
context, so the pair differs in the value only.

Whether stripe-mock can referee a case is decided here too (``Case.mock``): it checks the
request against the API's types, so it referees every accepted case and every refused one
whose request breaks those types (an enum value, a required key) outside
``subscription_pause``; anything else is excluded with a ``MOCK_UNCHECKED`` reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

import typing_extensions as te
from api_tree import params_tree
from model_limits import Limit, filler, first_value, get, limits, list_field, put, unwrap
from pydantic import BaseModel
from stripe.params.billing_portal import ConfigurationCreateParams

from pulumi_stripe_portal.lifecycle.params import create_params
from pulumi_stripe_portal.lifecycle.validation import check_declaration
from pulumi_stripe_portal.schema import models
from pulumi_stripe_portal.schema.rules import RULES, Rule

INVALID = "not_a_choice"
URL = "https://example.com/"
NOT_HTTP = "ftp://example.com/back"  # a URL, but not one a customer's browser is sent to

# Why stripe-mock cannot referee a refused case (it accepts them all; test_agreement proves it).
MOCK_UNCHECKED = {
    "pause": "stripe-mock's spec leaves features.subscription_pause unchecked (bad enums and "
    "out-of-range counts answer 200)",
    "bound": "stripe-mock checks types and enums only: numeric bounds, list lengths, string "
    "lengths and metadata limits answer 200",
    "rule": "a rule across fields: the OpenAPI spec stripe-mock validates against has none",
    "format": "stripe-mock does not check that a URL is one (any string answers 200)",
    "narrower": "Stripe refuses a value that the API's type lists (the SDK's enum has it), "
    "so the spec stripe-mock checks accepts it",
}


def accepted(declaration: dict[str, Any]) -> bool:
    return not check_declaration(declaration)[1]


def contexts() -> list[dict[str, Any]]:
    """Where a case's value goes: the smallest declaration, then every rule's accepted
    witness (valid declarations that enable what other fields depend on)."""
    return [{"features": {}}] + [w.pair()[0] for rule in RULES for w in rule.witnesses]


# cases -------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Case:
    """One create request: ``expect`` is the verdict the case was built to get from check;
    ``source`` names the limit or rule it exercises; ``params`` is what the provider sends
    for it; ``mock`` is a MOCK_UNCHECKED key when stripe-mock cannot referee it."""

    name: str
    source: str
    declaration: dict[str, Any]
    expect: bool
    params: dict[str, Any]
    mock: str | None = None


def make_case(name: str, source: str, declaration: dict[str, Any], expect: bool, why: str) -> Case:
    """A case whose request is mapped by the provider's own ``create_params``; ``why`` is the
    MOCK_UNCHECKED key that applies if it is refused without breaking the API's types."""
    params = create_params(check_declaration(declaration)[0])
    mock = None if expect or type_breaks(params) else why
    return Case(name, source, declaration, expect, params, mock)


def type_breaks(params: dict[str, Any], path: str = "") -> list[str]:
    """Where a request breaks the SDK's types (a required key missing, a value outside an
    enum): what stripe-mock checks, except under ``features.subscription_pause``."""
    out = []
    for child, field in _sdk_tree().items():
        parent, _, name = child.rpartition(".")
        if parent != path or child.startswith("features.subscription_pause"):
            continue
        if name not in params:
            out += [f"{child} missing"] if field.required else []
            continue
        value = params[name]
        items = value if field.is_list and isinstance(value, list) else [value]
        if field.enum:
            # "" is the unset spelling, not an enum value
            out += [f"{child} = {item}" for item in items if item not in (*field.enum, "")]
        if field.kind == "object":
            inner = child + ("[]" if field.is_list else "")
            for item in items:
                out += type_breaks(item, inner) if isinstance(item, dict) else []
    return out


def _texts(limit: Limit, length: int) -> str:
    if limit.url:
        return URL + "u" * (length - len(URL))
    return "x" * length


def _list_of(context: dict[str, Any], limit: Limit, count: int) -> list[Any]:
    """``count`` distinct items for the list at ``limit.keys``, made like the context's first
    (or the item model's required fields); object items differ by their ``SetLike`` key."""
    tp, extras = list_field(limit)
    held = get(context, limit.keys)
    item_type, _ = unwrap(te.get_args(tp)[0], [])
    if held:
        template = held[0]
    elif isinstance(item_type, type) and issubclass(item_type, BaseModel):
        template = filler(item_type)
    else:
        template = first_value(item_type, [])
    key = next((e.key for e in extras if isinstance(e, models.SetLike)), None)
    items = []
    for index in range(count):
        item = copy.deepcopy(template)
        if isinstance(item, dict) and key:
            item[key] = f"{item[key]}_{index}"
        elif isinstance(item, str):
            item = f"{item}_{index}"
        items.append(item)
    return items


def _values(limit: Limit, context: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(label, value at ``limit.keys``, in bounds) for one limit in one context."""
    wrap = (lambda v: [v]) if limit.in_list else (lambda v: v)
    bound = limit.bound
    if limit.kind == "enum":
        extra = sorted((_sdk_enum(limit) or set()) - set(bound))
        return (
            [(f"= {v}", wrap(v), True) for v in bound]
            + [(f"= {INVALID}", wrap(INVALID), False)]
            + [(f"= {v} (in the API's type)", wrap(v), False) for v in extra]
        )
    if limit.kind in ("ge", "gt", "le", "lt"):
        inside = {"ge": bound, "gt": bound + 1, "le": bound, "lt": bound - 1}[limit.kind]
        step = -1 if limit.kind in ("ge", "gt") else 1
        return [(f"= {inside}", inside, True), (f"= {inside + step}", inside + step, False)]
    if limit.kind in ("max_length", "min_length"):
        step = 1 if limit.kind == "max_length" else -1
        if limit.in_list or te.get_origin(list_field(limit)[0]) is not list:
            return [
                (f"of {bound} chars", wrap(_texts(limit, bound)), True),
                (f"of {bound + step} chars", wrap(_texts(limit, bound + step)), False),
            ]
        return [
            (f"of {bound} items", _list_of(context, limit, bound), True),
            (f"of {bound + step} items", _list_of(context, limit, bound + step), False),
        ]
    if limit.kind == "pattern" and limit.url:
        return [
            ("= an https URL", wrap(URL + "back"), True),
            ("= an ftp URL", wrap(NOT_HTTP), False),
        ]
    if limit.kind == "metadata_keys":
        return [
            (f"of {n} keys", {f"k{i}": "v" for i in range(n)}, n <= bound)
            for n in (bound, bound + 1)
        ]
    if limit.kind == "metadata_key_length":
        return [(f"with a key of {n}", {"k" * n: "v"}, n <= bound) for n in (bound, bound + 1)]
    if limit.kind == "metadata_value_length":
        return [(f"with a value of {n}", {"k": "v" * n}, n <= bound) for n in (bound, bound + 1)]
    return []


@cache
def _sdk_tree() -> dict[str, Any]:
    return params_tree(ConfigurationCreateParams)


def _sdk_enum(limit: Limit) -> frozenset[str] | None:
    path = limit.path[:-2] if limit.in_list else limit.path
    field = _sdk_tree().get(path)
    return field.enum if field else None


def _why(limit: Limit, narrower: bool) -> str:
    if limit.path.startswith("features.subscription_pause"):
        return "pause"
    if narrower:
        return "narrower"
    return "format" if limit.kind == "pattern" else "bound"


def limit_cases(limit: Limit) -> list[Case]:
    """The cases of one limit: each in-bound value, then the out-of-bound ones, in the first
    context where the first in-bound value passes check."""
    for context in contexts():
        values = _values(limit, context)
        if not values:
            return []
        label, first, _ = values[0]
        if accepted(put(context, limit.keys, first)):
            break
    else:
        raise AssertionError(f"no context accepts {limit.path} {label}")
    out = []
    for label, value, inside in values:
        declaration = put(context, limit.keys, value)
        if inside and not accepted(declaration):  # this value needs a context of its own
            candidates = (put(other, limit.keys, value) for other in contexts())
            declaration = next((d for d in candidates if accepted(d)), declaration)
        narrower = "(in the API's type)" in label
        name, source = f"{limit.path} {label}", f"{limit.kind} {limit.path}"
        out.append(make_case(name, source, declaration, inside, _why(limit, narrower)))
    return out


def rule_cases(rule: Rule) -> list[Case]:
    """Both witnesses of every pair; an accepted witness shared by two pairs is sent once."""
    out: list[Case] = []
    for witness in rule.witnesses:
        good, bad = witness.pair()
        if all(case.declaration != good for case in out):
            name = f"{rule.name}: {witness.label}, accepted"
            out.append(make_case(name, rule.name, good, True, "rule"))
        out.append(make_case(f"{rule.name}: {witness.label}", rule.name, bad, False, "rule"))
    return out


@cache
def cases() -> tuple[Case, ...]:
    out: list[Case] = []
    for limit in limits():
        if limit.not_sent() is None:
            out.extend(limit_cases(limit))
    for rule in RULES:
        out.extend(rule_cases(rule))
    return tuple(out)


# the summary line -----------------------------------------------------------------

TALLY: dict[str, Any] = {}  # filled by test_agreement.py


def summary_line() -> str | None:
    """``agreement: N cases, N agree with the emulator, M refereed by stripe-mock``."""
    if "cases" not in TALLY:
        return None
    line = f"agreement: {TALLY['cases']} cases, {TALLY['emulator']} agree with the emulator"
    if "mock" in TALLY:
        excluded = ", ".join(f"{n} {why}" for why, n in sorted(TALLY["excluded"].items()))
        line += f", {TALLY['mock']} refereed by stripe-mock (not checked by it: {excluded})"
    return line
