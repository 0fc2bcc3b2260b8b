"""An emulator per module and a configured provider per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator

from support.driver import KEY, Driver


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(port=0) as emu:
        yield emu


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


@pytest.fixture
def driver(emu: Emulator) -> Driver:
    return Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})


@pytest.fixture
def sdk(emu: Emulator) -> stripe.StripeClient:
    """Stripe seen from outside the provider, for out-of-band edits and checks."""
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
