"""Fault switches and counters: latency, rate limit, 5xx, commit-then-drop."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import stripe
import stripe._http_client
from emu_support import BASE, FULL_FEATURES, Raw, make_client

from pulumi_stripe_portal.emulator import Emulator


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep SDK retries instant."""
    monkeypatch.setattr(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda self, n: 0.0)


def test_latency_is_added(emu: Emulator, configs: Any) -> None:
    emu.set_latency(0.5)
    started = time.monotonic()
    configs.list()
    assert 0.5 <= time.monotonic() - started < 5
    emu.set_latency(0)
    started = time.monotonic()
    configs.list()
    assert time.monotonic() - started < 0.5


def _wall_for_concurrent_lists(emu: Emulator, clients: int) -> float:
    """Seconds for ``clients`` lists sent at once, each from a client of its own."""
    sdks = [make_client(emu) for _ in range(clients)]
    with ThreadPoolExecutor(clients) as pool:
        started = time.monotonic()
        for page in pool.map(lambda sdk: sdk.v1.billing_portal.configurations.list(), sdks):
            assert page.object == "list"
        return time.monotonic() - started


def test_latency_set_while_serving_grows_the_worker_pool(emu: Emulator) -> None:
    """Without latency 2 requests are handled at once; each waiting answer holds one, so a
    latency set while serving must bring more: 8 clients at once then wait one latency, not
    the four in turn that 2 workers would take (2.0 s)."""
    emu.set_latency(0.5)
    assert _wall_for_concurrent_lists(emu, 8) < 1.5
    emu.set_latency(0)
    assert _wall_for_concurrent_lists(emu, 8) < 1.0


def test_latency_from_the_start_and_a_fixed_thread_count() -> None:
    with Emulator(latency=0.5) as emu:  # a latency given at start: a pool to match
        assert _wall_for_concurrent_lists(emu, 8) < 1.5
    with Emulator(threads=1, latency=0.3) as emu:  # threads given: the latency changes nothing
        assert _wall_for_concurrent_lists(emu, 3) >= 0.9
        emu.set_latency(0.2)
        assert _wall_for_concurrent_lists(emu, 3) >= 0.6
    with pytest.raises(ValueError, match="threads must be at least 1, not 0"):
        Emulator(threads=0)


def _first_429(send: Any, tries: int = 20) -> Any:
    for _ in range(tries):
        answer = send()
        if answer is not None:
            return answer
    raise AssertionError("no 429 seen")


def test_rate_limit_answers_429_rate_limit(emu: Emulator, configs: Any, raw: Raw) -> None:
    emu.set_rate_limit(3)

    def sdk_call() -> Any:
        try:
            configs.list()
        except stripe.RateLimitError as e:
            return e
        return None

    exc = _first_429(sdk_call)
    assert emu.request_count >= 4
    body = exc.json_body
    assert exc.http_status == 429
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["code"] == "rate_limit"
    assert body["error"]["message"].startswith("Too many requests hit the API too quickly")

    def raw_call() -> Any:
        answer = raw("GET")
        return answer if answer.status == 429 else None

    limited = _first_429(raw_call)
    assert "Stripe-Should-Retry" not in limited.headers
    emu.set_rate_limit(1, should_retry=True)
    limited = _first_429(raw_call)
    assert limited.headers["Stripe-Should-Retry"] == "true"
    emu.set_rate_limit(None)
    assert all(raw("GET").status == 200 for _ in range(5))


def test_server_error_count(emu: Emulator, configs: Any) -> None:
    emu.set_server_errors(count=1)
    with pytest.raises(stripe.APIError) as exc:
        configs.create(params={"features": FULL_FEATURES})
    assert exc.value.http_status == 500
    assert exc.value.json_body is not None and exc.value.json_body["error"]["type"] == "api_error"
    assert configs.list().data == []  # a 500 fault fires before any write


def test_server_error_fraction_is_seeded(emu: Emulator, raw: Raw) -> None:
    def run() -> list[int]:
        emu.set_server_errors(0.3, seed=7)
        return [raw("GET").status for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert set(first) == {200, 500}
    assert 3 <= first.count(500) <= 25


def test_sdk_retries_server_errors_with_the_same_idempotency_key(
    emu: Emulator, no_backoff: None
) -> None:
    emu.set_server_errors(count=2)
    configs = make_client(emu, max_network_retries=2).v1.billing_portal.configurations
    cfg = configs.create(params={"features": FULL_FEATURES})
    assert [c.id for c in configs.list().data] == [cfg.id]
    posts = [r for r in emu.requests if r.method == "POST"]
    assert len(posts) == 3


def test_commit_then_drop_the_connection(emu: Emulator, configs: Any) -> None:
    emu.set_drop_after_commit(1)
    with pytest.raises(stripe.APIConnectionError):
        configs.create(params={"features": FULL_FEATURES, "name": "dropped"})
    assert [c.name for c in configs.list().data] == ["dropped"]


def test_dropped_write_retried_by_the_sdk_is_replayed(emu: Emulator, no_backoff: None) -> None:
    emu.set_drop_after_commit(1)
    configs = make_client(emu, max_network_retries=1).v1.billing_portal.configurations
    cfg = configs.create(params={"features": FULL_FEATURES})
    assert cfg.last_response.headers["Idempotent-Replayed"] == "true"
    assert [c.id for c in configs.list().data] == [cfg.id]


def test_drop_fraction(emu: Emulator, raw: Raw) -> None:
    emu.set_drop_after_commit(fraction=0.5, seed=3)
    outcomes = []
    for _ in range(20):
        try:
            outcomes.append(
                raw("POST", BASE, [("features[invoice_history][enabled]", "true")]).status
            )
        except (ConnectionError, OSError) as e:  # http.client: RemoteDisconnected
            outcomes.append(type(e).__name__)
    dropped = [o for o in outcomes if o != 200]
    assert 0 < len(dropped) < 20
    emu.set_drop_after_commit(0)
    assert (
        len(list(make_client(emu).v1.billing_portal.configurations.list(params={"limit": 100})))
        == 20
    )


def test_counters_record_every_request(emu: Emulator, configs: Any) -> None:
    emu.set_server_errors(count=1)
    with pytest.raises(stripe.APIError):
        configs.list()
    cfg = configs.create(params={"features": FULL_FEATURES})
    configs.retrieve(cfg.id)
    assert emu.request_count == 3
    assert [(r.method, r.path) for r in emu.requests] == [
        ("GET", BASE),
        ("POST", BASE),
        ("GET", f"{BASE}/{cfg.id}"),
    ]
    assert emu.requests[1].params["features"]["invoice_history"] == {"enabled": "true"}
    assert emu.route_counts[("GET", f"{BASE}/{{id}}")] == 1
    emu.reset()
    assert emu.request_count == 0


def test_a_long_run_keeps_only_the_most_recent_requests() -> None:
    """The record is bounded (a long-running emulator in CI must not grow); the count and
    the cursor still see every request, and a cursor into what was dropped is refused."""
    with Emulator(keep_requests=50) as emu:
        client = make_client(emu)
        cfg = client.v1.billing_portal.configurations.create(params={"features": FULL_FEATURES})
        for _ in range(300):
            client.v1.billing_portal.configurations.retrieve(cfg.id)
        assert emu.request_count == 301
        assert len(emu.requests) == 50
        assert [r.method for r in emu.requests] == ["GET"] * 50
        cursor = emu.request_count
        client.v1.billing_portal.configurations.list()
        assert [r.method for r in emu.requests_since(cursor)] == ["GET"]
        with pytest.raises(LookupError, match="most recent 50"):
            emu.requests_since(10)
        emu.set_keep_requests(5)
        assert len(emu.requests) == 5
        emu.reset()
        assert (emu.request_count, emu.requests) == (0, [])


def test_keep_requests_must_be_positive() -> None:
    with pytest.raises(ValueError, match="keep_requests must be at least 1"):
        Emulator(keep_requests=0)


def test_peak_in_flight_counts_requests_held_at_once() -> None:
    with Emulator(port=0, threads=8) as emu:
        emu.set_latency(0.5)
        client = stripe.StripeClient("sk_test_peak", base_addresses={"api": emu.url})
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: client.v1.billing_portal.configurations.list(), range(4)))
        emu.set_latency(0.0)
        assert emu.peak_in_flight == 4
        client.v1.billing_portal.configurations.list()
        assert emu.peak_in_flight == 4  # a peak, not the present
        emu.reset()
        assert emu.peak_in_flight == 0
