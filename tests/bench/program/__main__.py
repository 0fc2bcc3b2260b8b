"""Benchmark program: ``count`` resources of one ``kind`` with the same declaration.

``kind=ours`` declares PortalConfiguration; ``kind=floor`` declares the do-nothing resource
of ``floor.py`` with the same inputs, and never imports pulumi_stripe_portal. Changing
``variant`` changes the name of every resource, so an ``up`` updates all of them. The
declaration comes from ``declaration.json``, written next to this file by the bench.
"""

import copy
import json
import os

import pulumi

config = pulumi.Config()
count = config.require_int("count")
kind = config.require("kind")
variant = config.get("variant") or "0"
with open(os.path.join(os.getcwd(), "declaration.json")) as handle:
    declaration = json.load(handle)


def declared(index: int) -> dict:
    props = copy.deepcopy(declaration)
    props["name"] = f"Bench portal {index} v{variant}"
    return props


if kind == "ours":
    from pulumi_stripe_portal import PortalConfiguration

    for i in range(count):
        PortalConfiguration(f"portal-{i}", **declared(i))
else:
    from floor import Noop

    for i in range(count):
        Noop(f"portal-{i}", declared(i))

pulumi.export("count", count)
