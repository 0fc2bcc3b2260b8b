"""Two guards that keep a stack on the Stripe mode and account it was written for.

The mode guard is a pure check of the settings, run before any request: a key of the other
mode than ``stripe:mode`` is refused, and a live key needs ``stripe:mode live`` (an explicit
opt-in to live writes). ``pulumi refresh`` and ``destroy`` configure the provider from the
config of the last ``up``, so the environment's ``STRIPE_MODE`` is checked as well.

The account pin asks Stripe once per process which account the key belongs to
(``GET /v1/account``, never with a ``Stripe-Account`` header: with Connect the pin is the
platform account behind the key) and refuses when it is not ``stripe:accountId``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

MODES = ("test", "live")
_KEY = re.compile(r"^(sk|rk)_(test|live)_")


class _Settings(Protocol):
    @property
    def api_key(self) -> str | None: ...
    @property
    def mode(self) -> str | None: ...
    @property
    def account_id(self) -> str | None: ...
    def key(self, name: str) -> str: ...


def key_mode(api_key: str | None) -> str | None:
    """``test`` or ``live`` from the key's prefix; None for a key of no known shape."""
    match = _KEY.match(api_key or "")
    return match.group(2) if match else None


def mask(api_key: str | None) -> str:
    """The key's prefix only (``sk_live_****``), safe to print."""
    match = _KEY.match(api_key or "")
    return (match.group(0) if match else (api_key or "")[:3]) + "****"


def mode_refusal(settings: _Settings, env: Mapping[str, str] | None = None) -> str | None:
    """Why the key must not be used in this stack's mode, as one line; None when it may."""
    env = os.environ if env is None else env
    mode = settings.mode
    if mode is not None and mode not in MODES:
        return f"{settings.key('mode')} must be test or live, got {mode!r}"
    env_mode = env.get("STRIPE_MODE") or None
    if env_mode is not None and env_mode not in MODES:
        return f"STRIPE_MODE must be test or live, got {env_mode!r}"
    kind = key_mode(settings.api_key)
    if kind is None:
        return None
    key = mask(settings.api_key)
    # The environment first: Settings falls back to it, and refresh/destroy see it fresh.
    for name, wanted in (("STRIPE_MODE", env_mode), (settings.key("mode"), mode)):
        if wanted is not None and wanted != kind:
            return (
                f"refused: {name} is {wanted!r} but the API key {key} is a {kind}-mode key; "
                f"use a {wanted}-mode key for this stack"
            )
    if kind == "live" and mode != "live":
        return (
            f"refused: the API key {key} is a live-mode key and {settings.key('mode')} is not "
            "set; live writes need an explicit opt-in: pulumi config set "
            f"{settings.key('mode')} live"
        )
    return None


def pin_refusal(
    expected: str, actual: str, api_key: str | None, key: str = "stripe:accountId"
) -> str | None:
    """Why writes are refused when the key's account is not the pinned one."""
    if actual == expected:
        return None
    return (
        f"refused: {key} is {expected} but the API key {mask(api_key)} belongs to "
        f"account {actual}; nothing was changed"
    )


class AccountPin:
    """Asks for the key's account once per process (thread-safe: the provider server runs
    four calls at once) and compares it with ``stripe:accountId``."""

    def __init__(
        self,
        expected: str | None,
        fetch: Callable[[], str],
        api_key: str | None,
        key: str = "stripe:accountId",
    ):
        self.expected = expected
        self._key = key
        self._fetch = fetch
        self._api_key = api_key
        self._actual: str | None = None
        self._lock = threading.Lock()

    def refusal(self) -> str | None:
        """None when no pin is set or the account matches; a failed fetch raises and is
        asked again next time."""
        if self.expected is None:
            return None
        with self._lock:
            if self._actual is None:
                self._actual = self._fetch()
            actual = self._actual
        return pin_refusal(self.expected, actual, self._api_key, self._key)
