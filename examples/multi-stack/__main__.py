"""One portal program, many stacks: each stack's config picks its features, its key and its mode.

The API key is per stack (a secret in Pulumi.<stack>.yaml) and so is ``stripe:mode``: dev and
staging say ``test``, prod says ``live``, so a live key in dev (or a test key in prod) is
refused before any request. The features block comes from the structured config value
``portal:features`` so staging can try a feature before prod.

The plans customers may switch between are declared once, by lookup key: price ids differ
between test and live mode, lookup keys need not. The provider resolves them to the price
ids of the stack's account and mode (``catalog.json`` is the catalogue the tests seed).
"""

import pulumi

from pulumi_stripe_portal import (
    FeaturesArgs,
    PortalConfiguration,
    ProductArgsDict,
    SubscriptionUpdateArgs,
)

config = pulumi.Config("portal")
stack = pulumi.get_stack()

PLANS: list[ProductArgsDict] = [
    {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
    {"product": "prod_pro", "lookup_keys": ["pro_monthly", "pro_yearly"]},
]

features = FeaturesArgs(
    **config.require_object("features"),
    subscription_update=SubscriptionUpdateArgs(
        enabled=True,
        default_allowed_updates=["price"],
        proration_behavior="create_prorations",
        products=PLANS,
    ),
)

portal = PortalConfiguration(
    "portal",
    name=f"Customer portal ({stack})",
    default_return_url=config.require("returnUrl"),
    features=features,
    metadata={"stack": stack, "tier": config.get("tier") or "standard"},
)

pulumi.export("portal_id", portal.id)
pulumi.export("livemode", portal.livemode)
pulumi.export("features", portal.features)
