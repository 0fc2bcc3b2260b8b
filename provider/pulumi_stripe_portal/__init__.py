"""Stripe customer portal configurations as Pulumi resources.

``PortalConfiguration`` is the resource, ``PortalConfigurationArgs`` (and the nested
``*Args`` classes) its typed inputs, ``PortalConfigurationProvider`` the dynamic provider
behind it. Names load on first use, so the command line and the emulator, which live in
this package too, never import Pulumi's resource machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
# Where each name lives: the typed argument classes in args.py, the rest named here.
_WHERE = {
    **{name: "args" for name in __all__ if name.endswith("Args")},
    "API_VERSION": "models",
    "PortalConfigurationProvider": "provider",
    "PortalConfiguration": "resource",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
