"""Build the package's wheel from a clean copy of the working tree.

A copy, because setuptools builds in the tree it is given and keeps ``build/lib`` between
builds: a module deleted from the tree would still ship. Used by test_wheel.py and by
tests/pythons.sh (``python tests/pkg/wheel_build.py OUT_DIR`` prints the wheel's path).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "pulumi_stripe_portal"
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")


class Built(NamedTuple):
    """The wheel and everything pip printed while building it."""

    wheel: Path
    output: str


def source_copy(dest: Path) -> Path:
    """What the build reads: pyproject.toml, the readme, license files and provider/."""
    dest.mkdir(parents=True, exist_ok=True)
    tops = [REPO_ROOT / "pyproject.toml", REPO_ROOT / "README.md", *REPO_ROOT.glob("LICEN[CS]E*")]
    for path in tops:
        shutil.copy2(path, dest / path.name)
    shutil.copytree(REPO_ROOT / "provider", dest / "provider", ignore=_SKIP, dirs_exist_ok=True)
    return dest


def build_wheel(work: Path) -> Built:
    """``pip wheel --no-deps`` with build isolation, as ``pip install`` does it."""
    for old in (work / "src", work / "wheelhouse"):
        shutil.rmtree(old, ignore_errors=True)
    src = source_copy(work / "src")
    out = work / "wheelhouse"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"pip wheel failed (exit {proc.returncode}):\n{output}")
    [wheel] = out.glob("*.whl")
    return Built(wheel, output)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUT_DIR", file=sys.stderr)
        return 2
    built = build_wheel(Path(argv[1]).resolve())
    print(built.wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
