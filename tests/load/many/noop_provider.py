"""A dynamic resource that takes a portal configuration's inputs and does nothing with them.

It lives in an importable module so dill pickles the provider by reference, as it does for
PortalConfigurationProvider: the floor run differs from the real one only in the provider.
"""

from __future__ import annotations

import secrets
from typing import Any

import pulumi
import pulumi.dynamic as dyn

from pulumi_stripe_portal.args import to_inputs
from pulumi_stripe_portal.names import READ_ONLY
from pulumi_stripe_portal.ownership import OWNER_KEY, owner_id
from pulumi_stripe_portal.resource import INPUT_NAMES


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
        props: dict[str, Any] = dict(to_inputs(kwargs))
        for name in (*INPUT_NAMES, *READ_ONLY):
            props.setdefault(name, None)
        props.pop("id", None)
        props[OWNER_KEY] = owner_id(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(NoopProvider(), resource_name, props)
