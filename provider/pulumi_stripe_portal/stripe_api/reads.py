"""The configurations one command reads, served from list pages instead of one GET each.

The engine asks for a stack's portals one at a time (refresh's reads, each update's
ownership read), at most four at once. Real Stripe answers in 0.3-0.5 s, so one request per
portal costs N x latency / 4; a list page holds 100 configurations (products expanded).

The rule keeps every command within one read more than the portals it reads, in any account:
a portal alone is one GET (a stack of one reads once); once two are asked for, a list page is
fetched only while the pages and GETs so far number fewer than the portals asked for, so a
stack in a crowded account stops paging and falls back to GETs. A portal counts as asked for
before the client is built, so the reads that arrive while the first one waits for the stripe
SDK's import (0.05 s) let it page at once: a refresh of 10 reads once, not a GET and a page.
Each of them keeps a GET in the bound, in case the pages do not hold it.
A portal the pages did not hold is one GET, exactly as before, so a missing one is Stripe's
own 404.

A snapshot lives as long as its provider process, which serves one command; the provider's
own writes replace what it holds, so an update's ownership read is never older than the
command's first read of that configuration.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..schema.tree import copied

if TYPE_CHECKING:
    from .client import PortalClient


@dataclass
class _Account:
    """What one account's snapshot holds and what it cost."""

    asked: set[str] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)  # asked, still waiting for the client
    held: dict[str, dict[str, Any]] = field(default_factory=dict)
    reads: int = 0
    cursor: str | None = None
    exhausted: bool = False


class ListedReads:
    """Configurations by id, per account (``Stripe-Account``), for one command."""

    def __init__(self, client: Callable[[], PortalClient]) -> None:
        self._client = client  # built on first use: the stripe SDK's import, 0.05 s
        self._lock = threading.Lock()
        self._accounts: dict[str | None, _Account] = {}

    def get(
        self, config_id: str, account: str | None, *, missing_ok: bool = True
    ) -> dict[str, Any] | None:
        """The configuration as Stripe holds it (None when gone, unless not ``missing_ok``:
        then Stripe's own 404 error, as ``PortalClient.retrieve`` gives it)."""
        with self._lock:
            held = self._accounts.setdefault(account, _Account())
            held.asked.add(config_id)
            held.waiting.add(config_id)
        # Counted before the client is built: the portals asked for while the first read
        # waits for the SDK's import are known when it chooses between a GET and a page.
        try:
            client = self._client()
        except BaseException:
            with self._lock:
                held.waiting.discard(config_id)
            raise
        with self._lock:
            held.waiting.discard(config_id)
            while config_id not in held.held and self._may_page(held):
                held.reads += 1
                self._page(held, account, client)
            if config_id in held.held:
                return copied(held.held[config_id])
            held.reads += 1
        found = client.retrieve(config_id, account, missing_ok=missing_ok)
        if found is not None:
            self.wrote(found, account)
        return found

    def wrote(self, obj: dict[str, Any], account: str | None) -> None:
        """Our own write's answer: what Stripe holds now."""
        with self._lock:
            held = self._accounts.setdefault(account, _Account())
            held.held[obj["id"]] = copied(obj)

    def reads(self, account: str | None = None) -> int:
        """Read requests made for ``account`` so far (pages and GETs)."""
        with self._lock:
            held = self._accounts.get(account)
            return held.reads if held else 0

    @staticmethod
    def _may_page(held: _Account) -> bool:
        """A page only when the reads after it stay within portals asked + 1, should this
        portal and each one still waiting for the client need its own GET after all."""
        if len(held.asked) < 2 or held.exhausted:
            return False
        waiting = sum(1 for config_id in held.waiting if config_id not in held.held)
        return held.reads + 1 + waiting <= len(held.asked)

    def _page(self, held: _Account, account: str | None, client: PortalClient) -> None:
        data, has_more = client.list_page(account, starting_after=held.cursor)
        for obj in data:
            held.held.setdefault(obj["id"], obj)  # our own writes are newer than a page
        held.cursor = data[-1]["id"] if data else held.cursor
        held.exhausted = not has_more or not data
