"""Stripe's cursor pagination over a list of objects, newest first: one rule for every list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import StripeError

Missing = Callable[[str, str], StripeError]  # (id, param) -> the error for an unknown cursor


def paginate(
    query: dict[str, Any],
    every: list[dict[str, Any]],
    keep: Callable[[dict[str, Any]], bool],
    missing: Missing,
) -> tuple[list[dict[str, Any]], bool]:
    """(the page, has_more) of what ``keep`` selects, per ``limit``, ``starting_after`` and
    ``ending_before`` (a cursor names an object of ``every``, selected or not)."""
    limit = query.get("limit", 10)
    if not 1 <= limit <= 100:
        raise StripeError(
            400,
            "invalid_request_error",
            "This value must be between 1 and 100 (inclusive).",
            param="limit",
        )
    after, before = query.get("starting_after"), query.get("ending_before")
    if after and before:
        raise StripeError(
            400,
            "invalid_request_error",
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
        )
    ids = [o["id"] for o in every]
    if before:
        if before not in ids:
            raise missing(before, "ending_before")
        rest = [o for o in every[: ids.index(before)] if keep(o)]
        return rest[-limit:], len(rest) > limit
    start = 0
    if after:
        if after not in ids:
            raise missing(after, "starting_after")
        start = ids.index(after) + 1
    rest = [o for o in every[start:] if keep(o)]
    return rest[:limit], len(rest) > limit
