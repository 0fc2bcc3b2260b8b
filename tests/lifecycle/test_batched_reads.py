"""Reads of many configurations in one command come from list pages: counted as the emulator
sees them, with the provider called from four threads as the engine's provider server does."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.stripe_api.client import PortalClient
from pulumi_stripe_portal.stripe_api.reads import ListedReads
from pulumi_stripe_portal.stripe_api.settings import Settings

from support.driver import KEY, Driver
from support.samples import minimal


def declared(i: int) -> dict[str, Any]:
    return {**minimal(), "name": f"portal {i}", "_owner": f"demo/dev/portal-{i}"}


def make(emu: Emulator, n: int) -> list[tuple[str, dict[str, Any]]]:
    creator = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    return [creator.create(declared(i)) for i in range(n)]


def crowd(sdk: stripe.StripeClient, n: int) -> None:
    """Configurations that are not the stack's, made after it (so newer: listed first)."""
    for i in range(n):
        sdk.v1.billing_portal.configurations.create(
            params={"features": {"invoice_history": {"enabled": True}}, "name": f"other {i}"}
        )


def counted(emu: Emulator, since: int) -> tuple[int, int]:
    """(reads, writes) of configurations since request number ``since``."""
    seen = [r for r in emu.requests_since(since) if "billing_portal/configurations" in r.path]
    reads = sum(r.method == "GET" for r in seen)
    return reads, len(seen) - reads


def refresh(emu: Emulator, made: list[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
    """One command's refresh of every configuration, four at a time, in a new process."""
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    since = emu.request_count
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda m: driver.read(m[0], m[1]), made))
    assert [r.id for r in results] == [config_id for config_id, _ in made]
    return counted(emu, since)


def update(emu: Emulator, made: list[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
    """One command's update of every configuration (a new name each), four at a time."""
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    since = emu.request_count

    def one(item: tuple[int, tuple[str, dict[str, Any]]]) -> None:
        i, (config_id, state) = item
        changed, _ = driver.up(config_id, state, {**declared(i), "name": f"renamed {i}"})
        assert changed

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one, enumerate(made)))
    return counted(emu, since)


@pytest.mark.parametrize("n, reads", [(1, 1), (2, 2), (10, 3), (100, 3)])
def test_an_account_of_just_the_stack(emu: Emulator, n: int, reads: int) -> None:
    made = make(emu, n)
    assert refresh(emu, made)[0] <= reads
    assert refresh(emu, made) == (min(n, 2), 0)  # a GET, then one page holds them all
    got = update(emu, made)
    assert got[0] <= reads and got[1] == n


def read_four_while_the_client_is_built(emu: Emulator, made: list) -> tuple[int, int]:
    """Four reads in a new provider process whose first read builds the client (the stripe
    SDK's import, 0.05 s): the client is handed out only once all four have asked."""
    client = PortalClient(Settings(api_key=KEY, api_base=emu.url))
    all_asked = threading.Barrier(4, timeout=10)

    def slow_to_build() -> PortalClient:
        all_asked.wait()  # as the SDK's import holds the first read
        return client

    reads = ListedReads(slow_to_build)
    since = emu.request_count
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda m: reads.get(m[0], None), made[:4]))
    assert [obj["id"] for obj in got if obj] == [config_id for config_id, _ in made[:4]]
    requests = counted(emu, since)
    assert reads.reads() == requests[0]
    return requests


def test_reads_asked_while_the_client_is_built_share_one_page(emu: Emulator) -> None:
    """The reads that arrive while the first waits are counted first: it pages instead of
    a GET, and the four read once."""
    assert read_four_while_the_client_is_built(emu, make(emu, 10)) == (1, 0)


def test_reads_waiting_for_the_client_keep_the_bound_in_a_crowded_account(
    emu: Emulator, sdk: stripe.StripeClient
) -> None:
    """Where the page does not hold them, each waiting read still has its GET within the
    bound: one page and four GETs, the four portals + 1."""
    made = make(emu, 4)
    crowd(sdk, 150)
    assert read_four_while_the_client_is_built(emu, made) == (5, 0)


@pytest.mark.parametrize("n", [1, 10])
def test_a_crowded_account_is_not_paged_through(
    emu: Emulator, sdk: stripe.StripeClient, n: int
) -> None:
    made = make(emu, n)
    crowd(sdk, 1000)
    reads, writes = refresh(emu, made)
    assert reads <= n + 1 and writes == 0
    if n == 1:
        assert reads == 1  # a stack of one reads once
    reads, writes = update(emu, made)
    assert reads <= n + 1 and writes == n


def test_a_configuration_missing_from_the_pages_is_a_404(emu: Emulator) -> None:
    made = make(emu, 3)
    gone = ("bpc_doesnotexist000000000000", made[0][1])
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    results = [driver.read(config_id, state) for config_id, state in [*made, gone]]
    assert results[-1].id is None  # gone from Stripe: the engine drops it, as before
    assert [r.id for r in results[:-1]] == [config_id for config_id, _ in made]


def test_our_writes_update_the_snapshot(emu: Emulator, sdk: stripe.StripeClient) -> None:
    """After a refresh, two updates of one configuration in the same command read nothing:
    the second update's ownership read is served what the first one wrote."""
    made = make(emu, 2)
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    for config_id, state in made:
        driver.read(config_id, state)
    config_id, state = made[1]
    since = emu.request_count
    _, state = driver.up(config_id, state, {**declared(1), "name": "first"})
    _, state = driver.up(config_id, state, {**declared(1), "name": "second"})
    assert counted(emu, since) == (0, 2)
    assert sdk.v1.billing_portal.configurations.retrieve(config_id).name == "second"


def test_another_stacks_marker_still_refuses_before_any_write(
    emu: Emulator, sdk: stripe.StripeClient
) -> None:
    made = make(emu, 3)
    config_id, state = made[2]
    sdk.v1.billing_portal.configurations.update(
        config_id, params={"metadata": {"pulumi_owner": "other/prod/portal"}}
    )
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})
    since = emu.request_count
    with pytest.raises(Exception, match="other/prod/portal"):
        driver.up(config_id, state, {**declared(2), "name": "mine now"})
    assert counted(emu, since)[1] == 0
