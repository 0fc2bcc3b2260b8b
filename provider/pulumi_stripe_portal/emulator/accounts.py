"""``GET /v1/account``: which account an API key belongs to, as plain objects.

Every key has a stable account id: ``acct_`` + the first 16 hex digits of the SHA-256 of the
whole key (so ``sk_test_123`` is always ``acct_`` + sha256("sk_test_123")[:16], and a test
key and a live key are different accounts unless you say otherwise). Set an id per key with
``Emulator(account_ids={key: "acct_..."})``, ``emu.set_account_id(key, id)`` or the CLI's
``--account-id KEY=acct_...``; give a test and a live key the same id to model one account.
With a ``Stripe-Account`` header the answer is that connected account (id = the header).

The id is only what ``GET /v1/account`` answers: data stays scoped as before (every key of one
mode sees the same platform account; ``Stripe-Account`` selects a connected one). Not
emulated: ``/v1/accounts`` (Connect's account management), capabilities, requirements.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any

from . import spec
from .errors import StripeError

ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]+")
_CREATED = 1_700_000_000  # a fixed date, so answers are stable


@dataclass(frozen=True)
class Ctx:
    """Who asks: the account (``platform`` or a ``Stripe-Account`` id) and the key's mode."""

    account: str = "platform"
    livemode: bool = False


def derived_account_id(key: str) -> str:
    """The id a key gets unless one is set: ``acct_`` + sha256(key)[:16]."""
    return "acct_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def check_account_id(id_: str) -> str:
    if not ACCOUNT_ID.fullmatch(id_):
        raise ValueError(f"not an account id (acct_ + letters and digits): {id_!r}")
    return id_


class Accounts:
    """The key → account id table (explicit ids first, derived otherwise)."""

    def __init__(self, ids: dict[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._ids = {k: check_account_id(v) for k, v in (ids or {}).items()}

    def set(self, key: str, id_: str | None) -> None:
        """Give ``key`` this account id; None returns it to the derived id."""
        with self._lock:
            if id_ is None:
                self._ids.pop(key, None)
            else:
                self._ids[key] = check_account_id(id_)

    def id_for(self, key: str) -> str:
        with self._lock:
            return self._ids.get(key) or derived_account_id(key)

    def retrieve(
        self, key: str, connected: str | None, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The account object for ``key`` (or for the connected account it acts as)."""
        params = dict(params or {})
        for path in spec.expansions(params.pop("expand", None)):
            raise StripeError(
                400,
                "invalid_request_error",
                f"This property cannot be expanded ({path}).",
                param="expand",
            )
        spec.validate(spec.Hash(), params)
        id_ = connected or self.id_for(key)
        return {
            "id": id_,
            "object": "account",
            "business_profile": {"name": None, "support_email": None, "url": None},
            "business_type": None,
            "capabilities": {},
            "charges_enabled": True,
            "controller": {"type": "application" if connected else "account"},
            "country": "US",
            "created": _CREATED,
            "default_currency": "usd",
            "details_submitted": True,
            "email": None,
            "metadata": {},
            "payouts_enabled": True,
            "settings": {"dashboard": {"display_name": None, "timezone": "Etc/UTC"}},
            "type": "standard",
        }
