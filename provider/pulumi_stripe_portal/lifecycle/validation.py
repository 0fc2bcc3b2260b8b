"""Turns a raw declaration into a normalized one plus check failures, without calling Stripe.

Failures name the dotted property path (``features.subscription_cancel.mode``) and what is
allowed there. Values not known yet (``pulumi preview`` with inputs from other resources)
are never an error: they are validated when ``pulumi up`` knows them.

A declaration is validated by pydantic-core with the schema ``make generate`` writes from the
models (schema/validator_schema.py), without building them: about 0.1 s less per provider
process that checks a change. The models are built only to word the failures of a
declaration it refuses (the same checks, with pydantic's own paths and types), or where the
installed pydantic-core is not the one the schema was written for.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..ownership import OWNER_KEY
from ..schema.rules import cross_field_failures
from ..schema.tree import Node, contains_unknown, is_unknown, prune, root
from .state import without_sdk_keys

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

Failure = tuple[str, str]
# Inputs the resource adds itself, not the user: passed through to the provider unvalidated.
HIDDEN_INPUTS = (OWNER_KEY,)


def dotted(loc: tuple[Any, ...] | list[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _strip_unknowns(value: Any, path: str, found: list[str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if is_unknown(item):
                found.append(sub)
            else:
                out[key] = _strip_unknowns(item, sub, found)
        return out
    if isinstance(value, list):
        out_list = []
        for index, item in enumerate(value):
            if is_unknown(item):
                found.append(f"{path}[{index}]")
            else:
                out_list.append(_strip_unknowns(item, f"{path}[{index}]", found))
        return out_list
    return value


def _related(a: str, b: str) -> bool:
    """Whether one dotted path lies within the other."""
    return a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "["))


def _node_at(loc: tuple[Any, ...]) -> Node | None:
    node: Node | None = root()
    for part in loc:
        if node is None:
            return None
        if isinstance(part, int):
            node = node.item
        elif node.kind == "object":
            node = node.fields.get(part)
        else:
            return None
    return node


def _shown(value: Any, limit: int = 60) -> str:
    """The offending value as echoed in a reason: its repr, cut short so a reason stays a
    readable line whatever was declared."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}... ({len(text)} chars)"


def _reason(error: Any) -> str:
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "extra_forbidden":
        parent = _node_at(loc[:-1])
        allowed = ", ".join(sorted(parent.fields)) if parent and parent.fields else "none"
        return f"unknown property {_shown(loc[-1])}; allowed here: {allowed}"
    if kind == "missing":
        return "required"
    if kind == "literal_error":
        node = _node_at(loc)
        choices = ", ".join(map(str, node.choices)) if node and node.choices else ""
        return f"must be one of: {choices} (got {_shown(error.get('input'))})"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be a boolean (true or false), got {_shown(error.get('input'))}"
    if kind == "string_pattern_mismatch" and loc and str(loc[-1]).endswith("url"):
        return f"must be an http(s) URL, got {_shown(error.get('input'))}"
    if kind == "string_pattern_mismatch" and loc == ("stripe_account",):
        return f"must be a Connect account id like acct_123, got {_shown(error.get('input'))}"
    if kind == "string_pattern_mismatch" and loc == ("adopt",):
        got = _shown(error.get("input"))
        return f'must be "default" or a configuration id like bpc_123, got {got}'
    if kind == "too_long" and loc and loc[-1] == "products":
        return "at most 10 products are allowed"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:] if message else kind


@cache
def _validator() -> SchemaValidator | None:
    """The generated schema's validator, if this pydantic-core is the one it was written for
    (a core schema is that library's own format)."""
    import pydantic_core

    from ..schema.validator_schema import PYDANTIC_CORE, SCHEMA

    if pydantic_core.__version__ != PYDANTIC_CORE:
        return None
    return pydantic_core.SchemaValidator(SCHEMA)  # the CoreSchema it was written from


def _normalized(known: dict[str, Any]) -> dict[str, Any] | None:
    """``known`` as the models normalize it (``model_dump(exclude_none=True)``), or None
    when the generated schema refuses it or cannot be used."""
    from pydantic_core import ValidationError

    validator = _validator()
    if validator is None:
        return None
    try:
        normalized: dict[str, Any] = validator.validate_python(known)
    except ValidationError:
        return None
    return normalized


def _by_the_models(known: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Any]]:
    """The models' verdict where the generated schema gave none: their errors, or the
    declaration they accept (another pydantic-core, or were the schema ever stale)."""
    from pydantic import ValidationError

    from ..schema.models import PortalConfigurationSpec

    try:
        spec = PortalConfigurationSpec.model_validate(known)
    except ValidationError as exc:
        return None, list(exc.errors())
    return spec.model_dump(exclude_none=True), []


def check_declaration(news: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """Validates ``news`` and returns (normalized declaration, failures)."""
    declared = without_sdk_keys(news)
    hidden = {k: declared.pop(k) for k in list(declared) if k in HIDDEN_INPUTS}
    unknown_paths: list[str] = []
    known = prune(_strip_unknowns(declared, "", unknown_paths))

    def under_unknown(path: str) -> bool:
        return any(_related(path, u) for u in unknown_paths)

    failures: list[Failure] = []
    errors: list[Any] = []
    normalized = _normalized(known)
    if normalized is None:
        normalized, errors = _by_the_models(known)
    if normalized is None:
        for error in errors:
            path = dotted(error["loc"])
            if not under_unknown(path):
                failures.append((path, _reason(error)))
        out = prune(declared)
        out.setdefault("active", True)
        return {**out, **hidden}, failures

    failures.extend(cross_field_failures(normalized, under_unknown))
    if contains_unknown(declared):
        # Keep the unknowns for diff; create and update only ever see known values.
        out = prune(declared)
        out.setdefault("active", True)
        return {**out, **hidden}, failures
    return {**normalized, **hidden}, failures
