"""The resource's property names, spelled out for the program side.

A program only needs names to build a ``PortalConfiguration``; importing the pydantic models
for them would cost every ``pulumi up`` and ``preview`` a tenth of a second. models.py
checks at import that these are exactly the fields its models define.
"""

from __future__ import annotations

# Stripe's writable tree, in the models' order.
WRITABLE_FIELDS = (
    "features",
    "business_profile",
    "default_return_url",
    "login_page",
    "metadata",
    "name",
)
# Fields that are not part of Stripe's writable tree but of the resource.
RESOURCE_ONLY_FIELDS = ("active", "stripe_account", "adopt")
# Outputs Stripe sets.
READ_ONLY = ("id", "active", "application", "created", "is_default", "livemode", "updated")
# The ownership marker's metadata key (ownership.py), reserved in user metadata.
OWNER_MARKER = "pulumi_owner"
