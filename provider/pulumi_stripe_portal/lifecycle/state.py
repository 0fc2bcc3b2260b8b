"""From Stripe's answer back to Pulumi: outputs, and the declaration Stripe really holds.

The outputs are the declared view: Stripe's value for every declared field, plus any field
set outside the program (a non-empty string or list, an enabled feature, an enum off its
default), so drift shows as a diff and ``pulumi up`` puts it back; beside it only what Stripe
alone sets (``created``, ``login_page.url``...). ``diff`` compares the program with that
view, so the state holds each value once. States written before this shape carry the whole
Stripe object and the view under ``_declared``; they keep working, and take this shape at
their next refresh or update.
"""

from __future__ import annotations

from typing import Any

from ..names import WRITABLE_FIELDS
from ..ownership import OWNER_KEY, without_marker
from ..schema.models import READ_ONLY as READ_ONLY_FIELDS
from ..schema.tree import Node, canonical, is_empty, prune, root
from .prices import fold, to_stripe

DECLARED_KEY = "_declared"  # the view, in states written before outputs became the view
# Marks a ``stripe_account`` output that came from the stack's config, not the declaration.
CONFIGURED_ACCOUNT = "_account_from_config"
STRIPE_SET = tuple(READ_ONLY_FIELDS[""])  # application, created, is_default, ...
# Objects and maps at the top: an empty one is what "nothing declared" means to diff.
TOP_OBJECTS = tuple(n for n, f in root().fields.items() if f.kind in ("object", "map"))


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
        projected = _project(node.item, item, partner if partner is not None else {})
        if key and isinstance(item, dict) and isinstance(projected, dict) and key in item:
            projected[key] = item[key]  # an item's identity is always shown, even an odd one
        out.append(projected)
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
    """Resource outputs: the declared view, what Stripe alone sets, and the account."""
    outs = declared_view(stripe_object, declared)
    for key in TOP_OBJECTS:  # present, so `portal.login_page.url` never meets a None
        outs.setdefault(key, {})
    outs.update({key: stripe_object.get(key) for key in STRIPE_SET})
    url = (stripe_object.get("login_page") or {}).get("url")
    if url:
        outs["login_page"] = {**(outs.get("login_page") or {}), "url": url}
    if account:
        outs["stripe_account"] = account
        if not declared.get("stripe_account"):
            outs[CONFIGURED_ACCOUNT] = True
    return outs


def declaration_of(props: dict[str, Any]) -> dict[str, Any]:
    """The declared view in a state's outputs (or the inputs, which are one already)."""
    old = props.get(DECLARED_KEY)
    if isinstance(old, dict):
        return old
    view = {
        k: v
        for k, v in props.items()
        if not k.startswith("__") and k not in STRIPE_SET and k not in (CONFIGURED_ACCOUNT, "id")
    }
    page = view.get("login_page")
    if isinstance(page, dict) and "url" in page:
        view["login_page"] = {k: v for k, v in page.items() if k != "url"}
    for key in TOP_OBJECTS:
        if view.get(key) == {}:
            del view[key]
    if props.get(CONFIGURED_ACCOUNT):
        view.pop("stripe_account", None)
    return view
