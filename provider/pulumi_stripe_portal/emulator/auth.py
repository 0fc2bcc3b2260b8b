"""API keys and ``Stripe-Account``: who a request speaks for, with Stripe's 401 and 403.

Plain functions of header values, so the command line (``--account-id``) and the HTTP layer
share them. Keys are never echoed whole: errors mask them as Stripe does. Not emulated:
publishable keys (refused like any malformed key), restricted keys' permissions (an
``rk_`` key may do anything an ``sk_`` key may), unknown connected accounts (every
well-formed ``acct_...`` exists).
"""

from __future__ import annotations

import base64
import re

from .errors import StripeError

_KEY = re.compile(r"(sk|rk)_(test|live)_[A-Za-z0-9]+")
_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]+")


def mask_key(key: str) -> str:
    """Stripe's masking: mode prefix, asterisks, last four characters (if the key is long)."""
    m = re.match(r"[a-z]+_(?:test|live)_", key)
    prefix = m.group(0) if m else ""
    rest = key[len(prefix) :]
    return prefix + "****" + (rest[-4:] if len(rest) > 8 else "")


def authenticate(header: str, allowed: frozenset[str] | None) -> tuple[str, bool]:
    """(key, livemode) from a Bearer or Basic ``Authorization`` header; 401 otherwise."""
    header = header.strip()
    scheme, _, cred = header.partition(" ")
    key = cred.strip()
    if scheme.lower() == "basic":
        try:
            key = base64.b64decode(key).decode().partition(":")[0]
        except (ValueError, UnicodeDecodeError):
            key = "?"
    elif scheme.lower() != "bearer":
        key = header
    if not key:
        raise StripeError(
            401,
            "invalid_request_error",
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
            "or we can help at https://support.stripe.com/.",
        )
    m = _KEY.fullmatch(key)
    if m is None or (allowed is not None and key not in allowed):
        raise StripeError(
            401, "invalid_request_error", f"Invalid API Key provided: {mask_key(key)}"
        )
    return key, m.group(2) == "live"


def connected_account(header: str | None, key: str) -> str | None:
    """The ``Stripe-Account`` header's account id, or Stripe's 403 for a malformed one."""
    if header is not None and not _ACCOUNT.fullmatch(header):
        raise StripeError(
            403,
            "invalid_request_error",
            f"The provided key '{mask_key(key)}' does not have access to account "
            f"'{header}' (or that account does not exist). Application access may "
            "have been revoked.",
        )
    return header
