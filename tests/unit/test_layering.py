"""The house by role: which folder of the package may import which, read from the sources.

One table (``MAY_IMPORT``) holds the layering between folders; provider/README.md's design
section shows the same table. Beside it, what a fresh interpreter loads: the program side
never needs the stripe SDK, and the command line never needs the provider or Pulumi.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import pulumi_stripe_portal

PACKAGE = Path(pulumi_stripe_portal.__file__).resolve().parent
NAME = PACKAGE.name

# A unit is a folder of the package, or one module of its root (the root holds what a
# program imports, plus the two entry points). Each may import itself and what it names.
# A name is a unit ("schema") or one module ("lifecycle.state", the root's "ownership").
LEAVES = {"names", "ownership", "wire_names"}  # shared leaves: names, the marker, wire names
PROGRAM = {"__init__", "args", "inputs", "outputs", "provider", "resource", *LEAVES}
MAY_IMPORT: dict[str, set[str]] = {
    **{module: PROGRAM for module in PROGRAM},
    "__init__": {*PROGRAM, "schema.models"},  # API_VERSION, loaded on first use
    # The pickled class: its operations load in the provider process, on the first call.
    "provider": {*PROGRAM, "lifecycle.operations", "stripe_api.settings"},
    "__main__": {"cli"},
    "schema": set(),
    "stripe_api": {"schema"},
    "lifecycle": {"schema", "stripe_api", *LEAVES},
    "explain": {"schema", "lifecycle.state", "lifecycle.prices", *LEAVES},
    "cli": {"explain", "stripe_api", "schema", *LEAVES},
    # The second face: the same operations, served to every other language.
    "plugin": {"lifecycle", "schema", "stripe_api", *LEAVES},
    "emulator": set(),
}


def _imports(path: Path) -> set[str]:
    """Module names of the package a source imports (relative ones resolved), TYPE_CHECKING
    blocks and function-level imports included: a circle through any of them still binds."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1] + ("",)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = [p for p in parts[: len(parts) - node.level] if p]
                base = ".".join([*anchor, base] if base else anchor)
            modules = {f"{base}.{alias.name}" for alias in node.names}
            found = {m for m in modules if _source(m) is not None}
            names.update(found or {base})
    return {n for n in names if n == NAME or n.startswith(NAME + ".")}


def _source(module: str) -> Path | None:
    """The file of a package module, or None (a name imported from a module, not a module)."""
    rel = Path(*module.split(".")[1:])
    for path in (PACKAGE / rel.with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if module.startswith(NAME + ".") and path.is_file():
            return path
    return None


def _unit(module: str) -> str:
    """The folder a module is in, or the module's own name in the package root."""
    return (module.split(".")[1:] or ["__init__"])[0]


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(rel[:-1] if rel[-1] == "__init__" else rel), path


def _allowed(unit: str, target: str) -> bool:
    inner = target.split(".", 1)[1] if "." in target else "__init__"
    if _unit(target) == unit:
        return True
    return any(inner == name or inner.startswith(name + ".") for name in MAY_IMPORT[unit])


def test_every_unit_of_the_package_is_in_the_table() -> None:
    units = {_unit(module) for module, _ in _modules()}
    assert units == set(MAY_IMPORT), "add the new folder or module to MAY_IMPORT"


def test_each_folder_imports_only_what_the_table_allows() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, path in _modules()
        for target in sorted(_imports(path))
        if target != NAME and not _allowed(_unit(module), target)
    ]
    assert wrong == []


def test_each_folder_says_what_it_is_for_and_what_it_may_import() -> None:
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text())) or ""
        assert "May import" in doc, f"{folder.name}/__init__.py: say what it may import"


def test_no_import_circles() -> None:
    """Between modules, type-only imports included (Tarjan's strongly connected parts)."""
    graph = {m: {t for t in _imports(p) if _source(t) and t != m} for m, p in _modules()}
    for module in graph:  # a package's __init__ is imported by its modules' import anyway
        graph[module] = {t for t in graph[module] if not module.startswith(t + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for node in graph:
        if node not in index:
            visit(node)
    assert circles == []


def assert_no_models(modules: set[str]) -> None:
    """Neither pydantic nor the models that need it (about 0.1 s to import and build)."""
    assert not {m for m in modules if m == "pydantic" or m.startswith("pydantic.")}
    assert f"{NAME}.schema.models" not in modules


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
    assert not {m for m in modules if m.startswith(f"{NAME}.emulator")}


@pytest.mark.parametrize(
    "statement",
    [
        "import pulumi_stripe_portal.lifecycle.operations",  # diff, read, update, delete
        "import pulumi_stripe_portal.stripe_api.client",  # the calls to Stripe
        "import pulumi_stripe_portal.plugin.wire",
    ],
)
def test_the_provider_process_loads_no_pydantic(statement: str) -> None:
    """Refresh, destroy and diff read the generated tree (schema/shape.py), not the models
    (pydantic: about 0.1 s to import and build)."""
    assert_no_models(loaded_after(statement))


def test_the_provider_process_freezes_what_lives_as_long_as_it() -> None:
    """configure() and the stripe SDK's import each move the objects alive then out of the
    cyclic collector's reach (``gc.freeze``): the modules, which every full collection and
    the interpreter's collection at exit walked again (tests/README.md, "the heap")."""
    code = (
        "import gc, sys\n"
        "from pulumi_stripe_portal.lifecycle.operations import PortalOperations\n"
        "ops = PortalOperations()\n"
        "counts = [gc.get_freeze_count()]\n"
        "ops.configure({'stripe:apiKey': 'sk_test_freeze'}.get)\n"
        "counts.append(gc.get_freeze_count())\n"
        "ops.client\n"
        "counts.append(gc.get_freeze_count())\n"
        "print(*counts, 'stripe' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # What the interpreter froze itself before (0 on 3.11 and 3.13, 375 on 3.12.1).
    built, configured, with_sdk, sdk_loaded = out.stdout.split()
    assert int(configured) > int(built) + 10_000  # pulumi, grpc and our modules
    assert int(with_sdk) > int(configured) + 3_000  # and the stripe SDK's
    assert sdk_loaded == "True"


def test_the_command_line_does_not_import_the_provider() -> None:
    modules = loaded_after("import pulumi_stripe_portal.cli.main")
    assert "pulumi_stripe_portal.cli.main" in modules
    assert "pulumi_stripe_portal.provider" not in modules
    assert not {m for m in modules if m.startswith(f"{NAME}.lifecycle.operations")}
    assert "pulumi.dynamic" not in modules


@pytest.mark.parametrize(
    "module",
    [
        "pulumi_stripe_portal.cli.main",
        "pulumi_stripe_portal.explain.explanation",
        "pulumi_stripe_portal.explain.changes",
    ],
)
def test_explain_imports_neither_pulumi_nor_the_provider(module: str) -> None:
    """``stripe-portal explain`` reads a plan as data: no Pulumi SDK, no provider modules
    (lifecycle/state.py, which says how a state holds its declaration, imports neither)."""
    modules = loaded_after(f"import {module}")
    assert module in modules
    assert not {m for m in modules if m == "pulumi" or m.startswith("pulumi.")}
    provider_side = {"operations", "provider", "validation", "params", "inputs", "reads"}
    assert not {m for m in modules if m.rsplit(".", 1)[-1] in provider_side}


def test_the_generator_is_not_part_of_the_runtime_package() -> None:
    assert not (PACKAGE / "codegen.py").exists()
    assert not {m for m, p in _modules() if "codegen" in m}


def test_a_check_of_an_unchanged_declaration_loads_no_pydantic() -> None:
    """``pulumi preview`` of a program that changed nothing: each check finds the state's
    inputs again and returns them (operations.check), so the models are never built."""
    modules = loaded_after(
        "from pulumi_stripe_portal.lifecycle.operations import PortalOperations\n"
        "declared = {'features': {'invoice_history': {'enabled': True}}, 'active': True,"
        " '_owner': 'demo/dev/portal'}\n"
        "result = PortalOperations().check({**declared, '__provider': 'old'},"
        " {**declared, '__provider': 'new'})\n"
        "assert (result.inputs, result.failures) == (declared, []), result.inputs"
    )
    assert_no_models(modules)


def test_a_check_of_a_changed_declaration_loads_no_pydantic() -> None:
    """``pulumi up`` of a change: check validates with the schema generated from the models
    (schema/validator_schema.py) in pydantic-core, and builds the models only to word the
    failures of a declaration it refuses."""
    modules = loaded_after(
        "from pulumi_stripe_portal.lifecycle.operations import PortalOperations\n"
        "old = {'features': {'invoice_history': {'enabled': True}}, 'active': True}\n"
        "new = {'features': {'subscription_pause': {'enabled': True, 'duration':"
        " {'type': 'interval_options', 'interval_options': [{'interval': 'week',"
        " 'interval_count': 2.0}]}}}, 'metadata': {'team': 'billing'}, 'name': 'Portal'}\n"
        "result = PortalOperations().check(old, new)\n"
        "new['features']['subscription_pause']['duration']['interval_options'][0]"
        "['interval_count'] = 2\n"
        "assert (result.inputs, result.failures) == ({**new, 'active': True}, [])"
    )
    assert_no_models(modules)
    assert "pydantic_core" in modules
    refused = loaded_after(
        "from pulumi_stripe_portal.lifecycle.operations import PortalOperations\n"
        "declared = {'features': {'subscription_cancel': {'enabled': True, 'mode': 'soon'}}}\n"
        "result = PortalOperations().check({}, declared)\n"
        "assert result.failures[0].property == 'features.subscription_cancel.mode'"
    )
    assert f"{NAME}.schema.models" in refused
