"""Engine tests: they drive the real Pulumi CLI built by build-engine.sh."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "engine: runs the real Pulumi engine (.tools/bin/pulumi, built by "
        "tests/engine/build-engine.sh on first use; a cold build takes minutes)",
    )
