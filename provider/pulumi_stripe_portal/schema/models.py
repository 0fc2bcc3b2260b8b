"""The writable tree of a portal configuration: the one source of its shape.

The models follow the stripe SDK's ``ConfigurationCreateParams`` for the pinned API version
(2026-10-28.endive) leaf for leaf: names, nesting, enums (as literals), limits, Stripe's
defaults and a description of every field. Everything else that spells the shape out (the
typed ``*Args``, ``*ArgsDict`` and output classes, the resource's signature, names.py, the
tree in shape.py, the core schema check validates with in validator_schema.py, the reference
in provider/README.md, Stripe's defaults in defaults.py) is generated from them by
``make generate`` (provider/codegen) or derived at import.
Rules that span fields live in rules.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
)

from .limits import MAX_METADATA_KEY_LENGTH as MAX_METADATA_KEY_LENGTH
from .limits import MAX_METADATA_KEYS as MAX_METADATA_KEYS
from .limits import MAX_METADATA_VALUE_LENGTH as MAX_METADATA_VALUE_LENGTH
from .limits import MAX_PRODUCTS as MAX_PRODUCTS
from .limits import OWNER_MARKER as OWNER_MARKER
from .limits import metadata_limits, not_bool
from .marks import API_VERSION as API_VERSION  # the version these models describe
from .marks import Extension, ReadOnly, SetLike, StripeDefault, Unset

Url = Annotated[StrictStr, Field(pattern=r"^https?://\S+$", max_length=5000)]


# Counts are lax (the engine sends 3.0, config "3") but a boolean is never a count.
Count = Annotated[int, Field(strict=False), BeforeValidator(not_bool)]


def doc(text: str) -> Any:
    """An optional field's default (undeclared) with its description."""
    return Field(default=None, description=text)


def required(text: str) -> Any:
    """A required field's description."""
    return Field(description=text)


class _Model(BaseModel):
    """Strict base: unknown keys are errors, booleans must be booleans."""

    # Stripe caps string parameters at 5000 characters; tighter limits are set per field.
    model_config = ConfigDict(extra="forbid", populate_by_name=False, str_max_length=5000)


class BusinessProfile(_Model):
    """What the portal shows about your business."""

    headline: Annotated[StrictStr, Field(max_length=60)] | None = doc(
        "The headline shown at the top of the portal (at most 60 characters)."
    )
    privacy_policy_url: Url | None = doc("A link to your privacy policy, shown in the portal.")
    terms_of_service_url: Url | None = doc("A link to your terms of service, shown in the portal.")


AllowedUpdate = Literal["address", "email", "name", "phone", "shipping", "tax_id"]


class CustomerUpdate(_Model):
    """Whether customers may change their own details, and which."""

    enabled: StrictBool = required("Whether customers may update their details.")
    allowed_updates: Annotated[list[AllowedUpdate], SetLike()] | None = doc(
        "The details customers may change; order does not matter."
    )


class InvoiceHistory(_Model):
    """Whether customers see their past invoices."""

    enabled: StrictBool = required("Whether the portal lists the customer's invoices.")


class PaymentMethodUpdate(_Model):
    """Whether customers may change how they pay."""

    enabled: StrictBool = required("Whether customers may add, remove or change payment methods.")
    payment_method_configuration: StrictStr | None = doc(
        "The payment method configuration (pmc_...) that decides which methods are offered; "
        "the account's default when unset."
    )


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
    """Whether customers who cancel are asked why."""

    enabled: StrictBool = required("Whether the portal asks a cancelling customer for a reason.")
    options: Annotated[list[CancellationReasonOption], SetLike()] = required(
        "The reasons offered; order does not matter."
    )
    feedback_options: Annotated[list[StrictStr], SetLike(), Unset(None)] | None = doc(
        "Stripe's own list of feedback choices; usually left to Stripe."
    )


class SubscriptionCancel(_Model):
    """Whether customers may cancel their subscriptions, and how a cancellation works."""

    enabled: StrictBool = required("Whether customers may cancel subscriptions.")
    mode: (
        Annotated[Literal["at_period_end", "immediately"], StripeDefault("at_period_end")] | None
    ) = doc(
        "When a cancellation takes effect: at the end of the paid period, or at once "
        "(only `immediately` can prorate)."
    )
    # The API type also lists always_invoice, which Stripe rejects for cancellations.
    proration_behavior: (
        Annotated[Literal["none", "create_prorations"], StripeDefault("none")] | None
    ) = doc(
        "Whether an immediate cancellation credits the unused part of the period "
        "(`create_prorations`, only with mode `immediately`)."
    )
    cancellation_reason: CancellationReason | None = doc(
        "Whether customers who cancel are asked why."
    )


class IntervalOption(_Model):
    """One pause length customers may choose."""

    interval: Literal["day", "week", "month", "year"] = required("The unit of the pause.")
    interval_count: Annotated[Count, Field(ge=1), Unset(1)] | None = doc(
        "How many units; a pause lasts at most three years (1,095 days, 156 weeks, "
        "36 months or 3 years)."
    )


class Duration(_Model):
    """How long a pause may last."""

    type: Literal["indefinite", "interval_options"] = required(
        "`indefinite` (until the customer resumes) or `interval_options` (a choice of lengths)."
    )
    interval_options: list[IntervalOption] | None = doc(
        "The lengths offered, required with type `interval_options` and refused otherwise."
    )


DEFAULT_PAUSE_DURATION = {
    "type": "interval_options",
    "interval_options": [{"interval": "month", "interval_count": 1}],
}


class SubscriptionPause(_Model):
    """Whether customers may pause their subscriptions."""

    enabled: StrictBool | None = doc("Whether customers may pause subscriptions.")
    duration: Annotated[Duration, StripeDefault(DEFAULT_PAUSE_DURATION)] | None = doc(
        "How long a pause may last; Stripe offers one month when unset."
    )


class AdjustableQuantity(_Model):
    """Whether customers may change the quantity of a product."""

    enabled: StrictBool = required("Whether customers may change the quantity.")
    minimum: Annotated[Count, Field(ge=0), Unset(1)] | None = doc(
        "The smallest quantity allowed (0 or more); Stripe uses 1 when unset."
    )
    maximum: Annotated[Count, Field(ge=1)] | None = doc(
        "The largest quantity allowed (1 or more, not below the minimum); no limit when unset."
    )


class Product(_Model):
    """A product customers may switch to, with the prices offered for it."""

    product: Annotated[StrictStr, Field(min_length=1)] = required("The product's id (prod_...).")
    prices: Annotated[list[StrictStr], Field(min_length=1), SetLike()] | None = doc(
        "The price ids (price_...) offered for the product; order does not matter."
    )
    # Our extension: prices named by lookup key, resolved to ids by the provider
    # (prices.py), so one declaration serves test and live mode. Stripe never sees them.
    lookup_keys: Annotated[list[StrictStr], Field(min_length=1), SetLike(), Extension()] | None = (
        doc(
            "Prices named by lookup key instead of id, resolved in the stack's account and "
            "mode (this provider's extension; Stripe is sent the ids)."
        )
    )
    adjustable_quantity: AdjustableQuantity | None = doc(
        "Whether customers may change the quantity of this product."
    )


class Condition(_Model):
    """A kind of change that waits for the end of the period."""

    type: Literal["decreasing_item_amount", "shortening_interval"] = required(
        "`decreasing_item_amount` (a cheaper plan or fewer seats) or `shortening_interval` "
        "(e.g. yearly to monthly)."
    )


class ScheduleAtPeriodEnd(_Model):
    """Which plan changes wait for the end of the current period."""

    conditions: Annotated[list[Condition], SetLike(key="type")] | None = doc(
        "The changes that take effect at the end of the period instead of at once."
    )


class SubscriptionUpdate(_Model):
    """Whether customers may change their plan, and how a change is billed."""

    enabled: StrictBool = required(
        "Whether customers may change plans (needs payment method updates and products)."
    )
    default_allowed_updates: (
        Annotated[list[Literal["price", "promotion_code", "quantity"]], SetLike()] | None
    ) = doc("What customers may change: the price, a promotion code, the quantity.")
    proration_behavior: (
        Annotated[Literal["none", "create_prorations", "always_invoice"], StripeDefault("none")]
        | None
    ) = doc(
        "How a change mid-period is billed: not at all, as prorations on the next invoice, "
        "or invoiced at once."
    )
    billing_cycle_anchor: (
        Annotated[Literal["now", "unchanged"], StripeDefault("unchanged")] | None
    ) = doc("Whether a change restarts the billing cycle (`now`) or keeps it (`unchanged`).")
    trial_update_behavior: (
        Annotated[Literal["continue_trial", "end_trial"], StripeDefault("end_trial")] | None
    ) = doc("Whether a change during a trial ends the trial or lets it continue.")
    products: (
        Annotated[list[Product], Field(max_length=MAX_PRODUCTS), SetLike(key="product")] | None
    ) = doc(f"The products and prices customers may switch to (1 to {MAX_PRODUCTS}).")
    schedule_at_period_end: ScheduleAtPeriodEnd | None = doc(
        "Which changes wait for the end of the current period."
    )


class Features(_Model):
    """What customers may do in the portal."""

    customer_update: CustomerUpdate | None = doc("Updating their own details (email, address...).")
    invoice_history: InvoiceHistory | None = doc("Seeing their invoices.")
    payment_method_update: PaymentMethodUpdate | None = doc("Changing how they pay.")
    subscription_cancel: SubscriptionCancel | None = doc("Cancelling subscriptions.")
    subscription_pause: SubscriptionPause | None = doc("Pausing subscriptions.")
    subscription_update: SubscriptionUpdate | None = doc("Changing plans.")


class LoginPage(_Model):
    """Whether the portal has its own login link."""

    enabled: StrictBool = required(
        "Whether Stripe hosts a login page for this portal (its address is the `url` output)."
    )


class ConfigurationParams(_Model):
    """Stripe's writable tree of a configuration."""

    features: Features = required("What customers may do in the portal (required by Stripe).")
    business_profile: BusinessProfile | None = doc("What the portal shows about your business.")
    default_return_url: Url | None = doc(
        "Where the portal's back link goes when a session names no return address."
    )
    login_page: LoginPage | None = doc("Whether the portal has its own login link.")
    metadata: Annotated[dict[StrictStr, StrictStr], AfterValidator(metadata_limits)] | None = doc(
        f"Your own key-value pairs (at most {MAX_METADATA_KEYS} keys of at most "
        f"{MAX_METADATA_KEY_LENGTH} characters, values of at most {MAX_METADATA_VALUE_LENGTH}); "
        f"`{OWNER_MARKER}` is reserved."
    )
    name: Annotated[StrictStr, Field(max_length=256)] | None = doc(
        "A name for your own use; customers never see it."
    )


class PortalConfigurationSpec(ConfigurationParams):
    """A whole declaration: the writable tree plus what only the resource knows."""

    active: StrictBool = Field(
        default=True,
        description="Whether customers can use the configuration; destroy sets it to false.",
    )
    stripe_account: Annotated[StrictStr, Field(pattern=r"^acct_\w+$")] | None = doc(
        "The Connect account (acct_...) that holds the configuration; the stack's "
        "`stripe:stripeAccount` when unset. Changing it replaces the configuration."
    )
    # Take over an existing configuration instead of creating one (read at create only).
    adopt: Annotated[StrictStr, Field(pattern=r"^(default|bpc_\w+)$")] | None = doc(
        "Take over an existing configuration at create instead of making one: `default` "
        "(the account's default) or its id (bpc_...)."
    )


# Outputs only Stripe sets, by the dotted path of the object that carries them.
READ_ONLY: dict[str, dict[str, ReadOnly]] = {
    "": {
        "application": ReadOnly(str | None, "The Connect application that created it, if one did."),
        "created": ReadOnly(int, "When it was created (Unix seconds)."),
        "is_default": ReadOnly(bool, "Whether it is the account's default configuration."),
        "livemode": ReadOnly(bool, "Whether it lives in live mode (false in test mode)."),
        "updated": ReadOnly(int, "When it last changed (Unix seconds)."),
    },
    "login_page": {
        "url": ReadOnly(str | None, "The hosted login page's address; null while it is off."),
    },
}
