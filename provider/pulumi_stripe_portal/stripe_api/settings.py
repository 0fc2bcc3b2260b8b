"""Where and as whom to call Stripe, and the one-line error: no stripe SDK needed.

Kept apart from client.py so that the program process and a preview that asks Stripe nothing
never import the SDK: only a call that reaches Stripe builds a ``PortalClient``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

KEY_HELP = (
    "No Stripe API key: set it with `pulumi config set --secret {key} sk_test_...` "
    "or the STRIPE_API_KEY environment variable"
)


@dataclass(frozen=True)
class ConfigKey:
    """One provider setting: its stack-config name (``stripe:<name>`` for Python programs,
    ``stripe-portal:<name>`` for the plugin), its environment fallback and its doc; the
    package schema's config is generated from this table."""

    name: str
    env: str
    description: str
    type: str = "string"  # the schema type: string, integer or number
    secret: bool = False


CONFIG_KEYS = (
    ConfigKey(
        "apiKey",
        "STRIPE_API_KEY",
        "The Stripe secret key (sk_test_... or sk_live_...).",
        secret=True,
    ),
    ConfigKey(
        "apiBase",
        "STRIPE_API_BASE",
        "Where to send requests (an emulator, stripe-mock); Stripe's own API when unset.",
    ),
    ConfigKey(
        "mode",
        "STRIPE_MODE",
        "`test` or `live`: the mode the key must be in; a live key "
        "is refused unless this is `live`.",
    ),
    ConfigKey(
        "accountId",
        "STRIPE_ACCOUNT_ID",
        "The account (acct_...) the key must belong to; checked before any write.",
    ),
    ConfigKey(
        "stripeAccount",
        "STRIPE_ACCOUNT",
        "The Connect account (acct_...) that holds the configurations when a resource names none.",
    ),
    ConfigKey(
        "maxNetworkRetries",
        "STRIPE_MAX_NETWORK_RETRIES",
        "How many times a failed request is retried (3 when unset).",
        type="integer",
    ),
    ConfigKey(
        "rateLimitTimeout",
        "STRIPE_RATE_LIMIT_TIMEOUT",
        "How many seconds one call may keep retrying rate-limited requests (60 when unset).",
        type="number",
    ),
)
ENV = {key.name: key.env for key in CONFIG_KEYS}


class PortalApiError(Exception):
    """A Stripe failure, already phrased as one line for the Pulumi CLI."""

    def __init__(self, message: str, http_status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.http_status = http_status
        self.code = code


@dataclass(frozen=True, repr=False)
class Settings:
    """Where and as whom to call Stripe. ``repr`` hides the key."""

    api_key: str | None
    api_base: str | None = None
    stripe_account: str | None = None
    max_network_retries: int = 3
    rate_limit_timeout: float = 60.0  # seconds one call may keep retrying 429s
    mode: str | None = None  # stripe:mode, "test" or "live" (guards.py)
    account_id: str | None = None  # stripe:accountId, the account the key must belong to
    # Where the keys live in stack config: `stripe` for Python programs, `stripe-portal`
    # for the plugin's package; the messages name the keys the user sets.
    namespace: str = "stripe"

    def key(self, name: str) -> str:
        """A config key as the user sets it: ``stripe:mode`` or ``stripe-portal:mode``."""
        return f"{self.namespace}:{name}"

    def __repr__(self) -> str:
        return f"Settings(api_base={self.api_base!r}, stripe_account={self.stripe_account!r})"

    @classmethod
    def from_config(
        cls,
        config: Callable[[str], str | None],
        env: Mapping[str, str] | None = None,
        namespace: str = "stripe",
    ) -> Settings:
        """Stack config first (``stripe:apiKey`` ...), then the environment."""
        env = os.environ if env is None else env

        def pick(name: str) -> str | None:
            value = config(f"{namespace}:{name}")
            if value in (None, ""):
                value = env.get(ENV[name])
            return value or None

        retries = pick("maxNetworkRetries")
        try:
            max_retries = int(retries) if retries is not None else 3
        except ValueError as exc:
            raise PortalApiError(
                f"{namespace}:maxNetworkRetries must be a whole number, got {retries!r}"
            ) from exc
        timeout = pick("rateLimitTimeout")
        try:
            rate_limit_timeout = float(timeout) if timeout is not None else 60.0
        except ValueError:
            rate_limit_timeout = float("nan")
        if not 0 <= rate_limit_timeout < float("inf"):
            raise PortalApiError(
                f"{namespace}:rateLimitTimeout must be a number of seconds >= 0, got {timeout!r}"
            )
        return cls(
            api_key=pick("apiKey"),
            api_base=pick("apiBase"),
            stripe_account=pick("stripeAccount"),
            max_network_retries=max(0, max_retries),
            rate_limit_timeout=rate_limit_timeout,
            mode=pick("mode"),
            account_id=pick("accountId"),
            namespace=namespace,
        )
