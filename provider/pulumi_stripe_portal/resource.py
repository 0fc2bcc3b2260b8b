"""The resource users declare: ``PortalConfiguration``, shape only; behaviour is the provider's."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.dynamic

from .args import PortalConfigurationArgs, to_inputs
from .names import READ_ONLY, RESOURCE_ONLY_FIELDS, WRITABLE_FIELDS
from .ownership import OWNER_KEY, owner_id
from .provider import PortalConfigurationProvider

INPUT_NAMES = (*WRITABLE_FIELDS, *RESOURCE_ONLY_FIELDS)


class PortalConfiguration(pulumi.dynamic.Resource, module="stripe", name="PortalConfiguration"):
    """A Stripe customer portal configuration (``billing_portal.configuration``).

    ``adopt="default"`` (or a ``bpc_...`` id) takes over an existing configuration instead
    of creating one. Destroying it deactivates it (Stripe has no delete); the account's
    default configuration cannot be deactivated and is left active with a warning.
    """

    business_profile: pulumi.Output[dict[str, Any] | None]
    default_return_url: pulumi.Output[str | None]
    features: pulumi.Output[dict[str, Any]]
    login_page: pulumi.Output[dict[str, Any]]
    metadata: pulumi.Output[dict[str, str] | None]
    name: pulumi.Output[str | None]
    active: pulumi.Output[bool]
    stripe_account: pulumi.Output[str | None]
    application: pulumi.Output[str | None]
    created: pulumi.Output[int]
    updated: pulumi.Output[int]
    is_default: pulumi.Output[bool]
    livemode: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        args: PortalConfigurationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props: dict[str, Any] = dict(to_inputs(args) if args is not None else {})
        props.update(to_inputs(kwargs))
        for name in (*INPUT_NAMES, *READ_ONLY):
            props.setdefault(name, None)
        props.pop("id", None)
        # Only the program knows who manages the configuration; the provider writes it down.
        props[OWNER_KEY] = owner_id(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(PortalConfigurationProvider(), resource_name, props, opts)
