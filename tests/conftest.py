"""Fixtures shared by every test tree: one local Stripe emulator for the session, and the
engine for every test marked ``engine``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_stripe_portal.emulator import Emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """The emulator on a free loopback port; use ``emu`` for a clean one per test."""
    with Emulator(port=0) as emu:
        yield emu


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The session's emulator with no objects, idempotency keys, counters or faults."""
    emulator.reset()
    return emulator


@pytest.fixture(scope="session")
def engine() -> None:
    """Build (or link from the cache) the engine when .tools/bin/pulumi is missing."""
    from harness import ensure_engine  # tests/engine, on the path of every engine test

    ensure_engine()


@pytest.fixture(autouse=True)
def _engine_for_marked_tests(request: pytest.FixtureRequest) -> None:
    """Every test marked ``engine`` gets the engine, once a session."""
    if request.node.get_closest_marker("engine") is not None:
        request.getfixturevalue("engine")
