"""Parameter schema, derived from the stripe SDK's generated TypedDicts, and its validator.

The SDK's ``ConfigurationCreateParams`` / ``ConfigurationUpdateParams`` / ``...ListParams`` are
the machine-readable API surface: a stripe bump changes the emulator's surface with it. Only
what the types say is checked here (names, required keys, scalar kinds, enums, where ``""``
is allowed), plus Stripe's general cap of 5000 characters on a string parameter; rules the
types cannot say (cross-field rules, URLs, bounds, tighter lengths) live in backend.py.
Not emulated: the ``str`` half of ``Literal[...]|str`` unions (that half is the SDK's forward
compatibility, so the literals are enforced).
``API_VERSION`` is the version those types describe, written down here once (the SDK's own
constant is private); tests/emulator/test_emu_spec.py checks it is ``stripe.api_version``.
"""

from __future__ import annotations

import decimal
import re
import sys
import types
import typing
from dataclasses import dataclass, field, replace
from typing import Any

import typing_extensions as te
from stripe import RequestOptions
from stripe.params.billing_portal import (
    ConfigurationCreateParams,
    ConfigurationListParams,
    ConfigurationRetrieveParams,
    ConfigurationUpdateParams,
)

from .errors import StripeError


@dataclass(frozen=True)
class Scalar:
    """A string (optionally an enum), boolean or integer leaf."""

    kind: str  # "str" | "bool" | "int"
    enum: tuple[str, ...] = ()
    emptyable: bool = False


@dataclass(frozen=True)
class Array:
    """A list; ``emptyable`` means ``""`` is accepted and empties it."""

    item: Node
    emptyable: bool = False


@dataclass(frozen=True)
class Hash:
    """A fixed set of named fields (a TypedDict)."""

    fields: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    emptyable: bool = False


@dataclass(frozen=True)
class Map:
    """Free string keys to string values (metadata): ``""`` as a value deletes that key."""

    emptyable: bool = False


Node = Scalar | Array | Hash | Map

API_VERSION = "2026-10-28.endive"  # the answers' shape; the stripe SDK pinned in pyproject

_SKIP = frozenset(RequestOptions.__annotations__) | {"expand"}
MAX_STRING = 5000  # Stripe's cap on a string parameter, unless a field has a tighter one
_INT = re.compile(r"-?[0-9]+")


def _resolve(tp: Any, ns: dict[str, Any]) -> Any:
    if isinstance(tp, typing.ForwardRef):
        tp = tp.__forward_arg__
    if isinstance(tp, str):
        return eval(tp, ns)  # noqa: S307 - the SDK's own annotation strings, not user input
    return tp


def _is_empty_literal(tp: Any) -> bool:
    return te.get_origin(tp) is typing.Literal and te.get_args(tp) == ("",)


def _node(tp: Any, ns: dict[str, Any]) -> Node:
    tp = _resolve(tp, ns)
    origin = te.get_origin(tp)
    if origin in (typing.NotRequired, typing.Required):
        return _node(te.get_args(tp)[0], ns)
    if origin in (typing.Union, types.UnionType):
        args = [_resolve(a, ns) for a in te.get_args(tp)]
        emptyable = any(_is_empty_literal(a) for a in args)
        rest = [a for a in args if not _is_empty_literal(a)]
        literals = tuple(
            v for a in rest if te.get_origin(a) is typing.Literal for v in te.get_args(a)
        )
        others = [a for a in rest if te.get_origin(a) is not typing.Literal]
        if all(a is str for a in others):
            return Scalar("str", literals, emptyable)
        return replace(_node(others[0], ns), emptyable=emptyable)
    if origin is typing.Literal:
        return Scalar("str", tuple(te.get_args(tp)))
    if origin is list:
        return Array(_node(te.get_args(tp)[0], ns))
    if origin is dict or (isinstance(origin, type) and origin.__name__ == "UntypedStripeObject"):
        return Map()
    if te.is_typeddict(tp):
        return schema_of(tp)
    if tp in (str, bool, int):
        return Scalar(tp.__name__)
    if tp in (decimal.Decimal, float):  # numbers the API takes as decimal strings
        return Scalar("str")
    raise TypeError(f"cannot map {tp!r} to a parameter schema")


def schema_of(td: type) -> Hash:
    """Walk one generated TypedDict (request options and ``expand`` left out)."""
    ns = vars(sys.modules[td.__module__])
    fields = {k: _node(v, ns) for k, v in td.__annotations__.items() if k not in _SKIP}
    required: frozenset[str] = getattr(td, "__required_keys__", frozenset())  # a TypedDict's
    return Hash(fields, frozenset(required) - _SKIP)


CREATE = schema_of(ConfigurationCreateParams)
UPDATE = schema_of(ConfigurationUpdateParams)
LIST = schema_of(ConfigurationListParams)
RETRIEVE = schema_of(ConfigurationRetrieveParams)


def _bad(param: str, message: str, code: str | None = None) -> StripeError:
    return StripeError(400, "invalid_request_error", message, param=param, code=code)


def _sub(path: str, key: object) -> str:
    return f"{path}[{key}]" if path else str(key)


def _one_of(values: tuple[str, ...]) -> str:
    if len(values) <= 2:
        return " or ".join(values)
    return ", ".join(values[:-1]) + ", or " + values[-1]


def validate(node: Node, value: Any, path: str = "") -> Any:
    """Check ``value`` (form strings or Python values) against ``node``; return typed values.

    ``""`` where allowed becomes None for strings and maps (unset) and ``[]`` for lists.
    """
    if isinstance(value, str) and value == "":
        if node.emptyable:
            return [] if isinstance(node, Array) else None
        raise _bad(
            path,
            f"You passed an empty string for '{path}'. We assume empty values are an attempt "
            f"to unset a parameter; however '{path}' cannot be unset. You should remove "
            f"'{path}' from your request or supply a non-empty value.",
            "parameter_invalid_empty",
        )
    if isinstance(node, Scalar):
        return _scalar(node, value, path)
    if isinstance(node, Array):
        if isinstance(value, dict) and all(_INT.fullmatch(str(k)) for k in value):
            value = [value[k] for k in sorted(value, key=int)]
        if not isinstance(value, list | tuple):
            raise _bad(path, "Invalid array")
        return [validate(node.item, v, _sub(path, i)) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        raise _bad(path, "Invalid hash")
    if isinstance(node, Map):
        out: dict[str, str | None] = {}
        for k, v in value.items():
            if not isinstance(v, str):
                raise _bad(_sub(path, k), f"Invalid string: {_sub(path, k)} must be a string")
            out[str(k)] = v if v != "" else None
        return out
    for k in value:
        if k not in node.fields:
            raise _bad(
                _sub(path, k), f"Received unknown parameter: {_sub(path, k)}", "parameter_unknown"
            )
    result = {k: validate(node.fields[k], v, _sub(path, k)) for k, v in value.items()}
    for k in sorted(node.required - value.keys()):
        raise _bad(_sub(path, k), f"Missing required param: {_sub(path, k)}.", "parameter_missing")
    return result


def _scalar(node: Scalar, value: Any, path: str) -> Any:
    if node.kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise _bad(path, f"Invalid boolean: {value}")
    if node.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT.fullmatch(value):
            return int(value)
        raise _bad(path, f"Invalid integer: {value}", "parameter_invalid_integer")
    if not isinstance(value, str):
        raise _bad(path, f"Invalid string: {path} must be a string")
    check_length(path, value, MAX_STRING)
    if node.enum and value not in node.enum:
        raise _bad(path, f"Invalid {path}: must be one of {_one_of(node.enum)}")
    return value


def check_length(path: str, value: str, most: int) -> None:
    """Stripe's refusal of a string longer than ``most`` characters (the value cut short)."""
    if len(value) > most:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise _bad(path, f"Invalid string: {shown}; must be at most {most} characters")


def expansions(value: Any) -> list[str]:
    """The ``expand`` list, from ``expand[]=``, ``expand[0]=`` or a Python list."""
    if value is None:
        return []
    return validate(Array(Scalar("str")), value, "expand")
