"""From Stripe's answer back to Pulumi: outputs, and the declaration Stripe really holds.

Outputs mirror the whole Stripe object. Beside them the state keeps ``_declared``: the
declaration as Stripe holds it, which is what ``diff`` compares the program with. After a
refresh it is Stripe's value for every declared field, plus any field set outside the
program (a non-empty string or list, an enabled feature, an enum off its default), so drift
shows as a diff and ``pulumi up`` puts it back.
"""

from __future__ import annotations

from typing import Any

from .names import READ_ONLY, WRITABLE_FIELDS
from .ownership import OWNER_KEY, without_marker
from .prices import fold, to_stripe
from .tree import Node, canonical, is_empty, prune, root

DECLARED_KEY = "_declared"


def _notable(node: Node, value: Any) -> bool:
    """Whether an undeclared value differs from what Stripe holds when nothing is declared."""
    if is_empty(value):
        return False
    if node.default is not None:
        return canonical(value) != canonical(node.default.value)
    if node.kind == "scalar":
        if isinstance(value, bool):
            return value
        return isinstance(value, str) and not node.choices
    return node.kind in ("list", "map")


def _project(node: Node, held: Any, declared: Any) -> Any:
    """Stripe's value ``held`` in the shape of ``declared`` (None when undeclared)."""
    if node.kind == "object":
        return _project_object(node, held, declared)
    if node.kind == "list":
        return _project_list(node, held, declared)
    if node.kind == "map":
        return dict(held) if isinstance(held, dict) else {}
    if held is None and node.default is not None:
        return node.default.value  # Stripe reads back null for some defaults
    return held


def _project_object(node: Node, held: Any, declared: Any) -> Any:
    if not isinstance(held, dict):
        return None
    if declared is None:
        if node.default is not None:
            return prune(held) if _notable(node, held) else None
        if "enabled" in node.fields and held.get("enabled") is not True:
            return None  # an undeclared, disabled block is what "not declared" means
    mine_all = declared if isinstance(declared, dict) else {}
    out = {}
    for key, child in node.fields.items():
        mine = mine_all.get(key)
        if mine is None and child.kind != "object" and not _notable(child, held.get(key)):
            continue
        value = _project(child, held.get(key), mine)
        if value is not None:
            out[key] = value
    return out if (out or declared is not None) else None


def _project_list(node: Node, held: Any, declared: Any) -> list[Any]:
    if not isinstance(held, list):
        return []
    if node.item is None or node.item.kind != "object":
        return list(held)
    mine = declared if isinstance(declared, list) else []
    key = node.set_like.key if node.set_like else None
    by_key = {canonical(d.get(key)): d for d in mine if isinstance(d, dict)} if key else {}
    out = []
    for index, item in enumerate(held):
        if key:  # an item that is not an object (odd answer) has no partner
            partner = by_key.get(canonical(item.get(key))) if isinstance(item, dict) else None
        else:
            partner = mine[index] if index < len(mine) else None
        out.append(_project(node.item, item, partner if partner is not None else {}))
    return out


def declared_view(stripe_object: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    """The declaration that Stripe holds now, shaped like ``declared``."""
    held = {key: stripe_object.get(key) for key in WRITABLE_FIELDS}
    held["metadata"] = without_marker(held["metadata"])
    view = _project_object(root(), held, to_stripe(declared)) or {}
    view["active"] = bool(stripe_object.get("active", True))
    # What only the resource knows: Stripe cannot disagree with these, so refresh keeps them.
    for key in ("stripe_account", "adopt", OWNER_KEY):
        if declared.get(key):
            view[key] = declared[key]
    return fold(view, declared)  # key-resolved prices shown as their lookup keys again


def outputs(
    stripe_object: dict[str, Any], declared: dict[str, Any], account: str | None
) -> dict[str, Any]:
    """Resource outputs: the Stripe object, the account it lives in, and the declared view."""
    outs = {key: stripe_object.get(key) for key in (*WRITABLE_FIELDS, *READ_ONLY)}
    outs["metadata"] = without_marker(outs["metadata"])
    outs["stripe_account"] = account
    outs[DECLARED_KEY] = declared_view(stripe_object, declared)
    for key, value in stripe_object.items():  # fields of a newer API version: shown as held
        if key not in outs and key != "object" and not key.startswith("_"):
            outs[key] = value
    return outs
