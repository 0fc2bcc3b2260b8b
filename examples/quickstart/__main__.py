"""Quick start: one customer portal, its settings read from the stack's config.

The root Pulumi.yaml runs this program; Pulumi.dev.yaml and Pulumi.prod.yaml hold the
settings (and, for prod, the encrypted API key) that make the two stacks differ.
"""

from typing import Literal, cast

import pulumi

from pulumi_stripe_portal import (
    BusinessProfileArgs,
    CustomerUpdateArgs,
    FeaturesArgs,
    InvoiceHistoryArgs,
    LoginPageArgs,
    PaymentMethodUpdateArgs,
    PortalConfiguration,
    SubscriptionCancelArgs,
)

config = pulumi.Config()
# Stack config holds plain strings; preview's check refuses any other mode, naming the two.
CancelMode = Literal["at_period_end", "immediately"]
cancel_mode = cast(CancelMode, config.get("cancelMode") or "at_period_end")

portal = PortalConfiguration(
    "customer-portal",
    name=config.get("portalName") or f"Customer portal ({pulumi.get_stack()})",
    default_return_url=config.get("returnUrl") or "https://example.com/account",
    business_profile=BusinessProfileArgs(
        headline=config.get("headline") or "Manage your subscription",
        privacy_policy_url="https://example.com/privacy",
        terms_of_service_url="https://example.com/terms",
    ),
    login_page=LoginPageArgs(enabled=config.get_bool("loginPage") or False),
    features=FeaturesArgs(
        customer_update=CustomerUpdateArgs(enabled=True, allowed_updates=["email", "address"]),
        invoice_history=InvoiceHistoryArgs(enabled=True),
        payment_method_update=PaymentMethodUpdateArgs(enabled=True),
        subscription_cancel=SubscriptionCancelArgs(
            enabled=config.get_bool("allowCancel") or False,
            mode=cancel_mode,
        ),
    ),
    metadata={"stack": pulumi.get_stack(), "managed-by": "pulumi"},
)

pulumi.export("portal_id", portal.id)
pulumi.export("login_url", portal.login_page.url)  # None while the login page is off
pulumi.export("livemode", portal.livemode)
