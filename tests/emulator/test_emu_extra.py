"""The [emulator] extra, in a fresh virtual environment with the built wheel.

A plain ``pip install`` of the package installs the provider and the command lines but no
HTTP server library; the emulator's two entry points then exit 1 with one line naming the
extra. Building the wheel and installing it takes about 40 s (dependencies come from pip's
cache when they are there).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plain_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv holding ``pip install pulumi-stripe-portal`` (the wheel, no extra)."""
    root = tmp_path_factory.mktemp("plain-install")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = root / "dist"
    subprocess.run([*pip, "wheel", "--no-deps", str(REPO), "-w", str(wheels)], check=True)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (wheel,) = wheels.glob("pulumi_stripe_portal-*.whl")
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return venv


def test_a_plain_install_has_no_http_server_library(plain_venv: Path) -> None:
    out = subprocess.run(
        [str(plain_venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    assert "pulumi-stripe-portal==" in out and "stripe==" in out
    assert not {"werkzeug", "waitress", "orjson"} & {line.split("==")[0] for line in out.split()}


@pytest.mark.parametrize(
    "command",
    [["stripe-portal-emulator", "--port", "0"], ["-m", "pulumi_stripe_portal.emulator"]],
    ids=["console-script", "module"],
)
def test_without_the_extra_the_emulator_exits_with_one_line(
    plain_venv: Path, command: list[str]
) -> None:
    bin_ = plain_venv / "bin"
    cmd = [str(bin_ / command[0]), *command[1:]] if command[0] != "-m" else [
        str(bin_ / "python"), *command
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "stripe-portal-emulator: the emulator needs werkzeug, waitress, orjson: install the "
        "[emulator] extra (pip install 'pulumi-stripe-portal[emulator]')"
    ]


def test_the_provider_command_line_works_without_the_extra(plain_venv: Path) -> None:
    proc = subprocess.run(
        [str(plain_venv / "bin" / "stripe-portal"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "usage" in proc.stdout.lower()
