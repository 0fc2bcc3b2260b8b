"""The wheel a user installs: built from the tree without deprecation warnings, typed, and
holding every module and data file the package needs at run time (imported from the wheel
alone, not from the editable checkout)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from wheel_build import PACKAGE, REPO_ROOT, Built, build_wheel

SOURCE = REPO_ROOT / "provider" / PACKAGE
SKIPPED = {".md", ".rst", ".pyc"}  # read by people, or made by Python


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def names(built: Built) -> set[str]:
    with zipfile.ZipFile(built.wheel) as wheel:
        return set(wheel.namelist())


@pytest.fixture(scope="module")
def metadata(built: Built, names: set[str]):
    [path] = [n for n in names if n.endswith(".dist-info/METADATA")]
    with zipfile.ZipFile(built.wheel) as wheel:
        return Parser().parsestr(wheel.read(path).decode())


def test_build_prints_no_deprecation_warning(built: Built) -> None:
    assert not re.search(r"deprecat|BuildBackendWarning|SetuptoolsWarning", built.output, re.I), (
        built.output
    )


def test_license_is_an_spdx_expression(metadata) -> None:
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["License"] is None


def test_wheel_holds_py_typed_and_every_runtime_file(names: set[str]) -> None:
    """Every module (the emulator's included) and every non-document file of the package
    tree: the package reads no file from anywhere else."""
    wanted = {
        path.relative_to(SOURCE.parent).as_posix()
        for path in SOURCE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in SKIPPED
    }
    assert f"{PACKAGE}/py.typed" in wanted
    assert f"{PACKAGE}/emulator/__init__.py" in wanted
    assert sorted(wanted - names) == []


IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import {package} as package
assert package.__file__.startswith(sys.argv[1]), package.__file__
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if not module.name.endswith(".__main__"):  # would run the command
        importlib.import_module(module.name)
print(len(sys.modules))
"""


def test_every_module_imports_from_the_wheel_alone(built: Built, tmp_path: Path) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        wheel.extractall(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(package=PACKAGE), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


def test_classifiers_name_the_pythons_make_test_runs(metadata) -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    [tested] = re.findall(r"^PYTHONS := (.+)$", makefile, re.M)
    claimed = [
        c.rsplit(" :: ", 1)[1]
        for c in metadata.get_all("Classifier")
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert claimed == tested.split()
    assert metadata["Requires-Python"] == f">={tested.split()[0]}"
