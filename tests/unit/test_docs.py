"""The docs stay where a reader looks: a short front door, links that resolve, and no
internal names in what users read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [
    REPO / "README.md",
    REPO / "provider" / "README.md",
    REPO / "provider" / "pulumi_stripe_portal" / "emulator" / "README.md",
    REPO / "tests" / "README.md",
]
USER_FACING = DOCS[:3]
INTERNAL = ("_declared", "_lookup_prices", "__provider", "_owner")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_the_front_door_is_short() -> None:
    lines = len((REPO / "README.md").read_text().splitlines())
    assert lines <= 250, f"README.md has {lines} lines; move reference material next to it"


@pytest.mark.parametrize("doc", USER_FACING, ids=lambda p: str(p.relative_to(REPO)))
def test_no_internal_names_in_user_facing_docs(doc: Path) -> None:
    text = doc.read_text()
    found = [name for name in INTERNAL if re.search(rf"(?<![\w]){re.escape(name)}\b", text)]
    assert not found, f"{doc.name} names internals: {found}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(doc: Path) -> None:
    broken = [
        target
        for target in LINK.findall(doc.read_text())
        if "://" not in target and not (doc.parent / target).exists()
    ]
    assert not broken, f"{doc.relative_to(REPO)}: broken links {broken}"
