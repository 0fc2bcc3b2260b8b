"""Stripe customer portal configurations as Pulumi resources.

``PortalConfiguration`` is the resource, ``PortalConfigurationArgs`` (and the nested
``*Args`` classes) its typed inputs, ``PortalConfigurationProvider`` the dynamic provider
behind it.
"""

from .args import (
    AdjustableQuantityArgs,
    BusinessProfileArgs,
    CancellationReasonArgs,
    ConditionArgs,
    CustomerUpdateArgs,
    DurationArgs,
    FeaturesArgs,
    IntervalOptionArgs,
    InvoiceHistoryArgs,
    LoginPageArgs,
    PaymentMethodUpdateArgs,
    PortalConfigurationArgs,
    ProductArgs,
    ScheduleAtPeriodEndArgs,
    SubscriptionCancelArgs,
    SubscriptionPauseArgs,
    SubscriptionUpdateArgs,
)
from .models import API_VERSION
from .provider import PortalConfigurationProvider
from .resource import PortalConfiguration

__all__ = [
    "API_VERSION",
    "AdjustableQuantityArgs",
    "BusinessProfileArgs",
    "CancellationReasonArgs",
    "ConditionArgs",
    "CustomerUpdateArgs",
    "DurationArgs",
    "FeaturesArgs",
    "IntervalOptionArgs",
    "InvoiceHistoryArgs",
    "LoginPageArgs",
    "PaymentMethodUpdateArgs",
    "PortalConfiguration",
    "PortalConfigurationArgs",
    "PortalConfigurationProvider",
    "ProductArgs",
    "ScheduleAtPeriodEndArgs",
    "SubscriptionCancelArgs",
    "SubscriptionPauseArgs",
    "SubscriptionUpdateArgs",
]
