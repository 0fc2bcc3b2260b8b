"""State and rules of billing portal configurations, as plain Python objects (no HTTP).

Parameters arrive as form strings or Python values; spec.py checks them against the SDK's
types and this module adds the rules the types cannot carry (cross-field rules, URLs, bounds,
defaults, read-only fields). Decisions where Stripe's behaviour is only reported:
- ``""`` for a URL field on create is rejected (``parameter_invalid_empty``), also for
  ``default_return_url`` whose type would allow it: omit absent fields on create.
- enabling ``subscription_update`` needs at least one product (checked on the merged result).
- ``subscription_pause.duration.type=indefinite`` empties stored ``interval_options``; posting
  options together with ``indefinite`` is refused (the SDK says they are for
  ``interval_options``; Stripe would otherwise drop what was asked for).
- a product listed twice in ``features.subscription_update.products`` is refused.
Products and prices named in ``features.subscription_update.products`` are checked against
the catalogue (catalog.py) only when ``check_references`` is on: off by default so tests that
use made-up ids keep working, on once a catalogue is loaded. Not emulated: checking that
payment method configurations or feedback options exist; expanding ``feedback_options``
(refused; ``application`` is always null); portal sessions; the Dashboard itself
(``seed_default`` stores a default configuration as the Dashboard would, without a request;
``first_is_default`` makes the first create one); deletion (Stripe has none). Metadata
limits (50 keys, 40-char keys, 500-char values) and the API's string lengths (``name`` 256,
``business_profile.headline`` 60, any other string 5000 in spec.py) hold.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from . import spec
from .accounts import Accounts, Ctx
from .catalog import Catalog
from .errors import StripeError, not_found
from .paging import paginate
from .store import IdempotencyRecord, Store, copy_json

PRODUCTS = "features.subscription_update.products"
LIST_URL = "/v1/billing_portal/configurations"
_ALNUM = string.ascii_letters + string.digits
_PAUSE_MAX = {"day": 1095, "week": 156, "month": 36, "year": 3}  # three years
# Strings the API caps below the general 5000 characters (spec.py), by form parameter.
_MAX_LENGTH = {("name",): 256, ("business_profile", "headline"): 60}


def random_id(prefix: str, n: int = 24) -> str:
    """``prefix`` and ``n`` letters or digits, uniformly drawn, from one urandom call (most
    of the time): bytes of 248 and over are skipped so that ``% 62`` has no bias."""
    chars = ""
    while len(chars) < n:
        chars += "".join(_ALNUM[b % 62] for b in secrets.token_bytes(n + 8) if b < 248)
    return prefix + chars[:n]


def _bad(param: str | None, message: str, code: str | None = None) -> StripeError:
    return StripeError(400, "invalid_request_error", message, param=param, code=code)


def defaults() -> dict[str, Any]:
    """Every field Stripe fills on create, with Stripe's documented defaults."""
    return {
        "active": True,
        "application": None,
        "business_profile": {
            "headline": None,
            "privacy_policy_url": None,
            "terms_of_service_url": None,
        },
        "default_return_url": None,
        "features": {
            "customer_update": {"allowed_updates": [], "enabled": False},
            "invoice_history": {"enabled": False},
            "payment_method_update": {"enabled": False, "payment_method_configuration": None},
            "subscription_cancel": {
                "cancellation_reason": {"enabled": False, "feedback_options": None, "options": []},
                "enabled": False,
                "mode": "at_period_end",
                "proration_behavior": "none",
            },
            "subscription_pause": {
                "duration": {
                    "interval_options": [{"interval": "month", "interval_count": 1}],
                    "type": "interval_options",
                },
                "enabled": False,
            },
            "subscription_update": {
                "billing_cycle_anchor": None,
                "default_allowed_updates": [],
                "enabled": False,
                "products": [],
                "proration_behavior": "none",
                "schedule_at_period_end": {"conditions": []},
                "trial_update_behavior": "end_trial",
            },
        },
        "login_page": {"enabled": False, "url": None},
        "metadata": {},
        "name": None,
        "object": "billing_portal.configuration",
    }


def _fill_items(patch: dict[str, Any]) -> None:
    """List items are replaced whole, so give posted items their defaults."""
    sub = patch.get("features", {}).get("subscription_update", {})
    for p in sub.get("products") or []:
        aq = {"enabled": False, "maximum": None, "minimum": 1}
        aq.update(p.get("adjustable_quantity", {}))
        p["adjustable_quantity"] = aq
    duration = patch.get("features", {}).get("subscription_pause", {}).get("duration", {})
    for opt in duration.get("interval_options") or []:
        opt.setdefault("interval_count", 1)


def _merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    """Nested objects merge key by key, lists and scalars replace, metadata merges per key."""
    for key, value in patch.items():
        if key == "metadata":
            target["metadata"] = {} if value is None else {**target["metadata"], **value}
            target["metadata"] = {k: v for k, v in target["metadata"].items() if v is not None}
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _check_url(param: str, value: str | None) -> None:
    if value is None:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _bad(param, "Not a valid URL", "url_invalid")


def _check_patch(patch: dict[str, Any], creating: bool) -> None:
    """Rules about the posted values themselves."""
    urls = {
        "default_return_url": patch.get("default_return_url", ...),
        "business_profile[privacy_policy_url]": patch.get("business_profile", {}).get(
            "privacy_policy_url", ...
        ),
        "business_profile[terms_of_service_url]": patch.get("business_profile", {}).get(
            "terms_of_service_url", ...
        ),
    }
    for param, value in urls.items():
        if value is ...:
            continue
        if value is None and creating:
            raise _bad(
                param,
                f"You passed an empty string for '{param}'. We assume empty values are an "
                f"attempt to unset a parameter; however '{param}' cannot be unset. You should "
                f"remove '{param}' from your request or supply a non-empty value.",
                "parameter_invalid_empty",
            )
        _check_url(param, value)
    for keys, most in _MAX_LENGTH.items():
        text: Any = patch
        for key in keys:
            text = text.get(key) if isinstance(text, dict) else None
        if isinstance(text, str):
            spec.check_length(keys[0] + "".join(f"[{k}]" for k in keys[1:]), text, most)
    meta = patch.get("metadata") or {}
    for k, v in meta.items():
        if len(k) > 40:
            raise _bad(f"metadata[{k}]", "Metadata keys can have up to 40 characters.")
        if v is not None and len(v) > 500:
            raise _bad(f"metadata[{k}]", "Metadata values can have up to 500 characters.")
    duration = patch.get("features", {}).get("subscription_pause", {}).get("duration", {})
    param = "features[subscription_pause][duration][interval_options]"
    if duration.get("type") == "interval_options" and "interval_options" not in duration:
        raise _bad(param, f"Missing required param: {param}.", "parameter_missing")
    if duration.get("type") == "indefinite" and duration.get("interval_options"):
        raise _bad(
            param,
            "You can only pass `interval_options` when `type` is `interval_options`.",
        )
    cancel = patch.get("features", {}).get("subscription_cancel", {})
    if cancel.get("proration_behavior") == "always_invoice":
        param = "features[subscription_cancel][proration_behavior]"
        raise _bad(param, f"Invalid {param}: must be one of none or create_prorations")


def _check_merged(obj: dict[str, Any]) -> None:
    """Rules on the object as it would be stored (so an update cannot break them either)."""
    if len(obj["metadata"]) > 50:
        raise _bad("metadata", "You can have at most 50 metadata keys.")
    f = obj["features"]
    cancel = f["subscription_cancel"]
    if cancel["proration_behavior"] == "create_prorations" and cancel["mode"] != "immediately":
        raise _bad(
            "features[subscription_cancel][proration_behavior]",
            "`proration_behavior` can only be `create_prorations` when `mode` is `immediately`.",
        )
    duration = f["subscription_pause"]["duration"]
    base = "features[subscription_pause][duration][interval_options]"
    if duration["type"] == "interval_options" and not duration["interval_options"]:
        raise _bad(base, f"Missing required param: {base}.", "parameter_missing")
    for i, opt in enumerate(duration["interval_options"]):
        param = f"{base}[{i}][interval_count]"
        if opt["interval_count"] < 1:
            raise _bad(param, "This value must be greater than or equal to 1.")
        if opt["interval_count"] > _PAUSE_MAX[opt["interval"]]:
            raise _bad(param, "A subscription can be paused for at most three years.")
    update = f["subscription_update"]
    products = update["products"]
    base = "features[subscription_update][products]"
    if len(products) > 10:
        raise _bad(base, "You can pass at most 10 products.")
    seen: set[str] = set()
    for i, p in enumerate(products):
        if p["product"] in seen:
            raise _bad(
                f"{base}[{i}][product]",
                f"The product {p['product']} is listed more than once; list each product once.",
            )
        seen.add(p["product"])
        if not p["prices"]:
            raise _bad(f"{base}[{i}][prices]", "Each product needs at least one price.")
        aq = p["adjustable_quantity"]
        if aq["minimum"] < 0:
            raise _bad(f"{base}[{i}][adjustable_quantity][minimum]", "Must be at least 0.")
        if aq["maximum"] is not None and aq["maximum"] < max(aq["minimum"], 1):
            raise _bad(
                f"{base}[{i}][adjustable_quantity][maximum]",
                "The maximum quantity must be at least 1 and at least the minimum quantity.",
            )
    if update["enabled"] and not f["payment_method_update"]["enabled"]:
        raise _bad(
            "features[subscription_update][enabled]",
            "Cannot enable subscription updates while payment method update is disabled.",
        )
    if update["enabled"] and not products:
        raise _bad(base, "Subscription updates need at least one product when enabled.")


def _expand(params: dict[str, Any], prefix: str = "") -> bool:
    """True if products are asked for. ``application`` is always null, so expanding it is a
    no-op; any other expansion (e.g. feedback options) is refused rather than faked."""
    asked = spec.expansions(params.pop("expand", None))
    for path in asked:
        if path not in (prefix + PRODUCTS, prefix + "application"):
            raise _bad("expand", f"This property cannot be expanded ({path}).")
    return prefix + PRODUCTS in asked


def render(obj: dict[str, Any], products: bool, *, fresh: bool = False) -> dict[str, Any]:
    """The API's view: products are ``null`` unless expanded. ``fresh``: ``obj`` was just
    decoded from the store and is no one else's, so it needs no copy (reads)."""
    out = {"id": obj["id"], "object": obj["object"], **(obj if fresh else copy_json(obj))}
    if not products:
        out["features"]["subscription_update"]["products"] = None
    return out


class Backend:
    """All state and rules; one lock makes every call atomic against the others."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        first_is_default: bool = False,
        clock: Callable[[], float] = time.time,
        check_references: bool = False,
        account_ids: dict[str, str] | None = None,
    ) -> None:
        self.store = store or Store()
        self.first_is_default = first_is_default
        self.clock = clock
        self.lock = threading.RLock()
        self.catalog = Catalog(self.store, self.lock, clock)
        self.accounts = Accounts(account_ids)
        # products/prices named by a configuration must exist (catalog.py): off by default
        self.check_references = check_references

    def _check_references(self, ctx: Ctx, patch: dict[str, Any]) -> None:
        """The posted products list only: a stored one is not re-judged by other updates."""
        products = patch.get("features", {}).get("subscription_update", {}).get("products")
        if self.check_references and products:
            self.catalog.check_portal_products(ctx, products)

    def _load(self, ctx: Ctx, id_: str, param: str = "id", status: int = 404) -> dict[str, Any]:
        obj = self.store.get(ctx.account, ctx.livemode, id_)
        if obj is None:
            raise not_found(id_, param, status)
        return obj

    @staticmethod
    def _login(obj: dict[str, Any], livemode: bool) -> None:
        page = obj["login_page"]
        if not page["enabled"]:
            page["url"] = None
        elif page["url"] is None:
            mode = "" if livemode else "test_"
            page["url"] = random_id(f"https://billing.stripe.com/p/login/{mode}", 14)

    @staticmethod
    def _normalise(obj: dict[str, Any]) -> None:
        update = obj["features"]["subscription_update"]
        if update["billing_cycle_anchor"] == "unchanged":
            update["billing_cycle_anchor"] = None  # Stripe reads `unchanged` back as null
        duration = obj["features"]["subscription_pause"]["duration"]
        if duration["type"] == "indefinite":
            duration["interval_options"] = []

    def create(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        return self._create(ctx, params, seeded=False)

    def seed_default(self, ctx: Ctx, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store a configuration as the Dashboard makes one: the account's default.

        ``params`` are create params as Python values, validated like a create; None means a
        fresh Dashboard portal (Stripe's defaults with invoice history on). The previous
        default of ``ctx`` loses the flag. Returns the stored object, products expanded.
        """
        if params is None:
            params = {"features": {"invoice_history": {"enabled": True}}}
        return self._create(ctx, {**params, "expand": [PRODUCTS]}, seeded=True)

    def has_default(self, ctx: Ctx) -> bool:
        with self.lock:
            return any(o["is_default"] for o in self.store.all(ctx.account, ctx.livemode))

    def _create(self, ctx: Ctx, params: dict[str, Any], *, seeded: bool) -> dict[str, Any]:
        params = dict(params)
        products = _expand(params)
        patch = spec.validate(spec.CREATE, params)
        _check_patch(patch, creating=True)
        _fill_items(patch)
        obj = defaults()
        _merge(obj, patch)
        self._normalise(obj)
        _check_merged(obj)
        with self.lock:
            self._check_references(ctx, patch)
            now = int(self.clock())
            obj.update(
                id=random_id("bpc_"),
                created=now,
                updated=now,
                livemode=ctx.livemode,
                is_default=seeded
                or (self.first_is_default and self.store.empty(ctx.account, ctx.livemode)),
            )
            self._login(obj, ctx.livemode)
            with self.store.transaction():
                if seeded:
                    self._drop_default(ctx, now)
                self.store.put(ctx.account, ctx.livemode, obj)
        return render(obj, products)

    def _drop_default(self, ctx: Ctx, now: int) -> None:
        """The account's current default (if any) stops being the default."""
        for old in self.store.all(ctx.account, ctx.livemode):
            if old["is_default"]:
                old["is_default"] = False
                old["updated"] = max(now, old["updated"] + 1)
                self.store.put(ctx.account, ctx.livemode, old)

    def update(self, ctx: Ctx, id_: str, params: dict[str, Any]) -> dict[str, Any]:
        params = dict(params)
        products = _expand(params)
        patch = spec.validate(spec.UPDATE, params)
        _check_patch(patch, creating=False)
        _fill_items(patch)
        with self.lock:
            obj = self._load(ctx, id_)
            if patch.get("active") is False and obj["is_default"]:
                raise _bad(
                    "active",
                    "You cannot set `active: false` on your default PortalConfiguration.",
                )
            _merge(obj, patch)
            self._normalise(obj)
            _check_merged(obj)
            self._check_references(ctx, patch)
            self._login(obj, ctx.livemode)
            obj["updated"] = max(int(self.clock()), obj["updated"] + 1)
            self.store.put(ctx.account, ctx.livemode, obj)
        return render(obj, products)

    def retrieve(self, ctx: Ctx, id_: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        products = _expand(params)
        spec.validate(spec.RETRIEVE, params)
        with self.lock:
            return render(self._load(ctx, id_), products, fresh=True)

    def list(self, ctx: Ctx, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        products = _expand(params, prefix="data.")
        q = spec.validate(spec.LIST, params)
        with self.lock:
            every = self.store.all(ctx.account, ctx.livemode)

        def keep(o: dict[str, Any]) -> bool:
            return all(q.get(k) is None or o[k] == q[k] for k in ("active", "is_default"))

        page, more = paginate(q, every, keep, lambda id_, param: not_found(id_, param, 400))
        return {
            "object": "list",
            "data": [render(o, products, fresh=True) for o in page],
            "has_more": more,
            "url": LIST_URL,
        }

    def idempotent(
        self,
        ctx: Ctx,
        key: str,
        endpoint: str,
        params: dict[str, Any],
        request_id: str,
        call: Callable[[], dict[str, Any]],
    ) -> tuple[dict[str, Any], str | None]:
        """Run ``call`` once per key; return (body, original request id if replayed).

        The write and its idempotency record commit in one transaction. Only successful
        answers are stored: a request that failed validation may be retried with its key.
        """
        fingerprint = json.dumps(params, sort_keys=True, default=str)
        with self.lock:
            rec = self.store.get_idempotency(ctx.account, ctx.livemode, key)
            if rec is not None:
                if rec.endpoint != endpoint:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used for the same endpoint "
                        f"they were first used for ('{rec.endpoint}' vs '{endpoint}'). Try "
                        f"using a key other than '{key}' if you meant to execute a different "
                        "request.",
                    )
                if rec.fingerprint != fingerprint:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters "
                        f"they were first used with. Try using a key other than '{key}' if you "
                        "meant to execute a different request.",
                    )
                return rec.body, rec.request_id
            with self.store.transaction():
                body = call()
                record = IdempotencyRecord(endpoint, fingerprint, request_id, body)
                self.store.put_idempotency(ctx.account, ctx.livemode, key, record)
            return body, None

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
