"""Talks to Stripe through the official SDK: settings, the three calls we make, readable errors.

Every call asks for ``features.subscription_update.products`` expanded (Stripe returns null
otherwise, which made other providers' applies inconsistent), pins the API version the
models describe, and turns a Stripe error into one line without the API key.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import stripe

from .models import API_VERSION

EXPAND = ["features.subscription_update.products"]
KEY_HELP = (
    "No Stripe API key: set it with `pulumi config set --secret stripe:apiKey sk_test_...` "
    "or the STRIPE_API_KEY environment variable"
)


class PortalApiError(Exception):
    """A Stripe failure, already phrased as one line for the Pulumi CLI."""

    def __init__(self, message: str, http_status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.http_status = http_status
        self.code = code


def _error(exc: stripe.StripeError, api_key: str | None) -> PortalApiError:
    return PortalApiError(describe(exc, api_key), exc.http_status, exc.code)


@dataclass(frozen=True, repr=False)
class Settings:
    """Where and as whom to call Stripe. ``repr`` hides the key."""

    api_key: str | None
    api_base: str | None = None
    stripe_account: str | None = None
    max_network_retries: int = 3

    def __repr__(self) -> str:
        return f"Settings(api_base={self.api_base!r}, stripe_account={self.stripe_account!r})"

    @classmethod
    def from_config(
        cls, config: Callable[[str], str | None], env: Mapping[str, str] | None = None
    ) -> Settings:
        """Stack config first (``stripe:apiKey`` ...), then the environment."""
        env = os.environ if env is None else env

        def pick(key: str, var: str | None) -> str | None:
            value = config(key)
            if value in (None, "") and var:
                value = env.get(var)
            return value or None

        retries = pick("stripe:maxNetworkRetries", "STRIPE_MAX_NETWORK_RETRIES")
        try:
            max_retries = int(retries) if retries is not None else 3
        except ValueError as exc:
            raise PortalApiError(
                f"stripe:maxNetworkRetries must be a whole number, got {retries!r}"
            ) from exc
        return cls(
            api_key=pick("stripe:apiKey", "STRIPE_API_KEY"),
            api_base=pick("stripe:apiBase", "STRIPE_API_BASE"),
            stripe_account=pick("stripe:stripeAccount", "STRIPE_ACCOUNT"),
            max_network_retries=max(0, max_retries),
        )


def _mask(text: str, secret: str | None) -> str:
    if secret and secret in text:
        text = text.replace(secret, secret[:8] + "****")
    return text


def describe(exc: stripe.StripeError, api_key: str | None = None) -> str:
    """One readable line: message, param, request id, HTTP status."""
    error = getattr(exc, "error", None)
    message = (getattr(error, "message", None) or exc.user_message or str(exc) or "").strip()
    message = " ".join(message.split()) or type(exc).__name__
    details = []
    param = getattr(error, "param", None) or getattr(exc, "param", None)
    if param:
        details.append(f"param: {param}")
    if exc.request_id:
        details.append(f"request id: {exc.request_id}")
    if exc.http_status:
        details.append(f"HTTP {exc.http_status}")
    line = f"Stripe: {message}" + (f" ({'; '.join(details)})" if details else "")
    return _mask(line, api_key)


class PortalClient:
    """The calls the provider makes, with rate-limit backoff the SDK does not do for us."""

    RATE_LIMIT_WAIT = 1.0

    def __init__(self, settings: Settings) -> None:
        if not settings.api_key:
            raise PortalApiError(KEY_HELP)
        self._settings = settings
        base = {"api": settings.api_base.rstrip("/")} if settings.api_base else None
        self._stripe = stripe.StripeClient(
            settings.api_key,
            stripe_version=API_VERSION,
            base_addresses=base,
            max_network_retries=settings.max_network_retries,
        )

    def __repr__(self) -> str:
        return f"PortalClient({self._settings!r})"

    def account_for(self, declared: str | None) -> str | None:
        return declared or self._settings.stripe_account

    def _call(self, name: str, account: str | None, fn: Callable[[dict], Any]) -> dict:
        options: dict[str, Any] = {}
        if account:
            options["stripe_account"] = account
        if name != "retrieve":
            # One key across our own 429 retries, so a replay can never apply twice.
            options["idempotency_key"] = f"pulumi-stripe-portal-{uuid.uuid4()}"
        attempt = 0
        while True:
            try:
                return fn(options).to_dict(recursive=True)
            except stripe.RateLimitError as exc:
                if attempt >= self._settings.max_network_retries:
                    raise _error(exc, self._settings.api_key) from None
                delay = min(8.0, self.RATE_LIMIT_WAIT * 2**attempt)
                time.sleep(delay * (0.5 + random.random() / 2))
                attempt += 1
            except stripe.StripeError as exc:
                raise _error(exc, self._settings.api_key) from None

    def create(self, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        service = self._stripe.v1.billing_portal.configurations
        return self._call(
            "create",
            account,
            lambda o: service.create(params={**params, "expand": EXPAND}, options=o),
        )

    def retrieve(self, config_id: str, account: str | None) -> dict[str, Any] | None:
        """The configuration, or None when Stripe no longer has it."""
        service = self._stripe.v1.billing_portal.configurations
        try:
            return self._call(
                "retrieve",
                account,
                lambda o: service.retrieve(config_id, params={"expand": EXPAND}, options=o),
            )
        except PortalApiError as exc:
            if exc.http_status == 404:
                return None
            raise

    def update(self, config_id: str, params: dict[str, Any], account: str | None) -> dict:
        service = self._stripe.v1.billing_portal.configurations
        return self._call(
            "update",
            account,
            lambda o: service.update(config_id, params={**params, "expand": EXPAND}, options=o),
        )
