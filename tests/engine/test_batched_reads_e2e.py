"""A whole stack read in a request or two, counted as the emulator receives them, through
the real engine: refresh and update of 100 portals, and stacks of 1 and 10 portals in an
account crowded with 1,000 other configurations (made after them, so listed first)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import stripe

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace  # noqa: E402

pytestmark = pytest.mark.engine

PROJECT = Path(__file__).resolve().parent / "batched"
KEY = "sk_test_batchedReadsKey4242"


def stack(tmp_path: Path, emu: Emulator, n: int) -> PulumiWorkspace:
    ws = PulumiWorkspace(
        PROJECT,
        tmp_path / f"ws-{n}",
        stack=f"n{n}",
        passphrase="batched",
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
    )
    ws.stack_init()
    ws.config_set("batched:count", str(n))
    ws.up()
    return ws


def counted(emu: Emulator, since: int) -> tuple[int, int]:
    """(reads, writes) the emulator received since request number ``since``."""
    seen = emu.requests_since(since)
    reads = sum(r.method == "GET" for r in seen)
    return reads, len(seen) - reads


def refresh(ws: PulumiWorkspace, emu: Emulator) -> tuple[int, int]:
    since = emu.request_count
    ws.refresh(expect_no_changes=True)
    return counted(emu, since)


def update_all(ws: PulumiWorkspace, emu: Emulator, headline: str) -> tuple[int, int]:
    ws.config_set("batched:headline", headline)
    since = emu.request_count
    ws.up()
    return counted(emu, since)


def test_a_hundred_portals(tmp_path: Path, emu: Emulator) -> None:
    ws = stack(tmp_path, emu, 100)
    reads, writes = refresh(ws, emu)
    assert reads <= 3 and writes == 0, (reads, writes)
    reads, writes = update_all(ws, emu, "New headline")
    assert reads <= 3 and writes == 100, (reads, writes)
    ws.preview(expect_no_changes=True)


def test_a_crowded_account_is_not_paged_through(tmp_path: Path, emu: Emulator) -> None:
    one, ten = stack(tmp_path, emu, 1), stack(tmp_path, emu, 10)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    for i in range(1000):
        sdk.v1.billing_portal.configurations.create(
            params={"features": {"invoice_history": {"enabled": True}}, "name": f"other {i}"}
        )
    assert refresh(one, emu) == (1, 0)  # a stack of one reads once
    assert update_all(one, emu, "One") == (1, 1)
    reads, writes = refresh(ten, emu)
    assert reads <= 11 and writes == 0, (reads, writes)
    reads, writes = update_all(ten, emu, "Ten")
    assert reads <= 11 and writes == 10, (reads, writes)
