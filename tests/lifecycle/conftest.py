"""A configured provider and an outside view of Stripe per test (emulator: tests/conftest.py)."""

from __future__ import annotations

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator

from support.driver import KEY, Driver


@pytest.fixture
def driver(emu: Emulator) -> Driver:
    return Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})


@pytest.fixture
def sdk(emu: Emulator) -> stripe.StripeClient:
    """Stripe seen from outside the provider, for out-of-band edits and checks."""
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
