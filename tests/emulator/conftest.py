"""Fixtures for the emulator tests (the session emulator and `emu` live in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
import stripe
from emu_support import BASE, Answer, Raw, make_client, raw_request

from pulumi_stripe_portal.emulator import Emulator


@pytest.fixture
def client(emu: Emulator) -> stripe.StripeClient:
    return make_client(emu)


@pytest.fixture
def configs(client: stripe.StripeClient) -> Any:
    """``client.v1.billing_portal.configurations``."""
    return client.v1.billing_portal.configurations


@pytest.fixture
def raw(emu: Emulator) -> Raw:
    def call(method: str, path: str = BASE, params: Any = None, **kwargs: Any) -> Answer:
        return raw_request(emu.url, method, path, params, **kwargs)

    return call
