"""Flat views of three descriptions of the portal-configuration tree, walked independently:

- the stripe SDK's request TypedDicts (``ConfigurationCreateParams`` / ``...ModifyParams``),
- the SDK's response class ``stripe.billing_portal.Configuration`` (annotations and nested
  ``StripeObject`` classes),
- our pydantic models (``models.PortalConfigurationSpec``).

Each becomes ``{dotted path: Field}``; items of object lists sit under ``path[]``, e.g.
``features.subscription_update.products[].prices``. Nothing here reads the provider's
tree.py or the emulator's spec.py, so a bug there cannot hide a difference.
"""

from __future__ import annotations

import sys
import types
import typing
from dataclasses import dataclass
from typing import Any

import typing_extensions as te
from pydantic import BaseModel
from stripe import RequestOptions, StripeObject

SKIPPED_PARAMS = frozenset(RequestOptions.__annotations__) | {"expand"}


@dataclass(frozen=True)
class Field:
    """One position: kind of value (``object``, ``map``, ``str``, ``bool``, ``int``), whether
    it is a list of them, whether it is required in its parent, and its enum values."""

    kind: str
    is_list: bool = False
    required: bool = False
    enum: frozenset[str] | None = None

    def describe(self) -> str:
        text = f"list[{self.kind}]" if self.is_list else self.kind
        return text + (f" enum {sorted(self.enum)}" if self.enum else "")


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


# request TypedDicts --------------------------------------------------------------------------


def _resolve(tp: Any, ns: dict[str, Any]) -> Any:
    if isinstance(tp, typing.ForwardRef):
        tp = tp.__forward_arg__
    if isinstance(tp, str):
        return eval(tp, ns)  # noqa: S307 - the SDK's own annotation strings
    return tp


def _is_empty_literal(tp: Any) -> bool:
    return te.get_origin(tp) is typing.Literal and te.get_args(tp) == ("",)


def _param_type(tp: Any, ns: dict[str, Any]) -> tuple[str, bool, frozenset[str] | None, Any]:
    """(kind, is_list, enum, TypedDict or None) of one parameter annotation."""
    tp = _resolve(tp, ns)
    origin = te.get_origin(tp)
    if origin in (typing.NotRequired, typing.Required, te.NotRequired, te.Required):
        return _param_type(te.get_args(tp)[0], ns)
    if origin in (typing.Union, types.UnionType):
        args = [_resolve(a, ns) for a in te.get_args(tp) if not _is_empty_literal(_resolve(a, ns))]
        literals = [a for a in args if te.get_origin(a) is typing.Literal]
        others = [a for a in args if te.get_origin(a) is not typing.Literal]
        if literals and all(a is str for a in others):
            values = frozenset(v for a in literals for v in te.get_args(a))
            return "str", False, values, None
        if len(others) == 1:
            return _param_type(others[0], ns)
        maps = [a for a in others if _is_map(a)]
        if maps and len(maps) == len(others):
            return "map", False, None, None
        raise TypeError(f"cannot read parameter type {tp!r}")
    if origin is typing.Literal:
        return "str", False, frozenset(te.get_args(tp)), None
    if origin is list:
        kind, _, enum, td = _param_type(te.get_args(tp)[0], ns)
        return kind, True, enum, td
    if _is_map(tp):
        return "map", False, None, None
    if te.is_typeddict(tp):
        return "object", False, None, tp
    if tp in (str, bool, int):
        return tp.__name__, False, None, None
    raise TypeError(f"cannot read parameter type {tp!r}")


def _is_map(tp: Any) -> bool:
    origin = te.get_origin(tp)
    return origin is dict or (isinstance(origin, type) and origin.__name__ == "UntypedStripeObject")


def params_tree(td: type, prefix: str = "") -> dict[str, Field]:
    """Every parameter path of one of the SDK's params TypedDicts."""
    ns = vars(sys.modules[td.__module__])
    required = frozenset(td.__required_keys__)
    out: dict[str, Field] = {}
    for key, annotation in td.__annotations__.items():
        if key in SKIPPED_PARAMS:
            continue
        kind, is_list, enum, nested = _param_type(annotation, ns)
        path = _join(prefix, key)
        out[path] = Field(kind, is_list, key in required, enum)
        if nested is not None:
            out.update(params_tree(nested, path + ("[]" if is_list else "")))
    return out


# response class ------------------------------------------------------------------------------


def _response_type(tp: Any) -> tuple[str, bool, frozenset[str] | None, Any]:
    if isinstance(tp, str | typing.ForwardRef):
        return "str", False, None, None  # an expandable id (``ExpandableField["X"]``)
    origin = te.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in te.get_args(tp) if a is not type(None)]
        literals = [a for a in args if te.get_origin(a) is typing.Literal]
        others = [a for a in args if te.get_origin(a) is not typing.Literal]
        if literals and all(a is str for a in others):
            return "str", False, frozenset(v for a in literals for v in te.get_args(a)), None
        if all(a is str or isinstance(a, str | typing.ForwardRef) for a in others):
            return "str", False, None, None
        return _response_type(others[0])
    if origin is typing.Literal:
        return "str", False, frozenset(te.get_args(tp)), None
    if origin is list:
        kind, _, enum, cls = _response_type(te.get_args(tp)[0])
        return kind, True, enum, cls
    if _is_map(tp):
        return "map", False, None, None
    if isinstance(tp, type) and issubclass(tp, StripeObject):
        return "object", False, None, tp
    if tp in (str, bool, int):
        return tp.__name__, False, None, None
    raise TypeError(f"cannot read response type {tp!r}")


def response_tree(cls: type, prefix: str = "") -> dict[str, Field]:
    """Every attribute path of a response class and its nested ``StripeObject`` classes."""
    out: dict[str, Field] = {}
    for key, annotation in cls.__annotations__.items():
        if key.startswith("_") or te.get_origin(annotation) is typing.ClassVar:
            continue
        kind, is_list, enum, nested = _response_type(annotation)
        path = _join(prefix, key)
        out[path] = Field(kind, is_list, False, enum)
        if nested is not None:
            out.update(response_tree(nested, path + ("[]" if is_list else "")))
    return out


# pydantic models -----------------------------------------------------------------------------


def _model_type(tp: Any) -> tuple[str, bool, frozenset[str] | None, Any]:
    origin = te.get_origin(tp)
    if origin is typing.Annotated:
        return _model_type(te.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in te.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"cannot read model type {tp!r}")
        return _model_type(args[0])
    if origin is typing.Literal:
        return "str", False, frozenset(te.get_args(tp)), None
    if origin is list:
        kind, _, enum, model = _model_type(te.get_args(tp)[0])
        return kind, True, enum, model
    if origin is dict:
        return "map", False, None, None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "object", False, None, tp
    if tp in (str, bool, int):
        return tp.__name__, False, None, None
    raise TypeError(f"cannot read model type {tp!r}")


def model_tree(model: type[BaseModel], prefix: str = "") -> dict[str, Field]:
    """Every field path of a pydantic model tree."""
    out: dict[str, Field] = {}
    for key, info in model.model_fields.items():
        kind, is_list, enum, nested = _model_type(info.annotation)
        path = _join(prefix, key)
        out[path] = Field(kind, is_list, info.is_required(), enum)
        if nested is not None:
            out.update(model_tree(nested, path + ("[]" if is_list else "")))
    return out


def model_classes(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class reachable from ``model``, by name."""
    out = {model.__name__: model}
    for info in model.model_fields.values():
        nested = _model_type(info.annotation)[3]
        if nested is not None:
            out.update(model_classes(nested))
    return out
