"""A dynamic resource that takes a portal configuration's inputs and does nothing with them.

It lives in an importable module so dill pickles the provider by reference, as it does for
PortalConfigurationProvider: the floor run differs from the real one only in the provider.
"""

from __future__ import annotations

import secrets
from typing import Any

import pulumi.dynamic as dyn

from pulumi_stripe_portal.inputs import resource_props


class NoopProvider(dyn.ResourceProvider):
    """Creates without calling anything; inputs come back as outputs."""

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        return dyn.CreateResult(id_=f"noop_{secrets.token_hex(8)}", outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dyn.DiffResult:
        return dyn.DiffResult(changes=olds != news, replaces=[], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.UpdateResult:
        return dyn.UpdateResult(outs=news)


class Noop(dyn.Resource, module="load", name="Noop"):
    """Same input shape as PortalConfiguration (every input and output name present)."""

    def __init__(self, resource_name: str, **kwargs: Any) -> None:
        # The very properties PortalConfiguration sends, its hidden owner input included.
        super().__init__(NoopProvider(), resource_name, resource_props(resource_name, None, kwargs))
