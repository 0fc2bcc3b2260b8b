"""`batched:count` portals; `batched:headline` changes every one of them at once."""

import pulumi

from pulumi_stripe_portal import PortalConfiguration

config = pulumi.Config("batched")
headline = config.get("headline") or "Manage your plan"
for i in range(config.require_int("count")):
    PortalConfiguration(
        f"portal-{i}",
        name=f"portal {i}",
        business_profile={"headline": headline},
        features={"invoice_history": {"enabled": True}},
    )
