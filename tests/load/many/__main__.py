"""`load:count` portal configurations, all alike but for their name and metadata.

With `load:noop` true the same inputs go to `Noop` (noop_provider.py), which does nothing:
that run is the engine's floor for this program, the cost the rate limit is added to.
"""

import pulumi
from noop_provider import Noop

from pulumi_stripe_portal import PortalConfiguration

config = pulumi.Config("load")
count = config.require_int("count")
stack = pulumi.get_stack()
make = Noop if config.get_bool("noop") else PortalConfiguration

for i in range(count):
    make(
        f"portal-{i}",
        name=f"{stack} portal {i}",
        default_return_url="https://example.com/account",
        business_profile={"headline": f"{stack} #{i}"},
        metadata={"stack": stack, "index": str(i)},
        features={
            "invoice_history": {"enabled": True},
            "customer_update": {"enabled": True, "allowed_updates": ["email", "address"]},
        },
    )
