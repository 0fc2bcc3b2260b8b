"""Fixtures shared by every test tree: one local Stripe emulator for the session."""

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
