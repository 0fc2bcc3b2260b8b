"""The emulator is an independent referee on its own HTTP stack, behind the [emulator] extra.

Read from the sources and the modules a fresh interpreter loads: the emulator never imports
the provider's models, rules or validation; nothing in the package imports a private module
of the stripe SDK; the provider, the program side and the command line never load the HTTP
server libraries (only a started emulator does).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import pulumi_stripe_portal

PACKAGE = Path(pulumi_stripe_portal.__file__).resolve().parent
SERVER_LIBRARIES = ("werkzeug", "waitress", "orjson")


def _imports(path: Path) -> set[str]:
    """Absolute module names a source file imports (relative ones resolved in the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = parts[: len(parts) - node.level]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_emulator_never_imports_the_providers_rules() -> None:
    for path in sorted((PACKAGE / "emulator").glob("*.py")):
        ours = {n for n in _imports(path) if n.startswith("pulumi_stripe_portal.")}
        outside = {n for n in ours if not n.startswith("pulumi_stripe_portal.emulator")}
        assert outside == set(), f"{path.name} imports {sorted(outside)}"


def test_no_private_stripe_module_is_imported_anywhere_in_the_package() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        private = {n for n in _imports(path) if n.startswith("stripe.") and "._" in "." + n[7:]}
        assert private == set(), f"{path.relative_to(PACKAGE)} imports {sorted(private)}"


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {m.split(".")[0] for m in out.stdout.split()}


@pytest.mark.parametrize(
    "statement",
    [
        "import pulumi_stripe_portal",
        "from pulumi_stripe_portal.provider import PortalConfigurationProvider",
        "import pulumi_stripe_portal.cli.main",
        "from pulumi_stripe_portal.emulator import Emulator, Backend",  # not started
    ],
)
def test_the_server_libraries_load_only_when_an_emulator_starts(statement: str) -> None:
    assert not _loaded_after(statement) & set(SERVER_LIBRARIES)


def test_a_started_emulator_loads_them() -> None:
    started = "from pulumi_stripe_portal.emulator import Emulator\nEmulator().start().stop()"
    assert set(SERVER_LIBRARIES) <= _loaded_after(started)
