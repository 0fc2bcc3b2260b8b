"""When to try a rate-limited (429) request again: pure functions, no clock, no randomness.

A 429 is never a partial write, so it is always safe to try again with the same idempotency
key. The wait honours Stripe's ``Retry-After`` when it sends one (never earlier), and adds
full jitter (a uniform draw up to an exponential ceiling) so that parallel stacks hitting one
account spread out instead of retrying in lockstep. The caller gives a time budget; a wait
that would overrun it is cut to the deadline, and a ``Retry-After`` beyond it means give up.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping

BASE_DELAY = 0.5  # ceiling of the first jittered wait (the stripe SDK's initial delay)
# Largest jittered part of one wait. Stripe's limits are per second: waiting much longer than
# two windows only leaves capacity idle while other requests take it (a long tail at the end
# of a big apply); the caller's time budget, not the cap, ends a siege.
MAX_DELAY = 2.0


def parse_retry_after(headers: Mapping[str, str] | None, now: float) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP-date), or None.

    ``now`` is the Unix time, used for the HTTP-date form. Header names are matched without
    case (the SDK hands over a dict or a case-insensitive mapping, depending on its HTTP
    client). Garbage, negative or infinite values count as absent or zero.
    """
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - now
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def jitter_ceiling(attempt: int) -> float:
    """Upper end of the jittered wait after the ``attempt``-th 429 (0-based): 0.5, 1, 2, 2…"""
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(max(attempt, 0), 16))


def rate_limit_wait(
    attempt: int, retry_after: float | None, remaining: float, draw: float
) -> float | None:
    """Seconds to sleep before the next try, or None to give up.

    ``attempt`` counts the 429s this request already got (0 for the first), ``retry_after``
    is what the server asked for (None when it did not say), ``remaining`` the seconds left
    in the caller's budget, ``draw`` a uniform random number in [0, 1).
    """
    if remaining <= 0:
        return None
    floor = retry_after or 0.0
    if floor > remaining:
        return None  # the server will not take it before the budget runs out
    return min(floor + draw * jitter_ceiling(attempt), remaining)
