"""Three portals of different shapes: the full declaration, plans by lookup key, and the
account's default taken over with adopt."""

import json
from pathlib import Path

import pulumi

from pulumi_stripe_portal import PortalConfiguration

HERE = Path(__file__).resolve().parent
full = PortalConfiguration("full", **json.loads((HERE / "full.json").read_text()))
plans = PortalConfiguration(
    "plans",
    name="Plans by lookup key",
    login_page={"enabled": True},
    features={
        "payment_method_update": {"enabled": True},
        "subscription_update": {
            "enabled": True,
            "default_allowed_updates": ["price"],
            "products": [
                {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
                {"product": "prod_pro", "lookup_keys": ["pro_monthly"]},
            ],
        },
    },
    metadata={"team": "billing"},
)
default = PortalConfiguration(
    "default", adopt="default", features={"invoice_history": {"enabled": True}}
)
pulumi.export("ids", [full.id, plans.id, default.id])
