"""Prices and products in customers' terms: "Pro: $42.42 a month".

With a key, what a plan names is looked up read-only and each thing is asked once: lookup
keys in batches of at most ten per ``GET /v1/prices`` (Stripe's limit), each price id by
``GET /v1/prices/{id}``, both with the product expanded so that its name comes along, and
``GET /v1/products/{id}`` only for a product that no price brought. Without a key (a pull
request from a fork) nothing is asked, and ids and lookup keys are shown as declared.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ..lifecycle.prices import batches

# Currencies without minor units, and with three (Stripe's lists).
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "inr": "₹", "krw": "₩"}


class CatalogSource(Protocol):
    """The client's read-only catalogue calls (client.py)."""

    def list_prices(
        self, lookup_keys: list[str], account: str | None, *, expand_product: bool = False
    ) -> list[dict[str, Any]]: ...

    def retrieve_price(self, price_id: str, account: str | None) -> dict[str, Any] | None: ...

    def retrieve_product(self, product_id: str, account: str | None) -> dict[str, Any] | None: ...


def amount(unit_amount: int, currency: str) -> str:
    """``$42.42``, ``¥4,242``, ``42.42 CHF``."""
    code = currency.lower()
    digits = 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2
    number = f"{unit_amount / 10**digits:,.{digits}f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code.upper()}"


def interval(recurring: Any) -> str:
    """``a month``, ``every 3 months``; ``once`` for a one-time price."""
    if not isinstance(recurring, dict) or not recurring.get("interval"):
        return "once"
    unit, count = str(recurring["interval"]), int(recurring.get("interval_count") or 1)
    return f"a {unit}" if count == 1 else f"every {count} {unit}s"


def price_words(price: dict[str, Any]) -> str:
    """``$42.42 a month``."""
    value = price.get("unit_amount")
    currency = str(price.get("currency") or "")
    if isinstance(value, int) and currency:
        said = amount(value, currency)
    elif price.get("unit_amount_decimal") and currency:
        said = f"{price['unit_amount_decimal']} {currency.upper()} (in minor units)"
    else:
        said = "a custom amount"
    return f"{said} {interval(price.get('recurring'))}"


class Offers:
    """What Stripe's catalogue says of the prices and products a plan names, per account."""

    def __init__(self, source: CatalogSource | None = None) -> None:
        self._source = source
        self._by_key: dict[tuple[str | None, str], dict[str, Any] | None] = {}
        self._prices: dict[tuple[str | None, str], dict[str, Any] | None] = {}
        self._products: dict[tuple[str | None, str], dict[str, Any] | None] = {}

    @property
    def looks_up(self) -> bool:
        """Whether there is a key to ask Stripe with."""
        return self._source is not None

    def fetch(
        self,
        account: str | None,
        keys: Iterable[str] = (),
        price_ids: Iterable[str] = (),
        product_ids: Iterable[str] = (),
    ) -> None:
        """Asks for whatever is not known yet: keys first (in batches), then price ids, then
        the products no price brought along."""
        if self._source is None:
            return
        wanted = [k for k in dict.fromkeys(keys) if (account, k) not in self._by_key]
        for batch in batches(wanted):
            found: dict[str, dict[str, Any]] = {}
            for price in self._source.list_prices(batch, account, expand_product=True):
                if price.get("lookup_key") in batch:
                    found[price["lookup_key"]] = price
                    self._remember(account, price)
            for key in batch:
                self._by_key[(account, key)] = found.get(key)
        for price_id in dict.fromkeys(price_ids):
            if (account, price_id) not in self._prices:
                answer = self._source.retrieve_price(price_id, account)
                self._prices[(account, price_id)] = answer
                if answer:
                    self._remember(account, answer)
        for product_id in dict.fromkeys(product_ids):
            if (account, product_id) not in self._products:
                self._products[(account, product_id)] = self._source.retrieve_product(
                    product_id, account
                )

    def _remember(self, account: str | None, price: dict[str, Any]) -> None:
        self._prices[(account, str(price["id"]))] = price
        product = price.get("product")
        if isinstance(product, dict) and product.get("id"):
            self._products.setdefault((account, str(product["id"])), product)

    def price(self, account: str | None, price_id: str) -> dict[str, Any] | None:
        return self._prices.get((account, price_id))

    def by_key(self, account: str | None, key: str) -> dict[str, Any] | None:
        return self._by_key.get((account, key))

    def product_name(self, account: str | None, product_id: str) -> str | None:
        product = self._products.get((account, product_id))
        name = product.get("name") if product else None
        return str(name) if name else None
