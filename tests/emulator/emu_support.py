"""Helpers shared by the emulator tests: raw HTTP calls, SDK clients, error access."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator

KEY = "sk_test_123"
BASE = "/v1/billing_portal/configurations"

# A configuration that passes every cross-field rule with subscription updates on.
FULL_FEATURES: dict[str, Any] = {
    "invoice_history": {"enabled": True},
    "payment_method_update": {"enabled": True},
    "subscription_update": {
        "enabled": True,
        "default_allowed_updates": ["price"],
        "products": [{"product": "prod_1", "prices": ["price_1"]}],
    },
}


@dataclass
class Answer:
    """A raw HTTP answer."""

    status: int
    headers: http.client.HTTPMessage
    body: dict[str, Any]

    @property
    def error(self) -> dict[str, Any]:
        return self.body["error"]


Raw = Callable[..., Answer]


def make_client(emu: Emulator, key: str = KEY, **kwargs: Any) -> stripe.StripeClient:
    kwargs.setdefault("max_network_retries", 0)
    return stripe.StripeClient(key, base_addresses={"api": emu.url}, **kwargs)


def raw_request(
    url: str,
    method: str,
    path: str,
    params: list[tuple[str, str]] | None = None,
    *,
    key: str | None = KEY,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request over plain http.client: form body on POST, query string otherwise."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    hdrs = dict(headers or {})
    if key is not None:
        hdrs.setdefault("Authorization", f"Bearer {key}")
    encoded = urlencode(params or [])
    body = None
    if method == "POST":
        body = encoded
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    elif encoded:
        path = f"{path}?{encoded}"
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return Answer(resp.status, resp.headers, json.loads(data) if data else {})
    finally:
        conn.close()


def error_of(exc: pytest.ExceptionInfo[stripe.StripeError]) -> dict[str, Any]:
    """The ``error`` object of the JSON body the SDK received."""
    body = exc.value.json_body
    assert body is not None
    return body["error"]
