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
