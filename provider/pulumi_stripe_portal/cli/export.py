"""Existing configurations as a Pulumi program: what ``stripe-portal export`` writes.

Each configuration becomes a ``PortalConfiguration`` with ``adopt=``, declaring every field
whose value differs from Stripe's default (and nothing else), so that ``pulumi up`` on the
program changes nothing in Stripe but the ownership marker. This module chooses what to
declare, once for every language; render_program.py writes it in Python, YAML, TypeScript
or Go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..ownership import without_marker
from ..schema.defaults import ADJUSTABLE_QUANTITY_DEFAULT, INTERVAL_COUNT_DEFAULT, defaults, held
from ..schema.tree import Node, equal, is_empty, root
from .render_program import LANGUAGES, Portal, Program

_SAME = object()
# Defaults of list items, which Stripe fills per item (keyed by the list's field name).
_ITEM_DEFAULTS: dict[str, dict[str, Any]] = {
    "products": {"adjustable_quantity": ADJUSTABLE_QUANTITY_DEFAULT},
    "interval_options": {"interval_count": INTERVAL_COUNT_DEFAULT},
}


# Keyword order in the program: the short, identifying fields first, features last.
_ORDER = [
    "name",
    "default_return_url",
    "business_profile",
    "login_page",
    "metadata",
    "features",
    "active",
]


def _minimal(node: Node, value: Any, default: Any, name: str = "") -> Any:
    """``value`` less whatever equals ``default``; _SAME when nothing differs."""
    if node.kind == "object":
        if not isinstance(value, dict):
            return _SAME
        default = default if isinstance(default, dict) else {}
        out = {}
        for key, child in node.fields.items():
            if key in value:
                sub = _minimal(child, value.get(key), default.get(key), key)
                if sub is not _SAME:
                    out[key] = sub
        if not out:
            return _SAME
        for key in node.required:  # e.g. `enabled`, `options`, `type`
            if key not in out and value.get(key) is not None:
                out[key] = value[key]
        return {k: out[k] for k in node.fields if k in out}
    if node.kind == "list":
        if equal(node, value, default):
            return _SAME
        if node.item is not None and node.item.kind == "object":
            return [_item(node.item, item, _ITEM_DEFAULTS.get(name, {})) for item in value]
        return list(value)
    if node.kind == "map":
        mine = without_marker(value) or {}
        return dict(mine) if mine else _SAME
    if value == default or (is_empty(value) and is_empty(default)):
        return _SAME
    return value


def _item(node: Node, value: dict[str, Any], default: dict[str, Any]) -> dict[str, Any]:
    out = _minimal(node, value, default)
    out = {} if out is _SAME else out
    for key in node.required:
        out.setdefault(key, value[key])
    return {k: out[k] for k in node.fields if k in out}


def declaration(stripe_object: dict[str, Any]) -> dict[str, Any]:
    """The smallest declaration that makes Stripe hold what ``stripe_object`` holds."""
    out = _minimal(root(), held(stripe_object), defaults())
    out = {} if out is _SAME else out
    out.setdefault("features", {})
    if not stripe_object.get("active", True):
        out["active"] = False
    return out


def resource_name(config: dict[str, Any], taken: set[str]) -> str:
    """A readable, unique resource name from the configuration's name."""
    base = re.sub(r"[^a-z0-9]+", "-", (config.get("name") or "").lower()).strip("-")
    if not base:
        base = "default-portal" if config.get("is_default") else f"portal-{config['id'][-6:]}"
        base = base.lower()
    if base[0].isdigit():
        base = f"portal-{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def portals(configs: Iterable[dict[str, Any]], stripe_account: str | None) -> list[Portal]:
    """Each configuration's resource name and arguments: what adopts it, then what differs
    from Stripe's defaults (snake_case, in the program's order)."""
    taken: set[str] = set()
    out = []
    for config in configs:
        name = resource_name(config, taken)
        properties: dict[str, Any] = {
            "adopt": "default" if config.get("is_default") else config["id"]
        }
        if stripe_account:
            properties["stripe_account"] = stripe_account
        declared = declaration(config)
        for key in sorted(declared, key=_ORDER.index):
            properties[key] = declared[key]
        out.append(Portal(name, properties))
    return out


def program(
    configs: Iterable[dict[str, Any]],
    *,
    stripe_account: str | None = None,
    now: datetime | None = None,
    managed: dict[str, str] | None = None,
    language: str = "python",
) -> str:
    """A complete program in ``language`` (one of LANGUAGES) that adopts every
    configuration in ``configs``; ``managed`` (id → owner) are named in its summary as
    left to their stacks."""
    configs = list(configs)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    modes = sorted({"live" if c.get("livemode") else "test" for c in configs}) or ["test"]
    where = f" of connected account {stripe_account}" if stripe_account else ""
    title = f"Stripe customer portal configurations{where} ({'/'.join(modes)} mode)"
    summary = [
        f"{title}, exported by",
        f"stripe-portal on {stamp}.",
        "",
        "`pulumi up` adopts each one; Stripe then holds exactly what is declared here.",
        *(
            f"Left out, managed by another Pulumi stack: {config_id} ({owner})."
            for config_id, owner in (managed or {}).items()
        ),
    ]
    render = LANGUAGES[language]
    return render(Program(title, summary, portals(configs, stripe_account)))
