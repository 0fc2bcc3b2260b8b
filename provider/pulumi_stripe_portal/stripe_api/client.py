"""Talks to Stripe through the official SDK: the calls we make, readable errors, backoff.

Every call asks for ``features.subscription_update.products`` expanded (Stripe returns null
otherwise, which made other providers' applies inconsistent), pins the API version the
models describe, and turns a Stripe error into one line without the API key.

Calls go through the SDK's public ``raw_request``: the same requestor, retries, idempotency
keys, headers and errors as its typed services, but the answer is read as plain JSON. The
typed services build a ``StripeObject`` tree that we only turned back into dicts: a quarter
of the provider's CPU in an update of 100 portals (``make bench``, tests/README.md).
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import stripe

from ..schema.marks import API_VERSION
from . import guards
from .backoff import parse_retry_after, rate_limit_wait
from .settings import KEY_HELP, PortalApiError, Settings

__all__ = ["KEY_HELP", "EXPAND", "PortalApiError", "PortalClient", "Settings", "describe"]

EXPAND = ["features.subscription_update.products"]
# Calls that only read: no idempotency key (Stripe ignores it on GET).
_READS = ("retrieve", "list", "account", "prices", "price", "product")


def _error(exc: stripe.StripeError, api_key: str | None) -> PortalApiError:
    code = "idempotency_error" if isinstance(exc, stripe.IdempotencyError) else exc.code
    return PortalApiError(describe(exc, api_key), exc.http_status, code)


def _path(*parts: str) -> str:
    """An API path with each id quoted, as the SDK's services quote theirs."""
    return "/".join(quote(part, safe="") if i else part for i, part in enumerate(parts))


CONFIGURATIONS = "/v1/billing_portal/configurations"


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

    def __init__(self, settings: Settings) -> None:
        if not settings.api_key:
            raise PortalApiError(KEY_HELP.format(key=settings.key("apiKey")))
        refusal = guards.mode_refusal(settings)
        if refusal:
            raise PortalApiError(refusal)  # before any request
        self._settings = settings
        self._pin = guards.AccountPin(
            settings.account_id, self._account_id, settings.api_key, settings.key("accountId")
        )
        base: Any = {"api": settings.api_base.rstrip("/")} if settings.api_base else None
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

    def ensure_account(self) -> None:
        """Refuses when ``stripe:accountId`` is set and the key belongs to another account;
        asks Stripe once per client. Every call below runs it first."""
        refusal = self._pin.refusal()
        if refusal:
            raise PortalApiError(refusal)

    def _account_id(self) -> str:
        # No Stripe-Account header: with Connect the pin is the platform behind the key.
        obj = self._call("account", None, self._get("/v1/account"))
        return str(obj["id"])

    def _get(self, path: str, params: Any = None) -> Callable[[Any], Any]:
        """One GET through the SDK's raw requests, given the call's options."""
        return lambda options: self._stripe.raw_request("get", path, **(params or {}), **options)

    def _post(self, path: str, params: Any) -> Callable[[Any], Any]:
        return lambda options: self._stripe.raw_request("post", path, **params, **options)

    def list_prices(
        self, lookup_keys: list[str], account: str | None, *, expand_product: bool = False
    ) -> list[dict[str, Any]]:
        """The prices (active or not) holding these lookup keys: one ``GET /v1/prices``;
        ``expand_product`` brings each price's product along (its name, for explain)."""
        # Our params are built from the models at run time, not as the SDK's TypedDicts.
        params: Any = {"lookup_keys": lookup_keys, "limit": 100}
        if expand_product:
            params["expand"] = ["data.product"]
        page = self._call("prices", account, self._get("/v1/prices", params))
        return list(page.get("data") or [])

    def retrieve_price(self, price_id: str, account: str | None) -> dict[str, Any] | None:
        """One price with its product expanded, or None when Stripe has no such price."""
        params: Any = {"expand": ["product"]}
        return self._missing_ok("price", account, self._get(_path("/v1/prices", price_id), params))

    def retrieve_product(self, product_id: str, account: str | None) -> dict[str, Any] | None:
        """One product, or None when Stripe has no such product."""
        return self._missing_ok("product", account, self._get(_path("/v1/products", product_id)))

    def _missing_ok(
        self, name: str, account: str | None, fn: Callable[[Any], Any]
    ) -> dict[str, Any] | None:
        try:
            return self._call(name, account, fn)
        except PortalApiError as exc:
            if exc.http_status == 404:
                return None
            raise

    def _call(
        self,
        name: str,
        account: str | None,
        fn: Callable[[Any], Any],
        idempotency_key: str | None = None,
    ) -> dict:
        if name != "account":
            self.ensure_account()
        options: Any = {}  # the SDK's RequestOptions
        if account:
            options["stripe_account"] = account
        if name not in _READS:
            # One key across our own 429 retries, so a replay can never apply twice.
            options["idempotency_key"] = idempotency_key or f"pulumi-stripe-portal-{uuid.uuid4()}"
        started, attempt = time.monotonic(), 0
        while True:
            try:
                return json.loads(fn(options).body)  # plain dicts; no StripeObject built
            except stripe.RateLimitError as exc:
                # Not a write: wait (Retry-After, then full jitter) and try again until the
                # rate-limit budget runs out, whatever max_network_retries says.
                elapsed = time.monotonic() - started
                delay = rate_limit_wait(
                    attempt,
                    parse_retry_after(exc.headers, time.time()),
                    self._settings.rate_limit_timeout - elapsed,
                    random.random(),
                )
                if delay is None:
                    error = _error(exc, self._settings.api_key)
                    raise PortalApiError(
                        f"{error}; gave up after {attempt + 1} rate-limited attempt(s) in "
                        f"{elapsed:.1f} s ({self._settings.key('rateLimitTimeout')} = "
                        f"{self._settings.rate_limit_timeout:g} s)",
                        error.http_status,
                        error.code,
                    ) from None
                time.sleep(delay)
                attempt += 1
            except stripe.StripeError as exc:
                raise _error(exc, self._settings.api_key) from None

    def create(
        self, params: dict[str, Any], account: str | None, idempotency_key: str | None = None
    ) -> tuple[dict[str, Any], bool]:
        """The new configuration, and whether Stripe replayed an earlier create with the same
        ``idempotency_key`` (its answer then is as old as that create)."""
        replayed = False
        post = self._post(CONFIGURATIONS, {**params, "expand": EXPAND})

        def send(options: Any) -> Any:
            nonlocal replayed
            response = post(options)
            headers = getattr(response, "headers", None) or {}
            replayed = any(
                k.lower() == "idempotent-replayed" and str(v).lower() == "true"
                for k, v in headers.items()
            )
            return response

        return self._call("create", account, send, idempotency_key), replayed

    def retrieve(
        self, config_id: str, account: str | None, *, missing_ok: bool = True
    ) -> dict[str, Any] | None:
        """The configuration, or None when Stripe no longer has it (unless not ``missing_ok``:
        then Stripe's own 404 error)."""
        fetch = self._get(_path(CONFIGURATIONS, config_id), {"expand": EXPAND})
        if missing_ok:
            return self._missing_ok("retrieve", account, fetch)
        return self._call("retrieve", account, fetch)

    def list_page(
        self, account: str | None, *, starting_after: str | None = None
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of every configuration (newest first, 100, products expanded), and
        whether more follow: one ``GET /v1/billing_portal/configurations``."""
        params: Any = {"limit": 100, "expand": ["data." + EXPAND[0]]}
        if starting_after:
            params["starting_after"] = starting_after
        page = self._call("list", account, self._get(CONFIGURATIONS, params))
        return list(page.get("data") or []), bool(page.get("has_more"))

    def list_configurations(self, account: str | None, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every configuration matching ``filters`` (``active``, ``is_default``), all pages."""
        params: Any = {**filters, "limit": 100, "expand": ["data." + EXPAND[0]]}
        while True:
            page = self._call("list", account, self._get(CONFIGURATIONS, dict(params)))
            data = page.get("data") or []
            yield from data
            if not page.get("has_more") or not data:
                return
            params["starting_after"] = data[-1]["id"]

    def default(self, account: str | None) -> dict[str, Any] | None:
        """The account's default configuration (``is_default=true``), or None."""
        return next(self.list_configurations(account, is_default=True), None)

    def update(self, config_id: str, params: dict[str, Any], account: str | None) -> dict:
        body: Any = {**params, "expand": EXPAND}
        return self._call("update", account, self._post(_path(CONFIGURATIONS, config_id), body))
