"""One portal program, many stacks: each stack's config picks its features and its key.

The API key is per stack (a secret in Pulumi.<stack>.yaml); the features block comes from
the structured config value ``portal:features`` so staging can try a feature before prod.
"""

import pulumi

from pulumi_stripe_portal import PortalConfiguration

config = pulumi.Config("portal")
stack = pulumi.get_stack()

portal = PortalConfiguration(
    "portal",
    name=f"Customer portal ({stack})",
    default_return_url=config.require("returnUrl"),
    features=config.require_object("features"),
    metadata={"stack": stack, "tier": config.get("tier") or "standard"},
)

pulumi.export("portal_id", portal.id)
pulumi.export("livemode", portal.livemode)
pulumi.export("features", portal.features)
