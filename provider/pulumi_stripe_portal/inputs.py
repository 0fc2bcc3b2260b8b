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


def resource_props(
    resource_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """The properties and options of ``PortalConfiguration(name, [args], [opts], **inputs)``."""
    positional = list(args)
    declared: Any = None
    if positional and not isinstance(positional[0], pulumi.ResourceOptions):
        declared = positional.pop(0)
    opts = positional.pop(0) if positional else kwargs.pop("opts", None)
    declared = kwargs.pop("args", declared)
    if positional:
        raise TypeError("PortalConfiguration() takes at most 3 positional arguments")
    props: dict[str, Any] = dict(to_inputs(declared) if declared is not None else {})
    props.update(to_inputs(kwargs))  # unknown names reach check, which names them
    for name in (*WRITABLE_FIELDS, *RESOURCE_ONLY_FIELDS, *READ_ONLY):
        props.setdefault(name, None)
    props.pop("id", None)
    # Only the program knows who manages the configuration; the provider writes it down.
    props[OWNER_KEY] = owner_id(pulumi.get_project(), pulumi.get_stack(), resource_name)
    return props, opts
