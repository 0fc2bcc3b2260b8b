"""The package's names on the wire: its tokens and Pulumi's camelCase property names.

A leaf: the schema generator and the plugin both read it, so a token is spelt once.
"""

from __future__ import annotations

PACKAGE = "stripe-portal"
RESOURCE = "PortalConfiguration"


def token(name: str) -> str:
    """A type's token in the package's one module: ``stripe-portal:index:Features``."""
    return f"{PACKAGE}:index:{name}"


RESOURCE_TOKEN = token(RESOURCE)


def camel(name: str) -> str:
    """``business_profile`` → ``businessProfile``; a hidden ``_owner`` stays as it is."""
    if name.startswith("_"):
        return name
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
