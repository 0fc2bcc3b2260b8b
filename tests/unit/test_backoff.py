"""The 429 wait schedule (pure functions); the behaviour is tested through the SDK in
tests/load/test_client_rate_limits.py."""

from __future__ import annotations

import email.utils
import random

import pytest
from requests.structures import CaseInsensitiveDict

from pulumi_stripe_portal.stripe_api.backoff import (
    MAX_DELAY,
    jitter_ceiling,
    parse_retry_after,
    rate_limit_wait,
)

NOW = 1_800_000_000.0


def test_jitter_ceiling_doubles_from_half_a_second_up_to_the_cap() -> None:
    assert [jitter_ceiling(n) for n in range(6)] == [0.5, 1.0, 2.0, 2.0, 2.0, 2.0]
    assert jitter_ceiling(10_000) == MAX_DELAY  # no float overflow on a long siege


@pytest.mark.parametrize("attempt", [0, 1, 2, 3, 7])
def test_without_retry_after_the_wait_is_full_jitter(attempt: int) -> None:
    ceiling = jitter_ceiling(attempt)
    assert rate_limit_wait(attempt, None, 60, 0.0) == 0.0
    assert rate_limit_wait(attempt, None, 60, 0.5) == pytest.approx(ceiling / 2)
    assert rate_limit_wait(attempt, None, 60, 0.999) == pytest.approx(ceiling * 0.999)


@pytest.mark.parametrize("attempt", [0, 1, 4])
def test_retry_after_is_a_floor_and_the_jitter_comes_on_top(attempt: int) -> None:
    assert rate_limit_wait(attempt, 1.0, 60, 0.0) == 1.0
    top = rate_limit_wait(attempt, 1.0, 60, 0.999)
    assert top == pytest.approx(1.0 + jitter_ceiling(attempt) * 0.999)


def test_parallel_clients_told_the_same_retry_after_do_not_retry_together() -> None:
    """Twelve clients (three stacks x four provider threads), one Retry-After, own RNGs."""
    waits = [rate_limit_wait(0, 1.0, 60, random.Random(seed).random()) for seed in range(12)]
    assert min(waits) >= 1.0
    assert len({round(w, 3) for w in waits}) == 12
    assert max(waits) - min(waits) > 0.2


def test_the_budget_cuts_the_last_wait_and_then_stops() -> None:
    assert rate_limit_wait(3, None, 0.25, 0.9) == 0.25  # last try right at the deadline
    assert rate_limit_wait(3, None, 0.0, 0.1) is None
    assert rate_limit_wait(0, None, -1.0, 0.1) is None


def test_a_retry_after_beyond_the_budget_means_give_up_now() -> None:
    assert rate_limit_wait(0, 30.0, 10.0, 0.1) is None
    assert rate_limit_wait(2, 9.5, 10.0, 0.9) == 10.0  # honoured, jitter cut to the budget


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1", 1.0), (" 2 ", 2.0), ("0.25", 0.25), ("0", 0.0), ("-3", 0.0)],
)
def test_retry_after_in_seconds(value: str, seconds: float) -> None:
    assert parse_retry_after({"Retry-After": value}, NOW) == seconds


def test_retry_after_as_an_http_date() -> None:
    date = email.utils.formatdate(NOW + 7, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, NOW) == pytest.approx(7.0)
    past = email.utils.formatdate(NOW - 7, usegmt=True)
    assert parse_retry_after({"Retry-After": past}, NOW) == 0.0


def test_retry_after_header_names_match_without_case() -> None:
    assert parse_retry_after({"retry-after": "3"}, NOW) == 3.0
    assert parse_retry_after(CaseInsensitiveDict({"RETRY-AFTER": "4"}), NOW) == 4.0


@pytest.mark.parametrize("value", ["soon", "", "inf", "nan", "Mon, 99 Foo 2026"])
def test_unusable_retry_after_counts_as_absent(value: str) -> None:
    assert parse_retry_after({"Retry-After": value}, NOW) is None


def test_no_headers_no_retry_after() -> None:
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after({}, NOW) is None
    assert parse_retry_after({"Request-Id": "req_1"}, NOW) is None
