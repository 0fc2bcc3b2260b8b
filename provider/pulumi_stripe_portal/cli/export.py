"""Existing configurations as a Pulumi program: what ``stripe-portal export`` writes.

Each configuration becomes a ``PortalConfiguration`` with ``adopt=``, declaring every field
whose value differs from Stripe's default (and nothing else), so that ``pulumi up`` on the
program changes nothing in Stripe but the ownership marker. The text is already in the
shape ``ruff format`` gives it: collections are spelled out one item per line with a
trailing comma, which the formatter keeps as it is.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..ownership import without_marker
from ..schema.defaults import ADJUSTABLE_QUANTITY_DEFAULT, INTERVAL_COUNT_DEFAULT, defaults, held
from ..schema.tree import Node, equal, is_empty, root

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


def literal(value: Any, indent: int = 0) -> str:
    """A Python literal of JSON-like data, exploded one item per line (formatter-stable)."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{literal(k)}: {literal(v, indent + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{literal(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, str):
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


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


def variable(name: str) -> str:
    var = name.replace("-", "_")
    return f"{var}_" if keyword.iskeyword(var) else var


def program(
    configs: Iterable[dict[str, Any]],
    *,
    stripe_account: str | None = None,
    now: datetime | None = None,
    managed: dict[str, str] | None = None,
) -> str:
    """A complete ``__main__.py`` that adopts every configuration in ``configs``;
    ``managed`` (id → owner) are named in its docstring as left to their stacks."""
    configs = list(configs)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    modes = sorted({"live" if c.get("livemode") else "test" for c in configs}) or ["test"]
    where = f" of connected account {stripe_account}" if stripe_account else ""
    lines = [
        f'"""Stripe customer portal configurations{where} ({"/".join(modes)} mode), exported by',
        f"stripe-portal on {stamp}.",
        "",
        "`pulumi up` adopts each one; Stripe then holds exactly what is declared here.",
        *(
            f"Left out, managed by another Pulumi stack: {config_id} ({owner})."
            for config_id, owner in (managed or {}).items()
        ),
        '"""',
        "",
        "import pulumi",
        "from pulumi_stripe_portal import PortalConfiguration",
    ]
    taken: set[str] = set()
    exports = []
    for config in configs:
        name = resource_name(config, taken)
        var = variable(name)
        adopt = "default" if config.get("is_default") else config["id"]
        args = [f"    {literal(name)},", f"    adopt={literal(adopt)},"]
        if stripe_account:
            args.append(f"    stripe_account={literal(stripe_account)},")
        declared = declaration(config)
        for key in sorted(declared, key=_ORDER.index):
            args.append(f"    {key}={literal(declared[key], 1)},")
        lines += ["", f"{var} = PortalConfiguration(", *args, ")"]
        exports.append(f"pulumi.export({literal(var + '_id')}, {var}.id)")
    if exports:
        lines += ["", *exports]
    return "\n".join(lines) + "\n"
