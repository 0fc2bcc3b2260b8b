"""Products and prices (the catalogue portal configurations refer to), as plain objects.

Scoped by account and mode like configurations, stored in the store's ``objects`` table.
Parameters are checked against the stripe SDK's own param types (spec.py); this module adds
Stripe's rules: a product's custom ``id`` must be new; a price needs an existing product
and a ``unit_amount``; a ``lookup_key`` belongs to one price of an account and mode, and
another price may take it only with ``transfer_lookup_key=true`` (the old price keeps
nothing). ``list`` filters ``lookup_keys[]`` (at most 10), ``product``, ``active``,
``currency``, ``type``, ``recurring`` and ``created``, newest first, with cursors.

The reference rule (``check_portal_products``) is what Stripe does to a configuration's
``features.subscription_update.products``: an unknown product or price, a price of another
product, an inactive or one-time price, or two prices of one product with the same interval
are 400 ``invalid_request_error`` naming the item's param. The Backend applies it only when
``check_references`` is on (``Emulator(check_references=True)``, ``--check-references``,
and automatically once a catalogue is loaded), so tests that use made-up ids such as
``prod_basic`` without creating them keep working.

Not emulated: tiered, decimal, custom-amount and multi-currency prices, ``default_price``,
product update/list/delete, price search; the messages of the reference rules and of the
lookup-key limits follow Stripe's wording as reported, not verified character for character.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stripe.params import (
    PriceCreateParams,
    PriceListParams,
    PriceRetrieveParams,
    PriceUpdateParams,
    ProductCreateParams,
    ProductRetrieveParams,
)

from . import spec
from .accounts import Ctx
from .errors import StripeError
from .paging import paginate
from .store import Store, copy_json

PRODUCT, PRICE = "product", "price"
PRICES_URL = "/v1/prices"
PORTAL_PRODUCTS = "features[subscription_update][products]"
MAX_LOOKUP_KEYS = 10

PRODUCT_CREATE = spec.schema_of(ProductCreateParams)
PRODUCT_RETRIEVE = spec.schema_of(ProductRetrieveParams)
PRICE_CREATE = spec.schema_of(PriceCreateParams)
PRICE_UPDATE = spec.schema_of(PriceUpdateParams)
PRICE_LIST = spec.schema_of(PriceListParams)
PRICE_RETRIEVE = spec.schema_of(PriceRetrieveParams)

_ALNUM = string.ascii_letters + string.digits
_CURRENCY = re.compile(r"[a-z]{3}")
_MAX_INTERVAL = {"day": 1095, "week": 156, "month": 36, "year": 3}  # three years
_NOT_EMULATED_PRODUCT = ("default_price_data", "tax_details")
_NOT_EMULATED_PRICE = (
    "currency_options",
    "custom_unit_amount",
    "tiers",
    "tiers_mode",
    "transform_quantity",
    "unit_amount_decimal",
)


class CatalogError(ValueError):
    """A catalogue seed that cannot be loaded; the message names the entry."""


def _new_id(prefix: str, n: int) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(n))


def _bad(param: str | None, message: str, code: str | None = None) -> StripeError:
    return StripeError(400, "invalid_request_error", message, param=param, code=code)


def _missing(kind: str, id_: str, param: str, status: int = 400) -> StripeError:
    return StripeError(
        status,
        "invalid_request_error",
        f"No such {kind}: '{id_}'",
        param=param,
        code="resource_missing",
    )


def _not_emulated(params: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in params:
            raise _bad(name, f"The emulator does not emulate `{name}`.")


def _expansions(params: dict[str, Any], allowed: tuple[str, ...]) -> set[str]:
    asked = set(spec.expansions(params.pop("expand", None)))
    for path in asked - set(allowed):
        raise _bad("expand", f"This property cannot be expanded ({path}).")
    return asked


def _metadata(meta: dict[str, str | None] | None) -> dict[str, str]:
    out = {k: v for k, v in (meta or {}).items() if v is not None}
    for k, v in out.items():
        if len(k) > 40:
            raise _bad(f"metadata[{k}]", "Metadata keys can have up to 40 characters.")
        if len(v) > 500:
            raise _bad(f"metadata[{k}]", "Metadata values can have up to 500 characters.")
    if len(out) > 50:
        raise _bad("metadata", "You can have at most 50 metadata keys.")
    return out


def _created_matches(created: int, rng: dict[str, int]) -> bool:
    ops = {
        "gt": created > rng.get("gt", created - 1),
        "gte": created >= rng.get("gte", created),
        "lt": created < rng.get("lt", created + 1),
        "lte": created <= rng.get("lte", created),
    }
    return all(ops.values())


class Catalog:
    """Products and prices of every account and mode; shares the Backend's store and lock."""

    def __init__(self, store: Store, lock: threading.RLock, clock: Callable[[], float]) -> None:
        self.store = store
        self.lock = lock
        self.clock = clock

    # products ------------------------------------------------------------------------

    def create_product(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        params = dict(params)
        _expansions(params, ())
        p = spec.validate(PRODUCT_CREATE, params)
        _not_emulated(p, _NOT_EMULATED_PRODUCT)
        with self.lock:
            return self._insert_product(ctx, p)

    def _insert_product(self, ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
        id_ = p.get("id") or _new_id("prod_", 14)
        if self.store.get_object(PRODUCT, ctx.account, ctx.livemode, id_) is not None:
            raise _bad("id", "Product already exists.", "resource_already_exists")
        now = int(self.clock())
        obj = {
            "id": id_,
            "object": "product",
            "active": p.get("active", True),
            "created": now,
            "default_price": None,
            "description": p.get("description"),
            "images": p.get("images", []),
            "livemode": ctx.livemode,
            "marketing_features": p.get("marketing_features", []),
            "metadata": _metadata(p.get("metadata")),
            "name": p["name"],
            "package_dimensions": p.get("package_dimensions"),
            "shippable": p.get("shippable"),
            "statement_descriptor": p.get("statement_descriptor"),
            "tax_code": p.get("tax_code"),
            "type": p.get("type", "service"),
            "unit_label": p.get("unit_label"),
            "updated": now,
            "url": p.get("url"),
        }
        self.store.put_object(PRODUCT, ctx.account, ctx.livemode, obj)
        return obj

    def retrieve_product(
        self, ctx: Ctx, id_: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        params = dict(params or {})
        _expansions(params, ())
        spec.validate(PRODUCT_RETRIEVE, params)
        with self.lock:
            obj = self.store.get_object(PRODUCT, ctx.account, ctx.livemode, id_)
        if obj is None:
            raise _missing("product", id_, "id", 404)
        return obj

    # prices --------------------------------------------------------------------------

    def _price(self, ctx: Ctx, id_: str, param: str = "id", status: int = 404) -> dict[str, Any]:
        obj = self.store.get_object(PRICE, ctx.account, ctx.livemode, id_)
        if obj is None:
            raise _missing("price", id_, param, status)
        return obj

    def _render(self, ctx: Ctx, price: dict[str, Any], product: bool) -> dict[str, Any]:
        out: dict[str, Any] = copy_json(price)
        if product:
            out["product"] = self.store.get_object(
                PRODUCT, ctx.account, ctx.livemode, price["product"]
            )
        return out

    def _take_lookup_key(self, ctx: Ctx, key: str, transfer: bool, owner: str | None) -> None:
        """Free ``key`` for the price ``owner``, or refuse if another price holds it."""
        if len(key) > 200:
            raise _bad("lookup_key", "Invalid lookup_key: must be at most 200 characters.")
        for other in self.store.all_objects(PRICE, ctx.account, ctx.livemode):
            if other["lookup_key"] != key or other["id"] == owner:
                continue
            if not transfer:
                raise _bad("lookup_key", f"A price (`{other['id']}`) already uses that lookup key.")
            other["lookup_key"] = None
            self.store.put_object(PRICE, ctx.account, ctx.livemode, other)

    def create_price(
        self, ctx: Ctx, params: dict[str, Any], *, id_: str | None = None
    ) -> dict[str, Any]:
        """Create a price; ``id_`` (not an API parameter) lets a catalogue seed fix the id."""
        params = dict(params)
        product_expanded = PRODUCT in _expansions(params, (PRODUCT,))
        p = spec.validate(PRICE_CREATE, params)
        _not_emulated(p, _NOT_EMULATED_PRICE)
        if p.get("billing_scheme", "per_unit") != "per_unit":
            raise _bad("billing_scheme", "The emulator only emulates `per_unit` prices.")
        currency = p["currency"].lower()
        if not _CURRENCY.fullmatch(currency):
            raise _bad("currency", f"Invalid currency: {p['currency']}.")
        if "product" in p and "product_data" in p:
            raise _bad(
                "product_data",
                "You may only specify one of these parameters: product, product_data.",
            )
        if "product" not in p and "product_data" not in p:
            raise _bad(
                "product",
                "You must specify either `product` or `product_data` when creating a price.",
            )
        if "unit_amount" not in p:
            raise _bad("unit_amount", "Missing required param: unit_amount.", "parameter_missing")
        if p["unit_amount"] < 0:
            raise _bad("unit_amount", "This value must be greater than or equal to 0.")
        recurring = None
        if "recurring" in p:
            r = p["recurring"]
            count = r.get("interval_count", 1)
            if count < 1:
                raise _bad("recurring[interval_count]", "This value must be at least 1.")
            if count > _MAX_INTERVAL[r["interval"]]:
                raise _bad(
                    "recurring[interval_count]",
                    "Maximum of three years interval allowed (3 years, 36 months, 156 weeks, "
                    "or 1095 days).",
                )
            recurring = {
                "interval": r["interval"],
                "interval_count": count,
                "meter": r.get("meter"),
                "trial_period_days": r.get("trial_period_days"),
                "usage_type": r.get("usage_type", "licensed"),
            }
        with self.lock, self.store.transaction():
            if "product_data" in p:
                product = self._insert_product(ctx, p["product_data"])["id"]
            else:
                product = p["product"]
                if self.store.get_object(PRODUCT, ctx.account, ctx.livemode, product) is None:
                    raise _missing("product", product, "product")
            id_ = id_ or _new_id("price_", 24)
            if self.store.get_object(PRICE, ctx.account, ctx.livemode, id_) is not None:
                raise _bad("id", "Price already exists.", "resource_already_exists")
            key = p.get("lookup_key")
            if key is not None:
                self._take_lookup_key(ctx, key, p.get("transfer_lookup_key", False), None)
            obj = {
                "id": id_,
                "object": "price",
                "active": p.get("active", True),
                "billing_scheme": "per_unit",
                "created": int(self.clock()),
                "currency": currency,
                "custom_unit_amount": None,
                "livemode": ctx.livemode,
                "lookup_key": key,
                "metadata": _metadata(p.get("metadata")),
                "nickname": p.get("nickname"),
                "product": product,
                "recurring": recurring,
                "tax_behavior": p.get("tax_behavior", "unspecified"),
                "tiers_mode": None,
                "transform_quantity": None,
                "type": "recurring" if recurring else "one_time",
                "unit_amount": p["unit_amount"],
                "unit_amount_decimal": str(p["unit_amount"]),
            }
            self.store.put_object(PRICE, ctx.account, ctx.livemode, obj)
            return self._render(ctx, obj, product_expanded)

    def retrieve_price(
        self, ctx: Ctx, id_: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        params = dict(params or {})
        product_expanded = PRODUCT in _expansions(params, (PRODUCT,))
        spec.validate(PRICE_RETRIEVE, params)
        with self.lock:
            return self._render(ctx, self._price(ctx, id_), product_expanded)

    def update_price(self, ctx: Ctx, id_: str, params: dict[str, Any]) -> dict[str, Any]:
        params = dict(params)
        product_expanded = PRODUCT in _expansions(params, (PRODUCT,))
        p = spec.validate(PRICE_UPDATE, params)
        _not_emulated(p, ("currency_options",))
        with self.lock, self.store.transaction():
            obj = self._price(ctx, id_)
            if "lookup_key" in p:
                self._take_lookup_key(
                    ctx, p["lookup_key"], p.get("transfer_lookup_key", False), obj["id"]
                )
                obj["lookup_key"] = p["lookup_key"]
            for name in ("active", "nickname", "tax_behavior"):
                if name in p:
                    obj[name] = p[name]
            if "metadata" in p:
                meta = p["metadata"]
                merged = {} if meta is None else {**obj["metadata"], **meta}
                obj["metadata"] = _metadata(merged)
            self.store.put_object(PRICE, ctx.account, ctx.livemode, obj)
            return self._render(ctx, obj, product_expanded)

    def list_prices(self, ctx: Ctx, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        product_expanded = "data.product" in _expansions(params, ("data.product",))
        q = spec.validate(PRICE_LIST, params)
        keys = q.get("lookup_keys")
        if keys is not None and len(keys) > MAX_LOOKUP_KEYS:
            raise _bad(
                "lookup_keys",
                f"Invalid array: lookup_keys must have at most {MAX_LOOKUP_KEYS} elements.",
            )

        def keep(o: dict[str, Any]) -> bool:
            if keys is not None and o["lookup_key"] not in keys:
                return False
            for name in ("active", "product", "type"):
                if name in q and o[name] != q[name]:
                    return False
            if "currency" in q and o["currency"] != q["currency"].lower():
                return False
            if "recurring" in q:
                r = o["recurring"]
                if r is None or any(r[k] != v for k, v in q["recurring"].items()):
                    return False
            return "created" not in q or _created_matches(o["created"], q["created"])

        with self.lock:
            every = self.store.all_objects(PRICE, ctx.account, ctx.livemode)
            page, more = paginate(q, every, keep, lambda id_, p: _missing("price", id_, p))
            data = [self._render(ctx, o, product_expanded) for o in page]
        return {"object": "list", "data": data, "has_more": more, "url": PRICES_URL}

    # the portal's reference rules ----------------------------------------------------

    def check_portal_products(self, ctx: Ctx, products: list[dict[str, Any]]) -> None:
        """Refuse what Stripe refuses in ``features.subscription_update.products``."""
        for i, item in enumerate(products):
            base = f"{PORTAL_PRODUCTS}[{i}]"
            product = item["product"]
            if self.store.get_object(PRODUCT, ctx.account, ctx.livemode, product) is None:
                raise _missing("product", product, f"{base}[product]")
            intervals: dict[tuple[str, int], str] = {}
            for j, price_id in enumerate(item.get("prices") or []):
                param = f"{base}[prices][{j}]"
                price = self._price(ctx, price_id, param, 400)
                if price["product"] != product:
                    raise _bad(
                        param,
                        f"The price `{price_id}` does not belong to the product `{product}`.",
                    )
                if not price["active"]:
                    raise _bad(param, f"The price `{price_id}` is not active.")
                if price["recurring"] is None:
                    raise _bad(param, f"The price `{price_id}` is not a recurring price.")
                every = (price["recurring"]["interval"], price["recurring"]["interval_count"])
                if every in intervals:
                    raise _bad(
                        param,
                        f"The prices `{intervals[every]}` and `{price_id}` of product "
                        f"`{product}` have the same recurring interval; a product can list at "
                        "most one price per interval.",
                    )
                intervals[every] = price_id

    # catalogue seeds -----------------------------------------------------------------

    def load(
        self,
        ctx: Ctx,
        data: dict[str, Any] | str | Path,
    ) -> dict[str, list[str]]:
        """Load a catalogue seed (``{"products": [...], "prices": [...]}``) into ``ctx``.

        Products are create params (``id`` and ``name`` required); prices are create params
        with a ``lookup_key`` or an ``id`` (prices have no custom ids in the API; a seed may
        fix one). Idempotent, so a persisted state can be re-seeded at every start: a product
        whose id exists, or a price whose id or lookup key exists, is left as it is. All or
        nothing: a bad entry raises CatalogError naming it, and nothing is stored.
        Returns the ids created, ``{"products": [...], "prices": [...]}``.
        """
        seed = read_seed(data)
        made: dict[str, list[str]] = {"products": [], "prices": []}
        with self.lock, self.store.transaction():
            for i, params in enumerate(seed.get("products", [])):
                where = f"products[{i}]"
                if not isinstance(params, dict) or not params.get("id"):
                    raise CatalogError(f"catalogue {where}: needs an `id`")
                if self.store.get_object(PRODUCT, ctx.account, ctx.livemode, params["id"]):
                    continue
                made["products"].append(_seeded(where, self.create_product, ctx, params)["id"])
            for i, params in enumerate(seed.get("prices", [])):
                where = f"prices[{i}]"
                if not isinstance(params, dict):
                    raise CatalogError(f"catalogue {where}: must be an object")
                params = dict(params)
                id_, key = params.pop("id", None), params.get("lookup_key")
                if not id_ and not key:
                    raise CatalogError(f"catalogue {where}: needs a `lookup_key` or an `id`")
                if id_ and self.store.get_object(PRICE, ctx.account, ctx.livemode, id_):
                    continue
                if key and self._holder(ctx, key):
                    continue
                price = _seeded(where, self.create_price, ctx, params, id_=id_)
                made["prices"].append(price["id"])
        return made

    def _holder(self, ctx: Ctx, key: str) -> str | None:
        for price in self.store.all_objects(PRICE, ctx.account, ctx.livemode):
            if price["lookup_key"] == key:
                return str(price["id"])
        return None


def _seeded(where: str, call: Callable[..., dict[str, Any]], *args: Any, **kw: Any) -> Any:
    try:
        return call(*args, **kw)
    except StripeError as e:
        param = f" ({e.param})" if e.param else ""
        raise CatalogError(f"catalogue {where}{param}: {e.message}") from None


def read_seed(data: dict[str, Any] | str | Path) -> dict[str, Any]:
    """A catalogue seed from a dict or a JSON file; the shape is checked, not the entries."""
    if not isinstance(data, dict):
        try:
            data = json.loads(Path(data).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise CatalogError(f"catalogue {data}: {e}") from None
    if not isinstance(data, dict):
        raise CatalogError("catalogue: expected a JSON object with `products` and `prices`")
    unknown = set(data) - {"products", "prices"}
    if unknown:
        raise CatalogError(f"catalogue: unknown key(s) {', '.join(sorted(unknown))}")
    for name in ("products", "prices"):
        if not isinstance(data.get(name, []), list):
            raise CatalogError(f"catalogue: `{name}` must be a list")
    return data
