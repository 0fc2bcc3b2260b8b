"""From the program's arguments to the resource's input properties.

Args classes, ArgsDicts and plain dicts all become plain dicts (None fields dropped), and
the resource adds what only the program knows: who manages the configuration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pulumi

from .names import READ_ONLY, RESOURCE_ONLY_FIELDS, WRITABLE_FIELDS
from .ownership import OWNER_KEY, owner_id


def to_inputs(value: Any) -> Any:
    """Args classes (at any depth, inside Outputs too) to plain dicts; None fields dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_inputs(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, pulumi.Output):
        return value.apply(to_inputs)
    if isinstance(value, Mapping):
        return {k: to_inputs(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_inputs(v) for v in value]
    return value


def resource_props(resource_name: str, args: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """The properties of ``PortalConfiguration(name, args, opts, **inputs)``: ``args`` (an
    Args class or a dict) first, keyword inputs over it."""
    props: dict[str, Any] = dict(to_inputs(args) if args is not None else {})
    props.update(to_inputs({k: v for k, v in inputs.items() if v is not None}))
    for name in (*WRITABLE_FIELDS, *RESOURCE_ONLY_FIELDS, *READ_ONLY):
        props.setdefault(name, None)
    props.pop("id", None)
    # Only the program knows who manages the configuration; the provider writes it down.
    props[OWNER_KEY] = owner_id(pulumi.get_project(), pulumi.get_stack(), resource_name)
    return props
