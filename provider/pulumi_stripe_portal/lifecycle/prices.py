"""Prices named by lookup key: resolution to price ids, and what the portal allows of them.

Price ids differ between test and live mode and between accounts; lookup keys need not, so
``features.subscription_update.products[].lookup_keys`` lets one declaration serve every
stack. The declaration keeps the keys; the ids they resolved to ride beside it under the
hidden key ``_lookup_prices`` (in the checked inputs and in ``_declared``), so ``diff`` sees
a key moved to another price (``transfer_lookup_key``) and refresh leaves it alone. Stripe
only ever receives price ids (``to_stripe``).

Resolution asks ``GET /v1/prices?lookup_keys[]=…`` for at most 10 keys per call, all keys
of a declaration at once, and remembers the answers for the life of the client (one
provider process), so a run asks as few times as its keys allow.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from ..schema.tree import contains_unknown, copied, is_unknown
from ..stripe_api.settings import PortalApiError

RESOLVED_KEY = "_lookup_prices"
MAX_KEYS_PER_CALL = 10  # Stripe's limit on lookup_keys[] per list call
PRODUCTS = "features.subscription_update.products"

Failure = tuple[str, str]


class PriceSource(Protocol):
    def list_prices(self, lookup_keys: list[str], account: str | None) -> list[dict[str, Any]]:
        """One ``GET /v1/prices`` for at most ``MAX_KEYS_PER_CALL`` keys."""
        ...


def _products(declaration: Mapping[str, Any]) -> list[Any]:
    features = declaration.get("features")
    update = features.get("subscription_update") if isinstance(features, dict) else None
    products = update.get("products") if isinstance(update, dict) else None
    return products if isinstance(products, list) else []


def lookup_keys(declaration: Mapping[str, Any]) -> list[str]:
    """Every lookup key the declaration names, first occurrence first."""
    keys: dict[str, None] = {}
    for product in _products(declaration):
        if isinstance(product, dict):
            for key in product.get("lookup_keys") or []:
                if isinstance(key, str):
                    keys.setdefault(key)
    return list(keys)


def batches(keys: list[str], size: int = MAX_KEYS_PER_CALL) -> list[list[str]]:
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def _product_id(price: Mapping[str, Any]) -> str | None:
    product = price.get("product")
    return product.get("id") if isinstance(product, dict) else product


def _interval(price: Mapping[str, Any]) -> tuple[str, int] | None:
    recurring = price.get("recurring")
    if not isinstance(recurring, dict) or not recurring.get("interval"):
        return None
    return recurring["interval"], int(recurring.get("interval_count") or 1)


def _describe(interval: tuple[str, int]) -> str:
    unit, count = interval
    return unit if count == 1 else f"{count} {unit}s"


def validate(declaration: Mapping[str, Any], found: Mapping[str, Any]) -> list[Failure]:
    """Check failures for the lookup keys, given ``found``: key → price (None if unknown).

    The portal offers active, recurring prices of the product they are listed under, and
    at most one price per recurring interval per product (Stripe refuses more).
    """
    failures: list[Failure] = []
    for i, product in enumerate(_products(declaration)):
        if not isinstance(product, dict):
            continue
        pid = product.get("product")
        taken: dict[tuple[str, int], str] = {}
        for j, key in enumerate(product.get("lookup_keys") or []):
            path = f"{PRODUCTS}[{i}].lookup_keys[{j}]"
            price = found.get(key)
            if price is None:
                failures.append((path, f"no active price has lookup key {key!r}"))
                continue
            name = f"lookup key {key!r} names price {price.get('id')}"
            owner, interval = _product_id(price), _interval(price)
            if price.get("active") is False:
                failures.append((path, f"{name}, which is inactive"))
            elif owner != pid:
                failures.append((path, f"{name} of product {owner}, not of {pid}"))
            elif interval is None:
                failures.append(
                    (path, f"{name}, which is not recurring: the portal offers recurring prices")
                )
            elif interval in taken and taken[interval] != price.get("id"):
                failures.append(
                    (
                        path,
                        f"{name}, which has the same recurring interval "
                        f"({_describe(interval)}) as price {taken[interval]}: Stripe allows "
                        "one price per interval for each product",
                    )
                )
            else:
                taken[interval] = price.get("id")
    return failures


class PriceBook:
    """The lookup keys a client has resolved, per account; thread-safe, one per client."""

    def __init__(self, source: PriceSource) -> None:
        self._source = source
        self._known: dict[tuple[str | None, str], dict[str, Any] | None] = {}
        self._lock = threading.Lock()

    def find(self, keys: Iterable[str], account: str | None) -> dict[str, dict[str, Any] | None]:
        """key → price (None when no price has it), asking only for keys not seen yet."""
        keys = list(dict.fromkeys(keys))
        with self._lock:  # one caller at a time, so no key is asked for twice
            missing = [k for k in keys if (account, k) not in self._known]
            for batch in batches(missing):
                answers = {}
                for price in self._source.list_prices(batch, account):
                    if price.get("lookup_key") in batch:
                        answers[price["lookup_key"]] = price
                for key in batch:
                    self._known[(account, key)] = answers.get(key)
            return {k: self._known[(account, k)] for k in keys}


_BOOKS: weakref.WeakKeyDictionary[Any, PriceBook] = weakref.WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def book_for(source: PriceSource) -> PriceBook:
    """The client's price book: it lives as long as the client (the provider process)."""
    with _BOOKS_LOCK:
        book = _BOOKS.get(source)
        if book is None:
            book = _BOOKS[source] = PriceBook(source)
        return book


def resolve(
    declaration: dict[str, Any], source: PriceSource, account: Any
) -> tuple[dict[str, Any], list[Failure]]:
    """The declaration with its keys resolved under ``RESOLVED_KEY``, or the failures.

    Unchanged (and no request) when it names no key or a value is not known yet.
    """
    keys = lookup_keys(declaration)
    if not keys or is_unknown(account) or contains_unknown(_products(declaration)):
        return declaration, []
    found = book_for(source).find(keys, account)
    failures = validate(declaration, found)
    if failures:
        return declaration, failures
    resolved = {key: found[key]["id"] for key in keys}  # type: ignore[index]
    return {**declaration, RESOLVED_KEY: resolved}, []


def ready(
    declaration: dict[str, Any], source: Callable[[], PriceSource], account: str | None
) -> dict:
    """Resolved before a write: every key has its price id, or nothing is written. The
    source is asked for only when a key needs it: the client it is costs the SDK's import."""
    keys = lookup_keys(declaration)
    have = declaration.get(RESOLVED_KEY) or {}
    if all(k in have for k in keys):
        return declaration
    declaration, failures = resolve(
        {k: v for k, v in declaration.items() if k != RESOLVED_KEY}, source(), account
    )
    if failures:
        raise PortalApiError("; ".join(f"{path}: {reason}" for path, reason in failures))
    return declaration


def to_stripe(declaration: dict[str, Any]) -> dict[str, Any]:
    """What Stripe receives: each product's prices plus its keys' prices, no keys."""
    resolved = declaration.get(RESOLVED_KEY) or {}
    out = {k: v for k, v in declaration.items() if k != RESOLVED_KEY}
    if not any(isinstance(p, dict) and "lookup_keys" in p for p in _products(declaration)):
        return out
    out = copied(out)
    for product in _products(out):
        keys = product.pop("lookup_keys", None) or []
        ids = list(product.get("prices") or [])
        ids += [resolved[k] for k in keys if k in resolved and resolved[k] not in ids]
        if ids:
            product["prices"] = ids
    return out


def fold(view: dict[str, Any], declared: Mapping[str, Any]) -> dict[str, Any]:
    """The declared view with key-resolved prices shown as their lookup keys again.

    ``view`` was projected from Stripe's object with ``to_stripe(declared)``; a key whose
    price Stripe no longer holds drops out, so that drift shows as a diff.
    """
    resolved = declared.get(RESOLVED_KEY) or {}
    by_product = {p.get("product"): p for p in _products(declared) if isinstance(p, dict)}
    for item in _products(view):
        mine = by_product.get(item.get("product")) if isinstance(item, dict) else None
        if not mine or "lookup_keys" not in mine:
            continue
        held = list(item.get("prices") or [])
        keys = [k for k in mine["lookup_keys"] if resolved.get(k) in held]
        from_keys = {resolved[k] for k in keys}
        own = set(mine.get("prices") or [])
        prices = [p for p in held if p not in from_keys or p in own]
        item.pop("prices", None)
        if prices:
            item["prices"] = prices
        item["lookup_keys"] = keys
    if RESOLVED_KEY in declared:
        view[RESOLVED_KEY] = dict(resolved)
    return view


def moved(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a lookup key in both declarations now names another price."""
    before, after = old.get(RESOLVED_KEY) or {}, new.get(RESOLVED_KEY) or {}
    return any(key in before and before[key] != price for key, price in after.items())
