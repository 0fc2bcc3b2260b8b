"""Between the engine's wire and the operations' dicts.

Outside: ``PropertyValue`` maps with Pulumi's camelCase names, numbers as floats, unknowns
as ``Computed``. Inside: the plain dicts with the API's own snake_case names that
``PortalOperations`` takes from the dynamic provider too. The names are mapped by walking
the models' tree, so metadata keys (a map, not an object) are never renamed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue

from ..schema.shape import STRIPE_SET
from ..schema.tree import Node, root
from ..wire_names import camel

# The protocol's unknown value: what the engine reads as "known after apply". The SDK's
# marshal cannot send ``Computed`` (notes §8), so it goes as this string.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_ANY = Node("scalar")


_BY_CAMEL: dict[int, dict[str, str]] = {}  # the tree's nodes live as long as the process
_STRIPE_SET = {camel(name): name for name in STRIPE_SET}  # isDefault → is_default, ...


def _fields_by_camel(node: Node) -> dict[str, str]:
    found = _BY_CAMEL.get(id(node))
    if found is None:
        found = _BY_CAMEL[id(node)] = {camel(name): name for name in node.fields}
    return found


def _plain(value: PropertyValue) -> Any:
    """A PropertyValue as a plain value: Computed as Pulumi's ``Unknown``."""
    inner = value.value
    if isinstance(inner, Computed):
        return Unknown()
    if isinstance(inner, tuple):
        return [_plain(item) for item in inner]
    if isinstance(inner, Mapping):
        return {key: _plain(item) for key, item in inner.items()}
    return inner


def _to_api(node: Node, value: Any) -> Any:
    if isinstance(value, dict) and node.kind == "object":
        names = _fields_by_camel(node)
        out = {}
        for key, item in value.items():
            name = names.get(str(key), str(key))  # an unknown name stays, for check to name it
            out[name] = _to_api(node.fields.get(name, _ANY), item)
        return out
    if isinstance(value, list) and node.kind == "list":
        return [_to_api(node.item or _ANY, item) for item in value]
    return value


def to_api(props: dict[str, PropertyValue]) -> dict[str, Any]:
    """Engine properties → the operations' dict (snake_case, plain values); the outputs
    only Stripe sets (``isDefault``) are named as the API names them too."""
    plain = {_STRIPE_SET.get(key, key): _plain(value) for key, value in props.items()}
    return _to_api(root(), plain)


def _to_wire(node: Node, value: Any) -> PropertyValue:
    if isinstance(value, Unknown):
        return PropertyValue(UNKNOWN)
    if isinstance(value, dict):
        if node.kind == "object":
            return PropertyValue(
                {camel(k): _to_wire(node.fields.get(k, _ANY), v) for k, v in value.items()}
            )
        return PropertyValue({k: _to_wire(_ANY, v) for k, v in value.items()})
    if isinstance(value, list):
        return PropertyValue([_to_wire(node.item or _ANY, item) for item in value])
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return PropertyValue(value)
    if isinstance(value, (int, float)):
        return PropertyValue(float(value))
    raise TypeError(f"cannot send a {type(value).__name__} to the engine")


def to_wire(props: dict[str, Any]) -> dict[str, PropertyValue]:
    """The operations' dict → engine properties (camelCase, numbers as floats)."""
    node = root()
    out = {}
    for key, value in props.items():
        if key.startswith("__"):
            continue  # the dynamic provider's own (``__provider``): never on this wire
        out[camel(key)] = _to_wire(node.fields.get(key, _ANY), value)
    return out


def wire_path(path: str) -> str:
    """A check failure's path in the program's names: ``features.subscriptionCancel.mode``
    (metadata keys as they are)."""
    parts = path.split(".")
    out = []
    for index, part in enumerate(parts):
        out.append(camel(part))
        if part == "metadata":
            out.extend(parts[index + 1 :])
            break
    return ".".join(out)
