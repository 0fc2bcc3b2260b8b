"""Shape questions about the declaration tree, answered from the models.

Diff, params mapping and refresh all need the same facts (which lists are sets, which key
identifies a product, what is required); they read them here so the pydantic models stay
the one source of truth. ``root()`` is that tree as ``make generate`` writes it into
shape.py (the provider's diff, refresh and destroy then load no pydantic);
``model_node()`` reads it from the models themselves, model classes included.
"""

from __future__ import annotations

import json
import pickle
import types
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from .marks import SetLike, StripeDefault, Unset
from .node import Node

if TYPE_CHECKING:
    from pydantic import BaseModel


def _node(annotation: Any, metadata: tuple[Any, ...] = ()) -> Node:
    """``metadata`` is what pydantic already lifted out of a top-level ``Annotated``."""
    set_like = next((m for m in metadata if isinstance(m, SetLike)), None)
    default = next((m for m in metadata if isinstance(m, StripeDefault)), None)
    unset = next((m for m in metadata if isinstance(m, Unset)), None)
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            args = get_args(annotation)
            set_like = next((m for m in args[1:] if isinstance(m, SetLike)), set_like)
            default = next((m for m in args[1:] if isinstance(m, StripeDefault)), default)
            unset = next((m for m in args[1:] if isinstance(m, Unset)), unset)
            annotation = args[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            break
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        node = model_node(annotation)
        return Node("object", node.fields, node.required, default=default, model=annotation)
    if origin is list:
        return Node("list", item=_node(get_args(annotation)[0]), set_like=set_like, unset=unset)
    if origin is dict:
        return Node("map")
    if origin is Literal:
        return Node(
            "scalar", choices=get_args(annotation), default=default, unset=unset, type=annotation
        )
    return Node("scalar", default=default, unset=unset, type=annotation)


@cache
def model_node(model: type[BaseModel]) -> Node:
    fields = {
        name: _node(info.annotation, tuple(info.metadata))
        for name, info in model.model_fields.items()
    }
    required = frozenset(n for n, info in model.model_fields.items() if info.is_required())
    return Node("object", fields=fields, required=required, model=model)


def root() -> Node:
    """The resource's tree, as generated from the models into shape.py (checked against
    ``model_root()`` by ``make lint`` and a test), so reading it loads no pydantic."""
    from .shape import ROOT

    return ROOT


def model_root() -> Node:
    """The resource's tree read from the models themselves, each object with its class."""
    from .models import PortalConfigurationSpec

    return model_node(PortalConfigurationSpec)


def is_unknown(value: Any) -> bool:
    """A value preview does not know yet (``pulumi.output.Unknown``), told by its type so
    that the command line, which never sees one, need not import Pulumi."""
    kind = type(value)
    return kind.__name__ == "Unknown" and kind.__module__ == "pulumi.output"


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def is_empty(value: Any) -> bool:
    """None, "", [] and {} all mean "nothing declared" to Stripe."""
    return value is None or value == "" or value == [] or value == {}


def prune(value: Any) -> Any:
    """Drops empty leaves (None and "") from dicts so equal declarations look equal."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if item is None or item == "":
                continue
            out[key] = prune(item)
        return out
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def copied(value: Any) -> Any:
    """A deep copy of a declaration or Stripe answer (JSON data, maybe an unknown): a pickle
    round trip, a quarter of ``copy.deepcopy``'s cost on these trees (no memo, no per-value
    dispatch in Python); reads and the defaults copy one per resource and call."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def equal(node: Node, old: Any, new: Any) -> bool:
    """Whether Stripe would hold the same thing for ``old`` and ``new`` at this node.

    Set-like lists compare without order (by their key for objects); an unknown value is
    never equal to anything.
    """
    if is_unknown(old) or is_unknown(new):
        return False
    if is_empty(old) and is_empty(new):
        return True
    if node.kind == "object":
        if not isinstance(old, dict) or not isinstance(new, dict):
            return False
        return all(
            equal(node.fields.get(k, Node("scalar")), old.get(k), new.get(k))
            for k in set(old) | set(new)
        )
    if node.kind == "map":
        if not isinstance(old, dict) or not isinstance(new, dict):
            return False
        return all(
            (is_empty(old.get(k)) and is_empty(new.get(k))) or old.get(k) == new.get(k)
            for k in set(old) | set(new)
        )
    if node.kind == "list":
        if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
            return False
        item = node.item or Node("scalar")
        if node.set_like is None:
            return all(equal(item, a, b) for a, b in zip(old, new, strict=True))
        if node.set_like.key:
            key = node.set_like.key
            olds = {canonical(o.get(key)): o for o in old if isinstance(o, dict)}
            news = {canonical(n.get(key)): n for n in new if isinstance(n, dict)}
            if set(olds) != set(news):
                return False
            return all(equal(item, olds[k], news[k]) for k in olds)
        return sorted(map(canonical, old)) == sorted(map(canonical, new))
    return old == new


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Top-level properties whose declared value differs, in a stable order."""
    node = root()
    names = sorted(set(old) | set(new))
    return [
        name
        for name in names
        if name in node.fields
        # the same value (most of a diff): no walk; an unknown is never in a state
        and old.get(name) != new.get(name)
        and not equal(node.fields[name], old.get(name), new.get(name))
    ]


def changed_leaves(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted paths of the leaves that differ (a list counts as one leaf, a map key as one)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[str] = []
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            out.extend(changed_leaves(before.get(key), after.get(key), sub))
        return out
    if is_empty(before) and is_empty(after):
        return []
    return [] if canonical(before) == canonical(after) else [path]
