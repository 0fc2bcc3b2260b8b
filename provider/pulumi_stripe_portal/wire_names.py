"""The package's names on the wire: its tokens and Pulumi's camelCase property names.

A leaf of the package root: the schema generator, the plugin and the command line's program
writers all read it, so a token or an SDK's name is spelt once.
"""

from __future__ import annotations

PACKAGE = "stripe-portal"
RESOURCE = "PortalConfiguration"
# The generated SDKs (the schema's `language` section; `export --language` imports them).
NPM_PACKAGE = "@pulumi-stripe-portal/stripe-portal"
GO_IMPORT_BASE = "github.com/pulumi-stripe-portal/pulumi-stripe-portal/provider/sdk/go/stripeportal"


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


def pascal(name: str) -> str:
    """``allowed_updates`` → ``AllowedUpdates`` (an enum value's or a type's name part)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def enum_name(owner: str, field: str, in_list: bool = False) -> str:
    """An enum's type name in the package schema: its object's class and its field, one
    item of a list singular (``CustomerUpdateAllowedUpdate``), so the name says where it
    is used. The schema generator and ``export`` both spell enums with it."""
    base = pascal(field)
    if in_list and base.endswith("s"):
        base = base[:-1]
    return owner + base
