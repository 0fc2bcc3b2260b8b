"""One portal, every output exported; ``badProduct`` names a product Stripe does not have."""

import pulumi

from pulumi_stripe_portal import PortalConfiguration

config = pulumi.Config()
features = {
    "invoice_history": {"enabled": True},
    "payment_method_update": {"enabled": True},
    "customer_update": {"enabled": True, "allowed_updates": ["email", "address"]},
}
if config.get_bool("badProduct"):
    features["subscription_update"] = {
        "enabled": True,
        "default_allowed_updates": ["price"],
        "products": [{"product": "prod_canary_missing", "prices": ["price_canary_missing"]}],
    }

portal = PortalConfiguration(
    "canary",
    name="Secrets canary",
    default_return_url="https://example.com/account",
    business_profile={"headline": "Nothing secret here"},
    login_page={"enabled": True},
    metadata={"purpose": "secrets test"},
    features=features,
)

pulumi.export("portal", portal)
for name in (
    "id",
    "name",
    "features",
    "metadata",
    "login_page",
    "business_profile",
    "default_return_url",
    "active",
    "livemode",
    "is_default",
    "created",
    "updated",
    "application",
    "stripe_account",
):
    pulumi.export(name, getattr(portal, name))
