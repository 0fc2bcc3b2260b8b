"""Typed argument classes for IDE completion; plain dicts of the same shape work too.

Field names and nesting are the API's. Any value may be a ``pulumi.Input`` (a price id
from another resource, say). ``tests/test_args.py`` keeps these in step with the models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

Input = pulumi.Input


@dataclass
class BusinessProfileArgs:
    headline: Input[str] | None = None
    privacy_policy_url: Input[str] | None = None
    terms_of_service_url: Input[str] | None = None


@dataclass
class CustomerUpdateArgs:
    enabled: Input[bool]
    allowed_updates: Input[Sequence[Input[str]]] | None = None


@dataclass
class InvoiceHistoryArgs:
    enabled: Input[bool]


@dataclass
class PaymentMethodUpdateArgs:
    enabled: Input[bool]
    payment_method_configuration: Input[str] | None = None


@dataclass
class CancellationReasonArgs:
    enabled: Input[bool]
    options: Input[Sequence[Input[str]]]
    feedback_options: Input[Sequence[Input[str]]] | None = None


@dataclass
class SubscriptionCancelArgs:
    enabled: Input[bool]
    mode: Input[str] | None = None
    proration_behavior: Input[str] | None = None
    cancellation_reason: Input[CancellationReasonArgs] | None = None


@dataclass
class IntervalOptionArgs:
    interval: Input[str]
    interval_count: Input[int] | None = None


@dataclass
class DurationArgs:
    type: Input[str]
    interval_options: Input[Sequence[Input[IntervalOptionArgs]]] | None = None


@dataclass
class SubscriptionPauseArgs:
    enabled: Input[bool] | None = None
    duration: Input[DurationArgs] | None = None


@dataclass
class AdjustableQuantityArgs:
    enabled: Input[bool]
    minimum: Input[int] | None = None
    maximum: Input[int] | None = None


@dataclass
class ProductArgs:
    product: Input[str]
    prices: Input[Sequence[Input[str]]] | None = None
    lookup_keys: Input[Sequence[Input[str]]] | None = None  # resolved to price ids
    adjustable_quantity: Input[AdjustableQuantityArgs] | None = None


@dataclass
class ConditionArgs:
    type: Input[str]


@dataclass
class ScheduleAtPeriodEndArgs:
    conditions: Input[Sequence[Input[ConditionArgs]]] | None = None


@dataclass
class SubscriptionUpdateArgs:
    enabled: Input[bool]
    default_allowed_updates: Input[Sequence[Input[str]]] | None = None
    proration_behavior: Input[str] | None = None
    billing_cycle_anchor: Input[str] | None = None
    trial_update_behavior: Input[str] | None = None
    products: Input[Sequence[Input[ProductArgs]]] | None = None
    schedule_at_period_end: Input[ScheduleAtPeriodEndArgs] | None = None


@dataclass
class FeaturesArgs:
    customer_update: Input[CustomerUpdateArgs] | None = None
    invoice_history: Input[InvoiceHistoryArgs] | None = None
    payment_method_update: Input[PaymentMethodUpdateArgs] | None = None
    subscription_cancel: Input[SubscriptionCancelArgs] | None = None
    subscription_pause: Input[SubscriptionPauseArgs] | None = None
    subscription_update: Input[SubscriptionUpdateArgs] | None = None


@dataclass
class LoginPageArgs:
    enabled: Input[bool]


@dataclass
class PortalConfigurationArgs:
    """Everything a portal configuration declares; ``features`` is required by Stripe."""

    features: Input[FeaturesArgs]
    business_profile: Input[BusinessProfileArgs] | None = None
    default_return_url: Input[str] | None = None
    login_page: Input[LoginPageArgs] | None = None
    metadata: Input[Mapping[str, Input[str]]] | None = None
    name: Input[str] | None = None
    active: Input[bool] | None = None
    stripe_account: Input[str] | None = None
    adopt: Input[str] | None = None


def to_inputs(value: Any) -> Any:
    """Args classes (at any depth, inside Outputs too) to plain dicts; None fields dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_inputs(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, pulumi.Output):
        return value.apply(to_inputs)
    if isinstance(value, Mapping):
        return {k: to_inputs(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_inputs(v) for v in value]
    return value
