"""What the emulator saw and which failures it injects: request counters and fault decisions.

Kept apart from HTTP so the WSGI application (app.py) only asks: admit this request (or
answer a 429 / 500 fault), drop this answer? Faults are all off by default; counts fire
before fractions, and fractions draw from generators seeded by ``Faults.seed``, so a run
repeats. Not emulated: Stripe's real rate limits (its limiter is not published; this one is
a sliding one-second window per emulator, not per key).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from .errors import StripeError


@dataclass
class Faults:
    """Injected failures, all off by default; counts fire before fractions."""

    latency: float = 0.0
    rate_limit: float | None = None  # admitted requests per second, None = unlimited
    rate_limit_should_retry: bool = False
    rate_limit_retry_after: bool = False  # send Retry-After (whole seconds) with 429s
    error_rate: float = 0.0
    error_count: int = 0
    drop_rate: float = 0.0
    drop_count: int = 0
    seed: int = 0


class RequestRecord(NamedTuple):
    """One request as seen, faulted or not: params as decoded from the query and form body."""

    method: str
    path: str
    params: dict[str, Any]


def _at_least_one(keep: int) -> int:
    if keep < 1:
        raise ValueError(f"keep_requests must be at least 1, not {keep}")
    return keep


def rate_limited() -> StripeError:
    return StripeError(
        429,
        "invalid_request_error",
        "Too many requests hit the API too quickly. We recommend an exponential backoff of "
        "your requests.",
        code="rate_limit",
    )


KEEP_REQUESTS = 10_000  # about 10 MB of records at most (a record is about 1 kB)


class Traffic:
    """The request counters and the fault settings, shared by every worker thread.

    The record keeps only the most recent ``keep`` requests, so a long-running emulator does
    not grow; ``total`` counts every request since the last clear and is the cursor that
    ``since()`` reads from."""

    def __init__(self, faults: Faults, keep: int = KEEP_REQUESTS) -> None:
        self.stats_lock = threading.Lock()
        self.requests: deque[RequestRecord] = deque(maxlen=_at_least_one(keep))
        self.total = 0  # requests seen since the last clear, kept or not
        self.route_counts: Counter[tuple[str, str]] = Counter()
        self.rate_limited = 0  # requests answered 429 rate_limit
        self.in_flight = 0  # requests admitted and not answered yet
        self.peak_in_flight = 0  # the most at once since the last clear
        # monotonic times admitted under a rate limit, as bounded as the record
        self.admitted_at: deque[float] = deque(maxlen=self.requests.maxlen)
        self.set_faults(faults)

    def set_keep(self, keep: int) -> None:
        """Keep the most recent ``keep`` requests (the oldest are dropped first)."""
        with self.stats_lock:
            self.requests = deque(self.requests, maxlen=_at_least_one(keep))
            self.admitted_at = deque(self.admitted_at, maxlen=keep)

    def since(self, cursor: int) -> list[RequestRecord]:
        """The requests numbered ``cursor`` and after (``cursor`` = an earlier ``total``).

        Raises LookupError when some of them were already dropped from the record, rather
        than answer a count that is short."""
        with self.stats_lock:
            first_kept = self.total - len(self.requests)
            if cursor < first_kept:
                raise LookupError(
                    f"requests {cursor} to {first_kept - 1} are no longer recorded (the "
                    f"emulator keeps the most recent {self.requests.maxlen}; raise "
                    "keep_requests)"
                )
            return list(self.requests)[max(0, cursor - first_kept) :]

    def set_faults(self, faults: Faults) -> None:
        with self.stats_lock:
            self.faults = replace(faults)
            self._errors = random.Random(faults.seed)
            self._drops = random.Random(faults.seed + 1)
            self._window: deque[float] = deque()

    def clear_counters(self) -> None:
        with self.stats_lock:
            self.requests.clear()
            self.total = 0
            self.route_counts.clear()
            self.rate_limited = 0
            self.peak_in_flight = self.in_flight
            self.admitted_at.clear()

    def retry_after(self) -> int:
        """Whole seconds (Retry-After's unit, rounded up) until the window admits again."""
        with self.stats_lock:
            if not self._window or not self.faults.rate_limit:
                return 1
            return max(1, math.ceil(1.0 - (time.monotonic() - self._window[0])))

    def admit(self, record: RequestRecord, route: str) -> StripeError | None:
        """Count the request and decide the faults that fire before handling (429, 500)."""
        with self.stats_lock:
            self.requests.append(record)
            self.total += 1
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self.route_counts[(record.method, route)] += 1
            f = self.faults
            if f.rate_limit is not None:
                now = time.monotonic()
                while self._window and now - self._window[0] >= 1.0:
                    self._window.popleft()
                if len(self._window) >= f.rate_limit:
                    self.rate_limited += 1
                    return rate_limited()
                self._window.append(now)
                self.admitted_at.append(now)
            if f.error_count > 0 or (f.error_rate and self._errors.random() < f.error_rate):
                f.error_count = max(0, f.error_count - 1)
                return StripeError(500, "api_error", "An unknown error occurred (emulated fault).")
        return None

    def done(self) -> None:
        """A request admitted by ``admit`` has been answered (or dropped)."""
        with self.stats_lock:
            self.in_flight -= 1

    def should_drop(self) -> bool:
        """Commit-then-drop: decided after a successful write."""
        with self.stats_lock:
            f = self.faults
            if f.drop_count > 0:
                f.drop_count -= 1
                return True
            return bool(f.drop_rate) and self._drops.random() < f.drop_rate
