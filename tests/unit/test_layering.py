"""The program side never needs the stripe SDK, and the command line never needs the provider."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import pulumi_stripe_portal",  # what a program imports
        "from pulumi_stripe_portal.provider import PortalConfigurationProvider",  # unpickling
    ],
)
def test_the_program_and_the_unpickled_provider_do_not_import_stripe(statement: str) -> None:
    modules = loaded_after(statement)
    assert not {m for m in modules if m == "stripe" or m.startswith("stripe.")}


def test_the_command_line_does_not_import_the_provider() -> None:
    modules = loaded_after("import pulumi_stripe_portal.cli")
    assert "pulumi_stripe_portal.cli" in modules
    assert "pulumi_stripe_portal.provider" not in modules
    assert "pulumi.dynamic" not in modules


@pytest.mark.parametrize(
    "module",
    ["pulumi_stripe_portal.cli", "pulumi_stripe_portal.explain", "pulumi_stripe_portal.changes"],
)
def test_explain_imports_neither_pulumi_nor_the_provider(module: str) -> None:
    """``stripe-portal explain`` reads a plan as data: no Pulumi SDK, no provider modules
    (state.py, which says how a state holds its declaration, is shared and imports neither)."""
    modules = loaded_after(f"import {module}")
    assert module in modules
    assert not {m for m in modules if m == "pulumi" or m.startswith("pulumi.")}
    provider_side = {"operations", "provider", "validation", "params", "inputs", "reads"}
    assert not {m for m in modules if m.rsplit(".", 1)[-1] in provider_side}
