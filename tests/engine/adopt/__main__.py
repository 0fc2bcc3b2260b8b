"""Declares the portals of the stack config `portals`: {resource name: keyword arguments}."""

import json

import pulumi

from pulumi_stripe_portal import PortalConfiguration

for name, kwargs in json.loads(pulumi.Config().require("portals")).items():
    portal = PortalConfiguration(name, **kwargs)
    pulumi.export(f"{name}_id", portal.id)
