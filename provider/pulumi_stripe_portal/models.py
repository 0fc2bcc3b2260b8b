"""The writable tree of a portal configuration: the one source of truth for validation.

The models follow the stripe SDK's ``ConfigurationCreateParams`` for the pinned API version
(2026-10-28.endive) leaf for leaf. Enums are literals, unknown keys are rejected, and the
rules Stripe enforces across fields live here too, so a declaration that Stripe would refuse
fails at ``pulumi preview`` instead of half way through ``pulumi up``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
)

from .names import OWNER_MARKER, RESOURCE_ONLY_FIELDS, WRITABLE_FIELDS

API_VERSION = "2026-10-28.endive"
MAX_PRODUCTS = 10
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500
# Stripe caps a pause at three years; expressed per interval unit.
MAX_PAUSE = {"day": 3 * 366, "week": 3 * 53, "month": 36, "year": 3}


@dataclass(frozen=True, eq=False)
class StripeDefault:
    """The value Stripe holds when a field is not declared and cannot be unset with ``""``."""

    value: Any


@dataclass(frozen=True)
class SetLike:
    """Marks a list whose order Stripe ignores; ``key`` names the identity of object items."""

    key: str | None = None


Url = Annotated[StrictStr, Field(pattern=r"^https?://\S+$", max_length=5000)]


def _not_bool(value: Any) -> Any:
    """Counts are lax (the engine sends 3.0, config "3") but a boolean is never a count."""
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, got {value!r}")
    return value


Count = Annotated[int, Field(strict=False), BeforeValidator(_not_bool)]


class _Model(BaseModel):
    """Strict base: unknown keys are errors, booleans must be booleans."""

    # Stripe caps string parameters at 5000 characters; tighter limits are set per field.
    model_config = ConfigDict(extra="forbid", populate_by_name=False, str_max_length=5000)


class BusinessProfile(_Model):
    headline: Annotated[StrictStr, Field(max_length=60)] | None = None
    privacy_policy_url: Url | None = None
    terms_of_service_url: Url | None = None


AllowedUpdate = Literal["address", "email", "name", "phone", "shipping", "tax_id"]


class CustomerUpdate(_Model):
    enabled: StrictBool
    allowed_updates: Annotated[list[AllowedUpdate], SetLike()] | None = None


class InvoiceHistory(_Model):
    enabled: StrictBool


class PaymentMethodUpdate(_Model):
    enabled: StrictBool
    payment_method_configuration: StrictStr | None = None


CancellationReasonOption = Literal[
    "customer_service",
    "low_quality",
    "missing_features",
    "other",
    "switched_service",
    "too_complex",
    "too_expensive",
    "unused",
]


class CancellationReason(_Model):
    enabled: StrictBool
    options: Annotated[list[CancellationReasonOption], SetLike()]
    feedback_options: Annotated[list[StrictStr], SetLike()] | None = None


class SubscriptionCancel(_Model):
    enabled: StrictBool
    mode: (
        Annotated[Literal["at_period_end", "immediately"], StripeDefault("at_period_end")] | None
    ) = None
    # The API type also lists always_invoice, which Stripe rejects for cancellations.
    proration_behavior: (
        Annotated[Literal["none", "create_prorations"], StripeDefault("none")] | None
    ) = None
    cancellation_reason: CancellationReason | None = None


class IntervalOption(_Model):
    interval: Literal["day", "week", "month", "year"]
    interval_count: Annotated[Count, Field(ge=1)] | None = None


class Duration(_Model):
    type: Literal["indefinite", "interval_options"]
    interval_options: list[IntervalOption] | None = None


DEFAULT_PAUSE_DURATION = {
    "type": "interval_options",
    "interval_options": [{"interval": "month", "interval_count": 1}],
}


class SubscriptionPause(_Model):
    enabled: StrictBool | None = None
    duration: Annotated[Duration, StripeDefault(DEFAULT_PAUSE_DURATION)] | None = None


class AdjustableQuantity(_Model):
    enabled: StrictBool
    minimum: Annotated[Count, Field(ge=0)] | None = None
    maximum: Annotated[Count, Field(ge=1)] | None = None


class Product(_Model):
    product: Annotated[StrictStr, Field(min_length=1)]
    prices: Annotated[list[StrictStr], Field(min_length=1), SetLike()] | None = None
    # Our extension: prices named by lookup key, resolved to ids by the provider
    # (prices.py), so one declaration serves test and live mode. Stripe never sees them.
    lookup_keys: Annotated[list[StrictStr], Field(min_length=1), SetLike()] | None = None
    adjustable_quantity: AdjustableQuantity | None = None


class Condition(_Model):
    type: Literal["decreasing_item_amount", "shortening_interval"]


class ScheduleAtPeriodEnd(_Model):
    conditions: Annotated[list[Condition], SetLike(key="type")] | None = None


class SubscriptionUpdate(_Model):
    enabled: StrictBool
    default_allowed_updates: (
        Annotated[list[Literal["price", "promotion_code", "quantity"]], SetLike()] | None
    ) = None
    proration_behavior: (
        Annotated[Literal["none", "create_prorations", "always_invoice"], StripeDefault("none")]
        | None
    ) = None
    billing_cycle_anchor: (
        Annotated[Literal["now", "unchanged"], StripeDefault("unchanged")] | None
    ) = None
    trial_update_behavior: (
        Annotated[Literal["continue_trial", "end_trial"], StripeDefault("end_trial")] | None
    ) = None
    products: (
        Annotated[list[Product], Field(max_length=MAX_PRODUCTS), SetLike(key="product")] | None
    ) = None
    schedule_at_period_end: ScheduleAtPeriodEnd | None = None


class Features(_Model):
    customer_update: CustomerUpdate | None = None
    invoice_history: InvoiceHistory | None = None
    payment_method_update: PaymentMethodUpdate | None = None
    subscription_cancel: SubscriptionCancel | None = None
    subscription_pause: SubscriptionPause | None = None
    subscription_update: SubscriptionUpdate | None = None


class LoginPage(_Model):
    enabled: StrictBool


class PortalConfigurationSpec(_Model):
    """A whole declaration: the writable tree plus ``active`` and the Connect account."""

    features: Features
    business_profile: BusinessProfile | None = None
    default_return_url: Url | None = None
    login_page: LoginPage | None = None
    metadata: dict[StrictStr, StrictStr] | None = None
    name: Annotated[StrictStr, Field(max_length=256)] | None = None
    active: StrictBool = True
    stripe_account: Annotated[StrictStr, Field(pattern=r"^acct_\w+$")] | None = None
    # Take over an existing configuration instead of creating one (read at create only).
    adopt: Annotated[StrictStr, Field(pattern=r"^(default|bpc_\w+)$")] | None = None

    @field_validator("metadata")
    @classmethod
    def _metadata_limits(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return value
        if len(value) > MAX_METADATA_KEYS:
            raise ValueError(f"at most {MAX_METADATA_KEYS} keys are allowed")
        for key, item in value.items():
            if key == OWNER_MARKER:
                raise ValueError(
                    f"key {key!r} is reserved: the provider keeps its ownership marker there"
                )
            if not key or len(key) > MAX_METADATA_KEY_LENGTH or "[" in key or "]" in key:
                raise ValueError(
                    f"key {key!r} must be 1 to {MAX_METADATA_KEY_LENGTH} characters "
                    "without square brackets"
                )
            if len(item) > MAX_METADATA_VALUE_LENGTH:
                raise ValueError(
                    f"value of {key!r} must be at most {MAX_METADATA_VALUE_LENGTH} characters"
                )
        return value


_MODELLED = tuple(PortalConfigurationSpec.model_fields)
if _MODELLED != (*WRITABLE_FIELDS, *RESOURCE_ONLY_FIELDS):
    raise RuntimeError(f"names.py is out of step with the models: {_MODELLED}")


def _get(tree: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def cross_field_failures(spec: dict[str, Any], is_unknown: Any) -> list[tuple[str, str]]:
    """Rules Stripe enforces across fields, as (dotted path, reason).

    ``spec`` is a declaration that passed the models; ``is_unknown(path)`` tells whether a
    value under that dotted path is not known yet (preview), in which case a rule that
    reads it is skipped rather than guessed.
    """
    failures: list[tuple[str, str]] = []

    def known(*paths: str) -> bool:
        return not any(is_unknown(p) for p in paths)

    features = spec.get("features") or {}
    update = features.get("subscription_update") or {}
    if update.get("enabled") is True and known(
        "features.subscription_update", "features.payment_method_update"
    ):
        if _get(features, "payment_method_update", "enabled") is not True:
            failures.append(
                (
                    "features.subscription_update.enabled",
                    "Cannot enable subscription updates while payment method update is "
                    "disabled: also declare features.payment_method_update.enabled = true",
                )
            )
        if not update.get("products"):
            failures.append(
                (
                    "features.subscription_update.products",
                    "enabled subscription updates need at least one product "
                    f"(1 to {MAX_PRODUCTS} products, each with its prices)",
                )
            )
    products = update.get("products") or []
    if known("features.subscription_update.products"):
        seen: set[str] = set()
        for index, product in enumerate(products):
            path = f"features.subscription_update.products[{index}]"
            pid = product.get("product")
            if pid in seen:
                failures.append((f"{path}.product", f"product {pid!r} is listed twice"))
            seen.add(pid)
            if not product.get("prices") and not product.get("lookup_keys"):
                failures.append((f"{path}.prices", "required: declare prices, lookup_keys or both"))
            quantity = product.get("adjustable_quantity") or {}
            low, high = quantity.get("minimum"), quantity.get("maximum")
            if low is not None and high is not None and low > high:
                failures.append(
                    (
                        f"{path}.adjustable_quantity.minimum",
                        f"minimum ({low}) must not exceed maximum ({high})",
                    )
                )

    cancel = features.get("subscription_cancel") or {}
    if cancel.get("proration_behavior") == "create_prorations" and known(
        "features.subscription_cancel.mode"
    ):
        if cancel.get("mode") != "immediately":
            failures.append(
                (
                    "features.subscription_cancel.proration_behavior",
                    "create_prorations is only allowed with "
                    "features.subscription_cancel.mode = immediately; allowed here: none",
                )
            )

    duration = _get(features, "subscription_pause", "duration") or {}
    if known("features.subscription_pause.duration"):
        options = duration.get("interval_options") or []
        if duration.get("type") == "interval_options" and not options:
            failures.append(
                (
                    "features.subscription_pause.duration.interval_options",
                    "required when duration.type is interval_options "
                    "(a list of {interval: day|week|month|year, interval_count})",
                )
            )
        if duration.get("type") == "indefinite" and options:
            failures.append(
                (
                    "features.subscription_pause.duration.interval_options",
                    "only allowed when duration.type is interval_options",
                )
            )
        for index, option in enumerate(options):
            unit, count = option.get("interval"), option.get("interval_count") or 1
            if unit in MAX_PAUSE and count > MAX_PAUSE[unit]:
                failures.append(
                    (
                        f"features.subscription_pause.duration.interval_options[{index}]"
                        ".interval_count",
                        f"a pause may last at most three years: at most {MAX_PAUSE[unit]} "
                        f"for interval {unit}",
                    )
                )
    return failures
