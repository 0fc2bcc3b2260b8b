"""Rate limits at scale: the ``load`` marker and the engine harness on the import path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "load: parallel `pulumi up` stacks against the rate-limited emulator (real engine; "
        "about a minute); select with -m load, leave out with -m 'not load'",
    )
    # also registered by tests/engine/conftest.py, which a run of this folder alone skips
    config.addinivalue_line("markers", "engine: runs the real Pulumi engine (.tools/bin/pulumi)")
