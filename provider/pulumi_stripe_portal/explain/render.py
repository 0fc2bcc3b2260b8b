"""An explanation (explain.py) as Markdown, plain text or JSON.

Markdown is for a pull request comment or ``$GITHUB_STEP_SUMMARY``: what customers see
first, internal changes after, and the full list of what customers get folded away. Every
value from a declaration is escaped, so a headline cannot inject Markdown or HTML. Text is
the same for a terminal. JSON is for machines: ``{"portals": [{"name", "urn", "op",
"customers_get", "changes"}]}``, keys and lists in a fixed order, no timestamps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from .explanation import Explanation, Portal, Setting

FORMATS = ("markdown", "text", "json")
NOTHING = "Nothing to explain: the preview has no portal configurations."
WHAT_CHANGES = "What changes for customers"
UNNOTICED = "Changed, but customers see no difference"
INTERNAL_ONLY = "Internal only"
NEVER_SEEN = "customers never see these"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$])")
_COUNTS = [
    ("create", "to create"),
    ("replace", "to replace"),
    ("update", "to update"),
    ("delete", "to remove"),
    ("same", "unchanged"),
]
_GET = {
    "create": "What customers will get",
    "replace": "What customers get from the new configuration",
    "update": "What customers get after this update",
    "same": "What customers get",
    "live": "What customers get",
}


def render(explanation: Explanation, fmt: str) -> str:
    if fmt == "json":
        return as_json(explanation)
    if fmt == "text":
        return text(explanation)
    return markdown(explanation)


def _md(value: str) -> str:
    """Text safe in Markdown: special characters escaped, HTML neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", value.replace("&", "&amp;"))


def _code(value: str) -> str:
    """An inline code span (names), or escaped text when the name has a backtick."""
    return f"`{value}`" if "`" not in value else _md(value)


def _summary(explanation: Explanation) -> str:
    ops = [p.op for p in explanation.portals]
    counts = [f"{ops.count(op)} {words}" for op, words in _COUNTS if op in ops]
    n = len(ops)
    where = f" in stack {explanation.title}" if explanation.title else ""
    return f"{n} portal configuration{'s' if n != 1 else ''}{where}: {', '.join(counts)}."


def _groups(settings: Iterable[Setting]) -> list[tuple[str, str]]:
    """Consecutive settings under one heading, as one paragraph each."""
    out: list[tuple[str, list[str]]] = []
    for setting in settings:
        if out and out[-1][0] == setting.heading:
            out[-1][1].append(setting.sentence)
        else:
            out.append((setting.heading, [setting.sentence]))
    return [(heading, " ".join(sentences)) for heading, sentences in out]


def _headline(portal: Portal) -> str | None:
    if portal.op in ("update", "replace", "same") and not portal.customer_changes:
        return "No change for customers."
    return None


# -- Markdown -------------------------------------------------------------------------------


def markdown(explanation: Explanation) -> str:
    if not explanation.portals:
        return NOTHING + "\n"
    title = "What customers get" if explanation.live else "What changes for customers"
    lines = [f"## {title}", ""]
    if not explanation.live:
        lines += [_md(_summary(explanation)), ""]
    for portal in explanation.portals:
        lines += _md_portal(portal)
    for note in explanation.notes:
        lines += [f"*{_md(note)}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_list(settings: Iterable[Setting]) -> list[str]:
    return [f"- **{_md(h)}:** {_md(s)}" for h, s in _groups(settings)]


def _md_portal(portal: Portal) -> list[str]:
    op = "" if portal.op == "live" else f" ({portal.op})"
    lines = [f"### {_code(portal.name)}{op}", "", _md(portal.fate), ""]
    headline = _headline(portal)
    if headline:
        lines += [f"**{headline}**", ""]
    if portal.op == "create":
        lines += [f"**{_GET['create']}**", "", *_md_list(portal.customers_get), ""]
    if portal.op not in ("create", "delete"):
        for title, changes in (
            (WHAT_CHANGES, portal.customer_changes),
            (UNNOTICED, portal.unnoticed_changes),
        ):
            if changes:
                lines += [f"**{title}**", ""]
                lines += [f"- **{_md(c.heading)}:** {_md(c.sentence)}" for c in changes]
                lines += [""]
    if portal.internal_changes and portal.op != "delete":
        lines += [f"**{INTERNAL_ONLY}** ({NEVER_SEEN})", ""]
        lines += [f"- {_md(c.sentence)}" for c in portal.internal_changes]
        lines += [""]
    folded = _GET.get(portal.op) if portal.op not in ("create", "live") else None
    settings = portal.keeps if portal.op == "delete" else portal.customers_get
    if portal.op == "delete" and settings:
        folded = "What customers keep"
    if portal.op == "live":
        lines += [*_md_list(settings), ""]
    elif folded and settings:
        lines += [
            f"<details><summary>{folded}</summary>",
            "",
            *_md_list(settings),
            "",
            "</details>",
        ]
        lines += [""]
    return lines


# -- text -----------------------------------------------------------------------------------


def text(explanation: Explanation) -> str:
    if not explanation.portals:
        return NOTHING + "\n"
    lines = ["What customers get" if explanation.live else "What changes for customers"]
    if not explanation.live:
        lines.append(_summary(explanation))
    for portal in explanation.portals:
        lines += ["", *_text_portal(portal)]
    if explanation.notes:
        lines += ["", *explanation.notes]
    return "\n".join(lines) + "\n"


def _text_portal(portal: Portal) -> list[str]:
    op = "" if portal.op == "live" else f" ({portal.op})"
    lines = [f"{portal.name}{op}", f"  {portal.fate}"]
    headline = _headline(portal)
    if headline:
        lines.append(f"  {headline}")
    if portal.op not in ("create", "delete"):
        for title, changes in (
            (WHAT_CHANGES, portal.customer_changes),
            (UNNOTICED, portal.unnoticed_changes),
        ):
            if changes:
                lines.append(f"  {title}:")
                lines += [f"    - {c.heading}: {c.sentence}" for c in changes]
    if portal.internal_changes and portal.op != "delete":
        lines.append(f"  {INTERNAL_ONLY} ({NEVER_SEEN}):")
        lines += [f"    - {c.sentence}" for c in portal.internal_changes]
    settings = portal.keeps if portal.op == "delete" else portal.customers_get
    if settings:
        title = "What customers keep" if portal.op == "delete" else _GET.get(portal.op, "")
        lines.append(f"  {title}:")
        lines += [f"    {h}: {s}" for h, s in _groups(settings)]
    return lines


# -- JSON -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Values with their keys sorted, so equal plans print equal bytes."""
    if isinstance(value, dict):
        return {str(k): _plain(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def as_json(explanation: Explanation) -> str:
    portals = [
        {
            "name": portal.name,
            "urn": portal.urn,
            "op": portal.op,
            "customers_get": [
                {"path": s.path, "value": _plain(s.value), "sentence": s.sentence}
                for s in portal.customers_get
            ],
            "changes": [
                {
                    "path": c.path,
                    "before": _plain(c.before),
                    "after": _plain(c.after),
                    "customers_see": c.customers_see,
                    "sentence": c.sentence,
                }
                for c in portal.changes
            ],
        }
        for portal in explanation.portals
    ]
    return json.dumps({"portals": portals}, indent=2, ensure_ascii=False) + "\n"
