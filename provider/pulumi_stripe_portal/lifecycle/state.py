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
from ..schema.defaults import expected, restored
from ..schema.shape import STRIPE_SET as STRIPE_SET
from ..schema.tree import Node, canonical, is_empty, prune, root
from .prices import RESOLVED_KEY, fold, to_stripe

DECLARED_KEY = "_declared"  # the view, in states written before outputs became the view
# Marks a ``stripe_account`` output that came from the stack's config, not the declaration.
CONFIGURED_ACCOUNT = "_account_from_config"
# Objects and maps at the top: an empty one is what "nothing declared" means to diff.
TOP_OBJECTS = tuple(n for n, f in root().fields.items() if f.kind in ("object", "map"))
# What only the resource knows, kept in the view beside Stripe's values.
HIDDEN = ("stripe_account", "adopt", OWNER_KEY, RESOLVED_KEY)


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


def without_sdk_keys(props: dict[str, Any]) -> dict[str, Any]:
    """Inputs without what the SDK adds (``__provider``, a new pickle each program run)."""
    return {k: v for k, v in props.items() if not k.startswith("__")}


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


def held_outputs(outs: dict[str, Any]) -> dict[str, Any]:
    """``outputs`` with every undeclared leaf at what Stripe holds there (``false``, ``[]``,
    ``at_period_end``), for a face whose programs read the state as it is (the plugin):
    the Python output classes restore the same leaves on read instead."""
    node, out = root(), dict(outs)
    for name in WRITABLE_FIELDS:
        if node.fields[name].kind == "object" and isinstance(out.get(name), dict):
            out[name] = restored(node.fields[name], out[name])
    return out


def view_of(held: dict[str, Any], declaration: dict[str, Any]) -> dict[str, Any]:
    """The declared view behind ``held_outputs`` again: ``held`` projected with the
    declaration that made it (the old inputs), which is what diff, update and refresh
    compare with. Idempotent, so a state written as the view itself reads the same."""
    return outputs(to_stripe(held), declaration, held.get("stripe_account"))


def in_place_of_old_inputs(held: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """For an engine that sends no old inputs: the new declaration with the state's hidden
    inputs, so a value Stripe holds either way is no change and the owner, account and
    resolved prices still compare with what the state records."""
    out = {k: v for k, v in news.items() if k not in HIDDEN}
    out.update({k: held[k] for k in HIDDEN if k in held})
    if held.get(CONFIGURED_ACCOUNT):
        out.pop("stripe_account", None)
    return out


def planned_outputs(
    declared: dict[str, Any], before: dict[str, Any] | None, account: str | None, unknown: Any
) -> dict[str, Any]:
    """The outputs an apply will record, told at preview without asking Stripe: Stripe then
    holds exactly the declaration; what only Stripe sets stays as ``before`` holds it, or is
    ``unknown`` (the protocol's "known after apply") for a configuration not made yet."""
    obj: dict[str, Any] = {**expected(to_stripe(declared)), "active": declared.get("active", True)}
    for key in STRIPE_SET:
        obj[key] = before.get(key) if before is not None else unknown
    obj["updated"] = unknown  # Stripe stamps every write
    page = obj["login_page"] = dict(obj.get("login_page") or {})
    was = (before or {}).get("login_page") or {}
    if page.get("enabled") is True:
        page["url"] = was.get("url") if was.get("enabled") is True and was.get("url") else unknown
    return outputs(obj, declared, account)
