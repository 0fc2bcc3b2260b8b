"""The limits the pydantic models put on a declaration, read from their field metadata.

``limits()`` walks ``PortalConfigurationSpec`` and yields one ``Limit`` per limit: annotated_types
``Ge``/``Gt``/``Le``/``Lt``/``MaxLen``/``MinLen``, patterns, ``Literal`` enums (list items
included), the models' ``str_max_length`` where a string has no tighter bound, and the
metadata limits. A constraint it does not know becomes an ``unknown`` limit, so the agreement
test names it instead of skipping it. ``put`` builds the parents a value needs from the
models' required fields. Nothing here copies a number from the models.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import typing_extensions as te
from annotated_types import BaseMetadata, Ge, Gt, Le, Lt, MaxLen, MinLen
from api_tree import params_tree
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from stripe.params.billing_portal import ConfigurationCreateParams

from pulumi_stripe_portal.schema import models
from pulumi_stripe_portal.schema.models import PortalConfigurationSpec

Keys = tuple[str | int, ...]

# The resource's own inputs: model fields that are not create parameters (``stripe_account``
# is a request option, sent as a header).
RESOURCE_ONLY = frozenset(PortalConfigurationSpec.model_fields) - {
    path for path in params_tree(ConfigurationCreateParams) if "." not in path
}


# the limits, read from the models ----------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """One limit at one position. ``keys`` lead to the field (list items at index 0);
    ``in_list`` means the limit is on the items of the list at ``keys``."""

    path: str
    kind: str  # ge, le, gt, lt, max_length, min_length, enum, pattern, metadata_*, or unknown
    bound: Any
    keys: Keys
    in_list: bool = False
    url: bool = False  # a string that must look like a URL to be valid
    extension: bool = False  # under a field of ours that Stripe never sees

    def not_sent(self) -> str | None:
        """Why no case for this limit goes to Stripe, or None when cases do."""
        if self.path.split(".")[0] in RESOURCE_ONLY:
            return "the resource's own input (not a parameter of the API)"
        if self.extension:
            return "our extension: the provider resolves it before Stripe sees the request"
        return None


def _flat(extras: tuple[Any, ...] | list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in extras:
        out.extend(_flat(item.metadata) if isinstance(item, FieldInfo) else [item])
    return out


def unwrap(tp: Any, extras: list[Any]) -> tuple[Any, list[Any]]:
    while True:
        origin = te.get_origin(tp)
        if origin is typing.Annotated:
            args = te.get_args(tp)
            tp, extras = args[0], extras + _flat(args[1:])
        elif origin in (typing.Union, types.UnionType):
            (tp,) = [a for a in te.get_args(tp) if a is not type(None)]
        else:
            return tp, extras


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _known_metadata(extra: Any) -> bool:
    """Metadata that is no limit (strictness) or read as a pattern above."""
    return type(extra).__name__ == "Strict" or bool(getattr(extra, "pattern", None))


def _scalar_limits(
    tp: Any, extras: list[Any], model: type[BaseModel], path: str, keys: Keys, in_list: bool
) -> Iterator[Limit]:
    if te.get_origin(tp) is typing.Literal:
        yield Limit(path, "enum", te.get_args(tp), keys, in_list)
        return
    pattern = next((e.pattern for e in extras if getattr(e, "pattern", None)), None)
    url = bool(pattern and "http" in pattern)
    if pattern:
        yield Limit(path, "pattern", pattern, keys, in_list, url)
    named = {Ge: "ge", Gt: "gt", Le: "le", Lt: "lt", MaxLen: "max_length", MinLen: "min_length"}
    kinds = set()
    for extra in extras:
        kind = named.get(type(extra))
        if kind is not None:
            kinds.add(kind)
            yield Limit(path, kind, getattr(extra, kind), keys, in_list, url)
        elif isinstance(extra, BaseMetadata) and not _known_metadata(extra):
            yield Limit(path, f"unknown {type(extra).__name__}", extra, keys, in_list)
    most = model.model_config.get("str_max_length")
    if tp is str and "max_length" not in kinds and most:
        yield Limit(path, "max_length", most, keys, in_list, url)


def _field_limits(
    tp: Any, extras: list[Any], model: type[BaseModel], path: str, keys: Keys, in_list: bool
) -> Iterator[Limit]:
    tp, extras = unwrap(tp, extras)
    origin = te.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield from limits(tp, path, keys)
    elif origin is list:
        yield from _scalar_limits(list, extras, model, path, keys, False)
        item, item_extras = unwrap(te.get_args(tp)[0], [])
        if isinstance(item, type) and issubclass(item, BaseModel):
            yield from limits(item, path + "[]", (*keys, 0))
        else:
            yield from _field_limits(item, item_extras, model, path + "[]", keys, True)
    elif origin is dict and path == "metadata":
        yield Limit(path, "metadata_keys", models.MAX_METADATA_KEYS, keys)
        yield Limit(path, "metadata_key_length", models.MAX_METADATA_KEY_LENGTH, keys)
        yield Limit(path, "metadata_value_length", models.MAX_METADATA_VALUE_LENGTH, keys)
    elif origin is dict:
        yield Limit(path, "unknown map", None, keys)
    else:
        yield from _scalar_limits(tp, extras, model, path, keys, in_list)


def _is_extension(info: FieldInfo) -> bool:
    _, extras = unwrap(info.annotation, _flat(info.metadata))
    return any(isinstance(extra, models.Extension) for extra in extras)


def limits(
    model: type[BaseModel] = PortalConfigurationSpec, path: str = "", keys: Keys = ()
) -> Iterator[Limit]:
    """Every limit of the writable tree (and of the resource's own inputs)."""
    for name, info in model.model_fields.items():
        found = _field_limits(
            info.annotation, list(info.metadata), model, _join(path, name), (*keys, name), False
        )
        extension = _is_extension(info)
        for limit in found:
            yield replace(limit, extension=True) if extension else limit


# building declarations ---------------------------------------------------------------------


def model_of(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    tp, _ = unwrap(model.model_fields[name].annotation, [])
    if te.get_origin(tp) is list:
        tp, _ = unwrap(te.get_args(tp)[0], [])
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def first_value(tp: Any, extras: list[Any]) -> Any:
    """The first value a required field can take (used to build parents a case needs)."""
    tp, extras = unwrap(tp, extras)
    origin = te.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return filler(tp)
    if origin is typing.Literal:
        return te.get_args(tp)[0]
    if origin is list:
        low = next((e.min_length for e in extras if isinstance(e, MinLen)), 0)
        return [first_value(te.get_args(tp)[0], []) for _ in range(low)]
    if origin is dict:
        return {}
    if tp is bool:
        return False
    if tp is int:
        return next((int(e.ge) for e in extras if isinstance(e, Ge)), 1)
    return "x"


def filler(model: type[BaseModel]) -> dict[str, Any]:
    return {
        name: first_value(info.annotation, list(info.metadata))
        for name, info in model.model_fields.items()
        if info.is_required()
    }


def put(declaration: dict[str, Any], keys: Keys, value: Any) -> dict[str, Any]:
    """A copy of ``declaration`` with ``value`` at ``keys``, missing parents filled in."""
    out = copy.deepcopy(declaration)
    node: Any = out
    model: type[BaseModel] = PortalConfigurationSpec
    for key, nxt in zip(keys[:-1], keys[1:], strict=True):
        if isinstance(key, int):
            while len(node) <= key:
                node.append(filler(model))
            node = node[key]
            continue
        child = model_of(model, key)
        if not isinstance(node.get(key), dict | list):
            node[key] = [] if isinstance(nxt, int) else filler(child) if child else {}
        node = node[key]
        model = child or model
    node[keys[-1]] = value
    return out


def get(declaration: dict[str, Any], keys: Keys) -> Any:
    node: Any = declaration
    for key in keys:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and len(node) > key else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
    return node


def list_field(limit: Limit) -> tuple[Any, list[Any]]:
    """The annotation and metadata of the list field at ``limit.keys``."""
    model: type[BaseModel] = PortalConfigurationSpec
    for key in limit.keys[:-1]:
        if isinstance(key, str):
            model = model_of(model, key) or model
    info = model.model_fields[str(limit.keys[-1])]
    return unwrap(info.annotation, _flat(info.metadata))
