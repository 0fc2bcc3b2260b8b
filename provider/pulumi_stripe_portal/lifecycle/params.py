"""Maps declarations to the form parameters Stripe receives.

Create sends only what is declared (Stripe rejects ``""`` for URLs on create). An update
(and an adoption) sends what differs between what Stripe holds and what it should hold for
the declaration, so whatever the program no longer declares is unset: ``""`` for strings and
lists, ``""`` per removed metadata key, Stripe's default for enums that cannot be unset, and a
removed feature block back to its defaults inside too. The stripe SDK drops ``None`` and
empty lists, so every unset is spelled out here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..names import RESOURCE_ONLY_FIELDS
from ..ownership import MARKER
from ..schema.defaults import expected, held
from ..schema.tree import Node, equal, is_empty, root
from .prices import to_stripe

_SKIP = object()


def _writable(declaration: dict[str, Any]) -> dict[str, Any]:
    declaration = to_stripe(declaration)  # lookup keys become price ids
    return {k: v for k, v in declaration.items() if k not in RESOURCE_ONLY_FIELDS}


def _full(node: Node, value: Any) -> Any:
    """The whole declared value at ``node``, empties left out."""
    if node.kind == "object":
        out = {}
        for key, child in node.fields.items():
            item = value.get(key)
            if not is_empty(item):
                out[key] = _full(child, item)
            elif key in node.required and child.kind == "list":
                out[key] = ""  # a required list declared empty
        return out
    if node.kind == "list":
        item_node = node.item or Node("scalar")
        return [_full(item_node, item) for item in value] if value else ""
    if node.kind == "map":
        return {k: v for k, v in value.items() if not is_empty(v)}
    return value


# Stripe requires ``features`` on create, and the SDK sends nothing for an empty hash. A
# declaration with no feature blocks means "every feature disabled", which this spells out.
NO_FEATURES = {"invoice_history": {"enabled": False}}


def create_params(declaration: dict[str, Any], owner: str | None = None) -> dict[str, Any]:
    """Parameters for ``POST /v1/billing_portal/configurations``, marker included."""
    params = _full(root(), _writable(declaration))
    if not params.get("features"):
        params["features"] = dict(NO_FEATURES)
    if owner:
        params["metadata"] = {**params.get("metadata", {}), MARKER: owner}
    return params


@cache
def _required_on_update(path: tuple[str, ...]) -> frozenset[str]:
    """Keys Stripe needs beside any change inside the object at ``path``.

    Read from the SDK's generated ``ConfigurationModifyParams*`` TypedDicts, whose names
    follow the parameter path (``...FeaturesSubscriptionPauseDuration``).
    """
    name = "ConfigurationModifyParams" + "".join(
        word.capitalize() for part in path for word in part.split("_")
    )
    from stripe.params import billing_portal as modify_params  # only when an update needs it

    typed = getattr(modify_params, name, None)
    return frozenset(getattr(typed, "__required_keys__", ()))


def _unset(node: Node, old: Any) -> Any:
    """What to send so Stripe forgets ``old``, or _SKIP when nothing can be sent."""
    if node.kind == "list":
        return ""
    if node.kind == "map":
        return {key: "" for key in old}
    if node.kind == "scalar":
        if node.default is not None:
            return node.default.value
        if isinstance(old, bool):
            return False
        if isinstance(old, str) and not node.choices:
            return ""
        return _SKIP
    return _SKIP  # an object: the target tree (defaults.expected) spells out its defaults


def _delta(node: Node, old: dict[str, Any], new: dict[str, Any], path: tuple[str, ...]) -> dict:
    out: dict[str, Any] = {}
    for key, child in node.fields.items():
        before: Any = old.get(key)
        after: Any = new.get(key)
        if equal(child, before, after):
            continue
        if is_empty(after):
            value = _unset(child, before)
            if value is not _SKIP:
                out[key] = value
        elif child.kind == "object" and isinstance(before, dict) and before:
            sub = _delta(child, before, after, (*path, key))
            for required in _required_on_update((*path, key)):
                if required not in sub and not is_empty(after.get(required)):
                    sub[required] = _full(child.fields[required], after[required])
            out[key] = sub
        elif child.kind == "map":
            before = before if isinstance(before, dict) else {}
            changes = {k: v for k, v in after.items() if before.get(k) != v}
            changes.update({k: "" for k in before if is_empty(after.get(k))})
            out[key] = changes
        else:
            out[key] = _full(child, after)
    return out


def exact_params(
    stripe_object: dict[str, Any], declaration: dict[str, Any], owner: str | None
) -> dict[str, Any]:
    """Parameters that make ``stripe_object`` hold exactly ``declaration`` (and the marker).

    Compares what Stripe holds with what it holds for the declaration, leaf by leaf, so
    whatever the declaration leaves out goes back to Stripe's default, inside disabled
    blocks too. Adoption and update both use it; an empty result means nothing to write.
    """
    before, after = held(stripe_object), expected(to_stripe(declaration))
    mark = owner or before["metadata"].get(MARKER)
    if mark:
        after["metadata"][MARKER] = mark
    params = _delta(root(), before, after, ())
    active = declaration.get("active", True)
    if bool(stripe_object.get("active", True)) != active:
        params["active"] = active
    return params
