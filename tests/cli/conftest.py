"""Command-line tests; the explain tests that run previews use the real engine."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engine: runs the real Pulumi engine (.tools/bin/pulumi; see tests/engine)"
    )
